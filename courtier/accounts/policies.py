"""Who sees and changes organisations, memberships, access requests, people and tokens
(DOMAIN §1)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts.models import (
    AccessRequest,
    ApiToken,
    CalendarFeed,
    DigestSent,
    Membership,
    Organisation,
    User,
)
from courtier.accounts.permissions import (
    Grants,
    Policy,
    holding,
    never,
    nobody,
    own_or_all,
    register,
)
from courtier.accounts.rules import Perm


def _organisation_scope(user: Any, g: Grants) -> Q:
    """One's own organisations and, for a group purchaser's people, its member bodies."""
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return Q(id__in=g.organisation_ids) | Q(group_purchasers__id__in=g.organisation_ids)


def _user_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return Q(pk=user.pk) | Q(memberships__organisation_id__in=g.organisation_ids)


register(
    Organisation,
    Policy(scope=_organisation_scope, change=holding(Perm.MANAGE_ORGANISATIONS), joins_many=True),
)
register(
    Membership,
    Policy(scope=own_or_all("organisation_id"), change=holding(Perm.MANAGE_ORGANISATIONS)),
)
register(
    AccessRequest,
    Policy(
        scope=lambda user, g: Q() if g.anywhere(Perm.SEE_ALL_ORGANISATIONS) else nobody(user, g),
        change=holding(Perm.DECIDE_ACCESS_REQUESTS),
    ),
)
# Tokens are personal: one sees and revokes only one's own.
register(
    ApiToken,
    Policy(
        scope=lambda user, g: Q(user_id=user.pk) if g.organisation_ids else nobody(user, g),
        change=lambda user, g, obj: obj.user_id == user.pk,
    ),
)
register(
    User,
    Policy(scope=_user_scope, change=lambda user, g, obj: obj.pk == user.pk, joins_many=True),
)

# A calendar feed is personal too; the digest log is read by no page.
register(
    CalendarFeed,
    Policy(
        scope=lambda user, g: Q(user_id=user.pk) if g.organisation_ids else nobody(user, g),
        change=lambda user, g, obj: obj.user_id == user.pk,
    ),
)
register(DigestSent, Policy(scope=nobody, change=never))
