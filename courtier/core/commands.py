"""What the daily commands share: the day they consider, ``--date AAAA-MM-JJ`` or today in
America/Toronto, so that a missed run can be caught up and a test can name its day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _


class DatedCommand(BaseCommand):
    """A command run once a day (cron) for one day, ``--date`` or today."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help=_("Le jour considéré (AAAA-MM-JJ), aujourd'hui sinon."))

    @staticmethod
    def day(options: dict[str, Any]) -> date:
        value = options.get("date")
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                _("--date : attendu AAAA-MM-JJ, reçu « %(v)s ».") % {"v": value}
            ) from None
