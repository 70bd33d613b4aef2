"""The exit plans API through the Django test client (issue 14 §3; 002 §4.9): a plan opened for
a solutions contract with the follow-up file and the new supplier's contract, answered with its
overlap; a refusal is 422 naming the request's field (an activity after the contract's end, an
overlap too short, another client's file); a replay under the same ``Idempotency-Key`` creates
nothing twice; the moves of the plan; outsiders get 404 and find nothing in the list."""

from __future__ import annotations

import pytest

from courtier.audit.models import AuditEvent
from courtier.core.replay import IDEMPOTENCY_HEADER
from courtier.exitplans.models import ExitPlan, PlanState
from tests.exitplans import factories as f
from tests.exitplans.factories import EARLY, INSIDE, LATE
from tests.factories import make_person
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(f.world)
URL = "/api/v1/exit-plans"


@pytest.fixture
def w(world):
    return world[2]


def body(w, activities=INSIDE, **more) -> dict:
    return {
        "contract_id": w["old"],
        "same_supplier": False,
        "follow_up_file_id": w["follow_up"],
        "new_contract_id": w["new"],
        "activities": [
            {"name": a["name"], "start_on": str(a["start_on"]), "end_on": str(a["end_on"])}
            for a in activities
        ],
    } | more


def post(client, url, data=None, **kw):
    return client.post(url, data or {}, content_type="application/json", **kw)


def fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.fixture
def runner(client, people):
    client.force_login(people["client_procurement"])
    return client


def test_the_client_opens_a_plan_with_its_follow_up_and_the_new_contract(w, runner):
    response = post(runner, URL, body(w))
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["state"] == "draft" and plan["warning_months"] == 9
    assert plan["contract"]["ends_on"] == "2027-12-31" and plan["warning_on"] == "2027-03-31"
    assert plan["follow_up_file"]["reference"] == f.file(w).reference
    assert plan["new_contract"]["id"] == w["new"]
    assert (plan["overlap_days"], plan["needed_days"], plan["problems"]) == (122, 92, {})
    assert [a["name"] for a in plan["activities"]] == [a["name"] for a in INSIDE]
    assert AuditEvent.objects.filter(action="exit_plan.created").count() == 1


@pytest.mark.parametrize(
    ("activities", "more", "field"),
    [
        ([LATE], {"same_supplier": True, "new_contract_id": None}, "activities"),
        ([EARLY, *INSIDE], {}, "new_contract_id"),
        (INSIDE, {"none_needed": True}, "none_needed"),
    ],
    ids=["activity_after_the_end", "overlap_too_short", "none_needed_with_a_new_supplier"],
)
def test_a_refused_plan_is_422_naming_the_field(w, runner, activities, more, field):
    response = post(runner, URL, body(w, activities, **more))
    assert response.status_code == 422
    assert field in fields(response)
    assert not ExitPlan.objects.exists()


def test_another_client_s_file_is_refused_at_its_field(w, runner):
    response = post(runner, URL, body(w, follow_up_file_id=w["other_file"]))
    assert response.status_code == 422 and fields(response) == {"follow_up_file_id"}


def test_an_activity_without_dates_is_refused_by_the_schema(w, runner):
    response = post(runner, URL, body(w) | {"activities": [{"name": "Sans dates"}]})
    assert response.status_code == 422
    assert any(field.startswith("activities") for field in fields(response))


def test_a_replay_under_the_same_key_creates_nothing_twice(w, runner):
    headers = {IDEMPOTENCY_HEADER: "plan-sortie-1"}
    first = post(runner, URL, body(w), headers=headers)
    again = post(runner, URL, body(w), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and first.json() == again.json()
    assert ExitPlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="exit_plan.created").count() == 1
    # Without the key, a second plan for the contract is refused at the contract.
    third = post(runner, URL, body(w))
    assert third.status_code == 422 and fields(third) == {"contract_id"}


def test_the_plan_moves_from_the_client_to_the_broker_and_is_completed(w, client, people):
    client.force_login(people["client_procurement"])
    plan = post(client, URL, body(w)).json()
    url = f"{URL}/{plan['id']}"
    changed = client.patch(url, {"warning_months": 12}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["warning_months"] == 12
    assert post(client, f"{url}/submit").json()["state"] == "submitted"
    assert (
        client.patch(url, {"warning_months": 10}, content_type="application/json").status_code
        == 422
    )

    client.force_login(people["broker_agent"])
    empty = post(client, f"{url}/return", {"comment": ""})
    assert empty.status_code == 422 and "comment" in fields(empty)
    assert post(client, f"{url}/acknowledge").json()["state"] == "acknowledged"

    client.force_login(people["client_procurement"])
    refused = post(client, f"{url}/complete")
    assert refused.status_code == 422 and fields(refused) == {"activities"}
    for activity in plan["activities"]:
        done = post(client, f"{url}/activities/{activity['id']}/done", {"done_on": "2026-12-01"})
        assert done.status_code == 200, done.content
    completed = post(client, f"{url}/complete")
    assert completed.json()["state"] == "completed"
    assert ExitPlan.objects.get().state == PlanState.COMPLETED
    assert [a["done_on"] for a in completed.json()["activities"]] == ["2026-12-01"] * 2


def test_a_submission_refused_names_the_missing_new_contract(w, runner):
    plan = post(runner, URL, body(w, new_contract_id=None)).json()
    assert plan["problems"] == {"new_contract": [plan["problems"]["new_contract"][0]]}
    refused = post(runner, f"{URL}/{plan['id']}/submit")
    assert refused.status_code == 422 and fields(refused) == {"new_contract_id"}


def test_outsiders_get_404_and_an_empty_list(w, client, orgs, people):
    client.force_login(people["client_procurement"])
    plan_id = post(client, URL, body(w)).json()["id"]
    for outsider in (
        make_person(orgs["client_other"], "client_procurement", "autre"),
        people["supplier_rep"],  # Fournisseur D, the new supplier: not this contract's
        people["provider_rep"],
    ):
        client.force_login(outsider)
        assert client.get(f"{URL}/{plan_id}").status_code == 404
        assert post(client, f"{URL}/{plan_id}/submit").status_code == 404
        assert client.get(URL).json()["items"] == []
    client.force_login(make_person(orgs["supplier_other"], "supplier_rep", "sortant"))
    assert [p["id"] for p in client.get(URL).json()["items"]] == [plan_id]
    assert post(client, f"{URL}/{plan_id}/submit").status_code == 403


def test_the_list_filters_by_state(w, runner):
    post(runner, URL, body(w))
    assert len(runner.get(f"{URL}?state=draft").json()["items"]) == 1
    assert runner.get(f"{URL}?state=submitted").json()["items"] == []
    assert runner.get(f"{URL}?state=nimporte").status_code == 422


def test_a_done_date_in_the_future_is_refused_at_its_field(w, client, people):
    client.force_login(people["client_procurement"])
    plan = post(client, URL, body(w)).json()
    post(client, f"{URL}/{plan['id']}/submit")
    activity = plan["activities"][0]["id"]
    late = post(client, f"{URL}/{plan['id']}/activities/{activity}/done", {"done_on": "2099-01-01"})
    assert late.status_code == 422 and fields(late) == {"done_on"}
