from courtier.documents.views import download, records, transmissions, verification

app_name = "documents"

urlpatterns = [
    *download.urlpatterns,
    *records.urlpatterns,
    *transmissions.urlpatterns,
    *verification.urlpatterns,
]
