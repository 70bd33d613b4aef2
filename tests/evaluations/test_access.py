"""Who reaches the pages and API of performance evaluations (issue 14 §2; DOMAIN §1, §5.8): the
broker's staff read the grid, the campaigns and every request, its admins and agents publish the
grid and open and close the campaigns; a client body's people see their body's requests and
end-of-contract evaluations (another body's: 404), those who run its acquisitions fill them in
and its head signs the report; suppliers and providers see nothing (403 on the lists, 404 on
one). The rows (``PAGES`` and ``API``) are counted by tests/test_permission_matrix.py.

"own": the request of the row's body (the Ministère A's for the broker and the suppliers), the
Ministère A's ended contract with Fournisseur D; "other": Organisme B's request and its ended
contract with Prestataire G (made subject to the RCTI for the row)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courtier.contracts.models import Contract, ContractState
from tests.evaluations.factories import campaign_made
from tests.factories import pdf_bytes
from tests.helpers import world_kept_for
from tests.test_permission_matrix import (  # noqa: F401 (class_people is a fixture)
    BROKER_STAFF,
    CLIENT_SIDE,
    DECIDERS,
    Route,
    World,
    _check,
    allowed,
    class_people,
    fixed,
    page_route,
)

READERS = BROKER_STAFF | CLIENT_SIDE
# Who fills in their body's grid and end-of-contract evaluation (policies.runs_client).
RUNNERS = frozenset({"client_procurement", "client_head", "client_finance", "group_procurement"})
# Who sees the Ministère A's contract among the client's people (not the group's).
CONTRACT_SEERS = frozenset(
    {"client_procurement", "client_head", "client_finance", "client_signatory", "client_auditor"}
)
CLIENTS = {"client", "group_purchaser"}


def request_pk(w: World, who: str | None, own: bool) -> int:
    org = w.org(who, own)
    if org.kind not in CLIENTS:
        org = w.orgs["client"] if own else w.orgs["client_other"]
    return w.built["requests"][org.pk]


def contract_pk(w: World, who: str | None, own: bool) -> int:
    return w.built["ended"]["own" if own else "other"]


def seen(ok: int, movers: frozenset[str] | None = None):
    """A request: the broker's staff see every one, a body's people their own (404 otherwise);
    readers outside ``movers`` get 403."""

    def expect(who: str, own: bool) -> int:
        if who not in READERS or (not own and who not in BROKER_STAFF):
            return 404
        return ok if movers is None or who in movers else 403

    return expect


def ended(ok: int, movers: frozenset[str] | None = None):
    """An ended RCTI contract's evaluation: the broker's staff see every one, the client's people
    their own (404 otherwise, and always for the suppliers and the group); others 403."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF and not (own and who in CONTRACT_SEERS):
            return 404
        return ok if movers is None or who in movers else 403

    return expect


def page(prefix: str, pk, suffix: str = ""):
    return lambda w, who, own: f"/evaluations/{prefix}/{pk(w, who, own)}/{suffix}"


def api(prefix: str, pk, suffix: str = ""):
    return lambda w, who, own: f"{URL}/{prefix}/{pk(w, who, own)}{suffix}"


def campaign_pk(w: World, who: str | None, own: bool) -> int:
    return w.built["campaign"]


def _pdf(w: World, who: str | None, own: bool) -> dict:
    return {"report": SimpleUploadedFile("rapport.pdf", pdf_bytes("rapport"), "application/pdf")}


def _campaign_body(w: World, who: str | None, own: bool) -> dict:
    # Fournisseur D has no contract in force in this world: refused by rule (422).
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    return {"supplier_id": w.orgs["supplier"].pk, "year": 2027, "due_on": due}


PAGES = [
    page_route("evaluations:index", "get", fixed("/evaluations/"), allowed(READERS, 200, 403)),
    page_route(
        "evaluations:grid_list",
        "get",
        fixed("/evaluations/grilles/"),
        allowed(BROKER_STAFF, 200, 403),
    ),
    page_route(
        "evaluations:grid_create",
        "post",
        fixed("/evaluations/grilles/nouvelle/"),
        allowed(DECIDERS, 422, 403),
    ),
    page_route(
        "evaluations:campaign_list",
        "get",
        fixed("/evaluations/campagnes/"),
        allowed(BROKER_STAFF, 200, 403),
    ),
    page_route(
        "evaluations:campaign_open",
        "post",
        fixed("/evaluations/campagnes/nouvelle/"),
        allowed(DECIDERS, 422, 403),
    ),
    page_route(
        "evaluations:campaign_detail",
        "get",
        page("campagnes", campaign_pk),
        allowed(BROKER_STAFF, 200, 403),
    ),
    page_route(
        "evaluations:campaign_close",
        "post",
        page("campagnes", campaign_pk, "fermer/"),
        allowed(DECIDERS, 302, 403),
    ),
    page_route(
        "evaluations:campaign_export",
        "get",
        page("campagnes", campaign_pk, "sommaire.csv"),
        allowed(BROKER_STAFF, 200, 403),
    ),
    page_route("evaluations:request_detail", "get", page("demandes", request_pk), seen(200)),
    page_route(
        "evaluations:request_action#save",
        "post",
        page("demandes", request_pk, "enregistrer/"),
        seen(302, RUNNERS),
        data=lambda w, who, own: {"score_qualite": "4", "comment_qualite": "Bien."},
    ),
    page_route(
        "evaluations:request_action#submit-incomplete",
        "post",
        page("demandes", request_pk, "transmettre/"),
        seen(422, RUNNERS),
    ),
    page_route(
        "evaluations:end_list",
        "get",
        fixed("/evaluations/fin-de-contrat/"),
        allowed(READERS, 200, 403),
    ),
    page_route("evaluations:end_detail", "get", page("fin-de-contrat", contract_pk), ended(200)),
    page_route(
        "evaluations:end_action#declare",
        "post",
        page("fin-de-contrat", contract_pk, "requise/"),
        ended(302, RUNNERS),
        data=lambda w, who, own: {"required": "1"},
    ),
    page_route(
        "evaluations:end_action#sign-without-report",
        "post",
        page("fin-de-contrat", contract_pk, "signer/"),
        ended(422, frozenset({"client_head"})),
        data=lambda w, who, own: {"password": "faux"},
    ),
]

URL = "/api/v1/evaluations"
_GRID = {"criteria": [{"label": "Qualité", "weight": "100"}]}
API = [
    Route(
        f"GET {URL}/grid-versions",
        "get",
        fixed(f"{URL}/grid-versions"),
        allowed(BROKER_STAFF, 200, 403),
        401,
    ),
    Route(
        f"POST {URL}/grid-versions",
        "post",
        fixed(f"{URL}/grid-versions"),
        allowed(DECIDERS, 201, 403),
        401,
        data=lambda w, who, own: _GRID,
        json=True,
    ),
    Route(
        f"GET {URL}/campaigns",
        "get",
        fixed(f"{URL}/campaigns"),
        allowed(BROKER_STAFF, 200, 403),
        401,
    ),
    Route(
        f"POST {URL}/campaigns",
        "post",
        fixed(f"{URL}/campaigns"),
        allowed(DECIDERS, 422, 403),
        401,
        data=_campaign_body,
        json=True,
    ),
    Route(
        f"GET {URL}/campaigns/{{campaign_id}}",
        "get",
        api("campaigns", campaign_pk),
        allowed(BROKER_STAFF, 200, 403),
        401,
    ),
    Route(
        f"POST {URL}/campaigns/{{campaign_id}}/close",
        "post",
        api("campaigns", campaign_pk, "/close"),
        allowed(DECIDERS, 200, 403),
        401,
        json=True,
    ),
    Route(f"GET {URL}/requests", "get", fixed(f"{URL}/requests"), allowed(READERS, 200, 403), 401),
    Route(f"GET {URL}/requests/{{request_id}}", "get", api("requests", request_pk), seen(200), 401),
    Route(
        f"POST {URL}/requests/{{request_id}}/save",
        "post",
        api("requests", request_pk, "/save"),
        seen(200, RUNNERS),
        401,
        data=lambda w, who, own: {"scores": [{"key": "qualite", "score": 4}]},
        json=True,
    ),
    Route(
        f"POST {URL}/requests/{{request_id}}/submit",
        "post",
        api("requests", request_pk, "/submit"),
        seen(422, RUNNERS),
        401,
        data=lambda w, who, own: {"scores": [{"key": "qualite", "score": 4}]},
        json=True,
    ),
    Route(
        f"GET {URL}/end-evaluations",
        "get",
        fixed(f"{URL}/end-evaluations"),
        allowed(READERS, 200, 403),
        401,
    ),
    Route(
        f"GET {URL}/end-evaluations/{{contract_id}}",
        "get",
        api("end-evaluations", contract_pk),
        ended(200),
        401,
    ),
    Route(
        f"POST {URL}/end-evaluations/{{contract_id}}",
        "post",
        api("end-evaluations", contract_pk),
        ended(201, RUNNERS),
        401,
        data=lambda w, who, own: {"required": True},
        json=True,
    ),
    # Not stated yet: the report is refused by rule (422) to those who may keep it.
    Route(
        f"POST {URL}/end-evaluations/{{contract_id}}/report",
        "post",
        api("end-evaluations", contract_pk, "/report"),
        ended(422, RUNNERS),
        401,
        data=_pdf,
    ),
    Route(
        f"POST {URL}/end-evaluations/{{contract_id}}/sign",
        "post",
        api("end-evaluations", contract_pk, "/sign"),
        ended(422, frozenset({"client_head"})),
        401,
        data=lambda w, who, own: {"password": "faux"},
        json=True,
    ),
    Route(
        f"POST {URL}/end-evaluations/{{contract_id}}/paper-signature",
        "post",
        api("end-evaluations", contract_pk, "/paper-signature"),
        ended(422, RUNNERS),
        401,
        data=lambda w, who, own: {"signed_on": date(2026, 12, 1).isoformat()},
    ),
    Route(
        f"POST {URL}/end-evaluations/{{contract_id}}/send",
        "post",
        api("end-evaluations", contract_pk, "/send"),
        ended(422, RUNNERS),
        401,
        data=_pdf,
    ),
]


def _requests(orgs, people) -> tuple[int, dict[int, int]]:
    """A campaign of Fournisseur D with an open request for the Ministère A, Organisme B and
    the group purchaser."""
    campaign = campaign_made(orgs, people["broker_agent"], ("client", "client_other", "group"))
    return campaign.pk, {r.client_id: r.pk for r in campaign.requests.all()}


def _ended_contracts(orgs, people) -> dict[str, int]:
    """The Ministère A's solutions contract with Fournisseur D and Organisme B's services
    contract with Prestataire G, both ended (the latter made subject to the RCTI)."""
    from tests.contracts import factories as contract_factories

    end = {"state": ContractState.ENDED, "ended_on": date(2026, 11, 30)}
    own = contract_factories.solutions_contract(orgs, people, ready=False)
    Contract.objects.filter(pk=own.pk).update(supplier=orgs["supplier"], **end)
    other = contract_factories.services_contract(orgs, people, ready=False)
    Contract.objects.filter(pk=other.pk).update(
        client=orgs["client_other"], supplier=orgs["provider_other"], subject_to_rcti=True, **end
    )
    return {"own": own.pk, "other": other.pk}


@pytest.mark.django_db
class TestAccessToEvaluations:
    @pytest.fixture(scope="class")
    def evaluations_world(self, class_people, django_db_blocker):  # noqa: F811
        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            campaign, requests = _requests(orgs, people)
            contracts = _ended_contracts(orgs, people)
            yield orgs, people, sessions, campaign, requests, contracts

    @pytest.fixture
    def world(self, evaluations_world):
        orgs, people, sessions, campaign, requests, contracts = evaluations_world
        built = {"campaign": campaign, "requests": requests, "ended": contracts}
        return World(orgs, people, sessions, built)

    @pytest.mark.parametrize("route", PAGES + API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
