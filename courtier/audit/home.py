"""What the audit trail adds to the menu, to the home dashboard (its latest events) and to what
awaits each person (``core.workitems``): the periodic check of its integrity, for its auditors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit import verification
from courtier.audit.models import AuditEvent
from courtier.core import dashboard, navigation, workitems
from courtier.core.workitems import WorkItem

RECENT_EVENTS_SHOWN = 8

navigation.entry("audit", lambda user: permissions.has_perm(user, Perm.VIEW_AUDIT))


@dashboard.contributor("audit")
def _board(user: Any) -> dict[str, Any]:
    events: list[AuditEvent] = []
    if permissions.has_perm(user, Perm.VIEW_AUDIT):
        scoped = permissions.scope(user, AuditEvent.objects.all()).order_by("-seq")
        events = list(scoped[:RECENT_EVENTS_SHOWN])
    return {"recent_events": events}


@workitems.provider("audit")
def work_items(user: Any) -> Iterable[WorkItem]:
    # The check is the auditors' part (they read everything and change nothing); the broker's
    # other staff may run it too, but it does not await them.
    if not verification.may_verify(user) or permissions.has_perm(user, Perm.WRITE):
        return []
    due_on = verification.verification_due_on(timezone.localdate())
    if due_on is None:
        return []
    return [
        WorkItem(
            key=f"audit.chain_verification:{due_on.isoformat()}",
            title=_("Vérifier l'intégrité du journal d'audit"),
            url=reverse("audit:event_list"),
            kind=_("Contrôle du journal d'audit"),
            due_on=due_on,
            detail=_("Au moins tous les %(n)s jours.")
            % {"n": settings.AUDIT_VERIFICATION_INTERVAL_DAYS},
            organisation=_("Courtier"),
        )
    ]
