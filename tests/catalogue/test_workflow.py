"""The review of supplier proposals as a workflow (DOMAIN §2): its declaration (the moves of
rules.DRAFT_TRANSITIONS, each guard, write and effect labelled for docs/workflows.md), whom each
person may act as, the order in which each move's checks are made (who, then the request, then
the state, then the proposal), the audit event of each move, and the emails that follow it.
Real database, through the services."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from courtier.audit.models import AuditEvent
from courtier.catalogue import rules
from courtier.catalogue.messages import (
    BROKER_MOVE_ONLY,
    DRAFT_OUTDATED,
    RETURN_COMMENT_REQUIRED,
    SUPPLIER_MOVE_ONLY,
    TRANSITION_REFUSED,
)
from courtier.catalogue.models import PriceList, SheetDraft, SheetVersion
from courtier.catalogue.policies import draft_actors
from courtier.catalogue.services.drafts import (
    sheet_draft_abandon,
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.catalogue.workflow import DRAFT_WORKFLOW
from courtier.core.workflow import registered
from tests.catalogue.factories import content, line, offer, publish

TORONTO = ZoneInfo("America/Toronto")
TODAY = date(2026, 11, 22)  # a Sunday
DEC_1 = date(2026, 12, 1)  # Tuesday: first business day of December
BAD = {"offers[0].category": ["Cette valeur n'est pas permise : « jeux »."]}


@pytest.fixture(autouse=True)
def clock():
    moment = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=TORONTO)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


def errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def events() -> list[tuple[str, dict | None, dict | None]]:
    rows = AuditEvent.objects.filter(action__startswith="sheet_draft.").order_by("seq")
    return [(e.action, e.before, e.after) for e in rows if e.action != "sheet_draft.created"]


def draft_in(supplier, state: str, *, broken: bool = False) -> SheetDraft:
    """A proposal of ``supplier`` put straight into ``state`` (its content made invalid with
    ``broken``: a category that does not exist)."""
    draft = sheet_draft_create(by=None, supplier=supplier)
    sheet = copy.deepcopy(content())
    if broken:
        sheet["offers"][0]["category"] = "jeux"
    SheetDraft.objects.filter(pk=draft.pk).update(status=state, content=sheet)
    return SheetDraft.objects.get(pk=draft.pk)


# --------------------------------------------------------------------------- declaration


def test_the_workflow_is_the_rules_table_and_is_registered():
    assert DRAFT_WORKFLOW in registered()
    moves = [(t.source, t.action, t.target, t.actor) for t in DRAFT_WORKFLOW.transitions]
    assert moves == [(t.source, t.action, t.target, t.actor) for t in rules.DRAFT_TRANSITIONS]
    for move in DRAFT_WORKFLOW.transitions:
        assert rules.next_draft_state(move.source, rules.DraftAction(move.action)) == move.target
        for step in (*move.guards, *move.writes, *move.effects):
            assert str(step.label).strip()
    assert set(DRAFT_WORKFLOW.states) == set(rules.DraftState)
    assert set(DRAFT_WORKFLOW.actions) == set(rules.DraftAction)


def test_the_conditions_of_the_request_come_first():
    submit = DRAFT_WORKFLOW.find("draft", "submit")
    back = DRAFT_WORKFLOW.find("submitted", "return")
    assert [g.first for g in submit.guards] == [True]
    assert [g.first for g in back.guards] == [True]
    assert not any(g.first for g in DRAFT_WORKFLOW.find("submitted", "publish").guards)


def test_whom_each_person_acts_as(orgs, people):
    draft = draft_in(orgs["supplier"], "draft")
    both = {rules.Actor.SUPPLIER, rules.Actor.BROKER}
    assert draft_actors(None, draft) == both  # the system: the demo, the command line
    assert draft_actors(people["broker_agent"], draft) == both
    assert draft_actors(people["supplier_rep"], draft) == {rules.Actor.SUPPLIER}
    assert draft_actors(people["client_procurement"], draft) == frozenset()
    assert draft_actors(people["broker_auditor"], draft) == frozenset()


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [("draft", "submit", SUPPLIER_MOVE_ONLY), ("submitted", "publish", BROKER_MOVE_ONLY)],
)
def test_a_move_is_refused_to_whoever_may_not_act_as_its_actor(orgs, state, action, message):
    draft = draft_in(orgs["supplier"], state)
    with transaction.atomic(), pytest.raises(ValidationError) as excinfo:
        DRAFT_WORKFLOW.run(subject=draft, action=action, by=None, acting_as=frozenset())
    assert errors(excinfo) == {"status": [str(message)]}
    assert SheetDraft.objects.get(pk=draft.pk).status == state


# --------------------------------------------------------------------------- order of checks


@pytest.mark.parametrize("state", ["submitted", "published", "abandoned"])
def test_submitting_reports_the_contents_problems_before_the_state(orgs, state):
    draft = draft_in(orgs["supplier"], state, broken=True)
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_submit(by=None, draft=draft)
    assert errors(excinfo) == BAD


def test_submitting_someone_elses_proposal_is_refused_before_its_content(orgs, people):
    draft = draft_in(orgs["supplier_other"], "draft", broken=True)
    with pytest.raises(PermissionDenied):
        sheet_draft_submit(by=people["broker_auditor"], draft=draft)


@pytest.mark.parametrize("state", ["draft", "returned", "published", "abandoned"])
def test_returning_without_a_comment_is_refused_before_the_state(orgs, state):
    draft = draft_in(orgs["supplier"], state)
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_return(by=None, draft=draft, comment=" ")
    assert errors(excinfo) == {"comment": [str(RETURN_COMMENT_REQUIRED)]}


def test_returning_is_the_brokers_before_the_comment_is_looked_at(orgs, people):
    draft = draft_in(orgs["supplier"], "draft")
    with pytest.raises(PermissionDenied):
        sheet_draft_return(by=people["supplier_rep"], draft=draft, comment=" ")


@pytest.mark.parametrize("state", ["returned", "published", "abandoned"])
def test_publishing_reports_the_state_before_the_contents_problems(orgs, state):
    draft = draft_in(orgs["supplier"], state, broken=True)
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=draft)
    assert errors(excinfo) == {"status": [str(TRANSITION_REFUSED)]}


def test_publishing_reports_the_content_then_the_base_version_then_the_prices(orgs):
    first = publish(orgs["supplier"], content())
    publish(orgs["supplier"], content(offer("MAIL", "Courriel Pro")))
    stale = draft_in(orgs["supplier"], "submitted", broken=True)
    SheetDraft.objects.filter(pk=stale.pk).update(base_version=first)
    PriceList.objects.create(
        supplier=orgs["supplier"],
        offer_code="NOPE",
        effective_from=date(2026, 12, 2),  # not a first business day, nor a known offer
        status="draft",
        draft=stale,
    )
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=stale)
    assert errors(excinfo) == BAD
    SheetDraft.objects.filter(pk=stale.pk).update(content=content(offer("MAIL", "Autre")))
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=stale)
    assert errors(excinfo) == {"base_version": [str(DRAFT_OUTDATED)]}
    SheetDraft.objects.filter(pk=stale.pk).update(
        base_version=SheetVersion.objects.order_by("number").last()
    )
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=stale)
    assert list(errors(excinfo)) == ["effective_from"]
    assert SheetVersion.objects.count() == 2
    assert SheetDraft.objects.get(pk=stale.pk).status == "submitted"


def test_abandoning_a_closed_proposal_is_refused_and_keeps_its_prices(orgs):
    draft = draft_in(orgs["supplier"], "draft")
    sheet_draft_set_prices(
        by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    )
    SheetDraft.objects.filter(pk=draft.pk).update(status="published")
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_abandon(by=None, draft=draft)
    assert errors(excinfo) == {"status": [str(TRANSITION_REFUSED)]}
    assert PriceList.objects.get().status == "draft"


# --------------------------------------------------------------------------- what each move writes


def test_each_move_records_its_state_before_and_after(orgs, people):
    agent = people["broker_agent"]
    draft = draft_in(orgs["supplier"], "draft")
    sheet_draft_submit(by=None, draft=draft)
    sheet_draft_return(by=agent, draft=draft, comment=" À revoir ")
    sheet_draft_submit(by=None, draft=draft)
    sheet_draft_publish(by=agent, draft=draft)
    other = draft_in(orgs["supplier_other"], "returned")
    sheet_draft_abandon(by=None, draft=other)
    assert events() == [
        ("sheet_draft.submitted", {"status": "draft"}, {"status": "submitted"}),
        (
            "sheet_draft.returned",
            {"status": "submitted"},
            {"status": "returned", "review_comment": "À revoir"},
        ),
        ("sheet_draft.submitted", {"status": "returned"}, {"status": "submitted"}),
        ("sheet_draft.published", {"status": "submitted"}, {"status": "published"}),
        ("sheet_draft.abandoned", {"status": "returned"}, {"status": "abandoned"}),
    ]
    published = SheetDraft.objects.get(pk=draft.pk)
    assert published.reviewed_by == agent and published.review_comment == "À revoir"
    assert published.submitted_at is not None and published.reviewed_at is not None


def test_the_version_is_recorded_after_the_proposal_is_published(orgs):
    draft = draft_in(orgs["supplier"], "draft")
    version = sheet_draft_publish(by=None, draft=draft)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["sheet_draft.published", "sheet_version.published"]
    assert SheetDraft.objects.get(pk=draft.pk).version == version


def test_emails_wait_for_the_commit(orgs, people, mailbox, django_capture_on_commit_callbacks):
    rep = people["supplier_rep"]
    draft = draft_in(orgs["supplier"], "draft")
    with django_capture_on_commit_callbacks(execute=True):
        sheet_draft_submit(by=rep, draft=draft)
        assert mailbox.messages == []  # nothing before the commit
    (message,) = mailbox.messages
    assert people["broker_agent"].email in message["X-Envelope-To"]
    mailbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sheet_draft_return(by=people["broker_agent"], draft=draft, comment="Le prix")
    (message,) = mailbox.messages
    assert message["X-Envelope-To"] == rep.email and "Le prix" in mailbox.body(message)
