"""What the home dashboard shows each person, by role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts import selectors as account_selectors
from courtier.accounts.rules import Perm
from courtier.audit.models import AuditEvent
from courtier.calendar import rules as calendar_rules
from courtier.calendar.selectors import NonBusinessDay, non_business_weekdays

TOKEN_EXPIRY_WARNING_DAYS = 14
UPCOMING_DAYS_SHOWN = 4
RECENT_EVENTS_SHOWN = 8


@dataclass
class Dashboard:
    memberships: list[Any]
    fiscal_year: calendar_rules.FiscalYear
    fiscal_quarter: calendar_rules.FiscalQuarter
    upcoming_closed_days: list[NonBusinessDay]
    pending_access_requests: int | None = None
    recent_events: list[AuditEvent] = field(default_factory=list)
    expiring_tokens: list[Any] = field(default_factory=list)
    # Catalogue: proposals submitted for review (broker reviewers), open ones (suppliers).
    sheet_drafts_to_review: int | None = None
    open_sheet_drafts: list[Any] = field(default_factory=list)


def dashboard_for(user: Any) -> Dashboard:
    today = timezone.localdate()
    fiscal_year = calendar_rules.fiscal_year(today)
    days = [
        d
        for fy in (fiscal_year, calendar_rules.FiscalYear(fiscal_year.start_year + 1))
        for d in non_business_weekdays(fy)
        if d.day >= today
    ][:UPCOMING_DAYS_SHOWN]
    board = Dashboard(
        memberships=list(account_selectors.memberships_of(user)),
        fiscal_year=fiscal_year,
        fiscal_quarter=calendar_rules.fiscal_quarter(today),
        upcoming_closed_days=days,
    )
    if permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS):
        board.pending_access_requests = account_selectors.pending_access_request_count(user)
    if permissions.has_perm(user, Perm.VIEW_AUDIT):
        events = permissions.scope(user, AuditEvent.objects.all()).order_by("-seq")
        board.recent_events = list(events[:RECENT_EVENTS_SHOWN])
    _catalogue_box(user, board)
    soon = timezone.now() + timedelta(days=TOKEN_EXPIRY_WARNING_DAYS)
    board.expiring_tokens = list(
        account_selectors.tokens_of(user).filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), expires_at__lte=soon
        )
    )
    return board


def _catalogue_box(user: Any, board: Dashboard) -> None:
    from courtier.catalogue import rules as catalogue_rules
    from courtier.catalogue.models import SheetDraft

    drafts = permissions.scope(user, SheetDraft.objects.select_related("supplier"))
    if permissions.has_perm(user, Perm.PUBLISH_CATALOGUE):
        board.sheet_drafts_to_review = drafts.filter(status="submitted").count()
    elif permissions.has_perm(user, Perm.PROPOSE_SHEET):
        board.open_sheet_drafts = list(
            drafts.filter(status__in=catalogue_rules.OPEN_DRAFT_STATES).order_by("supplier__name")
        )
