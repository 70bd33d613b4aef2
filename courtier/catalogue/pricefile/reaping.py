"""Imports that can no longer end by themselves (issue 11 §3): their task failed (django-tasks
says FAILED: the worker caught an error the import could not record) or their worker died (the
import has been running with no progress for ``PRICE_IMPORT_STALLED_MINUTES``). Each ends as
failed with a French message, never "running" forever.

Called when an import's page is read (``price_import_reap_one``) and by ``courtier reap-imports``
(cron, every few minutes: an import nobody looks at is ended too). A still-queued import is left
alone unless its task failed: it may only be waiting behind others."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from courtier.catalogue.models import ImportStatus, PriceImport
from courtier.catalogue.pricefile.importing import Refused, record_failure
from courtier.catalogue.pricefile.messages import STALLED, WORKER_FAILED
from courtier.catalogue.pricefile.tasks import run_price_import

OPEN = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def _task_failed(price_import: PriceImport) -> bool:
    if not price_import.task_id:
        return False
    try:
        result = run_price_import.get_result(price_import.task_id)
    except (TaskResultDoesNotExist, ValueError, NotImplementedError):
        return False
    return result.status == TaskResultStatus.FAILED


def _stalled(price_import: PriceImport, now: datetime) -> bool:
    if price_import.status != ImportStatus.RUNNING:
        return False
    last = price_import.progress_at or price_import.started_at or price_import.created_at
    return now - last > timedelta(minutes=settings.PRICE_IMPORT_STALLED_MINUTES)


def _why(price_import: PriceImport, now: datetime) -> str | None:
    if _task_failed(price_import):
        return str(WORKER_FAILED)
    if _stalled(price_import, now):
        return str(STALLED % {"minutes": settings.PRICE_IMPORT_STALLED_MINUTES})
    return None


@transaction.atomic
def _end(pk: int, now: datetime) -> bool:
    price_import = (
        # Only the import's own row is locked: its file may have been disposed of (a nullable
        # join PostgreSQL refuses to lock), and a draft is never changed from here.
        PriceImport.objects.select_for_update(of=("self",))
        .select_related("draft__supplier", "file")
        .filter(pk=pk, status__in=OPEN)
        .first()
    )
    if price_import is None:
        return False
    why = _why(price_import, now)
    if why is None:
        return False
    record_failure(None, price_import, Refused.because(why), price_import.rows_done)
    return True


def price_import_reap_one(price_import: PriceImport) -> PriceImport:
    """The import, ended as failed first if it can no longer end by itself."""
    if price_import.status in OPEN and _why(price_import, timezone.now()) is not None:
        _end(price_import.pk, timezone.now())
        price_import.refresh_from_db()
    return price_import


def price_imports_reap() -> list[int]:
    """End every import that can no longer end by itself; the ids of those ended."""
    now = timezone.now()
    ended = []
    for pk in PriceImport.objects.filter(status__in=OPEN).values_list("pk", flat=True):
        if _end(pk, now):
            ended.append(pk)
    return ended
