"""The documents a file produces are rendered after the commit of the change that produced them,
by the task acquisitions.tasks.render_file_document, never inside the change's locked
transaction (a page never waits for a PDF); the task keeps each document once, as the person
whose action produced it, with the same audit event as a document a person joins."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from courtier.acquisitions import rules, tasks
from courtier.acquisitions.models import DocumentKind, StartupMeeting
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import transitions as transitions_services
from courtier.audit.models import AuditEvent
from courtier.core.formatting import long_date
from courtier.documents.models import Document
from tests.acquisitions.factories import choose, file_at, new_file, reload, schedule_meeting
from tests.core.test_pdf import assert_pdfa


def kept_events(document: Document) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="document.kept", object_id=str(document.pk)))


def test_a_move_keeps_its_document_only_once_the_change_has_committed(
    orgs, people, offers, django_capture_on_commit_callbacks
):
    by = people["client_procurement"]
    file = new_file(by=by, client=orgs["client"])
    # At the end of the block, the commit: the task is enqueued and (immediate backend) run.
    with django_capture_on_commit_callbacks(execute=True):
        transitions_services.file_transition(by=by, file=file, action=rules.Action.SUBMIT_NEEDS)
        assert reload(file).state == rules.State.CATALOGUE
        assert not file.documents.exists()  # nothing is rendered in the move's transaction
    kept = file.documents.get()
    assert (kept.type, kept.created_by) == (DocumentKind.NEEDS, by)
    assert kept.key  # made by the service that queued it
    [event] = kept_events(kept)
    assert event.actor == by
    assert event.after["sha256"] == kept.stored.sha256
    with kept.stored.file.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == kept.stored.sha256
    assert_pdfa(content, title="Définition des besoins")  # issue 11, point 2


def test_the_task_run_twice_with_one_key_keeps_one_document(orgs, people, offers):
    by = people["client_procurement"]
    file = file_at(rules.State.CATALOGUE, by=by, client=orgs["client"])
    assert not file.documents.exists()
    key = "a-key-made-by-the-service"
    first = tasks.render_file_document.call(DocumentKind.NEEDS, file.pk, None, by.pk, key)
    second = tasks.render_file_document.call(DocumentKind.NEEDS, file.pk, None, by.pk, key)
    kept = file.documents.get()
    assert first == second == kept.pk
    assert len(kept_events(kept)) == 1


def test_an_agenda_is_rendered_for_the_meeting_convened_last_only(
    orgs, people, offers, django_capture_on_commit_callbacks
):
    """A meeting convened again replaces the first: its agenda, still queued, is not kept."""
    by, broker = people["client_procurement"], people["broker_agent"]
    file = file_at(rules.State.STARTUP, by=by, client=orgs["client"])
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule_meeting(file, by=broker)
        schedule_meeting(file, by=broker, when=first.scheduled_for + timedelta(days=1))
    meeting = StartupMeeting.objects.get(file=file)
    agenda = file.documents.get(type=DocumentKind.AGENDA)
    assert agenda.title == (
        "Ordre du jour de la rencontre de démarrage du "
        f"{long_date(meeting.scheduled_for)}"  # « 4 mars 2027 »: the one date format
    )
    assert agenda.created_by == broker


def test_the_database_worker_renders_a_document_queued_by_a_committed_change(
    transactional_db, orgs, people, settings
):
    # A real commit, as in production: the task waits in the queue for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    by = people["client_procurement"]
    file = needs_services.file_create(by=by, client=orgs["client"], title="Courriel")
    renders = DBTaskResult.objects.filter(task_path__endswith="render_file_document")
    with transaction.atomic():
        key = tasks.render_after_commit(DocumentKind.NEEDS, file=file, by=by)
        assert not renders.exists()  # queued when the change commits, not before
    assert renders.get().status == "READY"
    assert not file.documents.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert renders.get().status == "SUCCESSFUL"
    kept = file.documents.get()
    assert (kept.type, kept.key, kept.created_by) == (DocumentKind.NEEDS, key, by)
    assert kept.stored.size > 0


def test_choosing_a_scenario_produces_the_comparison_again_with_the_choice_marked(
    orgs, people, offers, django_capture_on_commit_callbacks
):
    """Issue 10 §7: the comparison is the choice support (002 §2.4.1): rendered when the
    scenarios are computed, and again, the chosen scenario marked, once one is chosen."""
    by = people["client_procurement"]
    with django_capture_on_commit_callbacks(execute=True):
        file = file_at(rules.State.CHOICE, by=by, client=orgs["client"], choice=None)
    comparisons = (DocumentKind.COMPARISON_XLSX, DocumentKind.COMPARISON_PDF)
    before = list(file.documents.filter(type__in=comparisons).order_by("pk"))
    assert len(before) == 2
    assert all("choisi" not in d.title for d in before)
    with django_capture_on_commit_callbacks(execute=True):
        chosen = choose(file, by=by)
        assert file.documents.filter(type__in=comparisons).count() == 2  # after the commit
    after = list(file.documents.filter(type__in=comparisons).exclude(pk__in=[d.pk for d in before]))
    assert {d.type for d in after} == set(comparisons)
    for document in after:
        assert document.title.endswith(f"scénario choisi : {chosen.supplier.name}")
        assert document.created_by == by
