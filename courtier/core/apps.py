from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "courtier.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self) -> None:
        # Connects the receiver that counts failed sign-ins (courtier.core.throttle).
        from courtier.core import throttle  # noqa: F401
