from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "courtier.publication"
    label = "publication"
    verbose_name = _("Publication")

    def ready(self) -> None:
        # The permission policies, the menu entries and the work items.
        from courtier.publication import home, policies  # noqa: F401
