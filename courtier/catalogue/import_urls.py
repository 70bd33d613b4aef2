"""Routes of the price-file import pages (included by urls.py under the catalogue namespace)."""

from django.urls import path

from courtier.catalogue import import_views

urlpatterns = [
    path(
        "propositions/<int:pk>/importer-prix/",
        import_views.price_import_new,
        name="price_import_new",
    ),
    path(
        "importations-prix/<int:pk>/",
        import_views.price_import_detail,
        name="price_import_detail",
    ),
]
