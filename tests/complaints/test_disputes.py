"""Disputes that persist or repeat (DOMAIN §5.10: « informer le Courtier si le différend persiste
ou se répète »), over time on a frozen clock: flagged on the broker's list and page, a broker's
work item, and a warning in the supplier's standing (counts only); work items of the broker and
of the client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courtier.complaints import home, selectors
from courtier.complaints.models import Complaint
from courtier.complaints.services import complaints as services
from courtier.core import standing
from tests.acquisitions.factories import at
from tests.complaints import factories
from tests.complaints.factories import C, dispute, moved, submit
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(factories.contract_world)
RECEIVED = date(2027, 3, 1)


@pytest.fixture
def contract(world):
    return world[2]["contract"]


def flags_of(complaint: Complaint, day: date) -> list[str]:
    with at(day):
        return selectors.dispute_flags([Complaint.objects.get(pk=complaint.pk)]).get(
            complaint.pk, []
        )


def test_a_dispute_not_settled_within_30_days_persists(contract, people):
    with at(RECEIVED):
        complaint = dispute(people["client_procurement"], contract)
    assert flags_of(complaint, RECEIVED + timedelta(days=30)) == []
    assert flags_of(complaint, RECEIVED + timedelta(days=31)) == ["persists"]


def test_a_dispute_settled_in_time_does_not_persist(contract, people):
    with at(RECEIVED):
        complaint = dispute(people["client_procurement"], contract)
    with at(RECEIVED + timedelta(days=20)):
        moved(complaint, people["broker_agent"], "closed")
    assert flags_of(complaint, RECEIVED + timedelta(days=90)) == []


def test_a_second_dispute_with_the_same_supplier_within_a_year_repeats(contract, people):
    with at(RECEIVED):
        first = moved(
            dispute(people["client_procurement"], contract), people["broker_agent"], "closed"
        )
    with at(RECEIVED + timedelta(days=200)):
        second = dispute(people["client_head"], contract)
    assert flags_of(first, RECEIVED + timedelta(days=201)) == []
    assert flags_of(second, RECEIVED + timedelta(days=201)) == ["repeats"]


def test_another_category_is_never_flagged(contract, people):
    with at(RECEIVED):
        complaint = submit(
            people["client_procurement"],
            contract.client,
            C.TERMINATION,
            contract_id=contract.pk,
            supplier_id=contract.supplier_id,
        )
    assert flags_of(complaint, RECEIVED + timedelta(days=90)) == []


def test_a_flagged_dispute_is_shown_to_the_broker_and_awaits_it(contract, people, client):
    with at(RECEIVED):
        complaint = dispute(people["client_procurement"], contract)
    with at(RECEIVED + timedelta(days=45)):
        agent = people["broker_agent"]
        keys = {item.key for item in home.work_items(agent)}
        assert f"complaints.flagged:{complaint.pk}" in keys
        assert f"complaints.complaint:{complaint.pk}:open" in keys
        client.force_login(agent)
        listed = page_text(client.get("/plaintes/?signale=1"))
        assert complaint.reference in listed and "Persiste" in listed
        assert "Persiste" in page_text(client.get(f"/plaintes/{complaint.pk}/"))
        # The client sees its status, not the broker's flag.
        client.force_login(people["client_procurement"])
        assert "Persiste" not in page_text(client.get(f"/plaintes/{complaint.pk}/"))


def test_the_supplier_s_standing_counts_open_complaints_and_warns_of_a_flagged_dispute(
    contract, orgs, people
):
    """Issue 14 §2: counts only, whoever looks (another client too)."""
    supplier = contract.supplier_id
    with at(RECEIVED):
        complaint = dispute(people["client_procurement"], contract)
        submit(
            people["client_procurement"],
            contract.client,
            C.PERFORMANCE,
            offer_id=factories.offer_of(contract),
        )
    with at(RECEIVED + timedelta(days=5)):
        [line] = standing.standings([supplier], people["client_procurement"])[supplier]
        assert (line.label, line.value, line.warning) == ("Plaintes ouvertes", "2", False)
    with at(RECEIVED + timedelta(days=40)):
        [line] = standing.standings([supplier], people["client_procurement"])[supplier]
        assert line.value.startswith("2 — ") and line.warning is True
        assert complaint.subject not in line.value
        moved(complaint, people["broker_agent"], "closed")
        [line] = standing.standings([supplier], people["client_procurement"])[supplier]
        assert (line.value, line.warning) == ("1", False)
    assert standing.standings([orgs["provider"].pk], None)[orgs["provider"].pk] == []


def test_the_assignee_answers_and_the_sender_reads_the_answer(orgs, people):
    agent = people["broker_agent"]
    complaint = moved(submit(people["client_head"], orgs["client"]), agent, "assigned")
    mine = [i for i in home.work_items(agent) if i.key.endswith(f":{complaint.pk}:assigned")]
    assert [i.awaits for i in mine] == ["person"]
    assert not [i for i in home.work_items(people["broker_admin"]) if "assigned" in i.key]
    services.complaint_answer(by=agent, complaint=complaint, text="Réponse.")
    keys = {i.key for i in home.work_items(people["client_head"])}
    assert f"complaints.complaint:{complaint.pk}:answered" in keys
    assert not list(home.work_items(people["supplier_rep"]))
