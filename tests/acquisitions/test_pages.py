"""The pages of acquisition files (issue 4, point 7) through the Django test client: the list and
a new file, the guided page of each of the five steps with its progress bar, every form posting
to one service (refused: 422 with the French messages on their fields; done: a redirect and the
change in the database), the comparison table and its chart, the documents and their downloads,
the broker's startup meeting and frozen strategy, the suppliers' inbox of questions, and who may
see (404) or change (403) what. Data: tests/acquisitions/factories.py (Fournisseur E's 960,00 $
is the lowest scenario, Fournisseur D's 1 200,00 $ the other one), on a frozen clock."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courtier.acquisitions import checks, forms, messages, rules
from courtier.acquisitions.models import (
    AcquisitionFile,
    DocumentKind,
    MemberConsumption,
    StartupMeeting,
    SupplierQuestion,
    Trial,
)
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.acquisitions.services import transitions as transitions_services
from tests.acquisitions.factories import (
    ANSWERS,
    MONTHS,
    NEED,
    PDF,
    TOTAL_E,
    TZ,
    at_step,
    file_at,
    group_with_members,
    new_file,
    published_before_nine,
    reload,
    republish,
    schedule_meeting,
    sheet_d,
)
from tests.factories import make_organisation, make_person
from tests.helpers import page_text, shared_world

# The organisations, their people and the published Catalogue, built once for the module; each
# test runs in a savepoint of it and gets copies of its objects.
shared, world, orgs, people = shared_world(published_before_nine)


@pytest.fixture
def offers(world, clock):
    return world[2]


MARCH_1 = date(2027, 3, 1)  # a Monday, the first business day of March 2027
A = rules.Action


def detail(file: AcquisitionFile) -> str:
    return f"/acquisitions/{file.pk}/"


def current_step(text: str) -> str:
    """The label of the step the progress bar marks with aria-current="step"."""
    match = re.search(r'aria-current="step">([^<]+)<', text)
    return match.group(1) if match else ""


def questionnaire(**changes) -> dict:
    data = {
        "title": "Courriel des employés",
        "category": "courriel",
        "duration_months": "12",
        "budget": "12 345,67",
        "planned_start": "2027-06-01",
        "location": "anywhere",
        "supplier_partner": "",
    }
    for code, value in ANSWERS.items():
        data[forms.ANSWER_PREFIX + code] = "no" if value is False else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- the list and a new file ---------------------------------------------------------------------


def test_anonymous_people_are_sent_to_the_login_page(client, db):
    response = client.get("/acquisitions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_the_list_shows_the_bodys_own_files_and_not_another_bodys(
    client, orgs, people, offers, runner
):
    own = new_file(by=runner, client=orgs["client"])
    stranger = make_person(orgs["client_other"], "client_procurement")
    other = new_file(by=stranger, client=orgs["client_other"])
    text = page_text(client.get("/acquisitions/"))
    assert own.reference in text
    assert other.reference not in text
    assert "Nouveau dossier" in text


def test_suppliers_have_no_list_of_files(client, people, db):
    client.force_login(people["supplier_rep"])
    assert client.get("/acquisitions/").status_code == 403
    assert client.get("/acquisitions/nouveau/").status_code == 403


def test_a_client_opens_a_file_and_lands_on_step_1(client, orgs, runner, clock):
    response = client.post("/acquisitions/nouveau/", {"title": "Visioconférence"})
    file = AcquisitionFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/acquisitions/{file.pk}/etape-1/"
    assert (file.client, file.title, file.state) == (orgs["client"], "Visioconférence", "needs")
    text = page_text(client.get(response["Location"]))
    assert f"Dossier {file.reference} ouvert" in text
    assert current_step(text) == "1. Définir les besoins"
    assert "Étape 1 sur 5" in text


def test_a_file_without_a_title_is_refused_with_a_french_message(client, runner, clock):
    response = client.post("/acquisitions/nouveau/", {"title": "  "})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in page_text(response)
    assert not AcquisitionFile.objects.exists()


def test_only_the_group_purchasers_people_may_tick_a_group_purchase(client, people, orgs, clock):
    client.force_login(people["client_procurement"])
    assert "Achat regroupé" not in page_text(client.get("/acquisitions/nouveau/"))
    client.force_login(people["group_procurement"])
    assert "Achat regroupé" in page_text(client.get("/acquisitions/nouveau/"))
    client.post("/acquisitions/nouveau/", {"title": "Plateforme", "is_group_purchase": "on"})
    assert AcquisitionFile.objects.get(client=orgs["group"]).is_group_purchase


def test_signatories_and_auditors_do_not_open_files(client, people, db):
    for who in ("client_signatory", "client_auditor", "broker_agent"):
        client.force_login(people[who])
        assert client.post("/acquisitions/nouveau/", {"title": "X"}).status_code == 403
    assert not AcquisitionFile.objects.exists()


# --- step 1 ---------------------------------------------------------------------------------------


def test_the_questionnaire_takes_a_budget_with_a_decimal_comma(client, orgs, runner, clock):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    response = client.post(f"/acquisitions/{file.pk}/besoins/", questionnaire())
    assert response.status_code == 302
    file = reload(file)
    assert file.budget_cents == 1_234_567
    assert file.duration_months == 12
    assert file.category.code == "courriel"
    assert file.answers["service_provider_needed"] is False
    assert file.answers["risks"] == ANSWERS["risks"]
    assert "12345,67" in page_text(client.get(detail(file)))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": "12,345.678"}, forms.AMOUNT_INVALID),
        ({"budget": "10,555"}, forms.AMOUNT_DECIMALS),
        ({"duration_months": "37"}, "Assurez-vous que cette valeur est inférieure ou égale à 36."),
        (
            {"pi_outside_quebec": "on"},
            messages.NEEDS_MESSAGES[rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI],
        ),
    ],
)
def test_a_questionnaire_that_can_never_be_right_is_refused_on_its_field(
    client, orgs, runner, clock, changes, message
):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    response = client.post(f"/acquisitions/{file.pk}/besoins/", questionnaire(**changes))
    assert response.status_code == 422
    assert str(message) in page_text(response)
    assert reload(file).duration_months is None


def test_a_need_line_grows_each_month_up_to_its_ceiling(client, orgs, runner, clock):
    file = new_file(by=runner, client=orgs["client"])
    response = client.post(
        f"/acquisitions/{file.pk}/plan/ligne/",
        {
            "code": "stockage",
            "label": "Stockage",
            "kind": "usage",
            "unit": "gb_month",
            "start": "100",
            "growth": "10",
            "ceiling": "130",
        },
    )
    assert response.status_code == 302
    need = file.needs.get(code="stockage")
    assert need.quantities == [100, 110, 120] + [130] * (MONTHS - 3)


def test_a_need_line_takes_a_list_of_monthly_quantities(client, orgs, runner, clock):
    file = new_file(by=runner, client=orgs["client"])
    values = "5; 6 7;8 " + " ".join(["9"] * (MONTHS - 4))
    response = client.post(
        f"/acquisitions/{file.pk}/plan/ligne/",
        {"code": "salles", "label": "Salles", "kind": "usage", "unit": "fixed", "monthly": values},
    )
    assert response.status_code == 302
    assert file.needs.get(code="salles").quantities == [5, 6, 7, 8] + [9] * (MONTHS - 4)


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({"start": "10", "monthly": "1 2 3"}, forms.QUANTITIES_EITHER),
        ({}, forms.QUANTITIES_REQUIRED),
        ({"monthly": "1 deux 3"}, forms.QUANTITIES_LIST_INVALID),
        (
            {"monthly": "1 2 3"},
            messages.NEEDS_MESSAGES[rules.NeedsProblem.QUANTITIES_LENGTH],
        ),
    ],
)
def test_quantities_given_wrong_are_refused_with_a_french_message(
    client, orgs, runner, clock, quantities, message
):
    file = new_file(by=runner, client=orgs["client"])
    response = client.post(
        f"/acquisitions/{file.pk}/plan/ligne/",
        {"code": "x", "label": "X", "kind": "usage", "unit": "fixed", **quantities},
    )
    assert response.status_code == 422
    assert str(message) in page_text(response)
    assert not file.needs.filter(code="x").exists()


def test_a_line_is_changed_on_its_own_page_and_removed(client, orgs, runner, clock):
    file = new_file(by=runner, client=orgs["client"])
    url = f"/acquisitions/{file.pk}/plan/ligne/?code={NEED}"
    page = page_text(client.get(url))
    assert "Modifier la ligne « Boîtes de courriel »" in page
    response = client.post(
        url,
        {"code": NEED, "label": "Boîtes", "kind": "usage", "unit": "user_month", "start": "20"},
    )
    assert response.status_code == 302
    assert file.needs.get(code=NEED).quantities == [20] * MONTHS
    response = client.post(f"/acquisitions/{file.pk}/plan/{NEED}/retirer/")
    assert response.status_code == 302
    assert not file.needs.exists()


def test_moving_on_with_incomplete_needs_names_each_problem_on_its_field(
    client, orgs, runner, clock
):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    response = client.post(f"/acquisitions/{file.pk}/etape/submit_needs/")
    text = page_text(response)
    assert response.status_code == 422
    assert reload(file).state == "needs"
    assert "Le formulaire contient des erreurs" in text
    needs = messages.NEEDS_MESSAGES
    for problem in (
        rules.NeedsProblem.DURATION,
        rules.NeedsProblem.CATEGORY,
        rules.NeedsProblem.ANSWER_MISSING,
        rules.NeedsProblem.NO_NEED,
        rules.NeedsProblem.BUDGET,
    ):
        assert str(needs[problem]) in text
    # On their fields: the inputs are marked invalid and carry the message next to them.
    assert re.search(r'aria-invalid="true"[^>]*id="id_duration_months"', text) or re.search(
        r'id="id_duration_months"[^>]*aria-invalid="true"', text
    )
    risks = text.index('id="id_answer_risks"')
    assert str(needs[rules.NeedsProblem.ANSWER_MISSING]) in text[risks - 600 : risks]


def test_complete_needs_move_to_step_2_and_keep_the_needs_document(
    client, orgs, runner, offers, run_on_commit
):
    file = new_file(by=runner, client=orgs["client"])
    with run_on_commit():  # the needs document is rendered by a task after the commit
        response = client.post(f"/acquisitions/{file.pk}/etape/submit_needs/")
    assert response.status_code == 302
    assert response["Location"].endswith("/etape-2/")
    assert reload(file).state == "catalogue"
    text = page_text(client.get(detail(file)))
    assert current_step(text) == "2. Consulter le Catalogue"
    assert "Besoins définis : consultez maintenant le Catalogue" in text
    document = file.documents.get(type=DocumentKind.NEEDS)
    assert document.title in text
    download = client.get(f"/documents/{document.pk}/telecharger/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_member_body_enters_its_own_consumption_in_a_group_purchase(client, orgs, people, offers):
    member = make_organisation("client", name="Cégep H")
    group = group_with_members(orgs, member)
    file = new_file(by=people["group_procurement"], client=group, members={member: [3] * MONTHS})
    member_person = make_person(member, "client_procurement")
    client.force_login(member_person)
    text = page_text(client.get(detail(file)))
    assert "Cégep H : 3 chaque mois" in text
    assert "Saisir la consommation d'un membre" in text
    response = client.post(
        f"/acquisitions/{file.pk}/plan/{NEED}/membres/",
        {"member": member.pk, "start": "4", "growth": "1"},
    )
    assert response.status_code == 302
    row = MemberConsumption.objects.get(need__file=file, member=member)
    assert row.quantities == [4 + m for m in range(MONTHS)]
    assert file.needs.get(code=NEED).quantities == row.quantities
    # The member's people see the group's file but do not change it.
    assert client.post(f"/acquisitions/{file.pk}/besoins/", questionnaire()).status_code == 403


# --- steps 2 and 3 --------------------------------------------------------------------------------


def test_the_catalogue_search_lists_the_offers_that_pass_the_filters(
    client, orgs, people, offers, runner
):
    file = new_file(by=runner, client=orgs["client"])
    transitions_services.file_transition(by=runner, file=file, action=A.SUBMIT_NEEDS)
    response = client.post(f"/acquisitions/{file.pk}/offres/catalogue/")
    assert response.status_code == 302
    assert set(file.candidates.values_list("offer__code", flat=True)) == {"MAIL", "NUAGE"}
    text = page_text(client.get(detail(file)))
    assert "2 offres du Catalogue ajoutées à la liste." in text
    assert "Courriel infonuagique" in text and "Courriel nuagique" in text


def test_an_offer_is_added_by_its_number_or_code_and_removed(client, orgs, people, offers, runner):
    file = new_file(by=runner, client=orgs["client"])
    transitions_services.file_transition(by=runner, file=file, action=A.SUBMIT_NEEDS)
    url = f"/acquisitions/{file.pk}/offres/ajouter/"
    assert client.post(url, {"offer": "NUAGE"}).status_code == 302
    assert client.post(url, {"offer": str(offers["MAIL"].pk)}).status_code == 302
    response = client.post(url, {"offer": "INCONNUE"})
    assert response.status_code == 422
    assert str(messages.OFFER_NOT_FOUND) in page_text(response)
    response = client.post(url, {"offer": "NUAGE"})
    assert response.status_code == 422
    assert str(messages.OFFER_ALREADY_CANDIDATE) in page_text(response)
    candidate = file.candidates.get(offer=offers["NUAGE"])
    assert client.post(f"/acquisitions/{file.pk}/offres/{candidate.pk}/retirer/").status_code == 302
    assert list(file.candidates.values_list("offer__code", flat=True)) == ["MAIL"]


def test_an_offer_changed_since_the_client_looked_shows_until_marked_seen(
    client, orgs, people, offers, runner, clock
):
    file = at_step("compliance", orgs, people)
    clock.shift(timedelta(hours=1))

    def rename(sheet):
        sheet["offers"][0]["description"] = "Nouvelle description du courriel."

    version = republish(orgs["supplier"], sheet_d(), rename)
    text = page_text(client.get(detail(file)))
    assert "Modifié depuis votre consultation" in text
    assert f'href="/catalogue/fiches/{version.pk}/#modifications"' in text
    response = client.post(f"/acquisitions/{file.pk}/offres/vues/")
    assert response.status_code == 302
    assert "Modifié depuis votre consultation" not in page_text(client.get(detail(file)))
    assert file.candidates.get(offer=offers["MAIL"]).version_seen_id == version.pk


def test_the_client_maps_each_need_to_a_priced_component(client, orgs, people, offers, runner):
    file = at_step("compliance", orgs, people)
    candidate = file.candidates.get(offer=offers["MAIL"])
    url = f"/acquisitions/{file.pk}/offres/{candidate.pk}/composantes/"
    page = page_text(client.get(url))
    assert "Licence de base (BASE)" in page
    assert "Stockage additionnel" not in page  # no price in force: not offered
    assert client.post(url, {f"need_{NEED}": ""}).status_code == 302
    assert reload(file).candidates.get(pk=candidate.pk).mapping == {}
    assert client.post(url, {f"need_{NEED}": "BASE"}).status_code == 302
    assert file.candidates.get(pk=candidate.pk).mapping == {NEED: "BASE"}


def test_the_compliance_grid_records_a_verdict_per_cell_and_blocks_unknown_ones(
    client, orgs, people, offers, runner
):
    file = at_step("compliance", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/exigences/", {"label": "Authentification unique"}
    )
    assert response.status_code == 302
    requirement = file.requirements.get(kind="judged")
    mail = file.candidates.get(offer=offers["MAIL"])
    nuage = file.candidates.get(offer=offers["NUAGE"])
    response = client.post(f"/acquisitions/{file.pk}/etape/close_compliance/")
    assert response.status_code == 422
    unknown = messages.COMPLIANCE_MESSAGES[rules.ComplianceProblem.UNKNOWN_LEFT]
    assert str(unknown) in page_text(response)
    # Without script: a redirect to the grid. With htmx: only the cell comes back.
    response = client.post(
        f"/acquisitions/{file.pk}/conformite/{mail.pk}/{requirement.pk}/",
        {"verdict": "met", "note": "SAML 2.0"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/acquisitions/{file.pk}/conformite/{nuage.pk}/{requirement.pk}/",
        {"verdict": "not_met", "note": "Pas de SAML"},
        headers={"HX-Request": "true"},
    )
    text = page_text(response)
    assert response.status_code == 200
    assert text.startswith(f'<div id="cellule-{nuage.pk}-{requirement.pk}">')
    assert "Enregistré" in text and "<html" not in text
    records = {r.candidate_id: (r.verdict, r.note) for r in requirement.records.all()}
    assert records == {mail.pk: ("met", "SAML 2.0"), nuage.pk: ("not_met", "Pas de SAML")}
    response = client.post(f"/acquisitions/{file.pk}/etape/close_compliance/")
    assert response.status_code == 302
    assert reload(file).state == "choice"


def test_an_automatic_requirement_cannot_be_judged_by_hand(client, orgs, people, offers, runner):
    file = at_step("compliance", orgs, people)
    automatic = file.requirements.get(kind="category")
    candidate = file.candidates.first()
    response = client.post(
        f"/acquisitions/{file.pk}/conformite/{candidate.pk}/{automatic.pk}/",
        {"verdict": "not_met", "note": ""},
    )
    assert response.status_code == 422
    assert str(messages.AUTOMATIC_REQUIREMENT) in page_text(response)


def test_a_question_goes_to_the_supplier_who_answers_it_in_the_inbox(
    client, orgs, people, offers, runner, mailbox
):
    file = at_step("compliance", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/questions/",
        {"offer": offers["NUAGE"].pk, "text": "Offrez-vous l'archivage légal ?"},
    )
    assert response.status_code == 302
    question = SupplierQuestion.objects.get()
    assert question.supplier == orgs["supplier_other"]
    assert question.due_on == date(2027, 3, 4)  # 3 business days after Monday
    text = page_text(client.get(detail(file)))
    assert "Offrez-vous l'archivage légal ?" in text
    assert "4 mars 2027" in text and "En attente" in text

    rep = make_person(orgs["supplier_other"], "supplier_rep")
    client.force_login(rep)
    inbox = page_text(client.get("/acquisitions/questions/"))
    assert "Offrez-vous l'archivage légal ?" in inbox
    assert client.get(detail(file)).status_code == 404  # suppliers never see files
    response = client.post(f"/acquisitions/questions/{question.pk}/repondre/", {"answer": " "})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in page_text(response)
    response = client.post(
        f"/acquisitions/questions/{question.pk}/repondre/", {"answer": "Oui, 10 ans."}
    )
    assert response.status_code == 302
    assert SupplierQuestion.objects.get().answer == "Oui, 10 ans."
    # Another supplier's people neither see nor answer it.
    client.force_login(people["supplier_rep"])
    assert "archivage" not in page_text(client.get("/acquisitions/questions/"))
    assert (
        client.post(f"/acquisitions/questions/{question.pk}/repondre/", {"answer": "x"}).status_code
        == 404
    )


def test_the_broker_sees_late_questions_first_flagged_late(client, orgs, people, offers, clock):
    file = at_step("compliance", orgs, people)
    runner = people["client_procurement"]
    late = questions_services.question_ask(
        by=runner, file=file, offer=offers["MAIL"], text="Question A"
    )
    clock.move_to(datetime(2027, 3, 3, 9, tzinfo=TZ))
    questions_services.question_ask(by=runner, file=file, offer=offers["NUAGE"], text="Question B")
    clock.move_to(datetime(2027, 3, 5, 9, tzinfo=TZ))  # A was due on the 4th
    client.force_login(people["broker_agent"])
    text = page_text(client.get("/acquisitions/questions/"))
    assert text.index("Question A") < text.index("Question B")
    assert "1 question en retard." in text
    first = text[text.index(f'id="question-{late.pk}"') :]
    assert "En retard" in first[: first.index("</h2>")]
    # The broker reads but does not answer for the supplier.
    assert (
        client.post(f"/acquisitions/questions/{late.pk}/repondre/", {"answer": "x"}).status_code
        == 403
    )


def test_a_trial_beyond_the_limits_is_refused_and_a_report_is_attached(
    client, orgs, people, offers, runner
):
    file = at_step("compliance", orgs, people)
    url = f"/acquisitions/{file.pk}/bancs-essai/"
    data = {
        "offer": offers["MAIL"].pk,
        "starts_on": "2027-03-08",
        "ends_on": "2027-05-07",  # 61 days
        "units": "31",
    }
    response = client.post(url, data)
    text = page_text(response)
    assert response.status_code == 422
    for problem in (
        rules.TrialProblem.TOO_LONG,
        rules.TrialProblem.TOO_MANY_UNITS,
        rules.TrialProblem.ATTESTATION,
    ):
        assert str(messages.TRIAL_MESSAGES[problem]) in text
    assert not Trial.objects.exists()
    data |= {"ends_on": "2027-05-06", "units": "30", "attestation": "on"}
    assert client.post(url, data).status_code == 302
    trial = Trial.objects.get()
    assert "60 jours" in page_text(client.get(detail(file)))
    response = client.post(
        f"/acquisitions/{file.pk}/bancs-essai/{trial.pk}/rapport/",
        {
            "report": SimpleUploadedFile("rapport.pdf", PDF + b"rapport"),
            "summary": "Concluant.",
        },
    )
    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.report is not None and trial.report_summary == "Concluant."
    assert file.documents.filter(type=DocumentKind.TRIAL_REPORT).exists()


# --- step 4 ---------------------------------------------------------------------------------


def test_the_comparison_shows_the_ranked_scenarios_the_chart_and_the_downloads(
    client, orgs, people, offers, runner, run_on_commit
):
    file = at_step("choice", orgs, people, choice=None)
    with run_on_commit():  # the comparison is rendered by tasks after the commit
        response = client.post(f"/acquisitions/{file.pk}/scenarios/calculer/")
    assert response.status_code == 302
    text = page_text(client.get(detail(file)))
    assert current_step(text) == "4. Déterminer le choix le plus avantageux"
    table = text[text.index("<caption>Comparaison des scénarios</caption>") :]
    table = table[: table.index("</table>")]
    assert table.index("Fournisseur E") < table.index("Fournisseur D")
    assert "960,00 $" in table and "1\xa0200,00 $" in table
    assert "+ 240,00 $" in table  # the difference with the lowest
    assert "Plus bas prix" in table
    chart = text[text.index("<svg") : text.index("</svg>")]
    assert 'role="img"' in chart
    assert "<title" in chart and "<desc" in chart
    assert chart.count("<polyline") == 2
    assert "Données du graphique : coût cumulatif par mois" in text
    xlsx = file.documents.filter(type=DocumentKind.COMPARISON_XLSX).latest("pk")
    pdf = file.documents.filter(type=DocumentKind.COMPARISON_PDF).latest("pk")
    assert f"/documents/{xlsx.pk}/telecharger/" in text
    assert f"/documents/{pdf.pk}/telecharger/" in text
    download = client.get(f"/documents/{xlsx.pk}/telecharger/")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip: XLSX


def test_the_lowest_choice_with_its_financial_authorisation_moves_to_step_5(
    client, orgs, people, offers, runner
):
    file = at_step("choice", orgs, people, choice=None)
    lowest = checks.latest_run(file).scenarios.get(is_lowest=True)
    response = client.post(f"/acquisitions/{file.pk}/etape/confirm_choice/")
    assert response.status_code == 422
    assert str(messages.CHOICE_MESSAGES[rules.ChoiceProblem.NO_CHOICE]) in page_text(response)
    response = client.post(f"/acquisitions/{file.pk}/scenarios/choisir/", {"scenario": lowest.pk})
    assert response.status_code == 302
    text = page_text(client.get(detail(file)))
    assert 'value="960,00"' in text  # the financial form is prefilled with the chosen total
    assert "Autorisation préalable du dirigeant" not in text
    response = client.post(
        f"/acquisitions/{file.pk}/autorisation-financiere/",
        {
            "amount": "1 000,00",
            "planned_additions": "40",
            "authorised_on": "2027-03-01",
            "authorised_by_name": "Francis Finances",
        },
    )
    assert response.status_code == 302
    auth = reload(file).financial_authorisation
    assert (auth.amount_cents, auth.planned_additions_cents) == (100_000, 4_000)
    response = client.post(f"/acquisitions/{file.pk}/etape/confirm_choice/")
    assert response.status_code == 302
    assert reload(file).state == "startup"
    text = page_text(client.get(detail(file)))
    assert current_step(text) == "5. Conclure un contrat spécifique"
    assert "Contrat signé au plus tôt le 31 mars 2027" in text


def test_a_financial_authorisation_below_the_total_is_named_when_confirming(
    client, orgs, people, offers, runner
):
    file = at_step("choice", orgs, people)
    response = client.post(
        f"/acquisitions/{file.pk}/autorisation-financiere/",
        {"amount": "0", "authorised_on": "2027-03-01", "authorised_by_name": "F"},
    )
    assert response.status_code == 422
    assert str(messages.AMOUNT_POSITIVE) in page_text(response)
    client.post(
        f"/acquisitions/{file.pk}/autorisation-financiere/",
        {"amount": "100,00", "authorised_on": "2027-03-01", "authorised_by_name": "F"},
    )
    response = client.post(f"/acquisitions/{file.pk}/etape/confirm_choice/")
    assert response.status_code == 422
    amount = messages.CHOICE_MESSAGES[rules.ChoiceProblem.FINANCIAL_AMOUNT]
    assert str(amount) in page_text(response)


def test_a_non_lowest_rcti_choice_needs_the_heads_authorisation(
    client, orgs, people, offers, runner
):
    file = at_step("choice", orgs, people, choice="other")
    text = page_text(client.get(detail(file)))
    assert "Autorisation préalable du dirigeant d'organisme (article 48 du RCTI)" in text
    for label in forms.CRITERION_LABELS.values():
        assert str(label) in text
    scenarios_services.financial_authorisation_record(
        by=runner,
        file=file,
        amount_cents=200_000,
        planned_additions_cents=0,
        authorised_on=MARCH_1,
        authorised_by_name="F",
    )
    response = client.post(f"/acquisitions/{file.pk}/etape/confirm_choice/")
    assert response.status_code == 422
    head = messages.CHOICE_MESSAGES[rules.ChoiceProblem.HEAD_AUTHORISATION]
    assert str(head) in page_text(response)
    url = f"/acquisitions/{file.pk}/autorisation-dirigeant/"
    response = client.post(url, {"justification": "", "authorised_on": "2027-03-01"})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in page_text(response)  # the signed document
    response = client.post(
        url,
        {
            "criteria": ["technical_compatibility", "other"],
            "justification": "Compatible avec notre annuaire.",
            "head_name": "Dominique Dirigeante",
            "authorised_on": "2027-03-01",
            "document": SimpleUploadedFile("autorisation.pdf", PDF + b"signee"),
        },
    )
    assert response.status_code == 302
    assert reload(file).head_authorisation.criteria == ["other", "technical_compatibility"]
    assert client.post(f"/acquisitions/{file.pk}/etape/confirm_choice/").status_code == 302


def test_a_client_not_subject_to_the_rcti_records_its_own_rule(client, orgs, offers):
    body = make_organisation("client", name="Cégep I", subject_to_rcti=False)
    person = make_person(body, "client_procurement")
    client.force_login(person)
    file = file_at("choice", by=person, client=body, choice=None)
    other = checks.latest_run(file).scenarios.get(is_lowest=False)
    text = page_text(client.get(detail(file)))
    assert "Règle interne de votre organisme" in text
    response = client.post(
        f"/acquisitions/{file.pk}/scenarios/choisir/",
        {"scenario": other.pk, "own_rule": "Politique d'acquisition, art. 12."},
    )
    assert response.status_code == 302
    assert reload(file).own_rule == "Politique d'acquisition, art. 12."
    assert "Autorisation préalable du dirigeant" not in page_text(client.get(detail(file)))


def test_the_efvp_is_recorded_when_personal_information_is_involved(
    client, orgs, people, offers, runner
):
    file = at_step("choice", orgs, people, personal_information=True)
    text = page_text(client.get(detail(file)))
    assert "l'EFVP est requise" in text
    response = client.post(
        f"/acquisitions/{file.pk}/efvp/",
        {"done_on": "2027-03-01", "document": SimpleUploadedFile("efvp.pdf", PDF + b"efvp")},
    )
    assert response.status_code == 302
    assert reload(file).efvp_done_on == MARCH_1
    assert file.documents.filter(type=DocumentKind.EFVP).exists()


# --- step 5 ---------------------------------------------------------------------------------


def test_the_broker_schedules_the_meeting_from_participant_lines(
    client, orgs, people, offers, mailbox, run_on_commit
):
    file = at_step("startup", orgs, people)
    client.force_login(people["broker_agent"])
    text = page_text(client.get(detail(file)))
    assert "Tous les préalables sont remplis" in text
    url = f"/acquisitions/{file.pk}/rencontre/"
    response = client.post(
        url, {"scheduled_for": "2027-03-08T10:00", "participants": "Sans courriel client"}
    )
    assert response.status_code == 422
    assert str(forms.PARTICIPANT_LINE_INVALID % {"n": 1}) in page_text(response)
    with run_on_commit():
        response = client.post(
            url,
            {
                "scheduled_for": "2027-03-08T10:00",
                "participants": "Camille Client <camille@client.example> client\n"
                "Félix Fournisseur <felix@fournisseur.example> fournisseur\n"
                "Mathieu Courtier <mathieu@courtier.example> courtier",
            },
        )
    assert response.status_code == 302
    meeting = StartupMeeting.objects.get(file=file)
    assert meeting.scheduled_for == datetime(2027, 3, 8, 10, tzinfo=TZ)
    assert [p["role"] for p in meeting.participants] == ["client", "supplier", "broker"]
    text = page_text(client.get(detail(file)))
    assert "Ordre du jour" in text and meeting.agenda.splitlines()[0] in text
    assert mailbox.to("felix@fournisseur.example")


def test_a_meeting_in_the_past_is_refused(client, orgs, people, offers):
    file = at_step("startup", orgs, people)
    client.force_login(people["broker_agent"])
    response = client.post(
        f"/acquisitions/{file.pk}/rencontre/",
        {
            "scheduled_for": "2027-02-26T10:00",
            "participants": "A <a@client.example> client\nB <b@f.example> fournisseur",
        },
    )
    assert response.status_code == 422
    assert str(messages.MEETING_IN_PAST) in page_text(response)


def test_the_broker_freezes_the_strategy_after_the_meeting(
    client, orgs, people, offers, clock, run_on_commit
):
    file = at_step("startup", orgs, people)
    agent = people["broker_agent"]
    client.force_login(agent)
    meeting = schedule_meeting(file, by=agent)
    response = client.post(f"/acquisitions/{file.pk}/figer/")
    assert response.status_code == 422
    assert str(messages.MEETING_NOT_HELD) in page_text(response)
    clock.move_to(meeting.scheduled_for + timedelta(hours=2))
    client.force_login(agent)  # two days later: a new session
    with run_on_commit():  # the strategy's PDF is rendered by a task after the commit
        response = client.post(f"/acquisitions/{file.pk}/figer/")
    assert response.status_code == 302
    file = reload(file)
    assert file.state == "frozen"
    text = page_text(client.get(detail(file)))
    assert "Les cinq étapes sont terminées" in text
    assert "Stratégie d'acquisition figée" in text
    strategy = file.strategy
    assert strategy.total_cents == TOTAL_E
    version = strategy.content["offers"][0]["sheet_version"]
    assert f'href="/catalogue/fiches/{version}/"' in text
    assert file.documents.filter(type=DocumentKind.STRATEGY).exists()


def test_clients_neither_schedule_nor_freeze(client, orgs, people, offers, runner):
    file = at_step("startup", orgs, people)
    data = {
        "scheduled_for": "2027-03-08T10:00",
        "participants": "A <a@client.example> client\nB <b@f.example> fournisseur",
    }
    assert client.post(f"/acquisitions/{file.pk}/rencontre/", data).status_code == 403
    assert client.post(f"/acquisitions/{file.pk}/figer/").status_code == 403
    assert not StartupMeeting.objects.exists()


# --- going back, abandoning ---------------------------------------------------------------------


def test_going_back_is_confirmed_first_and_clears_the_choice(client, orgs, people, offers, runner):
    file = at_step("choice", orgs, people)
    url = f"/acquisitions/{file.pk}/etape/go_back/"
    text = page_text(client.get(url))
    assert "Confirmer le retour à l'étape précédente" in text
    assert "3. Établir la liste des solutions conformes" in text
    assert reload(file).state == "choice"  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert reload(file).state == "compliance"
    assert checks.chosen_scenario(file) is None


def test_abandoning_is_confirmed_then_final(client, orgs, people, offers, runner):
    file = new_file(by=runner, client=orgs["client"])
    url = f"/acquisitions/{file.pk}/etape/abandon/"
    assert "Confirmer l'abandon du dossier" in page_text(client.get(url))
    assert client.post(url).status_code == 302
    text = page_text(client.get(detail(file)))
    assert "Ce dossier est abandonné" in text
    assert "Passer à la consultation du Catalogue" not in text
    response = client.post(f"/acquisitions/{file.pk}/etape/submit_needs/")
    assert response.status_code == 422
    assert str(messages.TRANSITION_REFUSED) in page_text(response)


def test_an_unknown_move_is_not_found(client, orgs, runner, clock):
    file = needs_services.file_create(by=runner, client=orgs["client"], title="Courriel")
    assert client.post(f"/acquisitions/{file.pk}/etape/sauter/").status_code == 404
    assert client.post(f"/acquisitions/{file.pk}/etape/freeze_strategy/").status_code == 404


# --- who sees and changes what --------------------------------------------------------------------


def test_another_bodys_file_and_documents_are_not_found(client, orgs, people, offers):
    file = at_step("catalogue", orgs, people, documents=True)
    document = file.documents.first()
    stranger = make_person(orgs["client_other"], "client_procurement")
    client.force_login(stranger)
    assert client.get(detail(file)).status_code == 404
    assert client.get(f"/documents/{document.pk}/telecharger/").status_code == 404
    assert client.post(f"/acquisitions/{file.pk}/offres/catalogue/").status_code == 404
    client.force_login(people["supplier_rep"])
    assert client.get(detail(file)).status_code == 404
    assert client.get(f"/documents/{document.pk}/telecharger/").status_code == 404


@pytest.mark.parametrize("who", ["client_signatory", "client_auditor", "broker_auditor"])
def test_people_who_see_a_file_but_do_not_run_it_get_403_on_its_forms(
    client, orgs, people, offers, who
):
    file = new_file(by=people["client_procurement"], client=orgs["client"])
    client.force_login(people[who])
    text = page_text(client.get(detail(file)))
    assert "Enregistrer le questionnaire" not in text  # read-only for them
    assert client.post(f"/acquisitions/{file.pk}/besoins/", questionnaire()).status_code == 403
    assert client.post(f"/acquisitions/{file.pk}/etape/submit_needs/").status_code == 403
    assert client.post(f"/acquisitions/{file.pk}/plan/{NEED}/retirer/").status_code == 403
    assert reload(file).state == "needs" and file.needs.exists()


def test_the_audit_trail_link_is_for_those_who_read_the_audit(client, orgs, people, offers):
    file = new_file(by=people["client_procurement"], client=orgs["client"])
    link = f"/journal/?type=acquisitions.acquisitionfile&amp;id={file.pk}"
    client.force_login(people["client_auditor"])
    assert link in client.get(detail(file)).content.decode()
    client.force_login(people["client_procurement"])
    assert link not in client.get(detail(file)).content.decode()


def test_the_money_helpers_keep_cents_exact():
    assert forms.dollars_to_cents("12 345,67 $") == 1_234_567
    assert forms.dollars_to_cents("12345.67") == 1_234_567
    assert forms.dollars_to_cents("1\u00a0000") == 100_000
    assert forms.cents_to_dollars(1_234_567) == "12345,67"
    assert forms.cents_to_dollars(5) == "0,05"


@pytest.mark.parametrize(
    ("quantities", "shown"),
    [
        ([5, 5, 5], "5 chaque mois"),
        ([1, 0, 0, 0], "1 au total, au mois 1"),
        ([0, 0, 1, 1, 0], "2 au total, au mois 3, 4"),
        ([10, 12, 14, 16], "de 10 à 16 (maximum 16)"),
    ],
)
def test_the_plan_shows_one_off_activities_by_month_and_usage_as_a_trend(quantities, shown):
    """Entry and exit activities (DOMAIN §5.3, §5.9) happen in a few months: the plan says when."""
    from courtier.acquisitions.views.common import _quantities_summary

    assert str(_quantities_summary(quantities)) == shown


def test_the_comparison_shows_each_member_bodys_share_of_a_group_purchase(
    client, orgs, people, offers
):
    """Seed 003: a group purchase prices the pooled volume; each member pays its own share,
    from its own consumption (6 and 4 of the 10 users: 57 600 ¢ and 38 400 ¢ of E's 96 000 ¢)."""
    from courtier.core.formatting import money

    a, b = orgs["client"], orgs["client_other"]
    group = group_with_members(orgs, a, b)
    file = file_at(
        "choice",
        by=people["group_procurement"],
        client=group,
        choice=None,
        members={a: [6] * MONTHS, b: [4] * MONTHS},
    )
    client.force_login(people["group_procurement"])
    text = page_text(client.get(detail(file)))
    assert "Part de chaque organisme membre" in text
    assert f"{a.name} : {money(57_600)}" in text
    assert f"{b.name} : {money(38_400)}" in text
