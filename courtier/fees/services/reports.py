"""The suppliers' quarterly acquisition reports (004 §4.3): for each fiscal quarter, the invoices
its clients paid in it (an acquisition is a paid invoice, not consumption), by form or CSV.
Every line is checked (the contract exists and is the supplier's, the client is the contract's,
paid inside the quarter, a positive amount): the whole report is refused with every bad line
named, nothing written, or accepted as a new version (a correction, until the broker closes the
quarter). The broker closes a quarter and bills each client its percentage; a supplier whose
report is missing once due is reminded (once) by the daily job."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts.models import Organisation
from courtier.calendar.rules import FiscalQuarter
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract
from courtier.core.formatting import long_date
from courtier.core.mail import notify
from courtier.core.validation import dollars_to_cents
from courtier.documents.services.store import document_keep
from courtier.fees import messages, policies, rules, selectors
from courtier.fees.models import (
    AcquisitionLine,
    AcquisitionReport,
    Invoice,
    QuarterClosure,
    ReportReminder,
)
from courtier.fees.services.common import record, require_biller, supplier_emails
from courtier.fees.services.invoices import invoice_issue_for_quarter

REMINDER_TEMPLATE = "fees/email/report_reminder"
# The CSV's columns (a header row), in this order; « ; » or « , » between them.
COLUMNS = ("contrat", "client", "facture", "payee_le", "montant")
# The contract states in which it binds its parties (paid invoices may be reported after it
# ended: the acquisitions of its last quarter).
REPORTABLE_STATES = contract_rules.SIGNED_STATES | {"ended", "terminated"}


def report_url(report: AcquisitionReport) -> str:
    return reverse("fees:report", args=[report.pk])


def parse_csv(content: bytes) -> list[rules.ReportLine]:
    """The report's lines from a CSV (UTF-8, with or without BOM; header row of ``COLUMNS``).
    Unreadable dates and amounts are named by line; the rules check the rest."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": messages.CSV_UNREADABLE}) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:  # a NUL byte or an oversized field is unreadable, not an error of ours
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        raise ValidationError({"file": messages.CSV_UNREADABLE}) from None
    header = (
        [cell.strip().casefold().replace("é", "e").replace(" ", "_") for cell in rows[0]]
        if rows
        else []
    )
    if tuple(header) != COLUMNS:
        raise ValidationError(
            {"file": str(messages.CSV_COLUMNS).format(columns=" ; ".join(COLUMNS))}
        )
    problems: list[str] = []
    lines: list[rules.ReportLine] = []
    for n, row in enumerate(rows[1:], start=1):
        cells = [cell.strip() for cell in row] + [""] * (len(COLUMNS) - len(row))
        paid_on, amount = None, None
        if cells[3]:
            try:
                paid_on = date.fromisoformat(cells[3])
            except ValueError:
                problems.append(str(messages.DATE_UNREADABLE).format(n=n))
        if cells[4]:
            try:
                amount = dollars_to_cents(cells[4])
            except ValidationError:
                problems.append(str(messages.AMOUNT_UNREADABLE).format(n=n))
        lines.append(rules.ReportLine(cells[0], cells[1], cells[2], paid_on, amount))
    if problems:
        raise ValidationError({"lines": problems})
    return lines


def _facts(references: Sequence[str]) -> dict[str, rules.ContractFacts]:
    return {
        c.reference: rules.ContractFacts(
            supplier_id=c.supplier_id,
            client_id=c.client_id,
            client_name=c.client.name,
            signed=c.state in REPORTABLE_STATES and c.concluded_on is not None,
        )
        for c in Contract.objects.filter(reference__in=set(references)).select_related("client")
    }


def _problems(
    lines: Sequence[rules.ReportLine], supplier_id: int, quarter: FiscalQuarter
) -> list[str]:
    facts = _facts([line.contract for line in lines])
    repeated = rules.duplicate_invoices(lines)
    found: list[str] = []
    for n, line in enumerate(lines, start=1):
        kinds = rules.line_problems(
            line,
            supplier_id=supplier_id,
            quarter_start=quarter.start,
            quarter_end=quarter.end,
            contracts=facts,
        )
        if n in repeated:
            kinds.append(rules.LineProblem.DUPLICATE)
        for kind in kinds:
            found.append(
                str(messages.LINE_PROBLEMS[kind]).format(
                    n=n,
                    contract=line.contract,
                    client=line.client,
                    invoice=line.invoice,
                    paid_on=line.paid_on.isoformat() if line.paid_on else "",
                    start=long_date(quarter.start),
                    end=long_date(quarter.end),
                )
            )
    return found


def _same(report: AcquisitionReport, lines: Sequence[rules.ReportLine]) -> bool:
    kept = [
        (line.contract.reference, line.invoice, line.paid_on, line.amount_cents)
        for line in report.lines.select_related("contract")
    ]
    given = [(line.contract, line.invoice, line.paid_on, line.amount_cents) for line in lines]
    return sorted(kept) == sorted(given)


@transaction.atomic
def acquisition_report_file(
    *,
    by: Any,
    supplier: Organisation,
    quarter: FiscalQuarter,
    lines: Sequence[rules.ReportLine],
    source: tuple[str, bytes] | None = None,
    today: date | None = None,
) -> AcquisitionReport:
    """File the supplier's report for ``quarter`` (a new version if one exists). Refused as a
    whole, nothing written, when a line is wrong: every bad line named under « lines ». An
    identical report filed again (a replayed form) returns the version already filed."""
    if supplier.pk not in policies.files_reports_for(by):
        raise PermissionDenied
    today = today or timezone.localdate()
    if quarter.start > today:
        raise ValidationError({"quarter": messages.QUARTER_FUTURE})
    if selectors.is_closed(quarter):
        raise ValidationError({"quarter": messages.QUARTER_CLOSED})
    if len(lines) > rules.MAX_REPORT_LINES:
        raise ValidationError(
            {"lines": str(messages.REPORT_TOO_LONG).format(limit=rules.MAX_REPORT_LINES)}
        )
    problems = _problems(lines, supplier.pk, quarter)
    if problems:
        raise ValidationError({"lines": [str(messages.REPORT_REFUSED), *problems]})
    year, number = quarter.fiscal_year.start_year, quarter.number
    # The supplier's reports of the quarter, locked: two filings at once number one after other.
    kept = list(
        AcquisitionReport.objects.select_for_update()
        .filter(supplier=supplier, fiscal_year=year, quarter=number)
        .order_by("-version")
    )
    if kept and _same(kept[0], lines):
        return kept[0]
    contracts = {
        c.reference: c
        for c in Contract.objects.filter(reference__in={line.contract for line in lines})
    }
    try:
        with transaction.atomic():
            report = AcquisitionReport.objects.create(
                supplier=supplier,
                fiscal_year=year,
                quarter=number,
                version=(kept[0].version if kept else 0) + 1,
                total_cents=sum(line.amount_cents or 0 for line in lines),
                filed_by=by,
            )
    except IntegrityError:  # a concurrent filing took this version: the caller may retry
        raise ValidationError({"quarter": messages.REPORT_UNCHANGED}) from None
    AcquisitionLine.objects.bulk_create(
        AcquisitionLine(
            report=report,
            contract=contracts[line.contract],
            client_id=contracts[line.contract].client_id,
            invoice=line.invoice[:60],
            paid_on=line.paid_on,
            amount_cents=line.amount_cents,
        )
        for line in lines
    )
    if source is not None:
        name, content = source
        report.document = document_keep(
            by=by,
            subject=report,
            type="acquisition_report",
            title=f"Rapport trimestriel des acquisitions {quarter.label} v{report.version}",
            name=name,
            content=content,
        )
        report.save(update_fields=["document"])
    record(
        by,
        "acquisition_report.filed",
        report,
        supplier.pk,
        {"version": kept[0].version, "total_cents": kept[0].total_cents} if kept else None,
        {
            "quarter": quarter.label,
            "version": report.version,
            "lines": len(lines),
            "total_cents": report.total_cents,
        },
    )
    return report


@transaction.atomic
def quarter_close(*, by: Any, quarter: FiscalQuarter, today: date | None = None) -> list[Invoice]:
    """The broker closes an ended quarter: its reports no longer change, and each client is
    billed the percentage of the grid in force on the quarter's last day of its acquisitions
    reported (004 §4.3), one invoice per client."""
    require_biller(by)
    today = today or timezone.localdate()
    if quarter.end >= today:
        raise ValidationError({"quarter": messages.QUARTER_NOT_ENDED})
    try:
        with transaction.atomic():
            closure = QuarterClosure.objects.create(
                fiscal_year=quarter.fiscal_year.start_year, quarter=quarter.number, closed_by=by
            )
    except IntegrityError:
        raise ValidationError({"quarter": messages.QUARTER_ALREADY_CLOSED}) from None
    grid = selectors.grid_in_force(quarter.end)
    by_client: dict[int, list[tuple[Contract, int]]] = defaultdict(list)
    reports = selectors.latest_reports(quarter)
    for line in AcquisitionLine.objects.filter(report__in=list(reports.values())).select_related(
        "contract"
    ):
        by_client[line.client_id].append((line.contract, line.amount_cents))
    invoices: list[Invoice] = []
    if grid is not None and rules.applies(selectors.grid_rules(grid), rules.FeeType.QUARTERLY):
        clients = Organisation.objects.in_bulk(list(by_client))
        for client_id in sorted(by_client, key=lambda pk: clients[pk].name):
            invoice = invoice_issue_for_quarter(
                by=by,
                quarter=quarter,
                client=clients[client_id],
                grid=grid,
                lines=by_client[client_id],
                today=today,
            )
            if invoice is not None:
                invoices.append(invoice)
    record(
        by,
        "quarter.closed",
        closure,
        None,
        None,
        {
            "quarter": quarter.label,
            "reports": len(reports),
            "invoices": [invoice.number for invoice in invoices],
        },
    )
    return invoices


def reports_remind(*, today: date | None = None) -> int:
    """The daily job: each supplier that owes a report for an ended, open quarter and has not
    filed it by its due date is reminded once (its representatives emailed)."""
    today = today or timezone.localdate()
    sent = 0
    for owed in selectors.reports_owed(today):
        if not owed.late(today):
            continue
        quarter, supplier = owed.quarter, owed.supplier
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(
                supplier=supplier,
                fiscal_year=quarter.fiscal_year.start_year,
                quarter=quarter.number,
                defaults={"sent_on": today},
            )
            if not created:
                continue
            record(
                None,
                "acquisition_report.reminded",
                supplier,
                supplier.pk,
                None,
                {"quarter": quarter.label, "due_on": owed.due_on.isoformat()},
            )
            notify(
                to=supplier_emails(supplier.pk),
                template=REMINDER_TEMPLATE,
                context={
                    "supplier": supplier.name,
                    "quarter": quarter.label,
                    "due_on": owed.due_on,
                    "url": reverse("fees:reports"),
                },
            )
            sent += 1
    return sent
