"""API: a person's subscriptions to the Catalogue's changes (004 §3.2): to all of it, to a
category or to a supplier; each publication sends an email summing up its changes."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.catalogue.api.schemas import SubscriptionIn, SubscriptionOut
from courtier.catalogue.messages import UNKNOWN_CATEGORY, UNKNOWN_SUPPLIER
from courtier.catalogue.models import Category, Subscription
from courtier.catalogue.services import subscriptions
from courtier.core.apierrors import ERRORS, path_id

router = Router()


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], **ERRORS},
    summary="Mes abonnements aux modifications du Catalogue",
)
def subscription_list(request: HttpRequest):
    return list(
        permissions.scope(
            request.user, Subscription.objects.select_related("category", "supplier")
        ).order_by("pk")
    )


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut, **ERRORS},
    summary="M'abonner aux modifications du Catalogue",
    description=(
        "À tout le Catalogue (ni volet ni fournisseur), à un volet ou à un fournisseur. Chaque "
        "publication envoie un courriel résumant les modifications."
    ),
)
def subscription_create(request: HttpRequest, payload: SubscriptionIn):
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)
    permissions.require_perm(request.user, Perm.WRITE)  # the auditor changes nothing
    category = supplier = None
    if payload.category:
        category = Category.objects.filter(code=payload.category).first()
        if category is None:
            raise ValidationError({"category": UNKNOWN_CATEGORY % {"code": payload.category}})
    if payload.supplier is not None:
        supplier = Organisation.objects.filter(
            pk=payload.supplier, kind=OrganisationKind.SUPPLIER
        ).first()
        if supplier is None:
            raise ValidationError({"supplier": UNKNOWN_SUPPLIER})
    subscription = subscriptions.subscription_create(
        by=request.user, category=category, supplier=supplier
    )
    return Status(201, subscription)


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None, **ERRORS},
    summary="Me désabonner",
)
def subscription_delete(request: HttpRequest, subscription_id: int = path_id()):
    subscription = permissions.get_visible_or_404(
        request.user, Subscription.objects.all(), pk=subscription_id
    )
    subscriptions.subscription_delete(by=request.user, subscription=subscription)
    return Status(204, None)
