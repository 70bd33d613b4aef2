"""The one place that answers "may this person see / change this object?" (DOMAIN §1).

Every view and API operation goes through ``require_view``, ``require_change``,
``require_perm`` or ``scope``. Access is decided by memberships only: a supplier's
representative sees its own organisation's data, a client's people their own body's,
the broker's staff everything; the auditor changes nothing.

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

from courtier.accounts.models import AccessRequest, ApiToken, Membership, Organisation, User
from courtier.accounts.rules import Perm, permissions_for
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    CandidateOffer,
    ComplianceRecord,
    FileDocument,
    FinancialAuthorisation,
    HeadAuthorisation,
    MemberConsumption,
    NeedLine,
    Requirement,
    Scenario,
    ScenarioRun,
    StartupMeeting,
    SupplierQuestion,
    Trial,
)
from courtier.audit.models import AuditEvent
from courtier.calendar.models import ClosureDay
from courtier.catalogue.models import (
    Category,
    DataCentre,
    FrameworkAgreement,
    Offer,
    PriceImport,
    PriceList,
    ProviderQualification,
    Qualification,
    SheetDraft,
    SheetVersion,
    StoredFile,
    Subscription,
    SupportingDocument,
    SupportingDocumentVersion,
)

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
    change: Callable[[Any, Grants, Any], bool]  # may change this (visible) object
    joins_many: bool = False  # the scope follows a to-many relation: rows may repeat


def _own_or_all(field: str) -> Callable[[Any, Grants], Q]:
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{field}__in": g.organisation_ids})

    return scope


def _organisation_scope(user: Any, g: Grants) -> Q:
    """One's own organisations and, for a group purchaser's people, its member bodies."""
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return Q(id__in=g.organisation_ids) | Q(group_purchasers__id__in=g.organisation_ids)


def _audit_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.VIEW_AUDIT):
        return Q()
    return Q(organisation_id__in=g.organisations_with(Perm.VIEW_AUDIT))


def _user_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return Q(pk=user.pk) | Q(memberships__organisation_id__in=g.organisation_ids)


def _catalogue_or_own(field: str) -> Callable[[Any, Grants], Q]:
    """The published Catalogue for public bodies and the broker (002 §2.1); a supplier or
    provider sees only its own rows (DOMAIN §1)."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.BROWSE_CATALOGUE):
            return Q()
        return Q(**{f"{field}__in": g.organisation_ids})

    return scope


def _drafts_scope(field: str) -> Callable[[Any, Grants], Q]:
    """Proposals: the broker's reviewers see all; a supplier only its own; clients none."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.PUBLISH_CATALOGUE) or (
            g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.VIEW_AUDIT)
        ):
            return Q()
        return Q(**{f"{field}__in": g.organisations_with(Perm.PROPOSE_SHEET)})

    return scope


def _may_edit_draft(user: Any, g: Grants, obj: Any) -> bool:
    return g.anywhere(Perm.PUBLISH_CATALOGUE) or obj.supplier_id in g.organisations_with(
        Perm.PROPOSE_SHEET
    )


def _published_prices(user: Any, g: Grants) -> Q:
    own = Q(supplier_id__in=g.organisations_with(Perm.PROPOSE_SHEET))
    if g.anywhere(Perm.PUBLISH_CATALOGUE):
        return Q()
    if g.anywhere(Perm.BROWSE_CATALOGUE):
        return Q(status="published") | own
    return Q(status="published", supplier_id__in=g.organisation_ids) | own


def _browsers(user: Any, g: Grants) -> Q:
    return Q() if g.anywhere(Perm.BROWSE_CATALOGUE) else Q(pk__in=[])


def _never(user: Any, g: Grants, obj: Any) -> bool:
    return False


def _publisher(user: Any, g: Grants, obj: Any) -> bool:
    return g.anywhere(Perm.PUBLISH_CATALOGUE)


def _files_scope(prefix: str) -> Callable[[Any, Grants], Q]:
    """Acquisition files (DOMAIN §1: clients see only their own files): the broker's staff see
    all; a client's people their body's files; a member body's people the group purchases it
    takes part in. Suppliers see none (they see the questions addressed to them)."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        clients = g.organisations_with(Perm.BROWSE_CATALOGUE)
        return Q(**{f"{prefix}client_id__in": clients}) | Q(
            **{f"{prefix}is_group_purchase": True, f"{prefix}client__members__id__in": clients}
        )

    return scope


def _runs_file(file: Any, g: Grants) -> bool:
    return file.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS)


def _file_part(field: str = "file") -> Policy:
    """A part of a file: visible with the file, changed by the people who run the file."""
    return Policy(
        scope=_files_scope(f"{field}__"),
        change=lambda user, g, obj: _runs_file(getattr(obj, field), g),
        joins_many=True,
    )


def _questions_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return _files_scope("file__")(user, g) | Q(
        supplier_id__in=g.organisations_with(Perm.ANSWER_QUESTIONS)
    )


POLICIES: dict[type[Model], Policy] = {
    Organisation: Policy(
        scope=_organisation_scope,
        change=lambda user, g, obj: g.anywhere(Perm.MANAGE_ORGANISATIONS),
        joins_many=True,
    ),
    Membership: Policy(
        scope=_own_or_all("organisation_id"),
        change=lambda user, g, obj: g.anywhere(Perm.MANAGE_ORGANISATIONS),
    ),
    AccessRequest: Policy(
        scope=lambda user, g: Q() if g.anywhere(Perm.SEE_ALL_ORGANISATIONS) else Q(pk__in=[]),
        change=lambda user, g, obj: g.anywhere(Perm.DECIDE_ACCESS_REQUESTS),
    ),
    ApiToken: Policy(
        scope=lambda user, g: Q(user_id=user.pk) if g.organisation_ids else Q(pk__in=[]),
        change=lambda user, g, obj: obj.user_id == user.pk,
    ),
    AuditEvent: Policy(scope=_audit_scope, change=lambda user, g, obj: False),
    User: Policy(scope=_user_scope, change=lambda user, g, obj: obj.pk == user.pk, joins_many=True),
    # The calendar is the same for everyone signed in; only the broker's admins change it.
    ClosureDay: Policy(
        scope=lambda user, g: Q(),
        change=lambda user, g, obj: g.anywhere(Perm.MANAGE_CALENDAR),
    ),
    # Catalogue. Published rows are written only by publication: nobody changes them directly.
    Category: Policy(scope=lambda user, g: Q(), change=_never),
    SheetVersion: Policy(scope=_catalogue_or_own("supplier_id"), change=_never),
    Offer: Policy(scope=_catalogue_or_own("supplier_id"), change=_never),
    DataCentre: Policy(scope=_catalogue_or_own("supplier_id"), change=_never),
    FrameworkAgreement: Policy(scope=_catalogue_or_own("organisation_id"), change=_publisher),
    ProviderQualification: Policy(scope=_catalogue_or_own("provider_id"), change=_publisher),
    Qualification: Policy(scope=lambda user, g: Q(), change=_publisher),
    SheetDraft: Policy(scope=_drafts_scope("supplier_id"), change=_may_edit_draft),
    PriceImport: Policy(
        scope=_drafts_scope("draft__supplier_id"),
        change=lambda user, g, obj: _may_edit_draft(user, g, obj.draft),
    ),
    PriceList: Policy(scope=_published_prices, change=_never),
    Subscription: Policy(
        scope=lambda user, g: Q(user_id=user.pk), change=lambda user, g, obj: obj.user_id == user.pk
    ),
    SupportingDocument: Policy(scope=_browsers, change=_publisher),
    SupportingDocumentVersion: Policy(scope=_browsers, change=_never),
    # Acquisitions (DOMAIN §3).
    AcquisitionFile: Policy(
        scope=_files_scope(""),
        change=lambda user, g, obj: _runs_file(obj, g),
        joins_many=True,
    ),
    NeedLine: _file_part(),
    MemberConsumption: Policy(
        scope=_files_scope("need__file__"),
        # A member body enters its own consumption; the group purchaser may correct it.
        change=lambda user, g, obj: (
            _runs_file(obj.need.file, g)
            or obj.member_id in g.organisations_with(Perm.RUN_ACQUISITIONS)
        ),
        joins_many=True,
    ),
    Requirement: _file_part(),
    CandidateOffer: _file_part(),
    ComplianceRecord: _file_part("candidate__file"),
    Trial: _file_part(),
    ScenarioRun: Policy(scope=_files_scope("file__"), change=_never, joins_many=True),
    Scenario: _file_part(),
    HeadAuthorisation: Policy(scope=_files_scope("file__"), change=_never, joins_many=True),
    FinancialAuthorisation: Policy(scope=_files_scope("file__"), change=_never, joins_many=True),
    StartupMeeting: Policy(
        scope=_files_scope("file__"),
        change=lambda user, g, obj: g.anywhere(Perm.MANAGE_ACQUISITIONS),
        joins_many=True,
    ),
    AcquisitionStrategy: Policy(scope=_files_scope("file__"), change=_never, joins_many=True),
    FileDocument: Policy(scope=_files_scope("file__"), change=_never, joins_many=True),
    SupplierQuestion: Policy(
        scope=_questions_scope,
        # Only the supplier it is addressed to answers it (004 §3.3.2).
        change=lambda user, g, obj: obj.supplier_id in g.organisations_with(Perm.ANSWER_QUESTIONS),
        joins_many=True,
    ),
    # Files are reached through what points at them (versions, documents), never listed alone.
    StoredFile: Policy(scope=_browsers, change=_never),
}


def _policy(model: type[Model]) -> Policy:
    try:
        return POLICIES[model]
    except KeyError:
        raise LookupError(f"no permission policy for {model.__name__}") from None


def scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of ``queryset`` this person may see (none for anonymous people)."""
    g = grants(user)
    if not g.organisation_ids:
        return queryset.none()
    policy = _policy(queryset.model)
    scoped = queryset.filter(policy.scope(user, g))
    return scoped.distinct() if policy.joins_many else scoped


def can_view(user: Any, obj: Model) -> bool:
    model = type(obj)
    return scope(user, model._default_manager.filter(pk=obj.pk)).exists()


def can_change(user: Any, obj: Model) -> bool:
    g = grants(user)
    return (
        g.anywhere(Perm.WRITE) and can_view(user, obj) and _policy(type(obj)).change(user, g, obj)
    )


def require_view(user: Any, obj: Model) -> None:
    if not can_view(user, obj):
        raise Http404


def require_change(user: Any, obj: Model) -> None:
    require_view(user, obj)
    if not can_change(user, obj):
        raise PermissionDenied


def require_perm(user: Any, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def get_visible_or_404(user: Any, queryset: QuerySet[Any], **lookup: Any) -> Any:
    obj = scope(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
