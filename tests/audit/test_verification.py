"""The broker's check of the audit trail's integrity from its page, and the work item that
reminds its auditors of it (issue 10 §1: something awaits every account; DOMAIN §7: the trail
proves what was done). The 30-day interval is the broker's own control (settings)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from courtier.audit import verification
from courtier.audit.models import AuditEvent
from courtier.audit.services import audit_event_record
from courtier.core.workitems import items_for
from tests.helpers import page_text, shared_world

TORONTO = ZoneInfo("America/Toronto")
KIND = "audit.chain_verification"


def build(orgs):
    return audit_event_record(actor=None, action="closure_day.added", object_type="x", after={})


shared, world, orgs, people = shared_world(build)


def _check_items(user):
    return [i for i in items_for(user) if i.key.startswith(KIND)]


def test_a_never_checked_trail_awaits_the_brokers_auditor_today(people):
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=TORONTO), tick=False):
        (item,) = _check_items(people["broker_auditor"])
    assert item.due_on == date(2026, 12, 2)
    assert item.url == reverse("audit:event_list")


@pytest.mark.parametrize("who", ["broker_admin", "broker_agent", "client_auditor", "supplier_rep"])
def test_the_check_awaits_nobody_else(people, who):
    assert _check_items(people[who]) == []


def test_checking_from_the_page_records_it_and_answers_it_is_intact(client, people):
    auditor = people["broker_auditor"]
    client.force_login(auditor)
    response = client.post(reverse("audit:chain_verify"), follow=True)
    assert "Journal d'audit intègre : 1 événements vérifiés." in page_text(response)
    event = AuditEvent.objects.get(action=verification.CHAIN_VERIFIED)
    assert event.actor_id == auditor.pk
    assert event.after == {"checked": 1, "intact": True, "broken_seq": None}
    assert _check_items(auditor) == []


def test_a_tampered_trail_is_reported_with_the_first_altered_event(client, people):
    with connection.cursor() as cursor:  # what the append-only model refuses, done in SQL
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE seq = 1",
            ["closure_day.removed"],
        )
    client.force_login(people["broker_admin"])
    response = client.post(reverse("audit:chain_verify"), follow=True)
    assert "Journal d'audit altéré : événement n° 1" in page_text(response)
    event = AuditEvent.objects.get(action=verification.CHAIN_VERIFIED)
    assert event.after["intact"] is False and event.after["broken_seq"] == 1


def test_the_check_awaits_again_a_week_before_thirty_days_have_passed(people):
    auditor = people["broker_auditor"]
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=TORONTO), tick=False):
        verification.audit_chain_verify(by=auditor)
    with time_machine.travel(datetime(2026, 11, 24, 10, tzinfo=TORONTO), tick=False):
        assert _check_items(auditor) == []
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=TORONTO), tick=False):
        (item,) = _check_items(auditor)
    assert item.due_on == date(2026, 12, 2)


@pytest.mark.parametrize("who", ["client_auditor", "supplier_rep", "client_procurement"])
def test_only_the_brokers_staff_may_check_the_chain(client, people, who):
    client.force_login(people[who])
    assert client.post(reverse("audit:chain_verify")).status_code == 403
    assert not AuditEvent.objects.filter(action=verification.CHAIN_VERIFIED).exists()


def test_the_trails_page_offers_the_check_to_the_broker_only(client, people):
    client.force_login(people["broker_auditor"])
    assert "Vérifier l'intégrité du journal" in page_text(client.get(reverse("audit:event_list")))
    client.force_login(people["client_auditor"])
    assert "Vérifier l'intégrité" not in page_text(client.get(reverse("audit:event_list")))
