from django.urls import path

from courtier.accounts import views

app_name = "accounts"

urlpatterns = [
    path("demande-acces/", views.access_request_form, name="access_request_form"),
    path("demande-acces/envoyee/", views.access_request_sent, name="access_request_sent"),
    path("demandes-acces/", views.access_request_queue, name="access_request_queue"),
    path("demandes-acces/<int:pk>/", views.access_request_detail, name="access_request_detail"),
    path(
        "demandes-acces/<int:pk>/approuver/",
        views.access_request_approve,
        name="access_request_approve",
    ),
    path(
        "demandes-acces/<int:pk>/refuser/",
        views.access_request_refuse,
        name="access_request_refuse",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/nouvelle/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/membres/",
        views.organisation_member_add,
        name="organisation_member_add",
    ),
    path(
        "organisations/<int:pk>/membres/<int:member_pk>/retirer/",
        views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path("organisations/<int:pk>/roles/", views.membership_add, name="membership_add"),
    path("roles/<int:pk>/retirer/", views.membership_remove, name="membership_remove"),
    path("compte/", views.account, name="account"),
    path("compte/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("compte/courriel-quotidien/", views.digest_setting, name="digest_setting"),
    path("compte/agenda/", views.calendar_feed_create, name="calendar_feed_create"),
    path("compte/agenda/revoquer/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    # The private feed itself: the secret in the URL is the only credential (no session).
    path("agenda/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
]
