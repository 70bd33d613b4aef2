"""The services of the exit transition on a real database (issue 14 §3; DOMAIN §5.9; 002 §4.9):
the client's people plan the exit of a solutions contract, its activities ending before the
contract ends (refused otherwise, named by field), linked to the follow-up acquisition file;
with a new supplier the two contracts overlap long enough for the activities (refused when too
short); with the same supplier the plan may need none. The broker takes note of it or returns
it; the activities are done and the transition completed. The daily warning goes out the
configured months before the end (9 by default), once; each move leaves its state and its audit
row."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import override_settings

from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract, ContractState
from courtier.core import workitems
from courtier.core.formatting import long_date
from courtier.exitplans import checks, messages
from courtier.exitplans.models import ExitActivity, ExitPlan, PlanState
from courtier.exitplans.services import plans as services
from courtier.exitplans.services.warnings import exit_warnings_send
from tests.acquisitions.factories import at
from tests.exitplans import factories as f
from tests.exitplans.factories import EARLY, END, INSIDE, LATE, NEW_START, WARNING_ON
from tests.factories import make_person
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(f.world)


@pytest.fixture
def w(world):
    return world[2]


@pytest.fixture
def client_person(people):
    return people["client_procurement"]


def written() -> tuple[int, int, int]:
    """What a refusal leaves as it was: plans, activities, audit events."""
    return ExitPlan.objects.count(), ExitActivity.objects.count(), AuditEvent.objects.count()


def problem(key: str) -> tuple[str, str]:
    return messages.PROBLEMS[key][0], str(messages.PROBLEMS[key][1])


def audit(plan: ExitPlan, action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_id=str(plan.pk))


# --- the plan and its content -------------------------------------------------------------------


def test_the_client_plans_the_exit_with_a_new_supplier_and_the_follow_up_file(w, client_person):
    plan = f.new_supplier_plan(client_person, w)
    assert plan.state == PlanState.DRAFT
    assert plan.follow_up_file == f.file(w)
    assert plan.new_contract_id == w["new"] and plan.warning_months == 9
    assert [a.name for a in plan.activities.order_by("order")] == [a["name"] for a in INSIDE]
    assert checks.plan_problems(plan) == {}
    event = audit(plan, "exit_plan.created")
    assert event.actor == client_person and event.before is None
    assert event.after["state"] == "draft"
    assert event.after["follow_up_file"] == f.file(w).reference
    assert event.after["new_contract"] == f.contract(w, "new").reference
    assert len(event.after["activities"]) == 2


def test_an_activity_ending_after_the_contract_is_refused(w, client_person):
    """002 §4.9 « les activités ... doivent être complétées avant la fin du contrat initial »."""
    before = written()
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, activities=[*INSIDE, LATE])
    field, message = problem("activity_after_contract_end")
    assert refused.value.message_dict == {
        field: [message.format(end=long_date(END), names=LATE["name"])]
    }
    assert written() == before


def test_an_activity_ending_on_the_contract_s_last_day_is_accepted(w, client_person):
    last = {"name": "Fermeture", "start_on": date(2027, 12, 16), "end_on": END}
    plan = f.new_supplier_plan(client_person, w, activities=[*INSIDE, last])
    assert plan.activities.count() == 3


def test_a_change_adding_a_late_activity_is_refused_and_changes_nothing(w, client_person):
    plan = f.new_supplier_plan(client_person, w)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_update(by=client_person, plan=plan, activities=[LATE])
    assert list(refused.value.message_dict) == ["activities"]
    assert written() == before
    assert plan.activities.count() == 2


def test_an_overlap_shorter_than_the_activities_is_refused_naming_the_missing_days(
    w, client_person
):
    """002 §4.9 « un délai de parallélisme des deux contrats »: the new contract starts on
    NEW_START, after the first activity begins."""
    before = written()
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, activities=[EARLY, *INSIDE])
    [message] = refused.value.message_dict["new_contract"]
    assert list(refused.value.message_dict) == ["new_contract"]
    # Needed: 2027-06-01 to 2027-12-15 (198 days); together: 2027-09-01 to 2027-12-31 (122).
    assert "122 jour(s)" in message and "198 jour(s)" in message
    missing = (NEW_START - EARLY["start_on"]).days
    assert f"il manque {missing} jour(s)" in message
    assert written() == before


def test_an_overlap_flagged_when_the_new_contract_moves_later(w, client_person):
    """The new contract's dates change after the plan was saved: the submission is refused."""
    plan = f.new_supplier_plan(client_person, w)
    Contract.objects.filter(pk=w["new"]).update(start_on=date(2027, 12, 1))
    plan = ExitPlan.objects.get(pk=plan.pk)
    field, _message = problem("overlap_too_short")
    assert list(checks.plan_problems(plan)) == [field]
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_submit(by=client_person, plan=plan)
    assert list(refused.value.message_dict) == [field]
    assert ExitPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT
    assert not AuditEvent.objects.filter(action="exit_plan.submit").exists()


def test_with_a_new_supplier_the_plan_may_not_say_none_are_needed(w, client_person):
    before = written()
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, activities=[], none_needed=True)
    field, message = problem("none_needed_new_supplier")
    assert refused.value.message_dict == {field: [message]}
    assert written() == before


def test_with_the_same_supplier_the_plan_says_none_are_needed_and_is_submitted(
    w, client_person, people, mailbox, run_on_commit
):
    """002 §4.9 « il est possible qu'aucune activité de transition à la sortie ne soit
    nécessaire »; the broker's staff are told."""
    plan = f.same_supplier_plan(client_person, w)
    with run_on_commit():
        services.exit_plan_submit(by=client_person, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED and plan.submitted_at is not None
    event = audit(plan, "exit_plan.submit")
    assert event.before == {"state": "draft"} and event.after["state"] == "submitted"
    [mail] = mailbox.to(people["broker_agent"].email)
    assert f.contract(w, "old").reference in str(mail["Subject"])


def test_a_plan_with_neither_activities_nor_a_new_contract_is_refused_on_submission(
    w, client_person
):
    plan = services.exit_plan_create(by=client_person, contract=f.contract(w, "old"))
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_submit(by=client_person, plan=plan)
    assert refused.value.message_dict == {
        "activities": [problem("no_activities")[1]],
        "new_contract": [problem("new_contract_missing")[1]],
    }
    assert written() == before


def test_the_same_supplier_names_no_new_supplier_s_contract(w, client_person):
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, same_supplier=True)
    assert refused.value.message_dict == {
        "new_contract": [str(messages.NEW_CONTRACT_WITH_SAME_SUPPLIER)]
    }


def test_the_new_supplier_s_contract_is_not_the_initial_one(w, client_person):
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, new_contract_id=w["old"])
    assert refused.value.message_dict == {"new_contract": [str(messages.NEW_CONTRACT_INVALID)]}


def test_a_new_supplier_s_contract_ending_before_the_activities_is_too_short(w, client_person):
    """The services contract (Prestataire F) ends on 2027-05-31, before the activities start."""
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, new_contract_id=w["services"])
    assert list(refused.value.message_dict) == ["new_contract"]


def test_the_follow_up_file_is_one_of_the_same_client(w, client_person):
    with pytest.raises(ValidationError) as refused:
        f.new_supplier_plan(client_person, w, follow_up_file_id=w["other_file"])
    assert refused.value.message_dict == {"follow_up_file": [str(messages.FOLLOW_UP_OTHER_CLIENT)]}


def test_a_services_contract_has_no_exit_plan(w, client_person):
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_create(by=client_person, contract=f.contract(w, "services"))
    assert refused.value.message_dict == {"contract": [str(messages.PLAN_NOT_REQUIRED)]}
    assert written() == before


def test_a_contract_not_yet_signed_has_no_exit_plan(w, client_person):
    Contract.objects.filter(pk=w["old"]).update(state=ContractState.APPROVED)
    with pytest.raises(ValidationError) as refused:
        f.same_supplier_plan(client_person, w)
    assert refused.value.message_dict == {"contract": [str(messages.CONTRACT_NOT_SIGNED)]}


def test_a_contract_has_one_plan(w, client_person):
    f.same_supplier_plan(client_person, w)
    with pytest.raises(ValidationError) as refused:
        f.same_supplier_plan(client_person, w)
    assert refused.value.message_dict == {"contract": [str(messages.PLAN_EXISTS)]}


@pytest.mark.parametrize("months", [0, 37])
def test_the_warning_is_one_to_36_months(w, client_person, months):
    with pytest.raises(ValidationError) as refused:
        f.same_supplier_plan(client_person, w, warning_months=months)
    assert refused.value.message_dict == {"warning_months": [str(messages.WARNING_MONTHS_INVALID)]}


def test_only_the_client_s_people_plan_and_others_see_nothing(w, orgs, people):
    with pytest.raises(PermissionDenied):  # sees the contract, does not plan for the client
        f.same_supplier_plan(people["broker_agent"], w)
    with pytest.raises(Http404):  # another client's contract
        f.same_supplier_plan(make_person(orgs["client_other"], "client_procurement"), w)
    assert not ExitPlan.objects.exists()


def test_a_change_is_audited_with_what_changed(w, client_person):
    plan = f.new_supplier_plan(client_person, w)
    services.exit_plan_update(by=client_person, plan=plan, warning_months=12, activities=INSIDE)
    event = audit(plan, "exit_plan.updated")
    assert (event.before, event.after) == ({"warning_months": 9}, {"warning_months": 12})
    services.exit_plan_update(by=client_person, plan=plan, warning_months=12)
    assert AuditEvent.objects.filter(action="exit_plan.updated").count() == 1  # no change


def test_a_submitted_plan_is_not_changed(w, client_person, people):
    plan = f.moved(f.new_supplier_plan(client_person, w), people, "submitted")
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_update(by=client_person, plan=plan, warning_months=10)
    assert refused.value.message_dict == {"action": [str(messages.NOT_EDITABLE)]}


# --- the broker and the activities -----------------------------------------------------------


def test_the_broker_returns_a_plan_with_a_comment_and_the_client_corrects_it(
    w, client_person, people, mailbox, run_on_commit
):
    plan = f.moved(f.new_supplier_plan(client_person, w), people, "submitted")
    broker = people["broker_agent"]
    with pytest.raises(ValidationError) as refused:
        services.exit_plan_return(by=broker, plan=plan, comment="  ")
    assert refused.value.message_dict == {"comment": [str(messages.COMMENT_REQUIRED)]}
    with run_on_commit():
        services.exit_plan_return(by=broker, plan=plan, comment="Ajoutez la destruction.")
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED and plan.review_comment == "Ajoutez la destruction."
    assert audit(plan, "exit_plan.return").after["state"] == "returned"
    [mail] = mailbox.to(client_person.email)
    assert "Ajoutez la destruction." in mailbox.body(mail)
    services.exit_plan_update(by=client_person, plan=plan, warning_months=10)
    services.exit_plan_submit(by=client_person, plan=plan)
    assert ExitPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


def test_the_client_may_not_take_note_of_its_own_plan(w, orgs, client_person, people):
    plan = f.moved(f.new_supplier_plan(client_person, w), people, "submitted")
    with pytest.raises(PermissionDenied):
        services.exit_plan_acknowledge(by=client_person, plan=plan)
    outgoing = make_person(orgs["supplier_other"], "supplier_rep", "sortant")
    with pytest.raises(PermissionDenied):  # the outgoing supplier reads it only
        services.exit_plan_acknowledge(by=outgoing, plan=plan)
    with pytest.raises(Http404):  # the new supplier (Fournisseur D) does not see it
        services.exit_plan_acknowledge(by=people["supplier_rep"], plan=plan)
    assert ExitPlan.objects.get(pk=plan.pk).state == PlanState.SUBMITTED


def test_the_transition_completes_once_every_activity_is_done(
    w, client_person, people, mailbox, run_on_commit
):
    plan = f.new_supplier_plan(client_person, w)
    with run_on_commit():
        plan = f.moved(plan, people, "acknowledged")
    assert audit(plan, "exit_plan.acknowledge").after["state"] == "acknowledged"
    # The client's people and the outgoing supplier's (who performs the exit activities).
    for email in (client_person.email, *services.supplier_emails(f.contract(w, "old"))):
        assert any("pris en compte" in str(m["Subject"]) for m in mailbox.to(email))
    first, second = plan.activities.order_by("order")
    with at(date(2027, 10, 31)):
        services.exit_activity_done(by=client_person, plan=plan, activity=first)
        with pytest.raises(ValidationError) as refused:
            services.exit_plan_complete(by=client_person, plan=plan)
        assert refused.value.message_dict == {
            "activities": [str(messages.ACTIVITIES_NOT_DONE).format(names=second.name)]
        }
        with pytest.raises(ValidationError) as refused:
            services.exit_activity_done(
                by=client_person, plan=plan, activity=second, done_on=date(2027, 11, 1)
            )
        assert refused.value.message_dict == {"done_on": [str(messages.DONE_IN_FUTURE)]}
        services.exit_activity_done(by=client_person, plan=plan, activity=second)
        services.exit_plan_complete(by=client_person, plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED and plan.completed_at is not None
    done = AuditEvent.objects.filter(action="exit_plan.activity_done", object_id=str(plan.pk))
    assert [e.after for e in done.order_by("pk")] == [
        {"activity": first.name, "done_on": "2027-10-31"},
        {"activity": second.name, "done_on": "2027-10-31"},
    ]
    assert audit(plan, "exit_plan.complete").after["state"] == "completed"


def test_an_activity_is_not_done_before_the_plan_is_submitted(w, client_person):
    plan = f.new_supplier_plan(client_person, w)
    with pytest.raises(ValidationError) as refused:
        services.exit_activity_done(by=client_person, plan=plan, activity=plan.activities.first())
    assert refused.value.message_dict == {"action": [str(messages.ACTIVITY_NOT_RUNNING)]}


# --- the warning before the end (DOMAIN §5.9: configurable, 9 months by default) -------------


def plan_items(user) -> list[workitems.WorkItem]:
    return [i for i in workitems.items_for(user) if i.key.startswith("exitplans.")]


def warned_events() -> int:
    return AuditEvent.objects.filter(action="exit_plan.warned").count()


def test_the_warning_goes_out_nine_months_before_the_end_once(
    w, client_person, people, mailbox, run_on_commit
):
    with at(f.day_before(WARNING_ON)):
        assert exit_warnings_send() == []
        assert plan_items(client_person) == []
    old = f.contract(w, "old")
    with at(WARNING_ON), run_on_commit():
        assert exit_warnings_send() == [old.reference]
        [item] = plan_items(client_person)
    plan = ExitPlan.objects.get(contract=old)
    assert (plan.state, plan.warned_on, plan.created_by) == (PlanState.DRAFT, WARNING_ON, None)
    event = audit(plan, "exit_plan.warned")
    assert event.actor is None
    assert event.after == {
        "warned_on": "2027-03-31",
        "contract_end": "2027-12-31",
        "warning_months": 9,
    }
    assert (item.due_on, item.url) == (END, f"/transition/contrats/{old.pk}/")
    [mail] = mailbox.to(client_person.email)
    assert old.reference in str(mail["Subject"])
    assert "9 mois" in mailbox.body(mail)
    assert not mailbox.to(people["supplier_rep"].email)
    # Not twice: the same day, the next day.
    for day in (WARNING_ON, date(2027, 4, 1)):
        with at(day), run_on_commit():
            assert exit_warnings_send() == []
            assert len(plan_items(client_person)) == 1
    assert warned_events() == 1 and len(mailbox.to(client_person.email)) == 1


@override_settings(COURTIER_EXIT_WARNING_MONTHS=3)
def test_the_warning_s_lead_time_is_a_setting(w, client_person):
    with at(WARNING_ON):
        assert exit_warnings_send() == []
        assert plan_items(client_person) == []
    with at(date(2027, 9, 30)):
        assert exit_warnings_send() == [f.contract(w, "old").reference]
    assert ExitPlan.objects.get(contract_id=w["old"]).warning_months == 3


def test_the_plan_s_own_lead_time_decides_and_a_submitted_plan_is_not_warned(
    w, client_person, people
):
    plan = f.same_supplier_plan(client_person, w, warning_months=12)
    with at(date(2026, 12, 31)):
        assert exit_warnings_send() == [f.contract(w, "old").reference]
    ExitPlan.objects.filter(pk=plan.pk).update(warned_on=None)
    f.moved(plan, people, "submitted")
    with at(WARNING_ON):
        assert exit_warnings_send() == []


def test_the_command_warns_on_the_day_given(w, capsys):
    call_command("exit-warnings", "--date", "2027-03-31")
    assert f.contract(w, "old").reference in capsys.readouterr().out
    call_command("exit-warnings", "--date", "2027-03-31")
    assert "0 avis" in capsys.readouterr().out
    assert warned_events() == 1
