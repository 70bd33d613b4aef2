"""Feedback and complaints through the Django test client (issue 14 §1 « Done when »; DOMAIN §1,
§5.6; 002 §4.6): each category, sent with its link, is seen with its status by the client
body's own people and by nobody else — another client body and the supplier it is about get 404
on the page and the API and find nothing in the lists; the broker assigns, answers and closes it
from its page, each move audited. A refused form says why in French (422), the API names the
field, and a replayed submission creates nothing twice."""

from __future__ import annotations

import pytest

from courtier.accounts.models import Role
from courtier.audit.models import AuditEvent
from courtier.complaints import messages
from courtier.complaints.home import RELATED
from courtier.complaints.models import Complaint, ComplaintState
from courtier.core import related
from courtier.core.replay import FORM_TOKEN_FIELD, IDEMPOTENCY_HEADER, new_form_token
from tests.complaints import factories
from tests.complaints.factories import C, links_for, submit
from tests.factories import make_person
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(factories.contract_world)
API = "/api/v1/complaints"


@pytest.fixture
def contract(world):
    return world[2]["contract"]


@pytest.fixture
def other_client(world):
    return world[2]["other_client"]


def api_body(category: str, contract) -> dict:
    return {
        "category": category,
        "subject": "Un objet",
        "description": "Ce qui ne va pas.",
        **links_for(category, contract),
    }


@pytest.mark.parametrize("category", list(C))
def test_each_category_is_seen_by_its_body_and_by_nobody_else(
    category, contract, other_client, people, client
):
    client.force_login(people["client_procurement"])
    sent = client.post(API, api_body(category, contract), content_type="application/json")
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    assert sent.json()["state_label"] == str(ComplaintState.OPEN.label)

    for own in ("client_head", "client_auditor"):
        client.force_login(people[own])
        assert client.get(f"/plaintes/{pk}/").status_code == 200
        assert client.get(f"{API}/{pk}").json()["state"] == "open"
        listed = client.get("/plaintes/")
        assert sent.json()["reference"] in listed.content.decode()
        assert str(ComplaintState.OPEN.label) in listed.content.decode()

    concerned = make_person(contract.supplier, Role.SUPPLIER_REP, "visé")
    for stranger in (other_client, concerned):
        client.force_login(stranger)
        assert client.get(f"/plaintes/{pk}/").status_code == 404
        assert client.get(f"{API}/{pk}").status_code == 404
        assert client.get(API).json()["items"] == []
        assert sent.json()["reference"] not in client.get("/plaintes/").content.decode()


def test_the_broker_assigns_answers_and_closes_from_the_page_each_move_audited(
    orgs, people, client
):
    complaint = submit(people["client_procurement"], orgs["client"])
    agent = people["broker_agent"]
    client.force_login(agent)
    page = f"/plaintes/{complaint.pk}/"
    assert client.post(f"{page}assigner/", {"assignee": agent.pk}).status_code == 302
    assert client.post(f"{page}repondre/", {"text": "Le guide sera revu."}).status_code == 302
    assert client.post(f"{page}fermer/", {}).status_code == 302

    complaint.refresh_from_db()
    assert (complaint.state, complaint.assignee) == (ComplaintState.CLOSED, agent)
    actions = list(
        AuditEvent.objects.filter(object_id=str(complaint.pk), action__startswith="complaint.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint.submitted",
        "complaint.assigned",
        "complaint.answered",
        "complaint.closed",
    ]
    client.force_login(people["client_head"])
    shown = client.get(page).content.decode()
    assert "Le guide sera revu." in shown and str(ComplaintState.CLOSED.label) in shown


def test_a_client_may_not_move_its_own_complaint(orgs, people, client):
    complaint = submit(people["client_procurement"], orgs["client"])
    client.force_login(people["client_procurement"])
    assert client.post(f"/plaintes/{complaint.pk}/fermer/", {}).status_code == 403
    assert client.post(f"{API}/{complaint.pk}/close", {}, "application/json").status_code == 403


def test_a_dispute_sent_without_its_links_is_refused_in_french(orgs, people, client):
    client.force_login(people["client_procurement"])
    response = client.post(
        "/plaintes/nouvelle/",
        {
            "client": orgs["client"].pk,
            "category": C.DISPUTE,
            "subject": "Litige",
            "description": "Désaccord sur le contrat.",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    for problem in ("contract_required", "supplier_required"):
        assert str(messages.LINK_PROBLEMS[problem][1]).replace("'", "&#x27;") in page
    assert not Complaint.objects.exists()


def test_the_form_sends_one_and_a_replay_creates_nothing_twice(orgs, people, client):
    client.force_login(people["client_procurement"])
    data = {
        "client": orgs["client"].pk,
        "category": C.DOCUMENTS,
        "subject": "Le guide",
        "description": "Il manque des exemples.",
        FORM_TOKEN_FIELD: new_form_token(),
    }
    first = client.post("/plaintes/nouvelle/", data)
    again = client.post("/plaintes/nouvelle/", data)

    complaint = Complaint.objects.get()
    # The replay is sent (303) to where the first submission led (courtier.core.replay).
    assert (first.status_code, again.status_code) == (302, 303)
    assert first["Location"] == again["Location"] == f"/plaintes/{complaint.pk}/"
    assert complaint.client == orgs["client"] and complaint.state == ComplaintState.OPEN


def test_the_api_names_the_field_a_category_needs(people, client):
    client.force_login(people["client_procurement"])
    body = {"category": C.DISPUTE, "subject": "Litige", "description": "Désaccord."}
    response = client.post(API, body, content_type="application/json")

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"contract_id", "supplier_id"} <= fields
    assert not Complaint.objects.exists()


def test_the_api_refuses_an_empty_subject_naming_it(people, client):
    client.force_login(people["client_procurement"])
    body = {"category": C.DOCUMENTS, "subject": "", "description": "Désaccord."}
    response = client.post(API, body, content_type="application/json")

    assert response.status_code == 422
    assert "subject" in {e["field"] for e in response.json()["errors"]}


def test_an_api_replay_under_the_same_key_creates_nothing_twice(contract, people, client):
    client.force_login(people["client_procurement"])
    body = api_body(C.BREACH, contract)
    headers = {IDEMPOTENCY_HEADER: "plainte-1"}
    first = client.post(API, body, content_type="application/json", headers=headers)
    again = client.post(API, body, content_type="application/json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Complaint.objects.count() == 1


def test_the_broker_answers_through_the_api_and_an_empty_answer_names_the_field(
    orgs, people, client
):
    complaint = submit(people["client_procurement"], orgs["client"])
    agent = people["broker_agent"]
    client.force_login(agent)
    url = f"{API}/{complaint.pk}"
    assigned = client.post(f"{url}/assign", {"assignee_id": agent.pk}, "application/json")
    empty = client.post(f"{url}/answer", {"text": ""}, "application/json")
    answered = client.post(f"{url}/answer", {"text": "Voici."}, "application/json")

    assert assigned.json()["state"] == "assigned"
    assert empty.status_code == 422 and "text" in {e["field"] for e in empty.json()["errors"]}
    assert answered.json()["state"] == "answered"
    assert [a["text"] for a in answered.json()["answers"]] == ["Voici."]


def test_the_contract_page_links_to_its_complaints_for_those_who_may_see_them(
    contract, other_client, people, client
):
    submit(
        people["client_procurement"], contract.client, C.DISPUTE, **links_for(C.DISPUTE, contract)
    )
    submit(people["client_procurement"], contract.client)  # not tied to the contract

    def links(user) -> list[related.Link]:
        return [link for link in related.links_for(contract, user) if link.label == str(RELATED)]

    (link,) = links(people["client_head"])
    assert link.detail == "1" and link.url == f"/plaintes/?contrat={contract.pk}"
    assert [link.detail for link in links(people["broker_auditor"])] == ["1"]
    concerned = make_person(contract.supplier, Role.SUPPLIER_REP, "visé")
    assert links(concerned) == links(other_client) == []

    client.force_login(people["client_head"])
    rows = client.get(link.url).context["rows"]
    assert [c.category for c, _flags in rows] == [C.DISPUTE]


def test_the_form_opened_from_a_contract_has_it_chosen(contract, people, client):
    client.force_login(people["client_procurement"])
    form = client.get(f"/plaintes/nouvelle/?contrat={contract.pk}").context["form"]
    assert form.initial == {"contract": contract.pk}


@pytest.mark.parametrize(
    ("person", "shown", "hidden"),
    [
        ("client_procurement", "Vos commentaires pour", "Les commentaires et les plaintes"),
        ("broker_agent", "Les commentaires et les plaintes", "Vos commentaires pour"),
    ],
)
def test_the_list_speaks_to_the_client_or_to_the_broker(person, shown, hidden, people, client):
    client.force_login(people[person])
    page = client.get("/plaintes/").content.decode()
    assert shown in page
    assert hidden not in page
