"""Who reaches the pages and API of feedback and complaints (issue 14 §1; DOMAIN §1, §5.6): the
broker's staff see every one, its administrators and agents assign, answer and close; a client
body's people see their body's (another body's: 404) and those who run its acquisitions send
them; suppliers and providers see none, not even one about themselves (404, absent from lists).
The rows (``PAGES`` and ``API``) are counted by tests/test_permission_matrix.py."""

from __future__ import annotations

import pytest

from courtier.accounts.models import Organisation, Role
from courtier.complaints import rules
from courtier.complaints.services import complaints as services
from tests.factories import make_person
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

CLIENTS = {"client", "group_purchaser"}
SUPPLIERS = {"supplier", "provider"}
# Those who send one for their body: who runs its acquisitions (policies.submitting_for).
SENDERS = frozenset({"client_procurement", "client_head", "client_finance", "group_procurement"})
READERS = BROKER_STAFF | CLIENT_SIDE


def complaint(w: World, who: str | None, own: bool) -> int:
    """A breach complaint of the row's body (or of a client body, own or other, for the broker
    and the suppliers), about the row's supplier or provider when there is one (it still sees
    nothing of it, DOMAIN §1)."""
    org = w.org(who, own)
    client = org if org.kind in CLIENTS else (w.orgs["client"] if own else w.orgs["client_other"])
    concerned = org if org.kind in SUPPLIERS else w.orgs["supplier"]

    def build() -> int:
        return services.complaint_submit(
            by=sender(w, client),
            client=client,
            category=rules.Category.BREACH,
            subject="Engagement non tenu",
            description="Le fournisseur ne respecte pas l'entente-cadre.",
            supplier_id=concerned.pk,
        ).pk

    return w.once(("complaint", client.pk, concerned.pk), build)


def sender(w: World, client: Organisation):
    if client == w.orgs["client"]:
        return w.people["client_procurement"]
    if client == w.orgs["group"]:
        return w.people["group_procurement"]
    return w.once(
        ("sender", client.pk),
        lambda: make_person(client, Role.CLIENT_PROCUREMENT, f"plaignant{client.pk}"),
    )


def page(suffix: str = ""):
    return lambda w, who, own: f"/plaintes/{complaint(w, who, own)}/{suffix}"


def api(suffix: str = ""):
    return lambda w, who, own: f"/api/v1/complaints/{complaint(w, who, own)}{suffix}"


def seen(ok: int, movers: frozenset[str] | None = None):
    """Readers get ``ok`` on their body's (the broker's staff on every one), 404 otherwise; when
    ``movers`` is given, readers outside it get 403."""

    def expect(who: str, own: bool) -> int:
        if who not in READERS or (not own and who not in BROKER_STAFF):
            return 404
        return ok if movers is None or who in movers else 403

    return expect


def _assignee(w: World, who: str | None, own: bool) -> dict:
    return {"assignee": w.people["broker_agent"].pk}


def _assignee_json(w: World, who: str | None, own: bool) -> dict:
    return {"assignee_id": w.people["broker_agent"].pk}


def _new_one(w: World, who: str | None, own: bool) -> dict:
    return {
        "category": "documents",
        "subject": "Le guide",
        "description": "Le guide d'acquisition manque d'exemples.",
    }


PAGES = [
    page_route("complaints:complaint_list", "get", fixed("/plaintes/"), allowed(READERS, 200, 403)),
    page_route(
        "complaints:complaint_create",
        "get",
        fixed("/plaintes/nouvelle/"),
        allowed(SENDERS, 200, 403),
    ),
    page_route("complaints:detail", "get", page(), seen(200)),
    page_route(
        "complaints:complaint_action#assign",
        "post",
        page("assigner/"),
        seen(302, DECIDERS),
        data=_assignee,
    ),
    page_route(
        "complaints:complaint_action#answer-empty",
        "post",
        page("repondre/"),
        seen(422, DECIDERS),
    ),
]

URL = "/api/v1/complaints"
API = [
    Route(f"GET {URL}", "get", fixed(URL), allowed(READERS, 200, 200), 401),
    Route(
        f"POST {URL}",
        "post",
        fixed(URL),
        allowed(SENDERS, 201, 403),
        401,
        data=_new_one,
        json=True,
    ),
    Route(f"GET {URL}/{{complaint_id}}", "get", api(), seen(200), 401),
    Route(
        f"POST {URL}/{{complaint_id}}/assign",
        "post",
        api("/assign"),
        seen(200, DECIDERS),
        401,
        data=_assignee_json,
        json=True,
    ),
    Route(
        f"POST {URL}/{{complaint_id}}/answer",
        "post",
        api("/answer"),
        seen(422, DECIDERS),
        401,
        data=lambda w, who, own: {"text": "Voici."},
        json=True,
    ),
    # Still open (not answered): the close is refused to the broker's movers (422).
    Route(
        f"POST {URL}/{{complaint_id}}/close",
        "post",
        api("/close"),
        seen(422, DECIDERS),
        401,
        json=True,
    ),
]


@pytest.mark.django_db
class TestAccessToComplaints:
    @pytest.fixture
    def world(self, class_people):  # noqa: F811
        return World(*class_people)

    @pytest.mark.parametrize("route", PAGES + API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
