"""Background work of specific contracts, after the commit of the change that calls for it: the
PDF of a contract or of an amendment, rendered from the broker's template and kept as a new
version of its document (002 §2.5 steps 5-6, §4.5; a page never waits for a PDF).

The services queue this work (``services.generation``); what it runs lives in
``services.rendering``, which never imports this module back."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from courtier.contracts.services.rendering import amendment_document_keep, contract_document_keep


@task()
def contract_document_render(
    contract_id: int, by_id: int | None, asked_at: str | None = None
) -> int | None:
    """Render the contract and keep it: the id of the version kept (None when there was nothing
    to do: the contract left preparation, or a rendering begun after ``asked_at`` covers it)."""
    return contract_document_keep(contract_id=contract_id, by_id=by_id, asked_at=asked_at)


@task()
def amendment_document_render(
    amendment_id: int, by_id: int | None, asked_at: str | None = None
) -> int | None:
    return amendment_document_keep(amendment_id=amendment_id, by_id=by_id, asked_at=asked_at)


def render_after_commit(render: Task[Any, Any], pk: int, *, by: Any) -> None:
    """Queue ``render`` of the instrument ``pk`` for after the commit of the current transaction,
    as ``by``, stamped with the moment it was asked for."""
    asked_at = timezone.now().isoformat()
    transaction.on_commit(partial(render.enqueue, pk, getattr(by, "pk", None), asked_at))
