"""Questions to suppliers are due 3 business days after they are asked (004 §3.3.2), counted
with Quebec's holidays; an unanswered one is flagged the day after and the broker told once.
Each test publishes the Catalogue on the day it asks (so it does not share a world)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from courtier.acquisitions import selectors
from courtier.acquisitions.services import overdue as overdue_services
from courtier.acquisitions.services import questions as questions_services
from tests.acquisitions.factories import ask, at, file_at, publish_catalogue
from tests.acquisitions.trail import actions_since, event, mark

TZ = ZoneInfo("America/Toronto")


@pytest.fixture
def client(people):
    """Procurement at Ministère A, a client body subject to the RCTI."""
    return people["client_procurement"]


def test_a_question_asked_before_the_fete_nationale_is_due_the_next_tuesday(
    orgs, people, client, mailbox, run_on_commit
):
    """Asked Wednesday 2027-06-23. Business days after it: Thursday 24 is the Fête nationale
    (Saint-Jean-Baptiste), Friday 25 is the 1st, the weekend is skipped, Monday 28 the 2nd,
    Tuesday 29 the 3rd: due Tuesday 2027-06-29 (Monday 28 without the holiday)."""
    with at(date(2027, 6, 23), 10):
        offers = publish_catalogue(orgs)  # prices in force since Tuesday 2027-06-01
        file = file_at("catalogue", by=client, client=orgs["client"])
        seq = mark()
        with run_on_commit():
            question = ask(file, client, offers)
    assert question.due_on == date(2027, 6, 29)
    assert actions_since(seq) == ["acquisition.question_asked"]
    assert event("acquisition.question_asked", question).after == {
        "supplier": orgs["supplier"].pk,
        "offer": offers["MAIL"].pk,
        "text": "Offrez-vous l'authentification unique ?",
        "due_on": "2027-06-29",
    }
    assert len(mailbox.to(people["supplier_rep"].email)) == 1  # the supplier is told


def test_a_question_asked_before_easter_skips_good_friday_and_easter_monday(orgs, client):
    """Asked Thursday 2027-03-25: Good Friday 26, the weekend and Easter Monday 29 are not
    business days; Tuesday 30 is the 1st, Wednesday 31 the 2nd: due Thursday 2027-04-01."""
    with at(date(2027, 3, 25), 15):
        offers = publish_catalogue(orgs)
        file = file_at("catalogue", by=client, client=orgs["client"])
        assert ask(file, client, offers).due_on == date(2027, 4, 1)


def test_an_unanswered_question_is_flagged_the_day_after_it_is_due_and_the_broker_told_once(
    orgs, people, client, mailbox, run_on_commit
):
    with at(date(2027, 6, 23), 10):
        offers = publish_catalogue(orgs)
        file = file_at("catalogue", by=client, client=orgs["client"])
        question = ask(file, client, offers)
    brokers = [people["broker_admin"].email, people["broker_agent"].email]
    with at(date(2027, 6, 29), 23):  # the due day itself: still on time
        with run_on_commit():
            assert overdue_services.questions_report_overdue() == 0
        assert [r.overdue for r in selectors.question_rows(file.questions.all())] == [False]
    assert all(mailbox.to(address) == [] for address in brokers)
    with at(date(2027, 6, 30), 0, 5):
        seq = mark()
        with run_on_commit():
            assert overdue_services.questions_report_overdue() == 1
        assert actions_since(seq) == ["acquisition.question_overdue"]
        assert [r.overdue for r in selectors.question_rows(file.questions.all())] == [True]
        with run_on_commit():
            assert overdue_services.questions_report_overdue() == 0  # told once, not twice
    assert all(len(mailbox.to(address)) == 1 for address in brokers)
    assert mailbox.to(people["supplier_rep"].email) == []  # the supplier is not the one told
    question.refresh_from_db()
    assert question.overdue_reported_at is not None
    assert event("acquisition.question_overdue", question).after == {"due_on": "2027-06-29"}


@pytest.mark.parametrize(
    ("answered", "late"),
    [
        # 21:00 in Quebec on the due day is already the next day in UTC: still on time.
        (datetime(2027, 6, 29, 21, tzinfo=TZ), False),
        (datetime(2027, 6, 30, 8, tzinfo=TZ), True),
    ],
)
def test_an_answer_is_late_after_the_due_day_in_quebec(orgs, people, client, answered, late):
    with at(date(2027, 6, 23), 10):
        offers = publish_catalogue(orgs)
        file = file_at("catalogue", by=client, client=orgs["client"])
        question = ask(file, client, offers)
    with at(answered.date(), answered.hour):
        questions_services.question_answer(
            by=people["supplier_rep"], question=question, answer="Oui."
        )
    assert event("acquisition.question_answered", question).after["late"] is late
