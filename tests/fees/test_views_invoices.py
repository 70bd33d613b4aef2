"""The fee invoices' pages through the Django test client (issue 15 §3; DOMAIN §6; 001 §9.3): the
client's finance person sees its invoice and its statement, another client's people get 404; the
broker's agent issues the invoices due from the list, records a payment that settles the invoice
(audited « invoice.settle »), a payment above the balance comes back 422 naming the balance in
French; a credit note through the page leaves the invoice's amounts unchanged and both appear in
the statement; the PDF is served once rendered after the commit."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtier.accounts.models import Role
from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.core.formatting import money
from courtier.core.replay import FORM_TOKEN_FIELD, new_form_token
from courtier.fees import messages, selectors
from courtier.fees.models import Invoice, InvoiceState, Kind, Payment
from courtier.fees.services import invoices
from tests.factories import make_person
from tests.fees import factories as f
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(f.world)

ISSUED_ON = date(2026, 11, 2)
PAID_ON = date(2026, 11, 20)


@pytest.fixture
def new(world, grids):
    return Contract.objects.select_related("client").get(pk=world[2]["new"])


@pytest.fixture
def grids(db):
    return f.both_models()


@pytest.fixture
def invoice(new, people):
    """The new contract's fee invoice, issued by the broker's agent through the service."""
    return invoices.invoice_issue_for_contract(by=f.biller(people), contract=new, today=ISSUED_ON)


def dollars(cents: int) -> str:
    """Cents as a person types them in French: « 1 234,56 »."""
    return f"{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d}"


def url(invoice: Invoice, op: str = "") -> str:
    return f"/frais/factures/{invoice.pk}/" + (f"{op}/" if op else "")


def statement_url(client_id: int) -> str:
    return f"/frais/releve/{client_id}/"


def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_client_s_finance_person_sees_its_invoice_and_its_statement(invoice, people, client):
    signed_in(client, people["client_finance"])
    listed = client.get("/frais/factures/")
    assert listed.status_code == 200
    assert invoice.number in page_text(listed)
    page = client.get(url(invoice))
    assert page.status_code == 200
    text = page_text(page)
    for words in (
        invoice.number,
        "TPS (5 %)",
        "TVQ (9,975 %)",
        money(invoice.subtotal_cents),
        money(invoice.gst_cents),
        money(invoice.qst_cents),
        money(invoice.total_cents),
        "PDF en préparation",
        "relevé de compte",
    ):
        assert words in text
    assert "Enregistrer un paiement reçu" not in text  # only the broker's billing staff
    shown = client.get(statement_url(invoice.client_id))
    assert shown.status_code == 200
    assert invoice.number in page_text(shown) and money(invoice.total_cents) in page_text(shown)
    home = client.get("/frais/")
    assert home.status_code == 200 and invoice.number in page_text(home)


def test_another_client_s_people_get_404_for_the_invoice_its_pdf_and_the_statement(
    invoice, orgs, people, client
):
    other = make_person(orgs["client_other"], Role.CLIENT_FINANCE)
    signed_in(client, other)
    assert client.get(url(invoice)).status_code == 404
    assert client.get(url(invoice, "pdf")).status_code == 404
    assert client.get(statement_url(invoice.client_id)).status_code == 404
    listed = client.get("/frais/factures/")
    assert listed.status_code == 200 and invoice.number not in page_text(listed)
    assert client.get(statement_url(orgs["client_other"].pk)).status_code == 200
    signed_in(client, people["supplier_rep"])
    assert client.get(url(invoice)).status_code == 404
    assert client.get("/frais/factures/").status_code == 403


def test_the_client_cannot_record_a_payment(invoice, people, client):
    signed_in(client, people["client_finance"])
    sent = client.post(
        url(invoice, "paiement"),
        {"amount_cents": dollars(invoice.total_cents), "paid_on": PAID_ON.isoformat()},
    )
    assert sent.status_code == 403
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_the_broker_agent_issues_the_invoices_due_from_the_list(new, people, client):
    signed_in(client, f.biller(people))
    due = len(invoices.contracts_to_bill()) + len(invoices.amendments_to_bill())
    assert due >= 1
    listed = client.get("/frais/factures/")
    assert listed.status_code == 200
    assert f"Émettre les factures dues ({due})" in page_text(listed)
    sent = client.post("/frais/factures/emettre/", follow=True)
    assert sent.redirect_chain[-1] == ("/frais/factures/", 302)
    issued = Invoice.objects.get(contract=new, kind=Kind.INVOICE)
    text = page_text(sent)
    assert "Factures émises" in text and issued.number in text
    assert "Aucune facture n'est due" in text


def test_the_broker_agent_records_a_payment_that_settles_the_invoice(invoice, people, client):
    signed_in(client, f.biller(people))
    page = client.get(url(invoice))
    assert "Enregistrer un paiement reçu" in page_text(page)
    sent = client.post(
        url(invoice, "paiement"),
        {
            "amount_cents": dollars(invoice.total_cents),
            "paid_on": PAID_ON.isoformat(),
            "reference": "Virement 4417",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == url(invoice)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_on) == (InvoiceState.PAID, PAID_ON)
    assert Payment.objects.get(invoice=invoice).amount_cents == invoice.total_cents
    assert AuditEvent.objects.filter(action="invoice.settle", object_id=str(invoice.pk)).exists()
    shown = page_text(client.get(url(invoice)))
    assert "est payée" in shown and "Virement 4417" in shown
    assert "Enregistrer un paiement reçu" not in shown  # nothing owed any more


def test_a_payment_above_the_balance_comes_back_422_naming_the_balance(invoice, people, client):
    signed_in(client, f.biller(people))
    sent = client.post(
        url(invoice, "paiement"),
        {"amount_cents": dollars(invoice.total_cents + 1), "paid_on": PAID_ON.isoformat()},
    )
    assert sent.status_code == 422
    expected = str(messages.PAYMENT_TOO_MUCH).format(balance=money(invoice.total_cents))
    assert expected in page_text(sent)
    assert not Payment.objects.filter(invoice=invoice).exists()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ISSUED


def test_an_unreadable_amount_comes_back_422_in_french(invoice, people, client):
    signed_in(client, f.biller(people))
    sent = client.post(
        url(invoice, "paiement"), {"amount_cents": "douze", "paid_on": PAID_ON.isoformat()}
    )
    assert sent.status_code == 422
    assert "Indiquez un montant en dollars" in page_text(sent)


def test_a_credit_note_through_the_page_leaves_the_invoice_unchanged_and_both_are_in_the_statement(
    invoice, people, client
):
    signed_in(client, f.biller(people))
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    too_much = client.post(
        url(invoice, "credit"),
        {"subtotal_cents": dollars(invoice.subtotal_cents + 100), "reason": "Erreur"},
    )
    assert too_much.status_code == 422
    assert str(messages.CREDIT_TOO_MUCH).format(balance=money(invoice.total_cents)) in page_text(
        too_much
    )
    sent = client.post(
        url(invoice, "credit"),
        {"subtotal_cents": dollars(invoice.subtotal_cents), "reason": "Contrat facturé deux fois"},
    )
    assert sent.status_code == 302 and sent["Location"] == url(invoice)
    after = Invoice.objects.filter(pk=invoice.pk).values().get()
    assert {k: v for k, v in after.items() if k != "state"} == {
        k: v for k, v in before.items() if k != "state"
    }
    assert after["state"] == InvoiceState.CREDITED
    note = Invoice.objects.get(credits=invoice)
    assert note.kind == Kind.CREDIT_NOTE and note.total_cents == invoice.total_cents
    note_page = page_text(client.get(url(note)))
    assert "Facture créditée" in note_page and invoice.number in note_page
    assert note.number in page_text(client.get(url(invoice)))
    signed_in(client, people["client_finance"])
    shown = page_text(client.get(statement_url(invoice.client_id)))
    assert invoice.number in shown and note.number in shown
    assert shown.index(invoice.number) < shown.index(note.number)


def test_the_pdf_is_served_once_rendered_after_the_commit(new, people, client, run_on_commit):
    with run_on_commit():
        invoice = invoices.invoice_issue_for_contract(
            by=f.biller(people), contract=new, today=ISSUED_ON
        )
    invoice.refresh_from_db()
    assert invoice.document_id
    signed_in(client, people["client_finance"])
    assert "PDF en préparation" not in page_text(client.get(url(invoice)))
    served = client.get(url(invoice, "pdf"))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF")


def test_the_list_filters_by_state_client_contract_and_kind(invoice, people, client):
    signed_in(client, people["broker_auditor"])
    by_client = page_text(client.get(f"/frais/factures/?client={invoice.client_id}"))
    assert invoice.number in by_client
    assert statement_url(invoice.client_id) in by_client  # the filtered client's statement
    assert invoice.number in page_text(
        client.get(f"/frais/factures/?contract={invoice.contract_id}")
    )
    assert invoice.number not in page_text(client.get("/frais/factures/?state=paid"))
    assert invoice.number not in page_text(client.get("/frais/factures/?kind=credit_note"))
    unreadable = client.get("/frais/factures/?state=nope&client=abc&contract=-1")
    assert unreadable.status_code == 200 and invoice.number in page_text(unreadable)
    assert "Émettre les factures dues" not in page_text(unreadable)  # the auditor does not bill


def test_a_replayed_payment_form_records_the_payment_once(invoice, people, client):
    signed_in(client, f.biller(people))
    data = {
        "amount_cents": dollars(10_000),
        "paid_on": PAID_ON.isoformat(),
        FORM_TOKEN_FIELD: new_form_token(),
    }
    first = client.post(url(invoice, "paiement"), data)
    again = client.post(url(invoice, "paiement"), data)
    assert (first.status_code, again.status_code) == (302, 303)
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert AuditEvent.objects.filter(action="invoice.payment_recorded").count() == 1


def test_the_list_reads_every_balance_in_the_same_queries_however_many_rows(
    invoice, new, grids, people, client
):
    """Each row's balance comes with the list (selectors.invoices_for), not two queries a row."""
    signed_in(client, f.biller(people))
    client.get("/frais/factures/")  # the session and the caches warmed
    with CaptureQueriesContext(connection) as one:
        assert client.get("/frais/factures/").status_code == 200
    older = grids[0]  # the quarterly model: one invoice per quarter billed
    for number in (1, 2, 3):
        invoices.invoice_issue_for_quarter(
            by=f.biller(people),
            quarter=selectors.quarter_of(2025, number),
            client=new.client,
            grid=older,
            lines=[(new, 1_000_000)],
            today=ISSUED_ON,
        )
    with CaptureQueriesContext(connection) as four:
        listed = client.get("/frais/factures/")
    assert listed.status_code == 200 and len(listed.context["rows"]) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
