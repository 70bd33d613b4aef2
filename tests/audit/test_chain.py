"""The audit trail is append-only and hash-chained (issue 2, DOMAIN §7)."""

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory

from courtier.audit import rules
from courtier.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.audit.services import audit_event_record


def record(n: int, actor=None):
    return [
        audit_event_record(
            actor=actor,
            action="test.changed",
            object_type="tests.thing",
            object_id=str(i),
            before={"value": i},
            after={"value": i + 1, "label": "Québec"},
        )
        for i in range(n)
    ]


def test_hash_covers_the_previous_hash_and_the_content():
    content = {"seq": 1, "action": "x"}
    assert rules.chain_hash("0" * 64, content) != rules.chain_hash("1" * 64, content)
    assert rules.chain_hash("0" * 64, content) != rules.chain_hash("0" * 64, {**content, "seq": 2})
    assert rules.chain_hash("0" * 64, {"a": 1, "b": 2}) == rules.chain_hash(
        "0" * 64, {"b": 2, "a": 1}
    )


def test_events_are_numbered_and_chained(db):
    first, second, third = record(3)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == rules.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert verify_chain() == (3, None)


def test_an_event_records_the_actor_and_the_request_id(db, people, client):
    actor = people["broker_admin"]
    client.force_login(actor)
    response = client.post(
        "/calendrier/",
        {"day": "2026-12-29", "label": "Fermeture"},
        HTTP_X_REQUEST_ID="req-1234567890",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="closure_day.added")
    assert event.actor_id == actor.pk
    assert event.actor_label == actor.email
    assert event.request_id == "req-1234567890"
    assert event.after == {"day": "2026-12-29", "label": "Fermeture"}


def test_verify_audit_reports_the_event_altered_in_the_database(db):
    events = record(5)
    target = events[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s",
            ["test.forged", target.pk],
        )
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit")
    message = str(excinfo.value)
    assert f"événement n° {target.seq} (id {target.pk})" in message
    assert "ne correspond plus à son empreinte" in message
    # The first broken event is named, not the ones before or after it.
    assert f"n° {target.seq + 1}" not in message


def test_verify_audit_reports_a_deleted_event(db):
    events = record(4)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match="événement n° 2 manque"):
        call_command("verify-audit")


def test_verify_audit_reports_events_cut_from_the_end(db):
    events = record(3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[2].pk])
    checked, broken = verify_chain()
    assert checked == 2
    assert broken is not None and broken.seq == 3


def test_an_event_appended_while_the_chain_is_walked_is_left_to_the_next_check(db):
    """What a check sees when a worker appends an event after the check read the head (the
    documents a file produced, kept after the demo's commit): the head one event behind."""
    events = record(3)
    AuditChainHead.objects.filter(id=1).update(last_seq=2, last_hash=events[1].hash)
    assert verify_chain() == (2, None)


def test_verify_audit_passes_on_an_intact_chain(db, capsys):
    record(3)
    call_command("verify-audit")
    assert "3 événements vérifiés" in capsys.readouterr().out


def test_verify_audit_exits_non_zero_from_the_console_script(db):
    from django.core.management import ManagementUtility

    events = record(2)
    AuditEvent.objects.filter(pk=events[0].pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET after = NULL WHERE id = %s", [events[0].pk]
        )
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["courtier", "verify-audit"]).execute()
    assert excinfo.value.code == 1


def test_events_cannot_be_updated_or_deleted_through_the_orm(db):
    (event,) = record(1)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.changed"


def test_events_cannot_be_added_changed_or_deleted_in_the_admin(db, people):
    request = RequestFactory().get("/admin/")
    request.user = people["broker_admin"]
    request.user.is_staff = request.user.is_superuser = True
    model_admin = site._registry[AuditEvent]
    (event,) = record(1)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
