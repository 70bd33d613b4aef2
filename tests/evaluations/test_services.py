"""The annual evaluation campaigns on a real database (issue 14 §2; DOMAIN §5.8; 002 §4.8.1): the
broker opens a campaign per supplier on the current grid version; each client body with a
contract of it in force gets a request with a due date and a work item; its people fill in the
weighted grid with comments, save it, submit it once; the broker reads the per-supplier summary
and closes the campaign (the requests still open lapse). Each move leaves its state and its
audit row."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from courtier.audit.models import AuditEvent
from courtier.calendar.selectors import business_days_after
from courtier.contracts.models import ContractState
from courtier.core import related, standing, workitems
from courtier.core.formatting import long_date
from courtier.documents.models import Document, TransmissionStatus
from courtier.documents.services.requests import transmissions_remind_overdue
from courtier.evaluations import messages, rules, selectors
from courtier.evaluations.home import KIND_END
from courtier.evaluations.models import (
    Campaign,
    CampaignState,
    EndEvaluation,
    EvaluationRequest,
    EvaluationScore,
    GridVersion,
    RequestState,
)
from courtier.evaluations.services import campaigns as services
from courtier.evaluations.services import end
from courtier.evaluations.services import grid as grid_services
from tests.acquisitions.factories import at
from tests.evaluations import factories
from tests.evaluations.factories import KEYS, open_campaign, request_of, submit
from tests.factories import PASSWORD, pdf_bytes
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(factories.world)


@pytest.fixture
def contract(world):
    return world[2]["contract"]


@pytest.fixture
def supplier(contract):
    return contract.supplier


@pytest.fixture
def other(world):
    """Organisme B's procurement person (its body has a contract in force with the supplier)."""
    return world[2]["other_client"]


def written() -> tuple[int, int, int]:
    return Campaign.objects.count(), EvaluationRequest.objects.count(), AuditEvent.objects.count()


def events(action: str, obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).order_by("seq"))


# --- the grid, as versioned data ---------------------------------------------------------------


def test_the_grid_is_published_as_a_numbered_version_of_weighted_criteria(world, people):
    grid = world[2]["grid"]
    assert grid.number == 1
    assert [(c.key, c.weight) for c in grid.criteria.all()] == [
        ("qualite", Decimal(50)),
        ("delais", Decimal(30)),
        ("communication", Decimal(20)),
    ]
    [event] = events("evaluation_grid.published", grid)
    assert event.after["version"] == 1 and "Qualité du service (50 %)" in event.after["criteria"]


def test_a_grid_whose_weights_do_not_sum_to_100_is_refused_and_nothing_written(people):
    before = GridVersion.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        grid_services.grid_version_publish(
            by=people["broker_agent"],
            criteria=[{"label": "Qualité", "weight": "60"}, {"label": "Délais", "weight": "30"}],
        )
    assert refused.value.message_dict == {
        "criteria": [str(messages.GRID_PROBLEMS["weights_not_100"])]
    }
    assert (GridVersion.objects.count(), AuditEvent.objects.count()) == before


def test_only_the_broker_s_agents_publish_a_grid(people):
    for key in ("client_procurement", "supplier_rep", "broker_auditor"):
        with pytest.raises(PermissionDenied):
            factories.publish_grid(people[key])


def test_a_new_version_leaves_an_open_campaign_on_its_own_and_serves_the_next_one(
    world, people, supplier
):
    """002 §4.8: the grid is versioned; a campaign keeps the version current at its opening."""
    agent = people["broker_agent"]
    campaign = open_campaign(agent, supplier)
    v2 = grid_services.grid_version_publish(
        by=agent,
        criteria=[{"label": "Qualité", "weight": "70"}, {"label": "Sécurité", "weight": "30"}],
        scale_max=10,
    )
    assert (v2.number, v2.scale_max) == (2, 10)
    assert Campaign.objects.get(pk=campaign.pk).grid == world[2]["grid"]
    nxt = open_campaign(agent, supplier, year=2027)
    assert nxt.grid == v2
    request = request_of(nxt, world[2]["contract"].client)
    assert sorted(s.criterion.key for s in request.scores.select_related("criterion")) == [
        "qualite",
        "securite",
    ]


# --- opening: a request, a due date, an email and a work item per client body -------------------


def test_opening_asks_every_client_body_with_a_contract_in_force(
    world, orgs, people, supplier, mailbox, run_on_commit
):
    agent = people["broker_agent"]
    due = timezone.localdate() + timedelta(days=30)
    with run_on_commit():
        campaign = open_campaign(agent, supplier, due_on=due)
    assert (campaign.state, campaign.grid, campaign.due_on) == (
        CampaignState.OPEN,
        world[2]["grid"],
        due,
    )
    [opened] = events("campaign.opened", campaign)
    assert opened.after == {
        "year": 2026,
        "supplier": supplier.name,
        "grid": 1,
        "due_on": due.isoformat(),
        "clients": 2,
    }
    assert opened.organisation_id == supplier.pk and opened.actor == agent
    for client, contract in (
        (orgs["client"], world[2]["contract"]),
        (orgs["client_other"], world[2]["other_contract"]),
    ):
        request = request_of(campaign, client)
        assert (request.state, request.due_on) == (RequestState.OPEN, due)
        assert list(request.contracts.all()) == [contract]
        assert [s.score for s in request.scores.all()] == [None, None, None]
        [asked] = events("evaluation.requested", request)
        assert asked.after == {"contracts": contract.reference, "due_on": due.isoformat()}
        assert asked.organisation_id == client.pk
    # The Ministère A's people who run its acquisitions are asked and see it awaiting them.
    [message] = mailbox.to(people["client_procurement"].email)
    assert supplier.name in str(message["Subject"])
    request = request_of(campaign, orgs["client"])
    [item] = [
        i
        for i in workitems.items_for(people["client_procurement"])
        if i.key == f"evaluations.request:{request.pk}"
    ]
    assert item.due_on == due and item.url == f"/evaluations/demandes/{request.pk}/"
    # Nobody at the supplier: the evaluation is about it, not for it.
    assert not mailbox.to(people["supplier_rep"].email)
    assert not selectors.requests_for(people["supplier_rep"]).exists()
    assert not any(
        i.key.startswith("evaluations.") for i in workitems.items_for(people["supplier_rep"])
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"supplier": "client"}, "supplier", messages.NOT_A_SUPPLIER),
        ({"supplier": "provider_other"}, "supplier", messages.NO_CONTRACT_IN_FORCE),
        ({"due_on": -1}, "due_on", messages.DUE_IN_PAST),
        ({"due_on": None}, "due_on", messages.REQUIRED),
        ({"year": 1999}, "year", messages.YEAR_INVALID),
    ],
)
def test_a_campaign_opened_wrong_is_refused_by_field_and_writes_nothing(
    change, field, message, orgs, people, supplier
):
    values = {"supplier": supplier, "year": 2026, "due_on": timezone.localdate()}
    if "supplier" in change:
        values["supplier"] = orgs[change["supplier"]]
    if "due_on" in change:
        offset = change["due_on"]
        values["due_on"] = None if offset is None else timezone.localdate() + timedelta(offset)
    values.update({k: v for k, v in change.items() if k == "year"})
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(by=people["broker_agent"], **values)
    assert refused.value.message_dict == {field: [str(message)]}
    assert written() == before


def test_a_second_campaign_for_the_same_supplier_and_year_is_refused(people, supplier):
    open_campaign(people["broker_agent"], supplier)
    before = written()
    with pytest.raises(ValidationError) as refused:
        open_campaign(people["broker_admin"], supplier)
    assert refused.value.message_dict == {"year": [str(messages.CAMPAIGN_EXISTS)]}
    assert written() == before


def test_only_the_broker_s_admins_and_agents_open_a_campaign(people, supplier):
    for key in ("broker_auditor", "client_procurement", "supplier_rep"):
        with pytest.raises(PermissionDenied):
            open_campaign(people[key], supplier)


# --- the client fills in the grid ----------------------------------------------------------------


@pytest.fixture
def campaign(people, supplier):
    return open_campaign(people["broker_agent"], supplier)


@pytest.fixture
def request_a(campaign, orgs):
    return request_of(campaign, orgs["client"])


def test_the_client_saves_a_partial_grid_with_its_comments(people, request_a):
    saved = services.evaluation_save(
        by=people["client_procurement"],
        request=request_a,
        scores={"qualite": "4"},
        comments={"qualite": "Service stable."},
        general_comment="À compléter.",
    )
    assert (saved.state, saved.general_comment) == (RequestState.OPEN, "À compléter.")
    scores = {s.criterion.key: (s.score, s.comment) for s in selectors.scores_of(saved)}
    assert scores == {
        "qualite": (4, "Service stable."),
        "delais": (None, ""),
        "communication": (None, ""),
    }
    [event] = events("evaluation.saved", saved)
    assert event.after == {"scored": 1}


def test_the_client_submits_the_weighted_grid_once_and_the_broker_is_told(
    people, request_a, mailbox, run_on_commit
):
    head = people["client_head"]  # any of the people who run the body's acquisitions
    with run_on_commit():
        done = submit(head, request_a)
    assert done.state == RequestState.SUBMITTED
    assert done.weighted_score == Decimal("3.9")  # 0.5 × 4 + 0.3 × 3 + 0.2 × 5
    assert (done.submitted_on, done.submitted_by) == (timezone.localdate(), head)
    [event] = events("evaluation.submit", done)
    assert event.before == {"state": "open"}
    assert event.after == {"state": "submitted", "weighted_score": "3.90"}
    for key in ("broker_agent", "broker_admin"):
        [message] = mailbox.to(people[key].email)
        assert "Évaluation reçue" in str(message["Subject"])
    # A replayed submission changes nothing and records nothing twice.
    before = AuditEvent.objects.count(), EvaluationScore.objects.count()
    for service in (services.evaluation_submit, services.evaluation_save):
        with pytest.raises(ValidationError) as refused:
            service(by=head, request=done, scores={"qualite": 1})
        assert refused.value.message_dict == {"action": [str(messages.REQUEST_REFUSED)]}
    assert (AuditEvent.objects.count(), EvaluationScore.objects.count()) == before
    assert EvaluationRequest.objects.get(pk=done.pk).weighted_score == Decimal("3.9")


def test_a_grid_submitted_incomplete_or_off_scale_is_refused_by_criterion(people, request_a):
    by = people["client_procurement"]
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.evaluation_submit(
            by=by, request=request_a, scores={"qualite": 6, "delais": 3}, comments={}
        )
    assert refused.value.message_dict == {
        "score_qualite": [str(messages.SCORE_PROBLEMS["score_out_of_scale"])],
        "score_communication": [str(messages.SCORE_PROBLEMS["score_missing"])],
    }
    with pytest.raises(ValidationError) as refused:
        services.evaluation_save(by=by, request=request_a, scores={"inconnu": 3})
    assert refused.value.message_dict == {
        "scores": [str(messages.SCORE_PROBLEMS["unknown_criterion"])]
    }
    fresh = EvaluationRequest.objects.get(pk=request_a.pk)
    assert fresh.state == RequestState.OPEN
    assert all(s.score is None for s in fresh.scores.all())
    assert AuditEvent.objects.count() == before


def test_nobody_but_the_body_s_own_people_fills_in_its_grid(people, other, request_a):
    for person in (other, people["supplier_rep"], people["broker_agent"], people["client_auditor"]):
        with pytest.raises(PermissionDenied):
            submit(person, request_a)
    assert EvaluationRequest.objects.get(pk=request_a.pk).state == RequestState.OPEN


def test_another_body_and_the_supplier_do_not_see_the_ministere_s_request(people, other, request_a):
    assert request_a not in selectors.requests_for(other)
    assert not selectors.requests_for(people["supplier_rep"]).exists()
    assert not selectors.campaigns_for(other).exists()
    assert request_a in selectors.requests_for(people["client_auditor"])
    assert request_a in selectors.requests_for(people["broker_auditor"])


# --- the summary and the closing -----------------------------------------------------------------


def test_the_broker_sees_the_per_supplier_summary_with_the_comments(
    orgs, people, other, campaign, request_a
):
    submit(people["client_procurement"], request_a)
    submit(other, request_of(campaign, orgs["client_other"]), {k: 2 for k in KEYS})
    summary = selectors.campaign_summary(campaign)
    assert (summary.count, summary.asked) == (2, 2)
    assert summary.mean_score == Decimal("2.95")  # (3.9 + 2) / 2
    means = {line.key: line.mean for line in summary.criteria}
    assert means == {
        "qualite": Decimal("3.00"),
        "delais": Decimal("2.50"),
        "communication": Decimal("3.50"),
    }
    clients = {c["client"] for c in summary.comments}
    assert clients == {orgs["client"].name, orgs["client_other"].name}
    assert {
        "client": orgs["client"].name,
        "criterion": "",
        "text": "Bonne année dans l'ensemble.",
    } in (summary.comments)
    # The supplier's standing shows the means of its last evaluations (issue 14 §2).
    [(mean, day)] = selectors.last_evaluations([campaign.supplier_id]).values()
    assert (mean, day) == (Decimal("2.95"), timezone.localdate())
    lines = standing.standings([campaign.supplier_id], other)[campaign.supplier_id]
    [line] = [x for x in lines if x.label == "Dernières évaluations"]
    assert line.value == f"2,95 — {long_date(timezone.localdate())}"


def test_closing_the_campaign_lapses_the_requests_still_open(orgs, people, campaign, request_a):
    submit(people["client_procurement"], request_a)
    agent = people["broker_agent"]
    closed = services.campaign_close(by=agent, campaign=campaign)
    assert closed.state == CampaignState.CLOSED and closed.closed_at is not None
    [event] = events("campaign.close", closed)
    assert (event.before, event.after) == ({"state": "open"}, {"state": "closed"})
    lapsed = request_of(campaign, orgs["client_other"])
    assert lapsed.state == RequestState.LAPSED
    [event] = events("evaluation.lapse", lapsed)
    assert event.after == {"state": "lapsed"} and event.organisation_id == orgs["client_other"].pk
    assert request_of(campaign, orgs["client"]).state == RequestState.SUBMITTED
    assert selectors.campaign_summary(closed).count == 1
    with pytest.raises(ValidationError) as refused:
        services.campaign_close(by=agent, campaign=closed)
    assert refused.value.message_dict == {"action": [str(messages.CAMPAIGN_REFUSED)]}
    with pytest.raises(PermissionDenied):
        services.campaign_close(by=people["broker_auditor"], campaign=closed)


def test_an_open_request_past_its_due_date_is_reminded_once(
    orgs, people, supplier, mailbox, run_on_commit
):
    due = timezone.localdate() + timedelta(days=10)
    campaign = open_campaign(people["broker_agent"], supplier, due_on=due)
    submit(people["client_procurement"], request_of(campaign, orgs["client"]))
    with at(due, 12):
        assert services.evaluations_remind_overdue() == 0  # due today: not late yet
    with at(due + timedelta(days=1), 8), run_on_commit():
        assert services.evaluations_remind_overdue() == 1
        assert services.evaluations_remind_overdue() == 0  # once
    late = request_of(campaign, orgs["client_other"])
    [event] = events("evaluation.reminded", late)
    assert event.after == {"due_on": due.isoformat()} and event.actor is None
    assert late.reminded_at is not None
    other_emails = [m for m in mailbox.messages if "Rappel" in str(m["Subject"])]
    assert len(other_emails) == 1
    assert not mailbox.to(people["client_procurement"].email)  # submitted: no reminder
    # The broker sees the campaign past its due date to close.
    with at(due + timedelta(days=1), 8):
        keys = {i.key for i in workitems.items_for(people["broker_agent"])}
    assert f"evaluations.campaign:{campaign.pk}" in keys


# --- the end-of-contract evaluation of an RCTI client (RCTI art. 82; 002 §4.8.2, §4.10) ---------
# The head signs on Thursday 24 December 2026: Christmas (Friday 25) and New Year's Day (Friday
# 1 January 2027) are not business days, so the 5th business day after is Monday 4 January 2027
# (counting weekdays only it would be Thursday 31 December).
SIGNED_ON = date(2026, 12, 24)
DUE_ON = date(2027, 1, 4)


@pytest.fixture
def ended(world):
    return world[2]["ended"]


def stated(people, contract):
    """The client states art. 82 requires it and keeps the draft report."""
    by = people["client_procurement"]
    end.end_evaluation_declare(by=by, contract=contract, required=True)
    return end.end_evaluation_report_add(
        by=by, contract=contract, content=pdf_bytes("rapport"), name="rapport.pdf"
    )


def status(contract, today):
    evaluation = EndEvaluation.objects.filter(contract=contract).select_related("owed").first()
    return end.status_of(contract, evaluation, today)


def test_the_report_is_due_five_business_days_after_the_head_s_signature_across_the_holidays(db):
    """DOMAIN §8: Quebec statutory holidays are not business days (Christmas, New Year's Day;
    the Fête nationale on 24 June and Canada Day on 1 July)."""
    assert business_days_after(SIGNED_ON, 5) == DUE_ON
    assert business_days_after(date(2027, 6, 23), 5) == date(2027, 7, 2)


def test_an_ended_rcti_contract_awaits_the_head_s_signed_evaluation(people, ended):
    assert ended.subject_to_rcti and ended.state == ContractState.ENDED
    assert status(ended, SIGNED_ON) == rules.EndEvaluationStatus.AWAITING_SIGNATURE
    [row] = [r for r in selectors.end_rows(people["client_procurement"]) if r.contract == ended]
    assert row.status == rules.EndEvaluationStatus.AWAITING_SIGNATURE
    keys = {i.key for i in workitems.items_for(people["client_procurement"])}
    assert f"evaluations.end:{ended.pk}:awaiting_signature" in keys
    assert not [r for r in selectors.end_rows(people["supplier_rep"]) if r.contract == ended]


def test_the_client_states_once_whether_art_82_requires_it(people, ended, contract):
    by = people["client_procurement"]
    with pytest.raises(ValidationError) as refused:
        end.end_evaluation_declare(by=by, contract=contract, required=True)
    assert refused.value.message_dict == {"contract": [str(messages.CONTRACT_NOT_CLOSED)]}
    evaluation = end.end_evaluation_declare(by=by, contract=ended, required=False)
    [event] = events("end_evaluation.stated", evaluation)
    assert event.after == {"required": False}
    assert status(ended, SIGNED_ON) == rules.EndEvaluationStatus.NOT_OWED
    with pytest.raises(ValidationError) as refused:
        end.end_evaluation_declare(by=by, contract=ended, required=True)
    assert refused.value.message_dict == {"required": [str(messages.ALREADY_STATED)]}
    with pytest.raises(PermissionDenied):
        end.end_evaluation_declare(by=people["supplier_rep"], contract=ended, required=True)


def test_the_report_is_a_pdf_kept_on_the_contract(people, ended):
    by = people["client_procurement"]
    end.end_evaluation_declare(by=by, contract=ended, required=True)
    with pytest.raises(ValidationError) as refused:
        end.end_evaluation_report_add(by=by, contract=ended, content=b"texte", name="r.txt")
    assert list(refused.value.message_dict) == ["report"]
    evaluation = end.end_evaluation_report_add(
        by=by, contract=ended, content=pdf_bytes("rapport"), name="rapport.pdf"
    )
    report = Document.objects.get(pk=evaluation.report_id)
    assert (report.type, report.subject_id, report.owner_id) == (
        "performance_report",
        ended.pk,
        ended.client_id,
    )
    [event] = events("end_evaluation.report_added", evaluation)
    assert event.after["version"] == 1


def test_the_head_signs_in_the_platform_and_the_report_reaches_the_broker_at_once(
    people, ended, mailbox, run_on_commit
):
    stated(people, ended)
    with pytest.raises(PermissionDenied):  # the head of the organisation, no one else
        end.end_evaluation_head_sign(
            by=people["client_procurement"], contract=ended, password=PASSWORD
        )
    head = people["client_head"]
    with at(SIGNED_ON, 16), run_on_commit():
        with pytest.raises(ValidationError) as refused:
            end.end_evaluation_head_sign(by=head, contract=ended, password="faux")
        assert refused.value.message_dict == {"password": [str(messages.PASSWORD_WRONG)]}
        evaluation = end.end_evaluation_head_sign(by=head, contract=ended, password=PASSWORD)
    assert (evaluation.head_signed_on, evaluation.head_signed_by) == (SIGNED_ON, head)
    assert evaluation.owed.due_on == DUE_ON
    assert evaluation.owed.status == TransmissionStatus.ANSWERED
    [event] = events("end_evaluation.signed", evaluation)
    assert event.after == {
        "head_signed_on": "2026-12-24",
        "head_signature": "platform",
        "due_on": "2027-01-04",
    }
    assert status(ended, date(2027, 1, 20)) == rules.EndEvaluationStatus.RECEIVED
    subjects = [str(m["Subject"]) for m in mailbox.to(people["broker_agent"].email)]
    assert any(f"de fin de contrat signé — {ended.reference}" in s for s in subjects)


def test_a_paper_signature_is_tracked_reminded_and_flagged_late_after_the_holidays(
    people, ended, mailbox, run_on_commit
):
    """Signed on paper on 24 December, its copy not yet sent: due on 4 January 2027 (not on 31
    December), reminded and flagged from the 5th, received late when it comes then."""
    stated(people, ended)
    by = people["client_procurement"]
    with at(date(2026, 12, 28), 10):
        evaluation = end.end_evaluation_paper_signature_record(
            by=by, contract=ended, signed_on=SIGNED_ON
        )
        assert evaluation.owed.due_on == DUE_ON
        assert evaluation.owed.status == TransmissionStatus.OPEN
        assert status(ended, timezone.localdate()) == rules.EndEvaluationStatus.DUE
    [event] = events("end_evaluation.signed", evaluation)
    assert event.after["head_signature"] == "paper" and event.after["due_on"] == "2027-01-04"
    # 31 December (5 weekdays) and 4 January (5 business days): not late.
    for day in (date(2026, 12, 31), DUE_ON):
        assert status(ended, day) == rules.EndEvaluationStatus.DUE
        with at(day, 8):
            assert transmissions_remind_overdue() == 0
            broker_keys = {i.key for i in workitems.items_for(people["broker_agent"])}
        assert f"evaluations.end_overdue:{ended.pk}" not in broker_keys
    late = date(2027, 1, 5)
    assert status(ended, late) == rules.EndEvaluationStatus.OVERDUE
    with at(late, 8), run_on_commit():
        assert transmissions_remind_overdue() == 1  # the client is reminded, once
        assert transmissions_remind_overdue() == 0
        [item] = [
            i
            for i in workitems.items_for(people["broker_agent"])
            if i.key == f"evaluations.end_overdue:{ended.pk}"
        ]
        assert item.due_on == DUE_ON and item.overdue(late)  # flagged for the broker
        client_keys = {i.key for i in workitems.items_for(by)}
    assert f"evaluations.end:{ended.pk}:overdue" in client_keys
    [reminded] = events("transmission.reminded", evaluation.owed)
    assert reminded.after == {"due_on": "2027-01-04"}
    assert mailbox.to(by.email)
    with at(late, 11):
        end.end_evaluation_report_send(
            by=by, contract=ended, content=pdf_bytes("rapport signé"), name="signe.pdf"
        )
        assert status(ended, late) == rules.EndEvaluationStatus.RECEIVED_LATE
    assert Document.objects.get(pk=evaluation.report_id).versions.count() == 2
    with pytest.raises(ValidationError) as refused:
        end.end_evaluation_report_send(
            by=by, contract=ended, content=pdf_bytes("encore"), name="signe.pdf"
        )
    assert refused.value.message_dict == {"report": [str(messages.ALREADY_TRANSMITTED)]}


def test_the_signed_copy_sent_on_the_fifth_business_day_is_on_time(people, ended):
    stated(people, ended)
    by = people["client_procurement"]
    with at(SIGNED_ON, 15):
        end.end_evaluation_paper_signature_record(by=by, contract=ended, signed_on=SIGNED_ON)
    with at(DUE_ON, 16):
        end.end_evaluation_report_send(
            by=by, contract=ended, content=pdf_bytes("copie"), name="signe.pdf"
        )
    assert status(ended, date(2027, 2, 1)) == rules.EndEvaluationStatus.RECEIVED


@pytest.mark.parametrize(
    ("signed_on", "field", "message"),
    [
        (None, "signed_on", messages.REQUIRED),
        (date(2026, 11, 29), "signed_on", messages.SIGNED_ON_BEFORE_END),
        (date(2027, 1, 10), "signed_on", messages.SIGNED_ON_FUTURE),
    ],
)
def test_a_paper_signature_date_is_checked(signed_on, field, message, people, ended):
    stated(people, ended)
    before = AuditEvent.objects.count()
    with at(SIGNED_ON, 15), pytest.raises(ValidationError) as refused:
        end.end_evaluation_paper_signature_record(
            by=people["client_procurement"], contract=ended, signed_on=signed_on
        )
    assert refused.value.message_dict == {field: [str(message)]}
    assert AuditEvent.objects.count() == before


# --- the contract page's links (issue 14 §7; courtier.core.related) ------------------------------


def evaluation_links(contract, user) -> list[related.Link]:
    labels = {"Évaluation du rendement 2026", str(KIND_END)}
    return [link for link in related.links_for(contract, user) if link.label in labels]


def test_the_contract_page_links_to_its_evaluations_for_those_who_may_see_them(
    people, other, contract, ended, client
):
    campaign = open_campaign(people["broker_agent"], contract.supplier)
    request = request_of(campaign, contract.client)
    expected = [
        related.Link(
            "Évaluation du rendement 2026", f"/evaluations/demandes/{request.pk}/", "À remplir"
        )
    ]
    assert evaluation_links(contract, people["client_head"]) == expected
    assert evaluation_links(contract, people["broker_auditor"]) == expected
    for person in (people["supplier_rep"], other):
        assert evaluation_links(contract, person) == []
    assert evaluation_links(ended, people["client_procurement"]) == [
        related.Link(
            str(KIND_END),
            f"/evaluations/fin-de-contrat/{ended.pk}/",
            "En attente de la signature du dirigeant",
        )
    ]
    client.force_login(people["client_procurement"])
    page = client.get(f"/contrats/{contract.pk}/")
    assert page.status_code == 200
    assert f'href="/evaluations/demandes/{request.pk}/"' in page.content.decode()


def test_the_daily_command_reminds_the_late_requests(orgs, people, supplier):
    due = timezone.localdate() + timedelta(days=3)
    open_campaign(people["broker_agent"], supplier, due_on=due)
    out = io.StringIO()
    with at(due + timedelta(days=1), 7):
        call_command("remind-evaluations", stdout=out)
    assert out.getvalue().strip() == "2 rappel(s) envoyé(s)."


# --- the end-of-contract evaluation through its page and the API -------------------------------


def test_the_client_keeps_the_report_and_records_the_paper_signature_from_the_page(
    people, ended, client
):
    url = f"/evaluations/fin-de-contrat/{ended.pk}/"
    client.force_login(people["client_procurement"])
    assert client.post(url + "requise/", {"required": "1"}).status_code == 302
    wrong = client.post(
        url + "rapport/", {"report": SimpleUploadedFile("r.txt", b"texte", "text/plain")}
    )
    assert wrong.status_code == 422 and "report" in wrong.context["report_form"].errors
    kept = client.post(
        url + "rapport/", {"report": SimpleUploadedFile("r.pdf", pdf_bytes("r"), "application/pdf")}
    )
    assert kept.status_code == 302
    with at(date(2026, 12, 28), 10):
        client.force_login(people["client_procurement"])  # a new session on the day
        future = client.post(url + "papier/", {"signed_on": "2027-01-10"})
        assert future.status_code == 422
        assert str(messages.SIGNED_ON_FUTURE) in page_text(future)
        assert client.post(url + "papier/", {"signed_on": "2026-12-24"}).status_code == 302
        text = page_text(client.get(url))
    assert "À transmettre au Courtier" in text and "4 janvier 2027" in text
    with at(date(2027, 1, 5), 9):
        client.force_login(people["broker_agent"])
        listed = client.get("/evaluations/fin-de-contrat/")
        [row] = [r for r in listed.context["rows"] if r.contract == ended]
        assert row.status == rules.EndEvaluationStatus.OVERDUE
        assert "En retard" in page_text(listed)


def test_the_api_tracks_the_end_of_contract_evaluation_and_names_the_field_at_fault(
    people, ended, client
):
    url = f"/api/v1/evaluations/end-evaluations/{ended.pk}"
    client.force_login(people["client_procurement"])
    assert client.get(url).json()["status"] == "awaiting_signature"
    stated = client.post(url, {"required": True}, "application/json")
    assert stated.status_code == 201 and stated.json()["required"] is True
    report = {"report": SimpleUploadedFile("r.pdf", pdf_bytes("r"), "application/pdf")}
    assert client.post(f"{url}/report", report).status_code == 201
    with at(date(2026, 12, 28), 10):
        client.force_login(people["client_procurement"])  # a new session on the day
        early = client.post(f"{url}/paper-signature", {"signed_on": "2026-11-01"})
        assert early.status_code == 422
        assert {e["field"] for e in early.json()["errors"]} == {"signed_on"}
        signed = client.post(f"{url}/paper-signature", {"signed_on": "2026-12-24"})
    assert signed.status_code == 200, signed.content
    assert (signed.json()["status"], signed.json()["due_on"]) == ("due", "2027-01-04")
    with at(date(2027, 1, 5), 9):
        client.force_login(people["client_procurement"])
        assert client.get(url).json()["status"] == "overdue"
        copy = {"report": SimpleUploadedFile("s.pdf", pdf_bytes("s"), "application/pdf")}
        sent = client.post(f"{url}/send", copy)
    assert sent.json()["status"] == "received_late" and sent.json()["received_on"] == "2027-01-05"
    client.force_login(people["supplier_rep"])
    assert client.get(url).status_code == 404
