from courtier.documents.views import download, records, transmissions

app_name = "documents"

urlpatterns = [*download.urlpatterns, *records.urlpatterns, *transmissions.urlpatterns]
