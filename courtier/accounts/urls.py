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
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("compte/", views.account, name="account"),
    path("compte/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
]
