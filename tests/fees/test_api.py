"""The fees API through the Django test client (issue 15; DOMAIN §6): a supplier's
representative files a quarterly report as JSON or CSV; a report with a bad line (another
supplier's contract, a payment outside the quarter) is 422 naming the lines, nothing written; a
replay under the same ``Idempotency-Key`` creates nothing twice; a client's token lists only
its own invoices; the broker's staff record a payment, a credit note, close a quarter and keep
the grid; outsiders get 404 and a client's people 403 on what only the broker does."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples

from courtier.accounts.services import api_token_create
from courtier.api import api
from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.core.replay import IDEMPOTENCY_HEADER
from courtier.fees import messages, selectors
from courtier.fees.models import (
    AcquisitionLine,
    AcquisitionReport,
    FeeGrid,
    GridState,
    Invoice,
    InvoiceState,
    Payment,
)
from courtier.fees.rules import ReportLine
from courtier.fees.services import invoices as invoice_services
from courtier.fees.services import reports
from tests.factories import make_person
from tests.fees import factories as f
from tests.helpers import shared_world, world_kept_for

shared, world, orgs, people = shared_world(f.world)
URL = "/api/v1/fees"
TODAY = date(2027, 1, 5)  # T3 2026-2027 (October-December 2026) is over, not closed
NOON = datetime(2027, 1, 5, 12, tzinfo=ZoneInfo("America/Toronto"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def contracts(world):
    made = world[2]
    # old: Fournisseur E's (supplier_other), new: Fournisseur D's (supplier); both the
    # Ministère A's.
    return Contract.objects.get(pk=made["old"]), Contract.objects.get(pk=made["new"])


@pytest.fixture
def grids(db):
    return f.both_models()


PAYMENT = {"amount_cents": 100, "paid_on": "2027-01-05"}


def post(client, url, data=None, **kw):
    return client.post(url, data or {}, content_type="application/json", **kw)


def fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def messages_at(response, field: str) -> list[str]:
    return [e["message"] for e in response.json()["errors"] if e["field"] == field]


def written() -> tuple[int, int, int]:
    return (
        AcquisitionReport.objects.count(),
        AcquisitionLine.objects.count(),
        AuditEvent.objects.filter(action="acquisition_report.filed").count(),
    )


def report_line(contract: Contract, paid_on: str, cents: int = 1_000_000, **more) -> dict:
    return {
        "contract": contract.reference,
        "client": contract.client.name,
        "invoice": f"INV-{paid_on}-{cents}",
        "paid_on": paid_on,
        "amount_cents": cents,
    } | more


def report(lines: list[dict], **more) -> dict:
    return {"fiscal_year": 2026, "quarter": 3, "lines": lines} | more


def bearer(user) -> dict:
    _token, secret = api_token_create(user=user, name="ERP")
    return {"Authorization": f"Bearer {secret}"}


def other_client_invoice(orgs) -> Invoice:
    """An invoice of Organisme B, written directly (its issue has its own tests)."""
    return Invoice.objects.create(
        kind="invoice",
        number="F-2026-2027-09999",
        series="F",
        fiscal_year=2026,
        sequence=9999,
        basis="contract",
        client=orgs["client_other"],
        issued_on=date(2026, 12, 1),
        due_on=date(2026, 12, 31),
        subtotal_cents=10_000,
        gst_cents=500,
        qst_cents=998,
        total_cents=11_498,
        key="test:other-client",
    )


@pytest.fixture
def invoice(contracts, grids, people):
    """The Ministère A's invoice for Fournisseur D's contract, concluded under grid v2."""
    return invoice_services.invoice_issue_for_contract(
        by=f.biller(people), contract=contracts[1], today=TODAY
    )


# --- quarterly reports (004 §4.3) ---------------------------------------------------------------


def test_a_supplier_s_representative_files_its_report_as_json(contracts, grids, client, people):
    new = contracts[1]
    client.force_login(people["supplier_rep"])
    lines = [report_line(new, "2026-10-20"), report_line(new, "2026-12-31", 250_000)]
    response = post(client, f"{URL}/reports", report(lines))  # supplier_id: its only supplier
    assert response.status_code == 201, response.content
    filed = response.json()
    assert (filed["quarter_label"], filed["version"], filed["total_cents"]) == (
        "T3 2026-2027",
        1,
        1_250_000,
    )
    assert filed["supplier"]["name"] == "Fournisseur D"
    assert [line["contract"]["reference"] for line in filed["lines"]] == [new.reference] * 2
    assert AcquisitionLine.objects.filter(report_id=filed["id"]).count() == 2
    assert AuditEvent.objects.filter(
        action="acquisition_report.filed", object_id=str(filed["id"])
    ).exists()
    listed = client.get(f"{URL}/reports?fiscal_year=2026&quarter=3").json()
    assert [r["id"] for r in listed["items"]] == [filed["id"]]
    assert client.get(f"{URL}/reports?quarter=2").json()["items"] == []
    assert client.get(f"{URL}/reports/{filed['id']}").json()["lines"][1]["amount_cents"] == 250_000


def test_a_report_with_bad_lines_is_refused_naming_the_lines_and_nothing_is_written(
    contracts, grids, client, people
):
    old, new = contracts
    client.force_login(people["supplier_rep"])
    before = written()
    lines = [
        report_line(new, "2026-11-02"),
        report_line(old, "2026-11-03"),  # Fournisseur E's contract
        report_line(new, "2027-01-02"),  # paid in T4
    ]
    response = post(client, f"{URL}/reports", report(lines))
    assert response.status_code == 422
    assert fields(response) == {"lines"}
    problems = messages_at(response, "lines")
    assert problems[0] == str(messages.REPORT_REFUSED)
    mine = f"ligne 2 : le contrat {old.reference} n'est pas le vôtre"
    assert any(p.startswith(mine) for p in problems)
    assert any(p.startswith("ligne 3 : payée le 2027-01-02, hors du trimestre") for p in problems)
    assert not any(p.startswith("ligne 1") for p in problems)
    assert written() == before


def test_a_line_the_schema_cannot_read_is_named_by_its_place(contracts, grids, client, people):
    client.force_login(people["supplier_rep"])
    bad = report_line(contracts[1], "le 2 novembre")
    response = post(client, f"{URL}/reports", report([bad]))
    assert response.status_code == 422 and fields(response) == {"lines.0.paid_on"}
    assert written() == (0, 0, 0)


def test_a_replayed_report_under_the_same_key_creates_nothing_twice(
    contracts, grids, client, people
):
    client.force_login(people["supplier_rep"])
    headers = {IDEMPOTENCY_HEADER: "rapport-T3-2026"}
    body = report([report_line(contracts[1], "2026-11-15")])
    first = post(client, f"{URL}/reports", body, headers=headers)
    again = post(client, f"{URL}/reports", body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert written() == (1, 1, 1)
    # The same key for another report is refused at the key.
    other = post(client, f"{URL}/reports", report([]), headers=headers)
    assert other.status_code == 422 and fields(other) == {IDEMPOTENCY_HEADER}
    assert written() == (1, 1, 1)


def test_a_report_is_filed_as_a_csv_file_kept_with_it(contracts, grids, client, people):
    new = contracts[1]
    client.force_login(people["supplier_rep"])
    content = (
        "contrat;client;facture;payee_le;montant\n"
        f"{new.reference};{new.client.name};F-100;2026-11-30;1 250,00\n"
    ).encode()
    upload = SimpleUploadedFile("rapport.csv", content, content_type="text/csv")
    response = client.post(
        f"{URL}/reports/csv", {"fiscal_year": "2026", "quarter": "3", "file": upload}
    )
    assert response.status_code == 201, response.content
    assert response.json()["total_cents"] == 125_000
    assert response.json()["document_id"] is not None


def test_only_a_supplier_s_representative_files_and_only_for_its_own_supplier(
    contracts, grids, client, orgs, people
):
    body = report([report_line(contracts[1], "2026-11-15")])
    client.force_login(people["client_procurement"])
    assert post(client, f"{URL}/reports", body).status_code == 403
    client.force_login(people["supplier_rep"])
    theirs = post(client, f"{URL}/reports", body | {"supplier_id": orgs["supplier_other"].pk})
    assert theirs.status_code == 403
    assert written() == (0, 0, 0)


def test_a_report_is_hidden_from_other_suppliers(contracts, grids, client, orgs, people):
    client.force_login(people["supplier_rep"])
    filed = post(client, f"{URL}/reports", report([report_line(contracts[1], "2026-11-15")]))
    report_id = filed.json()["id"]
    client.force_login(make_person(orgs["supplier_other"], "supplier_rep", "autre"))
    assert client.get(f"{URL}/reports/{report_id}").status_code == 404
    assert client.get(f"{URL}/reports").json()["items"] == []


def test_the_broker_sees_the_quarter_and_closes_it(contracts, client, people):
    f.published_grid(date(2025, 4, 1), f.OLD_MODEL, 1)  # the percentage still applies in T3
    client.force_login(people["supplier_rep"])
    post(client, f"{URL}/reports", report([report_line(contracts[1], "2026-11-15")]))
    client.force_login(people["supplier_rep"])
    assert client.get(f"{URL}/quarters/2026/3").status_code == 403
    client.force_login(people["broker_agent"])
    status = client.get(f"{URL}/quarters/2026/3").json()
    assert status["label"] == "T3 2026-2027" and status["closed"] is False
    assert status["quarterly_model"] is True and len(status["filed"]) == 1
    assert client.get(f"{URL}/quarters/2026/5").status_code == 422
    closed = post(client, f"{URL}/quarters/2026/3/close")
    assert closed.status_code == 200, closed.content
    [billed] = closed.json()
    assert billed["basis"] == "quarterly" and billed["subtotal_cents"] == 15_000  # 1.5 %
    assert client.get(f"{URL}/quarters/2026/3").json()["closed"] is True
    again = post(client, f"{URL}/quarters/2026/3/close")
    assert again.status_code == 422 and fields(again) == {"quarter"}


# --- invoices ---------------------------------------------------------------------------------


def test_a_client_s_token_lists_only_its_own_invoices(invoice, client, orgs, people):
    other = other_client_invoice(orgs)
    auth = bearer(people["client_finance"])
    listed = client.get(f"{URL}/invoices", headers=auth).json()
    assert [i["number"] for i in listed["items"]] == [invoice.number]
    assert listed["count"] == 1
    assert client.get(f"{URL}/invoices/{other.pk}", headers=auth).status_code == 404
    broker = client.get(f"{URL}/invoices", headers=bearer(people["broker_agent"])).json()
    assert {i["number"] for i in broker["items"]} == {invoice.number, other.number}
    filtered = client.get(
        f"{URL}/invoices?client_id={orgs['client_other'].pk}",
        headers=bearer(people["broker_admin"]),
    )
    assert [i["number"] for i in filtered.json()["items"]] == [other.number]


def test_an_invoice_answers_its_lines_taxes_and_balance(invoice, client, people):
    client.force_login(people["client_finance"])
    detail = client.get(f"{URL}/invoices/{invoice.pk}").json()
    assert detail["number"] == invoice.number and detail["state"] == "issued"
    taxes = detail["subtotal_cents"] + detail["gst_cents"] + detail["qst_cents"]
    assert detail["total_cents"] == taxes
    assert detail["balance_cents"] == invoice.total_cents and detail["payments"] == []
    assert len(detail["lines"]) == 1 and detail["grid"]["version"] == 2
    assert detail["due_on"] == "2027-02-04"
    assert detail["pdf_url"] is None  # rendered after the commit, by the task


def test_a_biller_records_a_payment_and_the_last_one_settles_the_invoice(invoice, client, people):
    client.force_login(people["broker_agent"])
    url = f"{URL}/invoices/{invoice.pk}/payments"
    first = post(
        client, url, {"amount_cents": 10_000, "paid_on": "2027-01-05", "reference": "Virement 1"}
    )
    assert first.status_code == 201, first.content
    assert first.json()["balance_cents"] == invoice.total_cents - 10_000
    assert first.json()["payments"][0]["reference"] == "Virement 1"
    too_much = post(client, url, {"amount_cents": invoice.total_cents, "paid_on": "2027-01-05"})
    assert too_much.status_code == 422 and fields(too_much) == {"amount_cents"}
    future = post(client, url, {"amount_cents": 100, "paid_on": "2027-01-06"})
    assert future.status_code == 422 and fields(future) == {"paid_on"}
    rest = post(
        client, url, {"amount_cents": invoice.total_cents - 10_000, "paid_on": "2027-01-05"}
    )
    assert rest.json()["state"] == "paid" and rest.json()["balance_cents"] == 0
    assert Payment.objects.filter(invoice=invoice).count() == 2
    assert (
        AuditEvent.objects.filter(
            action="invoice.payment_recorded", object_id=str(invoice.pk)
        ).count()
        == 2
    )
    closed = post(client, url, {"amount_cents": 1, "paid_on": "2027-01-05"})
    assert closed.status_code == 422 and fields(closed) == {"invoice_id"}


def test_an_outsider_gets_404_on_another_client_s_invoice(invoice, client, orgs, people):
    for outsider in (
        make_person(orgs["client_other"], "client_finance", "autre"),
        people["supplier_rep"],
    ):
        client.force_login(outsider)
        assert client.get(f"{URL}/invoices/{invoice.pk}").status_code == 404
        paid = post(client, f"{URL}/invoices/{invoice.pk}/payments", PAYMENT)
        assert paid.status_code == 404
        assert client.get(f"{URL}/statement/{invoice.client_id}").status_code == 404
    assert not Payment.objects.exists()


def test_a_client_person_gets_403_recording_a_payment_on_its_own_invoice(invoice, client, people):
    client.force_login(people["client_finance"])
    assert client.get(f"{URL}/invoices/{invoice.pk}").status_code == 200
    assert post(client, f"{URL}/invoices/{invoice.pk}/payments", PAYMENT).status_code == 403
    note = {"subtotal_cents": 100, "reason": "Erreur"}
    assert post(client, f"{URL}/invoices/{invoice.pk}/credit-notes", note).status_code == 403
    assert post(client, f"{URL}/invoices/issue-due").status_code == 403
    assert not Payment.objects.exists()


def test_a_credit_note_credits_the_invoice_and_both_are_in_the_statement(invoice, client, people):
    client.force_login(people["broker_agent"])
    url = f"{URL}/invoices/{invoice.pk}/credit-notes"
    empty = post(client, url, {"subtotal_cents": 100, "reason": ""})
    assert empty.status_code == 422 and fields(empty) == {"reason"}
    note = post(client, url, {"subtotal_cents": invoice.subtotal_cents, "reason": "Annulation"})
    assert note.status_code == 201, note.content
    assert note.json()["kind"] == "credit_note" and note.json()["credits"]["id"] == invoice.pk
    credited = client.get(f"{URL}/invoices/{invoice.pk}").json()
    assert credited["state"] == InvoiceState.CREDITED and credited["balance_cents"] == 0
    assert [n["id"] for n in credited["credit_notes"]] == [note.json()["id"]]
    client.force_login(people["client_finance"])
    statement = client.get(f"{URL}/statement/{invoice.client_id}").json()
    assert [line["label"] for line in statement["lines"]] == [invoice.number, note.json()["number"]]
    assert statement["balance_cents"] == 0


def test_the_broker_issues_a_contract_s_invoice_once(contracts, grids, client, people):
    old, new = contracts
    client.force_login(people["broker_agent"])
    first = post(client, f"{URL}/invoices/contract/{new.pk}")
    assert first.status_code == 201, first.content
    again = post(client, f"{URL}/invoices/contract/{new.pk}")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    nothing = post(client, f"{URL}/invoices/contract/{old.pk}")  # grid v1 charges no contract fee
    assert nothing.status_code == 422 and fields(nothing) == {"contract_id"}
    assert post(client, f"{URL}/invoices/issue-due").json() == []
    assert Invoice.objects.count() == 1
    assert post(client, f"{URL}/invoices/amendment/999999").status_code == 404


# --- the grid -----------------------------------------------------------------------------------


def test_the_broker_s_admin_prepares_changes_and_publishes_a_grid(grids, client, people):
    lines = [{"fee_type": "contract", "flat_cents": 120_000}]
    client.force_login(people["broker_agent"])  # bills, but does not keep the grid
    body = {"effective_on": "2027-02-01", "lines": lines}
    assert post(client, f"{URL}/grids", body).status_code == 403
    client.force_login(people["broker_admin"])
    gap = [{"fee_type": "contract", "from_cents": 100, "flat_cents": 1}]
    refused = post(client, f"{URL}/grids", {"effective_on": "2027-02-01", "lines": gap})
    assert refused.status_code == 422 and fields(refused) == {"lines"}
    made = post(client, f"{URL}/grids", body)
    assert made.status_code == 201, made.content
    grid = made.json()
    assert (grid["version"], grid["state"]) == (3, "draft")
    changed = client.put(
        f"{URL}/grids/{grid['id']}",
        {"effective_on": "2027-03-01", "notes": "Nouveaux tarifs", "lines": lines},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["effective_on"] == "2027-03-01"
    published = post(client, f"{URL}/grids/{grid['id']}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert FeeGrid.objects.get(pk=grid["id"]).state == GridState.PUBLISHED
    again = client.put(
        f"{URL}/grids/{grid['id']}",
        {"effective_on": "2027-03-01", "lines": lines},
        content_type="application/json",
    )
    assert again.status_code == 422 and fields(again) == {"grid"}
    in_force = client.get(f"{URL}/grids/in-force?on=2027-03-01").json()
    assert in_force["version"] == 3
    assert client.get(f"{URL}/grids/in-force?on=2026-12-01").json()["version"] == 2
    assert client.get(f"{URL}/grids/in-force?on=2020-01-01").status_code == 404
    assert client.get(f"{URL}/grids/in-force?on=1900-01-01").status_code == 422


def test_a_supplier_sees_the_published_grids_only(grids, client, people):
    draft = FeeGrid.objects.create(version=3, effective_on=date(2027, 6, 1))
    client.force_login(people["supplier_rep"])
    assert [g["version"] for g in client.get(f"{URL}/grids").json()] == [2, 1]
    assert client.get(f"{URL}/grids/{draft.pk}").status_code == 404
    assert post(client, f"{URL}/grids/{draft.pk}/publish").status_code == 404
    client.force_login(people["broker_agent"])
    assert [g["version"] for g in client.get(f"{URL}/grids").json()] == [3, 2, 1]


# --- generated input, as the people who reach the services -------------------------------------
# tests/core/test_api_fuzz.py feeds every operation as the broker's admin, who files no report
# and finds no invoice there. Here the supplier's representative on the reports and the
# broker's agent on the invoices and quarters, with grids, a report and an invoice (small
# identifiers, as generated ones mostly are), so that generated input reaches the services.

fuzz_schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
fuzz_schema.app = get_wsgi_application()
REPORTS = fuzz_schema.include(path_regex="^/api/v1/fees/reports")
BILLING = fuzz_schema.include(path_regex="^/api/v1/fees/(invoices|quarters|statement)")


@pytest.fixture(scope="module")
def fuzz_tokens(shared, django_db_blocker):
    """Inside the module's world (a savepoint of it): the grids, a report of T3 2026-2027, an
    invoice, and the tokens of the supplier's representative and of the broker's agent."""
    orgs_, people_, made = shared
    with world_kept_for(django_db_blocker), time_machine.travel(NOON, tick=False):
        f.both_models()
        new = Contract.objects.get(pk=made["new"])
        reports.acquisition_report_file(
            by=people_["supplier_rep"],
            supplier=orgs_["supplier"],
            quarter=selectors.quarter_of(2026, 3),
            lines=[ReportLine(new.reference, new.client.name, "F-1", date(2026, 11, 2), 100)],
        )
        invoice_services.invoice_issue_for_contract(by=people_["broker_agent"], contract=new)
        yield {key: bearer(people_[key]) for key in ("supplier_rep", "broker_agent")}


@pytest.fixture
def wsgi_in_test(fuzz_tokens, db):
    """The WSGI app keeps the test's connection (as Django's test client does)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield fuzz_tokens
    for signal in signals:
        signal.connect(close_old_connections)


def _no_server_error(case, headers) -> None:
    response = case.call(headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert isinstance(body["message"], str) and body["message"]
        assert all({"field", "message"} <= set(e) for e in body["errors"])


FUZZ = examples(
    max_examples=8,
    derandomize=True,  # the same inputs on every run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@REPORTS.parametrize()
@FUZZ
def test_no_input_makes_the_reports_api_fail_for_a_supplier(case, wsgi_in_test):
    _no_server_error(case, wsgi_in_test["supplier_rep"])


@BILLING.parametrize()
@FUZZ
def test_no_input_makes_the_billing_api_fail_for_the_broker(case, wsgi_in_test):
    _no_server_error(case, wsgi_in_test["broker_agent"])
