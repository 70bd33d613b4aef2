from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "courtier.accounts"
    label = "accounts"
    verbose_name = _("Organisations et personnes")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions.
        from courtier.accounts import home, policies  # noqa: F401
