from django.urls import path

from courtier.pricerequests.views import broker, files, providers

app_name = "pricerequests"

urlpatterns = [
    path("", files.file_list, name="file_list"),
    path("nouveau/", files.file_create, name="file_create"),
    path("<int:pk>/", files.file_detail, name="file_detail"),
    path("<int:pk>/<slug:op>/", files.file_action, name="file_action"),
    path("validation/", broker.validation_queue, name="validation_queue"),
    path("validation/<int:pk>/<slug:op>/", broker.request_decide, name="request_decide"),
    path("gabarit/", broker.template_page, name="template"),
    path("demandes-recues/", providers.inbox, name="inbox"),
    path("demandes-recues/<int:pk>/", providers.solicitation_detail, name="solicitation_detail"),
    path(
        "demandes-recues/<int:pk>/<slug:op>/",
        providers.solicitation_action,
        name="solicitation_action",
    ),
]
