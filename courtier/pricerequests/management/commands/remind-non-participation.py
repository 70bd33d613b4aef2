"""`courtier remind-non-participation`: chase each non-participation questionnaire still owed,
every 2 business days, at most 3 times (002 §3.5). Run daily:
`0 8 * * 1-5 courtier remind-non-participation`."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courtier.pricerequests.services.reminders import non_participation_remind_due


class Command(BaseCommand):
    help = _("Relance les prestataires qui doivent leur questionnaire de non-participation.")

    def handle(self, *args, **options) -> None:
        count = non_participation_remind_due()
        self.stdout.write(_("%(n)s relance(s) envoyée(s).") % {"n": count})
