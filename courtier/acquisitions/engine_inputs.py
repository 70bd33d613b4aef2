"""From the database to the pricing engine's inputs: the file's consumption plan and the price
lists in force of its compliant offers (002 §2.4.1: prices only from the latest sheets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from courtier.acquisitions import pricing
from courtier.acquisitions.models import AcquisitionFile, CandidateOffer, NeedKind, NeedLine
from courtier.catalogue.models import Component, ComponentKind, PriceLine
from courtier.catalogue.selectors import in_force_lines

# Which component kinds may cover which kind of need (DOMAIN §2: inclusions at a base price,
# additional components, entry and exit activities, training, assistance).
_KINDS_FOR_NEED = {
    NeedKind.USAGE: (
        ComponentKind.BASE,
        ComponentKind.ADDITIONAL,
        ComponentKind.TRAINING,
        ComponentKind.ASSISTANCE,
    ),
    NeedKind.ENTRY: (ComponentKind.ENTRY,),
    NeedKind.EXIT: (ComponentKind.EXIT,),
}


def priced_components(offer_ids: Iterable[int], day: date) -> dict[int, dict[str, list[PriceLine]]]:
    """Offer id -> component code -> its price lines (tiers) in force on ``day``."""
    result: dict[int, dict[str, list[PriceLine]]] = defaultdict(lambda: defaultdict(list))
    lines = (
        in_force_lines(day)
        .filter(offer_id__in=list(offer_ids))
        .order_by("offer_id", "component_code", "tier_min_quantity")
    )
    for line in lines:
        result[line.offer_id][line.component_code].append(line)
    return result


def guess_mapping(
    needs: Sequence[NeedLine], components: Sequence[Component], priced: Mapping[str, Any]
) -> dict[str, str]:
    """A first mapping of the file's needs to an offer's priced components, which the client
    then corrects: same unit, a kind that fits the need, base inclusions first, each component
    used once."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for need in needs:
        kinds = _KINDS_FOR_NEED[NeedKind(need.kind)]
        fitting = [
            c
            for c in components
            if c.active
            and c.code in priced
            and c.code not in used
            and c.kind in kinds
            and priced[c.code][0].unit == need.unit
        ]
        fitting.sort(key=lambda c: (kinds.index(ComponentKind(c.kind)), c.code))
        if fitting:
            mapping[need.code] = fitting[0].code
            used.add(fitting[0].code)
    return mapping


def plan_for(file: AcquisitionFile) -> pricing.Plan:
    """The consumption plan of the file, with the members' own quantities for a group."""
    needs = list(file.needs.prefetch_related("members"))
    members: dict[str, dict[str, list[int]]] | None = None
    if file.is_group_purchase:
        members = defaultdict(dict)
        for need in needs:
            for row in need.members.all():
                members[str(row.member_id)][need.code] = list(row.quantities)
        members = dict(members) or None
    return pricing.Plan(
        months=file.duration_months or 0,
        needs={need.code: list(need.quantities) for need in needs},
        members=members,
    )


def offer_prices(
    candidate: CandidateOffer, priced: Mapping[str, list[PriceLine]], kinds: Mapping[str, str]
) -> pricing.OfferPrices:
    """One compliant offer as the engine sees it: each mapped component with its tiers and terms
    (terms are those of the component's first tier). Base inclusions are mandatory."""
    components = []
    for need_code, component_code in sorted(candidate.mapping.items()):
        lines = priced.get(component_code)
        if not lines:
            continue
        first = lines[0]
        components.append(
            pricing.ComponentPrice(
                component_code=component_code,
                need=need_code,
                unit=first.unit,
                billing=first.billing_frequency,
                tiers=tuple(
                    pricing.Tier(
                        min_quantity=line.tier_min_quantity,
                        unit_price_cents=line.unit_price_cents,
                    )
                    for line in lines
                ),
                mandatory=kinds.get(component_code) == ComponentKind.BASE,
                minimum_quantity=first.minimum_quantity,
                minimum_term_months=first.minimum_term_months,
                all_units_from_signature=first.all_units_from_signature,
                may_decrease=first.may_decrease,
                max_yearly_increase_bp=first.max_yearly_increase_bp,
            )
        )
    offer = candidate.offer
    return pricing.OfferPrices(
        offer_key=str(offer.pk),
        supplier_key=str(offer.supplier_id),
        label=offer.name,
        components=tuple(components),
    )
