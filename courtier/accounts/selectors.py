"""Reads for organisations, people and access requests, always scoped by permissions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from courtier.accounts import permissions
from courtier.accounts.models import (
    AccessRequest,
    ApiToken,
    CalendarFeed,
    Membership,
    Organisation,
    Role,
)


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def access_requests(user: Any, *, status: str | None = None) -> QuerySet[AccessRequest]:
    qs = permissions.scope(user, AccessRequest.objects.select_related("organisation"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def organisations(user: Any, *, kind: str | None = None) -> QuerySet[Organisation]:
    qs = permissions.scope(user, Organisation.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def organisation_members(user: Any, organisation: Organisation) -> QuerySet[Membership]:
    return (
        permissions.scope(user, Membership.objects.all())
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return permissions.scope(user, ApiToken.objects.all()).order_by("-created_at")


def active_calendar_feed(user: Any) -> CalendarFeed | None:
    """The person's own calendar feed that still works (one at most: services.calendar_feed_*)."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def emails_with_roles(roles: Iterable[str], organisation: Any = None) -> list[str]:
    """Addresses of the active people holding one of ``roles`` (in ``organisation`` when given):
    whom a notification goes to."""
    rows = Membership.objects.filter(role__in=list(roles), user__is_active=True)
    if organisation is not None:
        rows = rows.filter(organisation_id=getattr(organisation, "pk", organisation))
    return sorted(set(rows.values_list("user__email", flat=True)))


def broker_staff_emails() -> list[str]:
    """The broker's administrators and agents: whom the broker's notifications go to."""
    return emails_with_roles([Role.BROKER_ADMIN, Role.BROKER_AGENT])


def organisations_with_role(user: Any, roles: Iterable[str]) -> dict[int, str]:
    """Active organisations (id -> name) where this person holds one of ``roles``: whose work
    awaits them (``core.workitems``)."""
    rows = Membership.objects.filter(
        user=user, role__in=list(roles), organisation__is_active=True
    ).values_list("organisation_id", "organisation__name")
    return dict(rows)
