"""Who reaches the pages and API of exit plans (issue 14 §3; DOMAIN §1, §5.9): a plan is seen as
its contract is (the broker's staff every one, the client body's people and the outgoing
supplier's their own, 404 otherwise); the client's people who run its acquisitions prepare,
submit, mark done and complete it, the broker's administrators and agents take note of it or
return it; the others who see it get 403, a move its state refuses 422. "own": the Ministère A's
solutions contract with Fournisseur D; "other": Organisme B's with Fournisseur E — each with its
plan (the next contract with the same supplier, one activity), put in the row's state. The rows
(``PAGES`` and ``API``) are counted by tests/test_permission_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from courtier.contracts.models import Contract, ContractState
from courtier.exitplans.models import ExitPlan
from courtier.exitplans.services import plans as services
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

# Who sees a contract (tests/test_permission_matrix.py CONTRACT_READERS), hence its plan.
READERS = BROKER_STAFF | {
    "client_procurement",
    "client_head",
    "client_finance",
    "client_signatory",
    "client_auditor",
    "supplier_rep",
}
# The client's people who run its acquisitions (contracts.policies.runs_contract).
RUNNERS = frozenset({"client_procurement", "client_head", "client_finance"})
ACTIVITY = {
    "name": "Extraction des données",
    "start_on": date(2027, 9, 1),
    "end_on": date(2027, 10, 31),
}


def seen(ok: int, movers: frozenset[str] = READERS) -> Callable[[str, bool], int]:
    """Readers get ``ok`` on their own contract's plan (the broker's staff on every one), 404
    otherwise; readers outside ``movers`` get 403."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF and (not own or who not in READERS):
            return 404
        return ok if who in movers else 403

    return expect


def plan(w: World, who: str | None, own: bool, state: str = "draft") -> ExitPlan:
    """The row's plan ("own" or "other"), put in ``state`` for the row."""
    found = w.built["plans"]["own" if own else "other"]
    if state != "draft":
        w.once(("state", own), lambda: ExitPlan.objects.filter(pk=found.pk).update(state=state))
    return found


def page(suffix: str = "", state: str = "draft"):
    return lambda w, who, own: (
        f"/transition/contrats/{plan(w, who, own, state).contract_id}/{suffix}"
    )


def api(suffix: str = "", state: str = "draft"):
    return lambda w, who, own: f"{URL}/{plan(w, who, own, state).pk}{suffix}"


def activity_done(state: str):
    def url(w: World, who: str | None, own: bool) -> str:
        found = plan(w, who, own, state)
        return f"{URL}/{found.pk}/activities/{found.activities.get().pk}/done"

    return url


def _new_plan(w: World, who: str | None, own: bool) -> dict:
    """A plan for the row's contract, which has one already: refused (422) to its runners."""
    return {"contract_id": plan(w, who, own).contract_id, "same_supplier": True}


PAGES = [
    page_route(
        "exitplans:plan_list",
        "get",
        fixed("/transition/"),
        allowed(READERS | {"group_procurement", "provider_rep"}, 200, 403),
    ),
    page_route("exitplans:plan", "get", page(), seen(200)),
    # An empty form: the plan's runners are answered with its French errors (422).
    page_route("exitplans:plan_action#modifier", "post", page("modifier/"), seen(422, RUNNERS)),
    page_route("exitplans:plan_action#creer", "post", page("creer/"), seen(422, RUNNERS)),
    page_route("exitplans:plan_action#soumettre", "post", page("soumettre/"), seen(302, RUNNERS)),
    page_route(
        "exitplans:plan_action#prendre-acte",
        "post",
        page("prendre-acte/", "submitted"),
        seen(302, DECIDERS),
    ),
    page_route(
        "exitplans:plan_action#retourner",
        "post",
        page("retourner/", "submitted"),
        seen(422, DECIDERS),
    ),
    page_route(
        "exitplans:plan_action#activite-faite",
        "post",
        page("activite-faite/", "submitted"),
        seen(422, RUNNERS),
    ),
    # The activity is not done yet: the completion is refused (422).
    page_route(
        "exitplans:plan_action#terminer",
        "post",
        page("terminer/", "acknowledged"),
        seen(422, RUNNERS),
    ),
]

URL = "/api/v1/exit-plans"
API = [
    Route(f"GET {URL}", "get", fixed(URL), allowed(ALL, 200, 200), 401),
    Route(f"POST {URL}", "post", fixed(URL), seen(422, RUNNERS), 401, data=_new_plan, json=True),
    Route(f"GET {URL}/{{plan_id}}", "get", api(), seen(200), 401),
    Route(
        f"PATCH {URL}/{{plan_id}}",
        "patch",
        api(),
        seen(200, RUNNERS),
        401,
        data=lambda w, who, own: {"warning_months": 10},
        json=True,
    ),
    Route(f"POST {URL}/{{plan_id}}/submit", "post", api("/submit"), seen(200, RUNNERS), 401),
    Route(
        f"POST {URL}/{{plan_id}}/acknowledge",
        "post",
        api("/acknowledge", "submitted"),
        seen(200, DECIDERS),
        401,
    ),
    Route(
        f"POST {URL}/{{plan_id}}/return",
        "post",
        api("/return", "submitted"),
        seen(200, DECIDERS),
        401,
        data=lambda w, who, own: {"comment": "Précisez la migration."},
        json=True,
    ),
    Route(
        f"POST {URL}/{{plan_id}}/activities/{{activity_id}}/done",
        "post",
        activity_done("submitted"),
        seen(200, RUNNERS),
        401,
        data=lambda w, who, own: {},
        json=True,
    ),
    Route(
        f"POST {URL}/{{plan_id}}/complete",
        "post",
        api("/complete", "acknowledged"),
        seen(422, RUNNERS),
        401,
    ),
]


def plans_world(orgs, people) -> dict[str, ExitPlan]:
    """Two in-force solutions contracts and their draft plans (see the module's note)."""
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
            contract = creation.contract_create(by=people["broker_agent"], strategy=file.strategy)
            Contract.objects.filter(pk=contract.pk).update(client=client, supplier=supplier)
            made[key] = forced(
                contract,
                ContractState.IN_FORCE,
                start_on=date(2026, 1, 1),
                duration_months=24,
                ends_on=date(2027, 12, 31),
            )
    runner = {
        "own": people["client_procurement"],
        "other": acquisitions.runner(orgs["client_other"]),
    }
    return {
        key: services.exit_plan_create(
            by=runner[key], contract=contract, same_supplier=True, activities=[ACTIVITY]
        )
        for key, contract in made.items()
    }


@pytest.mark.django_db
class TestAccessToExitPlans:
    @pytest.fixture(scope="class")
    def exit_world(self, class_people, django_db_blocker):  # noqa: F811
        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            yield orgs, people, sessions, plans_world(orgs, people)

    @pytest.fixture
    def world(self, exit_world):
        orgs, people, sessions, plans = exit_world
        return World(orgs, people, sessions, {"plans": plans})

    @pytest.mark.parametrize("route", PAGES + API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
