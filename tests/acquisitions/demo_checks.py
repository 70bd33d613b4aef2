"""The demo acquisition files (`courtier demo`), checked on the demo loaded once for
tests/demo/test_after_contract.py (tests/demo/loaded.py: Monday 2026-11-16 at 10:00, its documents
rendered): one file at each interesting step, built through the services on the demo Catalogue
(so audited, with their documents kept), and idempotent. tests/acquisitions/test_demo.py loads
the demo on another day itself."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import load_workbook

from courtier.accounts import permissions
from courtier.accounts.demo import EXPIRING_TOKENS
from courtier.accounts.models import Organisation, User
from courtier.acquisitions import checks, demo, messages, rules, selectors
from courtier.acquisitions.documents.comparison import _item_rows, _run_data
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    CandidateOffer,
    ComplianceRecord,
    DocumentKind,
    MemberConsumption,
    NeedLine,
    Scenario,
    StartupMeeting,
    SupplierQuestion,
    Trial,
)
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.demo.loaders import USERS, load_demo
from tests.acquisitions.test_documents import pdf_text
from tests.demo.loaded import MONDAY, TORONTO

MODELS = (
    AcquisitionFile,
    NeedLine,
    MemberConsumption,
    CandidateOffer,
    ComplianceRecord,
    SupplierQuestion,
    Trial,
    Scenario,
    StartupMeeting,
    AuditEvent,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def file_titled(title: str) -> AcquisitionFile:
    return AcquisitionFile.objects.select_related("client").get(title=title)


@pytest.mark.usefixtures("loaded")
class TestTheDemoAcquisitionFiles:
    def test_whoever_may_change_a_demo_row_may_see_it(self):
        """The permission engine's invariant (accounts/permissions.py: a policy's ``change``
        never holds for what its ``scope`` hides, so deciding a change needs no query), on up
        to six rows of every registered model of the demo, for every demo person."""
        people = list(User.objects.filter(email__in=[u.email for u in USERS]))
        wrong = []
        for model in permissions.registered_models():
            for obj in model._default_manager.order_by("-pk")[:6]:
                for person in people:
                    if permissions.can_change(person, obj) and not permissions.can_view(
                        person, obj
                    ):
                        wrong.append(f"{person.email} may change {model.__name__} {obj.pk} unseen")
        assert not wrong, "\n".join(wrong)

    def test_a_refused_change_is_403_when_visible_and_404_when_hidden(self):
        file = file_titled(demo.STARTUP_TITLE)
        auditor = User.objects.get(email="verificateur@courtier.example")
        supplier = User.objects.get(email="representant@nuagique.example")
        with pytest.raises(PermissionDenied):
            permissions.require_change(auditor, file)  # sees every file, changes none
        with pytest.raises(Http404):
            permissions.require_change(supplier, file)  # never sees a client's file

    def test_there_are_eight_files_at_the_stated_steps(self):
        """The acquisitions demo's own files (the contracts demo adds frozen ones of its own)."""
        states = dict(
            AcquisitionFile.objects.filter(title__in=demo.TITLES).values_list("title", "state")
        )
        assert states == {
            demo.NEEDS_TITLE: rules.State.NEEDS,
            demo.COMPLIANCE_TITLE: rules.State.COMPLIANCE,
            demo.STARTUP_TITLE: rules.State.STARTUP,
            demo.GROUP_TITLE: rules.State.NEEDS,
            demo.FROZEN_TITLE: rules.State.FROZEN,
            demo.CHOICE_TITLE: rules.State.CHOICE,
            demo.GROUP_NEEDS_TITLE: rules.State.NEEDS,
            demo.CITY_TITLE: rules.State.NEEDS,
        }
        clients = dict(AcquisitionFile.objects.values_list("title", "client__name"))
        assert clients[demo.STARTUP_TITLE] == "Ministère de l'Enseignement supérieur"
        assert clients[demo.GROUP_TITLE] == "Collectif d'achats du réseau de l'éducation"

    def test_the_step_1_file_is_partly_answered(self):
        file = file_titled(demo.NEEDS_TITLE)
        assert file.category.code == "visioconference"
        assert 0 < len(file.answers) < len(rules.QUESTIONS)
        problems = selectors.transition_problems(file, rules.Action.SUBMIT_NEEDS)
        assert str(messages.NEEDS_MESSAGES[rules.NeedsProblem.ANSWER_MISSING]) in problems
        need = file.needs.get()
        assert len(need.quantities) == file.duration_months == 24
        assert need.quantities[0] == 150 and max(need.quantities) == 300

    def test_the_step_3_file_has_judgements_questions_and_a_trial(self):
        file = file_titled(demo.COMPLIANCE_TITLE)
        assert set(file.candidates.values_list("offer__code", flat=True)) == {
            "NQ-FICHIERS",
            "IL-TRANSFERT",
        }
        verdicts = set(
            ComplianceRecord.objects.filter(candidate__file=file).values_list("verdict", flat=True)
        )
        assert verdicts == {rules.Verdict.MET, rules.Verdict.UNKNOWN}  # still in progress
        answered, waiting, to_nuagique = file.questions.order_by("asked_at", "pk")
        assert answered.supplier.name == "Nuagique Québec inc."
        assert answered.answer and answered.answered_by.email == demo.SUPPLIER_REP
        assert waiting.supplier.name == "Infonuage Laurentides inc."
        assert waiting.answered_at is None
        assert waiting.due_on == date(2026, 11, 19)  # 3 business days after Monday
        # Nuagique's representative has a question waiting too (something on their home page).
        assert to_nuagique.supplier.name == "Nuagique Québec inc."
        assert to_nuagique.answered_at is None
        trial = file.trials.get()
        assert trial.offer.code == "NQ-FICHIERS"
        assert trial.units == 20
        assert rules.trial_days(trial.starts_on, trial.ends_on) <= rules.MAX_TRIAL_DAYS
        assert not rules.trial_problems(
            starts_on=trial.starts_on,
            ends_on=trial.ends_on,
            units=trial.units,
            other_units=0,
            attestation=trial.attestation,
        )

    def test_the_step_5_file_chose_a_non_lowest_scenario_authorised_by_the_head(self):
        file = file_titled(demo.STARTUP_TITLE)
        chosen = checks.chosen_scenario(file)
        assert chosen.supplier.name == "Nuagique Québec inc."
        assert not chosen.is_lowest
        lowest = checks.latest_run(file).scenarios.get(is_lowest=True)
        assert lowest.supplier.name == "Infonuage Laurentides inc."
        assert lowest.total_cents < chosen.total_cents
        head = file.head_authorisation
        assert head.scenario == chosen
        assert head.head_name == "Jean Bouchard"
        assert set(head.criteria) == {
            rules.Criterion.TECHNICAL_COMPATIBILITY,
            rules.Criterion.EFVP_RESULTS,
        }
        assert head.document.stored.file.read().startswith(b"%PDF-")
        financial = file.financial_authorisation
        assert financial.amount_cents == chosen.total_cents + financial.planned_additions_cents
        assert financial.planned_additions_cents > 0
        assert file.efvp_done_on == date(2026, 11, 16)
        # Every prerequisite of the startup meeting is met; the meeting is ahead.
        assert checks.missing_prerequisites(file) == []
        meeting = file.startup_meeting
        assert meeting.scheduled_for > MONDAY
        assert {p["role"] for p in meeting.participants} == {"client", "supplier", "broker"}
        assert "Nuagique Québec inc." in meeting.agenda
        assert "1\xa0150 au 1er mois, 1\xa0300 au plus, 1\xa0300 au dernier mois" in meeting.agenda
        assert "Exportation des données à la sortie (forfait) - 1 au mois 34" in meeting.agenda
        assert file.startup_contact_on == date(2026, 11, 16)
        # Not frozen: the strategy is frozen only after the meeting was held.
        assert not AcquisitionStrategy.objects.filter(file=file).exists()

    def test_a_file_has_its_strategy_frozen_after_a_meeting_held_weeks_ago(self):
        """002 §2.5: the strategy freezes after the startup meeting; the demo lived that story
        four weeks before today, through the services."""
        file = file_titled(demo.FROZEN_TITLE)
        strategy = AcquisitionStrategy.objects.get(file=file)
        chosen = checks.chosen_scenario(file)
        assert chosen.is_lowest  # no head authorisation needed
        meeting = file.startup_meeting
        assert meeting.scheduled_for < MONDAY
        assert meeting.scheduled_for.date() >= date(2026, 10, 19)  # 28 days before Monday
        assert strategy.frozen_at > meeting.scheduled_for
        assert file.financial_authorisation.authorised_on == date(2026, 10, 19)
        assert checks.missing_prerequisites(file) == []
        assert DocumentKind.STRATEGY in set(file.documents.values_list("type", flat=True))
        frozen = AuditEvent.objects.filter(
            action__in=["acquisition.freeze_strategy", "acquisition.strategy_frozen"]
        )
        assert {e.actor.email for e in frozen} == {"agent@courtier.example"}
        assert all(e.created_at < MONDAY for e in frozen)

    def test_a_non_lowest_choice_awaits_the_head_and_the_finance_role(self):
        """RCTI art. 48 (DOMAIN §3.2): the head must authorise a choice that is not the lowest;
        the financial authorisation and the EFVP are still to come."""
        file = file_titled(demo.CHOICE_TITLE)
        chosen = checks.chosen_scenario(file)
        assert chosen.supplier.name == "Solutions Boréales Infonuagiques ltée"
        assert not chosen.is_lowest
        assert not hasattr(file, "head_authorisation")
        assert not hasattr(file, "financial_authorisation")
        assert file.personal_information and file.efvp_done_on is None
        assert checks.head_authorisation_needed(file, chosen)

    def test_the_step_5_file_kept_every_document_it_produced(self):
        file = file_titled(demo.STARTUP_TITLE)
        kinds = set(file.documents.values_list("type", flat=True))
        assert kinds == {
            DocumentKind.NEEDS,
            DocumentKind.COMPLIANCE,
            DocumentKind.COMPARISON_XLSX,
            DocumentKind.COMPARISON_PDF,
            DocumentKind.EFVP,
            DocumentKind.JUSTIFICATION,
            DocumentKind.AGENDA,
        }
        for document in file.documents.all():
            content = document.stored.file.read()
            if document.type == DocumentKind.COMPARISON_XLSX:
                book = load_workbook(io.BytesIO(content))
                sheet = book["Comparaison"]
                suppliers = [
                    row[1]
                    for row in sheet.iter_rows(values_only=True)
                    if isinstance(row[0], int) and row[0] >= 1 and row[1]
                ]
                assert suppliers == ["Infonuage Laurentides inc.", "Nuagique Québec inc."]
            elif document.type == DocumentKind.COMPLIANCE:
                assert content.startswith(b"PK\x03\x04")  # an XLSX (a zip)
            else:
                assert content.startswith(b"%PDF-")

    def test_the_comparison_is_produced_again_once_chosen_detailing_every_scenario(self):
        """Issue 10 §7: the PDF and the XLSX detail every scenario, say which yearly increase
        (004 §3.4.1) each line's price carries, and come again once the choice is made."""
        file = file_titled(demo.STARTUP_TITLE)
        run = checks.latest_run(file)
        scenarios = list(run.scenarios.select_related("supplier"))
        assert len(scenarios) >= 2
        pdfs = list(file.documents.filter(type=DocumentKind.COMPARISON_PDF).order_by("pk"))
        books = list(file.documents.filter(type=DocumentKind.COMPARISON_XLSX).order_by("pk"))
        assert len(pdfs) == len(books) == 2  # when computed, and again when chosen
        # (Both rendered after the demo's one commit, so both show the choice here.)
        assert pdfs[1].title.endswith("scénario choisi : Nuagique Québec inc.")
        text = " ".join(pdf_text(pdfs[1].stored.file.read()).split())  # cells wrap lines
        for scenario in scenarios:
            assert f"Détail du scénario {scenario.rank}. {scenario.supplier.name}" in text
        assert "Détail du scénario 2. Nuagique Québec inc. (choisi)" in text
        # The exit, billed upfront, happens in the contract's third year: the sheet's price,
        # raised twice by 3 %, gives the amount.
        assert "1 500,00 $ 3,00 % par année, 2 fois 1 591,35 $ 1 591,35 $" in text
        assert "Hausses annuelles : le prix d'une composante peut augmenter" in text
        book = load_workbook(io.BytesIO(books[1].stored.file.read()))
        detail = list(book["Détail"].iter_rows(values_only=True))
        header = detail[0]
        exit_line = next(
            dict(zip(header, row, strict=False))
            for row in detail[1:]
            if row[1] == "Nuagique Québec inc." and row[4] == "SORTIE"
        )
        assert exit_line["Prix de la fiche (1er palier)"] == 1500
        rate = exit_line["Hausse annuelle maximale"]
        assert rate.replace("\xa0", " ").replace("\u202f", " ") == "3,00 %"
        assert exit_line["Hausses appliquées (années)"] == 2
        assert exit_line["Année du contrat"] == 1  # billed upfront, used in the third year
        # 1 500,00 $ raised twice by 3 %, rounded to the cent each year: 1 591,35 $.
        assert Decimal(str(exit_line["Prix unitaire de l'année (1er palier)"])) == Decimal(
            "1591.35"
        )
        assert Decimal(str(exit_line["Montant"])) == Decimal("1591.35")
        assert exit_line["Choisi"] == "Oui"
        suppliers = {row[1] for row in detail[1:] if row and row[1]}
        assert suppliers == {s.supplier.name for s in scenarios}
        # The documents' year price is the engine's, wherever a line is priced in its own year.
        data = _run_data(run)
        checked = 0
        for scenario in scenarios:
            for item in _item_rows(data, scenario):
                if item["increases"] == (item["year"] - 1,) and item["increase_bp"]:
                    assert item["year_prices_cents"] == (item["unit_price_cents"],), item
                    checked += 1
        assert checked > 4

    def test_the_group_purchase_adds_two_members_consumption(self):
        file = file_titled(demo.GROUP_TITLE)
        assert file.is_group_purchase
        need = file.needs.get()
        rows = list(need.members.select_related("member"))
        assert {r.member.name for r in rows} == {
            "Cégep de Sainte-Foy",
            "Université du Québec à Rimouski",
        }
        assert need.quantities == [
            sum(month) for month in zip(*(r.quantities for r in rows), strict=True)
        ]

    def test_every_demo_organisation_has_its_people(self):
        """Each supplier, provider, client body and group member has someone to sign in as."""
        empty = Organisation.objects.exclude(memberships__isnull=False).values_list(
            "name", flat=True
        )
        assert list(empty) == []
        assert len(USERS) == len({u.email for u in USERS}) == 24

    def test_the_providers_tokens_expire_within_two_weeks(self):
        for email, name in EXPIRING_TOKENS.items():
            token = User.objects.get(email=email).api_tokens.get(name=name)
            assert MONDAY < token.expires_at <= MONDAY + timedelta(days=14)

    def test_a_second_group_purchase_awaits_every_member_s_consumption(self):
        file = file_titled(demo.GROUP_NEEDS_TITLE)
        assert file.is_group_purchase
        assert file.client.members.count() == 3
        assert not MemberConsumption.objects.filter(need__file=file).exists()

    def test_every_change_was_audited_in_an_intact_chain(self):
        checked, problem = verify_chain()
        assert problem is None
        assert checked == AuditEvent.objects.count()
        created = AuditEvent.objects.filter(action="acquisition.created")
        assert set(created.values_list("object_id", flat=True)) == {
            str(pk) for pk in AcquisitionFile.objects.values_list("pk", flat=True)
        }
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {
            "acquisition.needs_updated",
            "acquisition.member_consumption_saved",
            "acquisition.compliance_recorded",
            "acquisition.question_asked",
            "acquisition.question_answered",
            "acquisition.trial_created",
            "acquisition.scenarios_computed",
            "acquisition.scenario_chosen",
            "acquisition.head_authorised",
            "acquisition.financial_authorised",
            "acquisition.efvp_recorded",
            "acquisition.meeting_scheduled",
            "acquisition.confirm_choice",
            "document.kept",
        } <= actions

    def test_loading_the_demo_again_changes_nothing(self):
        before = counts()
        with time_machine.travel(datetime(2026, 11, 16, 15, tzinfo=TORONTO), tick=False):
            load_demo()
        assert counts() == before
