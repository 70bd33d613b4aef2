"""`courtier contracts-daily [--date AAAA-MM-JJ]`: the moves the dates make (002 §4.4): each
concluded contract whose start date has come enters into force, each contract in force past its
planned last day ends (its documents' disposal dates move, DOMAIN §7). Run daily, e.g.
`5 0 * * * courtier contracts-daily`; a second run the same day moves nothing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from courtier.contracts.services.dates import contracts_daily
from courtier.core.commands import DatedCommand


class Command(DatedCommand):
    help = _("Fait entrer en vigueur et arriver à échéance les contrats à leurs dates.")

    def handle(self, *args: Any, **options: Any) -> None:
        moved = contracts_daily(self.day(options))
        self.stdout.write(
            _("%(n)s contrat(s) entré(s) en vigueur : %(refs)s")
            % {"n": len(moved["in_force"]), "refs": ", ".join(moved["in_force"]) or "-"}
        )
        self.stdout.write(
            _("%(n)s contrat(s) arrivé(s) à échéance : %(refs)s")
            % {"n": len(moved["ended"]), "refs": ", ".join(moved["ended"]) or "-"}
        )
