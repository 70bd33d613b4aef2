from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "courtier.audit"
    label = "audit"
    verbose_name = _("Journal d'audit")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions.
        from courtier.audit import home, policies  # noqa: F401
