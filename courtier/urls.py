from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from courtier.accounts.forms import AuditedPasswordChangeForm, AuditedSetPasswordForm
from courtier.api import api
from courtier.core import views as core_views
from courtier.core.forms import QueuedPasswordResetForm
from courtier.core.throttle import sign_in_throttled, throttled

admin.site.site_header = "Courtier — administration"

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "connexion/",
        sign_in_throttled(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oubli/",
        throttled("password_reset")(
            auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=AuditedSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/changer/",
        auth_views.PasswordChangeView.as_view(form_class=AuditedPasswordChangeForm),
        name="password_change",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("langue/", core_views.set_language, name="set_language"),
    path("", include("courtier.accounts.urls")),
    path("calendrier/", include("courtier.calendar.urls")),
    path("journal/", include("courtier.audit.urls")),
    path("catalogue/", include("courtier.catalogue.urls")),
    path("acquisitions/", include("courtier.acquisitions.urls")),
    path("services/", include("courtier.pricerequests.urls")),
    path("contrats/", include("courtier.contracts.urls")),
    path("plaintes/", include("courtier.complaints.urls")),
    path("evaluations/", include("courtier.evaluations.urls")),
    path("transition/", include("courtier.exitplans.urls")),
    path("frais/", include("courtier.fees.urls")),
    path("publication/", include("courtier.publication.urls")),
    path("documents/", include("courtier.documents.urls")),
    # The admin's sign-in goes through the same failure limits as /connexion/ (before the
    # admin's own URLs, which would otherwise answer it unthrottled).
    path("admin/login/", sign_in_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "courtier.core.views.forbidden"
handler404 = "courtier.core.views.not_found"
