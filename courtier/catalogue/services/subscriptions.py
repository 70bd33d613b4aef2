"""Subscriptions to the Catalogue's changes (004 §3.2): clients ask to be told by email when the
Catalogue changes, as a whole, for a category or for a supplier; each publication tells the
subscribers of that time who may still see the sheet (tasks.send_change_digest)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.catalogue.messages import NOT_A_SUPPLIER, SUBSCRIPTION_EXISTS, SUBSCRIPTION_ONE_SCOPE
from courtier.catalogue.models import Category, SheetVersion, Subscription


def subscribers_of(version: SheetVersion) -> list[User]:
    """Everyone subscribed to everything, to this supplier, or to a category of its offers."""
    categories = {item["category"] for item in version.content.get("offers", [])}
    if version.previous_id:
        categories |= {item["category"] for item in version.previous.content.get("offers", [])}
    match = (
        Q(category__isnull=True, supplier__isnull=True)
        | Q(supplier_id=version.supplier_id)
        | Q(category__code__in=categories)
    )
    # Subscribers at the time of publication: the digest is sent later, by a task.
    ids = Subscription.objects.filter(
        match, user__is_active=True, created_at__lte=version.published_at
    ).values("user_id")
    users = User.objects.filter(pk__in=ids).order_by("pk")
    # Only people who may still see the sheet are told about it.
    return [user for user in users if permissions.can_view(user, version)]


@transaction.atomic
def subscription_create(
    *, by: User, category: Category | None = None, supplier: Organisation | None = None
) -> Subscription:
    """004 §3.2: clients ask to be told by email when the Catalogue changes."""
    permissions.require_perm(by, Perm.BROWSE_CATALOGUE)
    permissions.require_perm(by, Perm.WRITE)  # the auditor changes nothing, not even this
    if category is not None and supplier is not None:
        raise ValidationError({"category": SUBSCRIPTION_ONE_SCOPE})
    if supplier is not None and supplier.kind != OrganisationKind.SUPPLIER:
        raise ValidationError({"supplier": NOT_A_SUPPLIER})
    if Subscription.objects.filter(user=by, category=category, supplier=supplier).exists():
        raise ValidationError({"category": SUBSCRIPTION_EXISTS})
    subscription = Subscription.objects.create(user=by, category=category, supplier=supplier)
    audit_event_record(
        actor=by,
        action="subscription.created",
        obj=subscription,
        after={
            "category": getattr(category, "code", None),
            "supplier": getattr(supplier, "pk", None),
        },
    )
    return subscription


@transaction.atomic
def subscription_delete(*, by: User, subscription: Subscription) -> None:
    permissions.require_change(by, subscription)
    audit_event_record(
        actor=by,
        action="subscription.deleted",
        obj=subscription,
        before={
            "category": subscription.category_id,
            "supplier": subscription.supplier_id,
        },
    )
    subscription.delete()
