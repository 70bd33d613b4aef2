"""Demo closure days of the broker (DOMAIN §8), added through the calendar's service. Loading
twice changes nothing."""

from __future__ import annotations

from datetime import date

from courtier.calendar import services
from courtier.calendar.models import ClosureDay

CLOSURES = [
    (date(2025, 12, 26), "Fermeture des bureaux (lendemain de Noël)"),
    (date(2026, 1, 2), "Fermeture des bureaux (lendemain du jour de l'An)"),
    (date(2026, 12, 24), "Fermeture des bureaux (veille de Noël)"),
    (date(2026, 12, 31), "Fermeture des bureaux (veille du jour de l'An)"),
]


def load() -> None:
    for day, label in CLOSURES:
        if not ClosureDay.objects.filter(day=day).exists():
            services.closure_day_add(by=None, day=day, label=label)
