"""The documents an acquisition file produces (issue 4, point 7; DOMAIN §7): built from a file
driven through the real services, then read back (XLSX with openpyxl, PDF with pypdf's text
extraction and pikepdf for its PDF/A structure, issue 11 point 2)."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from courtier.acquisitions import checks, rules
from courtier.acquisitions.documents.common import Rendered
from courtier.acquisitions.documents.comparison import (
    _run_data,
    _years_priced,
    comparison_xlsx,
    increase_text,
)
from courtier.acquisitions.documents.comparison_pdf import (
    MAX_CHART_SCENARIOS,
    _chart_scenarios,
    comparison_pdf,
)
from courtier.acquisitions.documents.compliance import compliance_xlsx, questions_pdf
from courtier.acquisitions.documents.needs import needs_pdf
from courtier.acquisitions.documents.startup import agenda_pdf, agenda_text, strategy_pdf
from courtier.acquisitions.models import AcquisitionFile, DocumentKind, Scenario
from courtier.acquisitions.pricing_loop import raised
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import overdue as overdue_services
from courtier.acquisitions.services import questions as questions_services
from courtier.core.formatting import money
from courtier.core.xlsx import MONEY_FORMAT, XLSX_CONTENT_TYPE
from tests.acquisitions.factories import (
    MONTHS,
    NEED,
    PRICE_D,
    TOTAL_D,
    TOTAL_E,
    TZ,
    USERS,
    advance,
    new_file,
    publish_catalogue,
    reload,
)
from tests.core.test_pdf import assert_pdfa
from tests.factories import build_orgs, build_people
from tests.helpers import world_kept_for

TODAY = date(2026, 11, 16)  # a Monday; the meeting is on Wednesday the 18th
XLSX_MAGIC = b"PK\x03\x04"


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 16, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def catalogue(orgs, clock):
    return publish_catalogue(orgs)


def build_at_compliance(catalogue, orgs, people):
    """A file of the RCTI client at step 3 with both suppliers' offers listed, a judged
    requirement met by both (NUAGE's note looks like a spreadsheet formula), a question answered
    by Fournisseur D, one Fournisseur E has not answered yet, and a trial of MAIL."""
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"])
    file = advance(file, rules.State.COMPLIANCE, by=by)
    requirement = candidates_services.requirement_add(
        by=by, file=file, label="Authentification unique SAML"
    )
    for candidate in file.candidates.select_related("offer"):
        note = '=HYPERLINK("http://piege.example")' if candidate.offer.code == "NUAGE" else ""
        candidates_services.compliance_record(
            by=by, candidate=candidate, requirement=requirement, verdict="met", note=note
        )
    question = questions_services.question_ask(
        by=by, file=file, offer=catalogue["MAIL"], text="Offrez-vous l'archivage légal ?"
    )
    questions_services.question_answer(
        by=people["supplier_rep"], question=question, answer="Oui, sur 10 ans."
    )
    questions_services.question_ask(
        by=by, file=file, offer=catalogue["NUAGE"], text="Où sont les copies de sauvegarde ?"
    )
    questions_services.trial_create(
        by=by,
        file=file,
        offer=catalogue["MAIL"],
        starts_on=TODAY,
        ends_on=date(2026, 12, 15),
        units=20,
        attestation=True,
    )
    return reload(file)


def build_frozen(file, people):
    """The same file driven to a frozen strategy with the NON-lowest scenario (Fournisseur D)
    chosen, the head's authorisation, the financial one, the meeting and the freeze."""
    return advance(
        file,
        rules.State.FROZEN,
        by=people["client_procurement"],
        broker=people["broker_agent"],
        choice="other",
    )


@pytest.fixture
def at_compliance(catalogue, orgs, people):
    return build_at_compliance(catalogue, orgs, people)


@pytest.fixture
def frozen(at_compliance, people):
    return build_frozen(at_compliance, people)


# The documents a file's steps produce are rendered by a task after the commit, which the test's
# transaction never reaches: the fixtures below run those tasks (run_on_commit), for the tests
# that read what the file kept.


@pytest.fixture
def at_compliance_kept(catalogue, orgs, people, run_on_commit):
    with run_on_commit():
        file = build_at_compliance(catalogue, orgs, people)
    return file


@pytest.fixture
def frozen_kept(catalogue, orgs, people, run_on_commit):
    with run_on_commit():
        file = build_frozen(build_at_compliance(catalogue, orgs, people), people)
    return file


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page as pypdf extracts it, its spacing normalised: no-break and narrow
    no-break spaces read as spaces, and a line wrapped by the layout reads as one line."""
    return [
        re.sub(r"\s+", " ", page.extract_text().replace("\xa0", " ").replace("\u202f", " "))
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def pdf_text(content: bytes) -> str:
    """The text drawn on every page, in order."""
    return "\n".join(pdf_pages(content))


def printed(cents: int) -> str:
    """An amount as a PDF shows it (its no-break spaces drawn as spaces)."""
    with translation.override("fr-ca"):
        return money(cents).replace("\xa0", " ")


def assert_pdf(rendered: Rendered) -> str:
    assert rendered.content_type == "application/pdf"
    assert rendered.content.startswith(b"%PDF-")
    assert rendered.content.rstrip().endswith(b"%%EOF")
    assert rendered.name.endswith(".pdf")
    return pdf_text(rendered.content)


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def cents(value) -> int:
    """An amount cell read back (a number of dollars) in cents, exactly."""
    return int(Decimal(str(value)) * 100)


def row_starting(sheet, first) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == first)


# --- the money formatter -------------------------------------------------------------------


def test_amounts_are_written_the_french_canadian_way():
    with translation.override("fr-ca"):
        assert money(1_234_567) == "12\xa0345,67 $"
        assert money(5) == "0,05 $"
        assert money(0) == "0,00 $"
        assert money(None) == ""


def test_documents_are_french_even_for_an_english_reader(frozen):
    meeting = frozen.startup_meeting
    with translation.override("en"):
        text = agenda_text(frozen, meeting, checks.chosen_scenario(frozen))
        assert money(TOTAL_D) == "1,200.00 $"  # the formatter follows the language
    assert "Objectifs de la rencontre" in text
    assert "montant total estimé : 1\xa0200,00 $" in text


# --- step 4: the comparison -----------------------------------------------------------------


def test_the_comparison_workbook_ranks_the_scenarios_with_their_exact_totals(frozen):
    run = checks.latest_run(frozen)
    rendered = comparison_xlsx(run)
    assert rendered.content.startswith(XLSX_MAGIC)
    assert rendered.content_type == XLSX_CONTENT_TYPE
    assert rendered.name == f"{frozen.reference}-comparaison-1.xlsx"
    book = load_workbook(io.BytesIO(rendered.content))
    assert book.sheetnames == ["Comparaison", "Mois par mois", "Détail", "Plan"]

    sheet = book["Comparaison"]
    assert sheet["A1"].value == "Comparaison des scénarios d'acquisition"
    header = dict(row[:2] for row in rows(sheet)[1:10])
    assert header["Dossier"] == f"{frozen.reference} - Courriel des employés"
    assert header["Organisme client"] == "Ministère A"
    assert header["Durée"] == f"{MONTHS} mois"
    assert header["Prix en vigueur le"] == datetime(2026, 11, 16)  # a date cell
    assert header["Calcul n°"] == 1
    top = row_starting(sheet, "Rang")
    first, second = rows(sheet)[top : top + 2]
    assert first[:2] == [1, "Fournisseur E"]
    assert cents(first[3]) == TOTAL_E
    assert cents(first[4]) == 0
    assert first[5:8] == ["Oui", "Non", "Oui"]
    assert second[:2] == [2, "Fournisseur D"]
    assert cents(second[3]) == TOTAL_D
    assert cents(second[4]) == TOTAL_D - TOTAL_E
    assert second[5:7] == ["Non", "Oui"]  # not the lowest, chosen
    assert sheet.cell(top + 1, 4).number_format == MONEY_FORMAT

    monthly = rows(book["Mois par mois"])
    assert monthly[0] == [
        "Mois",
        "Mensuel - 1. Fournisseur E",
        "Mensuel - 2. Fournisseur D",
        "Cumulatif - 1. Fournisseur E",
        "Cumulatif - 2. Fournisseur D",
    ]
    assert len(monthly) == MONTHS + 2
    assert monthly[1][0].startswith("1 (")  # contract month 1 and its calendar month
    chosen = checks.chosen_scenario(frozen)
    assert [cents(r[2]) for r in monthly[1:-1]] == chosen.monthly_cents
    assert [cents(r[4]) for r in monthly[1:-1]] == list(accumulate(chosen.monthly_cents))
    assert [cents(v) for v in monthly[-1][1:]] == [TOTAL_E, TOTAL_D, TOTAL_E, TOTAL_D]


def test_the_detail_sheet_explains_every_cent_of_each_total(frozen):
    run = checks.latest_run(frozen)
    book = load_workbook(io.BytesIO(comparison_xlsx(run).content))
    detail = rows(book["Détail"])
    assert detail[0] == [
        "Rang",
        "Fournisseur",
        "Offre",
        "Composante",
        "Code",
        "Besoin",
        "Nature",
        "Année du contrat",
        "Mois facturé",
        "Mois couverts",
        "Quantité (pointe)",
        "Prix de la fiche (1er palier)",
        "Hausse annuelle maximale",
        "Hausses appliquées (années)",
        "Prix unitaire de l'année (1er palier)",
        "Montant",
        "Choisi",
    ]
    lines = [row for row in detail[1:] if row and row[1]]
    explained = [row[0] for row in detail[1:] if row and row[0] and not row[1]]
    assert explained and explained[-1].startswith("Hausses annuelles : le prix d'une composante")
    by_supplier: dict[str, int] = {}
    for row in lines:
        by_supplier[row[1]] = by_supplier.get(row[1], 0) + cents(row[15])
    assert by_supplier == {"Fournisseur E": TOTAL_E, "Fournisseur D": TOTAL_D}
    mail = next(r for r in lines if r[1] == "Fournisseur D")
    assert mail[2:7] == [
        "Courriel infonuagique",
        "Licence de base",
        "BASE",
        "Boîtes de courriel",
        "Selon le plan de consommation",
    ]
    assert mail[7:11] == [1, 1, MONTHS, USERS]  # year 1, from month 1, 12 months, 10 users
    assert cents(mail[11]) == PRICE_D  # the sheet's price
    assert mail[12:14] == ["aucune", 0]  # no yearly increase in year 1
    assert cents(mail[14]) == PRICE_D  # the year's price
    assert mail[16] == "Oui"  # Fournisseur D's scenario is the chosen one
    assert {r[16] for r in lines if r[1] == "Fournisseur E"} == {"Non"}

    plan = rows(book["Plan"])
    assert plan[0][:5] == ["Code", "Besoin", "Nature", "Unité", plan[0][4]]
    assert len(plan[0]) == 4 + MONTHS
    assert (
        plan[1]
        == [NEED, "Boîtes de courriel", "Consommation", "par utilisateur par mois"]
        + [USERS] * MONTHS
    )


def test_the_comparison_pdf_holds_the_ranking_the_chart_legend_and_the_details(frozen):
    run = checks.latest_run(frozen)
    rendered = comparison_pdf(run)
    text = assert_pdf(rendered)
    assert rendered.title == (
        "Comparaison des scénarios, calcul n° 1 (PDF) - scénario choisi : Fournisseur D"
    )
    assert "Classement" in text
    assert "Coût cumulatif par scénario" in text
    lowest, chosen = printed(TOTAL_E), printed(TOTAL_D)
    # The legend names each polyline with its total and what it is.
    assert f"1. Fournisseur E - {lowest} (plus bas prix)" in text
    assert f"2. Fournisseur D - {chosen} (choisi)" in text
    # The line-item detail of every scenario, each on its own page.
    assert "Détail du scénario 1. Fournisseur E (plus bas prix)" in text
    assert "Détail du scénario 2. Fournisseur D (choisi)" in text
    # Each detail starts its own page, after the summary and the chart.
    pages = pdf_pages(rendered.content)
    assert len(pages) >= 3
    [first] = [n for n, page in enumerate(pages) if "Détail du scénario 1." in page]
    [second] = [n for n, page in enumerate(pages) if "Détail du scénario 2." in page]
    assert 0 < first < second
    assert "Coût cumulatif par scénario" not in pages[first]
    # The chart's axis, drawn in the SVG with its text.
    assert "Mois du contrat" in " ".join(pages[:first])


@pytest.mark.parametrize(
    ("rate", "times", "text"),
    [
        (300, (2,), "3,00 % par année, 2 fois"),
        (350, (1,), "3,50 % par année, 1 fois"),
        (300, (0,), "aucune"),
        (0, (2,), "aucune"),
        (500, (0, 1, 2), "5,00 % par année, de 0 à 2 fois selon l'année"),
    ],
)
def test_a_line_says_which_yearly_increase_its_price_carries(rate, times, text):
    """004 §3.4.1: the maximum yearly increase applies once per contract year after the first."""
    with translation.override("fr-ca"):
        shown = increase_text(rate, times)
    assert shown.replace("\xa0", " ").replace("\u202f", " ") == text


@pytest.mark.parametrize(
    ("cents", "rate", "times", "raised_cents"),
    [(150000, 300, 0, 150000), (150000, 300, 1, 154500), (150000, 300, 2, 159135), (5, 5000, 1, 8)],
)
def test_a_price_is_raised_once_a_year_rounded_half_up_to_the_cent(
    cents, rate, times, raised_cents
):
    assert raised(cents, rate, times) == raised_cents


@pytest.mark.parametrize(
    ("item", "unit", "years"),
    [
        # An exit billed upfront but done in month 34 of 36: priced at the third year's price.
        ({"kind": "usage", "year": 0, "billed_month": 0, "months": 36}, "fixed", (2,)),
        # Per-month units billed upfront: each month at its own year's price.
        ({"kind": "usage", "year": 0, "billed_month": 0, "months": 36}, "user_month", (0, 1, 2)),
        # A line billed in its own year.
        ({"kind": "usage", "year": 1, "billed_month": 12, "months": 12}, "user_month", (1,)),
        ({"kind": "minimum_term", "year": 2, "billed_month": 35, "months": 4}, "user_month", (2,)),
    ],
)
def test_the_years_a_line_is_priced_at(item, unit, years):
    exit_plan = [0] * 33 + [1, 0, 0]
    assert _years_priced(item, unit, exit_plan, 36) == years


def test_the_chart_draws_eight_scenarios_at_most_and_always_the_chosen_one(frozen):
    run = checks.latest_run(frozen)
    data = _run_data(run)
    many = [Scenario(rank=n, complete=True, monthly_cents=[n], total_cents=n) for n in range(1, 11)]
    chosen = Scenario(rank=11, complete=True, monthly_cents=[11], total_cents=11, chosen=True)
    data = dataclasses.replace(data, scenarios=[*many, chosen], chosen=chosen)
    drawn = _chart_scenarios(data)
    assert len(drawn) == MAX_CHART_SCENARIOS == 8
    assert drawn == [*many[:7], chosen]


# --- steps 1-3 ------------------------------------------------------------------------------


def test_the_needs_pdf_holds_the_questionnaire_and_the_plan(at_compliance_kept):
    rendered = needs_pdf(at_compliance_kept)
    text = assert_pdf(rendered)
    assert rendered.name == f"{at_compliance_kept.reference}-besoins.pdf"
    assert "Définition des besoins" in text
    assert "Besoins de sécurité" in text  # a label of models.QUESTION_LABELS
    assert "Réponse : security_needs." in text
    assert "Plan de consommation" in text
    assert "Boîtes de courriel" in text
    assert "12 mois" in text
    # Kept when the needs were submitted.
    assert at_compliance_kept.documents.filter(type=DocumentKind.NEEDS).exists()


def test_the_compliance_workbook_crosses_offers_and_requirements_with_the_notes(at_compliance):
    rendered = compliance_xlsx(at_compliance)
    book = load_workbook(io.BytesIO(rendered.content))
    assert book.sheetnames == ["Conformité", "Exigences"]
    sheet = book["Conformité"]
    top = row_starting(sheet, "Fournisseur")
    table = rows(sheet)[top - 1 :]
    header = table[0]
    assert header[:4] == ["Fournisseur", "Offre", "Code", "Version de la fiche consultée"]
    assert "Offre du volet recherché (automatique)" in header
    assert "Authentification unique SAML" in header
    assert header[-1] == "Conforme"
    by_code = {row[2]: dict(zip(header, row, strict=True)) for row in table[1:]}
    assert set(by_code) == {"MAIL", "NUAGE"}
    assert by_code["MAIL"]["Offre du volet recherché (automatique)"] == "Satisfaite"
    assert by_code["MAIL"]["Authentification unique SAML"] == "Satisfaite"
    assert by_code["MAIL"]["Conforme"] == "Oui"
    # A note that looks like a formula stays text (catalogue/exports.py's guard).
    note = by_code["NUAGE"]["Authentification unique SAML - note"]
    assert note == '\'=HYPERLINK("http://piege.example")'
    cell = sheet.cell(
        top + 1 + [r[2] for r in table[1:]].index("NUAGE"),
        header.index("Authentification unique SAML - note") + 1,
    )
    assert cell.data_type == "s"
    assert rows(book["Exigences"])[1:] == [
        [1, "Offre du volet recherché", "Volet du Catalogue (automatique)"],
        [2, "Authentification unique SAML", "Exigence évaluée par le client"],
    ]


def test_the_questions_pdf_lists_answers_due_dates_and_late_questions(at_compliance):
    text = assert_pdf(questions_pdf(at_compliance))
    assert "Offrez-vous l'archivage légal ?" in text
    assert "Oui, sur 10 ans." in text
    assert "Répondue dans le délai" in text
    due = at_compliance.questions.get(offer__code="NUAGE").due_on
    assert due == date(2026, 11, 19)  # 3 business days after Monday the 16th
    assert "19 novembre 2026" in text  # the one date format (issue 10)
    assert "En attente de réponse" in text
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=TZ), tick=False):
        late = assert_pdf(questions_pdf(at_compliance))
    assert "EN RETARD : sans réponse après l'échéance" in late


# --- step 5 ---------------------------------------------------------------------------------


def test_the_agenda_has_the_objectives_participants_and_next_steps_of_the_guide(frozen):
    meeting = frozen.startup_meeting
    text = agenda_text(frozen, meeting, checks.chosen_scenario(frozen))
    assert text.startswith("Ordre du jour - Rencontre de démarrage\n")
    assert f"Dossier : {frozen.reference} - Courriel des employés" in text
    assert "Fournisseur retenu : Fournisseur D" in text
    assert "Date : mercredi 18 novembre 2026, 10 h 00 (heure de l'Est)" in text
    # Participants, with their party.
    assert "- Camille Client (camille@client.example), Client" in text
    assert "- Félix Fournisseur (felix@fournisseur.example), Fournisseur" in text
    # Objectives (002 §2.5): the strategy to validate, supplier conditions, organisation.
    assert "durée du contrat : 12 mois, renouvellements compris" in text
    assert "Courriel infonuagique (MAIL)" in text
    assert "MAIL / BASE : Boîtes de courriel (par utilisateur par mois)" in text
    assert "10 au 1er mois, 10 au plus, 10 au dernier mois" in text
    assert "conditions du fournisseur ayant une incidence financière" in text
    assert "Organiser le travail des intervenants" in text
    # Next steps and the 30-day estimate from the broker's startup contact (today).
    assert "admissibilité administrative du fournisseur" in text
    assert "annexe modificative" in text
    assert "sceau de validation du Courtier" in text
    assert "dans les 5 jours ouvrables suivant la signature" in text
    assert "au plus tôt le 16 décembre 2026" in text
    assert meeting.agenda == text  # what the service kept on the meeting


def test_the_agenda_and_strategy_pdfs_are_kept_with_the_file(frozen_kept):
    agenda = agenda_pdf(frozen_kept, frozen_kept.startup_meeting)
    assert "Prochaines étapes" in assert_pdf(agenda)
    assert agenda.title == "Ordre du jour de la rencontre de démarrage du 18 novembre 2026"
    strategy = strategy_pdf(frozen_kept.strategy)
    text = assert_pdf(strategy)
    assert "Stratégie d'acquisition figée" in text
    assert "Fournisseur D" in text
    assert "Courriel infonuagique" in text
    assert printed(TOTAL_D) in text
    kinds = set(frozen_kept.documents.values_list("type", flat=True))
    assert kinds == {
        DocumentKind.NEEDS,
        DocumentKind.COMPLIANCE,
        DocumentKind.QUESTIONS,
        DocumentKind.COMPARISON_XLSX,
        DocumentKind.COMPARISON_PDF,
        DocumentKind.JUSTIFICATION,
        DocumentKind.AGENDA,
        DocumentKind.STRATEGY,
    }


def test_a_title_with_french_typography_and_any_latin_letter_renders_as_written(
    catalogue, orgs, people
):
    """DejaVu Sans draws what the core fonts could not: the title is not rewritten in ASCII."""
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"])
    title = "Courriel — l’œuvre du ministère… Ĉapelo"
    needs_services.file_update_needs(by=by, file=file, title=title)
    text = assert_pdf(needs_pdf(reload(file)))
    assert f"{file.reference} — {title}" in text


# --- every PDF is PDF/A (issue 11, point 2) ----------------------------------------------------

PDF_RENDERERS = {
    "needs": lambda file: needs_pdf(file),
    "questions": lambda file: questions_pdf(file),
    "comparison": lambda file: comparison_pdf(checks.latest_run(file)),
    "agenda": lambda file: agenda_pdf(file, file.startup_meeting),
    "strategy": lambda file: strategy_pdf(file.strategy),
}


class TestEveryPdfOfAFile:
    """The five PDFs of one frozen file, its world built once for the class."""

    @pytest.fixture(scope="class")
    def frozen_file(self, django_db_setup, django_db_blocker):
        with world_kept_for(django_db_blocker):
            with time_machine.travel(datetime(2026, 11, 16, 10, tzinfo=TZ), tick=False):
                orgs = build_orgs()
                people = build_people(orgs)
                file = build_frozen(
                    build_at_compliance(publish_catalogue(orgs), orgs, people), people
                )
            yield file.pk

    @pytest.mark.parametrize("kind", PDF_RENDERERS)
    def test_is_pdf_a_with_the_file_reference_on_every_page(self, frozen_file, db, kind):
        file = AcquisitionFile.objects.get(pk=frozen_file)
        rendered = PDF_RENDERERS[kind](file)
        assert_pdf(rendered)
        assert_pdfa(rendered.content)
        pages = pdf_pages(rendered.content)
        for number, text in enumerate(pages, start=1):
            assert file.reference in text
            assert f"Page {number} de {len(pages)}" in text
            assert "Produit le " in text


# --- the emails (templates acquisitions/email/*.txt) ------------------------------------------


def subject(message) -> str:
    """The Subject header as read (a folded encoded header may start with a space)."""
    return " ".join(message["Subject"].split())


def link(name: str, *args) -> str:
    return f"{django_settings.SITE_URL}{reverse(name, args=args)}"


def test_the_supplier_is_asked_and_the_client_told_of_the_answer(
    catalogue, orgs, people, mailbox, run_on_commit
):
    by = people["client_procurement"]
    file = advance(new_file(by=by, client=orgs["client"]), rules.State.COMPLIANCE, by=by)
    with run_on_commit():
        question = questions_services.question_ask(
            by=by, file=file, offer=catalogue["MAIL"], text="Offrez-vous l'archivage légal ?"
        )
    [asked] = mailbox.to(people["supplier_rep"].email)
    assert subject(asked) == "Courtier : nouvelle question de l'organisme Ministère A"
    body = mailbox.body(asked)
    assert "Ministère A vous pose une question écrite sur l'offre « Courriel infonuagique »" in (
        body
    )
    assert "Offrez-vous l'archivage légal ?" in body
    assert "au plus tard le 19 novembre 2026 (3 jours ouvrables)" in body
    assert link("acquisitions:questions_inbox") in body

    with run_on_commit():
        questions_services.question_answer(
            by=people["supplier_rep"], question=question, answer="Oui, sur 10 ans."
        )
    [answered] = mailbox.to(by.email)
    assert (
        subject(answered) == f"Dossier {file.reference} : réponse de l'organisation Fournisseur D"
    )
    body = mailbox.body(answered)
    assert "Fournisseur D a répondu à votre question" in body
    assert "Oui, sur 10 ans." in body
    assert link("acquisitions:file_detail", file.pk) in body


def test_the_broker_is_told_of_questions_left_unanswered(
    at_compliance, people, mailbox, run_on_commit
):
    with run_on_commit():
        assert overdue_services.questions_report_overdue(today=date(2026, 11, 20)) == 1
    [late] = mailbox.to(people["broker_agent"].email)
    assert subject(late) == "Courtier : 1 question à un fournisseur est en retard"
    body = mailbox.body(late)
    assert (
        f"- Fournisseur E, dossier {at_compliance.reference} (Ministère A) : réponse attendue "
        "le 19 novembre 2026"
    ) in body
    assert link("acquisitions:questions_inbox") in body


def test_the_broker_participants_and_client_are_emailed_from_choice_to_freeze(
    at_compliance, people, mailbox, run_on_commit
):
    by = people["client_procurement"]
    with run_on_commit():
        file = advance(
            at_compliance,
            rules.State.FROZEN,
            by=by,
            broker=people["broker_agent"],
            choice="other",
        )
    url = link("acquisitions:file_detail", file.pk)
    subjects = {subject(m): m for m in mailbox.to(people["broker_agent"].email)}
    ready = subjects[f"Dossier {file.reference} (Ministère A) prêt pour la rencontre de démarrage"]
    assert "Ministère A a confirmé son choix" in mailbox.body(ready)
    assert url in mailbox.body(ready)

    [meeting] = mailbox.to("felix@fournisseur.example")
    assert subject(meeting) == (
        f"Rencontre de démarrage du dossier {file.reference} le 18 novembre 2026"
    )
    body = mailbox.body(meeting)
    assert "le mercredi 18 novembre 2026 à 10 h 00 (heure de l'Est)" in body
    assert file.startup_meeting.agenda.strip() in body.replace("\r\n", "\n")

    frozen = [
        m for m in mailbox.to(by.email) if subject(m).endswith("stratégie d'acquisition figée")
    ]
    assert [subject(m) for m in frozen] == [
        f"Dossier {file.reference} : stratégie d'acquisition figée"
    ]
    body = mailbox.body(frozen[0])
    assert "Fournisseur : Fournisseur D" in body
    assert "Durée : 12 mois" in body
    assert "Montant total estimé : 1\xa0200,00 $" in body
    assert url in body
