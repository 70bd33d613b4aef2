"""What every service module shares: the clock, the locks, the permission checks, the audit
record and the addresses emails go to. Package-private: only the modules of ``services`` import
these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.selectors import emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.pricerequests.messages import TEXT_TOO_LONG, WRONG_STEP
from courtier.pricerequests.models import PriceRequest, ServiceFile


def _now() -> datetime:
    return timezone.now()


def _lock_file(file: ServiceFile) -> ServiceFile:
    return ServiceFile.objects.select_for_update().get(pk=file.pk)


def _lock_request(request: PriceRequest) -> PriceRequest:
    return (
        PriceRequest.objects.select_for_update()
        .select_related("file", "template")
        .get(pk=request.pk)
    )


def _require_state(file: ServiceFile, *states: str) -> None:
    if file.state not in states:
        raise ValidationError({"state": WRONG_STEP})


def _require_change(by: Any, obj: Any) -> None:
    if not permissions.can_change(by, obj):
        raise PermissionDenied


def _record(by: Any, action: str, obj: Any, file: ServiceFile, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by, action=action, obj=obj, organisation=file.client_id, before=before, after=after
    )


def _touch(file: ServiceFile) -> None:
    file.updated_at = timezone.now()
    file.save(update_fields=["updated_at"])


def _text(errors: dict[str, Any], field: str, value: str, limit: int) -> str:
    """A text kept stripped; one over ``limit`` characters is refused on its field."""
    value = (value or "").strip()
    if len(value) > limit:
        errors[field] = str(TEXT_TOO_LONG).format(limit=limit)
    return value


def file_url(file: ServiceFile) -> str:
    return reverse("pricerequests:file_detail", args=[file.pk])


def client_emails(file: ServiceFile) -> list[str]:
    return emails_with_roles([Role.CLIENT_PROCUREMENT], file.client_id)


def provider_emails(provider_id: int, contacts: list[dict[str, str]]) -> list[str]:
    """A provider's contacts from the Catalogue and its representatives on the platform."""
    emails = {c["email"] for c in contacts if c.get("email")}
    return sorted(emails | set(emails_with_roles([Role.PROVIDER_REP], provider_id)))
