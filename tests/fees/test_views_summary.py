"""The broker's fee summary and the fees' home page through the Django test client (issue 15 §4;
DOMAIN §6): the fees by quarter, client and type with a total per quarter and a grand total, a
bar chart drawn as inline SVG with its title, filtered by fiscal year; its CSV and XLSX parse
back with the same totals; only the broker's staff reach it. The home page leads each person to
their part: the broker's staff to the grid, the quarters, the invoices and the summary with
their counts, the client's people to their invoices and statement, the suppliers to their
reports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from courtier.contracts.models import Contract
from courtier.core.formatting import money
from courtier.fees.services import invoices
from tests.fees import factories as f
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(f.world)

CREDIT_CENTS = 10_000  # a credit note of 100 $ before taxes, in the next quarter


@pytest.fixture
def grids(db):
    return f.both_models()


@pytest.fixture
def billed(world, grids, people):
    """The new contract's invoice in T3 2026-2027 and a credit note on it in T4."""
    new = Contract.objects.get(pk=world[2]["new"])
    agent = f.biller(people)
    invoice = invoices.invoice_issue_for_contract(by=agent, contract=new, today=date(2026, 11, 2))
    note = invoices.credit_note_issue(
        by=agent,
        invoice=invoice,
        subtotal_cents=CREDIT_CENTS,
        reason="Remise consentie",
        today=date(2027, 1, 10),
    )
    return invoice, note


def signed_in(client, person):
    client.force_login(person)
    return client


def cents(text: str) -> int:
    return int(Decimal(text.replace(",", ".")) * 100)


def test_the_summary_shows_each_quarter_its_total_the_grand_total_and_a_chart(
    billed, people, client
):
    invoice, _note = billed
    signed_in(client, people["broker_auditor"])
    page = client.get("/frais/sommaire/")
    assert page.status_code == 200
    text = page_text(page)
    for words in (
        "T3 2026-2027",
        "T4 2026-2027",
        invoice.client.name,
        "Contrat conclu",
        "Total du T3 2026-2027",
        "Total général",
        money(invoice.subtotal_cents),
        money(CREDIT_CENTS),
        money(invoice.subtotal_cents - CREDIT_CENTS),
    ):
        assert words in text, words
    body = page.content.decode()
    assert "<svg" in body and "<title" in body and "<script" not in body.split("<svg")[1]
    assert body.count("<rect") == 2  # one bar a quarter
    assert re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+"', body)
    one_year = client.get("/frais/sommaire/?exercice=2026")
    assert one_year.status_code == 200 and "Total de l'exercice 2026-2027" in page_text(one_year)
    none = page_text(client.get("/frais/sommaire/?exercice=2030"))
    assert "Total général" in none  # an unknown year shows every year


def test_the_summary_csv_and_xlsx_parse_back_with_the_right_totals(billed, people, client):
    invoice, _note = billed
    signed_in(client, f.biller(people))
    net = invoice.subtotal_cents - CREDIT_CENTS

    sent = client.get("/frais/sommaire/export.csv")
    assert sent.status_code == 200 and sent["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sent.content.decode("utf-8-sig")), delimiter=";"))
    header = ["Trimestre", "Organisme client", "Type de frais", "Facturé", "Crédité", "Net"]
    assert rows[0] == header
    total = rows[-1]
    assert total[0] == "Total"
    assert [cents(v) for v in total[3:]] == [invoice.subtotal_cents, CREDIT_CENTS, net]
    quarters = {r[0]: r for r in rows[1:-1] if r[1] == "Total du trimestre"}
    assert cents(quarters["T3 2026-2027"][5]) == invoice.subtotal_cents
    assert cents(quarters["T4 2026-2027"][5]) == -CREDIT_CENTS

    sent = client.get("/frais/sommaire/export.xlsx?exercice=2026")
    assert sent.status_code == 200
    assert "attachment" in sent["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(sent.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["Trimestre", "Organisme client", "Type de frais"]
    assert values[-1][0] == "Total"
    assert [round(Decimal(str(v)) * 100) for v in values[-1][3:]] == [
        invoice.subtotal_cents,
        CREDIT_CENTS,
        net,
    ]


def test_the_summary_is_the_broker_s_and_an_unknown_format_is_404(billed, people, client):
    signed_in(client, people["client_finance"])
    assert client.get("/frais/sommaire/").status_code == 403
    assert client.get("/frais/sommaire/export.csv").status_code == 403
    signed_in(client, people["broker_agent"])
    assert client.get("/frais/sommaire/export.pdf").status_code == 404


def test_the_home_page_leads_the_broker_to_the_grid_quarters_invoices_and_summary(
    world, grids, people, client
):
    signed_in(client, f.biller(people))
    page = client.get("/frais/")
    assert page.status_code == 200
    text = page_text(page)
    due = len(invoices.contracts_to_bill()) + len(invoices.amendments_to_bill())
    for words in (
        "/frais/grilles/",
        "/frais/rapports/",
        "/frais/factures/",
        "/frais/sommaire/",
        f"{due} facture" if due else "0 facture",
        "Aucune facture en retard",
        "Version 2 en vigueur depuis le",
    ):
        assert words in text, words
    assert 'aria-current="page"' in page.content.decode()  # the menu's « Frais de gestion »


def test_the_home_page_leads_a_client_to_its_invoices_and_a_supplier_to_its_reports(
    billed, orgs, people, client
):
    invoice, _note = billed
    signed_in(client, people["client_finance"])
    text = page_text(client.get("/frais/"))
    assert invoice.number in text and f"/frais/releve/{invoice.client_id}/" in text
    assert "/frais/sommaire/" not in text
    signed_in(client, people["supplier_rep"])
    page = client.get("/frais/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Rapports trimestriels des acquisitions" in text and "/frais/factures/" not in text
