"""Reads of the fees, always through ``permissions.scope``: the grid in force on a day, the
quarters and who owes them a report, the invoices and a client's statement, the fees by
quarter, client and type (issue 15 §4)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.calendar.rules import FiscalQuarter, FiscalYear
from courtier.contracts.models import Contract
from courtier.fees import rules
from courtier.fees.models import (
    AcquisitionReport,
    FeeGrid,
    GridState,
    Invoice,
    Kind,
    Payment,
    QuarterClosure,
)


def quarter_of(fiscal_year: int, number: int) -> FiscalQuarter:
    """Raises ValueError for a quarter that does not exist."""
    return FiscalQuarter(FiscalYear(int(fiscal_year)), int(number))


def report_days() -> int:
    return int(getattr(settings, "COURTIER_FEE_REPORT_DAYS", rules.DEFAULT_REPORT_DAYS))


def report_due_on(quarter: FiscalQuarter) -> date:
    return rules.report_due_on(quarter.end, report_days())


# --- grids ------------------------------------------------------------------------------------


def published_grids() -> list[FeeGrid]:
    """Every published grid with its lines, the latest effective date first (a few rows: one per
    tariff change)."""
    return list(
        FeeGrid.objects.filter(state=GridState.PUBLISHED)
        .order_by("-effective_on", "-version")
        .prefetch_related("lines")
    )


def grid_on(grids: Sequence[FeeGrid], day: date) -> FeeGrid | None:
    """Of ``published_grids()``, the one in force on ``day``: the latest effective date on or
    before it (001 §9.1)."""
    return next((grid for grid in grids if grid.effective_on <= day), None)


def grid_in_force(day: date) -> FeeGrid | None:
    return grid_on(published_grids(), day)


def grid_rules(grid: FeeGrid | None) -> list[rules.GridLine]:
    return [] if grid is None else [line.as_rule() for line in grid.lines.all()]


def grids_for(user: Any) -> QuerySet[FeeGrid]:
    return permissions.scope(user, FeeGrid.objects.prefetch_related("lines"))


# --- quarterly reports (004 §4.3) ---------------------------------------------------------------


def is_closed(quarter: FiscalQuarter) -> bool:
    return QuarterClosure.objects.filter(
        fiscal_year=quarter.fiscal_year.start_year, quarter=quarter.number
    ).exists()


def reports_for(user: Any) -> QuerySet[AcquisitionReport]:
    return permissions.scope(user, AcquisitionReport.objects.select_related("supplier", "filed_by"))


def latest_reports(quarter: FiscalQuarter) -> dict[int, AcquisitionReport]:
    """The latest version of each supplier's report for the quarter (the one that counts)."""
    found: dict[int, AcquisitionReport] = {}
    for report in AcquisitionReport.objects.filter(
        fiscal_year=quarter.fiscal_year.start_year, quarter=quarter.number
    ).order_by("supplier_id", "-version"):
        found.setdefault(report.supplier_id, report)
    return found


def quarterly_model_applies(quarter: FiscalQuarter) -> bool:
    """The grid in force on the quarter's last day charges a percentage of acquisitions."""
    return rules.applies(grid_rules(grid_in_force(quarter.end)), rules.FeeType.QUARTERLY)


def suppliers_owing(quarter: FiscalQuarter) -> QuerySet[Organisation]:
    """004 §4.3: under the quarterly model, every supplier or provider with a signed contract
    during the quarter owes a report for it (even one that lists nothing paid)."""
    if not quarterly_model_applies(quarter):
        return Organisation.objects.none()
    contracts = Contract.objects.filter(
        concluded_on__isnull=False, concluded_on__lte=quarter.end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))
    return Organisation.objects.filter(pk__in=contracts.values("supplier_id")).order_by("name")


@dataclass
class QuarterStatus:
    quarter: FiscalQuarter
    due_on: date
    closed: bool
    filed: list[AcquisitionReport] = field(default_factory=list)
    owing: set[int] = field(default_factory=set)  # the suppliers that owe a report for it
    missing: list[Organisation] = field(default_factory=list)  # owed, not filed, once due
    late: list[AcquisitionReport] = field(default_factory=list)  # filed after the due date


def quarter_status(quarter: FiscalQuarter, today: date) -> QuarterStatus:
    """The quarter's reports: filed (latest versions), missing once due, filed late."""
    latest = latest_reports(quarter)
    due = report_due_on(quarter)
    owing = list(suppliers_owing(quarter))
    status = QuarterStatus(
        quarter,
        due,
        is_closed(quarter),
        filed=list(latest.values()),
        owing={s.pk for s in owing},
    )
    if today > due:
        status.missing = [s for s in owing if s.pk not in latest]
    first_filed = dict(
        AcquisitionReport.objects.filter(
            fiscal_year=quarter.fiscal_year.start_year, quarter=quarter.number, version=1
        ).values_list("supplier_id", "filed_at")
    )
    status.late = [
        r
        for r in latest.values()
        if r.supplier_id in first_filed and timezone.localdate(first_filed[r.supplier_id]) > due
    ]
    return status


def recent_quarters(today: date, count: int = 4) -> list[FiscalQuarter]:
    """The quarter of ``today`` and the ``count - 1`` before it, latest first."""
    quarter = FiscalQuarter.for_date(today)
    found = [quarter]
    while len(found) < count:
        start = found[-1].start
        found.append(FiscalQuarter.for_date(date.fromordinal(start.toordinal() - 1)))
    return found


def ended_open_quarters(today: date) -> list[FiscalQuarter]:
    """The four quarters before today's that the broker has not closed, latest first: those
    whose reports may still be owed (004 §4.3)."""
    return [q for q in recent_quarters(today, count=5)[1:] if not is_closed(q)]


@dataclass(frozen=True)
class OwedReport:
    quarter: FiscalQuarter
    supplier: Organisation
    due_on: date

    def late(self, today: date) -> bool:
        return today > self.due_on


def reports_owed(today: date, supplier_ids: Iterable[int] | None = None) -> list[OwedReport]:
    """The reports owed and not filed for the ended, open quarters (latest first, suppliers by
    name), of ``supplier_ids`` only when given: a supplier's work, the broker's reminders."""
    found: list[OwedReport] = []
    for quarter in ended_open_quarters(today):
        owing = suppliers_owing(quarter)
        if supplier_ids is not None:
            owing = owing.filter(pk__in=list(supplier_ids))
        filed = latest_reports(quarter)
        due = report_due_on(quarter)
        found += [OwedReport(quarter, s, due) for s in owing if s.pk not in filed]
    return found


# --- invoices -------------------------------------------------------------------------------------


def _total(rows: QuerySet[Any], group: str, field: str) -> Coalesce:
    summed = rows.values(group).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=BigIntegerField()), Value(0))


def invoices_for(user: Any) -> QuerySet[Invoice]:
    """The invoices and credit notes the person sees, each with what was paid and credited on
    it (``paid_total``, ``credited_total``: in the same query, for a list's balances)."""
    rows = Invoice.objects.select_related("client", "contract", "amendment", "credits").annotate(
        paid_total=_total(
            Payment.objects.filter(invoice=OuterRef("pk")), "invoice", "amount_cents"
        ),
        credited_total=_total(
            Invoice.objects.filter(credits=OuterRef("pk"), kind=Kind.CREDIT_NOTE),
            "credits",
            "total_cents",
        ),
    )
    return permissions.scope(user, rows)


def paid_cents(invoice: Invoice) -> int:
    """Read from the row when ``invoices_for`` brought it; else counted now (a locked row)."""
    if hasattr(invoice, "paid_total"):
        return invoice.paid_total
    return invoice.payments.aggregate(s=Sum("amount_cents"))["s"] or 0


def credited_cents(invoice: Invoice) -> int:
    if hasattr(invoice, "credited_total"):
        return invoice.credited_total
    return (
        Invoice.objects.filter(credits=invoice, kind=Kind.CREDIT_NOTE).aggregate(
            s=Sum("total_cents")
        )["s"]
        or 0
    )


def balance_cents(invoice: Invoice) -> int:
    if invoice.is_credit_note:
        return 0
    return rules.balance_cents(invoice.total_cents, paid_cents(invoice), credited_cents(invoice))


@dataclass(frozen=True)
class StatementLine:
    day: date
    document: Invoice | None
    payment: Payment | None
    label: str
    debit_cents: int
    credit_cents: int
    balance_cents: int


def statement(user: Any, client: Organisation) -> list[StatementLine]:
    """The client's statement of account: its invoices (debit), credit notes and payments
    (credit) in date order with the running balance."""
    invoices = list(invoices_for(user).filter(client=client).order_by("issued_on", "number"))
    payments = list(
        permissions.scope(user, Payment.objects.select_related("invoice")).filter(
            invoice__client=client
        )
    )
    rows: list[tuple[date, int, Any]] = [(i.issued_on, 0, i) for i in invoices]
    rows += [(p.paid_on, 1, p) for p in payments]
    rows.sort(key=lambda row: (row[0], row[1], getattr(row[2], "pk", 0)))
    balance = 0
    lines: list[StatementLine] = []
    for day, _order, item in rows:
        if isinstance(item, Payment):
            balance -= item.amount_cents
            lines.append(
                StatementLine(day, None, item, item.invoice.number, 0, item.amount_cents, balance)
            )
        elif item.is_credit_note:
            balance -= item.total_cents
            lines.append(StatementLine(day, item, None, item.number, 0, item.total_cents, balance))
        else:
            balance += item.total_cents
            lines.append(StatementLine(day, item, None, item.number, item.total_cents, 0, balance))
    return lines


# --- the fees by quarter, client and type (issue 15 §4) --------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    quarter: FiscalQuarter
    client: str
    basis: str
    invoiced_cents: int  # subtotals of the invoices issued in the quarter
    credited_cents: int  # subtotals of the credit notes issued in the quarter

    @property
    def net_cents(self) -> int:
        return self.invoiced_cents - self.credited_cents


def fee_summary(user: Any, invoices: Iterable[Invoice] | None = None) -> list[SummaryRow]:
    """The fees (before taxes) by quarter of issue, client and type, latest quarter first; a
    credit note counts against its invoice's type."""
    found: dict[tuple[FiscalQuarter, str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = invoices if invoices is not None else invoices_for(user)
    for invoice in rows:
        key = (FiscalQuarter.for_date(invoice.issued_on), invoice.client.name, invoice.basis)
        found[key][1 if invoice.is_credit_note else 0] += invoice.subtotal_cents
    return [
        SummaryRow(q, client, basis, amounts[0], amounts[1])
        for (q, client, basis), amounts in sorted(
            found.items(), key=lambda item: (item[0][0], item[0][1], item[0][2]), reverse=False
        )
    ][::-1]
