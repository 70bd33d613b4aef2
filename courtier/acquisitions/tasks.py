"""Background work of acquisitions: the documents a file produces, rendered after the commit of
the change that produced them (a page never waits for a PDF), and the broker told of questions
suppliers left unanswered past their 3-business-day due date (004 §3.3.2).

The services queue this work; what it runs lives in the services (``services.documents``,
``services.overdue``), which never import this module back.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import task

from courtier.acquisitions.services.documents import generated_document_keep
from courtier.acquisitions.services.overdue import questions_report_overdue


@task()
def report_overdue_questions() -> int:
    """Flag the overdue questions and tell the broker, once each. Enqueued for the day after
    each question's due date; `courtier report-overdue-questions` runs it from cron too."""
    return questions_report_overdue()


@task()
def render_file_document(
    kind: str, file_id: int, source_id: int | None, by_id: int | None, key: str
) -> int | None:
    """Render one generated document of a file and keep it (``services.documents``): the id of
    the document kept. Run twice with the same ``key``, it keeps one document."""
    return generated_document_keep(
        kind=kind, file_id=file_id, source_id=source_id, by_id=by_id, key=key
    )


def render_after_commit(kind: str, *, file: Any, by: Any, source_id: int | None = None) -> str:
    """Queue the rendering of the file's document ``kind`` for after the commit of the current
    transaction (at once outside any): ``source_id`` is what it is made from (a run, a meeting,
    a strategy), ``by`` the person whose action produced it. Returns the document's key."""
    key = str(uuid.uuid4())
    transaction.on_commit(
        partial(
            render_file_document.enqueue,
            str(kind),
            file.pk,
            source_id,
            getattr(by, "pk", None),
            key,
        )
    )
    return key
