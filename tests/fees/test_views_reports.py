"""The quarterly reports' and the quarters' pages through the Django test client (issue 15 §2;
004 §4.3): a supplier's representative files its report by CSV or typed lines; a report with a
line of another supplier's contract is refused whole (422) with every bad line named and
nothing written; a good one is version 1, its CSV kept; filing again with a change is version
2, linked from the report's page; another supplier, a client and an unknown quarter see
nothing of it (404/403); the broker's staff see the quarter (filed, missing, total, the model)
and its billing staff close an ended quarter, told the invoices issued."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from courtier.accounts.models import Role
from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.core.formatting import money
from courtier.fees import messages, selectors
from courtier.fees.models import AcquisitionLine, AcquisitionReport, Invoice, QuarterClosure
from courtier.fees.rules import ReportLine
from courtier.fees.services import reports
from tests.factories import make_person
from tests.fees import factories as f
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(f.world)

QUEBEC = ZoneInfo("America/Toronto")
T3 = selectors.quarter_of(2026, 3)  # October-December 2026
NEW_T3 = "/frais/rapports/2026/3/deposer/"
QUARTER_T3 = "/frais/trimestres/2026/3/"


def at(day: date):
    """Noon of ``day`` on Quebec's clock (the pages read today there)."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=QUEBEC), tick=False
    )


@pytest.fixture
def contracts(world):
    made = world[2]
    return Contract.objects.get(pk=made["old"]), Contract.objects.get(pk=made["new"])


def signed_in(client, person):
    client.force_login(person)
    return client


def csv_file(*rows: str, name: str = "rapport-t3.csv") -> SimpleUploadedFile:
    text = "contrat;client;facture;payee_le;montant\n" + "".join(f"{row}\n" for row in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def row(contract: Contract, invoice: str, paid_on: str, amount: str, client: str = "") -> str:
    return f"{contract.reference};{client or contract.client.name};{invoice};{paid_on};{amount}"


def written() -> tuple[int, int, int]:
    return (
        AcquisitionReport.objects.count(),
        AcquisitionLine.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_report_with_another_supplier_s_contract_is_refused_whole_naming_each_line(
    contracts, people, client
):
    old, new = contracts  # old: Fournisseur E's; new: Fournisseur D's (the rep's)
    before = written()
    with at(date(2027, 1, 5)):
        signed_in(client, people["supplier_rep"])
        page = client.get(NEW_T3)
        assert page.status_code == 200
        assert "contrat;client;facture;payee_le;montant" in page_text(page)
        sent = client.post(
            NEW_T3,
            {
                "csv_file": csv_file(
                    row(new, "FAC-1", "2026-10-20", "1 000,00"),
                    row(old, "FAC-2", "2026-11-03", "2 000,00"),
                    row(new, "FAC-3", "2026-11-04", "0"),
                    row(new, "FAC-4", "2027-01-02", "300,00"),
                )
            },
        )
    assert sent.status_code == 422
    text = page_text(sent)
    assert str(messages.REPORT_REFUSED) in text
    assert f"ligne 2 : le contrat {old.reference} n'est pas le vôtre" in text
    assert "ligne 3 : le montant payé doit être positif" in text
    assert "ligne 4 : payée le 2027-01-02, hors du trimestre" in text
    assert "ligne 1 :" not in text
    assert written() == before


def test_a_good_csv_is_version_1_and_a_corrected_one_version_2(contracts, people, orgs, client):
    _old, new = contracts
    with at(date(2027, 1, 5)):
        signed_in(client, people["supplier_rep"])
        sent = client.post(
            NEW_T3, {"csv_file": csv_file(row(new, "FAC-1", "2026-10-20", "1 000,00"))}
        )
        assert sent.status_code == 302
        first = AcquisitionReport.objects.get()
        assert sent["Location"] == f"/frais/rapports/{first.pk}/"
        assert (first.supplier, first.version, first.total_cents) == (orgs["supplier"], 1, 100_000)
        assert first.document_id is not None  # the CSV kept beside it
        page = client.get(sent["Location"])
        assert page.status_code == 200
        text = page_text(page)
        assert "Version 1" in text and "FAC-1" in text and "Télécharger le CSV" in text
        kept = client.get(f"/documents/{first.document_id}/telecharger/")
        assert kept.status_code == 200 and b"FAC-1" in b"".join(kept)
        corrected = client.post(
            NEW_T3,
            {
                "contract_0": new.reference,
                "client_0": new.client.name,
                "invoice_0": "FAC-1",
                "paid_on_0": "2026-10-20",
                "amount_0": "1 000,00",
                "contract_1": new.reference,
                "client_1": new.client.name,
                "invoice_1": "FAC-5",
                "paid_on_1": "2026-12-01",
                "amount_1": "250,50",
            },
        )
        assert corrected.status_code == 302
        second = AcquisitionReport.objects.exclude(pk=first.pk).get()
        assert (second.version, second.total_cents, second.document_id) == (2, 125_050, None)
        assert sent["Location"] != corrected["Location"]
        page = client.get(corrected["Location"])
        text = page_text(page)
        assert "Version 2" in text and f'href="/frais/rapports/{first.pk}/">version 1</a>' in text
        listing = client.get("/frais/rapports/")
    assert listing.status_code == 200
    assert "Déposé (version 2)" in page_text(listing)


def test_a_typed_amount_that_is_no_amount_is_refused_at_its_field(contracts, people, client):
    new = contracts[1]
    with at(date(2027, 1, 5)):
        signed_in(client, people["supplier_rep"])
        sent = client.post(
            NEW_T3,
            {
                "contract_0": new.reference,
                "client_0": new.client.name,
                "invoice_0": "FAC-1",
                "paid_on_0": "2026-10-20",
                "amount_0": "mille",
            },
        )
        empty = client.post(NEW_T3, {})
    assert sent.status_code == 422 and "Ligne 1 : montant payé" in page_text(sent)
    assert empty.status_code == 422 and str(messages.REPORT_EMPTY) in page_text(empty)
    assert not AcquisitionReport.objects.exists()


def test_others_see_nothing_of_a_supplier_s_report(contracts, people, orgs, client):
    new = contracts[1]
    with at(date(2027, 1, 5)):
        report = reports.acquisition_report_file(
            by=people["supplier_rep"],
            supplier=orgs["supplier"],
            quarter=T3,
            lines=[ReportLine(new.reference, new.client.name, "FAC-1", date(2026, 11, 1), 5_000)],
        )
        other = make_person(orgs["supplier_other"], Role.SUPPLIER_REP)
        signed_in(client, other)
        assert client.get(f"/frais/rapports/{report.pk}/").status_code == 404
        assert "FAC-1" not in page_text(client.get("/frais/rapports/"))
        signed_in(client, people["client_procurement"])
        assert client.get(f"/frais/rapports/{report.pk}/").status_code in (403, 404)
        assert client.get(NEW_T3).status_code == 403
        assert client.get(QUARTER_T3).status_code == 403
        signed_in(client, people["supplier_rep"])
        assert client.get(QUARTER_T3).status_code == 403
        assert client.get("/frais/rapports/2026/5/deposer/").status_code == 404
        signed_in(client, people["broker_auditor"])
        assert client.get(f"/frais/rapports/{report.pk}/").status_code == 200
        assert client.get("/frais/trimestres/2026/9/").status_code == 404
        assert client.post(f"{QUARTER_T3}clore/").status_code == 403  # sees, does not bill


def test_the_broker_closes_an_ended_quarter_and_is_told_the_invoices(
    contracts, people, orgs, client
):
    f.published_grid(date(2025, 4, 1), f.OLD_MODEL, 1)  # a percentage of the quarter's
    new = contracts[1]
    with at(date(2027, 1, 5)):
        reports.acquisition_report_file(
            by=people["supplier_rep"],
            supplier=orgs["supplier"],
            quarter=T3,
            lines=[
                ReportLine(new.reference, new.client.name, "FAC-1", date(2026, 11, 1), 1_000_000)
            ],
        )
    with at(date(2026, 12, 20)):
        signed_in(client, people["broker_agent"])
        early = client.post(f"{QUARTER_T3}clore/")
    assert early.status_code == 422
    assert str(messages.QUARTER_NOT_ENDED) in page_text(early)
    with at(date(2027, 1, 20)):
        signed_in(client, people["broker_agent"])
        page = client.get(QUARTER_T3)
        assert page.status_code == 200
        text = page_text(page)
        assert "Fournisseur D" in text and money(1_000_000) in text
        assert "Clore le trimestre et facturer" in text and "s'applique" in text
        listing = client.get("/frais/rapports/")
        assert f'href="{QUARTER_T3}"' in page_text(listing)
        closed = client.post(f"{QUARTER_T3}clore/", follow=True)
    assert closed.redirect_chain == [(QUARTER_T3, 302)]
    [invoice] = Invoice.objects.all()
    assert invoice.number in page_text(closed)
    assert "Trimestre clos" in page_text(closed)
    assert QuarterClosure.objects.filter(fiscal_year=2026, quarter=3).exists()
    assert AuditEvent.objects.filter(action="quarter.closed").exists()
    with at(date(2027, 1, 21)):
        signed_in(client, people["broker_agent"])
        refused = client.post(
            NEW_T3, {"nothing_paid": "on"}
        )  # the agent files no report: 403 before the service
        assert refused.status_code == 403
        signed_in(client, people["supplier_rep"])
        late = client.post(NEW_T3, {"nothing_paid": "on"})
    assert late.status_code == 422 and str(messages.QUARTER_CLOSED) in page_text(late)


def test_the_supplier_s_list_shows_each_quarter_s_state(contracts, people, client):
    f.published_grid(date(2025, 4, 1), f.OLD_MODEL, 1)  # the quarterly model: D owes reports
    with at(date(2027, 2, 20)):  # T3's report was due on 2027-01-15, T4's is due 2027-04-15
        signed_in(client, people["supplier_rep"])
        page = client.get("/frais/rapports/")
    assert page.status_code == 200
    rows = {
        label: chunk
        for chunk in page_text(page).split("<tr>")
        for label in ("T3 2026-2027", "T4 2026-2027")
        if f'<th scope="row">{label}' in chunk
    }
    assert "En retard" in rows["T3 2026-2027"] and "Déposer le rapport" in rows["T3 2026-2027"]
    assert "Attendu" in rows["T4 2026-2027"]
    assert 'href="/frais/rapports/2026/4/deposer/"' in rows["T4 2026-2027"]


def test_a_person_representing_two_organisations_chooses_the_supplier(
    contracts, people, orgs, client
):
    from courtier.accounts.models import Membership

    new = contracts[1]
    both = make_person(orgs["supplier"], Role.SUPPLIER_REP)
    Membership.objects.create(user=both, organisation=orgs["provider"], role=Role.PROVIDER_REP)
    with at(date(2027, 1, 5)):
        signed_in(client, both)
        page = client.get(NEW_T3)
        assert "Fournisseur ou prestataire" in page_text(page)
        data = {"csv_file": csv_file(row(new, "FAC-9", "2026-11-09", "90,00"))}
        unchosen = client.post(NEW_T3, data)
        assert unchosen.status_code == 422
        assert not AcquisitionReport.objects.exists()
        data = {
            "supplier": str(orgs["supplier"].pk),
            "csv_file": csv_file(row(new, "FAC-9", "2026-11-09", "90,00")),
        }
        chosen = client.post(NEW_T3, data)
    assert chosen.status_code == 302
    assert AcquisitionReport.objects.get().supplier == orgs["supplier"]
