"""`courtier retention [--dry-run] [--date AAAA-MM-JJ]`: recompute every kept document's disposal
date (DOMAIN §7), then list the documents due for disposal and why, and those a legal hold
keeps. ``--dry-run`` writes nothing. Run daily (e.g. `15 5 * * * courtier retention`); the
broker's records staff see the same list in « Ce qui m'attend » and approve each disposal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from courtier.core.commands import DatedCommand
from courtier.documents.selectors import due_for_disposal, held_past_due
from courtier.documents.services.retention import disposal_reason, retention_refresh


class Command(DatedCommand):
    help = _("Recalcule les dates de disposition et liste les documents à éliminer.")

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("N'écrit rien : liste seulement.")
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = self.day(options)
        # A dry run computes exactly what a run would, in a transaction it then rolls back.
        with transaction.atomic():
            self._run(today, dry_run)
            transaction.set_rollback(dry_run)

    def _run(self, today: date, dry_run: bool) -> None:
        changed = retention_refresh()
        template = (
            _("%(n)s date(s) de disposition changeraient (simulation : rien n'est écrit).")
            if dry_run
            else _("%(n)s date(s) de disposition recalculée(s).")
        )
        self.stdout.write(template % {"n": changed})
        due = list(due_for_disposal(today))
        self.stdout.write(
            _("%(n)s document(s) à éliminer au %(day)s :") % {"n": len(due), "day": today}
        )
        for document in due:
            self.stdout.write(f"  [{document.pk}] {self._line(document)}")
        held = list(held_past_due(today))
        if held:
            self.stdout.write(
                _("%(n)s document(s) échu(s) retenu(s) par un blocage juridique :")
                % {"n": len(held)}
            )
            for document in held:
                self.stdout.write(f"  [{document.pk}] {self._line(document)}")

    @staticmethod
    def _line(document: Any) -> str:
        return (
            f"{document.type_label} « {document.title} » ({document.owner.name}) : "
            f"{disposal_reason(document)}"
        )
