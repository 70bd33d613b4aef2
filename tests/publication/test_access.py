"""Who reaches the SEAO sheet and the list of concluded contracts (issue 14 §4-5; DOMAIN §1,
§5.1, §5.7), pages and API: the list is for the client bodies' people and the broker's staff
(403 for suppliers and providers); a contract's publication page, its SEAO sheet and its
consents are its client body's people's and the broker's staff's (404 for anyone else, the
supplier of the contract included); only the client's people who run its acquisitions change
them (403 for the others who see them). "own": Ministère A's solutions contract with Fournisseur
D; "other": Organisme B's services contract with Prestataire G, which only the broker's staff
see. The rows (``PAGES`` and ``API``; the OCDS package's are in test_access_ocds.py) are counted
by tests/test_permission_matrix.py."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.contracts.models import Contract, ContractState
from tests.helpers import world_kept_for
from tests.test_permission_matrix import (  # noqa: F401 (class_people is a fixture)
    ALL,
    BROKER_STAFF,
    CLIENT_SIDE,
    Route,
    World,
    _check,
    allowed,
    class_people,
    fixed,
    page_route,
)

# The client body's people who see its contracts, and those who run its acquisitions.
CLIENT_PEOPLE = frozenset(
    {"client_procurement", "client_head", "client_finance", "client_signatory", "client_auditor"}
)
RUNNERS = frozenset({"client_procurement", "client_head", "client_finance"})
READERS = BROKER_STAFF | CLIENT_SIDE
CONCLUDED_ON = date(2026, 11, 2)


def seen(ok: int, movers: frozenset[str] | None = None):
    """The broker's staff see every contract's, the client's people their body's (404
    otherwise); when ``movers`` is given, those who see it outside ``movers`` get 403."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF and not (own and who in CLIENT_PEOPLE):
            return 404
        return ok if movers is None or who in movers else 403

    return expect


def contract(w: World, who: str | None, own: bool) -> Contract:
    return w.built["contracts"]["own" if own else "other"]


def page(suffix: str = ""):
    return lambda w, who, own: f"/publication/contrats/{contract(w, who, own).pk}/{suffix}"


def api(suffix: str = ""):
    return lambda w, who, own: f"/api/v1/publication/seao/{contract(w, who, own).pk}{suffix}"


def consents_api(suffix: str = ""):
    return lambda w, who, own: (
        f"/api/v1/publication/concluded-contracts/{contract(w, who, own).pk}/consents{suffix}"
    )


def code(w: World, who: str | None, own: bool) -> str:
    return "43230000" if contract(w, who, own).kind == "solutions" else "81160000"


PAGES = [
    page_route(
        "publication:concluded_list",
        "get",
        fixed("/publication/contrats-conclus/"),
        allowed(READERS, 200, 403),
    ),
    page_route(
        "publication:concluded_export",
        "get",
        fixed("/publication/contrats-conclus/export.csv"),
        allowed(READERS, 200, 403),
    ),
    page_route(
        "publication:sheets_to_publish",
        "get",
        fixed("/publication/seao/"),
        allowed(READERS, 200, 403),
    ),
    page_route("publication:contract", "get", page(), seen(200)),
    page_route("publication:sheet_print", "get", page("seao/imprimer/"), seen(200)),
    page_route(
        "publication:contract_action#fiche",
        "post",
        page("fiche/"),
        seen(302, RUNNERS),
        lambda w, who, own: {"unspsc_codes": [code(w, who, own)]},
    ),
    # The checklist is not ticked: the runners are told (422).
    page_route(
        "publication:contract_action#publier",
        "post",
        page("publier/"),
        seen(422, RUNNERS),
        lambda w, who, own: {"published_on": CONCLUDED_ON.isoformat()},
    ),
    page_route(
        "publication:contract_action#consentir",
        "post",
        page("consentir/"),
        seen(302, RUNNERS),
        lambda w, who, own: {"contact": w.people["client_head"].pk},
    ),
]

SEAO = "/api/v1/publication/seao"
LIST = "/api/v1/publication/concluded-contracts"
json_route = lambda key, method, url, expect, data: Route(  # noqa: E731
    key, method, url, expect, 401, data=data, json=True
)
API = [
    # Everyone signed in gets the sheets to publish they see (none for a supplier).
    Route(f"GET {SEAO}", "get", fixed(SEAO), allowed(ALL, 200, 200), 401),
    Route(f"GET {SEAO}/{{contract_id}}", "get", api(), seen(200), 401),
    json_route(
        f"PUT {SEAO}/{{contract_id}}",
        "put",
        api(),
        seen(200, RUNNERS),
        lambda w, who, own: {"unspsc_codes": [code(w, who, own)]},
    ),
    json_route(
        f"PUT {SEAO}/{{contract_id}}/checklist",
        "put",
        api("/checklist"),
        seen(200, RUNNERS),
        lambda w, who, own: {"checklist": ["nature"]},
    ),
    # The codes are not chosen nor the checklist ticked: the runners are told (422).
    json_route(
        f"POST {SEAO}/{{contract_id}}/publish",
        "post",
        api("/publish"),
        seen(422, RUNNERS),
        lambda w, who, own: {"published_on": CONCLUDED_ON.isoformat()},
    ),
    Route(f"GET {LIST}", "get", fixed(LIST), allowed(READERS, 200, 403), 401),
    Route(f"GET {LIST}/{{contract_id}}/consents", "get", consents_api(), seen(200), 401),
    json_route(
        f"POST {LIST}/{{contract_id}}/consents",
        "post",
        consents_api(),
        seen(201, RUNNERS),
        lambda w, who, own: {"contact_id": w.people["client_head"].pk},
    ),
    # No consent in force to revoke: the runners are told (422).
    Route(
        f"POST {LIST}/{{contract_id}}/consents/revoke",
        "post",
        consents_api("/revoke"),
        seen(422, RUNNERS),
        401,
    ),
]


@pytest.mark.django_db
class TestAccessToTheSeaoSheetAndTheConcludedList:
    @pytest.fixture(scope="class")
    def publication_world(self, class_people, django_db_blocker):  # noqa: F811
        """The class's people and two concluded contracts of clients subject to the RCTI, built
        once: Ministère A's with Fournisseur D (in force) and Organisme B's with Prestataire G
        (concluded)."""
        from tests.contracts import factories

        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            own = factories.solutions_contract(orgs, people, ready=False)
            Contract.objects.filter(pk=own.pk).update(supplier=orgs["supplier"])
            own = factories.forced(own, ContractState.IN_FORCE, concluded_on=CONCLUDED_ON)
            other = factories.services_contract(orgs, people, ready=False)
            Contract.objects.filter(pk=other.pk).update(
                client=orgs["client_other"], supplier=orgs["provider_other"], subject_to_rcti=True
            )
            other = factories.forced(other, ContractState.CONCLUDED, concluded_on=CONCLUDED_ON)
            yield orgs, people, sessions, {"own": own, "other": other}

    @pytest.fixture
    def world(self, publication_world):
        orgs, people, sessions, contracts = publication_world
        return World(orgs, people, sessions, {"contracts": contracts})

    @pytest.mark.parametrize("route", PAGES + API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
