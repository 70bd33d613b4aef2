"""Who reads the audit trail: the broker's auditors and staff all of it, a body's auditor its
own organisation's events (DOMAIN §1). Nobody changes it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.audit.models import AuditEvent


def _audit_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.VIEW_AUDIT):
        return Q()
    return Q(organisation_id__in=g.organisations_with(Perm.VIEW_AUDIT))


register(AuditEvent, Policy(scope=_audit_scope, change=never))
