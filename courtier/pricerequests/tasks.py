"""Background work of service acquisitions, after the commit of the change that calls for it: the
emails to solicited providers, each alone, with the request's PDF rendered and kept in the store
(002 §3.3.3), and the non-participation questionnaires asked for (002 §3.5; `courtier
remind-non-participation` chases them, from cron).

The services queue this work; what it runs lives in ``services.documents`` and
``services.responses``, which never import this module back."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import task

from courtier.pricerequests.services.documents import (
    non_participation_emails_send,
    solicitation_emails_send,
)


@task()
def email_solicited_providers(request_id: int, kind: str, by_id: int | None) -> int:
    return solicitation_emails_send(request_id=request_id, kind=kind, by_id=by_id)


@task()
def email_non_participation(request_id: int) -> int:
    return non_participation_emails_send(request_id=request_id)


def solicitation_email_after_commit(request: Any, *, kind: str, by: Any) -> None:
    transaction.on_commit(
        partial(email_solicited_providers.enqueue, request.pk, kind, getattr(by, "pk", None))
    )


def non_participation_email_after_commit(request: Any, *, by: Any) -> None:
    transaction.on_commit(partial(email_non_participation.enqueue, request.pk))
