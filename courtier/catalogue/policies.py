"""Who sees and changes the Catalogue (DOMAIN §1-2; 002 §2.1): public bodies and the broker see
what is published; a supplier or provider only its own rows; proposals are the broker's
reviewers' and their own supplier's. Published rows are written only by publication: nobody
changes them directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import (
    Grants,
    Policy,
    all_to,
    everyone,
    holding,
    never,
    register,
)
from courtier.accounts.rules import Perm
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
    Subscription,
    SupportingDocument,
    SupportingDocumentVersion,
)
from courtier.catalogue.rules import Actor


def catalogue_or_own(field: str) -> Callable[[Any, Grants], Q]:
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


def may_see_drafts(user: Any) -> bool:
    """Who has the proposals' queue: the broker's reviewers and auditors, suppliers' people."""
    return (
        permissions.has_perm(user, Perm.PUBLISH_CATALOGUE)
        or permissions.has_perm(user, Perm.PROPOSE_SHEET)
        or (
            permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)
            and permissions.has_perm(user, Perm.VIEW_AUDIT)
        )
    )


def draft_actors(user: Any, draft: SheetDraft) -> frozenset[Actor]:
    """Whom ``user`` may act as in the review of ``draft`` (rules.DRAFT_TRANSITIONS; no query
    beyond the person's grants): the broker's reviewers as the broker and on the supplier's
    behalf, the supplier's people as the supplier; the system (no user: the demo, commands)
    as either."""
    if user is None:
        return frozenset(Actor)
    g = permissions.grants(user)
    if g.anywhere(Perm.PUBLISH_CATALOGUE):
        return frozenset(Actor)
    if draft.supplier_id in g.organisations_with(Perm.PROPOSE_SHEET):
        return frozenset({Actor.SUPPLIER})
    return frozenset()


_publisher = holding(Perm.PUBLISH_CATALOGUE)
_browsers = all_to(Perm.BROWSE_CATALOGUE)  # supporting documents: public bodies and the broker

register(Category, Policy(scope=everyone, change=never))
register(SheetVersion, Policy(scope=catalogue_or_own("supplier_id"), change=never))
register(Offer, Policy(scope=catalogue_or_own("supplier_id"), change=never))
register(DataCentre, Policy(scope=catalogue_or_own("supplier_id"), change=never))
register(FrameworkAgreement, Policy(scope=catalogue_or_own("organisation_id"), change=_publisher))
register(ProviderQualification, Policy(scope=catalogue_or_own("provider_id"), change=_publisher))
register(Qualification, Policy(scope=everyone, change=_publisher))
register(SheetDraft, Policy(scope=_drafts_scope("supplier_id"), change=_may_edit_draft))
register(
    PriceImport,
    Policy(
        scope=_drafts_scope("draft__supplier_id"),
        change=lambda user, g, obj: _may_edit_draft(user, g, obj.draft),
    ),
)
register(PriceList, Policy(scope=_published_prices, change=never))
register(
    Subscription,
    Policy(
        scope=lambda user, g: Q(user_id=user.pk),
        change=lambda user, g, obj: obj.user_id == user.pk,
    ),
)
register(SupportingDocument, Policy(scope=_browsers, change=_publisher))
register(SupportingDocumentVersion, Policy(scope=_browsers, change=never))
