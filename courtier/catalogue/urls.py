from django.urls import path

from courtier.catalogue import import_urls, views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("fiches/<int:pk>/", views.version_detail, name="version_detail"),
    path("propositions/<int:pk>/", views.draft_detail, name="draft_detail"),
]

urlpatterns += import_urls.urlpatterns
