from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "courtier.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions, and
        # the workflow of its proposals' review (drawn in docs/workflows.md).
        from courtier.catalogue import home, policies, workflow  # noqa: F401
