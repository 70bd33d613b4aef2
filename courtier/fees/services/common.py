"""What the fee services share: who may act, the audit event, the emails to a client's people
who see its invoices."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from courtier.accounts.models import Role
from courtier.accounts.selectors import emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.fees import policies

# The client's people told of its invoices: its finances and its acquisitions.
CLIENT_BILLING_ROLES = (Role.CLIENT_FINANCE, Role.CLIENT_PROCUREMENT)
SUPPLIER_ROLES = (Role.SUPPLIER_REP, Role.PROVIDER_REP)


def require_biller(by: Any) -> None:
    if by is not None and not policies.bills(by):
        raise PermissionDenied


def require_grid_keeper(by: Any) -> None:
    if not policies.keeps_grid(by):
        raise PermissionDenied


def record(by: Any, action: str, obj: Any, organisation: Any, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by, action=action, obj=obj, organisation=organisation, before=before, after=after
    )


def client_emails(client_id: int) -> list[str]:
    return emails_with_roles(CLIENT_BILLING_ROLES, client_id)


def supplier_emails(supplier_id: int) -> list[str]:
    return emails_with_roles(SUPPLIER_ROLES, supplier_id)
