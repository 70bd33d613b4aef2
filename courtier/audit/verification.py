"""The broker's check of the trail's integrity from its pages: the hash chain walked to its head
and the result recorded as an event of its own, so that the trail says who checked it, when,
and what was found. ``courtier verify-audit`` walks the same chain from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import ChainBreak, verify_chain
from courtier.audit.services import audit_event_record

CHAIN_VERIFIED = "audit.chain_verified"


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: ChainBreak | None


def may_verify(user: Any) -> bool:
    """The broker's staff who read the whole trail (its auditors first of all) may check it."""
    return permissions.has_perm(user, Perm.VIEW_AUDIT) and permissions.has_perm(
        user, Perm.SEE_ALL_ORGANISATIONS
    )


def audit_chain_verify(*, by: Any) -> Verification:
    """Walk the chain, then record what was found (a read-only check: the auditor, who changes
    nothing else, may run it)."""
    if not may_verify(by):
        raise PermissionDenied
    checked, broken = verify_chain()
    with transaction.atomic():
        audit_event_record(
            actor=by,
            action=CHAIN_VERIFIED,
            object_type="audit.auditchainhead",
            object_id="1",
            after={
                "checked": checked,
                "intact": broken is None,
                "broken_seq": broken.seq if broken is not None else None,
            },
        )
    return Verification(checked, broken)


def last_verified_on() -> date | None:
    """The day of the latest check recorded from the pages, if any."""
    event = AuditEvent.objects.filter(action=CHAIN_VERIFIED).order_by("-seq").first()
    return timezone.localdate(event.created_at) if event is not None else None


def verification_due_on(today: date) -> date | None:
    """When the next check is due: ``AUDIT_VERIFICATION_INTERVAL_DAYS`` after the last one (the
    broker's own control, not a rule of the seeds); today when the chain was never checked;
    None while the last check is recent enough that nothing awaits."""
    last = last_verified_on()
    if last is None:
        return today
    due = last + timedelta(days=settings.AUDIT_VERIFICATION_INTERVAL_DAYS)
    warn_from = due - timedelta(days=settings.AUDIT_VERIFICATION_NOTICE_DAYS)
    return due if today >= warn_from else None
