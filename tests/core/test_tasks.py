"""Emails go through the database task queue and its worker (django-tasks-db)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tests.factories import make_access_request


def test_a_queued_email_is_sent_by_the_database_worker(
    transactional_db, orgs, people, mailbox, settings
):
    # A real commit (the worker opens and closes its own connections).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_access_request(orgs["client"], first_name="Louise", last_name="Tremblay")
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
    class Abort(Exception):
        pass

    with pytest.raises(Abort), run_on_commit(), transaction.atomic():
        make_access_request(orgs["client"])
        raise Abort
    assert mailbox.messages == []
