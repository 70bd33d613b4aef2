from courtier.documents.views import download, records

app_name = "documents"

urlpatterns = [*download.urlpatterns, *records.urlpatterns]
