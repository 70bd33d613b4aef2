"""The fee services on a real database (issue 15; DOMAIN §6): the grid in force on each date
decides the model and the amount; a supplier's quarterly report is accepted whole or refused
whole with every bad line named and nothing written (004 §4.3); closing the quarter bills each
client its percentage; invoices per contract and amendment carry the GST and the QST, are
numbered without gaps, payable in 30 days (001 §9.3), paid or overdue; a credit note leaves the
invoice unchanged and both appear in the client's statement. Each change leaves its audit row."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.core import proposals, related, workitems
from courtier.fees import home, messages, selectors
from courtier.fees.models import (
    AcquisitionLine,
    AcquisitionReport,
    FeeGrid,
    GridState,
    Invoice,
    InvoiceState,
    Kind,
    NumberCounter,
)
from courtier.fees.rules import ReportLine
from courtier.fees.services import grids as grid_services
from courtier.fees.services import invoices, payments, reports
from tests.acquisitions.test_documents import pdf_text, printed
from tests.fees import factories as f
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(f.world)

TORONTO = ZoneInfo("America/Toronto")
T3 = selectors.quarter_of(2026, 3)  # October-December 2026
T4 = selectors.quarter_of(2026, 4)  # January-March 2027


@pytest.fixture
def contracts(world):
    made = world[2]
    return Contract.objects.get(pk=made["old"]), Contract.objects.get(pk=made["new"])


@pytest.fixture
def grids(db):
    return f.both_models()


def written() -> tuple[int, int, int, int]:
    return (
        AcquisitionReport.objects.count(),
        AcquisitionLine.objects.count(),
        Invoice.objects.count(),
        AuditEvent.objects.count(),
    )


def line(contract: Contract, paid_on: date, cents: int = 1_000_000, **values) -> ReportLine:
    return ReportLine(
        values.get("reference", contract.reference),
        values.get("client", contract.client.name),
        values.get("invoice", f"INV-{paid_on.isoformat()}-{cents}"),
        paid_on,
        cents,
    )


# --- the quarter's report and its boundaries (004 §4.3) -------------------------------------------


def test_a_payment_on_march_31_belongs_to_q4_and_one_on_april_1_to_the_next_q1():
    """004 §4.3: 2027-03-31 is in T4 2026-2027; 2027-04-01 in T1 2027-2028."""
    assert selectors.quarter_of(2026, 4).contains(date(2027, 3, 31))
    assert not selectors.quarter_of(2026, 4).contains(date(2027, 4, 1))
    assert selectors.quarter_of(2027, 1).contains(date(2027, 4, 1))


def test_the_report_of_q4_accepts_march_31_and_refuses_april_1_with_nothing_written(
    contracts, grids, people, orgs
):
    new = contracts[1]
    rep = people["supplier_rep"]
    before = written()
    with pytest.raises(ValidationError) as refused:
        reports.acquisition_report_file(
            by=rep,
            supplier=orgs["supplier"],
            quarter=T4,
            lines=[line(new, date(2027, 3, 31)), line(new, date(2027, 4, 1))],
            today=date(2027, 4, 2),
        )
    assert written() == before
    problems = refused.value.message_dict["lines"]
    assert problems[0] == str(messages.REPORT_REFUSED)
    assert len(problems) == 2 and problems[1].startswith("ligne 2 : payée le 2027-04-01")
    report = reports.acquisition_report_file(
        by=rep,
        supplier=orgs["supplier"],
        quarter=T4,
        lines=[line(new, date(2027, 3, 31))],
        today=date(2027, 4, 2),
    )
    assert (report.version, report.total_cents) == (1, 1_000_000)
    audit = AuditEvent.objects.get(action="acquisition_report.filed", object_id=str(report.pk))
    assert audit.after["quarter"] == "T4 2026-2027"


def test_another_supplier_s_contract_is_refused_by_line_and_nothing_is_written(
    contracts, grids, people, orgs
):
    old, new = contracts  # old: Fournisseur E's, new: Fournisseur D's (the rep's)
    before = written()
    with pytest.raises(ValidationError) as refused:
        reports.acquisition_report_file(
            by=people["supplier_rep"],
            supplier=orgs["supplier"],
            quarter=T3,
            lines=[
                line(new, date(2026, 10, 20)),
                line(old, date(2026, 11, 3)),
                line(new, date(2026, 11, 4), cents=0),
                line(new, date(2026, 11, 5), client="Organisme B"),
            ],
            today=date(2027, 1, 5),
        )
    assert written() == before
    problems = refused.value.message_dict["lines"]
    assert any(
        p.startswith(f"ligne 2 : le contrat {old.reference} n'est pas le vôtre") for p in problems
    )
    assert any(p.startswith("ligne 3 : le montant") for p in problems)
    assert any(p.startswith("ligne 4 : le client") for p in problems)
    assert not any(p.startswith("ligne 1") for p in problems)


def test_a_report_is_filed_only_by_its_own_supplier(contracts, grids, people, orgs):
    with pytest.raises(PermissionDenied):
        reports.acquisition_report_file(
            by=people["supplier_rep"],
            supplier=orgs["supplier_other"],
            quarter=T3,
            lines=[],
            today=date(2027, 1, 5),
        )


def test_a_corrected_report_is_a_new_version_until_the_quarter_is_closed(
    contracts, grids, people, orgs
):
    new = contracts[1]
    rep, agent = people["supplier_rep"], people["broker_agent"]
    first = reports.acquisition_report_file(
        by=rep,
        supplier=orgs["supplier"],
        quarter=T3,
        lines=[line(new, date(2026, 12, 1))],
        today=date(2027, 1, 5),
    )
    again = reports.acquisition_report_file(
        by=rep,
        supplier=orgs["supplier"],
        quarter=T3,
        lines=[line(new, date(2026, 12, 1))],
        today=date(2027, 1, 5),
    )
    assert again.pk == first.pk  # the same report filed twice: nothing new
    second = reports.acquisition_report_file(
        by=rep,
        supplier=orgs["supplier"],
        quarter=T3,
        lines=[line(new, date(2026, 12, 1)), line(new, date(2026, 12, 2), cents=500_000)],
        today=date(2027, 1, 6),
    )
    assert second.version == 2
    billed = reports.quarter_close(by=agent, quarter=T3, today=date(2027, 1, 20))
    # The grid in force on 2026-12-31 (v2, per contract) charges no percentage: nothing billed.
    assert billed == []
    with pytest.raises(ValidationError) as refused:
        reports.acquisition_report_file(
            by=rep,
            supplier=orgs["supplier"],
            quarter=T3,
            lines=[line(new, date(2026, 12, 3))],
            today=date(2027, 1, 21),
        )
    assert refused.value.message_dict["quarter"] == [str(messages.QUARTER_CLOSED)]


def test_closing_a_quarter_under_the_older_model_bills_its_percentage(contracts, people, orgs):
    f.published_grid(date(2025, 4, 1), f.OLD_MODEL, 1)
    new = contracts[1]
    reports.acquisition_report_file(
        by=people["supplier_rep"],
        supplier=orgs["supplier"],
        quarter=T3,
        lines=[line(new, date(2026, 11, 1), 1_000_000), line(new, date(2026, 12, 31), 333_333)],
        today=date(2027, 1, 5),
    )
    [invoice] = reports.quarter_close(
        by=people["broker_agent"], quarter=T3, today=date(2027, 1, 20)
    )
    # 1.5 % of 13,333.33 $ = 199.99995 $ → 200.00 $ (half-up), then the taxes on it.
    assert (invoice.subtotal_cents, invoice.gst_cents, invoice.qst_cents) == (20_000, 1_000, 1_995)
    assert invoice.number == "F-2026-2027-00001" and invoice.due_on == date(2027, 2, 19)
    assert invoice.client == new.client and invoice.quarter == 3


# --- invoices per contract and amendment, numbers ------------------------------------------------


def test_the_grid_in_force_when_the_contract_was_concluded_decides_its_fee(
    contracts, grids, people
):
    old, new = contracts  # old concluded 2026-01-15 (grid v1: quarterly); new 2026-10-15 (v2)
    assert selectors.grid_in_force(date(2026, 9, 30)).version == 1
    assert selectors.grid_in_force(date(2026, 10, 1)).version == 2
    agent = people["broker_agent"]
    with pytest.raises(ValidationError) as refused:
        invoices.invoice_issue_for_contract(by=agent, contract=old)
    assert refused.value.message_dict["contract"] == [str(messages.NOTHING_TO_BILL)]
    invoice = invoices.invoice_issue_for_contract(by=agent, contract=new, today=date(2026, 12, 4))
    assert invoice.grid.version == 2
    assert invoice.subtotal_cents == f.NEW_MODEL[0]["flat_cents"] or invoice.subtotal_cents > 0
    again = invoices.invoice_issue_for_contract(by=agent, contract=new, today=date(2026, 12, 4))
    assert again.pk == invoice.pk  # once per contract


def test_invoices_are_numbered_without_gaps_per_fiscal_year(contracts, grids, people):
    agent = people["broker_agent"]
    issued = invoices.invoices_issue_due(by=agent, today=date(2027, 3, 31))
    assert [i.number for i in issued] == ["F-2026-2027-00001"]
    note = invoices.credit_note_issue(
        by=agent, invoice=issued[0], subtotal_cents=10_000, reason="Erreur", today=date(2027, 4, 1)
    )
    assert note.number == "NC-2027-2028-00001"
    assert NumberCounter.objects.get(series="F", fiscal_year=2026).last == 1


def test_a_credit_note_leaves_the_invoice_unchanged_and_both_are_in_the_statement(
    contracts, grids, people
):
    agent, new = people["broker_agent"], contracts[1]
    invoice = invoices.invoice_issue_for_contract(by=agent, contract=new, today=date(2026, 12, 4))
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    note = invoices.credit_note_issue(
        by=agent,
        invoice=invoice,
        subtotal_cents=invoice.subtotal_cents,
        reason="Annulation",
        today=date(2026, 12, 5),
    )
    after = Invoice.objects.filter(pk=invoice.pk).values().get()
    assert {k: v for k, v in after.items() if k != "state"} == {
        k: v for k, v in before.items() if k != "state"
    }
    assert after["state"] == InvoiceState.CREDITED and note.credits_id == invoice.pk
    assert note.kind == Kind.CREDIT_NOTE and note.total_cents == invoice.total_cents
    lines = selectors.statement(people["client_finance"], new.client)
    assert [x.label for x in lines] == [invoice.number, note.number]
    assert lines[-1].balance_cents == 0


def test_payments_settle_the_invoice_and_the_daily_job_marks_it_overdue(contracts, grids, people):
    agent, new = people["broker_agent"], contracts[1]
    invoice = invoices.invoice_issue_for_contract(by=agent, contract=new, today=date(2026, 12, 4))
    assert payments.invoices_mark_overdue(today=date(2027, 1, 3)) == []  # due 2027-01-03
    [late] = payments.invoices_mark_overdue(today=date(2027, 1, 4))
    assert late.state == InvoiceState.OVERDUE
    with pytest.raises(ValidationError) as refused:
        payments.payment_record(
            by=agent,
            invoice=invoice,
            amount_cents=invoice.total_cents + 1,
            paid_on=date(2027, 1, 5),
            today=date(2027, 1, 6),
        )
    assert "amount_cents" in refused.value.message_dict
    payments.payment_record(
        by=agent,
        invoice=invoice,
        amount_cents=100,
        paid_on=date(2027, 1, 5),
        today=date(2027, 1, 6),
    )
    payments.payment_record(
        by=agent,
        invoice=invoice,
        amount_cents=invoice.total_cents - 100,
        paid_on=date(2027, 1, 6),
        today=date(2027, 1, 6),
    )
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_on) == (InvoiceState.PAID, date(2027, 1, 6))
    assert AuditEvent.objects.filter(action="invoice.settle", object_id=str(invoice.pk)).exists()


# --- the grid's versions, its publication and the PDFs -----------------------------------------


def test_a_published_grid_never_changes_and_joins_the_catalogue_s_supporting_documents(
    people, run_on_commit
):
    admin = people["broker_admin"]
    with pytest.raises(PermissionDenied):
        grid_services.fee_grid_create(
            by=people["broker_agent"], effective_on=date(2026, 12, 4), lines=f.NEW_MODEL
        )
    with pytest.raises(ValidationError) as refused:
        grid_services.fee_grid_create(
            by=admin, effective_on=date(2026, 12, 3), lines=f.NEW_MODEL, today=date(2026, 12, 4)
        )
    assert refused.value.message_dict["effective_on"] == [str(messages.GRID_EFFECTIVE_PAST)]
    grid = grid_services.fee_grid_create(
        by=admin, effective_on=date(2026, 12, 4), lines=f.NEW_MODEL, today=date(2026, 12, 4)
    )
    with run_on_commit():
        grid_services.fee_grid_publish(by=admin, grid=grid, today=date(2026, 12, 4))
    grid.refresh_from_db()
    assert grid.state == GridState.PUBLISHED and grid.supporting_version is not None
    text = pdf_text(grid.supporting_version.file.read_bytes())
    assert "Grille tarifaire des frais de gestion — version 1" in text
    assert "Frais par avenant préparé" in text
    with pytest.raises(ValidationError) as refused:
        grid_services.fee_grid_update(
            by=admin, grid=grid, effective_on=date(2026, 12, 5), lines=f.OLD_MODEL,
            today=date(2026, 12, 4),
        )  # fmt: skip
    assert refused.value.message_dict["grid"] == [str(messages.GRID_NOT_DRAFT)]
    assert AuditEvent.objects.filter(action="fee_grid.published", object_id=str(grid.pk)).exists()


def test_bad_grid_lines_are_refused_each_named(people):
    with pytest.raises(ValidationError) as refused:
        grid_services.fee_grid_create(
            by=people["broker_admin"],
            effective_on=date(2027, 1, 1),
            lines=[
                {"fee_type": "contract", "from_cents": 0, "to_cents": 100, "flat_cents": 1},
                {"fee_type": "contract", "from_cents": 50, "flat_cents": 1},
                {"fee_type": "nonsense", "flat_cents": 1},
            ],
            today=date(2026, 12, 4),
        )
    assert refused.value.message_dict["lines"] == [f"3 : {messages.FEE_TYPE_INVALID}"]
    assert not FeeGrid.objects.exists()


def test_the_invoice_pdf_shows_both_parties_and_the_gst_and_qst_separately(
    contracts, grids, people, run_on_commit
):
    new = contracts[1]
    with run_on_commit():
        invoice = invoices.invoice_issue_for_contract(
            by=people["broker_agent"], contract=new, today=date(2026, 12, 4)
        )
    invoice.refresh_from_db()
    assert invoice.document is not None and invoice.document.type == "fee_invoice"
    text = pdf_text(invoice.document.versions.get().stored.read_bytes())
    for expected in (
        "Facture de frais de gestion F-2026-2027-00001",
        new.client.name,
        "Ministère de la Cybersécurité et du Numérique",
        "TPS (5 %)",
        "TVQ (9,975 %)",
        printed(invoice.gst_cents),
        printed(invoice.qst_cents),
        printed(invoice.total_cents),
        "3 janvier 2027",  # due 30 days after the issue (001 §9.3)
        new.reference,
    ):
        assert expected in text


def test_the_amendment_form_is_proposed_the_grid_s_amendment_fee(db):
    """002 §4.5: the fee the grid in force charges per amendment."""
    assert proposals.proposed("amendment_fee", date(2026, 12, 4)) is None
    f.both_models()
    assert proposals.proposed("amendment_fee", date(2026, 12, 4)) == 50_000
    assert proposals.proposed("amendment_fee", date(2026, 9, 30)) is None  # the older grid


def test_the_broker_is_asked_to_close_only_the_ended_quarters_with_something_to_bill(
    contracts, people, orgs
):
    """004 §4.3: a quarter whose reports are filed or owed awaits its closing; an ended quarter
    with neither (here T1 and T2 2026-2027, before either contract was concluded) awaits
    nothing."""
    f.published_grid(date(2025, 4, 1), f.OLD_MODEL, 1)
    new = contracts[1]  # concluded 2026-10-15: Fournisseur D owes T3's report
    Contract.objects.exclude(pk=new.pk).update(concluded_on=date(2026, 10, 20))
    reports.acquisition_report_file(
        by=people["supplier_rep"],
        supplier=orgs["supplier"],
        quarter=T3,
        lines=[line(new, date(2026, 11, 1))],
        today=date(2027, 1, 5),
    )
    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=TORONTO), tick=False):
        keys = {item.key for item in workitems.items_for(people["broker_agent"])}
    assert "fees.quarter:2026-3" in keys
    assert not keys & {"fees.quarter:2026-1", "fees.quarter:2026-2", "fees.quarter:2025-4"}


def test_the_contract_page_links_to_its_invoices_for_the_broker_and_the_client_only(
    contracts, grids, people
):
    """002 §4.2: the contract's fee invoices, among the links that follow it on its page."""
    new = contracts[1]

    def fee_links(who: str) -> list[related.Link]:
        return [x for x in related.links_for(new, people[who]) if x.label == str(home.RELATED)]

    assert fee_links("client_finance") == []  # nothing billed yet
    invoice = invoices.invoice_issue_for_contract(
        by=people["broker_agent"], contract=new, today=date(2026, 12, 4)
    )
    for who in ("broker_agent", "client_finance", "client_procurement"):
        [link] = fee_links(who)
        assert invoice.number in link.detail and link.url.endswith(f"?contract={new.pk}")
    assert fee_links("supplier_rep") == []
