"""What accounts adds to the menu and to the home dashboard: one's roles, the access requests
awaiting a decision, API tokens about to expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import permissions, selectors
from courtier.accounts.rules import Perm
from courtier.core import dashboard, navigation

TOKEN_EXPIRY_WARNING_DAYS = 14

navigation.entry(
    "access_requests", lambda user: permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS)
)


@dashboard.contributor("accounts")
def _board(user: Any) -> dict[str, Any]:
    now = timezone.now()
    soon = now + timedelta(days=TOKEN_EXPIRY_WARNING_DAYS)
    pending = None
    if permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS):
        pending = selectors.pending_access_request_count(user)
    return {
        "memberships": list(selectors.memberships_of(user)),
        "pending_access_requests": pending,
        "expiring_tokens": list(
            selectors.tokens_of(user).filter(
                revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=soon
            )
        ),
    }
