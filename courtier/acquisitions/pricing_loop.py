"""The scenario pricing engine as straightforward loops on Python integers (DOMAIN §3.4;
004 §3.4.1).

Same semantics, same public functions and same outputs as ``pricing`` (whose docstring states the
rules), written the obvious way: month by month, tier by tier, subset by subset. It shares with
``pricing`` only the input and output types, the plan check, the field-by-field offer check (so
that both refuse the same input with the same message) and the final sort; every amount, the
amount bound, the subset search and the members' shares are computed here independently. The
property tests use it as an oracle and benchmarks/scenarios.py as the reference the vectorised
engine must beat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from courtier.acquisitions.pricing import (
    AMOUNT_LIMIT,
    ERR_AMOUNT_BOUND,
    MINIMUM_TERM,
    MONTHLY,
    PER_MONTH_UNITS,
    UPFRONT,
    USAGE,
    USAGE_UNITS,
    USER_YEAR,
    YEARLY,
    CheckedPlan,
    ComponentPrice,
    LineItem,
    OfferPrices,
    Plan,
    PricingInputError,
    Ranking,
    Scenario,
    check_each_offer,
    check_one_supplier,
    check_plan,
    offer_list,
    sort_ranking,
    too_many_offers,
)

__all__ = ["best_scenario", "price_offer", "rank"]


def check_offers(plan: CheckedPlan, offers: object) -> list[OfferPrices]:
    """The checks of pricing.read_offers, one offer and one field at a time: the first fault
    raises the same error. Then the amount bound of each supplier, in Python integers."""
    offers = offer_list(offers)
    check_each_offer(offers)
    peaks = {code: max(values) for code, values in plan.needs.items()}
    years = (plan.months + 11) // 12
    totals: dict[str, int] = {}
    for offer in offers:
        total = totals.get(offer.supplier_key, 0)
        for c in offer.components:
            peak = peaks.get(c.need, 0)
            if peak == 0:
                continue
            price = raised(
                max(t.unit_price_cents for t in c.tiers), c.max_yearly_increase_bp, years - 1
            )
            quantity = max(peak, c.minimum_quantity)
            total += quantity * price * (plan.months + c.minimum_term_months)
        totals[offer.supplier_key] = total
    for supplier, total in totals.items():
        if total > AMOUNT_LIMIT:
            raise PricingInputError(ERR_AMOUNT_BOUND.format(supplier=supplier), field="offers")
    return offers


def apportion(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` cents in proportion to ``weights`` (total > 0) with the largest-remainder
    method: floor shares, then one cent each to the largest remainders, ties to the first."""
    total = sum(weights)
    shares = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both >= 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def raised(cents: int, rate_bp: int, times: int = 1) -> int:
    """A price after ``times`` yearly increases of ``rate_bp``, each rounded half up to the cent
    (004 §3.4.1: at most the sheet's rate a year; the engine applies that maximum)."""
    for _year in range(times):
        cents = half_up_div(cents * (10_000 + rate_bp), 10_000)
    return cents


@dataclass
class Charge:
    """One amount billed in one month, and the months whose consumption shares it."""

    amount: int
    billed_month: int
    start: int
    end: int


@dataclass
class Priced:
    """One component priced over the plan."""

    offer: OfferPrices
    component: ComponentPrice
    total: int = 0
    items: list[LineItem] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)


def year_prices(component: ComponentPrice, years: int) -> list[list[tuple[int, int]]]:
    """For each contract year, the tiers (start, price) sorted, the lowest starting at 0."""
    tiers = sorted(component.tiers, key=lambda t: t.min_quantity)
    current = [t.unit_price_cents for t in tiers]
    out = []
    for year in range(years):
        if year > 0:
            current = [raised(p, component.max_yearly_increase_bp) for p in current]
        starts = [0] + [t.min_quantity for t in tiers[1:]]
        out.append(list(zip(starts, current, strict=True)))
    return out


def tier_cost(quantity: int, tiers: list[tuple[int, int]]) -> int:
    """Graduated volume tiers: each tier bills the units that fall within it."""
    cost = 0
    for i, (start, price) in enumerate(tiers):
        end = tiers[i + 1][0] if i + 1 < len(tiers) else None
        top = quantity if end is None else min(quantity, end)
        if top > start:
            cost += (top - start) * price
    return cost


def price_component(plan: CheckedPlan, offer: OfferPrices, c: ComponentPrice) -> Priced:
    priced = Priced(offer=offer, component=c)
    months = plan.months
    q = plan.needs.get(c.need, (0,) * months)
    first = None
    for m in range(months):
        if q[m] > 0:
            first = m
            break
    if first is None:
        return priced  # nothing to bill, mandatory or not
    years = (months + 11) // 12
    prices = year_prices(c, years)

    billed_quantity = []
    running = 0
    for m in range(months):
        if c.all_units_from_signature:
            value = max(q)
        elif not c.may_decrease:
            running = max(running, q[m])
            value = running
        else:
            value = q[m]
        if c.all_units_from_signature or m >= first:
            value = max(value, c.minimum_quantity)
        billed_quantity.append(value)

    accrued = [tier_cost(billed_quantity[m], prices[m // 12]) for m in range(months)]
    billed = [0] * months
    windows = [(0, months)] * months  # months whose consumption shares what month m bills
    year_of_months = []
    for y in range(years):
        year_of_months.append(list(range(12 * y, min(12 * y + 12, months))))

    if c.unit == USER_YEAR:
        for y, ms in enumerate(year_of_months):
            peak = max(billed_quantity[m] for m in ms)
            amount = half_up_div(tier_cost(peak, prices[y]) * len(ms), 12)
            if c.billing == UPFRONT:
                billed[0] += amount
            else:
                billed[ms[0]] += amount
                windows[ms[0]] = (ms[0], ms[-1] + 1)
    elif c.billing == MONTHLY:
        for m in range(months):
            billed[m] += accrued[m]
            windows[m] = (m, m + 1)
    elif c.billing == YEARLY:
        for ms in year_of_months:
            y = ms[0] // 12
            if c.unit in PER_MONTH_UNITS:
                peak = max(billed_quantity[m] for m in ms)
                amount = 0
                for _m in ms:
                    amount += tier_cost(peak, prices[y])
            else:
                amount = 0
                for m in ms:
                    amount += accrued[m]
            billed[ms[0]] += amount
            windows[ms[0]] = (ms[0], ms[-1] + 1)
    else:  # upfront
        if c.unit in PER_MONTH_UNITS:
            peak = max(billed_quantity)
            for m in range(months):
                billed[0] += tier_cost(peak, prices[m // 12])
        else:
            for m in range(months):
                billed[0] += accrued[m]

    # One usage line item per contract year with a non-zero amount.
    for y, ms in enumerate(year_of_months):
        amount = 0
        first_billed = None
        for m in ms:
            amount += billed[m]
            if billed[m] and first_billed is None:
                first_billed = m
        if amount == 0:
            continue
        covered = range(months) if c.billing == UPFRONT else range(first_billed, ms[-1] + 1)
        priced.items.append(
            LineItem(
                offer_key=offer.offer_key,
                component_code=c.component_code,
                need=c.need,
                kind=USAGE,
                year=y,
                billed_month=first_billed,
                months=len(covered),
                quantity=max(billed_quantity[m] for m in covered),
                unit_price_cents=prices[y][0][1],
                amount_cents=amount,
            )
        )
    for m in range(months):
        if billed[m]:
            start, end = windows[m]
            priced.charges.append(Charge(billed[m], m, start, end))

    # Minimum term: the months short of it are owed in the last month.
    if c.minimum_term_months and c.unit not in USAGE_UNITS:
        short = c.minimum_term_months - months  # counted from signature
        if short > 0:
            last = tier_cost(billed_quantity[-1], prices[(months - 1) // 12])
            amount = half_up_div(last * short, 12) if c.unit == USER_YEAR else last * short
            if amount:
                priced.items.append(
                    LineItem(
                        offer_key=offer.offer_key,
                        component_code=c.component_code,
                        need=c.need,
                        kind=MINIMUM_TERM,
                        year=(months - 1) // 12,
                        billed_month=months - 1,
                        months=short,
                        quantity=billed_quantity[-1],
                        unit_price_cents=prices[(months - 1) // 12][0][1],
                        amount_cents=amount,
                    )
                )
                priced.charges.append(Charge(amount, months - 1, 0, months))
    priced.total = sum(item.amount_cents for item in priced.items)
    return priced


def set_cost(
    plan: CheckedPlan, offers: list[OfferPrices], priced: dict[tuple[str, str], Priced]
) -> tuple[int, list[Priced], list[str]]:
    """Cost of a set of offers: its mandatory components, plus for each needed need that none of
    them covers the cheapest other component (ties: smaller offer key). Returns the cost, the
    billed components and the needs nobody covers."""
    cost = 0
    billed = []
    covered = set()
    for offer in sorted(offers, key=lambda o: o.offer_key):
        for c in offer.components:
            if c.mandatory:
                p = priced[offer.offer_key, c.need]
                cost += p.total
                billed.append(p)
                covered.add(c.need)
    missing = []
    for need in plan.needed:
        if need in covered:
            continue
        best = None
        for offer in sorted(offers, key=lambda o: o.offer_key):
            for c in offer.components:
                if c.need == need and not c.mandatory:
                    p = priced[offer.offer_key, c.need]
                    if best is None or p.total < best.total:
                        best = p
        if best is None:
            missing.append(need)
        else:
            cost += best.total
            billed.append(best)
    return cost, billed, missing


def make_scenario(
    plan: CheckedPlan,
    supplier: str,
    offers: list[OfferPrices],
    billed: list[Priced],
    missing: list[str],
) -> Scenario:
    months = plan.months
    billed = sorted(billed, key=lambda p: (p.offer.offer_key, p.component.need))
    monthly = [0] * months
    items = []
    for p in billed:
        items.extend(p.items)
        for charge in p.charges:
            monthly[charge.billed_month] += charge.amount
    shares = member_monthly = None
    if plan.members is not None:
        members = sorted(plan.members)
        zero = (0,) * months
        per_month = {member: [0] * months for member in members}
        for p in billed:
            for charge in p.charges:
                use = [plan.members[member].get(p.component.need, zero) for member in members]
                weights = [sum(u[charge.start : charge.end]) for u in use]
                if sum(weights) == 0:
                    weights = [sum(u) for u in use]
                if sum(weights) == 0:
                    weights = [1] * len(members)
                for member, share in zip(members, apportion(charge.amount, weights), strict=True):
                    per_month[member][charge.billed_month] += share
        shares = {member: sum(per_month[member]) for member in members}
        member_monthly = {member: tuple(per_month[member]) for member in members}
    return Scenario(
        supplier_key=supplier,
        offer_keys=tuple(sorted(o.offer_key for o in offers)),
        total_cents=sum(monthly),
        monthly_cents=tuple(monthly),
        line_items=tuple(items),
        member_shares=shares,
        member_monthly=member_monthly,
        complete=not missing,
        missing_needs=tuple(missing),
    )


def price_all(plan: CheckedPlan, offers: list[OfferPrices]) -> dict[tuple[str, str], Priced]:
    return {
        (offer.offer_key, c.need): price_component(plan, offer, c)
        for offer in offers
        for c in offer.components
    }


def search(
    plan: CheckedPlan,
    supplier: str,
    offers: list[OfferPrices],
    priced: dict[tuple[str, str], Priced],
) -> Scenario:
    """Try every subset of the offers that cover a needed need; keep the cheapest complete one
    (then fewer offers, then the smaller sorted keys)."""
    useful = [o for o in offers if any(c.need in plan.needed for c in o.components)]
    if len(useful) > 16:
        raise too_many_offers(supplier, len(useful))
    best = None
    for mask in range(2 ** len(useful)):
        chosen = [o for i, o in enumerate(useful) if mask & (1 << i)]
        cost, billed, missing = set_cost(plan, chosen, priced)
        if missing:
            continue
        key = (cost, len(chosen), tuple(sorted(o.offer_key for o in chosen)))
        if best is None or key < best[0]:
            best = (key, chosen, billed)
    if best is None:
        cost, billed, missing = set_cost(plan, useful, priced)
        return make_scenario(plan, supplier, useful, billed, missing)
    return make_scenario(plan, supplier, best[1], best[2], [])


def price_offer(plan: Plan, offer: OfferPrices) -> Scenario:
    """The scenario of one offer alone (see pricing.price_offer)."""
    checked = check_plan(plan)
    offers = check_offers(checked, [offer])
    priced = price_all(checked, offers)
    _, billed, missing = set_cost(checked, offers, priced)
    return make_scenario(checked, offer.supplier_key, offers, billed, missing)


def best_scenario(plan: Plan, offers_of_one_supplier: Sequence[OfferPrices]) -> Scenario:
    """The cheapest combination of one supplier's offers (see pricing.best_scenario)."""
    checked = check_plan(plan)
    offers = check_offers(checked, offers_of_one_supplier)
    supplier = check_one_supplier(offers)
    return search(checked, supplier, offers, price_all(checked, offers))


def rank(plan: Plan, offers: Sequence[OfferPrices]) -> Ranking:
    """Every supplier's best scenario, ranked (see pricing.rank)."""
    checked = check_plan(plan)
    offer_list = check_offers(checked, offers)
    priced = price_all(checked, offer_list)
    by_supplier: dict[str, list[OfferPrices]] = {}
    for offer in offer_list:
        by_supplier.setdefault(offer.supplier_key, []).append(offer)
    scenarios = [
        search(checked, supplier, by_supplier[supplier], priced) for supplier in sorted(by_supplier)
    ]
    return sort_ranking(scenarios)
