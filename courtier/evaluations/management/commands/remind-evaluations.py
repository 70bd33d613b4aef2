"""`courtier remind-evaluations`: email each client body once about every annual evaluation
request still open past its due date (002 §4.8.1). Run daily: `0 7 * * 1-5 courtier
remind-evaluations`. (The end-of-contract report owed within 5 business days is reminded by
`courtier remind-transmissions`: it is a document owed to the broker, DOMAIN §7.)"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courtier.evaluations.services.campaigns import evaluations_remind_overdue


class Command(BaseCommand):
    help = _("Rappelle aux organismes, une fois, les évaluations du rendement en retard.")

    def handle(self, *args, **options) -> None:
        count = evaluations_remind_overdue()
        self.stdout.write(_("%(n)s rappel(s) envoyé(s).") % {"n": count})
