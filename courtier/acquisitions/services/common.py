"""What every service module shares: the clock, the lock on the file, the step and permission
checks, the audit record, and the addresses emails go to. Package-private: only the modules of
``services`` import these."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.selectors import emails_with_roles
from courtier.acquisitions.messages import WRONG_STEP
from courtier.acquisitions.models import AcquisitionFile
from courtier.audit.services import audit_event_record


def _today() -> date:
    return timezone.localdate()


def _lock(file: AcquisitionFile) -> AcquisitionFile:
    return AcquisitionFile.objects.select_for_update().select_related("client").get(pk=file.pk)


def _require_state(file: AcquisitionFile, *states: str) -> None:
    if file.state not in states:
        raise ValidationError({"state": WRONG_STEP})


def _require_runs(by: Any, file: AcquisitionFile) -> None:
    """Only the people who run the file's client body change it (acquisitions.policies: the
    client's RUN_ACQUISITIONS, never an auditor, a signatory, another body or a supplier)."""
    if not permissions.can_change(by, file):
        raise PermissionDenied


def _record(by: Any, action: str, obj: Any, file: AcquisitionFile, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by, action=action, obj=obj, organisation=file.client_id, before=before, after=after
    )


def _touch(file: AcquisitionFile) -> None:
    file.updated_at = timezone.now()
    file.save(update_fields=["updated_at"])


def _file_url(file: AcquisitionFile) -> str:
    return reverse("acquisitions:file_detail", args=[file.pk])


def _client_emails(file: AcquisitionFile) -> list[str]:
    return emails_with_roles([Role.CLIENT_PROCUREMENT], file.client_id)
