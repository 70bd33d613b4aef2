from django.urls import path

from courtier.publication.views import concluded, contract

app_name = "publication"

urlpatterns = [
    path("contrats-conclus/", concluded.concluded_list, name="concluded_list"),
    path("contrats-conclus/export.<slug:fmt>", concluded.concluded_export, name="concluded_export"),
    path("seao/", contract.sheets_to_publish, name="sheets_to_publish"),
    path("contrats/<int:pk>/", contract.contract_page, name="contract"),
    path("contrats/<int:pk>/seao/imprimer/", contract.sheet_print, name="sheet_print"),
    path("contrats/<int:pk>/<slug:op>/", contract.contract_action, name="contract_action"),
]
