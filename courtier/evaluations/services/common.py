"""What the services of evaluations share: the clock, the audit record, the French texts and the
addresses emails go to. Package-private."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtier.accounts.rules import ACQUISITION_RUNNERS
from courtier.accounts.selectors import emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.evaluations import policies, rules
from courtier.evaluations.messages import TEXT_TOO_LONG

# The client's people who run its acquisitions (DOMAIN §1: contracts.policies.runs_contract).


def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _record(by: Any, action: str, obj: Any, organisation: Any, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by, action=action, obj=obj, organisation=organisation, before=before, after=after
    )


def _text(errors: dict[str, Any], name: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > rules.MAX_COMMENT_LENGTH:
        errors[name] = str(TEXT_TOO_LONG).format(limit=rules.MAX_COMMENT_LENGTH)
    return value


def require_broker(by: Any) -> None:
    if not policies.is_broker_agent(by):
        raise PermissionDenied


def client_emails(client_id: int) -> list[str]:
    return emails_with_roles(list(ACQUISITION_RUNNERS), client_id)


def refuse(field: str, message: Any) -> None:
    raise ValidationError({field: message})
