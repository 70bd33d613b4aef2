"""Reads of the Catalogue: offer search with its filters, the summary tables, sheet versions,
and what changed since a date (for acquisitions in progress, 004 §3.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courtier.accounts import permissions
from courtier.catalogue import rules
from courtier.catalogue.models import Offer, PriceLine, PriceListStatus


@dataclass(frozen=True)
class OfferFilters:
    q: str = ""
    category: str = ""  # category code
    supplier: int | None = None
    status: str = ""
    country: str = ""  # ISO code of a data centre's country
    province: str = ""  # with country: a data centre's province
    canada_only: bool = False
    quebec_only: bool = False
    personal_information: bool = False
    training_language: str = ""
    unit: str = ""
    price_min: Decimal | None = None  # dollars, for ``unit``
    price_max: Decimal | None = None
    sort: str = "name"  # name, -name, supplier, category, price, -price, -updated


def offer_search(user: Any, filters: OfferFilters, *, today: date | None = None) -> QuerySet[Offer]:
    """The offers ``user`` may see that match ``filters`` (002 §2.1: signed-in, authorised)."""
    today = today or timezone.localdate()
    offers = permissions.scope(user, Offer.objects.all())
    if filters.q.strip():
        for word in rules.fold(filters.q).split():
            offers = offers.filter(search_text__contains=word)
    if filters.category:
        offers = offers.filter(category__code=filters.category)
    if filters.supplier:
        offers = offers.filter(supplier_id=filters.supplier)
    if filters.status:
        offers = offers.filter(status=filters.status)
    if filters.country:
        located = Q(data_centres__country=filters.country.upper())
        if filters.province:
            located &= Q(data_centres__province=filters.province.upper())
        offers = offers.filter(pk__in=Offer.objects.filter(located).values("pk"))
    if filters.canada_only:
        offers = offers.filter(hosted_in_canada_only=True)
    if filters.quebec_only:
        offers = offers.filter(hosted_in_quebec_only=True)
    if filters.personal_information:
        offers = offers.filter(personal_information_authorised=True)
    if filters.training_language:
        offers = offers.filter(training_languages__contains=f",{filters.training_language},")
    if filters.unit or filters.price_min is not None or filters.price_max is not None:
        lines = in_force_lines(today).filter(offer_id=OuterRef("pk"))
        if filters.unit:
            lines = lines.filter(unit=filters.unit)
        if filters.price_min is not None:
            lines = lines.filter(unit_price_cents__gte=int(filters.price_min * 100))
        if filters.price_max is not None:
            lines = lines.filter(unit_price_cents__lte=int(filters.price_max * 100))
        offers = offers.filter(Exists(lines))
    order = {
        "name": ["name", "pk"],
        "-name": ["-name", "-pk"],
        "supplier": ["supplier__name", "name", "pk"],
        "category": ["category__position", "name", "pk"],
        "-updated": ["-updated_at", "pk"],
    }.get(filters.sort, ["name", "pk"])
    return offers.select_related("supplier", "category").order_by(*order)


def in_force_lines(day: date) -> QuerySet[PriceLine]:
    """Price lines of the published lists in force on ``day``."""
    return PriceLine.objects.filter(
        price_list__status=PriceListStatus.PUBLISHED,
        price_list__effective_from__lte=day,
    ).filter(Q(price_list__effective_until__isnull=True) | Q(price_list__effective_until__gt=day))
