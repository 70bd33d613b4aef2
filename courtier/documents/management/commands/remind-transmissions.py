"""`courtier remind-transmissions`: email each client once about every document it owes the
broker past its due date (DOMAIN §7). Run daily: `0 7 * * 1-5 courtier remind-transmissions`."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courtier.documents.services.requests import transmissions_remind_overdue


class Command(BaseCommand):
    help = _("Rappelle aux organismes, une fois, les documents dus au Courtier en retard.")

    def handle(self, *args, **options) -> None:
        count = transmissions_remind_overdue()
        self.stdout.write(_("%(n)s rappel(s) envoyé(s).") % {"n": count})
