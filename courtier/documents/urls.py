from courtier.documents.views import download

app_name = "documents"

urlpatterns = [*download.urlpatterns]
