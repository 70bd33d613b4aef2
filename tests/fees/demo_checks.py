"""The demo fees (`courtier demo`, issue 15 « Done when »: the demo has a fee grid, filed and
missing quarterly reports, issued, paid and overdue invoices, and a credit note): on its Monday
2026-11-16, the older grid (v1, 2025-04-01, a percentage) and the current one (v2, 2026-10-01,
per contract and per amendment); Nuagique's T2 2026-2027 report filed, Boréale's missing and
past due (reminded); T2 closed and billed to the Ministère de l'Enseignement supérieur, that
invoice overdue; the amendment's invoice partly credited, then paid."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.core import workitems
from courtier.fees import demo, selectors
from courtier.fees.models import (
    AcquisitionReport,
    Basis,
    FeeGrid,
    GridState,
    Invoice,
    InvoiceState,
    Kind,
    Payment,
    ReportReminder,
)

MONDAY = date(2026, 11, 16)
T2 = selectors.quarter_of(2026, 2)  # July-September 2026, the last under the older model
BOREALE = "Solutions Boréales Infonuagiques ltée"
NUAGIQUE = "Nuagique Québec inc."


def invoice(basis: str) -> Invoice:
    return Invoice.objects.select_related("client").get(kind=Kind.INVOICE, basis=basis)


def person(email: str) -> User:
    return User.objects.get(email=email)


@pytest.mark.usefixtures("loaded")
class TestTheDemoFees:
    def test_the_older_and_the_current_grid_are_published(self):
        older, current = FeeGrid.objects.order_by("version")
        assert (older.version, older.effective_on, older.state) == (
            1,
            date(2025, 4, 1),
            GridState.PUBLISHED,
        )
        assert [(line.fee_type, line.rate_bp) for line in older.lines.all()] == [("quarterly", 150)]
        assert (current.version, current.effective_on) == (2, date(2026, 10, 1))
        types = sorted(line.fee_type for line in current.lines.all())
        assert types == ["amendment", "contract", "contract"]  # two brackets per contract
        assert selectors.grid_in_force(MONDAY) == current
        assert selectors.grid_in_force(T2.end) == older
        assert older.supporting_version_id and current.supporting_version_id  # their PDFs

    def test_nuagique_filed_its_t2_report_and_boreale_s_is_missing_and_past_due(self):
        status = selectors.quarter_status(T2, MONDAY)
        assert [r.supplier.name for r in status.filed] == [NUAGIQUE]
        [report] = status.filed
        assert report.version == 1 and report.total_cents > 0 and report.document_id
        assert T2.contains(report.lines.get().paid_on)
        assert [s.name for s in status.missing] == [BOREALE]
        assert status.due_on == date(2026, 10, 15) < MONDAY
        assert ReportReminder.objects.filter(
            supplier__name=BOREALE, fiscal_year=2026, quarter=2
        ).exists()
        assert AuditEvent.objects.filter(action="acquisition_report.filed").count() == 1

    def test_t2_was_closed_and_its_invoice_is_overdue(self):
        assert status_closed()
        overdue = invoice(Basis.QUARTERLY)
        assert (overdue.quarter_year, overdue.quarter) == (2026, 2)
        assert overdue.state == InvoiceState.OVERDUE and overdue.due_on < MONDAY
        assert overdue.grid.version == 1 and overdue.document_id  # its PDF rendered
        assert selectors.balance_cents(overdue) == overdue.total_cents
        assert AuditEvent.objects.filter(
            action="invoice.mark_overdue", object_id=str(overdue.pk)
        ).exists()

    def test_the_amendment_s_invoice_was_partly_credited_then_paid(self):
        paid = invoice(Basis.AMENDMENT)
        assert paid.state == InvoiceState.PAID and paid.grid.version == 2
        [note] = Invoice.objects.filter(kind=Kind.CREDIT_NOTE)
        assert note.credits == paid and note.subtotal_cents == demo.CREDIT_CENTS
        assert note.number.startswith("NC-2026-2027-") and note.document_id
        payment = Payment.objects.get(invoice=paid)
        assert payment.amount_cents == paid.total_cents - note.total_cents
        assert selectors.balance_cents(paid) == 0
        lines = selectors.statement(person("finances@mes.example"), paid.client)
        assert {line.label for line in lines} >= {paid.number, note.number}

    def test_the_client_s_people_see_their_invoices_and_the_overdue_one_awaits_them(self):
        finance = person("finances@mes.example")
        assert selectors.invoices_for(finance).count() == Invoice.objects.count() == 3
        assert selectors.invoices_for(person("acquisitions@cegep-sainte-foy.example")).count() == 0
        overdue = invoice(Basis.QUARTERLY)
        keys = [i.key for i in workitems.items_for(finance) if i.key.startswith("fees.")]
        assert keys == [f"fees.invoice:{overdue.pk}:overdue"]
        agent = [i.key for i in workitems.items_for(person("agent@courtier.example"))]
        assert f"fees.overdue:{overdue.pk}" in agent

    def test_the_suppliers_see_only_their_own_reports(self):
        assert selectors.reports_for(person("representant@nuagique.example")).count() == 1
        assert selectors.reports_for(person("representant@boreales.example")).count() == 0
        assert selectors.reports_for(person("agent@courtier.example")).count() == 1

    def test_loading_the_fees_again_changes_nothing(self):
        models = (FeeGrid, AcquisitionReport, Invoice, Payment, ReportReminder, AuditEvent)
        before = [model.objects.count() for model in models]
        demo.load()
        assert [model.objects.count() for model in models] == before


def status_closed() -> bool:
    return selectors.quarter_status(T2, MONDAY).closed
