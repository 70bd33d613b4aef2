"""Reads of the Catalogue: offer search with its filters, the summary tables, sheet versions,
and what changed since a date (for acquisitions in progress, 004 §3.2).

Full-text search (issue 3, point 5; migration 0003_search):
- PostgreSQL: ``catalogue_offer.search_vector`` (French configuration over ``courtier_unaccent``,
  GIN index), queried with ``to_tsquery('french', courtier_unaccent(...))``: every word must
  match after French stemming ("courriels" finds "courriel"); the last one may also be the
  beginning of a word (results follow what a person is typing: "thea" finds "théâtre").
- SQLite: the FTS5 table ``catalogue_offer_fts`` (``unicode61 remove_diacritics 2``), queried with
  MATCH; French has no stemmer there, so each word drops a plural "s"/"x" and matches as a prefix.
- Any other database: every word must appear in ``Offer.search_text``.

The text a person types is never passed to a query language as is: it is folded (rules.fold) and
cut into words made of letters and digits only, so quotes, operators (OR, NEAR, -, *), parentheses
or very long strings cannot produce a syntax error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.models import (
    Category,
    Component,
    ComponentKind,
    DataCentre,
    Offer,
    OfferStatus,
    PriceLine,
    PriceList,
    PriceListStatus,
    ProviderQualification,
    Qualification,
    SheetVersion,
)

# Sort keys a caller may pass (pages and API offer them as choices).
SORTS = (
    "relevance",
    "name",
    "-name",
    "supplier",
    "-supplier",
    "category",
    "price",
    "-price",
    "-updated",
    "updated",
)
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 12
MAX_WORD_CHARS = 60


@dataclass(frozen=True)
class OfferFilters:
    q: str = ""
    category: str = ""  # category code
    supplier: int | None = None
    status: str = ""
    country: str = ""  # ISO code of a data centre's country
    province: str = ""  # a data centre's province or state (with or without ``country``)
    canada_only: bool = False
    quebec_only: bool = False
    personal_information: bool = False
    training_language: str = ""
    unit: str = ""  # Unit value: the unit of the price range and of the price sort
    price_min: Decimal | None = None  # dollars, for ``unit``
    price_max: Decimal | None = None
    sort: str = "name"  # one of SORTS (an unknown value sorts by name)


# --- full-text search ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def query_words(q: str) -> list[str]:
    """The words of a query, folded (no accents, lower case), letters and digits only."""
    words = _WORD.findall(rules.fold(q[:MAX_QUERY_CHARS]))
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_QUERY_WORDS]]


MIN_PREFIX_CHARS = 3


def postgres_tsquery(words: list[str]) -> tuple[str, list[str]]:
    """SQL of a tsquery and its parameters: every word after French stemming and, for the last
    one (being typed), also any word that starts with it as typed. The prefix is not stemmed:
    the stem of a complete word can be very short ("biais" -> "bi"), and "bi:*" would find
    most of the Catalogue. Words hold letters and digits only, so no quote."""
    stemmed = "to_tsquery('french'::regconfig, courtier_unaccent(%s))"
    sql, params = stemmed, [" & ".join(f"'{w}'" for w in words)]
    last = words[-1]
    if len(last) >= MIN_PREFIX_CHARS:
        prefix = "to_tsquery('simple'::regconfig, courtier_unaccent(%s))"
        if len(words) > 1:
            sql = f"({stemmed} && ({stemmed} || {prefix}))"
            params = [" & ".join(f"'{w}'" for w in words[:-1]), f"'{last}'", f"'{last}':*"]
        else:
            sql = f"({stemmed} || {prefix})"
            params = [f"'{last}'", f"'{last}':*"]
    return sql, params


def sqlite_match(words: list[str]) -> str:
    """FTS5 MATCH text: every word as a quoted prefix, a French plural "s"/"x" dropped first."""
    terms = []
    for word in words:
        if len(word) > 3 and word[-1] in "sx":
            word = word[:-1]
        terms.append('"' + word.replace('"', '""') + '"*')
    return " AND ".join(terms)


class _OfferSql(Expression):
    """SQL about the current offer row that the model does not declare (migration 0003): the
    template's ``{offer}`` is the row's alias, so it stays right inside subqueries."""

    def __init__(self, template: str, params: list[Any], output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params, self.ref = template, params, F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.ref]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.ref,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(self.ref.alias)
        return self.template.format(offer=alias), list(self.params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.template!r})"


_FTS_RANK = (
    "(SELECT bm25(catalogue_offer_fts, 10.0, 1.0) FROM catalogue_offer_fts "
    "WHERE catalogue_offer_fts MATCH %s AND catalogue_offer_fts.rowid = {offer}.id)"
)


def _text_search(offers: QuerySet[Offer], q: str) -> tuple[QuerySet[Offer], Expression | None]:
    """Offers matching ``q`` and an expression ranking them (best first), if any."""
    words = query_words(q)
    if not words:
        return offers, None
    vendor = connections[offers.db].vendor
    if vendor == "postgresql":
        query, params = postgres_tsquery(words)
        match = _OfferSql(f"{{offer}}.search_vector @@ {query}", params, BooleanField())
        rank = _OfferSql(f"ts_rank({{offer}}.search_vector, {query})", params, FloatField())
        return offers.filter(match), rank.desc()
    if vendor == "sqlite":
        text = sqlite_match(words)
        ids = RawSQL(
            "SELECT rowid FROM catalogue_offer_fts WHERE catalogue_offer_fts MATCH %s", [text]
        )
        return offers.filter(pk__in=ids), _OfferSql(_FTS_RANK, [text], FloatField()).asc()
    for word in words:
        offers = offers.filter(search_text__contains=word)
    return offers, None


# --- offer search -------------------------------------------------------------------------------


def _cents(amount: Decimal | int, rounding: Any) -> int:
    return int(rounding(Decimal(amount) * 100))


def in_force_lines(day: date) -> QuerySet[PriceLine]:
    """Price lines of the published lists in force on ``day``: from their effective date, until
    a later list replaced them (a list published for a later date is not in force yet)."""
    return PriceLine.objects.filter(
        price_list__status=PriceListStatus.PUBLISHED,
        price_list__effective_from__lte=day,
    ).filter(Q(price_list__effective_until__isnull=True) | Q(price_list__effective_until__gt=day))


# catalogue_price_point (migration 0003): the distinct unit prices of each published list, with
# the list's dates. One row per list and unit has is_min. Only one list of an offer is in force
# on a given day, so "in force and is_min" gives at most one row per offer and unit.
_POINT_IN_FORCE = (
    "{t}.effective_from <= %s AND ({t}.effective_until IS NULL OR {t}.effective_until > %s)"
)
_POINTS = "catalogue_price_point"


def _price_filter(offers: QuerySet[Offer], filters: OfferFilters, day: Any) -> QuerySet[Offer]:
    """Offers with a price line in force on ``day`` in ``filters.unit`` (any unit if none)
    within [price_min, price_max] (both included; either may be missing)."""
    conditions = ["pp.offer_id = {offer}.id", _POINT_IN_FORCE.format(t="pp")]
    params: list[Any] = [day, day]
    if filters.unit:
        conditions.append("pp.unit = %s")
        params.append(filters.unit)
    if filters.price_min is not None:
        conditions.append("pp.unit_price_cents >= %s")
        params.append(_cents(filters.price_min, math.ceil))
    if filters.price_max is not None:
        conditions.append("pp.unit_price_cents <= %s")
        params.append(_cents(filters.price_max, math.floor))
    # Constant SQL; every value is a parameter.
    sql = f"EXISTS (SELECT 1 FROM {_POINTS} pp WHERE {' AND '.join(conditions)})"  # noqa: S608
    return offers.filter(_OfferSql(sql, params, BooleanField()))


def _with_price(offers: QuerySet[Offer], filters: OfferFilters, day: Any) -> QuerySet[Offer]:
    """Join each offer to its lowest price in force in ``filters.unit`` (``price_cents``) --
    within the price range when there is one -- leaving out offers without one. The database
    then walks the prices in order and stops at the end of the page (a correlated subquery would
    compute the price of every offer before sorting)."""
    where = [f"{_POINTS}.unit = %s", _POINT_IN_FORCE.format(t=_POINTS)]
    params: list[Any] = [filters.unit, day, day]
    bounds = []
    if filters.price_min is not None:
        bounds.append(("{t}.unit_price_cents >= %s", _cents(filters.price_min, math.ceil)))
    if filters.price_max is not None:
        bounds.append(("{t}.unit_price_cents <= %s", _cents(filters.price_max, math.floor)))
    if not bounds:
        where.append(f"{_POINTS}.is_min")
    else:
        for condition, cents in bounds:
            where.append(condition.format(t=_POINTS))
            params.append(cents)
        # The offer's lowest price within the range: no lower one of its own in the range.
        lower = [
            f"pp.offer_id = {_POINTS}.offer_id",
            f"pp.unit = {_POINTS}.unit",
            f"pp.unit_price_cents < {_POINTS}.unit_price_cents",
            _POINT_IN_FORCE.format(t="pp"),
        ]
        params += [day, day]
        for condition, cents in bounds:
            lower.append(condition.format(t="pp"))
            params.append(cents)
        where.append(f"NOT EXISTS (SELECT 1 FROM {_POINTS} pp WHERE {' AND '.join(lower)})")  # noqa: S608
    # extra() is the ORM's only way to join a table that has no model. Constant SQL; every value
    # is a parameter. The join condition goes through filter() so that Django names the offer
    # table itself (it is renamed inside subqueries).
    return (
        offers.extra(tables=[_POINTS], where=where, params=params)  # noqa: S610
        .filter(pk=RawSQL(f"{_POINTS}.offer_id", ()))  # noqa: S611
        .annotate(price_cents=RawSQL(f"{_POINTS}.unit_price_cents", ()))  # noqa: S611
    )


def _category_order() -> list[Any]:
    """Categories in the Catalogue's order, then offers by name. When the categories' ids follow
    that order (as loaded by migration 0002), by ``category_id``: the database then walks an
    index and stops at the end of the page instead of sorting a whole category."""
    ids = list(Category.objects.order_by("position", "name", "pk").values_list("pk", flat=True))
    if ids == sorted(ids):
        return ["category_id", "name", "pk"]
    return ["category__position", "category__name", "name", "pk"]


def count_at_most(offers: QuerySet[Offer], limit: int = 1000) -> int:
    """How many offers match, counting no further than ``limit`` + 1 (show "plus de 1 000"):
    an exact count reads every match, which on a large Catalogue costs more than the page."""
    return offers.order_by()[: limit + 1].count()


def offer_search(user: Any, filters: OfferFilters, *, today: date | None = None) -> QuerySet[Offer]:
    """The offers ``user`` may see that match ``filters``, sorted; the caller paginates
    (002 §2.1: the Catalogue is for signed-in, authorised people; suppliers see their own
    offers only).

    ``unit`` alone keeps the offers with a price in force today in that unit; with
    ``price_min``/``price_max`` (dollars, both included), a price of that unit within the range.
    The price sort ("price", "-price") needs ``unit``: it lists the offers priced in that unit,
    each with ``price_cents``, its lowest price in force today in that unit -- the lowest within
    the price range when there is one (without a unit it sorts by name).

    "relevance" ranks the matches of the text query (the name counts more than the rest); it
    reads every match, so it costs more for words found in a large part of the Catalogue than
    the other sorts, which the database can often stop at the end of the page. It is therefore
    offered, not the default."""
    today = today or timezone.localdate()
    offers = permissions.scope(user, Offer.objects.all())
    offers, rank = _text_search(offers, filters.q)
    if filters.category:
        offers = offers.filter(category__code=filters.category)
    if filters.supplier:
        offers = offers.filter(supplier_id=filters.supplier)
    if filters.status:
        offers = offers.filter(status=filters.status)
    if filters.country or filters.province:
        located = Offer.data_centres.through.objects.filter(offer_id=OuterRef("pk"))
        if filters.country:
            located = located.filter(datacentre__country=filters.country.strip().upper())
        if filters.province:
            # The spellings in use, read first: the planner estimates "province IN (...)" well,
            # "UPPER(province) = ..." badly (it then chose plans 100 times slower).
            spellings = (
                DataCentre.objects.filter(province__iexact=filters.province.strip())
                .values_list("province", flat=True)
                .distinct()
            )
            located = located.filter(datacentre__province__in=list(spellings))
        offers = offers.filter(Exists(located))
    if filters.canada_only:
        offers = offers.filter(hosted_in_canada_only=True)
    if filters.quebec_only:
        offers = offers.filter(hosted_in_quebec_only=True)
    if filters.personal_information:
        offers = offers.filter(personal_information_authorised=True)
    if filters.training_language:
        offers = offers.filter(training_languages__contains=f",{filters.training_language},")
    day = connections[offers.db].ops.adapt_datefield_value(today)
    priced = filters.sort in ("price", "-price") and bool(filters.unit)
    has_range = filters.price_min is not None or filters.price_max is not None
    if priced:
        offers = _with_price(offers, filters, day)
    elif has_range or filters.unit:
        offers = _price_filter(offers, filters, day)
    sort = filters.sort if filters.sort in SORTS else "name"
    if sort in ("price", "-price") and not priced:
        sort = "name"
    if sort == "category":
        order = _category_order()
    else:
        order = {
            "relevance": [rank, "name", "pk"] if rank is not None else ["name", "pk"],
            "name": ["name", "pk"],
            "-name": ["-name", "-pk"],
            "supplier": ["supplier__name", "name", "pk"],
            "-supplier": ["-supplier__name", "name", "pk"],
            "price": ["price_cents", "name", "pk"],
            "-price": ["-price_cents", "name", "pk"],
            "-updated": ["-updated_at", "-pk"],
            "updated": ["updated_at", "pk"],
        }[sort]
    return offers.select_related("supplier", "category").order_by(*order)


# --- summary tables (tableau synthèse) ------------------------------------------------------------


def offer_summary(
    user: Any, filters: OfferFilters | None = None, *, today: date | None = None
) -> QuerySet[Offer]:
    """The summary table of offers (DOMAIN §2, tableau synthèse): the offers qualified or under
    analysis matching ``filters``, each with its data centres (prefetched) and its "price from":
    ``price_from_cents`` and ``price_from_unit``, the lowest unit price in force today of a base
    inclusion (in ``filters.unit`` if given; any component if no base inclusion has a price)."""
    filters = filters or OfferFilters()
    today = today or timezone.localdate()
    offers = offer_search(user, filters, today=today).exclude(status=OfferStatus.WITHDRAWN)
    base = Component.objects.filter(
        offer_id=OuterRef("offer_id"), code=OuterRef("component_code"), kind=ComponentKind.BASE
    )
    lines = in_force_lines(today).filter(offer_id=OuterRef("pk"))
    if filters.unit:
        lines = lines.filter(unit=filters.unit)
    cheapest = lines.annotate(is_base=Exists(base)).order_by("-is_base", "unit_price_cents")
    return offers.annotate(
        price_from_cents=Subquery(cheapest.values("unit_price_cents")[:1]),
        price_from_unit=Subquery(cheapest.values("unit")[:1]),
    ).prefetch_related(
        Prefetch(
            "data_centres",
            queryset=DataCentre.objects.order_by("role", "country", "province", "city"),
        )
    )


def provider_table(user: Any) -> list[tuple[Qualification, list[ProviderQualification]]]:
    """The summary table of service providers per qualification, with their contacts (DOMAIN
    §2; 002 §3.2). People who browse the Catalogue see every active qualification (even one
    without a provider yet); a provider sees only its own qualifications."""
    if not permissions.grants(user).organisation_ids:
        return []
    rows = (
        permissions.scope(user, ProviderQualification.objects.filter(is_active=True))
        .filter(qualification__is_active=True)
        .select_related("provider", "agreement", "qualification")
        .order_by("qualification__name", "qualification_id", "provider__name", "pk")
    )
    by_qualification: dict[int, list[ProviderQualification]] = {}
    for row in rows:
        by_qualification.setdefault(row.qualification_id, []).append(row)
    qualifications = permissions.scope(user, Qualification.objects.filter(is_active=True))
    if not permissions.has_perm(user, Perm.BROWSE_CATALOGUE):
        qualifications = qualifications.filter(pk__in=by_qualification)
    return [(q, by_qualification.get(q.pk, [])) for q in qualifications.order_by("name", "pk")]


# --- versions and what changed ------------------------------------------------------------------


def latest_version(supplier: Any) -> SheetVersion | None:
    """The supplier's last published sheet version (the one a proposal starts from), or None."""
    supplier_id = getattr(supplier, "pk", supplier)
    return SheetVersion.objects.filter(supplier_id=supplier_id).order_by("-number").first()


def version_in_force(supplier: Any, on: date) -> SheetVersion | None:
    """The supplier's sheet version in force on ``on``: the last one published that day or
    before (004 §3.2), or None if the sheet did not exist yet."""
    supplier_id = getattr(supplier, "pk", supplier)
    return (
        SheetVersion.objects.filter(supplier_id=supplier_id, published_on__lte=on)
        .order_by("-number")
        .first()
    )


_SHEET_WIDE = ("configurator_url", "security_answers", "documents", "contacts")


def _offer_data_centres(content: dict[str, Any] | None, offer_code: str) -> set[str]:
    for item in (content or {}).get("offers", []):
        if item.get("code") == offer_code:
            return set(item.get("data_centres") or [])
    return set()


def version_changes_offer(version: SheetVersion, offer_code: str) -> bool:
    """Whether ``version``'s change history touches the offer ``offer_code``: the offer itself
    (added, removed, fields, components), its prices, a data centre it uses, or a section that
    applies to every offer of the sheet (contacts, documents, security answers, configurator)."""
    changes = version.changes or {}
    if any(row.get("offer") == offer_code for row in changes.get("prices", [])):
        return True
    sections = changes.get("sections", {})
    in_sheet = any(o.get("code") == offer_code for o in (version.content or {}).get("offers", []))
    if in_sheet and any(name in sections for name in _SHEET_WIDE):
        return True
    offers = sections.get("offers", {})
    for kind in ("added", "removed", "changed"):
        if any(entry.get("code") == offer_code for entry in offers.get(kind, [])):
            return True
    centres = sections.get("data_centres", {})
    touched = {
        entry.get("code") for kind in ("changed", "removed") for entry in centres.get(kind, [])
    }
    if touched:
        previous = version.previous.content if version.previous_id else None
        used = _offer_data_centres(version.content, offer_code)
        used |= _offer_data_centres(previous, offer_code)
        if used & touched:
            return True
    return False


def changes_since(
    user: Any, offer_ids: Iterable[int], since: date | datetime
) -> dict[int, list[SheetVersion]]:
    """For each offer ``user`` may see among ``offer_ids``: the versions of its supplier's sheet
    published after ``since`` that changed it, oldest first (004 §3.2: a client with an
    acquisition in progress sees what changed since it looked). ``since`` is a moment (a naive
    datetime is read in America/Toronto) or a date, meaning after the end of that day. Offers the
    person may not see are left out; an unchanged offer maps to an empty list."""
    offers = list(
        permissions.scope(user, Offer.objects.filter(pk__in=list(offer_ids))).values_list(
            "pk", "supplier_id", "code"
        )
    )
    result: dict[int, list[SheetVersion]] = {pk: [] for pk, _, _ in offers}
    if not offers:
        return result
    versions = permissions.scope(
        user,
        SheetVersion.objects.filter(supplier_id__in={supplier for _, supplier, _ in offers}),
    )
    if isinstance(since, datetime):
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        versions = versions.filter(published_at__gt=since)
    else:
        versions = versions.filter(published_on__gt=since)
    versions = versions.select_related("supplier", "previous").order_by("published_at", "number")
    by_supplier: dict[int, list[SheetVersion]] = {}
    for version in versions:
        by_supplier.setdefault(version.supplier_id, []).append(version)
    for pk, supplier_id, code in offers:
        result[pk] = [v for v in by_supplier.get(supplier_id, []) if version_changes_offer(v, code)]
    return result


# --- a price list's lines, a page at a time ------------------------------------------------------

# A price list may hold hundreds of thousands of lines (a file import): an offer's, a version's or
# a proposal's page and API answer carry one page of each list's lines, with a link to the next.
PRICE_LINES_PAGE_SIZE = 200


def price_lines_page_size() -> int:
    """The lines shown at once (the setting ``CATALOGUE_PRICE_LINES_PAGE_SIZE``, for tests)."""
    return int(getattr(settings, "CATALOGUE_PRICE_LINES_PAGE_SIZE", PRICE_LINES_PAGE_SIZE))


def price_lines_window(price_list: PriceList, *, offset: int, limit: int) -> tuple[list, bool]:
    """``limit`` lines of the list from ``offset``, in their order, and whether more follow
    (one row read past the page; the list's ``line_count`` gives the total without counting)."""
    rows = list(
        PriceLine.objects.filter(price_list=price_list).order_by(
            "component_code", "tier_min_quantity", "pk"
        )[offset : offset + limit + 1]
    )
    return rows[:limit], len(rows) > limit
