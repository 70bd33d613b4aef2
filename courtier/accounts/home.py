"""What accounts adds to the menu, to the home dashboard (one's roles) and to what awaits each
person (``core.workitems``): the access requests awaiting a decision, API tokens about to
expire."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts import permissions, selectors
from courtier.accounts.models import AccessRequestStatus
from courtier.accounts.rules import Perm
from courtier.core import dashboard, navigation, workitems
from courtier.core.workitems import Awaits, WorkItem

TOKEN_EXPIRY_WARNING_DAYS = 14

navigation.entry(
    "access_requests", lambda user: permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS)
)


@dashboard.contributor("accounts")
def _board(user: Any) -> dict[str, Any]:
    return {"memberships": list(selectors.memberships_of(user))}


@workitems.provider("accounts")
def work_items(user: Any) -> Iterable[WorkItem]:
    items: list[WorkItem] = []
    if permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS) and permissions.has_perm(
        user, Perm.WRITE
    ):
        # 002 §2.1: the broker's agents approve or refuse each request for an account.
        for r in selectors.access_requests(user, status=AccessRequestStatus.PENDING):
            items.append(
                WorkItem(
                    key=f"accounts.access_request:{r.pk}",
                    title=_("Décider de la demande d'accès : %(name)s") % {"name": r.full_name},
                    url=reverse("accounts:access_request_detail", args=[r.pk]),
                    kind=_("Demande d'accès"),
                    detail=f"{r.organisation.name} — {r.get_role_display()}",
                    organisation=_("Courtier"),
                )
            )
    now = timezone.now()
    soon = now + timedelta(days=TOKEN_EXPIRY_WARNING_DAYS)
    for t in selectors.tokens_of(user).filter(
        revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=soon
    ):
        items.append(
            WorkItem(
                key=f"accounts.api_token:{t.pk}",
                title=_("Remplacer le jeton d'API « %(name)s » avant son expiration")
                % {"name": t.name},
                url=reverse("accounts:account") + "#jetons",
                kind=_("Jeton d'API"),
                due_on=timezone.localdate(t.expires_at),
                awaits=Awaits.PERSON,
            )
        )
    return items
