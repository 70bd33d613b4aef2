"""An offer's page (its components, data centres and price lists in force or scheduled), a
supplier's sheet with its dated versions, and a frozen version with its change history side
by side (DOMAIN §2; 004 §3.2). A supplier's people see their own sheet and offers only."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.models import (
    FrameworkAgreement,
    Offer,
    PriceList,
    PriceListStatus,
    SheetDraft,
    SheetVersion,
)
from courtier.catalogue.policies import may_see_drafts
from courtier.catalogue.views.access import may_propose, sheet_supplier
from courtier.catalogue.views.display import (
    component_groups,
    diff_display,
    display_value,
    price_tables,
    sheet_display,
)


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = permissions.get_visible_or_404(
        request.user,
        Offer.objects.select_related("supplier", "category", "version"),
        pk=pk,
    )
    item = next(
        (o for o in offer.version.content.get("offers", []) if o.get("code") == offer.code), None
    )
    if item is not None:
        components = item.get("components") or []
    else:
        components = [
            {"code": c.code, "name": c.name, "kind": c.kind, "description": c.description}
            for c in offer.components.filter(active=True)
        ]
    names = {c["code"]: c["name"] for c in components}
    today = timezone.localdate()
    published = permissions.scope(
        request.user, PriceList.objects.filter(offer=offer, status=PriceListStatus.PUBLISHED)
    )
    in_force = published.filter(effective_from__lte=today).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=today)
    )
    scheduled = published.filter(effective_from__gt=today).order_by("effective_from")
    return render(
        request,
        "catalogue/offer_detail.html",
        {
            "offer": offer,
            "item": item or {},
            "groups": component_groups(components),
            "data_centres": offer.data_centres.order_by("role", "country", "province", "city"),
            "in_force": price_tables(in_force, names, request=request),
            "scheduled": price_tables(scheduled, names, request=request),
            "today": today,
            "languages": display_value(
                [code for code in offer.training_languages.split(",") if code],
                "training_languages",
                {},
            ),
        },
    )


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's sheet: its latest version, agreements, offers, versions list."""
    supplier = sheet_supplier(request, pk)
    versions = permissions.scope(
        request.user, SheetVersion.objects.filter(supplier=supplier)
    ).order_by("-number")
    latest = versions.first()
    drafts = (
        permissions.scope(
            request.user,
            SheetDraft.objects.filter(supplier=supplier, status__in=rules.OPEN_DRAFT_STATES),
        )
        if may_see_drafts(request.user)
        else SheetDraft.objects.none()
    )
    return render(
        request,
        "catalogue/sheet.html",
        {
            "supplier": supplier,
            "latest": latest,
            "sheet": sheet_display(latest.content, supplier) if latest else None,
            "versions": versions.only(
                "pk", "number", "name", "published_on", "change_count", "supplier_id"
            ),
            "agreements": permissions.scope(
                request.user, FrameworkAgreement.objects.filter(organisation=supplier)
            ).prefetch_related("categories"),
            "open_draft": drafts.first(),
            "can_propose": may_propose(request.user, supplier)
            and permissions.has_perm(request.user, Perm.WRITE),
            "can_manage_agreements": permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE),
        },
    )


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A frozen version of a sheet and its change history, side by side (004 §3.2)."""
    version = permissions.get_visible_or_404(
        request.user,
        SheetVersion.objects.select_related("supplier", "previous", "published_by"),
        pk=pk,
    )
    following = permissions.scope(
        request.user, SheetVersion.objects.filter(previous=version)
    ).first()
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "version": version,
            "sheet": sheet_display(version.content, version.supplier),
            "diff": diff_display(version.changes),
            "following": following,
            "price_lists": version.price_lists.order_by("offer_code", "effective_from"),
        },
    )
