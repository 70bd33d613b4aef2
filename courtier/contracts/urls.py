from django.urls import path

from courtier.contracts.views import broker, detail

app_name = "contracts"

urlpatterns = [
    path("", detail.contract_list, name="contract_list"),
    path("preparation/", broker.preparation_queue, name="preparation_queue"),
    path("nouveau/", broker.contract_create, name="contract_create"),
    path("<int:pk>/", detail.contract_detail, name="detail"),
    path("<int:pk>/versions/<int:version_pk>/", detail.version_download, name="version"),
    path(
        "<int:pk>/avenants/<int:number>/<slug:op>/",
        detail.amendment_action,
        name="amendment_action",
    ),
    path("<int:pk>/<slug:op>/", detail.contract_action, name="contract_action"),
]
