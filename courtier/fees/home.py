"""What the fees await from whom (``core.workitems``), computed, never stored: the client's
people, its invoices to pay by their due date (001 §9.3); a supplier's representatives, the
quarterly report owed (004 §4.3) by its due date; the broker's billing staff, the ended quarters
to close, the invoices due to be issued and the overdue ones to follow up. The menu's « Frais
de gestion » and the contract page's link to its invoices."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.core import navigation, proposals, related, workitems
from courtier.core.formatting import money, quarter_label
from courtier.core.workitems import WorkItem
from courtier.fees import policies, rules, selectors
from courtier.fees.models import Invoice, InvoiceState, Kind
from courtier.fees.services.common import CLIENT_BILLING_ROLES, SUPPLIER_ROLES
from courtier.fees.services.invoices import amendments_to_bill, contracts_to_bill, invoice_url
from courtier.fees.workflow import INVOICE_WORKFLOW

# « Frais de gestion »: the broker's staff, clients' people (their invoices), suppliers' and
# providers' (their reports).
navigation.entry("fees", lambda user: policies.sees_invoices(user) or policies.sees_reports(user))

KIND = gettext_lazy("Frais de gestion")
FILE_REPORT = gettext_lazy("Déposer le rapport trimestriel des acquisitions")
CLOSE_QUARTER = gettext_lazy("Clore le trimestre et facturer les frais")
ISSUE_DUE = gettext_lazy("Émettre les factures de frais de gestion dues")
FOLLOW_UP = gettext_lazy("Relancer la facture en retard")
RELATED = gettext_lazy("Factures de frais de gestion")


def _client_items(clients: dict[int, str]) -> Iterator[WorkItem]:
    for invoice in Invoice.objects.filter(
        client_id__in=list(clients), kind=Kind.INVOICE, state__in=list(rules.OPEN_STATES)
    ).order_by("due_on", "number"):
        awaiting = INVOICE_WORKFLOW.awaits[invoice.state]
        yield WorkItem(
            key=f"fees.invoice:{invoice.pk}:{invoice.state}",
            title=f"{awaiting.label} {invoice.number}",
            url=invoice_url(invoice),
            kind=str(KIND),
            detail=money(invoice.total_cents),
            organisation=clients[invoice.client_id],
            # 001 §9.3: payable within 30 days of its issue.
            due_on=invoice.due_on,
        )


def _supplier_items(suppliers: dict[int, str], today: Any) -> Iterator[WorkItem]:
    for owed in selectors.reports_owed(today, suppliers):
        quarter = owed.quarter
        yield WorkItem(
            key=f"fees.report:{owed.supplier.pk}:{quarter.fiscal_year.start_year}-{quarter.number}",
            title=f"{FILE_REPORT} — {quarter_label(quarter)}",
            url=reverse("fees:report_new", args=[quarter.fiscal_year.start_year, quarter.number]),
            kind=str(KIND),
            detail=f"{quarter.start.isoformat()} – {quarter.end.isoformat()}",
            organisation=suppliers[owed.supplier.pk],
            due_on=owed.due_on,
        )


def _broker_items(today: Any) -> Iterator[WorkItem]:
    broker = str(_("Courtier"))
    for quarter in selectors.ended_open_quarters(today):
        due = selectors.report_due_on(quarter)
        # Something to close: reports filed, or suppliers that owe one (004 §4.3).
        if selectors.latest_reports(quarter) or selectors.suppliers_owing(quarter).exists():
            yield WorkItem(
                key=f"fees.quarter:{quarter.fiscal_year.start_year}-{quarter.number}",
                title=f"{CLOSE_QUARTER} — {quarter_label(quarter)}",
                url=reverse("fees:quarter", args=[quarter.fiscal_year.start_year, quarter.number]),
                kind=str(KIND),
                organisation=broker,
                due_on=due,
            )
    due_count = len(contracts_to_bill()) + len(amendments_to_bill())
    if due_count:
        yield WorkItem(
            key="fees.issue_due",
            title=str(ISSUE_DUE),
            url=reverse("fees:invoices"),
            kind=str(KIND),
            detail=str(due_count),
            organisation=broker,
        )
    for invoice in Invoice.objects.filter(state=InvoiceState.OVERDUE).select_related("client"):
        yield WorkItem(
            key=f"fees.overdue:{invoice.pk}",
            title=f"{FOLLOW_UP} {invoice.number}",
            url=invoice_url(invoice),
            kind=str(KIND),
            detail=f"{invoice.client.name} — {money(invoice.total_cents)}",
            organisation=broker,
            due_on=invoice.due_on,
        )


@workitems.provider("fees")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    if policies.bills(user):
        items.extend(_broker_items(today))
    clients = organisations_with_role(user, CLIENT_BILLING_ROLES)
    if clients:
        items.extend(_client_items(clients))
    suppliers = organisations_with_role(user, SUPPLIER_ROLES)
    if suppliers:
        items.extend(_supplier_items(suppliers, today))
    return items


@related.contributor("contracts.contract", "fees")
def contract_links(contract: Any, user: Any) -> list[related.Link]:
    """The contract page's link to the fee invoices that bill it (002 §4.2, §4.5): for the
    broker's staff and the client's people, who see them."""
    if not policies.sees_invoices(user) or not permissions.can_view(user, contract):
        return []
    invoices = list(selectors.invoices_for(user).filter(contract_id=contract.pk))
    if not invoices:
        return []
    detail = ", ".join(f"{i.number} ({i.get_state_display()})" for i in invoices)
    return [
        related.Link(str(RELATED), reverse("fees:invoices") + f"?contract={contract.pk}", detail)
    ]


@proposals.provider("amendment_fee")
def amendment_fee(day: Any) -> int | None:
    """002 §4.5: the fee per amendment of the grid in force on ``day`` (the broker's form to
    prepare an amendment proposes it; the amendment states the fee it then fixes)."""
    return rules.fee_cents(
        selectors.grid_rules(selectors.grid_in_force(day)), rules.FeeType.AMENDMENT, 0
    )
