"""The audit trail as people read it (issue 10 §5; DOMAIN §7: prove what was done, by whom,
when): changed fields with French labels and formatted values, filters as lists of labels kept
in the URL, a period, and nothing of another organisation for a client's auditor."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from courtier.audit.services import audit_event_record
from tests.helpers import page_text, shared_world

TORONTO = ZoneInfo("America/Toronto")
FILE = "acquisitions.acquisitionfile"


def build(orgs):
    """Three events: the client's file changed in November, the other body's in December, and a
    client's access request in December."""
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=TORONTO), tick=False):
        budget = audit_event_record(
            actor=None,
            action="acquisition.needs_updated",
            object_type=FILE,
            object_id="41",
            organisation=orgs["client"],
            before={
                "budget_cents": 100000,
                "planned_start": "2026-11-01",
                "personal_information": False,
                "location": "quebec",
                "title": "Postes de travail",
            },
            after={
                "budget_cents": 150000,
                "planned_start": "2026-12-01",
                "personal_information": True,
                "location": "canada",
                "title": "Postes de travail",
            },
        )
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=TORONTO), tick=False):
        other = audit_event_record(
            actor=None,
            action="acquisition.created",
            object_type=FILE,
            object_id="42",
            organisation=orgs["client_other"],
            after={"title": "Secret de l'organisme B", "budget_cents": 990000},
        )
        request = audit_event_record(
            actor=None,
            action="access_request.submitted",
            object_type="accounts.accessrequest",
            object_id="7",
            organisation=orgs["client"],
            after={"email": "a@test.example", "status": "pending"},
        )
    return {"budget": budget, "other": other, "request": request}


shared, world, orgs, people = shared_world(build)


@pytest.fixture
def events(world):
    return world[2]


def _list(client, who, people, **query):
    client.force_login(people[who])
    return client.get(reverse("audit:event_list"), query)


def test_an_event_shows_its_changed_fields_with_french_labels_and_formatted_values(
    client, people, events
):
    client.force_login(people["broker_auditor"])
    response = client.get(reverse("audit:event_detail", args=[events["budget"].seq]))
    text = page_text(response)
    assert response.status_code == 200
    assert "Définition des besoins modifiée" in text
    assert "Dossier d'acquisition n° 41" in text
    assert "1\u00a0000,00 $" in text and "1\u00a0500,00 $" in text  # money from cents
    assert "1er décembre 2026" in text and "1er novembre 2026" in text  # long dates
    assert "Oui" in text and "Non" in text  # booleans
    assert "Budget" in text  # the model field's French verbose name
    assert "{'budget_cents'" not in text.split("Contenu enregistré")[0]  # no raw dict first
    table = text.split("Ce qui a changé")[1].split("Contenu enregistré")[0]
    assert "Postes de travail" not in table  # an unchanged field is not a change


def test_a_choice_reads_by_its_label(client, people, events):
    client.force_login(people["broker_auditor"])
    text = page_text(client.get(reverse("audit:event_detail", args=[events["budget"].seq])))
    table = text.split("Ce qui a changé")[1].split("Contenu enregistré")[0]
    assert "quebec" not in table and "canada" not in table


def test_the_list_names_objects_and_actions_in_french(client, people, events):
    text = page_text(_list(client, "broker_auditor", people))
    assert "Dossier d'acquisition n° 41" in text
    assert "Demande d'accès n° 7" in text
    assert "Demande d'accès reçue" in text
    assert "20 novembre 2026 à 10 h 00" in text


def test_filters_are_lists_of_labels(client, people, events):
    text = page_text(_list(client, "broker_auditor", people))
    assert '<select name="type"' in text and '<select name="action"' in text
    assert '<select name="organisation"' in text and '<select name="actor"' in text
    assert f'<option value="{FILE}">Dossier d\'acquisition</option>' in text
    assert '<option value="access_request.submitted">Demande d\'accès reçue</option>' in text
    assert "Ministère A</option>" in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"type": "accounts.accessrequest"}, ["Demande d'accès n° 7"], ["n° 41", "n° 42"]),
        ({"action": "acquisition.created"}, ["n° 42"], ["n° 41", "n° 7"]),
        ({"type": FILE, "id": "41"}, ["n° 41"], ["n° 42", "n° 7"]),
        ({"since": "2026-12-01"}, ["n° 42", "n° 7"], ["n° 41"]),
        ({"until": "2026-11-30"}, ["n° 41"], ["n° 42", "n° 7"]),
        ({"since": "2026-11-20", "until": "2026-11-20"}, ["n° 41"], ["n° 42"]),
    ],
)
def test_filters_narrow_the_list(client, people, events, query, shown, hidden):
    response = _list(client, "broker_auditor", people, **query)
    text = page_text(response)
    assert response.status_code == 200
    for fragment in shown:
        assert fragment in text
    for fragment in hidden:
        assert fragment not in text


def test_the_organisation_filter_narrows_the_list(client, people, orgs, events):
    text = page_text(_list(client, "broker_auditor", people, organisation=orgs["client_other"].pk))
    assert "n° 42" in text and "n° 41" not in text


def test_the_filters_stay_in_the_pages_links(client, people, events, monkeypatch):
    monkeypatch.setattr("courtier.audit.selectors.PAGE_SIZE", 1)
    text = page_text(_list(client, "broker_auditor", people, type=FILE))
    assert f"?type={FILE.replace('.', '.')}&page=2" in text.replace("&amp;", "&")


def test_a_filter_no_list_offers_is_refused_in_french(client, people, events):
    response = _list(client, "broker_auditor", people, action="nothing.here")
    assert response.status_code == 422
    assert "Action" in page_text(response)
    response = _list(client, "broker_auditor", people, since="2026-12-05", until="2026-12-01")
    assert response.status_code == 422
    assert "La fin de la période précède son début." in page_text(response)


def test_a_clients_auditor_never_sees_another_organisations_events(client, people, orgs, events):
    text = page_text(_list(client, "client_auditor", people))
    assert "n° 41" in text and "n° 42" not in text
    assert "Organisme B" not in text  # not even among the organisations offered
    response = _list(client, "client_auditor", people, organisation=orgs["client_other"].pk)
    assert "n° 42" not in page_text(response)
    response = client.get(reverse("audit:event_detail", args=[events["other"].seq]))
    assert response.status_code == 404


# --- each object's page links to its own history ------------------------------------------------


@pytest.mark.parametrize("who", ["broker_admin", "broker_agent", "broker_auditor"])
def test_an_organisations_page_links_to_its_history_for_broker_staff(client, people, orgs, who):
    client.force_login(people[who])
    supplier = orgs["supplier"]
    text = page_text(client.get(reverse("accounts:organisation_detail", args=[supplier.pk])))
    assert f"/journal/?type=accounts.organisation&id={supplier.pk}" in text
    assert f"/journal/?organisation={supplier.pk}" in text


def test_no_history_link_for_a_supplier(client, people, orgs):
    client.force_login(people["supplier_rep"])
    response = client.get(reverse("accounts:organisation_detail", args=[orgs["supplier"].pk]))
    assert response.status_code == 200
    assert "/journal/" not in page_text(response)
    response = client.get(reverse("catalogue:sheet", args=[orgs["supplier"].pk]))
    assert response.status_code == 200
    assert "history-link" not in page_text(response)


def test_a_sheets_page_links_to_the_suppliers_history(client, people, orgs):
    client.force_login(people["broker_auditor"])
    response = client.get(reverse("catalogue:sheet", args=[orgs["supplier"].pk]))
    assert f"/journal/?organisation={orgs['supplier'].pk}" in page_text(response)


def test_the_history_link_opens_that_objects_events(client, people, orgs, events):
    """The link's URL is a filter the list accepts (the type list holds every model)."""
    client.force_login(people["broker_auditor"])
    response = client.get("/journal/?type=accounts.accessrequest&id=7")
    assert response.status_code == 200
    text = page_text(response)
    assert "Demande d'accès n° 7" in text and "n° 41" not in text


# --- the API: the same filters by code, labels beside the codes --------------------------------


def _api(client, people, who, **query):
    client.force_login(people[who])
    return client.get("/api/v1/audit-events", query)


def test_the_api_returns_labels_beside_codes(client, people, events):
    response = _api(client, people, "broker_auditor", object_type=FILE, object_id="41")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["action"] == "acquisition.needs_updated"
    assert item["action_label"] == "Définition des besoins modifiée"
    assert item["object_type_label"] == "dossier d'acquisition"
    budget = next(c for c in item["changes"] if c["field"] == "budget_cents")
    assert budget == {
        "field": "budget_cents",
        "label": "budget disponible",
        "before": "1\u00a0000,00 $",
        "after": "1\u00a0500,00 $",
    }


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ({"action": "access_request.submitted"}, {"7"}),
        ({"since": "2026-12-01"}, {"42", "7"}),
        ({"until": "2026-11-30"}, {"41"}),
        ({"organisation": "client_other"}, {"42"}),
        ({"organisation": 2**70}, set()),
    ],
)
def test_the_api_filters_like_the_page(client, people, orgs, events, query, ids):
    if query.get("organisation") == "client_other":
        query = {"organisation": orgs["client_other"].pk}
    response = _api(client, people, "broker_auditor", **query)
    assert response.status_code == 200
    assert {item["object_id"] for item in response.json()["items"]} == ids


def test_the_api_keeps_a_clients_auditor_to_their_organisation(client, people, orgs, events):
    response = _api(client, people, "client_auditor", organisation=orgs["client_other"].pk)
    assert response.json()["items"] == []
    ids = {i["object_id"] for i in _api(client, people, "client_auditor").json()["items"]}
    assert ids == {"41", "7"}


def test_the_person_filter_lists_who_acted_and_narrows_the_list(client, people, orgs, events):
    agent = people["broker_agent"]
    audit_event_record(
        actor=agent,
        action="organisation.updated",
        obj=orgs["client"],
        organisation=orgs["client"],
        before={"name": "Ministère A"},
        after={"name": "Ministère A2"},
    )
    text = page_text(_list(client, "broker_auditor", people))
    assert f'<option value="{agent.pk}">{agent.email}</option>' in text
    text = page_text(_list(client, "broker_auditor", people, actor=agent.pk))
    assert "Organisation modifiée" in text and "n° 41" not in text


def test_an_event_names_the_objects_it_refers_to(client, people, orgs):
    event = audit_event_record(
        actor=None,
        action="subscription.created",
        object_type="catalogue.subscription",
        object_id="3",
        after={"category": "iaas", "supplier": orgs["supplier"].pk},
    )
    client.force_login(people["broker_auditor"])
    text = page_text(client.get(reverse("audit:event_detail", args=[event.seq])))
    assert f"Fournisseur D (n° {orgs['supplier'].pk})" in text


def test_answers_are_named_by_their_questions_not_their_codes():
    from courtier.audit import changes

    (change,) = changes.changes(
        FILE, {"answers": {}}, {"answers": {"functional_needs": "Sondages en ligne"}}
    )
    assert change.after == "Besoins fonctionnels : Sondages en ligne"
