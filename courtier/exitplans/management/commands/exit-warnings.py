"""`courtier exit-warnings [--date AAAA-MM-JJ]`: the warning before a solutions contract's end
(DOMAIN §5.9; 002 §4.9): the client's people of each contract in force whose exit plan is not
submitted are told once, from the configured months before its end
(``COURTIER_EXIT_WARNING_MONTHS``, 9 by default). Run daily, e.g.
`15 0 * * * courtier exit-warnings`; a second run the same day warns nobody."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from courtier.core.commands import DatedCommand
from courtier.exitplans.services.warnings import exit_warnings_send


class Command(DatedCommand):
    help = _("Avise les clients de planifier la transition à la sortie de leurs contrats.")

    def handle(self, *args: Any, **options: Any) -> None:
        warned = exit_warnings_send(self.day(options))
        self.stdout.write(
            _("%(n)s avis de sortie envoyé(s) : %(refs)s")
            % {"n": len(warned), "refs": ", ".join(warned) or "-"}
        )
