"""An acquisition file one step at a time (issue 10, points 2, 3 and 7) through the Django test
client: each step's own URL opens only that step, earlier steps are summaries, later ones say
what they still miss; posts redirect to their step; advancing keeps what was typed; the error
summary names each question; every error at once; the plan's ceiling; the offer picker and
« Ajouter à un dossier »; the meeting's participants picked; wide tables scroll."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from courtier.acquisitions import forms, messages, rules
from courtier.acquisitions.models import QUESTION_LABELS, StartupMeeting
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.services import needs as needs_services
from tests.acquisitions.factories import MONTHS, at_step, file_at, published_before_nine, reload
from tests.acquisitions.test_pages import questionnaire
from tests.factories import make_person
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(published_before_nine)


@pytest.fixture
def offers(world, clock):
    return world[2]


def sections(text: str) -> dict[int, str]:
    """Step number -> the HTML of its section (core/workflow_steps.html)."""
    found = {}
    starts = [(m.start(), int(m.group(1))) for m in re.finditer(r'data-step="(\d)"', text)]
    for i, (start, number) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        found[number] = text[start:end]
    return found


def is_open(section: str) -> bool:
    return 'data-open="true"' in section[:200]


def summarised(section: str) -> bool:
    return '<details class="step-details">' in section


# --- one step at a time ----------------------------------------------------------------------


def test_each_step_url_opens_only_its_step_earlier_ones_summarised_later_ones_missing(
    client, orgs, people, offers, runner
):
    file = at_step("catalogue", orgs, people)
    default = sections(page_text(client.get(f"/acquisitions/{file.pk}/")))
    assert is_open(default[2]) and not summarised(default[2])
    assert 'name="offer"' in default[2]  # the current step's form, in the open
    assert summarised(default[1]) and not is_open(default[1])
    assert "1 ligne au plan de consommation" in default[1]  # what was decided, in a line
    for later in (3, 4, 5):
        assert "à venir" in default[later] and "<form" not in default[later]
    assert "Ce qui manque encore" in default[4]
    assert "L'étape 3 doit d'abord être terminée." in default[4]

    first = sections(page_text(client.get(f"/acquisitions/{file.pk}/etape-1/")))
    assert is_open(first[1]) and not summarised(first[1])
    assert summarised(first[2]) and 'name="offer"' in first[2]  # folded away
    assert client.get(f"/acquisitions/{file.pk}/etape-9/").status_code == 404


def test_the_next_step_lists_what_the_current_one_misses_naming_each_question(client, orgs, runner):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    step_2 = sections(page_text(client.get(f"/acquisitions/{file.pk}/")))[2]
    missing = str(messages.NEEDS_MESSAGES[rules.NeedsProblem.ANSWER_MISSING])
    assert f"{QUESTION_LABELS['risks']} : {missing}" in step_2


def test_a_post_redirects_to_the_step_it_belongs_to(client, orgs, people, offers, runner):
    file = at_step("compliance", orgs, people)
    response = client.post(f"/acquisitions/{file.pk}/exigences/", {"label": "SSO"})
    assert response.status_code == 302
    assert response["Location"] == f"/acquisitions/{file.pk}/etape-3/#conformite"
    assert is_open(sections(page_text(client.get(response["Location"])))[3])


# --- forms that never lose work ---------------------------------------------------------------


def test_advancing_saves_the_answers_typed_in_the_questionnaire_first(
    client, orgs, people, offers, runner
):
    file = at_step("needs", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/etape/submit_needs/",
        questionnaire(title="Titre tapé avant de passer", **{"answer_risks": "Risque tapé"}),
    )
    assert response.status_code == 302
    file = reload(file)
    assert (file.state, file.title) == ("catalogue", "Titre tapé avant de passer")
    assert file.answers["risks"] == "Risque tapé"


def test_advancing_with_a_refused_answer_keeps_what_was_typed_and_does_not_move(
    client, orgs, people, offers, runner
):
    file = at_step("needs", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/etape/submit_needs/",
        questionnaire(duration_months="99", answer_risks="Un risque tapé mais pas enregistré"),
    )
    assert response.status_code == 422
    text = page_text(response)
    assert "Un risque tapé mais pas enregistré" in text  # the typed value comes back
    assert 'value="99"' in text
    file = reload(file)
    assert file.state == "needs" and file.answers["risks"] != "Un risque tapé mais pas enregistré"


def test_the_error_summary_names_each_question_with_a_link_to_it(client, orgs, runner):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    response = client.post(f"/acquisitions/{file.pk}/etape/submit_needs/")
    assert response.status_code == 422
    text = page_text(response)
    summary = text[text.index('id="form-errors"') : text.index("</div>", text.index("form-errors"))]
    missing = str(messages.NEEDS_MESSAGES[rules.NeedsProblem.ANSWER_MISSING])
    for code in ("risks", "security_needs"):
        link = f'<a href="#id_{forms.ANSWER_PREFIX}{code}">{QUESTION_LABELS[code]} : {missing}</a>'
        assert link in summary
    assert '<a href="#plan">Plan de consommation : ' in summary  # the plan's problem, linked


def test_the_heads_authorisation_shows_every_error_in_one_round(
    client, orgs, people, offers, runner
):
    file = at_step("choice", orgs, people, choice="other")
    response = client.post(
        f"/acquisitions/{file.pk}/autorisation-dirigeant/", {"authorised_on": "2030-01-01"}
    )
    assert response.status_code == 422
    text = page_text(response)
    assert "Ce champ est obligatoire." in text  # the form's own: the signed document
    for message in (  # and the service's, at the same time
        messages.CRITERIA_REQUIRED,
        messages.JUSTIFICATION_REQUIRED,
        messages.HEAD_NAME_REQUIRED,
        messages.DATE_IN_FUTURE,
    ):
        assert str(message) in text


def test_a_plan_line_shows_every_error_in_one_round(client, orgs, people, offers, runner):
    file = at_step("needs", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/plan/ligne/",
        {"code": "Abc", "label": "", "kind": "usage", "unit": "user_month", "monthly": "1 2 3"},
    )
    assert response.status_code == 422
    text = page_text(response)
    assert str(messages.NEED_CODE_INVALID) in text
    assert "Ce champ est obligatoire." in text  # the label
    assert str(messages.NEEDS_MESSAGES[rules.NeedsProblem.QUANTITIES_LENGTH]) in text


def test_a_ceiling_below_the_start_is_refused_and_the_months_are_named(
    client, orgs, people, offers, runner
):
    """DOMAIN §3.1: the plan grows from its start up to its ceiling (rules.plan_problem)."""
    file = at_step("needs", orgs, people)
    url = f"/acquisitions/{file.pk}/plan/ligne/"
    line = {"code": "stockage", "label": "Stockage", "kind": "usage", "unit": "gb_month"}
    response = client.post(url, line | {"start": "10", "growth": "1", "ceiling": "5"})
    assert response.status_code == 422
    assert str(messages.CEILING_BELOW_START) in page_text(response)
    assert not file.needs.filter(code="stockage").exists()
    assert client.post(url, line | {"start": "10", "ceiling": "10"}).status_code == 302
    text = page_text(client.get(f"/acquisitions/{file.pk}/etape-1/"))
    start = reload(file).planned_start
    assert f"mois {MONTHS}" in page_text(client.get(url))  # the form says which month is last
    assert re.search(r"Mois 1 \(\w+ " + str(start.year), text)  # each quantity's month


def test_the_rule_refuses_only_a_ceiling_below_the_start():
    assert rules.plan_problem(10, 5) == rules.PlanProblem.CEILING_BELOW_START
    assert rules.plan_problem(10, 10) is None
    assert rules.plan_problem(10, None) is None


# --- offers picked, not typed -------------------------------------------------------------------


def test_the_offer_picker_lists_the_matching_offers_not_yet_listed_and_adds_one(
    client, orgs, people, offers, runner
):
    file = at_step("catalogue", orgs, people)
    listed = file.candidates.get(offer=offers["MAIL"])
    candidates_services.candidate_remove(by=runner, candidate=listed)
    step_2 = sections(page_text(client.get(f"/acquisitions/{file.pk}/etape-2/")))[2]
    assert f'<option value="{offers["MAIL"].pk}">' in step_2
    assert f'<option value="{offers["NUAGE"].pk}">' not in step_2  # already listed
    response = client.post(f"/acquisitions/{file.pk}/offres/ajouter/", {"offer": offers["MAIL"].pk})
    assert response.status_code == 302
    assert file.candidates.filter(offer=offers["MAIL"]).exists()


def test_add_to_a_file_from_the_offers_catalogue_page(client, orgs, people, offers, runner):
    file = at_step("catalogue", orgs, people)
    candidates_services.candidate_remove(
        by=runner, candidate=file.candidates.get(offer=offers["MAIL"])
    )
    page = page_text(client.get(f"/catalogue/offres/{offers['MAIL'].pk}/"))
    assert "Ajouter à un dossier" in page
    url = f"/acquisitions/offres/{offers['MAIL'].pk}/ajouter-a-un-dossier/"
    assert file.reference in page_text(client.get(url))
    response = client.post(url, {"file": file.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/acquisitions/{file.pk}/etape-2/#offres"
    assert file.candidates.filter(offer=offers["MAIL"]).exists()


def test_add_to_a_file_refuses_another_organisations_file(client, orgs, people, offers, runner):
    stranger = make_person(orgs["client_other"], "client_procurement")
    other = file_at("catalogue", by=stranger, client=orgs["client_other"])
    url = f"/acquisitions/offres/{offers['MAIL'].pk}/ajouter-a-un-dossier/"
    assert other.reference not in page_text(client.get(url))
    assert client.post(url, {"file": other.pk}).status_code == 422  # not among the choices
    assert other.candidates.count() == reload(other).candidates.count()
    client.force_login(people["supplier_rep"])
    assert "Ajouter à un dossier" not in page_text(
        client.get(f"/catalogue/offres/{offers['MAIL'].pk}/")
    )


# --- the startup meeting's participants -------------------------------------------------------


def test_the_meeting_participants_are_picked_among_the_organisations_people(
    client, orgs, people, offers
):
    file = at_step("startup", orgs, people)
    client.force_login(people["broker_agent"])
    text = page_text(client.get(f"/acquisitions/{file.pk}/etape-5/"))
    procurement, agent = people["client_procurement"], people["broker_agent"]
    assert f'value="{procurement.pk}"' in text and 'type="checkbox"' in text
    response = client.post(
        f"/acquisitions/{file.pk}/rencontre/",
        {
            "scheduled_for": "2027-03-08T10:00",
            "people": [procurement.pk, agent.pk],
            "participants": "Invitée Externe <invitee@example.com> fournisseur",
        },
    )
    assert response.status_code == 302, page_text(response)[:3000]
    meeting = StartupMeeting.objects.get(file=file)
    assert {(p["email"], p["role"]) for p in meeting.participants} == {
        (procurement.email, "client"),
        (agent.email, "broker"),
        ("invitee@example.com", "supplier"),
    }


def test_a_meeting_without_anyone_is_refused(client, orgs, people, offers):
    file = at_step("startup", orgs, people)
    client.force_login(people["broker_agent"])
    response = client.post(
        f"/acquisitions/{file.pk}/rencontre/", {"scheduled_for": "2027-03-08T10:00"}
    )
    assert response.status_code == 422
    assert str(forms.PARTICIPANTS_REQUIRED) in page_text(response)


# --- wide content --------------------------------------------------------------------------------


def test_wide_tables_scroll_in_their_box_and_long_words_wrap(client, orgs, people, offers, runner):
    file = at_step("compliance", orgs, people)
    text = page_text(client.get(f"/acquisitions/{file.pk}/etape-3/"))
    assert re.search(
        r'<div class="table-wrap table-scroll"[^>]*><table class="compliance-grid"', text
    )
    assert '<div class="table-wrap table-scroll"><table class="questions-table">' in text
    css = (Path(__file__).parents[2] / "courtier/core/static/courtier/courtier.css").read_text()
    assert re.search(r"\.table-scroll \{[^}]*overflow-x: auto", css)
    assert re.search(r"th, td[^{]*\{[^}]*overflow-wrap: anywhere", css)


def test_the_files_header_links_to_its_history(client, orgs, people, offers):
    file = at_step("needs", orgs, people)
    client.force_login(people["broker_agent"])
    text = page_text(client.get(f"/acquisitions/{file.pk}/"))
    assert "Historique du dossier" in text
    assert f"type=acquisitions.acquisitionfile&amp;id={file.pk}" in text or (
        f"type=acquisitions.acquisitionfile&id={file.pk}" in text
    )


def test_typed_guests_keep_the_services_participants_format():
    """The participants' textarea still takes « Nom <courriel> rôle » lines (the API's format)."""
    form = forms.MeetingForm(
        {"scheduled_for": "2027-03-08T10:00", "participants": "A <a@client.example> client"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["participants"] == [
        {"name": "A", "email": "a@client.example", "role": "client"}
    ]
