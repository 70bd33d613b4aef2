from django.urls import path

from courtier.evaluations.views import broker, end, requests

app_name = "evaluations"

urlpatterns = [
    path("", requests.index, name="index"),
    path("grilles/", broker.grid_list, name="grid_list"),
    path("grilles/nouvelle/", broker.grid_create, name="grid_create"),
    path("campagnes/", broker.campaign_list, name="campaign_list"),
    path("campagnes/nouvelle/", broker.campaign_open, name="campaign_open"),
    path("campagnes/<int:pk>/", broker.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/fermer/", broker.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/sommaire.csv", broker.campaign_export, name="campaign_export"),
    path("demandes/<int:pk>/", requests.request_detail, name="request_detail"),
    path("demandes/<int:pk>/<slug:op>/", requests.request_action, name="request_action"),
    path("fin-de-contrat/", end.end_list, name="end_list"),
    path("fin-de-contrat/<int:pk>/", end.end_detail, name="end_detail"),
    path("fin-de-contrat/<int:pk>/<slug:op>/", end.end_action, name="end_action"),
]
