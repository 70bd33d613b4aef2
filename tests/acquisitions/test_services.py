"""The services of acquisition files (DOMAIN §3; 002 §2; 004 §3.3.2) on a real database: each
write leaves the file in the right state with one audit event per change, refuses the wrong
step and people who do not run the file. Data: tests/acquisitions/factories.py (two suppliers,
10 users for 12 months: Fournisseur E's 96 000 ¢ is the lowest, Fournisseur D's 120 000 ¢ the
other one)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courtier.accounts.models import Role
from courtier.acquisitions import checks, messages, pricing, rules, selectors
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    DocumentKind,
    HeadAuthorisation,
    Scenario,
    StartupMeeting,
    SupplierQuestion,
    Trial,
)
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.acquisitions.services import startup as startup_services
from courtier.audit.models import AuditEvent
from courtier.catalogue.models import Offer
from tests.acquisitions.factories import (
    MARCH_1,
    MONTHS,
    NEED,
    PDF,
    PRICE_D,
    PRICE_E,
    TOTAL_D,
    TOTAL_E,
    TZ,
    USERS,
    advance,
    ask,
    authorise_by_head,
    authorise_financially,
    choose,
    file_at,
    group_with_members,
    move,
    new_file,
    participants,
    published_before_nine,
    record_efvp,
    reload,
    republish,
    runner,
    scenario_of,
    schedule_meeting,
    sheet_d,
)
from tests.acquisitions.trail import actions_since, event, mark, refusal
from tests.factories import make_organisation, make_person
from tests.helpers import shared_world

# The organisations, their people and the published Catalogue, built once for the module; each
# test runs in a savepoint of it and gets copies of its objects.
shared, world, orgs, people = shared_world(published_before_nine)


@pytest.fixture
def offers(world, clock):
    return world[2]


A = rules.Action
CHOICE = messages.CHOICE_MESSAGES
HEAD_REQUIRED = str(CHOICE[rules.ChoiceProblem.HEAD_AUTHORISATION])


@pytest.fixture
def client(people):
    """Procurement at Ministère A, a client body subject to the RCTI."""
    return people["client_procurement"]


@pytest.fixture
def stranger(orgs):
    """Procurement at Organisme B: another body (not subject to the RCTI)."""
    return runner(orgs["client_other"])


def moves_of(file: AcquisitionFile) -> list[tuple[str, str]]:
    """(action, state after) of every move the audit trail recorded for the file."""
    moves = AuditEvent.objects.filter(
        object_type="acquisitions.acquisitionfile",
        object_id=str(file.pk),
        action__in=[f"acquisition.{a}" for a in A],
    ).order_by("seq")
    return [(e.action, e.after["state"]) for e in moves]


# --- the file and step 1 ----------------------------------------------------------------------


def test_a_client_opens_a_file_at_step_1_with_an_audit_row(orgs, client, clock):
    file = needs_services.file_create(by=client, client=orgs["client"], title="  Courriel  ")
    assert (file.state, file.reference, file.title) == ("needs", "ACQ-2027-0001", "Courriel")
    created = event("acquisition.created", file)
    assert created.before is None
    assert created.after["state"] == "needs"
    assert (created.actor_id, created.organisation_id) == (client.pk, orgs["client"].pk)
    second = needs_services.file_create(by=client, client=orgs["client"], title="Visioconférence")
    assert second.reference == "ACQ-2027-0002"


@pytest.mark.parametrize(
    "person", ["client_signatory", "client_auditor", "supplier_rep", "broker_agent", "provider_rep"]
)
def test_only_the_people_who_run_a_bodys_acquisitions_open_its_files(orgs, people, person):
    with pytest.raises(PermissionDenied):
        needs_services.file_create(by=people[person], client=orgs["client"], title="Courriel")
    assert not AcquisitionFile.objects.exists()


def test_people_of_another_body_do_not_open_files_for_it(orgs, stranger, people):
    with pytest.raises(PermissionDenied):
        needs_services.file_create(by=stranger, client=orgs["client"], title="Courriel")
    with pytest.raises(PermissionDenied):  # a group purchaser's people, for a non-member
        needs_services.file_create(by=people["group_procurement"], client=orgs["client"], title="C")


def test_only_a_client_body_has_files_and_only_a_group_purchaser_a_group_purchase(orgs, client):
    with pytest.raises(ValidationError) as refused:
        needs_services.file_create(by=client, client=orgs["supplier"], title="Courriel")
    assert refusal(refused) == {"client": [str(messages.NOT_A_CLIENT)]}
    with pytest.raises(ValidationError) as refused:
        needs_services.file_create(
            by=client, client=orgs["client"], title="C", is_group_purchase=True
        )
    assert refusal(refused) == {"is_group_purchase": [str(messages.GROUP_ONLY_FOR_GROUP_PURCHASER)]}
    with pytest.raises(ValidationError) as refused:
        needs_services.file_create(by=client, client=orgs["client"], title="  ")
    assert refusal(refused) == {"title": [str(messages.TITLE_REQUIRED)]}


def test_the_questionnaire_is_saved_with_its_before_and_after(orgs, client, clock):
    file = needs_services.file_create(by=client, client=orgs["client"], title="Courriel")
    seq = mark()
    file = needs_services.file_update_needs(
        by=client,
        file=file,
        category_code="courriel",
        duration_months=24,
        budget_cents=250_000,
        personal_information=True,
        answers={"risks": "Dépendance au fournisseur."},
    )
    assert actions_since(seq) == ["acquisition.needs_updated"]
    updated = AuditEvent.objects.get(seq=seq + 1)
    assert updated.before["duration_months"] is None
    assert updated.after["duration_months"] == 24
    assert updated.after["category"] == "courriel"
    assert updated.after["answers"] == {"risks": "Dépendance au fournisseur."}
    file.refresh_from_db()
    assert (file.duration_months, file.budget_cents, file.personal_information) == (
        24,
        250_000,
        True,
    )


def test_a_duration_of_37_months_is_refused_by_the_service_and_by_the_database(orgs, client):
    file = needs_services.file_create(by=client, client=orgs["client"], title="Courriel")
    seq = mark()
    with pytest.raises(ValidationError) as refused:
        needs_services.file_update_needs(by=client, file=file, duration_months=37)
    assert refusal(refused) == {
        "duration_months": [str(messages.NEEDS_MESSAGES[rules.NeedsProblem.DURATION])]
    }
    assert "36 mois" in refusal(refused)["duration_months"][0]
    assert actions_since(seq) == []
    assert AcquisitionFile.objects.get(pk=file.pk).duration_months is None
    needs_services.file_update_needs(by=client, file=file, duration_months=36)
    with pytest.raises(IntegrityError), transaction.atomic():
        AcquisitionFile.objects.filter(pk=file.pk).update(duration_months=37)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"budget_cents": 0}, "budget_cents", messages.NEEDS_MESSAGES[rules.NeedsProblem.BUDGET]),
        (
            {"pi_outside_quebec": True},
            "pi_outside_quebec",
            messages.NEEDS_MESSAGES[rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI],
        ),
        ({"category_code": "nulle-part"}, "category", messages.UNKNOWN_CATEGORY),
        ({"title": " "}, "title", messages.TITLE_REQUIRED),
        ({"answers": {"couleur": "bleu"}}, "answers.couleur", "Question inconnue."),
    ],
)
def test_values_that_can_never_be_right_are_refused_on_their_field(
    orgs, client, values, field, message
):
    file = needs_services.file_create(by=client, client=orgs["client"], title="Courriel")
    with pytest.raises(ValidationError) as refused:
        needs_services.file_update_needs(by=client, file=file, **values)
    assert refusal(refused) == {field: [str(message)]}


def test_an_incomplete_questionnaire_blocks_submit_needs_and_names_each_field(orgs, client):
    file = needs_services.file_create(by=client, client=orgs["client"], title="Courriel")
    needs_services.file_update_needs(
        by=client, file=file, duration_months=12, answers={"risks": "Aucun."}
    )
    seq = mark()
    with pytest.raises(ValidationError) as refused:
        move(file, A.SUBMIT_NEEDS, by=client)
    problems = refusal(refused)
    missing_answers = {
        f"answers.{q.code}" for q in rules.QUESTIONS if q.required and q.code != "risks"
    }
    assert set(problems) == {"category", "budget_cents", "planned_start", "needs"} | (
        missing_answers
    )
    assert problems["category"] == [str(messages.NEEDS_MESSAGES[rules.NeedsProblem.CATEGORY])]
    assert problems["answers.bandwidth"] == ["Répondez à cette question."]
    assert problems["needs"] == [str(messages.NEEDS_MESSAGES[rules.NeedsProblem.NO_NEED])]
    assert reload(file).state == "needs"
    assert actions_since(seq) == []


def test_submitting_complete_needs_moves_to_step_2_and_keeps_the_needs_document(
    orgs, client, offers, run_on_commit
):
    file = new_file(by=client, client=orgs["client"])
    seq = mark()
    with run_on_commit():  # the needs document is rendered by a task after the commit
        file = move(file, A.SUBMIT_NEEDS, by=client)
    assert reload(file).state == "catalogue"
    assert actions_since(seq) == ["acquisition.submit_needs", "document.kept"]
    moved = event("acquisition.submit_needs", file)
    assert (moved.before, moved.after) == ({"state": "needs"}, {"state": "catalogue"})
    kept = file.documents.get()
    # DOMAIN §7: kept for the contract's duration, pending while no contract has ended.
    assert (kept.type, kept.disposal_on, kept.disposal_pending) == (DocumentKind.NEEDS, None, True)
    assert kept.stored.size > 0


def test_a_need_line_holds_one_quantity_per_month_of_the_duration(orgs, client, clock):
    file = needs_services.file_create(by=client, client=orgs["client"], title="Courriel")
    line = dict(code="stockage", label="Stockage", kind="usage", unit="gb_month")
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_save(by=client, file=file, **line, quantities=[1, 2])
    assert refusal(refused) == {"duration_months": [str(messages.DURATION_FIRST)]}
    needs_services.file_update_needs(by=client, file=file, duration_months=3)
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_save(by=client, file=file, **line, quantities=[1, 2])
    assert refusal(refused) == {
        "quantities": [str(messages.NEEDS_MESSAGES[rules.NeedsProblem.QUANTITIES_LENGTH])]
    }
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_save(by=client, file=file, **line, quantities=[1, -2, True])
    assert refusal(refused) == {
        "quantities": [str(messages.NEEDS_MESSAGES[rules.NeedsProblem.QUANTITY_RANGE])]
    }
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_save(
            by=client,
            file=file,
            code="Stock age",
            label=" ",
            kind="x",
            unit="y",
            quantities=[1] * 3,
        )
    assert set(refusal(refused)) == {"code", "label", "kind", "unit"}
    seq = mark()
    need = needs_services.need_line_save(by=client, file=file, **line, quantities=[100, 150, 200])
    assert need.quantities == [100, 150, 200]
    assert actions_since(seq) == ["acquisition.need_saved"]
    saved = event("acquisition.need_saved", need)
    assert saved.before is None and saved.after["quantities"] == [100, 150, 200]
    # A longer duration repeats the last month; a shorter one cuts (the plan is kept).
    needs_services.file_update_needs(by=client, file=file, duration_months=5)
    need.refresh_from_db()
    assert need.quantities == [100, 150, 200, 200, 200]
    seq = mark()
    needs_services.need_line_delete(by=client, file=file, code="stockage")
    assert actions_since(seq) == ["acquisition.need_deleted"]
    assert not file.needs.exists()
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_delete(by=client, file=file, code="stockage")
    assert refusal(refused) == {"code": [str(messages.NEED_UNKNOWN)]}


# --- group purchases (seed 003) -------------------------------------------------------------


@pytest.fixture
def group(orgs, clock):
    """Regroupement C with Ministère A and Organisme B as its members."""
    return group_with_members(orgs, orgs["client"], orgs["client_other"])


def test_a_group_purchase_line_is_the_sum_of_its_members_consumption(orgs, people, group, offers):
    lead = people["group_procurement"]
    a, b = orgs["client"], orgs["client_other"]
    file = new_file(by=lead, client=group, members={a: [6] * MONTHS, b: [4] * MONTHS})
    assert file.is_group_purchase
    need = file.needs.get(code=NEED)
    assert need.quantities == [10] * MONTHS
    seq = mark()
    # Ministère A's own procurement person raises its consumption from month 7.
    needs_services.member_consumption_save(
        by=people["client_procurement"],
        file=file,
        need_code=NEED,
        member=a,
        quantities=[6] * 6 + [8] * 6,
    )
    need.refresh_from_db()
    assert need.quantities == [10] * 6 + [12] * 6
    assert actions_since(seq) == ["acquisition.member_consumption_saved"]
    saved = AuditEvent.objects.get(seq=seq + 1)  # recorded on the line it changes
    assert (saved.object_type, saved.object_id) == ("acquisitions.needline", str(need.pk))
    assert saved.before == {"member": a.pk, "quantities": [6] * MONTHS}
    assert saved.after == {"member": a.pk, "quantities": [6] * 6 + [8] * 6}
    with pytest.raises(ValidationError) as refused:
        needs_services.need_line_save(
            by=lead,
            file=file,
            code=NEED,
            label="B",
            kind="usage",
            unit="user_month",
            quantities=[1],
        )
    assert refusal(refused) == {"quantities": [str(messages.GROUP_QUANTITIES_FROM_MEMBERS)]}


def test_each_member_pays_its_share_of_a_group_purchase(orgs, people, group, offers):
    lead = people["group_procurement"]
    a, b = orgs["client"], orgs["client_other"]
    file = new_file(by=lead, client=group, members={a: [6] * MONTHS, b: [4] * MONTHS})
    file = advance(file, "choice", by=lead, choice=None)
    lowest = scenario_of(file, orgs["supplier_other"])
    # 800 ¢ a user a month: A 6 x 800 x 12 = 57 600 ¢, B 4 x 800 x 12 = 38 400 ¢.
    assert lowest.total_cents == TOTAL_E
    assert lowest.member_shares == {str(a.pk): 57_600, str(b.pk): 38_400}


def test_a_body_outside_the_group_is_refused(orgs, people, group, offers):
    lead = people["group_procurement"]
    file = new_file(by=lead, client=group, members={orgs["client"]: [10] * MONTHS})
    elsewhere = make_organisation("client", name="Organisme H")
    other_group = make_organisation("group_purchaser", name="Regroupement I")
    group_with_members({"group": other_group}, elsewhere)
    with pytest.raises(ValidationError) as refused:  # a member of another group
        needs_services.member_consumption_save(
            by=lead, file=file, need_code=NEED, member=elsewhere, quantities=[1] * MONTHS
        )
    assert refusal(refused) == {"member": [str(messages.NOT_A_MEMBER)]}


def test_a_member_enters_its_own_consumption_not_another_members(orgs, people, group, offers):
    lead = people["group_procurement"]
    a, b = orgs["client"], orgs["client_other"]
    file = new_file(by=lead, client=group, members={a: [6] * MONTHS, b: [4] * MONTHS})
    seq = mark()
    for person in (people["client_procurement"], people["client_auditor"], people["supplier_rep"]):
        with pytest.raises(PermissionDenied):
            needs_services.member_consumption_save(
                by=person, file=file, need_code=NEED, member=b, quantities=[9] * MONTHS
            )
    assert actions_since(seq) == []
    assert file.needs.get(code=NEED).quantities == [10] * MONTHS


# --- steps 2 and 3: the compliant list ----------------------------------------------------------


def test_the_catalogue_lists_the_qualified_offers_of_the_category(orgs, client, offers):
    file = move(new_file(by=client, client=orgs["client"]), A.SUBMIT_NEEDS, by=client)
    seq = mark()
    added = candidates_services.candidates_from_catalogue(by=client, file=file)
    assert {c.offer.code for c in added} == {"MAIL", "NUAGE"}  # not THEATRE (visioconference)
    for candidate in added:
        assert candidate.version_seen_id == candidate.offer.version_id
        assert candidate.mapping == {NEED: "BASE"}  # the priced base inclusion, same unit
        assert event("acquisition.candidate_added", candidate).after == {
            "offer": candidate.offer_id,
            "version_seen": candidate.version_seen_id,
            "mapping": {NEED: "BASE"},
        }
    assert actions_since(seq) == ["acquisition.candidate_added"] * 2
    assert reload(file).looked_at is not None
    # Listing again adds nothing twice.
    assert candidates_services.candidates_from_catalogue(by=client, file=file) == []


def test_a_quebec_only_location_leaves_out_an_offer_hosted_in_toronto(orgs, client, offers):
    file = file_at("catalogue", by=client, client=orgs["client"], location="quebec")
    assert [c.offer.code for c in file.candidates.all()] == ["MAIL"]
    kinds = set(file.requirements.values_list("kind", flat=True))
    assert kinds == {"category", "location"}


def test_an_offer_the_client_adds_still_gets_the_automatic_verdicts(orgs, client, offers):
    file = file_at("catalogue", by=client, client=orgs["client"])
    seq = mark()
    theatre = candidates_services.candidate_add(by=client, file=file, offer=offers["THEATRE"])
    assert actions_since(seq) == ["acquisition.candidate_added"]
    verdicts = {r.requirement.kind: r.verdict for r in theatre.records.all()}
    assert verdicts == {"category": "not_met"}  # a visioconference offer in a courriel file
    with pytest.raises(ValidationError) as refused:
        candidates_services.candidate_add(by=client, file=file, offer=offers["THEATRE"])
    assert refusal(refused) == {"offer": [str(messages.OFFER_ALREADY_CANDIDATE)]}
    seq = mark()
    candidates_services.candidate_remove(by=client, candidate=theatre)
    assert actions_since(seq) == ["acquisition.candidate_removed"]
    assert not file.candidates.filter(offer=offers["THEATRE"]).exists()


def test_an_offer_that_is_not_qualified_cannot_be_added(orgs, client, offers, clock):
    file = file_at("catalogue", by=client, client=orgs["client"])
    mail = file.candidates.get(offer__code="MAIL")
    candidates_services.candidate_remove(by=client, candidate=mail)
    clock.shift(timedelta(days=1))
    republish(orgs["supplier"], sheet_d(), lambda s: s["offers"][0].update(status="withdrawn"))
    with pytest.raises(ValidationError) as refused:
        candidates_services.candidate_add(
            by=client, file=file, offer=Offer.objects.get(code="MAIL")
        )
    assert refusal(refused) == {"offer": [str(messages.OFFER_NOT_QUALIFIED)]}


def test_the_client_maps_needs_to_priced_components_only(orgs, client, offers):
    file = file_at("catalogue", by=client, client=orgs["client"])
    candidate = file.candidates.get(offer__code="MAIL")
    with pytest.raises(ValidationError) as refused:
        candidates_services.candidate_map(by=client, candidate=candidate, mapping={NEED: "STOCK"})
    assert refusal(refused) == {f"mapping.{NEED}": [str(messages.MAPPING_INVALID)]}
    with pytest.raises(ValidationError) as refused:
        candidates_services.candidate_map(by=client, candidate=candidate, mapping={"rien": "BASE"})
    assert refusal(refused) == {"mapping.rien": [str(messages.NEED_UNKNOWN)]}
    seq = mark()
    candidates_services.candidate_map(by=client, candidate=candidate, mapping={NEED: ""})
    assert actions_since(seq) == ["acquisition.candidate_mapped"]
    mapped = event("acquisition.candidate_mapped", candidate)
    assert (mapped.before["mapping"], mapped.after["mapping"]) == ({NEED: "BASE"}, {})


def test_every_judged_requirement_must_be_decided_before_closing_the_list(
    orgs, client, offers, run_on_commit
):
    file = file_at("compliance", by=client, client=orgs["client"])
    seq = mark()
    requirement = candidates_services.requirement_add(
        by=client, file=file, label="Authentification unique"
    )
    assert actions_since(seq) == ["acquisition.requirement_added"]
    assert set(requirement.records.values_list("verdict", flat=True)) == {"unknown"}
    with pytest.raises(ValidationError) as refused:
        move(file, A.CLOSE_COMPLIANCE, by=client)
    unknown_left = str(messages.COMPLIANCE_MESSAGES[rules.ComplianceProblem.UNKNOWN_LEFT])
    # "No compliant offer" waits until every verdict is known.
    assert refusal(refused) == {"action": [unknown_left]}
    mail, nuage = (file.candidates.get(offer__code=c) for c in ("MAIL", "NUAGE"))
    seq = mark()
    record = candidates_services.compliance_record(
        by=client, candidate=mail, requirement=requirement, verdict="met", note=" SAML 2.0 "
    )
    assert actions_since(seq) == ["acquisition.compliance_recorded"]
    recorded = event("acquisition.compliance_recorded", record)
    assert recorded.before == {"verdict": "unknown", "note": ""}
    assert recorded.after == {"verdict": "met", "note": "SAML 2.0"}
    candidates_services.compliance_record(
        by=client, candidate=nuage, requirement=requirement, verdict="not_met"
    )
    with run_on_commit():  # the compliant list is rendered by a task after the commit
        move(file, A.CLOSE_COMPLIANCE, by=client)
    assert reload(file).state == "choice"
    kinds = set(file.documents.values_list("type", flat=True))
    assert DocumentKind.COMPLIANCE in kinds
    assert [c.offer.code for c in checks.compliant_candidates(file)] == ["MAIL"]


def test_automatic_requirements_are_not_judged_or_removed_by_hand(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    automatic = file.requirements.get(kind="category")
    candidate = file.candidates.first()
    with pytest.raises(ValidationError) as refused:
        candidates_services.compliance_record(
            by=client, candidate=candidate, requirement=automatic, verdict="not_met"
        )
    assert refusal(refused) == {"requirement": [str(messages.AUTOMATIC_REQUIREMENT)]}
    with pytest.raises(ValidationError) as refused:
        candidates_services.requirement_remove(by=client, requirement=automatic)
    assert refusal(refused) == {"requirement": [str(messages.AUTOMATIC_REQUIREMENT)]}
    judged = candidates_services.requirement_add(by=client, file=file, label="Journalisation")
    with pytest.raises(ValidationError) as refused:
        candidates_services.compliance_record(
            by=client, candidate=candidate, requirement=judged, verdict="?"
        )
    assert refusal(refused) == {"verdict": [str(messages.VERDICT_INVALID)]}
    seq = mark()
    candidates_services.requirement_remove(by=client, requirement=judged)
    assert actions_since(seq) == ["acquisition.requirement_removed"]


def test_no_compliant_offer_means_no_scenario(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    requirement = candidates_services.requirement_add(
        by=client, file=file, label="Hébergement à Gatineau"
    )
    for candidate in file.candidates.all():
        candidates_services.compliance_record(
            by=client, candidate=candidate, requirement=requirement, verdict="not_met"
        )
    with pytest.raises(ValidationError) as refused:
        move(file, A.CLOSE_COMPLIANCE, by=client)
    assert refusal(refused) == {"action": [str(messages.NO_COMPLIANT_OFFER)]}


# --- "changed since you looked" (004 §3.2) ------------------------------------------------------


def test_a_new_version_changing_a_listed_offer_shows_until_the_client_marks_it_seen(
    orgs, client, offers, clock
):
    file = file_at("catalogue", by=client, client=orgs["client"])
    mail = file.candidates.get(offer__code="MAIL")
    assert selectors.changed_since_looked(client, file) == {}
    clock.shift(timedelta(days=1))
    version = republish(
        orgs["supplier"], sheet_d(), lambda s: s["offers"][0].update(description="Plus d'espace.")
    )
    assert selectors.changed_since_looked(client, file) == {mail.pk: [version]}
    seq = mark()
    candidates_services.candidates_mark_seen(by=client, file=file)
    assert selectors.changed_since_looked(client, file) == {}
    mail.refresh_from_db()
    assert mail.version_seen_id == version.pk
    assert actions_since(seq) == ["acquisition.candidate_seen"]  # NUAGE did not change
    seen = event("acquisition.candidate_seen", mail)
    assert (seen.before["version_seen"], seen.after["version_seen"]) == (
        offers["MAIL"].version_id,
        version.pk,
    )


def test_a_new_version_that_does_not_touch_the_listed_offer_is_not_shown(
    orgs, client, offers, clock
):
    file = file_at("compliance", by=client, client=orgs["client"])
    clock.shift(timedelta(days=1))
    # Only THEATRE (not a candidate) changes; the data centre MAIL uses is untouched.
    republish(orgs["supplier"], sheet_d(), lambda s: s["offers"][1].update(description="Neuf."))
    assert selectors.changed_since_looked(client, file) == {}
    assert Offer.objects.get(code="MAIL").version_id != offers["MAIL"].version_id


# --- questions to suppliers (004 §3.3.2) ----------------------------------------------------


def test_only_the_supplier_asked_answers_and_only_once(
    orgs, people, client, offers, mailbox, run_on_commit
):
    file = file_at("catalogue", by=client, client=orgs["client"])
    question = ask(file, client, offers)
    other_rep = make_person(orgs["supplier_other"], Role.SUPPLIER_REP)
    for person in (other_rep, client, people["broker_agent"]):
        with pytest.raises(PermissionDenied):
            questions_services.question_answer(by=person, question=question, answer="Oui.")
    with pytest.raises(ValidationError) as refused:
        questions_services.question_answer(by=people["supplier_rep"], question=question, answer=" ")
    assert refusal(refused) == {"answer": [str(messages.ANSWER_REQUIRED)]}
    seq = mark()
    with run_on_commit():
        questions_services.question_answer(
            by=people["supplier_rep"], question=question, answer=" Oui. "
        )
    assert actions_since(seq) == ["acquisition.question_answered"]
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Oui.", people["supplier_rep"])
    assert event("acquisition.question_answered", question).after == {
        "answer": "Oui.",
        "late": False,
    }
    assert len(mailbox.to(client.email)) == 1  # the client is told
    with pytest.raises(ValidationError) as refused:
        questions_services.question_answer(
            by=people["supplier_rep"], question=question, answer="Non."
        )
    assert refusal(refused) == {"answer": [str(messages.ALREADY_ANSWERED)]}
    assert list(selectors.questions_for_supplier(other_rep)) == []
    assert list(selectors.questions_for_supplier(people["supplier_rep"])) == [question]


def test_a_question_goes_to_the_supplier_of_a_listed_offer_only(orgs, client, offers):
    file = file_at("catalogue", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        questions_services.question_ask(
            by=client, file=file, offer=offers["THEATRE"], text="Prix ?"
        )
    assert refusal(refused) == {"offer": [str(messages.QUESTION_SUPPLIER_REQUIRED)]}
    with pytest.raises(ValidationError) as refused:
        questions_services.question_ask(by=client, file=file, offer=offers["MAIL"], text="  ")
    assert refusal(refused) == {"text": [str(messages.QUESTION_REQUIRED)]}
    assert not SupplierQuestion.objects.exists()


# --- trials (004 §3.3.2) ---------------------------------------------------------------------


def try_trial(file, client, offer, *, days=30, units=10, attestation=True):
    start = timezone.localdate() + timedelta(days=7)
    return questions_services.trial_create(
        by=client,
        file=file,
        offer=offer,
        starts_on=start,
        ends_on=start + timedelta(days=days - 1),
        units=units,
        attestation=attestation,
    )


TOO_LONG = str(messages.TRIAL_MESSAGES[rules.TrialProblem.TOO_LONG])
TOO_MANY = str(messages.TRIAL_MESSAGES[rules.TrialProblem.TOO_MANY_UNITS])
NO_ATTESTATION = str(messages.TRIAL_MESSAGES[rules.TrialProblem.ATTESTATION])


def test_the_trial_messages_read_in_french():
    assert TOO_LONG == "Un banc d'essai dure au plus 60 jours."
    assert TOO_MANY.startswith("Un banc d'essai porte sur au plus 30 unités de chaque offre")
    assert NO_ATTESTATION.startswith(
        "Attestez qu'aucun renseignement personnel ni confidentiel ne sera utilisé"
    )


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        ({"days": 60}, None),
        ({"days": 61}, {"ends_on": [TOO_LONG]}),
        ({"units": 30}, None),
        ({"units": 31}, {"units": [TOO_MANY]}),
        ({"attestation": False}, {"attestation": [NO_ATTESTATION]}),
        (
            {"days": 61, "units": 31, "attestation": False},
            {"ends_on": [TOO_LONG], "units": [TOO_MANY], "attestation": [NO_ATTESTATION]},
        ),
    ],
)
def test_a_trial_lasts_at_most_60_days_with_30_units_and_an_attestation(
    orgs, client, offers, kwargs, problems
):
    file = file_at("compliance", by=client, client=orgs["client"])
    seq = mark()
    if problems is None:
        trial = try_trial(file, client, offers["MAIL"], **kwargs)
        assert actions_since(seq) == ["acquisition.trial_created"]
        assert event("acquisition.trial_created", trial).after["attestation"] is True
        return
    with pytest.raises(ValidationError) as refused:
        try_trial(file, client, offers["MAIL"], **kwargs)
    assert refusal(refused) == problems
    assert actions_since(seq) == []
    assert not Trial.objects.exists()


def test_units_count_every_trial_of_the_same_offer(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    try_trial(file, client, offers["MAIL"], units=20)
    with pytest.raises(ValidationError) as refused:
        try_trial(file, client, offers["MAIL"], units=11)  # 20 + 11 = 31
    assert refusal(refused) == {"units": [TOO_MANY]}
    try_trial(file, client, offers["NUAGE"], units=11)  # another offer has its own 30
    try_trial(file, client, offers["MAIL"], units=10)  # 20 + 10 = 30
    assert sorted(Trial.objects.values_list("units", flat=True)) == [10, 11, 20]


def test_the_database_refuses_a_trial_beyond_the_limits(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    trial = try_trial(file, client, offers["MAIL"])
    for field, value in (("units", 31), ("attestation", False)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Trial.objects.filter(pk=trial.pk).update(**{field: value})


def test_a_trial_is_of_a_listed_offer_and_its_report_joins_the_documents(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        try_trial(file, client, offers["THEATRE"])
    assert refusal(refused) == {"offer": [str(messages.OFFER_NOT_CANDIDATE)]}
    trial = try_trial(file, client, offers["MAIL"])
    with pytest.raises(ValidationError) as refused:
        questions_services.trial_attach_report(
            by=client, trial=trial, name="r.pdf", content=b"", content_type="application/pdf"
        )
    assert refusal(refused) == {"report": [str(messages.REPORT_REQUIRED)]}
    seq = mark()
    questions_services.trial_attach_report(
        by=client,
        trial=trial,
        name="rapport.pdf",
        content=PDF + b"banc",
        content_type="application/pdf",
        summary=" Concluant. ",
    )
    assert actions_since(seq) == ["document.kept", "acquisition.trial_reported"]
    trial.refresh_from_db()
    assert trial.report_summary == "Concluant."
    kept = file.documents.get(type=DocumentKind.TRIAL_REPORT)
    assert kept == trial.report


# --- step 4: scenarios and the choice -------------------------------------------------------


def test_scenarios_are_stored_ranked_with_the_engines_totals(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"], choice=None, documents=True)
    run = checks.latest_run(file)
    d, e = (scenario_of(file, orgs[k]) for k in ("supplier", "supplier_other"))
    # Hand-computed: E 10 users x 800 ¢ x 12 months, D 10 x 1 000 ¢ x 12.
    assert (e.total_cents, e.rank, e.is_lowest) == (TOTAL_E, 1, True)
    assert (d.total_cents, d.rank, d.is_lowest) == (TOTAL_D, 2, False)
    assert e.monthly_cents == [USERS * PRICE_E] * MONTHS
    # The engine, given the same plan and prices by hand, gives the same totals and lines.
    mail, nuage = offers["MAIL"], offers["NUAGE"]

    def priced(offer, cents):
        component = pricing.ComponentPrice(
            component_code="BASE",
            need=NEED,
            unit="user_month",
            billing="monthly",
            tiers=(pricing.Tier(min_quantity=0, unit_price_cents=cents),),
            mandatory=True,
        )
        return pricing.OfferPrices(
            offer_key=str(offer.pk),
            supplier_key=str(offer.supplier_id),
            label=offer.name,
            components=(component,),
        )

    plan = pricing.Plan(months=MONTHS, needs={NEED: [USERS] * MONTHS})
    ranking = pricing.rank(plan, [priced(mail, PRICE_D), priced(nuage, PRICE_E)])
    assert [(s.supplier_key, s.total_cents) for s in ranking.scenarios] == [
        (str(orgs["supplier_other"].pk), e.total_cents),
        (str(orgs["supplier"].pk), d.total_cents),
    ]
    assert ranking.lowest.total_cents == TOTAL_E
    engine_e = ranking.scenarios[0]
    assert e.line_items == [dataclasses.asdict(item) for item in engine_e.line_items]
    assert sum(item["amount_cents"] for item in e.line_items) == e.total_cents
    assert sum(e.monthly_cents) == e.total_cents
    assert e.versions == {str(nuage.pk): nuage.version_id}
    assert list(e.offers.all()) == [nuage]
    assert run.plan["needs"] == {NEED: [USERS] * MONTHS}
    assert (run.number, run.months, run.prices_on) == (1, MONTHS, MARCH_1)
    computed = event("acquisition.scenarios_computed", run)
    assert computed.after == {"run": 1, "scenarios": 2, "lowest_cents": TOTAL_E}
    kinds = list(file.documents.values_list("type", flat=True))
    assert DocumentKind.COMPARISON_XLSX in kinds and DocumentKind.COMPARISON_PDF in kinds
    comparison = selectors.comparison(file)
    assert comparison.lowest_cents == TOTAL_E
    assert comparison.rows[0].cumulative_cents[-1] == TOTAL_E


def test_the_comparison_documents_are_real_xlsx_and_pdf(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"], choice=None, documents=True)
    xlsx = file.documents.get(type=DocumentKind.COMPARISON_XLSX).stored
    pdf = file.documents.get(type=DocumentKind.COMPARISON_PDF).stored
    with xlsx.file.open("rb") as f:
        assert f.read(2) == b"PK"  # a zip: the XLSX container
    with pdf.file.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def test_choosing_a_scenario_is_audited_and_replaces_the_previous_choice(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"], choice=None)
    d, e = (scenario_of(file, orgs[k]) for k in ("supplier", "supplier_other"))
    seq = mark()
    scenarios_services.scenario_choose(by=client, file=file, scenario=e)
    scenarios_services.scenario_choose(by=client, file=file, scenario=d)
    assert actions_since(seq) == ["acquisition.scenario_chosen"] * 2
    assert list(file.scenarios.filter(chosen=True)) == [d]
    chosen = AuditEvent.objects.filter(action="acquisition.scenario_chosen").order_by("seq").last()
    assert chosen.before == {"scenario": e.pk}
    assert chosen.after["scenario"] == d.pk and chosen.after["is_lowest"] is False


def test_the_database_refuses_a_second_chosen_scenario_or_an_incomplete_one(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"])  # E, the lowest, is chosen
    d = scenario_of(file, orgs["supplier"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.filter(pk=d.pk).update(chosen=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.filter(pk=d.pk).update(complete=False, rank=None, chosen=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scenario.objects.filter(pk=d.pk).update(complete=False)  # ranked yet incomplete


def test_an_incomplete_scenario_cannot_be_chosen(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    candidates_services.candidate_map(
        by=client, candidate=file.candidates.get(offer__code="MAIL"), mapping={}
    )
    file = advance(file, "choice", by=client, choice=None)
    d = scenario_of(file, orgs["supplier"])
    assert (d.complete, d.rank, d.missing_needs) == (False, None, [NEED])
    with pytest.raises(ValidationError) as refused:
        scenarios_services.scenario_choose(by=client, file=file, scenario=d)
    assert refusal(refused) == {"scenario": [str(messages.SCENARIO_INCOMPLETE)]}


def test_a_scenario_of_an_older_run_or_of_another_file_is_refused(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"])
    first = checks.chosen_scenario(file)
    seq = mark()
    run = scenarios_services.scenarios_compute(by=client, file=file)
    assert run.number == 2
    # A new run clears the choice: its prices or plan may differ.
    assert actions_since(seq)[:2] == [
        "acquisition.choice_cleared",
        "acquisition.scenarios_computed",
    ]
    assert checks.chosen_scenario(file) is None
    with pytest.raises(ValidationError) as refused:
        scenarios_services.scenario_choose(by=client, file=file, scenario=first)
    assert refusal(refused) == {"scenario": [str(messages.SCENARIO_NOT_CURRENT)]}
    other = file_at("choice", by=client, client=orgs["client"], choice=None)
    with pytest.raises(ValidationError) as refused:
        scenarios_services.scenario_choose(
            by=client, file=file, scenario=scenario_of(other, orgs["supplier"])
        )
    assert refusal(refused) == {"scenario": [str(messages.SCENARIO_NOT_CURRENT)]}
    assert checks.chosen_scenario(file) is None


def test_a_non_lowest_choice_without_the_heads_authorisation_is_blocked_for_an_rcti_client(
    orgs, client, offers
):
    file = file_at("choice", by=client, client=orgs["client"], choice="other")
    assert orgs["client"].subject_to_rcti
    authorise_financially(file, by=client)
    seq = mark()
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=client)
    assert refusal(refused) == {"action": [HEAD_REQUIRED]}
    assert "article 48 du RCTI" in HEAD_REQUIRED
    assert reload(file).state == "choice"
    assert actions_since(seq) == []
    assert ("acquisition.confirm_choice", "startup") not in moves_of(file)


def test_with_the_heads_authorisation_recorded_the_rcti_client_moves_on(orgs, people, offers):
    client, head = people["client_procurement"], people["client_head"]
    file = file_at("choice", by=client, client=orgs["client"], choice="other")
    authorise_financially(file, by=people["client_finance"])
    seq = mark()
    authorisation = authorise_by_head(file, by=head)
    assert actions_since(seq) == ["document.kept", "acquisition.head_authorised"]
    chosen = checks.chosen_scenario(file)
    assert (authorisation.scenario, authorisation.criteria) == (chosen, ["technical_compatibility"])
    justification = file.documents.get(type=DocumentKind.JUSTIFICATION)
    # DOMAIN §7: the justification is kept 7 years after the contract ends (pending until then).
    assert justification.disposal_pending
    assert authorisation.document == justification
    recorded = event("acquisition.head_authorised", authorisation)
    assert recorded.after["document"] == justification.stored.sha256
    move(file, A.CONFIRM_CHOICE, by=client)
    assert reload(file).state == "startup"
    assert moves_of(file)[-1] == ("acquisition.confirm_choice", "startup")


def test_the_heads_authorisation_needs_a_criterion_a_justification_and_the_document(
    orgs, people, offers
):
    client = people["client_procurement"]
    file = file_at("choice", by=client, client=orgs["client"], choice="other")
    arguments = dict(
        by=people["client_head"],
        file=file,
        criteria=[],
        justification=" ",
        head_name="",
        authorised_on=MARCH_1 + timedelta(days=1),
        document_name="a.pdf",
        document=b"",
        content_type="application/pdf",
    )
    with pytest.raises(ValidationError) as refused:
        scenarios_services.head_authorisation_record(**arguments)
    assert refusal(refused) == {
        "criteria": [str(messages.CRITERIA_REQUIRED)],
        "justification": [str(messages.JUSTIFICATION_REQUIRED)],
        "head_name": [str(messages.HEAD_NAME_REQUIRED)],
        "document": [str(messages.DOCUMENT_REQUIRED)],
        "authorised_on": [str(messages.DATE_IN_FUTURE)],
    }
    with pytest.raises(ValidationError) as refused:
        scenarios_services.head_authorisation_record(
            **{**arguments, "criteria": ["price"], "justification": "J", "head_name": "H"}
        )
    assert refusal(refused)["criteria"] == [str(messages.CRITERION_INVALID)]
    assert not HeadAuthorisation.objects.exists()
    assert not file.documents.filter(type=DocumentKind.JUSTIFICATION).exists()


def test_no_head_authorisation_is_recorded_for_the_lowest_choice(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"], choice="lowest")
    with pytest.raises(ValidationError) as refused:
        authorise_by_head(file, by=client)
    assert refusal(refused) == {"scenario": [str(messages.HEAD_NOT_REQUIRED)]}


def test_a_recomputed_run_needs_a_new_authorisation(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"], choice="other")
    authorise_by_head(file, by=client)
    scenarios_services.scenarios_compute(by=client, file=file)
    choose(file, by=client, which="other")
    authorise_financially(file, by=client)
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=client)
    assert refusal(refused) == {"action": [HEAD_REQUIRED]}


def test_a_non_lowest_choice_is_allowed_for_a_non_rcti_client_with_its_own_rule(
    orgs, stranger, offers
):
    client_b = orgs["client_other"]
    assert not client_b.subject_to_rcti
    file = file_at("choice", by=stranger, client=client_b, choice="other")
    authorise_financially(file, by=stranger)
    with pytest.raises(ValidationError) as refused:
        authorise_by_head(file, by=stranger)
    assert refusal(refused) == {"scenario": [str(messages.HEAD_NOT_REQUIRED)]}
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=stranger)
    assert refusal(refused) == {"action": [str(CHOICE[rules.ChoiceProblem.OWN_RULE])]}
    chosen = checks.chosen_scenario(file)
    scenarios_services.scenario_choose(
        by=stranger, file=file, scenario=chosen, own_rule=" Politique interne, art. 12. "
    )
    assert reload(file).own_rule == "Politique interne, art. 12."
    move(file, A.CONFIRM_CHOICE, by=stranger)
    assert reload(file).state == "startup"
    assert not HeadAuthorisation.objects.exists()


def test_the_financial_authorisation_covers_the_total_and_the_planned_additions(
    orgs, people, offers
):
    client, finance = people["client_procurement"], people["client_finance"]
    file = file_at("choice", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=client)
    assert refusal(refused) == {
        "action": [str(CHOICE[rules.ChoiceProblem.FINANCIAL_AUTHORISATION])]
    }
    record = dict(by=finance, file=file, authorised_on=MARCH_1, authorised_by_name="F. Finances")
    with pytest.raises(ValidationError) as refused:
        scenarios_services.financial_authorisation_record(
            **{**record, "authorised_by_name": " ", "authorised_on": MARCH_1 + timedelta(days=1)},
            amount_cents=0,
            planned_additions_cents=-1,
        )
    assert refusal(refused) == {
        "amount_cents": [str(messages.AMOUNT_POSITIVE)],
        "planned_additions_cents": [str(messages.ADDITIONS_NOT_NEGATIVE)],
        "authorised_by_name": [str(messages.AUTHORISED_BY_REQUIRED)],
        "authorised_on": [str(messages.DATE_IN_FUTURE)],
    }
    seq = mark()
    # 96 000 ¢ chosen + 10 000 ¢ of planned additions: 105 999 ¢ falls 1 ¢ short.
    short = scenarios_services.financial_authorisation_record(
        **record, amount_cents=TOTAL_E + 9_999, planned_additions_cents=10_000
    )
    assert actions_since(seq) == ["acquisition.financial_authorised"]
    assert event("acquisition.financial_authorised", short).before is None
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=client)
    assert refusal(refused) == {"action": [str(CHOICE[rules.ChoiceProblem.FINANCIAL_AMOUNT])]}
    enough = scenarios_services.financial_authorisation_record(
        **record, amount_cents=TOTAL_E + 10_000, planned_additions_cents=10_000
    )
    assert event("acquisition.financial_authorised", enough).before == {
        "amount_cents": TOTAL_E + 9_999,
        "planned_additions_cents": 10_000,
    }
    move(file, A.CONFIRM_CHOICE, by=client)
    assert reload(file).state == "startup"


def test_going_back_from_step_4_clears_the_choice(orgs, client, offers):
    file = file_at("choice", by=client, client=orgs["client"])
    chosen = checks.chosen_scenario(file)
    seq = mark()
    move(file, A.GO_BACK, by=client)
    assert actions_since(seq) == ["acquisition.choice_cleared", "acquisition.go_back"]
    assert reload(file).state == "compliance"
    assert checks.chosen_scenario(file) is None
    assert event("acquisition.choice_cleared", chosen).before == {"scenario": chosen.pk}


# --- step 5: EFVP, startup meeting, frozen strategy ----------------------------------------------


EFVP_MISSING = str(messages.PREREQUISITE_MESSAGES[rules.Prerequisite.EFVP])


def test_personal_information_leaving_quebec_without_an_efvp_blocks_the_startup_meeting(
    orgs, people, client, offers
):
    broker = people["broker_agent"]
    file = file_at(
        "startup",
        by=client,
        client=orgs["client"],
        personal_information=True,
        pi_outside_quebec=True,
        efvp=False,
    )
    assert checks.missing_prerequisites(file) == [rules.Prerequisite.EFVP]
    assert selectors.startup_view(file).missing == [EFVP_MISSING]
    assert "art. 70.1" in EFVP_MISSING
    with pytest.raises(ValidationError) as refused:
        schedule_meeting(file, by=broker)
    assert refusal(refused) == {"prerequisites": [EFVP_MISSING]}
    assert not StartupMeeting.objects.exists()
    seq = mark()
    file = record_efvp(file, by=client)
    assert actions_since(seq) == ["document.kept", "acquisition.efvp_recorded"]
    assert reload(file).efvp_done_on == MARCH_1
    assert file.documents.filter(type=DocumentKind.EFVP).exists()
    assert checks.missing_prerequisites(file) == []
    assert schedule_meeting(file, by=broker).pk is not None


def test_the_strategy_does_not_freeze_once_personal_information_leaves_quebec_without_an_efvp(
    orgs, people, client, offers, clock
):
    """The meeting was convened, then the client went back to step 1: its data now leave
    Quebec. Back at step 5 after the meeting, the broker cannot freeze until the EFVP is done."""
    broker = people["broker_agent"]
    file = file_at("startup", by=client, client=orgs["client"])
    meeting = schedule_meeting(file, by=broker)
    for _ in range(4):
        file = move(file, A.GO_BACK, by=client)
    needs_services.file_update_needs(
        by=client, file=file, personal_information=True, pi_outside_quebec=True
    )
    file = advance(file, "startup", by=client, efvp=False)
    assert StartupMeeting.objects.get(file=file) == meeting
    clock.move_to(meeting.scheduled_for + timedelta(hours=2))
    with pytest.raises(ValidationError) as refused:
        startup_services.strategy_freeze(by=broker, file=file)
    assert refusal(refused) == {"prerequisites": [EFVP_MISSING]}
    assert not AcquisitionStrategy.objects.exists()
    record_efvp(file, by=client)
    startup_services.strategy_freeze(by=broker, file=file)
    assert reload(file).state == "frozen"


@pytest.mark.parametrize(
    ("choice", "blocked"),
    [("other", False), ("lowest", True)],
    ids=["MAIL-hosted-in-Montreal-only", "NUAGE-with-a-Toronto-data-centre"],
)
def test_the_efvp_blocks_the_meeting_only_when_personal_information_leaves_quebec(
    orgs, client, offers, choice, blocked
):
    """DOMAIN §3.1: personal information involved → an EFVP is required (shown as a reminder);
    communicated outside Quebec (art. 70.1) → required before any contract. The client said its
    data stay in Quebec; only the chosen offer's data centres decide."""
    file = file_at(
        "startup",
        by=client,
        client=orgs["client"],
        choice=choice,
        personal_information=True,
        efvp=False,
    )
    assert rules.efvp_required(file.personal_information)
    expected = [rules.Prerequisite.EFVP] if blocked else []
    assert checks.missing_prerequisites(file) == expected


def test_a_sheet_republished_after_the_computation_asks_for_new_scenarios(orgs, client, offers):
    """002 §2.4.1: prices only from the latest sheets. A new version of a compliant offer's
    sheet after the run makes the choice stale until the scenarios are computed again."""
    file = file_at("choice", by=client, client=orgs["client"])
    authorise_financially(file, by=client)
    republish(
        orgs["supplier"],
        sheet_d(),
        lambda sheet: sheet["offers"][0].update(description="Nouvelle description."),
    )
    stale = str(CHOICE[rules.ChoiceProblem.STALE_SCENARIOS])
    assert checks.scenarios_stale(file)
    with pytest.raises(ValidationError) as refused:
        move(file, A.CONFIRM_CHOICE, by=client)
    assert refusal(refused) == {"action": [stale]}
    assert reload(file).state == "choice"
    scenarios_services.scenarios_compute(by=client, file=file)
    assert not checks.scenarios_stale(file)
    choose(file, by=client)
    authorise_financially(file, by=client)
    assert move(file, A.CONFIRM_CHOICE, by=client).state == "startup"


def test_no_efvp_is_recorded_without_personal_information(orgs, client, offers):
    file = file_at("startup", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        record_efvp(file, by=client)
    assert refusal(refused) == {"efvp": [str(messages.EFVP_NOT_REQUIRED)]}


def test_the_broker_convenes_the_meeting_and_its_agenda_is_kept(
    orgs, people, client, offers, mailbox, run_on_commit
):
    broker = people["broker_agent"]
    file = file_at("startup", by=client, client=orgs["client"])
    assert selectors.startup_view(file).contact_on is None
    when = datetime.combine(MARCH_1 + timedelta(days=2), time(10), tzinfo=TZ)
    seq = mark()
    with run_on_commit():
        meeting = schedule_meeting(file, by=broker, when=when)
    assert actions_since(seq) == ["acquisition.meeting_scheduled", "document.kept"]
    assert event("acquisition.meeting_scheduled", meeting).after == {
        "scheduled_for": when.isoformat(),
        "participants": participants(),
    }
    assert "Fournisseur E" in meeting.agenda  # the chosen supplier is on the agenda
    assert file.documents.filter(type=DocumentKind.AGENDA).exists()
    assert all(len(mailbox.to(p["email"])) == 1 for p in participants())
    view = selectors.startup_view(reload(file))
    # 002 §2.5: at least 30 days from the startup contact (today) to a signed contract.
    assert (view.contact_on, view.earliest_signed_contract) == (MARCH_1, date(2027, 3, 31))


@pytest.mark.parametrize(
    ("people_list", "message"),
    [
        ([], messages.PARTICIPANTS_REQUIRED),
        (
            [{"name": "C", "email": "c@client.example", "role": "client"}],
            messages.PARTICIPANTS_REQUIRED,
        ),
        (
            [
                {"name": "C", "email": "pas un courriel", "role": "client"},
                {"name": "F", "email": "f@fournisseur.example", "role": "supplier"},
            ],
            messages.PARTICIPANT_INVALID,
        ),
    ],
)
def test_the_meeting_has_a_client_and_a_supplier_with_valid_emails(
    orgs, people, client, offers, people_list, message
):
    file = file_at("startup", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        startup_services.startup_meeting_schedule(
            by=people["broker_agent"],
            file=file,
            scheduled_for=timezone.now() + timedelta(days=1),
            participants=people_list,
        )
    assert refusal(refused) == {"participants": [str(message)]}


def test_a_meeting_in_the_past_is_refused(orgs, people, client, offers):
    file = file_at("startup", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        schedule_meeting(file, by=people["broker_agent"], when=timezone.now() - timedelta(hours=1))
    assert refusal(refused) == {"scheduled_for": [str(messages.MEETING_IN_PAST)]}


def test_freezing_waits_for_the_meeting_then_stores_an_immutable_strategy(
    orgs, people, client, offers, clock, run_on_commit
):
    broker = people["broker_agent"]
    file = file_at("startup", by=client, client=orgs["client"])
    with pytest.raises(ValidationError) as refused:
        startup_services.strategy_freeze(by=broker, file=file)
    assert refusal(refused) == {"meeting": [str(messages.MEETING_NOT_SCHEDULED)]}
    meeting = schedule_meeting(file, by=broker)
    with pytest.raises(ValidationError) as refused:  # before the meeting time
        startup_services.strategy_freeze(by=broker, file=file)
    assert refusal(refused) == {"meeting": [str(messages.MEETING_NOT_HELD)]}
    assert reload(file).state == "startup"
    clock.move_to(meeting.scheduled_for + timedelta(hours=1))
    seq = mark()
    with run_on_commit():  # the strategy's PDF is rendered by a task after the commit
        strategy = startup_services.strategy_freeze(by=broker, file=file)
    assert actions_since(seq) == [
        "acquisition.freeze_strategy",
        "acquisition.strategy_frozen",
        "document.kept",
    ]
    assert reload(file).state == "frozen"
    nuage = offers["NUAGE"]
    assert (strategy.supplier, strategy.duration_months, strategy.total_cents) == (
        orgs["supplier_other"],
        MONTHS,
        TOTAL_E,
    )
    assert strategy.scenario == scenario_of(file, orgs["supplier_other"])
    assert strategy.content["offers"] == [
        {
            "offer": nuage.pk,
            "code": "NUAGE",
            "name": "Courriel nuagique",
            "sheet_version": nuage.version_id,
            "components": [
                {
                    "component": "BASE",
                    "need": NEED,
                    "label": "Boîtes de courriel",
                    "unit": "user_month",
                    "quantities": [USERS] * MONTHS,
                }
            ],
        }
    ]
    assert strategy.content["total_cents"] == TOTAL_E
    assert sum(strategy.content["monthly_cents"]) == TOTAL_E
    assert event("acquisition.strategy_frozen", strategy).after == strategy.content
    assert file.documents.filter(type=DocumentKind.STRATEGY).exists()
    # Frozen: saved again or deleted, it refuses; the file moves no more.
    strategy.total_cents = 1
    with pytest.raises(RuntimeError):
        strategy.save()
    with pytest.raises(RuntimeError):
        AcquisitionStrategy.objects.get(pk=strategy.pk).delete()
    assert AcquisitionStrategy.objects.get(pk=strategy.pk).total_cents == TOTAL_E
    with pytest.raises(ValidationError) as refused:
        move(file, A.GO_BACK, by=client)
    assert refusal(refused) == {"action": [str(messages.TRANSITION_REFUSED)]}


def test_only_the_broker_convenes_the_meeting_and_freezes(orgs, people, client, offers):
    file = file_at("startup", by=client, client=orgs["client"])
    for person in (client, people["client_head"], people["broker_auditor"], people["supplier_rep"]):
        with pytest.raises(PermissionDenied):
            schedule_meeting(file, by=person)
        with pytest.raises(PermissionDenied):
            startup_services.strategy_freeze(by=person, file=file)
    with pytest.raises(ValidationError) as refused:  # not as a bare move either
        move(file, A.FREEZE_STRATEGY, by=client)
    assert refusal(refused) == {"action": [str(messages.BROKER_ONLY)]}


def test_the_whole_way_from_step_1_to_a_frozen_strategy_is_audited_move_by_move(
    orgs, people, client, offers
):
    file = file_at("frozen", by=client, client=orgs["client"], broker=people["broker_agent"])
    assert moves_of(file) == [
        ("acquisition.submit_needs", "catalogue"),
        ("acquisition.confirm_candidates", "compliance"),
        ("acquisition.close_compliance", "choice"),
        ("acquisition.confirm_choice", "startup"),
        ("acquisition.freeze_strategy", "frozen"),
    ]
    assert selectors.progress(file)[-1].status == "done"


# --- moves and steps ------------------------------------------------------------------------------


def test_a_move_missing_from_the_table_is_refused_without_an_audit_row(orgs, client, offers):
    file = new_file(by=client, client=orgs["client"])
    seq = mark()
    for action in (A.CONFIRM_CHOICE, A.GO_BACK, "jump"):
        with pytest.raises(ValidationError) as refused:
            move(file, action, by=client)
        assert refusal(refused) == {"action": [str(messages.TRANSITION_REFUSED)]}
    assert actions_since(seq) == []


def test_an_abandoned_file_changes_no_more(orgs, client, offers):
    file = file_at("compliance", by=client, client=orgs["client"])
    move(file, A.ABANDON, by=client)
    assert moves_of(file)[-1] == ("acquisition.abandon", "abandoned")
    with pytest.raises(ValidationError) as refused:
        candidates_services.requirement_add(by=client, file=file, label="Tardive")
    assert refusal(refused) == {"state": [str(messages.WRONG_STEP)]}
    with pytest.raises(ValidationError) as refused:
        record_efvp(file, by=client)
    assert refusal(refused) == {"state": [str(messages.WRONG_STEP)]}
    with pytest.raises(ValidationError):
        move(file, A.GO_BACK, by=client)


@pytest.fixture
def busy(orgs, people, client, offers):
    """A file at step 4 with one of everything a service touches: a judged requirement, a
    question, a trial, a computed run and a non-lowest choice."""
    file = file_at("compliance", by=client, client=orgs["client"], personal_information=True)
    requirement = candidates_services.requirement_add(
        by=client, file=file, label="Authentification unique"
    )
    for candidate in file.candidates.all():
        candidates_services.compliance_record(
            by=client, candidate=candidate, requirement=requirement, verdict="met"
        )
    question = ask(file, client, offers)
    trial = try_trial(file, client, offers["MAIL"])
    file = advance(file, "choice", by=client, choice="other")
    return SimpleNamespace(
        file=file,
        requirement=requirement,
        candidate=file.candidates.get(offer__code="MAIL"),
        question=question,
        trial=trial,
        scenario=checks.chosen_scenario(file),
        offers=offers,
    )


CALLS = {
    "file_update_needs": lambda b, by: needs_services.file_update_needs(
        by=by, file=b.file, title="X"
    ),
    "need_line_save": lambda b, by: needs_services.need_line_save(
        by=by, file=b.file, code=NEED, label="X", kind="usage", unit="user_month"
    ),
    "need_line_delete": lambda b, by: needs_services.need_line_delete(
        by=by, file=b.file, code=NEED
    ),
    "candidates_from_catalogue": lambda b, by: candidates_services.candidates_from_catalogue(
        by=by, file=b.file
    ),
    "candidate_add": lambda b, by: candidates_services.candidate_add(
        by=by, file=b.file, offer=b.offers["THEATRE"]
    ),
    "candidate_remove": lambda b, by: candidates_services.candidate_remove(
        by=by, candidate=b.candidate
    ),
    "candidate_map": lambda b, by: candidates_services.candidate_map(
        by=by, candidate=b.candidate, mapping={}
    ),
    "candidates_mark_seen": lambda b, by: candidates_services.candidates_mark_seen(
        by=by, file=b.file
    ),
    "requirement_add": lambda b, by: candidates_services.requirement_add(
        by=by, file=b.file, label="X"
    ),
    "requirement_remove": lambda b, by: candidates_services.requirement_remove(
        by=by, requirement=b.requirement
    ),
    "compliance_record": lambda b, by: candidates_services.compliance_record(
        by=by, candidate=b.candidate, requirement=b.requirement, verdict="not_met"
    ),
    "question_ask": lambda b, by: ask(b.file, by, b.offers),
    "trial_create": lambda b, by: try_trial(b.file, by, b.offers["MAIL"]),
    "trial_attach_report": lambda b, by: questions_services.trial_attach_report(
        by=by, trial=b.trial, name="r.pdf", content=PDF, content_type="application/pdf"
    ),
    "scenarios_compute": lambda b, by: scenarios_services.scenarios_compute(by=by, file=b.file),
    "scenario_choose": lambda b, by: scenarios_services.scenario_choose(
        by=by, file=b.file, scenario=b.scenario
    ),
    "head_authorisation_record": lambda b, by: authorise_by_head(b.file, by=by),
    "financial_authorisation_record": lambda b, by: (
        scenarios_services.financial_authorisation_record(
            by=by,
            file=b.file,
            amount_cents=TOTAL_D,
            planned_additions_cents=0,
            authorised_on=MARCH_1,
            authorised_by_name="F. Finances",
        )
    ),
    "efvp_record": lambda b, by: record_efvp(b.file, by=by),
    "file_transition": lambda b, by: move(b.file, A.GO_BACK, by=by),
}


@pytest.mark.parametrize("name", CALLS)
def test_people_who_do_not_run_the_file_change_nothing(orgs, people, stranger, busy, name):
    before = reload(busy.file).audit_snapshot()
    seq = mark()
    outsiders = {
        "another body": stranger,
        "the body's signatory": people["client_signatory"],
        "the body's auditor": people["client_auditor"],
        "a supplier": people["supplier_rep"],
        "the broker": people["broker_agent"],
    }
    for who, person in outsiders.items():
        with pytest.raises(PermissionDenied):
            CALLS[name](busy, person)
            pytest.fail(f"{who} was allowed to call {name}")
    assert actions_since(seq) == []
    assert reload(busy.file).audit_snapshot() == before


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("file_update_needs", "choice"),
        ("need_line_save", "choice"),
        ("need_line_delete", "choice"),
        ("candidates_from_catalogue", "choice"),
        ("candidate_add", "choice"),
        ("candidate_remove", "choice"),
        ("candidate_map", "choice"),
        ("requirement_add", "choice"),
        ("requirement_remove", "choice"),
        ("compliance_record", "choice"),
        ("trial_create", "choice"),
        ("candidates_mark_seen", "abandoned"),
        ("question_ask", "abandoned"),
        ("scenarios_compute", "compliance"),
        ("scenario_choose", "compliance"),
        ("head_authorisation_record", "compliance"),
        ("financial_authorisation_record", "compliance"),
        ("efvp_record", "abandoned"),
    ],
)
def test_each_service_refuses_the_wrong_step(client, busy, name, state):
    if state == "compliance":
        move(busy.file, A.GO_BACK, by=client)
    elif state == "abandoned":
        move(busy.file, A.ABANDON, by=client)
    assert reload(busy.file).state == state
    seq = mark()
    with pytest.raises(ValidationError) as refused:
        CALLS[name](busy, client)
    assert refusal(refused) == {"state": [str(messages.WRONG_STEP)]}
    assert actions_since(seq) == []


def test_the_clients_head_and_finance_people_run_its_files_too(orgs, people, offers):
    file = file_at("choice", by=people["client_head"], client=orgs["client"], choice="other")
    authorise_by_head(file, by=people["client_head"])
    authorise_financially(file, by=people["client_finance"])
    move(file, A.CONFIRM_CHOICE, by=people["client_finance"])
    assert reload(file).state == "startup"
