"""Performance evaluations through the Django test client, pages and API (issue 14 §2; DOMAIN
§1, §5.8; 002 §4.8.1): a client body's people fill in the weighted grid of their request (a
wrong entry: a French form error, or a 422 naming the field, nothing written), submit it once (a
replay creates nothing twice), and the broker reads the per-supplier summary, exports it and
closes the campaign; another client body and the supplier see nothing of it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from courtier.audit.models import AuditEvent
from courtier.core.replay import FORM_TOKEN_FIELD, IDEMPOTENCY_HEADER, new_form_token
from courtier.evaluations import messages
from courtier.evaluations.models import (
    CampaignState,
    EvaluationRequest,
    GridVersion,
    RequestState,
)
from tests.evaluations import factories
from tests.evaluations.factories import GOOD, KEYS, request_of
from tests.factories import make_person
from tests.helpers import page_text, shared_world


def build(orgs):
    from tests.contracts.test_consumption import people_of

    people = people_of(orgs)
    return {
        "campaign": factories.campaign_made(orgs, people["broker_agent"]),
        "other_client": make_person(orgs["client_other"], "client_procurement", "organisme-b"),
    }


shared, world, orgs, people = shared_world(build)
API = "/api/v1/evaluations"


@pytest.fixture
def campaign(world):
    return world[2]["campaign"]


@pytest.fixture
def request_a(campaign, orgs):
    return request_of(campaign, orgs["client"])


def page_of(request) -> str:
    return f"/evaluations/demandes/{request.pk}/"


def filled(scores: dict[str, int] | None = None, **extra) -> dict[str, str]:
    data = {f"score_{k}": str(v) for k, v in (scores or GOOD).items()}
    data |= {f"comment_{k}": f"Sur {k}." for k in KEYS}
    return data | {"general_comment": "Bonne année."} | extra


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# --- the client's grid on its page -------------------------------------------------------------


def test_the_client_sees_its_request_with_the_weighted_criteria_to_score(people, request_a, client):
    client.force_login(people["client_procurement"])
    response = client.get("/evaluations/")
    assert response.status_code == 200
    assert request_a in response.context["requests"]
    response = client.get(page_of(request_a))
    text = page_text(response)
    assert response.status_code == 200
    for label in ("Qualité du service (50 %)", "Respect des délais (30 %)", "Communication (20 %)"):
        assert label in text
    assert "Transmettre au Courtier" in text


def test_the_client_saves_then_submits_and_sees_it_transmitted(people, request_a, client):
    client.force_login(people["client_head"])
    saved = client.post(page_of(request_a) + "enregistrer/", filled({"qualite": 4}))
    assert saved.status_code == 302
    fresh = EvaluationRequest.objects.get(pk=request_a.pk)
    assert fresh.state == RequestState.OPEN
    assert {s.criterion.key: s.score for s in fresh.scores.select_related("criterion")} == {
        "qualite": 4,
        "delais": None,
        "communication": None,
    }
    sent = client.post(page_of(request_a) + "transmettre/", filled())
    assert sent.status_code == 302 and sent["Location"] == page_of(request_a)
    fresh = EvaluationRequest.objects.get(pk=request_a.pk)
    assert (fresh.state, fresh.weighted_score) == (RequestState.SUBMITTED, Decimal("3.9"))
    text = page_text(client.get(page_of(request_a), follow=True))
    assert "Transmise" in text and "Note pondérée : 3,90" in text
    assert "Transmettre au Courtier" not in text  # no form any more


def test_a_choice_off_the_scale_is_a_french_form_error_and_nothing_is_written(
    people, request_a, client
):
    client.force_login(people["client_procurement"])
    before = AuditEvent.objects.count()
    response = client.post(page_of(request_a) + "transmettre/", filled({"qualite": 9}))
    assert response.status_code == 422
    assert "score_qualite" in response.context["form"].errors
    assert "Sélectionnez un choix valide" in page_text(response)
    assert AuditEvent.objects.count() == before


def test_a_grid_submitted_incomplete_names_each_criterion_left_without_a_score(
    people, request_a, client
):
    client.force_login(people["client_procurement"])
    response = client.post(page_of(request_a) + "transmettre/", filled({"qualite": 4}))
    assert response.status_code == 422
    errors = response.context["form"].errors
    missing = [str(messages.SCORE_PROBLEMS["score_missing"])]
    assert errors["score_delais"] == errors["score_communication"] == missing
    assert str(messages.SCORE_PROBLEMS["score_missing"]) in page_text(response)
    fresh = EvaluationRequest.objects.get(pk=request_a.pk)
    assert fresh.state == RequestState.OPEN
    assert all(s.score is None for s in fresh.scores.all())


def test_a_replayed_submission_creates_nothing_twice(people, request_a, client):
    client.force_login(people["client_procurement"])
    data = filled(**{FORM_TOKEN_FIELD: new_form_token()})
    first = client.post(page_of(request_a) + "transmettre/", data)
    again = client.post(page_of(request_a) + "transmettre/", data)
    # The replay is sent (303) to where the first submission led (courtier.core.replay).
    assert (first.status_code, again.status_code) == (302, 303)
    assert first["Location"] == again["Location"] == page_of(request_a)
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 1
    # Sent again without the token (another form): refused, the evaluation unchanged.
    third = client.post(page_of(request_a) + "transmettre/", filled({k: 1 for k in KEYS}))
    assert third.status_code == 422
    assert str(messages.REQUEST_REFUSED) in page_text(third)
    assert EvaluationRequest.objects.get(pk=request_a.pk).weighted_score == Decimal("3.9")


def test_another_body_and_the_supplier_see_nothing_of_the_ministere_s_evaluation(
    world, people, request_a, client
):
    for person in (world[2]["other_client"], people["supplier_rep"], people["group_procurement"]):
        client.force_login(person)
        assert client.get(page_of(request_a)).status_code == 404
        assert client.post(page_of(request_a) + "transmettre/", filled()).status_code == 404
        assert client.get(f"{API}/requests/{request_a.pk}").status_code == 404
    client.force_login(world[2]["other_client"])
    assert request_a.pk not in {r["id"] for r in client.get(f"{API}/requests").json()}
    assert client.get("/evaluations/campagnes/").status_code == 403
    client.force_login(people["supplier_rep"])
    assert client.get("/evaluations/").status_code == 403
    assert client.get(f"{API}/requests").status_code == 403
    assert client.get(f"{API}/campaigns/{request_a.campaign_id}").status_code == 403
    assert EvaluationRequest.objects.get(pk=request_a.pk).state == RequestState.OPEN


# --- the broker's summary ----------------------------------------------------------------------


def test_the_broker_reads_the_summary_exports_it_and_closes_the_campaign(
    world, orgs, people, campaign, request_a, client
):
    factories.submit(people["client_procurement"], request_a)
    agent = people["broker_agent"]
    client.force_login(people["broker_auditor"])  # the broker's staff read it
    response = client.get(f"/evaluations/campagnes/{campaign.pk}/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.count, summary.asked, summary.mean_score) == (1, 2, Decimal("3.90"))
    text = page_text(response)
    assert orgs["client"].name in text and "Bonne année dans l'ensemble." in text
    assert client.post(f"/evaluations/campagnes/{campaign.pk}/fermer/").status_code == 403
    exported = client.get(f"/evaluations/campagnes/{campaign.pk}/sommaire.csv")
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1] == [campaign.supplier.name, "2026", "1", "3.90"]
    assert ["Qualité du service", "50.00", "4.00"] in rows
    client.force_login(agent)
    closed = client.post(f"/evaluations/campagnes/{campaign.pk}/fermer/")
    assert closed.status_code == 302
    assert client.get(closed["Location"]).context["campaign"].state == CampaignState.CLOSED
    assert request_of(campaign, orgs["client_other"]).state == RequestState.LAPSED
    again = client.post(f"/evaluations/campagnes/{campaign.pk}/fermer/")
    assert again.status_code == 422
    assert str(messages.CAMPAIGN_REFUSED) in page_text(again)


def test_a_grid_whose_weights_do_not_sum_to_100_is_refused_in_french(people, client):
    client.force_login(people["broker_agent"])
    data = {"scale_min": "1", "scale_max": "5", "label_1": "Qualité", "weight_1": "80"}
    response = client.post("/evaluations/grilles/nouvelle/", data)
    assert response.status_code == 422
    assert str(messages.GRID_PROBLEMS["weights_not_100"]) in page_text(response)
    assert GridVersion.objects.count() == 1
    data["weight_1"] = "100"
    assert client.post("/evaluations/grilles/nouvelle/", data).status_code == 302
    assert GridVersion.objects.count() == 2


# --- the API -----------------------------------------------------------------------------------


def test_the_api_fills_in_the_grid_and_names_the_field_at_fault(people, request_a, client):
    client.force_login(people["client_procurement"])
    url = f"{API}/requests/{request_a.pk}"
    off = client.post(
        f"{url}/save", {"scores": [{"key": "qualite", "score": 9}]}, "application/json"
    )
    assert off.status_code == 422 and fields_of(off) == {"score_qualite"}
    unknown = client.post(
        f"{url}/save", {"scores": [{"key": "prix", "score": 3}]}, "application/json"
    )
    assert unknown.status_code == 422 and fields_of(unknown) == {"scores"}
    typed = client.post(
        f"{url}/save", {"scores": [{"key": "qualite", "score": "4"}]}, "application/json"
    )
    assert typed.status_code == 422 and fields_of(typed) == {"scores.0.score"}
    saved = client.post(
        f"{url}/save",
        {"scores": [{"key": "qualite", "score": 4, "comment": "Stable."}]},
        "application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["scores"][0] | {"label": ""} == {
        "key": "qualite",
        "label": "",
        "weight": "50.00",
        "score": 4,
        "comment": "Stable.",
    }
    missing = client.post(f"{url}/submit", {"scores": []}, "application/json")
    assert missing.status_code == 422
    assert fields_of(missing) == {"score_delais", "score_communication"}
    body = {"scores": [{"key": k, "score": v} for k, v in GOOD.items()]}
    headers = {IDEMPOTENCY_HEADER: "evaluation-1"}
    first = client.post(f"{url}/submit", body, "application/json", headers=headers)
    again = client.post(f"{url}/submit", body, "application/json", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and first.json() == again.json()
    assert first.json()["state"] == "submitted" and first.json()["weighted_score"] == "3.9000"
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 1


def test_the_broker_reads_the_summary_through_the_api(people, campaign, request_a, client):
    factories.submit(people["client_procurement"], request_a)
    client.force_login(people["broker_agent"])
    summary = client.get(f"{API}/campaigns/{campaign.pk}").json()
    assert (summary["count"], summary["asked"], summary["mean_score"]) == (1, 2, "3.90")
    assert [c["mean"] for c in summary["criteria"]] == ["4.00", "3.00", "5.00"]
    closed = client.post(f"{API}/campaigns/{campaign.pk}/close", {}, "application/json")
    assert closed.json()["campaign"]["state"] == "closed"


def test_the_api_refuses_a_campaign_for_a_client_body_naming_the_field(orgs, people, client):
    client.force_login(people["broker_agent"])
    body = {"supplier_id": orgs["client"].pk, "year": 2027, "due_on": "2027-01-29"}
    response = client.post(f"{API}/campaigns", body, "application/json")
    assert response.status_code == 422 and fields_of(response) == {"supplier_id"}
    grid = client.post(
        f"{API}/grid-versions",
        {"criteria": [{"label": "Qualité", "weight": 60}]},
        "application/json",
    )
    assert grid.status_code == 422 and fields_of(grid) == {"criteria"}
