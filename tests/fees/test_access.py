"""Who reaches the pages and API of the fees (issue 15; DOMAIN §1, §6; courtier/fees/policies.py).
The fee grid: every version for the broker's staff, the published ones for the client bodies'
people and the suppliers' and providers' representatives (404 for a draft); only the broker's
admin prepares, changes and publishes one (403 for the others who see it). The quarterly
reports: the broker's staff see every one, a supplier's or provider's representatives their
own organisation's and file them (404 otherwise); the broker's staff see a quarter, its admin
and agents close it. The invoices: the broker's staff see every one, a client body's people
(its auditor too) their own body's (404 otherwise); the broker's admin and agents issue them,
record payments and credit notes (403 for the others who see the invoice). The fees by
quarter, client and type: the broker's staff only.

"own": the published grid, the report of the row's own supplier or provider (Fournisseur D's
otherwise), the invoice and statement of the row's own client body (the Ministère A's
otherwise), the Ministère A's contract with Fournisseur D and its signed amendment; "other": the
grid in preparation, Fournisseur E's report, Organisme B's invoice, statement, contract and
amendment. The rows (``PAGES`` and ``API``) are counted by tests/test_permission_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courtier.accounts.models import Role
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.fees import selectors
from courtier.fees.models import FeeGrid, FeeGridLine, GridState, Invoice
from courtier.fees.services import invoices, rendering, reports
from tests.factories import make_person
from tests.helpers import world_kept_for
from tests.test_permission_matrix import (  # noqa: F401 (class_people is a fixture)
    ALL,
    BROKER_STAFF,
    DECIDERS,
    Route,
    World,
    _check,
    allowed,
    class_people,
    fixed,
    page_route,
)

ADMINS = frozenset({"broker_admin"})
CLIENT_PEOPLE = frozenset(
    {
        "client_procurement",
        "client_head",
        "client_finance",
        "client_signatory",
        "client_auditor",
        "group_procurement",
    }
)
REPS = frozenset({"supplier_rep", "provider_rep"})
# Who sees a contract (tests/test_permission_matrix.py CONTRACT_READERS), hence its amendment.
CONTRACT_READERS = BROKER_STAFF | (CLIENT_PEOPLE - {"group_procurement"}) | {"supplier_rep"}
QUARTER = selectors.quarter_of(2025, 1)  # April-June 2025, ended: its reports are filed
DRAFT_FROM = date(2031, 1, 1)
LINES = [
    {"fee_type": "quarterly", "rate_bp": 150},
    {"fee_type": "contract", "flat_cents": 100_000},
    {"fee_type": "amendment", "flat_cents": 50_000},
]
GRID_BODY = {
    "effective_on": DRAFT_FROM.isoformat(),
    "notes": "",
    "lines": [{"fee_type": "contract", "flat_cents": 120_000}],
}


# --- what the rows act on -----------------------------------------------------------------------


def grid(w: World, who: str | None, own: bool) -> FeeGrid:
    return w.built["grids"]["published" if own else "draft"]


def report(w: World, who: str | None, own: bool):
    found = w.built["reports"]
    if not own:
        return found["supplier_other"]
    key = "provider" if who == "provider_rep" else "supplier"
    return found[key]


def client_key(w: World, who: str | None, own: bool) -> str:
    """The row's client body: its own (client, group) or the Ministère A; Organisme B for
    another's."""
    if not own:
        return "client_other"
    return "group" if who == "group_procurement" else "client"


def invoice(w: World, who: str | None, own: bool) -> Invoice:
    return w.built["invoices"][client_key(w, who, own)]


def contract(w: World, who: str | None, own: bool) -> Contract:
    return w.built["contracts"]["own" if own else "other"]


def amendment(w: World, who: str | None, own: bool) -> Amendment:
    return w.built["amendments"]["own" if own else "other"]


# --- what each person gets ----------------------------------------------------------------------


def on_grid(ok: int, keepers: frozenset[str] = ADMINS, published: int | None = None) -> Callable:
    """The published grid ("own") is seen by everyone, the draft ("other") by the broker's staff
    (404 otherwise); the others who see it get 403. ``published``: the keeper's answer on the
    published grid when it differs from ``ok``."""

    def expect(who: str, own: bool) -> int:
        if not own and who not in BROKER_STAFF:
            return 404
        if who not in keepers:
            return 403
        return published if (own and published is not None) else ok

    return expect


def on_report(ok: int) -> Callable:
    def expect(who: str, own: bool) -> int:
        if who in BROKER_STAFF or (own and who in REPS):
            return ok
        return 404

    return expect


def sees_invoice(who: str, own: bool) -> bool:
    return who in BROKER_STAFF or (own and who in CLIENT_PEOPLE)


def on_invoice(ok: int, movers: frozenset[str] = BROKER_STAFF | CLIENT_PEOPLE) -> Callable:
    """The row's invoice: seen by the broker's staff and its client's people (404 otherwise);
    those outside ``movers`` who see it get 403."""

    def expect(who: str, own: bool) -> int:
        if not sees_invoice(who, own):
            return 404
        return ok if who in movers else 403

    return expect


def on_contract(ok: int) -> Callable:
    """A contract or its amendment: seen by its parties' people and the broker's staff (404
    otherwise); only the broker's admin and agents bill it (403)."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF and (not own or who not in CONTRACT_READERS):
            return 404
        return ok if who in DECIDERS else 403

    return expect


def page(name: str, obj: Callable, suffix: str = "") -> Callable:
    return lambda w, who, own: f"/frais/{name}/{obj(w, who, own).pk}/{suffix}"


def statement_page(w: World, who: str | None, own: bool) -> str:
    return f"/frais/releve/{w.orgs[client_key(w, who, own)].pk}/"


QUARTER_PATH = f"{QUARTER.fiscal_year.start_year}/{QUARTER.number}"

PAGES = [
    page_route("fees:index", "get", fixed("/frais/"), allowed(ALL, 200, 403)),
    # The grid.
    page_route("fees:grids", "get", fixed("/frais/grilles/"), allowed(ALL, 200, 403)),
    page_route(
        "fees:grid_new", "get", fixed("/frais/grilles/nouvelle/"), allowed(ADMINS, 200, 403)
    ),
    # An empty form: refused with its French errors (422).
    page_route(
        "fees:grid_new#post", "post", fixed("/frais/grilles/nouvelle/"), allowed(ADMINS, 422, 403)
    ),
    page_route("fees:grid", "get", page("grilles", grid), on_grid(200, ALL)),
    page_route("fees:grid#post", "post", page("grilles", grid), on_grid(422)),
    # The draft takes effect in 2031: published (302); the published one is refused (422).
    page_route(
        "fees:grid_publish", "post", page("grilles", grid, "publier/"), on_grid(302, published=422)
    ),
    # Quarterly reports and the broker's quarters.
    page_route(
        "fees:reports", "get", fixed("/frais/rapports/"), allowed(BROKER_STAFF | REPS, 200, 403)
    ),
    page_route(
        "fees:report_new",
        "get",
        fixed(f"/frais/rapports/{QUARTER_PATH}/deposer/"),
        allowed(REPS, 200, 403),
    ),
    page_route(
        "fees:report_new#post",
        "post",
        fixed(f"/frais/rapports/{QUARTER_PATH}/deposer/"),
        allowed(REPS, 422, 403),
    ),
    page_route("fees:report", "get", page("rapports", report), on_report(200)),
    page_route(
        "fees:quarter",
        "get",
        fixed(f"/frais/trimestres/{QUARTER_PATH}/"),
        allowed(BROKER_STAFF, 200, 403),
    ),
    page_route(
        "fees:quarter_close",
        "post",
        fixed(f"/frais/trimestres/{QUARTER_PATH}/clore/"),
        allowed(DECIDERS, 302, 403),
    ),
    # Invoices, payments, credit notes, statements.
    page_route(
        "fees:invoices",
        "get",
        fixed("/frais/factures/"),
        allowed(BROKER_STAFF | CLIENT_PEOPLE, 200, 403),
    ),
    page_route(
        "fees:issue_due", "post", fixed("/frais/factures/emettre/"), allowed(DECIDERS, 302, 403)
    ),
    page_route("fees:invoice", "get", page("factures", invoice), on_invoice(200)),
    page_route("fees:invoice_pdf", "get", page("factures", invoice, "pdf/"), on_invoice(200)),
    page_route(
        "fees:payment_add",
        "post",
        page("factures", invoice, "paiement/"),
        on_invoice(422, DECIDERS),
    ),
    page_route(
        "fees:credit_note_add",
        "post",
        page("factures", invoice, "credit/"),
        on_invoice(422, DECIDERS),
    ),
    # A statement page: 403 for those who reach no invoices at all (the API answers 404).
    page_route(
        "fees:statement",
        "get",
        statement_page,
        lambda who, own: 403 if who in REPS else on_invoice(200)(who, own),
    ),
    # The fees by quarter, client and type.
    page_route("fees:summary", "get", fixed("/frais/sommaire/"), allowed(BROKER_STAFF, 200, 403)),
    page_route(
        "fees:summary_export",
        "get",
        fixed("/frais/sommaire/export.csv"),
        allowed(BROKER_STAFF, 200, 403),
    ),
]

URL = "/api/v1/fees"


def api(path: str, obj: Callable, suffix: str = "") -> Callable:
    return lambda w, who, own: f"{URL}/{path}/{obj(w, who, own).pk}{suffix}"


def _report_body(w: World, who: str | None, own: bool) -> dict:
    """A report of the quarter for the row's own supplier or provider (the broker's staff and
    the client's people have none: Fournisseur D's)."""
    supplier = w.orgs["provider" if who == "provider_rep" else "supplier"]
    return {
        "supplier_id": supplier.pk,
        "fiscal_year": QUARTER.fiscal_year.start_year,
        "quarter": QUARTER.number,
        "lines": [],
    }


def _report_csv(w: World, who: str | None, own: bool) -> dict:
    """The same report as a CSV of its header alone (multipart)."""
    header = ";".join(reports.COLUMNS).encode() + b"\n"
    body = _report_body(w, who, own)
    del body["lines"]
    return body | {"file": SimpleUploadedFile("rapport.csv", header, "text/csv")}


API = [
    # The grid.
    Route(f"GET {URL}/grids", "get", fixed(f"{URL}/grids"), allowed(ALL, 200, 200), 401),
    Route(
        f"GET {URL}/grids/in-force",
        "get",
        fixed(f"{URL}/grids/in-force"),
        allowed(ALL, 200, 200),
        401,
    ),
    Route(f"GET {URL}/grids/{{grid_id}}", "get", api("grids", grid), on_grid(200, ALL), 401),
    Route(
        f"POST {URL}/grids",
        "post",
        fixed(f"{URL}/grids"),
        allowed(ADMINS, 201, 403),
        401,
        data=lambda w, who, own: GRID_BODY,
        json=True,
    ),
    # The published grid never changes (422); the draft does.
    Route(
        f"PUT {URL}/grids/{{grid_id}}",
        "put",
        api("grids", grid),
        on_grid(200, published=422),
        401,
        data=lambda w, who, own: GRID_BODY,
        json=True,
    ),
    Route(
        f"POST {URL}/grids/{{grid_id}}/publish",
        "post",
        api("grids", grid, "/publish"),
        on_grid(200, published=422),
        401,
    ),
    # Quarterly reports and the broker's quarters.
    Route(f"GET {URL}/reports", "get", fixed(f"{URL}/reports"), allowed(ALL, 200, 200), 401),
    # A report filed again identical: the version filed is answered (201).
    Route(
        f"POST {URL}/reports",
        "post",
        fixed(f"{URL}/reports"),
        allowed(REPS, 201, 403),
        401,
        data=_report_body,
        json=True,
    ),
    Route(
        f"POST {URL}/reports/csv",
        "post",
        fixed(f"{URL}/reports/csv"),
        allowed(REPS, 201, 403),
        401,
        data=_report_csv,
    ),
    Route(f"GET {URL}/reports/{{report_id}}", "get", api("reports", report), on_report(200), 401),
    Route(
        f"GET {URL}/quarters/{{year}}/{{number}}",
        "get",
        fixed(f"{URL}/quarters/{QUARTER_PATH}"),
        allowed(BROKER_STAFF, 200, 403),
        401,
    ),
    Route(
        f"POST {URL}/quarters/{{year}}/{{number}}/close",
        "post",
        fixed(f"{URL}/quarters/{QUARTER_PATH}/close"),
        allowed(DECIDERS, 200, 403),
        401,
    ),
    # Invoices.
    Route(f"GET {URL}/invoices", "get", fixed(f"{URL}/invoices"), allowed(ALL, 200, 200), 401),
    Route(
        f"POST {URL}/invoices/issue-due",
        "post",
        fixed(f"{URL}/invoices/issue-due"),
        allowed(DECIDERS, 200, 403),
        401,
    ),
    # Each contract is billed already: the invoice issued is answered (200).
    Route(
        f"POST {URL}/invoices/contract/{{contract_id}}",
        "post",
        api("invoices/contract", contract),
        on_contract(200),
        401,
    ),
    Route(
        f"POST {URL}/invoices/amendment/{{amendment_id}}",
        "post",
        api("invoices/amendment", amendment),
        on_contract(201),
        401,
    ),
    Route(
        f"GET {URL}/invoices/{{invoice_id}}", "get", api("invoices", invoice), on_invoice(200), 401
    ),
    Route(
        f"POST {URL}/invoices/{{invoice_id}}/payments",
        "post",
        api("invoices", invoice, "/payments"),
        on_invoice(201, DECIDERS),
        401,
        data=lambda w, who, own: {"amount_cents": 100, "paid_on": timezone.localdate().isoformat()},
        json=True,
    ),
    Route(
        f"POST {URL}/invoices/{{invoice_id}}/credit-notes",
        "post",
        api("invoices", invoice, "/credit-notes"),
        on_invoice(201, DECIDERS),
        401,
        data=lambda w, who, own: {"subtotal_cents": 100, "reason": "Erreur de tranche."},
        json=True,
    ),
    Route(
        f"GET {URL}/statement/{{client_id}}",
        "get",
        lambda w, who, own: f"{URL}/statement/{w.orgs[client_key(w, who, own)].pk}",
        on_invoice(200),
        401,
    ),
]


# --- the world ------------------------------------------------------------------------------------


def _grids() -> dict[str, FeeGrid]:
    """Written directly (their services have their own tests): one published, one draft."""
    made = {}
    for key, version, effective_on, state in (
        ("published", 1, date(2025, 4, 1), GridState.PUBLISHED),
        ("draft", 2, DRAFT_FROM, GridState.DRAFT),
    ):
        made[key] = FeeGrid.objects.create(version=version, effective_on=effective_on, state=state)
        FeeGridLine.objects.bulk_create(FeeGridLine(grid=made[key], **line) for line in LINES)
    return made


def _contracts(orgs, people) -> dict[str, Contract]:
    """The Ministère A's contract with Fournisseur D and Organisme B's with Fournisseur E, in
    force since 2026-01-01 (as in tests/exitplans/test_access.py)."""
    from django.utils import timezone

    from courtier.contracts.services import creation
    from tests.acquisitions import factories as acquisitions
    from tests.contracts.factories import forced

    made = {}
    with acquisitions.at(timezone.localdate(), 12):
        acquisitions.publish_catalogue(orgs)
        for key, client, supplier in (
            ("own", orgs["client"], orgs["supplier"]),
            ("other", orgs["client_other"], orgs["supplier_other"]),
        ):
            file = acquisitions.at_step("frozen", orgs, people)
            made_contract = creation.contract_create(
                by=people["broker_agent"], strategy=file.strategy
            )
            Contract.objects.filter(pk=made_contract.pk).update(client=client, supplier=supplier)
            made[key] = forced(
                made_contract,
                ContractState.IN_FORCE,
                start_on=date(2026, 1, 1),
                concluded_on=date(2026, 1, 1),
                duration_months=24,
                ends_on=date(2027, 12, 31),
            )
    return made


def fees_world(orgs, people) -> dict:
    grids = _grids()
    contracts = _contracts(orgs, people)
    amendments = {
        key: Amendment.objects.create(
            contract=c,
            number=1,
            state=AmendmentState.SIGNED,
            reason="Six mois de plus.",
            changes=[{"kind": "duration", "months": 6}],
            fee_cents=50_000,
            signed_on=date(2026, 6, 1),
            requested_by=people["client_procurement"],
        )
        for key, c in contracts.items()
    }
    agent = people["broker_agent"]
    billed = {
        "client": invoices.invoice_issue_for_contract(by=agent, contract=contracts["own"]),
        "client_other": invoices.invoice_issue_for_contract(by=agent, contract=contracts["other"]),
        # The group purchaser's own invoice: its share of a quarter (the contract for its line).
        "group": invoices.invoice_issue_for_quarter(
            by=agent,
            quarter=QUARTER,
            client=orgs["group"],
            grid=grids["published"],
            lines=[(contracts["own"], 1_000_000)],
            today=date(2025, 7, 20),
        ),
    }
    for found in billed.values():  # their PDFs, rendered now (after the commit otherwise)
        rendering.invoice_document_keep(found.pk)
    filers = {
        "supplier": people["supplier_rep"],
        "provider": people["provider_rep"],
        "supplier_other": make_person(orgs["supplier_other"], Role.SUPPLIER_REP, "rep_e"),
    }
    filed = {
        key: reports.acquisition_report_file(
            by=by, supplier=orgs[key], quarter=QUARTER, lines=[], today=date(2025, 7, 10)
        )
        for key, by in filers.items()
    }
    return {
        "grids": grids,
        "contracts": contracts,
        "amendments": amendments,
        "invoices": {k: Invoice.objects.get(pk=v.pk) for k, v in billed.items()},
        "reports": filed,
    }


@pytest.mark.django_db
class TestAccessToFees:
    @pytest.fixture(scope="class")
    def fees_built(self, class_people, django_db_blocker):  # noqa: F811
        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            yield orgs, people, sessions, fees_world(orgs, people)

    @pytest.fixture
    def world(self, fees_built):
        orgs, people, sessions, built = fees_built
        return World(orgs, people, sessions, built)

    @pytest.mark.parametrize("route", PAGES + API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
