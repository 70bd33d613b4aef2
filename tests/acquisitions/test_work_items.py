"""What acquisition files await from whom (acquisitions/home.py, core.workitems), on a real
database: the person it awaits sees it, someone of another organisation does not, and it is gone
once done. Every item is computed from the file's state."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from courtier.accounts.models import Role
from courtier.acquisitions import checks, rules
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.services import startup as startup_services
from courtier.core.workitems import WorkItem, items_for
from tests.acquisitions.factories import (
    BUDGET_CENTS,
    NEED,
    advance,
    ask,
    at,
    authorise_by_head,
    authorise_financially,
    file_at,
    group_with_members,
    new_file,
    record_efvp,
    reload,
    schedule_meeting,
)
from tests.factories import make_person
from tests.helpers import page_text


def keys(user) -> list[str]:
    return [i.key for i in items_for(user)]


def found(user, key: str) -> WorkItem:
    (item,) = [i for i in items_for(user) if i.key == key]
    return item


def test_the_current_step_awaits_the_clients_procurement_with_what_is_missing(orgs, people, offers):
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"])
    needs_services.file_update_needs(by=by, file=file, budget_cents=None)
    item = found(by, f"acquisitions.step.needs:{file.pk}")
    assert item.title == f"Compléter la définition des besoins — {file.reference}"
    assert item.url == reverse("acquisitions:file_detail", args=[file.pk])
    assert "budget" in item.detail.lower()  # the guard's own message names what is missing
    # DOMAIN §3 step 5: 30 days before the planned start, to sign the contract in time.
    assert item.due_on == reload(file).planned_start - timedelta(days=30)
    other = make_person(orgs["client_other"], Role.CLIENT_PROCUREMENT)
    assert not [k for k in keys(other) if k.endswith(f":{file.pk}")]
    assert not [k for k in keys(people["client_head"]) if k.startswith("acquisitions.step")]
    needs_services.file_update_needs(by=by, file=file, budget_cents=BUDGET_CENTS)
    file = advance(file, rules.State.CATALOGUE, by=by)
    assert f"acquisitions.step.needs:{file.pk}" not in keys(by)
    assert f"acquisitions.step.catalogue:{file.pk}" in keys(by)


def test_unanswered_questions_are_counted_once_not_repeated(orgs, people, offers):
    """Issue 10: "Répondez à cette question." eight times named nothing; the item counts them."""
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"])
    needs_services.file_update_needs(by=by, file=file, answers={})
    item = found(by, f"acquisitions.step.needs:{file.pk}")
    unanswered = [k for k in checks.needs_problems(reload(file)) if k.startswith("answers.")]
    assert len(unanswered) > 1
    assert f"{len(unanswered)} questions du questionnaire sans réponse" in item.detail
    assert "Répondez à cette question" not in item.detail
    assert ". ;" not in item.detail and ".." not in item.detail


def test_a_non_lowest_choice_of_an_rcti_client_awaits_its_heads_authorisation(orgs, people, offers):
    """RCTI art. 48 (002 §2.4.3): Ministère A is subject to the RCTI."""
    by, head = people["client_procurement"], people["client_head"]
    file = file_at(rules.State.CHOICE, by=by, client=orgs["client"], choice="other")
    key = f"acquisitions.head_authorisation:{file.pk}"
    assert key in keys(head)
    assert key not in keys(by)  # the head's, not procurement's
    assert key not in keys(make_person(orgs["client_other"], Role.CLIENT_HEAD))
    authorise_by_head(file, by=head)
    assert key not in keys(head)


def test_the_lowest_choice_awaits_no_head_but_the_financial_authorisation(orgs, people, offers):
    by, finance = people["client_procurement"], people["client_finance"]
    file = file_at(rules.State.CHOICE, by=by, client=orgs["client"], choice="lowest")
    assert f"acquisitions.head_authorisation:{file.pk}" not in keys(people["client_head"])
    key = f"acquisitions.financial_authorisation:{file.pk}"
    assert key in keys(finance)
    assert key not in keys(make_person(orgs["client_other"], Role.CLIENT_FINANCE))
    authorise_financially(file, by=finance)
    assert key not in keys(finance)


def test_personal_information_awaits_the_efvp_until_it_is_recorded(orgs, people, offers):
    """Access Act art. 70.1 (DOMAIN §3 step 1)."""
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"], personal_information=True)
    key = f"acquisitions.efvp:{file.pk}"
    assert key in keys(by)
    assert key not in keys(make_person(orgs["client_other"], Role.CLIENT_PROCUREMENT))
    record_efvp(file, by=by)
    assert key not in keys(by)


def test_a_group_purchase_awaits_each_member_bodys_own_consumption(orgs, people, offers):
    """Seed 003: each member body enters its own consumption of each line."""
    member, entered = orgs["client"], orgs["client_other"]
    group_with_members(orgs, member, entered)
    group_person = people["group_procurement"]
    file = new_file(by=group_person, client=orgs["group"], members={entered: [10] * 12})
    key = f"acquisitions.member_consumption:{file.pk}:{member.pk}"
    member_person = people["client_procurement"]
    item = found(member_person, key)
    assert item.url == reverse("acquisitions:member_consumption", args=[file.pk, NEED])
    other_member_person = make_person(entered, Role.CLIENT_PROCUREMENT)
    assert not [k for k in keys(other_member_person) if "member_consumption" in k]
    needs_services.member_consumption_save(
        by=member_person, file=file, need_code=NEED, member=member, quantities=[5] * 12
    )
    assert key not in keys(member_person)


def test_the_broker_convenes_the_meeting_once_ready_then_freezes_the_strategy(orgs, people, offers):
    """002 §2.5: the meeting once its prerequisites hold; the strategy once it took place."""
    by, broker = people["client_procurement"], people["broker_agent"]
    file = file_at(rules.State.STARTUP, by=by, client=orgs["client"])
    meeting_key, freeze_key = (
        f"acquisitions.meeting:{file.pk}",
        f"acquisitions.freeze:{file.pk}",
    )
    assert meeting_key in keys(broker)
    assert meeting_key not in keys(by)
    assert meeting_key not in keys(people["broker_auditor"])  # reads, never acts
    meeting = schedule_meeting(file, by=broker)
    assert meeting_key not in keys(broker)
    assert freeze_key not in keys(broker)  # not before the meeting
    with time_machine.travel(meeting.scheduled_for + timedelta(hours=2)):
        item = found(broker, freeze_key)
        assert item.due_on == meeting.scheduled_for.date()
        startup_services.strategy_freeze(by=broker, file=file)
        assert freeze_key not in keys(broker)


def test_a_question_awaits_its_suppliers_people_and_once_late_the_broker(orgs, people, offers):
    """004 §3.3.2 (DOMAIN §3 step 3): the supplier takes charge within 3 business days."""
    by, rep = people["client_procurement"], people["supplier_rep"]
    file = file_at(rules.State.CATALOGUE, by=by, client=orgs["client"])
    question = ask(file, by, offers)
    item = found(rep, f"acquisitions.question:{question.pk}")
    assert item.due_on == question.due_on
    assert item.url == reverse("acquisitions:questions_inbox")
    other_rep = make_person(orgs["supplier_other"], Role.SUPPLIER_REP)
    assert f"acquisitions.question:{question.pk}" not in keys(other_rep)
    late_key = f"acquisitions.question_overdue:{question.pk}"
    assert late_key not in keys(people["broker_agent"])
    with at(question.due_on + timedelta(days=1), 10):
        late = found(people["broker_agent"], late_key)
        assert late.overdue(question.due_on + timedelta(days=1))
        assert items_for(rep)[0].key == f"acquisitions.question:{question.pk}"  # overdue first
        questions_services.question_answer(by=rep, question=question, answer="Oui.")
        assert not [k for k in keys(rep) if k.startswith("acquisitions.question")]
        assert late_key not in keys(people["broker_agent"])


def test_every_item_a_person_sees_links_to_a_page_they_may_open(client, orgs, people, offers):
    by = people["client_procurement"]
    file_at(rules.State.CHOICE, by=by, client=orgs["client"], choice="other")
    file = file_at(rules.State.CATALOGUE, by=by, client=orgs["client"])
    ask(file, by, offers)
    for key in ("client_procurement", "client_head", "client_finance", "supplier_rep"):
        person = people[key]
        client.force_login(person)
        items = items_for(person)
        assert items, key
        for item in items:
            assert client.get(item.url).status_code == 200, (key, item)


def test_the_home_page_lists_the_items_overdue_first_with_french_dates(
    client, orgs, people, offers
):
    by, rep = people["client_procurement"], people["supplier_rep"]
    file = file_at(rules.State.CATALOGUE, by=by, client=orgs["client"])
    question = ask(file, by, offers)
    with at(question.due_on + timedelta(days=1), 10):
        client.force_login(rep)
        html = page_text(client.get("/"))
    assert "Ce qui m'attend" in html
    assert "En retard" in html
    assert f"Répondre à une question — {file.reference}" in html
    assert "pour le 4 mars 2027" in html  # asked Monday 2027-03-01: 3 business days
    assert question.due_on == date(2027, 3, 4)


def test_a_frozen_strategy_awaits_the_clients_signatories_until_the_planned_start(
    orgs, people, offers
):
    """DOMAIN §3 step 5: the client's hierarchy signs the contract before the planned start."""
    by, signatory = people["client_procurement"], people["client_signatory"]
    file = file_at(rules.State.FROZEN, by=by, client=orgs["client"], broker=people["broker_agent"])
    key = f"acquisitions.signature:{file.pk}"
    item = found(signatory, key)
    assert item.due_on == file.planned_start
    assert key not in keys(make_person(orgs["client_other"], Role.CLIENT_SIGNATORY))
    assert key not in keys(by)
    with at(file.planned_start + timedelta(days=1), 10):
        assert key not in keys(signatory)
