"""``courtier reap-imports``: end as failed every price import whose task failed or whose worker
died (issue 11 §3; catalogue/pricefile/reaping.py). Run it from cron every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from courtier.catalogue.pricefile.reaping import price_imports_reap


class Command(BaseCommand):
    help = "Termine en échec les importations de prix dont la tâche a échoué ou s'est arrêtée."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = price_imports_reap()
        if ended:
            numbers = ", ".join(f"n° {pk}" for pk in ended)
            self.stdout.write(f"{len(ended)} importation(s) terminée(s) en échec : {numbers}.")
        else:
            self.stdout.write("Aucune importation arrêtée.")
