"""Routes of the price-file import pages (included by urls.py under the catalogue namespace)."""

urlpatterns: list = []
