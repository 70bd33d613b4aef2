"""`courtier fees-daily` (issue 15; DOMAIN §6): on its day it issues the invoices due, marks
overdue the invoices unpaid past their due date (001 §9.3) and reminds the suppliers whose
quarterly report is missing (004 §4.3), telling the people concerned by email in French; run a
second time the same day, it does nothing."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courtier.accounts.models import Role
from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.fees.models import Invoice, InvoiceState, ReportReminder
from tests.acquisitions.factories import at
from tests.factories import make_person
from tests.fees import factories as f
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(f.world)

DAY = date(2026, 11, 16)  # a Monday: T2 2026-2027's report was due on 2026-10-15


@pytest.fixture
def grids(db):
    return f.both_models()


@pytest.fixture
def rep_of_e(orgs):
    """Fournisseur E's representative: its contract (concluded 2026-01-15) owes the reports of
    the quarters under the older model."""
    return make_person(orgs["supplier_other"], Role.SUPPLIER_REP, "rep_e")


def daily(day: date) -> str:
    out = StringIO()
    with at(day, 0, 20, tick=False):
        call_command("fees-daily", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def subjects(mailbox, person) -> list[str]:
    return sorted(str(m["Subject"]) for m in mailbox.to(person.email))


def test_the_daily_command_issues_reminds_and_does_nothing_the_second_time(
    world, grids, people, rep_of_e, mailbox, run_on_commit
):
    new = Contract.objects.get(pk=world[2]["new"])  # concluded 2026-10-15, under grid v2
    with run_on_commit():
        out = daily(DAY)
    invoice = Invoice.objects.get(contract=new)
    assert f"1 facture(s) émise(s) : {invoice.number}" in out
    assert "0 facture(s) en retard de paiement : -" in out
    # Under the older model, all past due: Fournisseur E (concluded 2026-01-15) owes T4
    # 2025-2026, T1 and T2 2026-2027; Prestataire F (concluded 2026-06-01) T1 and T2.
    assert "5 rappel(s) de rapport trimestriel envoyé(s)" in out
    assert (invoice.issued_on, invoice.due_on) == (DAY, date(2026, 12, 16))
    assert invoice.issued_by is None and invoice.state == InvoiceState.ISSUED
    assert ReportReminder.objects.filter(supplier=world[0]["supplier_other"]).count() == 3
    assert subjects(mailbox, people["client_finance"]) == [
        f"Facture de frais de gestion {invoice.number} du Courtier"
    ]
    assert subjects(mailbox, rep_of_e) == [
        "Rapport trimestriel des acquisitions du T1 2026-2027 attendu",
        "Rapport trimestriel des acquisitions du T2 2026-2027 attendu",
        "Rapport trimestriel des acquisitions du T4 2025-2026 attendu",
    ]
    assert subjects(mailbox, people["provider_rep"]) == [
        "Rapport trimestriel des acquisitions du T1 2026-2027 attendu",
        "Rapport trimestriel des acquisitions du T2 2026-2027 attendu",
    ]
    assert subjects(mailbox, people["supplier_rep"]) == []  # Fournisseur D: concluded later
    assert AuditEvent.objects.filter(action="acquisition_report.reminded").count() == 5
    sent, events = len(mailbox.messages), AuditEvent.objects.count()

    with run_on_commit():
        again = daily(DAY)
    assert "0 facture(s) émise(s) : -" in again
    assert "0 facture(s) en retard de paiement : -" in again
    assert "0 rappel(s) de rapport trimestriel envoyé(s)" in again
    assert Invoice.objects.count() == 1 and ReportReminder.objects.count() == 5
    assert len(mailbox.messages) == sent and AuditEvent.objects.count() == events


def test_the_day_after_the_due_date_the_unpaid_invoice_is_overdue_once(
    world, grids, people, mailbox, run_on_commit
):
    with run_on_commit():
        daily(DAY)
    invoice = Invoice.objects.get()
    on_due_day = daily(invoice.due_on)
    assert "0 facture(s) en retard de paiement : -" in on_due_day
    late = invoice.due_on + timedelta(days=1)
    with run_on_commit():
        out = daily(late)
    assert f"1 facture(s) en retard de paiement : {invoice.number}" in out
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OVERDUE
    assert f"Facture {invoice.number} du Courtier en retard de paiement" in subjects(
        mailbox, people["client_finance"]
    )
    assert "0 facture(s) en retard de paiement : -" in daily(late)


def test_the_daily_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError):
        call_command("fees-daily", "--date", "16/11/2026", stdout=StringIO())
