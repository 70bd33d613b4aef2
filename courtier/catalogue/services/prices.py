"""Price lists proposed with a sheet (DOMAIN §2; 004 §3.2): one offer's list from one date, whose
prices change only on the first business day of a month and never once published; and their
changes line by line against the lists they replace (the review's diff, the version's
history)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.services import audit_event_record
from courtier.calendar import selectors as calendar
from courtier.catalogue import rules
from courtier.catalogue.messages import (
    CONTENT_PROBLEMS,
    PRICE_IN_THE_PAST,
    PRICE_LINE_DUPLICATE,
    PRICE_LIST_EMPTY,
    PRICE_LIST_IN_FORCE,
    PRICE_NEGATIVE,
    PRICE_NOT_A_NUMBER,
    PRICE_NOT_FIRST_BUSINESS_DAY,
    PRICE_NOT_YES_NO,
    PRICE_UNKNOWN_COMPONENT,
    PRICE_UNKNOWN_OFFER,
)
from courtier.catalogue.models import (
    BillingFrequency,
    Offer,
    PriceLine,
    PriceList,
    PriceListStatus,
    SheetDraft,
    Unit,
)
from courtier.catalogue.selectors import latest_version
from courtier.catalogue.services.checks import lock_editable


def price_date_error(effective_from: date, *, today: date | None = None) -> str | None:
    """The French message for a price date that breaks the first-business-day rule, or None."""
    closures = calendar.closure_days()
    problem = rules.price_date_problem(
        effective_from, today=today or timezone.localdate(), closures=closures
    )
    if problem is rules.PriceDateProblem.NOT_FIRST_BUSINESS_DAY:
        first = calendar.first_business_day_of_month(effective_from.year, effective_from.month)
        return str(PRICE_NOT_FIRST_BUSINESS_DAY % {"day": effective_from, "first": first})
    if problem is rules.PriceDateProblem.IN_THE_PAST:
        return str(PRICE_IN_THE_PAST % {"day": effective_from})
    return None


# What a proposed price line may hold (PriceLine's field names; prices in cents).
PRICE_LINE_FIELDS = frozenset({"component_code", "tier_min_quantity", *rules.PRICE_TERMS})


_LINE_INTEGERS = {
    "unit_price_cents": rules.MAX_PRICE_CENTS,
    "tier_min_quantity": 2_147_483_647,
    "minimum_quantity": 2_147_483_647,
    "minimum_term_months": 32_767,
    "max_yearly_increase_bp": 100_000,
}
_LINE_BOOLEANS = ("all_units_from_signature", "may_decrease")


def _check_line_types(i: int, line: Mapping[str, Any]) -> None:
    """Numbers are whole, non-negative and bounded; flags are booleans (DOMAIN §2 price lines)."""
    if not isinstance(line.get("component_code"), str):
        raise ValidationError(
            {f"lines[{i}].component_code": CONTENT_PROBLEMS[rules.ContentProblem.REQUIRED]}
        )
    if "unit_price_cents" not in line:
        raise ValidationError(
            {f"lines[{i}].unit_price_cents": CONTENT_PROBLEMS[rules.ContentProblem.REQUIRED]}
        )
    for name, maximum in _LINE_INTEGERS.items():
        value = line.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value > maximum:
            raise ValidationError({f"lines[{i}].{name}": PRICE_NOT_A_NUMBER})
        if value < 0:
            message = PRICE_NEGATIVE if name == "unit_price_cents" else PRICE_NOT_A_NUMBER
            raise ValidationError({f"lines[{i}].{name}": message})
    for name in _LINE_BOOLEANS:
        if name in line and not isinstance(line[name], bool):
            raise ValidationError({f"lines[{i}].{name}": PRICE_NOT_YES_NO})


def in_force_conflict(
    supplier_id: int, offer_code: str, effective_from: date, today: date
) -> str | None:
    """A published list that has taken effect is never replaced (DOMAIN §2: a past price list
    is never altered); one scheduled for a later day may be."""
    if effective_from > today:
        return None
    taken = published_lists(supplier_id, offer_code).filter(effective_from=effective_from).exists()
    return str(PRICE_LIST_IN_FORCE % {"code": offer_code, "day": effective_from}) if taken else None


def offer_components(content: Mapping[str, Any]) -> dict[str, set[str]]:
    """Each offer code of a sheet's content -> the codes of its components."""
    return {
        offer["code"]: {c["code"] for c in offer.get("components") or []}
        for offer in content.get("offers", [])
    }


@transaction.atomic
def sheet_draft_set_prices(
    *,
    by: User | None,
    draft: SheetDraft,
    offer_code: str,
    effective_from: date,
    lines: Sequence[Mapping[str, Any]],
    today: date | None = None,
) -> PriceList:
    """Propose the price list of one offer from one date (replacing one proposed before for the
    same offer and date). Lines use PriceLine's field names; prices in cents. ``today`` (the
    local date by default) lets the demo rebuild a history; the rule itself never changes."""
    draft = lock_editable(by, draft)
    message = price_date_error(effective_from, today=today) or in_force_conflict(
        draft.supplier_id, offer_code, effective_from, today or timezone.localdate()
    )
    if message:
        raise ValidationError({"effective_from": message})
    components = offer_components(draft.content)
    if offer_code not in components:
        raise ValidationError({"offer_code": PRICE_UNKNOWN_OFFER % {"code": offer_code}})
    if not lines:
        raise ValidationError({"lines": PRICE_LIST_EMPTY})
    seen: set[tuple[str, int]] = set()
    for i, line in enumerate(lines):
        _check_line_types(i, line)
        key = (line["component_code"], int(line.get("tier_min_quantity", 0)))
        if key[0] not in components[offer_code]:
            raise ValidationError(
                {
                    f"lines[{i}].component_code": PRICE_UNKNOWN_COMPONENT
                    % {"component": key[0], "code": offer_code}
                }
            )
        if key in seen:
            raise ValidationError(
                {f"lines[{i}]": PRICE_LINE_DUPLICATE % {"component": key[0], "tier": key[1]}}
            )
        if int(line["unit_price_cents"]) < 0:
            raise ValidationError({f"lines[{i}].unit_price_cents": PRICE_NEGATIVE})
        for name in line:
            if name not in PRICE_LINE_FIELDS:
                raise ValidationError(
                    {f"lines[{i}].{name}": CONTENT_PROBLEMS[rules.ContentProblem.UNKNOWN_FIELD]}
                )
        for name, allowed in (
            ("unit", Unit.values),
            ("billing_frequency", BillingFrequency.values),
        ):
            if line.get(name) not in allowed:
                raise ValidationError(
                    {
                        f"lines[{i}].{name}": CONTENT_PROBLEMS[rules.ContentProblem.BAD_CHOICE]
                        % {"value": line.get(name, "")}
                    }
                )
        seen.add(key)
    replaced = PriceList.objects.filter(
        draft=draft, offer_code=offer_code, effective_from=effective_from, status="draft"
    )
    replaced_lines = sum(replaced.values_list("line_count", flat=True))
    PriceLine.objects.filter(price_list__in=replaced).delete()
    replaced.delete()
    offer = Offer.objects.filter(supplier=draft.supplier, code=offer_code).first()
    price_list = PriceList.objects.create(
        offer=offer,
        supplier=draft.supplier,
        offer_code=offer_code,
        effective_from=effective_from,
        status=PriceListStatus.DRAFT,
        draft=draft,
        line_count=len(lines),
    )
    PriceLine.objects.bulk_create(
        PriceLine(price_list=price_list, offer=offer, **dict(line)) for line in lines
    )
    audit_event_record(
        actor=by,
        action="price_list.proposed",
        obj=price_list,
        organisation=draft.supplier,
        before={"lines": replaced_lines} if replaced_lines else None,
        after={
            "offer": offer_code,
            "effective_from": effective_from.isoformat(),
            "lines": len(lines),
            "draft": draft.pk,
        },
    )
    return price_list


def _price_terms(
    lines: Iterable[PriceLine], offer_code: str
) -> dict[rules.PriceKey, dict[str, Any]]:
    return {
        (offer_code, line.component_code, line.tier_min_quantity): {
            term: getattr(line, term) for term in rules.PRICE_TERMS
        }
        for line in lines
    }


def published_lists(supplier_id: int, offer_code: str) -> QuerySet[PriceList]:
    """The published price lists of one offer of one supplier."""
    return PriceList.objects.filter(
        supplier_id=supplier_id, offer_code=offer_code, status=PriceListStatus.PUBLISHED
    )


def published_before(price_list: PriceList, *, same_day: bool) -> PriceList | None:
    """The latest published list of the same offer starting before ``price_list`` (or, with
    ``same_day``, on its day too)."""
    lookup = "effective_from__lte" if same_day else "effective_from__lt"
    return (
        published_lists(price_list.supplier_id, price_list.offer_code)
        .filter(**{lookup: price_list.effective_from})
        .order_by("-effective_from")
        .first()
    )


def draft_changes(draft: SheetDraft) -> dict[str, Any]:
    """What publishing ``draft`` now would record (rules.sheet_changes against the version in
    force, plus its proposed price lists line by line): the review page's side-by-side diff.
    Reads only."""
    previous = latest_version(draft.supplier_id)
    proposed = PriceList.objects.filter(draft=draft, status=PriceListStatus.DRAFT).order_by(
        "offer_code", "effective_from"
    )
    rows = price_change_rows(proposed.prefetch_related("lines"))
    return rules.sheet_changes(previous.content if previous else None, draft.content, rows)


def price_change_rows(price_lists: Iterable[PriceList]) -> list[dict[str, Any]]:
    """Line-by-line changes of proposed lists (in offer and date order). Each list is compared
    with the one it replaces: the previous list of the same offer in the proposal, else the
    published list in force or scheduled on that day."""
    rows: list[dict[str, Any]] = []
    proposed: dict[str, dict[rules.PriceKey, dict[str, Any]]] = {}
    for price_list in price_lists:
        code = price_list.offer_code
        if code in proposed:
            before = proposed[code]
        else:
            # The list it replaces: one scheduled for the same day, else the one in force before.
            base = published_before(price_list, same_day=True)
            before = _price_terms(base.lines.all(), code) if base else {}
        after = _price_terms(price_list.lines.all(), code)
        rows += rules.price_changes(before, after, effective_from=price_list.effective_from)
        proposed[code] = after
    return rows
