"""Acquisition files through /api/v1/acquisitions (issue 4 §7, Done when: "one API test drives a
demo client from step 1 to a frozen strategy"), then the API's refusals: 422 naming the request's
fields, 404 for a file one may not see, 403 for a file one sees but does not run, and a supplier
that sees only the questions addressed to it.

The end-to-end test loads the demo and uses nothing but the API, with the demo people's own
personal tokens, on a frozen clock: Tuesday 2026-11-24, 10:00 in Quebec."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as examples

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.accounts.rules import Perm
from courtier.accounts.services import api_token_create
from courtier.acquisitions import checks, messages, rules
from courtier.acquisitions.models import AcquisitionFile, AcquisitionStrategy, SupplierQuestion
from courtier.api import api as courtier_api
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.catalogue.models import Offer
from courtier.demo.loaders import load_demo
from courtier.files import uploads
from tests.acquisitions import factories
from tests.acquisitions.factories import State
from tests.factories import build_orgs, build_people, pdf_bytes
from tests.helpers import world_kept_for

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 24, 10, tzinfo=TORONTO)  # a Tuesday; no holiday before December
URL = "/api/v1/acquisitions"
PDF = pdf_bytes("document joint par l'API")
MONTHS = 24
# The consumption plan: 200 mailboxes the first year, 220 the second (DOMAIN §3.1: growth);
# the migration in the month of signature; the exit two months before the end (DOMAIN §5.9).
MAILBOXES = [200] * 12 + [220] * 12
MIGRATION = [1] + [0] * (MONTHS - 1)
EXIT = [0] * (MONTHS - 2) + [1, 0]


class Api:
    """One person's calls, as an external program makes them: a personal bearer token (a
    session for the roles that hold no token), JSON bodies or a multipart form with files, and
    the expected status checked on every answer."""

    def __init__(self, user: User, base: str = URL) -> None:
        self.base = base
        self.client = Client()
        self.headers: dict[str, str] = {}
        if permissions.has_perm(user, Perm.USE_API):
            _token, secret = api_token_create(user=user, name="Intégration")
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        else:
            self.client.force_login(user)

    def call(
        self, method: str, path: str, data: Any = None, *, status: int = 200, form: bool = False
    ) -> Any:
        kwargs: dict[str, Any] = dict(self.headers)
        if data is not None and not form:
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(f"{self.base}{path}", data, **kwargs)
        assert response.status_code == status, response.content.decode()[:2000]
        if response.get("Content-Type", "").startswith("application/json") and response.content:
            return response.json()
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("get", path, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self.call("post", path, data, **kw)

    def put(self, path: str, data: Any, **kw: Any) -> Any:
        return self.call("put", path, data, **kw)

    def patch(self, path: str, data: Any, **kw: Any) -> Any:
        return self.call("patch", path, data, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("delete", path, **kw)


def errors(body: dict) -> dict[str, str]:
    """Field -> message of a 422 answer (one message per field here)."""
    return {e["field"]: e["message"] for e in body["errors"]}


def upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the demo client, from step 1 to the frozen strategy ---------------------------------------


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False) as clock:
        load_demo()
        yield clock


def person(email: str) -> User:
    return User.objects.get(email=email)


# Transactional: each request commits, so the documents its change produced are rendered (the
# immediate task backend) before the answer lists them, as a page shows what is kept so far.
@pytest.mark.django_db(transaction=True)
def test_a_demo_client_goes_from_its_needs_to_a_frozen_strategy_through_the_api(demo):
    sophie = Api(person("acquisitions@mes.example"))  # procurement, MES (RCTI)
    marc = Api(person("representant@nuagique.example"))  # Nuagique's representative
    mathieu = Api(person("agent@courtier.example"))  # the broker's agent
    first_event = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    # Step 1: the file, the questionnaire and the consumption plan (DOMAIN §3.1).
    file = sophie.post("/files", {"title": "Courriel du personnel"}, status=201)
    assert (file["state"], file["step"], file["client"]["name"]) == (
        "needs",
        1,
        "Ministère de l'Enseignement supérieur",
    )
    assert [s["status"] for s in file["progress"]] == ["current", "todo", "todo", "todo", "todo"]
    path = f"/files/{file['id']}"
    answers = {q.code: f"Réponse de Sophie : {q.code}." for q in rules.QUESTIONS}
    answers["service_provider_needed"] = False
    needs = {
        "category": "courriel",
        "duration_months": MONTHS,
        "budget_cents": 30_000_000,
        "planned_start": "2027-02-01",
        "location": "canada",
        "personal_information": True,
        "answers": {code: answers[code] for code in list(answers)[:5]},
    }
    file = sophie.patch(f"{path}/needs", needs)
    assert file["next_action"] == "submit_needs"
    assert set(file["next_action_problems"]) == {
        str(messages.NEEDS_MESSAGES[rules.NeedsProblem.ANSWER_MISSING]),
        str(messages.NEEDS_MESSAGES[rules.NeedsProblem.NO_NEED]),
    }
    file = sophie.patch(f"{path}/needs", {"answers": answers})  # the rest, merged
    assert file["needs"]["answers"] == answers
    assert file["needs"]["efvp_required"] is True
    plan = {
        "boites": ("Boîtes de courriel du personnel", "usage", "user_month", MAILBOXES),
        "migration": ("Migration des boîtes actuelles", "entry", "fixed", MIGRATION),
        "sortie": ("Exportation des données à la sortie", "exit", "fixed", EXIT),
    }
    for code, (label, kind, unit, quantities) in plan.items():
        line = sophie.put(
            f"{path}/needs/{code}",
            {"label": label, "kind": kind, "unit": unit, "quantities": quantities},
        )
        assert line["quantities"] == quantities
    draft = {"label": "À retirer", "kind": "usage", "unit": "gb_month"}
    refused = sophie.put(f"{path}/needs/brouillon", draft, status=422)
    assert errors(refused) == {"quantities": str(messages.REQUIRED)}
    sophie.put(f"{path}/needs/brouillon", draft | {"quantities": [100] * MONTHS})
    sophie.delete(f"{path}/needs/brouillon", status=204)
    file = sophie.post(f"{path}/transitions", {"action": "submit_needs"})
    assert (file["state"], file["step"]) == ("catalogue", 2)
    assert [d["kind"] for d in file["documents"]] == ["needs"]

    # Step 2: the Catalogue's qualified offers that pass the automatic filters (002 §2.2).
    found = sophie.post(f"{path}/candidates/search")
    by_code = {c["offer"]["code"]: c for c in found}
    expected = {
        o.code
        for o in Offer.objects.filter(
            status="qualified",
            category__code="courriel",
            hosted_in_canada_only=True,
            personal_information_authorised=True,
        )
    }
    assert set(by_code) == expected >= {"NQ-COURRIEL", "IL-COURRIEL"}
    assert "VC-MAIL" not in by_code  # hosted in the United States
    for candidate in found:
        # The plan's needs are matched to the offer's components, first guess.
        assert candidate["mapping"] == {"boites": "BASE", "migration": "ENTREE", "sortie": "SORTIE"}
        assert candidate["version_seen"]["id"] == candidate["offer"]["version_id"]
        assert candidate["changed_since"] == []
    french = sophie.post(f"{path}/requirements", {"label": "Interface en français"}, status=201)
    assert (french["kind"], french["automatic"]) == ("judged", False)
    file = sophie.post(f"{path}/transitions", {"action": "confirm_candidates"})
    assert file["state"] == "compliance"
    automatic = {r["kind"] for r in file["requirements"] if r["automatic"]}
    assert automatic == {"category", "location", "pi_hosting"}

    # Step 3: verdicts for the judged requirement (the automatic ones are met).
    for candidate in file["candidates"]:
        record = sophie.put(
            f"{path}/compliance/{candidate['id']}/{french['id']}",
            {"verdict": "met", "note": "Interface et assistance en français."},
        )
        assert record["verdict"] == "met"
    nuagique = by_code["NQ-COURRIEL"]
    laurentides = by_code["IL-COURRIEL"]
    # A question to Nuagique, due 3 business days later (004 §3.3.2), answered in the platform.
    question = sophie.post(
        f"{path}/questions",
        {"offer_id": nuagique["offer"]["id"], "text": "L'archivage légal est-il au Québec ?"},
        status=201,
    )
    assert (question["due_on"], question["overdue"], question["answer"]) == (
        "2026-11-27",
        False,
        "",
    )
    inbox = marc.get("/questions?answered=false")["items"]
    assert question["id"] in [q["id"] for q in inbox]
    assert {q["supplier"]["name"] for q in inbox} == {"Nuagique Québec inc."}
    answered = marc.post(
        f"/questions/{question['id']}/answer", {"answer": "Oui, à Montréal et à Québec."}
    )
    assert answered["answered_at"] is not None
    # A trial of the other offer: 30 days, 10 units, no personal information; then its report.
    trial = sophie.post(
        f"{path}/trials",
        {
            "offer_id": laurentides["offer"]["id"],
            "starts_on": "2026-11-25",
            "ends_on": "2026-12-24",
            "units": 10,
            "attestation": True,
        },
        status=201,
    )
    assert (trial["days"], trial["units"]) == (30, 10)
    trial = sophie.post(
        f"{path}/trials/{trial['id']}/report",
        {"summary": "Concluant.", "report": upload("rapport-essai.pdf")},
        form=True,
    )
    assert trial["report_document_id"] is not None
    file = sophie.post(f"{path}/transitions", {"action": "close_compliance"})
    assert (file["state"], file["step"]) == ("choice", 4)
    assert all(c["compliant"] for c in file["candidates"])
    assert file["questions"][0]["answer"] == "Oui, à Montréal et à Québec."

    # Step 4: the scenarios, each total explained by its line items (002 §2.4.1).
    run = sophie.post(f"{path}/scenarios", status=201)
    ranked = [s for s in run["scenarios"] if s["complete"]]
    assert [s["rank"] for s in ranked] == list(range(1, len(ranked) + 1))
    assert len(ranked) == len(expected)
    totals = [s["total_cents"] for s in ranked]
    assert totals == sorted(totals)
    for scenario in ranked:
        assert scenario["total_cents"] == sum(i["amount_cents"] for i in scenario["line_items"])
        assert scenario["total_cents"] == sum(scenario["monthly_cents"])
        assert scenario["cumulative_cents"][-1] == scenario["total_cents"]
        assert len(scenario["monthly_cents"]) == MONTHS
    lowest = ranked[0]
    assert lowest["is_lowest"] and run["lowest_cents"] == lowest["total_cents"]
    assert [o["id"] for o in lowest["offers"]] == [laurentides["offer"]["id"]]
    assert run["stale"] is False
    chosen = sophie.post(f"{path}/choice", {"scenario_id": lowest["id"]})
    assert chosen["chosen"] is True
    # Laurentides also hosts in Ottawa: personal information leaves Quebec, so the EFVP must
    # precede the contract (Access Act art. 70.1).
    file = sophie.get(path)
    assert file["needs"]["efvp_required_before_contract"] is True
    assert [p["code"] for p in file["missing_prerequisites"]] == [
        "financial_authorisation",
        "efvp",
    ]
    efvp = sophie.post(
        f"{path}/efvp", {"done_on": "2026-11-20", "document": upload("efvp.pdf")}, form=True
    )
    assert efvp["efvp_done_on"] == "2026-11-20"
    additions = 500_000
    financial = sophie.post(
        f"{path}/financial-authorisation",
        {
            "amount_cents": lowest["total_cents"] + additions,
            "planned_additions_cents": additions,
            "authorised_on": "2026-11-24",
            "authorised_by_name": "Isabelle Gauthier",
            "reference": "AF-2026-117",
        },
        status=201,
    )
    assert financial["amount_cents"] == lowest["total_cents"] + additions
    file = sophie.get(path)
    assert file["chosen_scenario"]["id"] == lowest["id"]
    assert file["head_authorisation_required"] is False  # the lowest price needs none (art. 48)
    assert file["choice_problems"] == []
    file = sophie.post(f"{path}/transitions", {"action": "confirm_choice"})
    assert (file["state"], file["step"]) == ("startup", 5)
    assert file["missing_prerequisites"] == []

    # Step 5: the broker's agent convenes the startup meeting (002 §2.5)...
    meeting = mathieu.post(
        f"{path}/startup-meeting",
        {
            "scheduled_for": "2026-12-01T10:00:00",  # Quebec time
            "participants": [
                {"name": "Sophie Côté", "email": "acquisitions@mes.example", "role": "client"},
                {
                    "name": "Sylvain Paquette",
                    "email": "ventes@laurentides.example",
                    "role": "supplier",
                },
                {"name": "Mathieu Gagnon", "email": "agent@courtier.example", "role": "broker"},
            ],
        },
        status=201,
    )
    assert meeting["scheduled_for"].startswith("2026-12-01T10:00:00")
    assert meeting["agenda"].strip()
    file = sophie.get(path)
    assert file["startup_contact_on"] == "2026-11-24"
    assert file["earliest_signed_contract"] == "2026-12-24"  # at least 30 days
    refused = mathieu.post(f"{path}/strategy", status=422)
    assert errors(refused) == {"meeting": str(messages.MEETING_NOT_HELD)}
    sophie.post(f"{path}/strategy", status=403)  # the broker's, not the client's

    # ... and after the meeting freezes the strategy, handed to contract preparation.
    demo.move_to(datetime(2026, 12, 1, 14, tzinfo=TORONTO))
    strategy = mathieu.post(f"{path}/strategy", status=201)
    il_courriel = Offer.objects.get(code="IL-COURRIEL")
    assert strategy["total_cents"] == lowest["total_cents"]
    assert strategy["duration_months"] == MONTHS
    assert strategy["supplier"]["name"] == "Infonuage Laurentides inc."
    content = strategy["content"]
    assert content["total_cents"] == lowest["total_cents"]
    assert [o["code"] for o in content["offers"]] == ["IL-COURRIEL"]
    assert content["offers"][0]["sheet_version"] == il_courriel.version_id
    assert lowest["versions"] == {str(il_courriel.pk): il_courriel.version_id}
    components = {c["need"]: c for c in content["offers"][0]["components"]}
    assert {n: (c["component"], c["quantities"]) for n, c in components.items()} == {
        "boites": ("BASE", MAILBOXES),
        "migration": ("ENTREE", MIGRATION),
        "sortie": ("SORTIE", EXIT),
    }
    file = sophie.get(path)
    assert (file["state"], file["step"]) == ("frozen", 6)
    assert [s["status"] for s in file["progress"]] == ["done"] * 5
    assert file["strategy"]["id"] == strategy["id"]
    assert AcquisitionStrategy.objects.get(file_id=file["id"]).total_cents == lowest["total_cents"]
    kinds = {d["kind"] for d in file["documents"]}
    assert kinds == {
        "needs",
        "compliance",
        "questions",
        "trial_report",
        "comparison_xlsx",
        "comparison_pdf",
        "efvp",
        "agenda",
        "strategy",
    }
    report = next(d for d in file["documents"] if d["kind"] == "trial_report")
    download = sophie.get(f"{path}/documents/{report['id']}")
    body = b"".join(download.streaming_content)
    assert body == PDF and hashlib.sha256(body).hexdigest() == report["sha256"]
    assert download["Content-Disposition"].startswith("attachment")
    # Every document goes out with one of the media types openapi.json documents for it.
    paths = courtier_api.get_openapi_schema()["paths"]
    operation = paths[f"{URL}/files/{{file_id}}/documents/{{document_id}}"]
    documented = set(operation["get"]["responses"][200]["content"])
    for document in file["documents"]:
        sent = sophie.get(f"{path}/documents/{document['id']}")
        assert sent["Content-Type"] in documented, (document["kind"], sent["Content-Type"])

    # The audit trail: every change, by whom, in order, and the chain intact.
    events = AuditEvent.objects.filter(seq__gt=first_event or 0, action__startswith="acquisition.")
    trail = [(e.action, e.actor_label) for e in events.order_by("seq")]
    actions = [action for action, _actor in trail]
    milestones = [
        "acquisition.created",
        "acquisition.needs_updated",
        "acquisition.need_saved",
        "acquisition.need_deleted",
        "acquisition.submit_needs",
        "acquisition.candidate_added",
        "acquisition.requirement_added",
        "acquisition.confirm_candidates",
        "acquisition.compliance_recorded",
        "acquisition.question_asked",
        "acquisition.question_answered",
        "acquisition.trial_created",
        "acquisition.trial_reported",
        "acquisition.close_compliance",
        "acquisition.scenarios_computed",
        "acquisition.scenario_chosen",
        "acquisition.efvp_recorded",
        "acquisition.financial_authorised",
        "acquisition.confirm_choice",
        "acquisition.meeting_scheduled",
        "acquisition.freeze_strategy",
        "acquisition.strategy_frozen",
    ]
    positions = [actions.index(m) for m in milestones]
    assert positions == sorted(positions)
    by_action = dict(reversed(trail))
    assert by_action["acquisition.created"] == "acquisitions@mes.example"
    assert by_action["acquisition.question_answered"] == "representant@nuagique.example"
    assert by_action["acquisition.meeting_scheduled"] == "agent@courtier.example"
    assert by_action["acquisition.strategy_frozen"] == "agent@courtier.example"
    assert actions.count("acquisition.compliance_recorded") == len(expected)
    assert verify_chain()[1] is None


# --- refusals -------------------------------------------------------------------------------------


@pytest.fixture
def offers(orgs):
    """The two suppliers' offers (tests/acquisitions/factories.py), on the frozen clock."""
    with time_machine.travel(NOW, tick=False):
        yield factories.publish_catalogue(orgs)


@pytest.fixture
def api(people):
    return lambda who: Api(people[who])


def file_of(people, orgs, step: str = State.NEEDS, **needs: Any) -> AcquisitionFile:
    return factories.file_at(
        step,
        by=people["client_procurement"],
        client=orgs["client"],
        broker=people["broker_agent"],
        **needs,
    )


def test_a_duration_of_37_months_is_refused_naming_the_field(api, people, orgs, offers):
    file = file_of(people, orgs)
    body = api("client_procurement").patch(
        f"/files/{file.pk}/needs", {"duration_months": 37}, status=422
    )
    assert errors(body) == {
        "duration_months": str(messages.NEEDS_MESSAGES[rules.NeedsProblem.DURATION])
    }
    assert AcquisitionFile.objects.get(pk=file.pk).duration_months == factories.MONTHS


def test_a_trial_of_31_units_or_61_days_is_refused_naming_the_fields(api, people, orgs, offers):
    file = file_of(people, orgs, State.CATALOGUE)
    sophie = api("client_procurement")
    trial = {
        "offer_id": offers["MAIL"].pk,
        "starts_on": "2026-11-25",
        "ends_on": "2027-01-24",  # the 61st day
        "units": 31,
        "attestation": False,
    }
    body = sophie.post(f"/files/{file.pk}/trials", trial, status=422)
    assert errors(body) == {
        "units": str(messages.TRIAL_MESSAGES[rules.TrialProblem.TOO_MANY_UNITS]),
        "ends_on": str(messages.TRIAL_MESSAGES[rules.TrialProblem.TOO_LONG]),
        "attestation": str(messages.TRIAL_MESSAGES[rules.TrialProblem.ATTESTATION]),
    }
    ok = sophie.post(
        f"/files/{file.pk}/trials",
        trial | {"ends_on": "2027-01-23", "units": 30, "attestation": True},
        status=201,
    )
    assert (ok["days"], ok["units"]) == (60, 30)
    body = sophie.post(f"/files/{file.pk}/trials", trial | {"offer_id": 2**62}, status=422)
    assert errors(body) == {"offer_id": str(messages.UNKNOWN_OFFER)}


def test_unknown_fields_and_wrong_types_are_refused_by_name(api, people, orgs, offers):
    file = file_of(people, orgs)
    sophie = api("client_procurement")
    body = sophie.patch(
        f"/files/{file.pk}/needs",
        {"duration_months": "deux ans", "couleur": "bleu", "location": "lune"},
        status=422,
    )
    found = errors(body)
    assert set(found) == {"duration_months", "couleur", "location"}
    assert found["couleur"] == "Ce champ n'est pas attendu ici."
    assert found["duration_months"] == "Saisissez un nombre entier."
    body = sophie.patch(
        f"/files/{file.pk}/needs", {"answers": {"risks": True, "couleur": "x"}}, status=422
    )
    assert errors(body) == {
        "answers.risks": str(messages.ANSWER_TEXT),
        "answers.couleur": str(messages.UNKNOWN_QUESTION),
    }
    body = sophie.put(
        f"/files/{file.pk}/needs/{factories.NEED}",
        {"label": "Boîtes", "kind": "usage", "unit": "user_month", "quantities": [10] * 11},
        status=422,
    )
    assert errors(body) == {
        "quantities": str(messages.NEEDS_MESSAGES[rules.NeedsProblem.QUANTITIES_LENGTH])
    }
    body = sophie.post(f"/files/{file.pk}/transitions", {"action": "confirm_choice"}, status=422)
    assert errors(body) == {"action": str(messages.TRANSITION_REFUSED)}


def test_a_growth_plan_whose_ceiling_is_below_its_start_is_refused_with_the_pages_message(
    api, people, orgs, offers
):
    """DOMAIN §3.1: the ceiling caps the growth, at least the start (rules.plan_problem)."""
    file = file_of(people, orgs)
    sophie = api("client_procurement")
    line = {"label": "Boîtes", "kind": "usage", "unit": "user_month"}
    body = sophie.put(
        f"/files/{file.pk}/needs/{factories.NEED}",
        line | {"plan": {"start": 10, "growth": 1, "ceiling": 5}},
        status=422,
    )
    assert errors(body) == {"ceiling": str(messages.CEILING_BELOW_START)}
    done = sophie.put(
        f"/files/{file.pk}/needs/{factories.NEED}",
        line | {"plan": {"start": 10, "growth": 1, "ceiling": 12}},
    )
    assert done["quantities"] == [10, 11] + [12] * (factories.MONTHS - 2)


def test_moving_on_with_an_incomplete_questionnaire_names_each_problem(api, people, orgs):
    sophie = api("client_procurement")
    file = sophie.post("/files", {"title": "Visioconférence"}, status=201)
    body = sophie.post(f"/files/{file['id']}/transitions", {"action": "submit_needs"}, status=422)
    found = errors(body)
    message = messages.NEEDS_MESSAGES
    assert found["duration_months"] == str(message[rules.NeedsProblem.DURATION])
    assert found["category"] == str(message[rules.NeedsProblem.CATEGORY])
    assert found["needs"] == str(message[rules.NeedsProblem.NO_NEED])
    assert found["answers.risks"] == str(message[rules.NeedsProblem.ANSWER_MISSING])
    assert "answers.training_needs" not in found  # an optional question
    assert AcquisitionFile.objects.get(pk=file["id"]).state == State.NEEDS


def test_another_clients_file_is_not_found(api, people, orgs, offers):
    file = file_of(people, orgs)  # Ministère A's
    organisme_b = Api(factories.runner(orgs["client_other"]))
    for other in [organisme_b, *map(api, ("group_procurement", "supplier_rep", "provider_rep"))]:
        other.get(f"/files/{file.pk}", status=404)
        other.patch(f"/files/{file.pk}/needs", {"title": "Pris"}, status=404)
        other.post(f"/files/{file.pk}/transitions", {"action": "abandon"}, status=404)
        assert file.pk not in [f["id"] for f in other.get("/files")["items"]]
    assert [f["id"] for f in api("client_head").get("/files")["items"]] == [file.pk]
    assert AcquisitionFile.objects.get(pk=file.pk).state == State.NEEDS


def test_the_signatory_reads_the_file_but_may_not_run_it(api, people, orgs, offers):
    file = file_of(people, orgs)
    signatory = api("client_signatory")
    assert signatory.get(f"/files/{file.pk}")["reference"] == file.reference
    signatory.patch(f"/files/{file.pk}/needs", {"title": "Pris"}, status=403)
    signatory.post(f"/files/{file.pk}/transitions", {"action": "submit_needs"}, status=403)
    signatory.post("/files", {"title": "Le mien"}, status=403)
    assert AcquisitionFile.objects.get(pk=file.pk).state == State.NEEDS


def test_a_supplier_sees_and_answers_only_the_questions_addressed_to_it(api, people, orgs, offers):
    file = file_of(people, orgs, State.CATALOGUE)
    sophie = api("client_procurement")
    to_d = sophie.post(
        f"/files/{file.pk}/questions",
        {"offer_id": offers["MAIL"].pk, "text": "Où sont les sauvegardes ?"},
        status=201,
    )
    to_e = sophie.post(
        f"/files/{file.pk}/questions",
        {"offer_id": offers["NUAGE"].pk, "text": "Et les vôtres ?"},
        status=201,
    )
    rep = api("supplier_rep")  # Fournisseur D's representative
    assert [q["id"] for q in rep.get("/questions")["items"]] == [to_d["id"]]
    rep.get(f"/files/{file.pk}", status=404)  # suppliers never see files
    rep.post(f"/questions/{to_e['id']}/answer", {"answer": "Ailleurs."}, status=404)
    sophie.post(f"/questions/{to_d['id']}/answer", {"answer": "Moi-même."}, status=403)
    answered = rep.post(f"/questions/{to_d['id']}/answer", {"answer": "À Montréal."})
    assert answered["answer"] == "À Montréal."
    again = rep.post(f"/questions/{to_d['id']}/answer", {"answer": "Encore."}, status=422)
    assert errors(again) == {"answer": str(messages.ALREADY_ANSWERED)}
    assert SupplierQuestion.objects.get(pk=to_e["id"]).answer == ""
    broker = {q["id"] for q in api("broker_agent").get("/questions")["items"]}
    assert broker == {to_d["id"], to_e["id"]}


def test_a_non_lowest_choice_needs_the_heads_signed_authorisation(api, people, orgs, offers):
    """RCTI art. 48 (002 §2.4.3): Ministère A is subject to the RCTI."""
    file = file_of(people, orgs, State.CHOICE, choice="other")
    sophie = api("client_procurement")
    detail = sophie.get(f"/files/{file.pk}")
    assert detail["head_authorisation_required"] is True
    chosen = detail["chosen_scenario"]
    sophie.post(
        f"/files/{file.pk}/financial-authorisation",
        {
            "amount_cents": chosen["total_cents"],
            "authorised_on": "2026-11-24",
            "authorised_by_name": "Francis Finances",
        },
        status=201,
    )
    body = sophie.post(f"/files/{file.pk}/transitions", {"action": "confirm_choice"}, status=422)
    head_message = str(messages.CHOICE_MESSAGES[rules.ChoiceProblem.HEAD_AUTHORISATION])
    assert errors(body) == {"action": head_message}
    form = {
        "criteria": ["technical_compatibility", "total_cost_of_ownership"],
        "justification": "Compatible avec notre annuaire.",
        "head_name": "Jean Bouchard",
        "authorised_on": "2026-11-24",
    }
    empty = sophie.post(
        f"/files/{file.pk}/head-authorisation",
        form | {"document": upload("vide.pdf", b"")},
        form=True,
        status=422,
    )
    assert errors(empty) == {"document": str(uploads.FILE_EMPTY)}
    head = sophie.post(
        f"/files/{file.pk}/head-authorisation",
        form | {"document": upload("autorisation.pdf")},
        form=True,
        status=201,
    )
    assert head["criteria"] == ["technical_compatibility", "total_cost_of_ownership"]
    assert head["scenario_id"] == chosen["id"]
    moved = sophie.post(f"/files/{file.pk}/transitions", {"action": "confirm_choice"})
    assert moved["state"] == State.STARTUP
    document = next(d for d in moved["documents"] if d["id"] == head["document_id"])
    # DOMAIN §7: kept 7 years after the contract ends, which has not happened yet.
    assert (document["kind"], document["disposal_pending"]) == ("justification", True)
    url = f"/api/v1/acquisitions/files/{file.pk}/documents/{document['id']}"
    assert document["download_url"] == url


def test_the_choice_must_be_a_scenario_of_the_file(api, people, orgs, offers):
    file = file_of(people, orgs, State.CHOICE, choice=None)
    other = file_of(people, orgs, State.CHOICE, choice=None)
    foreign = checks.latest_run(other).scenarios.first()
    body = api("client_procurement").post(
        f"/files/{file.pk}/choice", {"scenario_id": foreign.pk}, status=422
    )
    assert errors(body) == {"scenario_id": str(messages.UNKNOWN_SCENARIO)}


def test_the_file_shows_what_changed_since_the_client_looked(api, people, orgs, offers):
    file = file_of(people, orgs, State.COMPLIANCE)
    sophie = api("client_procurement")

    def renamed(sheet: dict) -> None:
        sheet["offers"][0]["name"] = "Courriel infonuagique Pro"

    with factories.at(date(2026, 11, 26), 9, tick=False):
        version = factories.republish(orgs["supplier"], factories.sheet_d(), renamed)
        detail = sophie.get(f"/files/{file.pk}")
        changed = {c["offer"]["code"]: c["changed_since"] for c in detail["candidates"]}
        assert changed["MAIL"] == [
            {"id": version.pk, "name": version.name, "published_on": "2026-11-26"}
        ]
        assert changed["NUAGE"] == []
        detail = sophie.post(f"/files/{file.pk}/candidates/seen")
        assert all(c["changed_since"] == [] for c in detail["candidates"])
        mail = next(c for c in detail["candidates"] if c["offer"]["code"] == "MAIL")
        assert mail["version_seen"]["id"] == version.pk


def test_only_the_broker_convenes_the_startup_meeting(api, people, orgs, offers):
    file = file_of(people, orgs, State.STARTUP)
    meeting = {
        "scheduled_for": (NOW + timedelta(days=3)).isoformat(),
        "participants": factories.participants(),
    }
    api("client_procurement").post(f"/files/{file.pk}/startup-meeting", meeting, status=403)
    api("broker_auditor").post(f"/files/{file.pk}/startup-meeting", meeting, status=403)
    api("supplier_rep").post(f"/files/{file.pk}/startup-meeting", meeting, status=404)
    past = api("broker_agent").post(
        f"/files/{file.pk}/startup-meeting",
        meeting | {"scheduled_for": "2020-01-01T10:00:00"},
        status=422,
    )
    assert errors(past) == {"scheduled_for": str(messages.MEETING_IN_PAST)}
    done = api("broker_agent").post(f"/files/{file.pk}/startup-meeting", meeting, status=201)
    assert [p["role"] for p in done["participants"]] == ["client", "supplier"]


# --- generated input, as the people who run files ---------------------------------------------
# tests/core/test_api_fuzz.py feeds every operation as the broker's admin, who runs no file: the
# writes stop at 403. Here the client's procurement person, with files at several steps (small
# identifiers, as generated ones mostly are, on a fresh database), so that generated input
# reaches the services.

# The prefix ends with a slash: django-ninja joins it to the prefix of a nested router (each
# step's sub-router) without one.
schema = schemathesis.openapi.from_dict(
    courtier_api.get_openapi_schema(path_prefix="/api/v1/")
).include(path_regex="^/api/v1/acquisitions/")
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """Files at step 1 (with personal information), 2 and 4, and the client's procurement
    person's token, built once for every operation's generated requests (each operation runs
    in a savepoint of it): each operation finds a file in a step it acts on."""
    with world_kept_for(django_db_blocker):
        with time_machine.travel(NOW, tick=False):
            orgs = build_orgs()
            people = build_people(orgs)
            factories.publish_catalogue(orgs)
            file_of(people, orgs, personal_information=True)
            file_of(people, orgs, State.CATALOGUE)
            file_of(people, orgs, State.CHOICE)
            _token, secret = api_token_create(user=people["client_procurement"], name="fuzz")
        yield {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def files_at_each_step(fuzz_world, db):
    """The world's token, on the frozen clock. The WSGI app keeps the test's connection (as
    Django's test client does)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    with time_machine.travel(NOW, tick=False):
        yield fuzz_world
    for signal in signals:
        signal.connect(close_old_connections)


@schema.parametrize()
@examples(
    max_examples=8,
    derandomize=True,  # the same inputs on every run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_acquisitions_api_fail_for_a_client(case, files_at_each_step):
    response = case.call(headers=files_at_each_step)
    assert response.status_code < 500, response.text
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert isinstance(body["message"], str) and body["message"]
        assert all({"field", "message"} <= set(e) for e in body["errors"])
