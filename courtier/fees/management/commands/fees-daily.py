"""`courtier fees-daily [--date AAAA-MM-JJ]`: the fees' daily moves (DOMAIN §6; issue 15): the
invoices due are issued (each concluded contract and signed amendment not billed yet, at the
grid in force on its triggering date), the invoices unpaid past their due date are marked
overdue (001 §9.3) and their client's people told, the suppliers whose quarterly report is
missing past its due date are reminded once (004 §4.3). Run daily, e.g.
`20 0 * * * courtier fees-daily`; a second run the same day does nothing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from courtier.core.commands import DatedCommand
from courtier.fees.services.invoices import invoices_issue_due
from courtier.fees.services.payments import invoices_mark_overdue
from courtier.fees.services.reports import reports_remind


class Command(DatedCommand):
    help = _(
        "Émet les factures de frais dues, constate les retards de paiement et rappelle les "
        "rapports trimestriels manquants."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        day = self.day(options)
        issued = invoices_issue_due(by=None, today=day)
        self.stdout.write(
            _("%(n)s facture(s) émise(s) : %(refs)s")
            % {"n": len(issued), "refs": ", ".join(i.number for i in issued) or "-"}
        )
        overdue = invoices_mark_overdue(today=day)
        self.stdout.write(
            _("%(n)s facture(s) en retard de paiement : %(refs)s")
            % {"n": len(overdue), "refs": ", ".join(i.number for i in overdue) or "-"}
        )
        reminded = reports_remind(today=day)
        self.stdout.write(_("%(n)s rappel(s) de rapport trimestriel envoyé(s)") % {"n": reminded})
