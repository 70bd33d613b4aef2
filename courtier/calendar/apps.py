from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "courtier.calendar"
    label = "businesscalendar"
    verbose_name = _("Calendrier des jours ouvrables")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions.
        from courtier.calendar import home, policies  # noqa: F401
