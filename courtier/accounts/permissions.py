"""The permission engine: "may this person see / change this object?" (DOMAIN §1).

Every view and API operation goes through ``require_view``, ``require_change``,
``require_perm``, ``scope`` or ``get_visible_or_404``. Access is decided by memberships only: a
supplier's representative sees its own organisation's data, a client's people their own body's,
the broker's staff everything; the auditor changes nothing.

Each app declares the policy of each of its models in its own ``policies`` module (imported when
the app is ready) with ``register``; this module knows no other app's models. A policy's
``change`` never holds for an object its ``scope`` hides (tests/test_permission_matrix.py checks
it), so deciding a change costs no query: a request reads visibility once (the selector's
``scope``) and the service's ``require_change`` is a check of the grants already read.

Objects another person may not see answer 404 (their existence is not disclosed);
objects one may see but not change answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from courtier.accounts.models import Membership
from courtier.accounts.rules import Perm, permissions_for

_CACHE_ATTR = "_courtier_perms"


@dataclass(frozen=True)
class Grants:
    """What one person holds: organisation id -> capabilities in that organisation."""

    by_organisation: dict[int, frozenset[Perm]]

    @property
    def organisation_ids(self) -> set[int]:
        return set(self.by_organisation)

    def anywhere(self, perm: Perm) -> bool:
        return any(perm in perms for perms in self.by_organisation.values())

    def organisations_with(self, perm: Perm) -> set[int]:
        return {org for org, perms in self.by_organisation.items() if perm in perms}


NO_GRANTS = Grants({})


def grants(user: Any) -> Grants:
    """Memberships of a signed-in, active person, read once per request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_GRANTS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    by_org: dict[int, set[Perm]] = {}
    rows = Membership.objects.filter(user=user, organisation__is_active=True).values_list(
        "organisation_id", "organisation__kind", "role"
    )
    for org_id, kind, role in rows:
        by_org.setdefault(org_id, set()).update(permissions_for(role, kind))
    result = Grants({org: frozenset(perms) for org, perms in by_org.items()})
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: Any) -> None:
    """Drop the cached grants (after a membership change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_perm(user: Any, perm: Perm) -> bool:
    return grants(user).anywhere(perm)


# --- per-model policies ------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    scope: Callable[[Any, Grants], Q]  # rows of the model the person may see
    # May change this object; never true of an object ``scope`` hides (checked by the tests).
    change: Callable[[Any, Grants, Any], bool]
    joins_many: bool = False  # the scope follows a to-many relation: rows may repeat


_POLICIES: dict[type[Model], Policy] = {}


def register(model: type[Model], policy: Policy) -> None:
    """Declare who sees and who changes ``model`` (from the app that owns the model)."""
    if model in _POLICIES and _POLICIES[model] != policy:
        raise LookupError(f"a permission policy for {model.__name__} exists already")
    _POLICIES[model] = policy


def registered_models() -> list[type[Model]]:
    return sorted(_POLICIES, key=lambda m: m._meta.label)


def policy_for(model: type[Model]) -> Policy:
    try:
        return _POLICIES[model]
    except KeyError:
        raise LookupError(f"no permission policy for {model.__name__}") from None


# Building blocks for the apps' policies.


def everyone(user: Any, g: Grants) -> Q:
    return Q()


def nobody(user: Any, g: Grants) -> Q:
    return Q(pk__in=[])


def never(user: Any, g: Grants, obj: Any) -> bool:
    return False


def own_or_all(field: str) -> Callable[[Any, Grants], Q]:
    """The broker's staff see every row; the others the rows of their own organisations."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{field}__in": g.organisation_ids})

    return scope


def all_to(perm: Perm) -> Callable[[Any, Grants], Q]:
    """Every row, for whoever holds ``perm`` in one of their organisations; none for the rest."""
    return lambda user, g: Q() if g.anywhere(perm) else Q(pk__in=[])


def holding(perm: Perm) -> Callable[[Any, Grants, Any], bool]:
    """May change: whoever holds ``perm`` in one of their organisations."""
    return lambda user, g, obj: g.anywhere(perm)


# --- the engine ---------------------------------------------------------------------------


def scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of ``queryset`` this person may see (none for anonymous people)."""
    g = grants(user)
    if not g.organisation_ids:
        return queryset.none()
    policy = policy_for(queryset.model)
    scoped = queryset.filter(policy.scope(user, g))
    return scoped.distinct() if policy.joins_many else scoped


def can_view(user: Any, obj: Model) -> bool:
    model = type(obj)
    return scope(user, model._default_manager.filter(pk=obj.pk)).exists()


def can_change(user: Any, obj: Model) -> bool:
    """No query: a policy's ``change`` implies its ``scope`` (see the module's docstring)."""
    g = grants(user)
    return g.anywhere(Perm.WRITE) and policy_for(type(obj)).change(user, g, obj)


def require_view(user: Any, obj: Model) -> None:
    if not can_view(user, obj):
        raise Http404


def require_change(user: Any, obj: Model) -> None:
    """403 for a visible object one may not change, 404 for one one may not see; the object's
    visibility is read only when the change is refused."""
    if can_change(user, obj):
        return
    require_view(user, obj)
    raise PermissionDenied


def require_perm(user: Any, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def get_visible_or_404(user: Any, queryset: QuerySet[Any], **lookup: Any) -> Any:
    obj = scope(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
