"""Emails go through the database task queue and its worker (django-tasks-db)."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from courtier.accounts import services


def test_a_queued_email_is_sent_by_the_database_worker(
    transactional_db, orgs, people, mailbox, settings
):
    # A real commit (the worker opens and closes its own connections).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.access_request_create(
        first_name="Louise",
        last_name="Tremblay",
        email="louise@test.example",
        organisation_id=orgs["client"].pk,
        role="client_head",
        reason="Besoin.",
    )
    # The receipt to the person and the notice to the broker's deciders.
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert mailbox.messages == []  # nothing is sent before a worker runs
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    subjects = sorted(m["Subject"].strip() for m in mailbox.messages)
    assert subjects == [
        "Courtier : nous avons reçu votre demande d'accès",
        "Nouvelle demande d'accès : Louise Tremblay (Ministère A)",
    ]


def test_a_rolled_back_change_sends_nothing(orgs, people, mailbox, run_on_commit):
    from django.db import transaction

    class Abort(Exception):
        pass

    try:
        with run_on_commit(), transaction.atomic():
            services.access_request_create(
                first_name="A",
                last_name="B",
                email="a@test.example",
                organisation_id=orgs["client"].pk,
                role="client_head",
                reason="x",
            )
            raise Abort
    except Abort:
        pass
    assert mailbox.messages == []
