"""Routes of the price-file import pages (included by urls.py under the catalogue namespace)."""

from django.urls import path

from courtier.catalogue.pricefile import views

urlpatterns = [
    path(
        "propositions/<int:pk>/importer-prix/",
        views.price_import_new,
        name="price_import_new",
    ),
    path(
        "importations-prix/<int:pk>/",
        views.price_import_detail,
        name="price_import_detail",
    ),
]
