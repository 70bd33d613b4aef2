"""What the audit trail adds to the menu and to the home dashboard: its latest events."""

from __future__ import annotations

from typing import Any

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit.models import AuditEvent
from courtier.core import dashboard, navigation

RECENT_EVENTS_SHOWN = 8

navigation.entry("audit", lambda user: permissions.has_perm(user, Perm.VIEW_AUDIT))


@dashboard.contributor("audit")
def _board(user: Any) -> dict[str, Any]:
    events: list[AuditEvent] = []
    if permissions.has_perm(user, Perm.VIEW_AUDIT):
        scoped = permissions.scope(user, AuditEvent.objects.all()).order_by("-seq")
        events = list(scoped[:RECENT_EVENTS_SHOWN])
    return {"recent_events": events}
