"""The daily email of what awaits each person (services.digests_send, `courtier send-digests`):
once a day, none when nothing awaits, never to someone who opted out in « Mon compte »."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from courtier.accounts import services, tasks
from courtier.accounts.models import DigestSent
from courtier.audit.models import AuditEvent
from tests.factories import make_access_request

TZ = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2027, 3, 10, 6, tzinfo=TZ), tick=False) as traveller:
        yield traveller


def test_each_person_with_something_awaiting_gets_one_email_a_day(
    orgs, people, mailbox, run_on_commit
):
    make_access_request(orgs["client"])
    mailbox.messages.clear()  # the request's own notifications
    agent = people["broker_agent"]
    with run_on_commit():
        out = StringIO()
        call_command("send-digests", stdout=out)
    (message,) = mailbox.to(agent.email)
    assert "Ce qui vous attend aujourd'hui" in message["Subject"]
    body = mailbox.body(message)
    assert "Décider de la demande d'accès : Personne Demande" in body
    assert "/demandes-acces/" in body
    assert DigestSent.objects.filter(user=agent, day=date(2027, 3, 10)).exists()
    # Nothing awaits the client's head: no email at all.
    assert mailbox.to(people["client_head"].email) == []
    with run_on_commit():
        assert services.digests_send() == 0  # the same day again: nothing more
    assert len(mailbox.to(agent.email)) == 1


def test_the_next_day_brings_a_new_digest_and_the_task_runs_it(
    orgs, people, mailbox, run_on_commit, clock
):
    make_access_request(orgs["client"])
    mailbox.messages.clear()
    with run_on_commit():
        services.digests_send()
    clock.move_to(datetime(2027, 3, 11, 6, tzinfo=TZ))
    with run_on_commit():
        assert tasks.send_digests.call() >= 2  # the broker's admin and agent
    assert len(mailbox.to(people["broker_agent"].email)) == 2


def test_a_person_who_opted_out_gets_none_and_the_change_is_audited(
    client, orgs, people, mailbox, run_on_commit
):
    agent = people["broker_agent"]
    client.force_login(agent)
    response = client.post(reverse("accounts:digest_setting"), {})  # box unticked
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.digest_opt_out is True
    event = AuditEvent.objects.get(action="user.digest_changed")
    assert (event.before, event.after) == ({"digest_opt_out": False}, {"digest_opt_out": True})
    make_access_request(orgs["client"])
    mailbox.messages.clear()
    with run_on_commit():
        services.digests_send()
    assert mailbox.to(agent.email) == []
    assert len(mailbox.to(people["broker_admin"].email)) == 1
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="receive"' in page and "checked" not in page.split('name="receive"')[1][:80]
    client.post(reverse("accounts:digest_setting"), {"receive": "on"})
    agent.refresh_from_db()
    assert agent.digest_opt_out is False
