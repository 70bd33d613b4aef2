"""Acquisition-scenario pricing engine (DOMAIN §3.4; 004 §3.4.1; 002 §2.4.1).

A scenario prices a consumption plan over ``months`` contract months (month 0 is the month of
signature, at most 36 months: DOMAIN §3.1) against the latest price lists of the compliant offers,
applying each component's pricing terms (004 §3.4.1: are all units payable from signature, may
quantities go down, how often is it billed, may prices rise from year to year). A scenario may
hold several offers of one supplier (002 §2.4.1); the lowest-priced scenario may be contracted
without the head of the organisation's authorisation (RCTI art. 48, 002 §2.4.3).

Pure Python and NumPy: nothing here imports Django (the engine runs in benchmarks, workers and a
fresh interpreter alike). Every amount is an integer number of cents; every rounding is half-up
on integers; the result is exact and does not depend on the order of the input.

The rules, month by month, for one component billing the plan line ``need`` (q, D months):

- first use f = first month with q > 0; a component whose need has no quantity bills nothing.
- billed quantity b: all units from signature -> max(q) every month; else quantities that may
  not go down -> running maximum of q; else q. Then b = max(b, minimum_quantity) from f on
  (from month 0 when all units are payable from signature).
- price of tier i in contract year y = m // 12: p_0 = unit price, p_y = half_up(p_{y-1} *
  (10000 + bp) / 10000) = (p * (10000 + bp) + 5000) // 10000 (the same integer as
  (2p(10000 + bp) + 10000) // 20000): the maximum allowed increase, a conservative estimate.
- graduated tiers: cost(b, y) = sum_i max(0, min(b, next_min_i) - min_i) * p_i,y, the lowest
  tier starting at 0: cost never decreases when the quantity grows.
- per-month units, "hour", "fixed": month m accrues a[m] = cost(b[m], year(m)).
  monthly billing: a[m] billed in month m. yearly: every contract year billed in its first month,
  per-month units at the year's peak of b for each of the year's months, hour/fixed the sum of
  the year's a[m]. upfront: all billed in month 0, per-month units at the contract's peak of b
  for every month (each month at its own year's price), hour/fixed the sum of all a[m].
- "user_year": each contract year costs cost(peak of b over the year, y), prorated for a partial
  last year (half_up(cost * n / 12) = (cost * n + 6) // 12), billed in the year's first month
  (month 0 for upfront billing: the sum of the years).
- minimum term: a commitment of the contract, counted from signature. When the contract (D
  months) is shorter than minimum_term_months, the s missing months are owed in the last month as
  a separate "minimum_term" line item: s * cost(b[D-1], year(D-1)) for per-month units,
  half_up(cost(b[D-1], year(D-1)) * s / 12) for "user_year", nothing for hour/fixed (usage).

Overflow: quantities <= 10,000,000, prices <= 1,000,000,000 cents and increases <= 10,000 bp
(+100 % a year, so a price at most quadruples over three years) bound one month of one component
to 10^7 * 4 * 10^9 = 4 * 10^16 cents, and one component's whole charge (36 months plus a minimum
term of at most 60 months) to 3.84 * 10^18 < 2^63 - 1: int64 never overflows inside one
component. Scenario sums add components: every price call checks (exactly, in Python integers)
that the sum of its components' bounds (peak quantity * highest price * (months + minimum term))
stays below 2^63 for each supplier, and refuses the input otherwise (ERR_AMOUNT_BOUND).

Scenarios: ``price_offer`` bills every component of one offer. ``best_scenario`` and ``rank``
look for each supplier's cheapest set of offers covering every need with a non-zero total: a set
pays the mandatory components (base inclusions) of its offers, and for each needed need none of
them covers, the cheapest other component of the set (ties: the smaller offer key); ties between
sets go to the lower total, then fewer offers, then the smaller sorted list of offer keys. Group
purchases (seed 003) are priced on the aggregated needs; each charge is then split among the
members by their consumption of its need over the months it covers, exactly (largest remainder).

How it is vectorised: every component of every offer is one row of (components, months) int64
arrays (quantities, billed quantities, monthly amounts); tiers are padded to (components, K) and
priced per contract year as (components, years, K); graduated tiers are a sum of slopes over
K (a loop over tier positions, never over components or months); running maxima use
np.maximum.accumulate and contract years a reshape to (components, years, 12). The subsets of
each supplier's offers are built as a (2^k, needs) table by doubling, for all suppliers with
the same k at once. Python loops only read the input objects and build the output objects.

``pricing_loop`` is the same semantics written as plain loops on Python integers: the oracle of
the property tests and the reference of benchmarks/scenarios.py.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

__all__ = [
    "BILLINGS",
    "MAX_COMBINED_OFFERS",
    "MAX_MONTHS",
    "UNITS",
    "ComponentPrice",
    "LineItem",
    "OfferPrices",
    "Plan",
    "PricingInputError",
    "Ranking",
    "Scenario",
    "Tier",
    "best_scenario",
    "price_offer",
    "rank",
    "read_offers",
]

# --- limits (DOMAIN §3.1: contracts of at most 3 years) -------------------------------------------

MAX_MONTHS = 36
MAX_QUANTITY = 10_000_000
MAX_PRICE_CENTS = 1_000_000_000
MAX_INCREASE_BP = 10_000
MAX_MINIMUM_TERM_MONTHS = 60
MAX_COMBINED_OFFERS = 16
AMOUNT_LIMIT = 2**63 - 1

PER_MONTH_UNITS = ("user_month", "gb_month", "tb_month", "instance_month", "vcpu_month")
USAGE_UNITS = ("hour", "fixed")
USER_YEAR = "user_year"
UNITS = (*PER_MONTH_UNITS, USER_YEAR, *USAGE_UNITS)
MONTHLY, YEARLY, UPFRONT = "monthly", "yearly", "upfront"
BILLINGS = (MONTHLY, YEARLY, UPFRONT)
USAGE, MINIMUM_TERM = "usage", "minimum_term"

# --- error messages (shared by the code and the tests) ----------------------------------------

ERR_PLAN_TYPE = "plan must be a Plan (got {value!r})"
ERR_MONTHS = "plan.months must be an integer from 1 to 36 (got {value!r})"
ERR_NEEDS_TYPE = "{field} must be a mapping of need codes to monthly quantities"
ERR_TEXT = "{field} must be a non-empty string (got {value!r})"
ERR_LENGTH = "{field} must hold {months} monthly quantities, one per contract month (got {length})"
ERR_QUANTITY = "{field} must hold integers from 0 to 10000000 (month {month}: {value!r})"
ERR_MEMBERS_EMPTY = "plan.members must name at least one member"
ERR_MEMBERS_SUM = (
    "plan.needs[{need!r}] must equal the sum of the members' quantities "
    "(month {month}: {total} in needs, {members} for the members)"
)
ERR_OFFER_TYPE = "{field} must be an OfferPrices (got {value!r})"
ERR_COMPONENT_TYPE = "{field} must be a ComponentPrice (got {value!r})"
ERR_TIER_TYPE = "{field} must be a Tier (got {value!r})"
ERR_UNIT = "{field} must be one of " + ", ".join(UNITS) + " (got {value!r})"
ERR_BILLING = "{field} must be one of " + ", ".join(BILLINGS) + " (got {value!r})"
ERR_FLAG = "{field} must be True or False (got {value!r})"
ERR_TIERS_EMPTY = "{field} must hold at least one tier"
ERR_TIER_QUANTITY = "{field} must be an integer from 0 to 10000000 (got {value!r})"
ERR_TIER_DUPLICATE = "{field} repeats a tier starting at {value}"
ERR_PRICE = "{field} must be an integer from 0 to 1000000000 cents (got {value!r})"
ERR_INCREASE = "{field} must be an integer from 0 to 10000 basis points (got {value!r})"
ERR_MINIMUM_QUANTITY = "{field} must be an integer from 0 to 10000000 (got {value!r})"
ERR_MINIMUM_TERM = "{field} must be an integer from 0 to 60 months (got {value!r})"
ERR_OFFERS_UNREADABLE = "offers could not be read"
ERR_DUPLICATE_OFFER = "{field}: offer {key!r} is given twice"
ERR_DUPLICATE_NEED = "{field}: offer {key!r} already has a component for need {need!r}"
ERR_NO_OFFERS = "offers must hold at least one offer of the supplier"
ERR_MIXED_SUPPLIERS = (
    "offers must all belong to one supplier (found {first!r} and {other!r}); use rank()"
)
ERR_TOO_MANY_OFFERS = (
    "supplier {supplier!r}: {count} offers cover the plan's needs; at most 16 can be combined"
)
ERR_AMOUNT_BOUND = (
    "supplier {supplier!r}: quantities and prices this large could exceed 2**63 - 1 cents"
)


class PricingInputError(ValueError):
    """The plan or an offer cannot be priced. ``field`` names the offending input."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """A graduated volume tier: units from ``min_quantity`` on cost ``unit_price_cents``."""

    min_quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class ComponentPrice:
    """One priced component of one offer (a catalogue PriceLine group) and its terms
    (004 §3.4.1)."""

    component_code: str
    need: str
    unit: str
    billing: str
    tiers: tuple[Tier, ...]
    mandatory: bool = False
    minimum_quantity: int = 0
    minimum_term_months: int = 0
    all_units_from_signature: bool = False
    may_decrease: bool = True
    max_yearly_increase_bp: int = 0


@dataclass(frozen=True)
class OfferPrices:
    """The prices in force of one offer: at most one component per need."""

    offer_key: str
    supplier_key: str
    label: str
    components: tuple[ComponentPrice, ...]


@dataclass(frozen=True)
class Plan:
    """Estimated consumption (DOMAIN §3.1, a rigorous estimate): need -> quantity per month.
    ``members`` (group purchases, seed 003): member -> need -> quantities; ``needs`` must be their
    element-wise sum."""

    months: int
    needs: Mapping[str, Sequence[int]]
    members: Mapping[str, Mapping[str, Sequence[int]]] | None = None


# --- outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineItem:
    """One charge line of a scenario. It covers months billed_month .. billed_month + months - 1
    (for monthly billing the amount falls month by month over them; Scenario.monthly_cents has
    the exact spread)."""

    offer_key: str
    component_code: str
    need: str
    kind: str  # "usage" | "minimum_term"
    year: int
    billed_month: int
    months: int
    quantity: int
    unit_price_cents: int
    amount_cents: int


@dataclass(frozen=True)
class Scenario:
    """The price of a set of offers of one supplier over the plan."""

    supplier_key: str
    offer_keys: tuple[str, ...]
    total_cents: int
    monthly_cents: tuple[int, ...]
    line_items: tuple[LineItem, ...]
    member_shares: Mapping[str, int] | None
    member_monthly: Mapping[str, tuple[int, ...]] | None
    complete: bool
    missing_needs: tuple[str, ...]


@dataclass(frozen=True)
class Ranking:
    """Complete scenarios by (total, supplier_key), then incomplete ones by supplier_key; the
    lowest-priced complete one (RCTI art. 48, 002 §2.4.3)."""

    scenarios: tuple[Scenario, ...]
    lowest: Scenario | None


# --- validation (shared with pricing_loop) ------------------------------------------------------


@dataclass(frozen=True)
class CheckedPlan:
    """A validated plan with plain Python integers."""

    months: int
    needs: dict[str, tuple[int, ...]]
    members: dict[str, dict[str, tuple[int, ...]]] | None
    needed: tuple[str, ...]  # needs with a non-zero total, sorted


def _fail(template: str, field: str, **values: object) -> PricingInputError:
    return PricingInputError(template.format(field=field, **values), field=field)


def _is_int(value: object) -> bool:
    return type(value) is int or (
        isinstance(value, numbers.Integral) and not isinstance(value, bool)
    )


def _text(value: object, field: str) -> str:
    if type(value) is not str or not value:
        raise _fail(ERR_TEXT, field, value=value)
    return value


def _quantities(values: object, months: int, field: str) -> tuple[int, ...]:
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise _fail(ERR_LENGTH, field, months=months, length="not a sequence")
    out = tuple(values)
    if len(out) != months:
        raise _fail(ERR_LENGTH, field, months=months, length=len(out))
    if all(type(x) is int and 0 <= x <= MAX_QUANTITY for x in out):
        return out
    clean = []
    for month, x in enumerate(out):
        if not _is_int(x) or not 0 <= int(x) <= MAX_QUANTITY:
            raise _fail(ERR_QUANTITY, field, month=month, value=x)
        clean.append(int(x))
    return tuple(clean)


def check_plan(plan: object) -> CheckedPlan:
    """Validate a plan (raises PricingInputError naming the offending field)."""
    if not isinstance(plan, Plan):
        raise PricingInputError(ERR_PLAN_TYPE.format(value=plan), field="plan")
    months = plan.months
    if type(months) is not int or not 1 <= months <= MAX_MONTHS:
        raise _fail(ERR_MONTHS, "plan.months", value=months)
    if not isinstance(plan.needs, Mapping):
        raise _fail(ERR_NEEDS_TYPE, "plan.needs")
    needs: dict[str, tuple[int, ...]] = {}
    for code, values in plan.needs.items():
        _text(code, "plan.needs")
        needs[code] = _quantities(values, months, f"plan.needs[{code!r}]")
    members = None
    if plan.members is not None:
        if not isinstance(plan.members, Mapping):
            raise _fail(ERR_NEEDS_TYPE, "plan.members")
        if not plan.members:
            raise PricingInputError(ERR_MEMBERS_EMPTY, field="plan.members")
        members = {}
        for member in sorted(plan.members, key=lambda k: (type(k) is not str, str(k))):
            _text(member, "plan.members")
            own = plan.members[member]
            field = f"plan.members[{member!r}]"
            if not isinstance(own, Mapping):
                raise _fail(ERR_NEEDS_TYPE, field)
            checked = {}
            for code, values in own.items():
                _text(code, field)
                checked[code] = _quantities(values, months, f"{field}[{code!r}]")
            members[member] = checked
        zero = (0,) * months
        for code in sorted(set(needs).union(*(m.keys() for m in members.values()))):
            total = needs.get(code, zero)
            for month in range(months):
                of_members = sum(m.get(code, zero)[month] for m in members.values())
                if of_members != total[month]:
                    raise PricingInputError(
                        ERR_MEMBERS_SUM.format(
                            need=code, month=month, total=total[month], members=of_members
                        ),
                        field=f"plan.needs[{code!r}]",
                    )
    needed = tuple(sorted(code for code, values in needs.items() if any(values)))
    return CheckedPlan(months=months, needs=needs, members=members, needed=needed)


def _bounded_int(value: object, high: int, template: str, field: str) -> None:
    if type(value) is not int or not 0 <= value <= high:
        raise _fail(template, field, value=value)


def _flag(value: object, field: str) -> None:
    if type(value) is not bool:
        raise _fail(ERR_FLAG, field, value=value)


def _check_component(c: object, field: str) -> None:
    if not isinstance(c, ComponentPrice):
        raise _fail(ERR_COMPONENT_TYPE, field, value=c)
    _text(c.component_code, f"{field}.component_code")
    _text(c.need, f"{field}.need")
    if c.unit not in UNITS:
        raise _fail(ERR_UNIT, f"{field}.unit", value=c.unit)
    if c.billing not in BILLINGS:
        raise _fail(ERR_BILLING, f"{field}.billing", value=c.billing)
    for name in ("mandatory", "all_units_from_signature", "may_decrease"):
        _flag(getattr(c, name), f"{field}.{name}")
    _bounded_int(
        c.minimum_quantity, MAX_QUANTITY, ERR_MINIMUM_QUANTITY, f"{field}.minimum_quantity"
    )
    _bounded_int(
        c.minimum_term_months,
        MAX_MINIMUM_TERM_MONTHS,
        ERR_MINIMUM_TERM,
        f"{field}.minimum_term_months",
    )
    _bounded_int(
        c.max_yearly_increase_bp, MAX_INCREASE_BP, ERR_INCREASE, f"{field}.max_yearly_increase_bp"
    )
    tiers = c.tiers
    if not _is_sequence(tiers) or not tiers:
        raise _fail(ERR_TIERS_EMPTY, f"{field}.tiers")
    seen = set()
    for t, tier in enumerate(tiers):
        where = f"{field}.tiers[{t}]"
        if not isinstance(tier, Tier):
            raise _fail(ERR_TIER_TYPE, where, value=tier)
        _bounded_int(tier.min_quantity, MAX_QUANTITY, ERR_TIER_QUANTITY, f"{where}.min_quantity")
        _bounded_int(tier.unit_price_cents, MAX_PRICE_CENTS, ERR_PRICE, f"{where}.unit_price_cents")
        if tier.min_quantity in seen:
            raise _fail(ERR_TIER_DUPLICATE, f"{field}.tiers", value=tier.min_quantity)
        seen.add(tier.min_quantity)


def _is_sequence(value: object) -> bool:
    return (
        type(value) is tuple
        or type(value) is list
        or (isinstance(value, Sequence) and not isinstance(value, str | bytes))
    )


def check_each_offer(offers: list[object]) -> None:
    """Check the offers one field at a time and raise on the first fault, naming its field."""
    keys: set[str] = set()
    for o, offer in enumerate(offers):
        field = f"offers[{o}]"
        if not isinstance(offer, OfferPrices):
            raise _fail(ERR_OFFER_TYPE, field, value=offer)
        _text(offer.offer_key, f"{field}.offer_key")
        _text(offer.supplier_key, f"{field}.supplier_key")
        if type(offer.label) is not str:
            raise _fail(ERR_TEXT, f"{field}.label", value=offer.label)
        if offer.offer_key in keys:
            raise _fail(ERR_DUPLICATE_OFFER, f"{field}.offer_key", key=offer.offer_key)
        keys.add(offer.offer_key)
        if not _is_sequence(offer.components):
            raise _fail(ERR_COMPONENT_TYPE, f"{field}.components", value=offer.components)
        needs: set[str] = set()
        for i, c in enumerate(offer.components):
            where = f"{field}.components[{i}]"
            _check_component(c, where)
            if c.need in needs:
                raise _fail(ERR_DUPLICATE_NEED, f"{where}.need", key=offer.offer_key, need=c.need)
            needs.add(c.need)


_COMPONENT_FIELDS = attrgetter(
    "component_code",
    "need",
    "unit",
    "billing",
    "tiers",
    "mandatory",
    "all_units_from_signature",
    "may_decrease",
    "minimum_quantity",
    "minimum_term_months",
    "max_yearly_increase_bp",
)
_PAD = 1 << 40  # start of a padding tier: above any quantity, so it never bills


def _texts(values: Sequence[object]) -> bool:
    return set(map(type, values)) <= {str} and all(values)


def _all_of(values: Sequence[object], kind: type) -> bool:
    types = set(map(type, values))
    return types <= {kind} or all(isinstance(v, kind) for v in values)


def _sequences(values: Sequence[object]) -> bool:
    """Every value a non-empty sequence (not a string)."""
    if not set(map(type, values)) <= {tuple, list}:
        return all(_is_sequence(v) for v in values) and all(map(len, values))
    return all(values)


def _int_array(values: Sequence[object], high: int) -> np.ndarray | None:
    """The values as int64 when every one is an int from 0 to high, else None."""
    if values and set(map(type, values)) != {int}:
        return None
    try:
        array = np.fromiter(values, dtype=np.int64, count=len(values))
    except OverflowError:
        return None
    if len(array) and (array.min() < 0 or array.max() > high):
        return None
    return array


def _bool_array(values: Sequence[object]) -> np.ndarray | None:
    if not set(map(type, values)) <= {bool}:
        return None
    return np.fromiter(values, dtype=bool, count=len(values))


class Offers:
    """Validated offers read in bulk: one array row per component, in offer order."""

    def __init__(self, plan: CheckedPlan, offers: list[OfferPrices], columns: list) -> None:
        (
            codes,
            needs,
            units,
            billings,
            per,
            self.mandatory,
            self.aufs,
            may_decrease,
            self.minimum,
            self.term,
            self.bp,
            starts_flat,
            prices_flat,
        ) = columns
        self.offers = offers
        self.keys = [o.offer_key for o in offers]
        self.suppliers = [o.supplier_key for o in offers]
        counts = [len(o.components) for o in offers]
        self.offer_index = np.repeat(np.arange(len(offers), dtype=np.int64), counts)
        n = self.n = len(self.offer_index)
        self.component_codes, self.need_codes = codes, needs
        self.keeps = ~may_decrease  # quantities may not go down
        self.kind = np.fromiter(map(_UNIT_KIND.__getitem__, units), dtype=np.int8, count=n)
        self.billing = np.fromiter(map(_BILLING_CODE.__getitem__, billings), dtype=np.int8, count=n)
        # Tiers: sorted by start within each component, padded to (n, K).
        owner = np.repeat(np.arange(n, dtype=np.int64), per)
        place_key = (owner << 24) | starts_flat  # starts <= MAX_QUANTITY < 2^24
        step = np.diff(place_key)
        if (step <= 0).any():  # not already sorted (an equal step is a repeated tier)
            order = np.argsort(place_key, kind="stable")
            starts_flat, prices_flat = starts_flat[order], prices_flat[order]
            step = np.diff(place_key[order])
        self.duplicate_tier = bool((step == 0).any())
        k = max(per, default=1)
        first = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per, out=first[1:])
        place = np.arange(len(owner), dtype=np.int64) - first[owner]
        mins = np.full((n, k), _PAD, dtype=np.int64)
        prices = np.zeros((n, k), dtype=np.int64)
        mins[owner, place] = starts_flat
        prices[owner, place] = prices_flat
        mins[:, 0] = 0  # the lowest tier starts at 0
        self.mins, self.base_prices = mins, prices
        # Needs: row of the plan's table (the extra last row is all zeros), index among the
        # needed needs (-1 when not needed), and a code for checking one component per need.
        ids: dict[str, int] = {}
        need_id = np.fromiter([ids.setdefault(c, len(ids)) for c in needs], dtype=np.int64, count=n)
        need_row = {code: i for i, code in enumerate(plan.needs)}
        needed = {code: j for j, code in enumerate(plan.needed)}
        self.need_index = np.array([need_row.get(c, len(need_row)) for c in ids], np.int64)[need_id]
        self.needed_index = np.array([needed.get(c, -1) for c in ids], np.int64)[need_id]
        pair = np.sort(self.offer_index * max(len(ids), 1) + need_id)
        self.duplicate_need = bool((pair[1:] == pair[:-1]).any())


def _read_offers(plan: CheckedPlan, offers: list[object]) -> Offers | None:
    """Read and check the offers in bulk; None when anything is wrong (the field-by-field check
    then says what)."""
    if not _all_of(offers, OfferPrices):
        return None
    keys = [o.offer_key for o in offers]
    if not (
        _texts(keys)
        and _texts([o.supplier_key for o in offers])
        and set(map(type, [o.label for o in offers])) <= {str}
        and len(set(keys)) == len(keys)
        and all(_is_sequence(o.components) for o in offers)
    ):
        return None
    components = [c for o in offers for c in o.components]
    if not _all_of(components, ComponentPrice):
        return None
    columns: list = (
        list(zip(*map(_COMPONENT_FIELDS, components), strict=True)) if components else [()] * 11
    )
    codes, needs, units, billings, tiers = columns[:5]
    try:
        known = set(units) <= set(UNITS) and set(billings) <= set(BILLINGS)
    except TypeError:  # an unhashable unit or billing
        return None
    if not (known and _texts(codes) and _texts(needs) and _sequences(tiers)):
        return None
    flags = [_bool_array(columns[i]) for i in (5, 6, 7)]
    numbers_ = [
        _int_array(columns[8], MAX_QUANTITY),
        _int_array(columns[9], MAX_MINIMUM_TERM_MONTHS),
        _int_array(columns[10], MAX_INCREASE_BP),
    ]
    flat = [t for ts in tiers for t in ts]
    if not _all_of(flat, Tier):
        return None
    tier_starts = _int_array([t.min_quantity for t in flat], MAX_QUANTITY)
    tier_prices = _int_array([t.unit_price_cents for t in flat], MAX_PRICE_CENTS)
    arrays = [*flags, *numbers_, tier_starts, tier_prices]
    if any(a is None for a in arrays):
        return None
    per = list(map(len, tiers))
    read = Offers(plan, offers, [list(codes), list(needs), units, billings, per, *arrays])
    if read.duplicate_tier or read.duplicate_need:
        return None
    return read


def offer_list(offers: object) -> list:
    """Any iterable of offers as a list."""
    try:
        return list(offers)  # type: ignore[call-overload]
    except TypeError:
        raise _fail(ERR_OFFER_TYPE, "offers", value=offers) from None


def read_offers(plan: CheckedPlan, offers: object) -> Offers:
    """Validate offers (fields, unique offer keys, one component per need per offer, distinct
    tiers) and the amount bound of each supplier (see the module docstring); raises
    PricingInputError naming the offending field."""
    offers = offer_list(offers)
    read = _read_offers(plan, offers)
    if read is None:
        check_each_offer(offers)  # raises, naming the field
        raise PricingInputError(ERR_OFFERS_UNREADABLE, field="offers")
    # Amount bound: peak billed quantity * highest price of the last year * (months + minimum
    # term) per component, summed per supplier, must stay below 2^63 (each term is below 2^62).
    peaks = np.zeros(len(plan.needs) + 1, dtype=np.int64)
    if plan.needs:
        peaks[:-1] = [max(values) for values in plan.needs.values()]
    peak = peaks[read.need_index]
    price = read.base_prices.max(axis=1, initial=0)
    for _ in range((plan.months + 11) // 12 - 1):
        price = (price * (10_000 + read.bp) + 5_000) // 10_000
    bound = np.where(
        peak > 0,
        np.maximum(peak, read.minimum) * price * (plan.months + read.term),
        0,
    )
    supplier_ids: dict[str, int] = {}
    of_offer = np.array(
        [supplier_ids.setdefault(s, len(supplier_ids)) for s in read.suppliers], dtype=np.int64
    )
    owner = of_offer[read.offer_index]
    rough = np.bincount(owner, weights=bound.astype(np.float64), minlength=len(supplier_ids))
    for supplier, s in supplier_ids.items():
        if rough[s] > 2.0**62 and sum(bound[owner == s].tolist()) > AMOUNT_LIMIT:
            raise _fail(ERR_AMOUNT_BOUND, "offers", supplier=supplier)
    return read


def check_one_supplier(offers: list[OfferPrices]) -> str:
    """The supplier of offers that must all belong to one supplier."""
    if not offers:
        raise PricingInputError(ERR_NO_OFFERS, field="offers")
    supplier = offers[0].supplier_key
    for o, offer in enumerate(offers):
        if offer.supplier_key != supplier:
            raise _fail(
                ERR_MIXED_SUPPLIERS,
                f"offers[{o}].supplier_key",
                first=supplier,
                other=offer.supplier_key,
            )
    return supplier


def too_many_offers(supplier: str, count: int) -> PricingInputError:
    return PricingInputError(
        ERR_TOO_MANY_OFFERS.format(supplier=supplier, count=count), field="offers"
    )


def sort_ranking(scenarios: list[Scenario]) -> Ranking:
    """Complete scenarios by (total, supplier key), then incomplete ones by supplier key."""
    complete = sorted(
        (s for s in scenarios if s.complete), key=lambda s: (s.total_cents, s.supplier_key)
    )
    incomplete = sorted((s for s in scenarios if not s.complete), key=lambda s: s.supplier_key)
    return Ranking(scenarios=(*complete, *incomplete), lowest=complete[0] if complete else None)


# --- the vectorised engine ---------------------------------------------------------------------

_UNIT_KIND = {**dict.fromkeys(PER_MONTH_UNITS, 0), USER_YEAR: 1, **dict.fromkeys(USAGE_UNITS, 2)}
_BILLING_CODE = {MONTHLY: 0, YEARLY: 1, UPFRONT: 2}
_INF = np.int64(AMOUNT_LIMIT)
_SUBSET_CELLS = 1 << 22  # at most this many (supplier, subset, need) cells at once


class _Priced:
    """Every component of every offer priced over the plan at once: arrays of one row per
    component (no loop over components or months)."""

    def __init__(self, plan: CheckedPlan, read: Offers) -> None:
        d = self.months = plan.months
        y_count = self.years = (d + 11) // 12
        n = read.n
        kind, billing = read.kind, read.billing
        tier_starts = read.mins
        k_count = tier_starts.shape[1]
        # Prices per contract year, compounding with half-up rounding: (n, Y, K).
        prices = np.empty((n, y_count, k_count), dtype=np.int64)
        prices[:, 0, :] = read.base_prices
        factor = (10_000 + read.bp)[:, None]
        for y in range(1, y_count):
            prices[:, y, :] = (prices[:, y - 1, :] * factor + 5_000) // 10_000
        # Graduated tiers as a sum of slopes: cost(b) = sum_t (p_t - p_{t-1}) * max(0, b - s_t)
        # (p_{-1} = 0; padding tiers add nothing). Every partial sum is the cost of a truncated
        # schedule, so it stays within b * max(p).
        slopes = np.diff(prices, axis=2, prepend=0)
        slopes[np.broadcast_to((tier_starts == _PAD)[:, None, :], slopes.shape)] = 0

        # Billed quantities b (n, D).
        # Quantities fit in int32 (<= MAX_QUANTITY); amounts are int64.
        table = np.zeros((len(plan.needs) + 1, d), dtype=np.int32)
        if plan.needs:
            table[:-1] = list(plan.needs.values())
        b = table[read.need_index]  # a copy: q, made into b in place
        used = b > 0
        has = used.any(axis=1)
        first = np.where(has, used.argmax(axis=1), d)
        month = np.arange(d)
        aufs = read.aufs
        keeps = read.keeps & ~aufs
        if keeps.any():
            b[keeps] = np.maximum.accumulate(b[keeps], axis=1)
        if aufs.any():
            b[aufs] = b[aufs].max(axis=1)[:, None]
        floor = has & (read.minimum > 0)
        if floor.any():
            floor_from = np.where(aufs[floor], 0, first[floor])[:, None]
            minimum = read.minimum[floor][:, None]
            b[floor] = np.where(month >= floor_from, np.maximum(b[floor], minimum), b[floor])

        span = np.minimum(12, d - 12 * np.arange(y_count))  # months of each contract year
        blocks = [(slice(12 * y, 12 * y + 12), y) for y in range(y_count)]

        def by_year(x: np.ndarray) -> np.ndarray:
            """(n, D) -> (n, Y, 12), the months past the contract as zeros."""
            if d == 12 * y_count:
                return x.reshape(n, y_count, 12)
            out = np.zeros((n, 12 * y_count), dtype=x.dtype)
            out[:, :d] = x
            return out.reshape(n, y_count, 12)

        def cost(quantity: np.ndarray, by_month: bool) -> np.ndarray:
            """Graduated tier cost of quantity (n, L), tier by tier: column l at the prices of
            year l // 12 (by_month) or of year l. The first tier starts at 0."""

            def times_slope(x: np.ndarray, t: int) -> None:
                if by_month:
                    for columns, y in blocks:
                        x[:, columns] *= slopes[:, y, t : t + 1]
                else:
                    x *= slopes[:, :, t]

            total = quantity.astype(np.int64)
            times_slope(total, 0)
            part = np.empty_like(total)
            for t in range(1, k_count):
                np.subtract(quantity, tier_starts[:, t : t + 1], out=part)
                np.maximum(part, 0, out=part)
                times_slope(part, t)
                total += part
            return total

        accrued = cost(b, by_month=True)  # a[m]
        year_peak = by_year(b).max(axis=2)
        contract_peak = b.max(axis=1, initial=0)
        peak_cost = cost(year_peak, by_month=False)  # cost(peak of year y, y)
        contract_cost = cost(np.repeat(contract_peak[:, None], y_count, axis=1), by_month=False)
        a_year_sum = by_year(accrued).sum(axis=2)
        user_years = (peak_cost * span + 6) // 12  # prorated, half-up

        per_month, user_year = kind == 0, kind == 1
        year_start = np.where(
            per_month[:, None],
            peak_cost * span,
            np.where(user_year[:, None], user_years, a_year_sum),
        )
        upfront_total = np.where(
            per_month,
            (contract_cost * span).sum(axis=1),
            np.where(user_year, user_years.sum(axis=1), a_year_sum.sum(axis=1)),
        )
        is_upfront = billing == 2
        last = accrued[:, d - 1].copy()
        billed = accrued  # monthly billing; the other rows are set below
        billed[(billing != 0) | user_year] = 0
        at_year_start = (billing == 1) | (user_year & ~is_upfront)
        billed[:, 0:d:12] += np.where(at_year_start[:, None], year_start, 0)
        billed[:, 0] += np.where(is_upfront, upfront_total, 0)
        self.billed = billed  # (n, D) by billed month

        # Minimum term: the missing months are owed in the last month (usage units owe none).
        # The term counts from signature (so using a need earlier never lowers the price).
        missing = np.where(has & (kind != 2), np.maximum(read.term - d, 0), 0)
        self.short_months = missing
        self.short = np.where(per_month, missing * last, (last * missing + 6) // 12)
        self.last_quantity = b[:, d - 1]
        self.total = billed.sum(axis=1) + self.short

        # Usage line items, one per contract year: amount, first billed month, months covered,
        # peak quantity, first-tier price.
        billed_years = by_year(billed)
        self.year_amount = billed_years.sum(axis=2)
        starts = 12 * np.arange(y_count)
        self.year_month = starts[None, :] + (billed_years > 0).argmax(axis=2)
        year_end = starts + span - 1
        self.year_months = np.where(is_upfront[:, None], d, year_end[None, :] - self.year_month + 1)
        self.year_quantity = np.where(is_upfront[:, None], contract_peak[:, None], year_peak)
        self.first_price = prices[:, :, 0]  # (n, Y)


@dataclass
class _Chosen:
    """The scenarios to build: per scenario its supplier, offers and completeness; the billed
    component rows sorted by (scenario, offer key, need) with their scenario."""

    suppliers: list[str]
    offer_keys: list[tuple[str, ...]]
    complete: list[bool]
    missing: list[tuple[str, ...]]
    rows: np.ndarray
    owner: np.ndarray


def _choose_best(plan: CheckedPlan, read: Offers, priced: _Priced) -> _Chosen:
    """Every supplier's cheapest covering set of offers (DOMAIN §3.4; 002 §2.4.1).

    The subsets of a supplier's k offers covering a needed need are enumerated as a bit matrix
    built by doubling (2^k subsets), for all the suppliers with the same k at once. Cost of a set:
    its mandatory components, plus for each needed need that none of them covers the cheapest
    other component of the set. Among the sets covering every needed need: the lowest total,
    then the fewest offers, then the smallest sorted list of offer keys. Offers are numbered in
    key order and offer i is bit (k - 1 - i), so that among sets of one size the larger mask is
    the lexicographically smaller list of keys."""
    j_count = len(plan.needed)
    suppliers = sorted(set(read.suppliers))
    sup_id = {s: i for i, s in enumerate(suppliers)}
    offer_sup = np.array([sup_id[s] for s in read.suppliers], dtype=np.int64)
    key_rank = np.empty(len(read.keys), dtype=np.int64)
    key_rank[sorted(range(len(read.keys)), key=read.keys.__getitem__)] = np.arange(len(read.keys))
    needed_rows = np.nonzero(read.needed_index >= 0)[0]
    relevant = np.zeros(len(read.keys), dtype=bool)
    relevant[read.offer_index[needed_rows]] = True
    # Relevant offers by (supplier, key): position within the supplier, k per supplier.
    rel = np.nonzero(relevant)[0]
    rel = rel[np.lexsort((key_rank[rel], offer_sup[rel]))]
    rel_sup = offer_sup[rel]
    k_of = np.bincount(rel_sup, minlength=len(suppliers))
    first_of = np.zeros(len(suppliers) + 1, dtype=np.int64)
    np.cumsum(k_of, out=first_of[1:])
    position = np.full(len(read.keys), -1, dtype=np.int64)
    position[rel] = np.arange(len(rel)) - first_of[rel_sup]
    too_many = np.nonzero(k_of > MAX_COMBINED_OFFERS)[0]
    if len(too_many):
        raise too_many_offers(suppliers[too_many[0]], int(k_of[too_many[0]]))

    row_sup = offer_sup[read.offer_index[needed_rows]]
    row_pos = position[read.offer_index[needed_rows]]
    row_j = read.needed_index[needed_rows]
    row_mand = read.mandatory[needed_rows]
    chosen_mask = np.zeros(len(suppliers), dtype=np.int64)
    complete = np.zeros(len(suppliers), dtype=bool)
    missing = np.zeros((len(suppliers), j_count), dtype=bool)
    picked_rows = []
    for k in np.unique(k_of).tolist():
        group = np.nonzero(k_of == k)[0]
        if k == 0:  # no offer covers a needed need: complete only if nothing is needed
            complete[group] = j_count == 0
            missing[group] = True
            continue
        size = 1 << k
        chunk = max(1, _SUBSET_CELLS // (size * max(j_count, 1)))
        slot = np.full(len(suppliers), -1, dtype=np.int64)
        for start in range(0, len(group), chunk):
            batch = group[start : start + chunk]
            g = len(batch)
            slot[batch] = np.arange(g)
            mine = slot[row_sup] >= 0
            gs, pos, js = slot[row_sup[mine]], row_pos[mine], row_j[mine]
            mand, rows = row_mand[mine], needed_rows[mine]
            cost = priced.total[rows]
            cheapest = np.full((g, k, j_count), _INF, dtype=np.int64)
            cheapest[gs[~mand], pos[~mand], js[~mand]] = cost[~mand]
            row_at = np.zeros((g, k, j_count), dtype=np.int64)
            row_at[gs[~mand], pos[~mand], js[~mand]] = rows[~mand]
            base_cover = np.zeros((g, k, j_count), dtype=bool)
            base_cover[gs[mand], pos[mand], js[mand]] = True
            base_cost = np.zeros((g, k), dtype=np.int64)
            np.add.at(base_cost, (gs[mand], pos[mand]), cost[mand])
            # All subsets by doubling: bit b adds the offer at position k - 1 - b.
            sub_cheapest = np.full((g, size, j_count), _INF, dtype=np.int64)
            sub_cover = np.zeros((g, size, j_count), dtype=bool)
            sub_base = np.zeros((g, size), dtype=np.int64)
            sub_count = np.zeros(size, dtype=np.int64)
            for bit in range(k):
                p, low, high = k - 1 - bit, 1 << bit, 2 << bit
                np.minimum(
                    sub_cheapest[:, :low], cheapest[:, p : p + 1], out=sub_cheapest[:, low:high]
                )
                np.logical_or(
                    sub_cover[:, :low], base_cover[:, p : p + 1], out=sub_cover[:, low:high]
                )
                np.add(sub_base[:, :low], base_cost[:, p : p + 1], out=sub_base[:, low:high])
                sub_count[low:high] = sub_count[:low] + 1
            bought = sub_cheapest < _INF
            full = (sub_cover | bought).all(axis=2)
            total = sub_base + np.where(~sub_cover & bought, sub_cheapest, 0).sum(axis=2)
            best_total = np.where(full, total, _INF).min(axis=1)
            tie = full & (total == best_total[:, None])
            masks = np.arange(size, dtype=np.int64)
            order = np.where(tie, sub_count * size + (size - 1 - masks), _INF)
            found = full.any(axis=1)
            mask = np.where(found, order.argmin(axis=1), size - 1)  # else every offer
            chosen_mask[batch], complete[batch] = mask, found
            # The billed rows of the chosen sets.
            inside = (mask[:, None] >> (k - 1 - np.arange(k))[None, :]) & 1 == 1  # (g, k)
            base_in = (base_cover & inside[:, :, None]).any(axis=1)  # (g, J)
            offered = np.where(inside[:, :, None], cheapest, _INF)
            best_pos = offered.argmin(axis=1)  # the smallest key among equal costs
            buy = ~base_in & (offered.min(axis=1, initial=_INF) < _INF)
            missing[batch] = ~(base_in | buy)
            buy_g, buy_j = np.nonzero(buy)
            picked_rows.append(row_at[buy_g, best_pos[buy_g, buy_j], buy_j])
            picked_rows.append(rows[mand][inside[gs[mand], pos[mand]]])
            slot[batch] = -1
    rows = np.concatenate([np.zeros(0, dtype=np.int64), *picked_rows])
    # Offers of each chosen set, in key order.
    k_rel = k_of[rel_sup]
    in_set = (chosen_mask[rel_sup] >> (k_rel - 1 - position[rel])) & 1 == 1
    keys = read.keys
    offer_keys: list[list[str]] = [[] for _ in suppliers]
    for s, o in zip(rel_sup[in_set].tolist(), rel[in_set].tolist(), strict=True):
        offer_keys[s].append(keys[o])
    needed = plan.needed
    missing_lists = [
        tuple(needed[j] for j in np.nonzero(missing[s])[0].tolist()) if not complete[s] else ()
        for s in range(len(suppliers))
    ]
    return _sorted_choice(
        read,
        key_rank,
        _Chosen(
            suppliers=suppliers,
            offer_keys=[tuple(x) for x in offer_keys],
            complete=complete.tolist(),
            missing=missing_lists,
            rows=rows,
            owner=offer_sup[read.offer_index[rows]],
        ),
    )


def _sorted_choice(read: Offers, key_rank: np.ndarray, chosen: _Chosen) -> _Chosen:
    order = np.lexsort(
        (read.needed_index[chosen.rows], key_rank[read.offer_index[chosen.rows]], chosen.owner)
    )
    chosen.rows, chosen.owner = chosen.rows[order], chosen.owner[order]
    return chosen


def _line_items(*columns: list) -> list[LineItem]:
    """LineItem objects from columns of values (in field order), built without the frozen
    dataclass's __init__, which sets each field through object.__setattr__: the same objects
    (fields, equality, hash, repr) in half the time, which counts for the thousands of items a
    ranking holds."""
    new, set_dict = object.__new__, object.__setattr__
    out = []
    append = out.append
    for offer, code, need, kind, year, month, months, quantity, price, amount in zip(
        *columns, strict=True
    ):
        item = new(LineItem)
        set_dict(
            item,
            "__dict__",
            {
                "offer_key": offer,
                "component_code": code,
                "need": need,
                "kind": kind,
                "year": year,
                "billed_month": month,
                "months": months,
                "quantity": quantity,
                "unit_price_cents": price,
                "amount_cents": amount,
            },
        )
        append(item)
    return out


def _take(values: list[str], index: np.ndarray) -> list[str]:
    return [values[i] for i in index.tolist()]


def _scenarios(plan: CheckedPlan, read: Offers, priced: _Priced, chosen: _Chosen) -> list[Scenario]:
    """Monthly spread, line items and members' shares of every chosen set at once."""
    d, y_count = priced.months, priced.years
    rows, owner = chosen.rows, chosen.owner
    count = len(chosen.suppliers)
    # Monthly spread: rows are sorted by scenario, so each scenario's rows are one run (summed
    # apart: a scenario's sum stays within its bound, a running sum across scenarios might not).
    charged = priced.billed[rows]
    charged[:, d - 1] += priced.short[rows]
    monthly = np.zeros((count, d), dtype=np.int64)
    runs = np.nonzero(np.diff(owner, prepend=-1))[0]
    if len(rows):
        monthly[owner[runs]] = np.add.reduceat(charged, runs, axis=0)
    # Line items: one per (row, year) with a non-zero amount, then the minimum-term item.
    amounts = np.concatenate([priced.year_amount[rows], priced.short[rows][:, None]], axis=1)
    item_row, item_col = np.nonzero(amounts)
    is_short = item_col == y_count
    year = np.where(is_short, (d - 1) // 12, item_col)
    col = np.minimum(item_col, y_count - 1)
    r = rows[item_row]
    made = _line_items(
        _take(read.keys, read.offer_index[r]),
        _take(read.component_codes, r),
        _take(read.need_codes, r),
        [MINIMUM_TERM if short else USAGE for short in is_short.tolist()],
        year.tolist(),
        np.where(is_short, d - 1, priced.year_month[r, col]).tolist(),
        np.where(is_short, priced.short_months[r], priced.year_months[r, col]).tolist(),
        np.where(is_short, priced.last_quantity[r], priced.year_quantity[r, col]).tolist(),
        priced.first_price[r, year].tolist(),
        amounts[item_row, item_col].tolist(),
    )
    bounds = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[item_row], minlength=count), out=bounds[1:])
    bounds = bounds.tolist()
    items = [tuple(made[bounds[i] : bounds[i + 1]]) for i in range(count)]
    shares: list[dict[str, int]] | None = None
    spreads: list[dict[str, tuple[int, ...]]] | None = None
    if plan.members is not None:
        shares, spreads = _member_shares(plan, read, priced, rows, owner, count)
    out = []
    totals = monthly.sum(axis=1).tolist()
    for i, spread in enumerate(map(tuple, monthly.tolist())):
        out.append(
            Scenario(
                supplier_key=chosen.suppliers[i],
                offer_keys=chosen.offer_keys[i],
                total_cents=totals[i],
                monthly_cents=spread,
                line_items=items[i],
                member_shares=shares[i] if shares is not None else None,
                member_monthly=spreads[i] if spreads is not None else None,
                complete=chosen.complete[i],
                missing_needs=chosen.missing[i],
            )
        )
    return out


def _member_shares(
    plan: CheckedPlan,
    read: Offers,
    priced: _Priced,
    rows: np.ndarray,
    owner: np.ndarray,
    count: int,
) -> tuple[list[dict[str, int]], list[dict[str, tuple[int, ...]]]]:
    """Group purchases: each charge is split among the members in proportion to their
    consumption of its need over the months it covers (monthly: its month; yearly and
    user_year: its year; upfront and minimum term: the contract), else over the contract, else
    equally; exactly, by the largest-remainder method (ties by member key)."""
    assert plan.members is not None
    d = priced.months
    members = list(plan.members)  # sorted by check_plan
    m_count = len(members)
    zero = (0,) * d
    use = np.zeros((m_count, len(plan.needs) + 1, d), dtype=np.int64)
    for i, member in enumerate(members):
        own = plan.members[member]
        use[i, :-1] = [own.get(code, zero) for code in plan.needs]
    running = np.zeros((m_count, len(plan.needs) + 1, d + 1), dtype=np.int64)
    np.cumsum(use, axis=2, out=running[:, :, 1:])
    # Charges: every non-zero billed month of every row, and every minimum-term amount.
    billed = priced.billed[rows]
    c_row, c_month = np.nonzero(billed)
    amount = billed[c_row, c_month]
    r = rows[c_row]
    kind, billing = read.kind[r], read.billing[r]
    year_start = (c_month // 12) * 12
    one_month = (billing == 0) & (kind != 1)
    start = np.where(billing == 2, 0, np.where(one_month, c_month, year_start))
    end = np.where(
        billing == 2, d, np.where(one_month, c_month + 1, np.minimum(year_start + 12, d))
    )
    s_row = np.nonzero(priced.short[rows])[0]
    c_row = np.concatenate([c_row, s_row])
    c_month = np.concatenate([c_month, np.full(len(s_row), d - 1, dtype=np.int64)])
    amount = np.concatenate([amount, priced.short[rows[s_row]]])
    start = np.concatenate([start, np.zeros(len(s_row), dtype=np.int64)])
    end = np.concatenate([end, np.full(len(s_row), d, dtype=np.int64)])
    need = read.need_index[rows[c_row]]
    weights = (running[:, need, end] - running[:, need, start]).T  # (charges, members)
    whole = (running[:, need, d] - running[:, need, 0]).T
    empty = weights.sum(axis=1) == 0
    weights[empty] = whole[empty]
    weights[weights.sum(axis=1) == 0] = 1
    total = weights.sum(axis=1)[:, None]
    # amount * w // total without overflow: amount = high * total + low.
    high, low = amount[:, None] // total, amount[:, None] % total
    share = high * weights + low * weights // total
    remainder = low * weights % total
    left = amount - share.sum(axis=1)
    order = np.argsort(-remainder, axis=1, kind="stable")
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.arange(m_count)[None, :], axis=1)
    share += place < left[:, None]
    per_month = np.zeros((count, d, m_count), dtype=np.int64)
    np.add.at(per_month, (owner[c_row], c_month), share)
    per_member = per_month.sum(axis=1).tolist()
    spread = per_month.transpose(0, 2, 1).tolist()
    shares = [dict(zip(members, per_member[i], strict=True)) for i in range(count)]
    monthly = [
        {member: tuple(spread[i][m]) for m, member in enumerate(members)} for i in range(count)
    ]
    return shares, monthly


def price_offer(plan: Plan, offer: OfferPrices) -> Scenario:
    """The scenario of one offer alone: all its components (DOMAIN §3.4; 004 §3.4.1)."""
    checked = check_plan(plan)
    read = read_offers(checked, [offer])
    priced = _Priced(checked, read)
    rows = np.nonzero(read.needed_index >= 0)[0]
    covered = set(read.needed_index[rows].tolist())
    missing = tuple(code for j, code in enumerate(checked.needed) if j not in covered)
    chosen = _Chosen(
        suppliers=[offer.supplier_key],
        offer_keys=[(offer.offer_key,)],
        complete=[not missing],
        missing=[missing],
        rows=rows,
        owner=np.zeros(len(rows), dtype=np.int64),
    )
    key_rank = np.zeros(1, dtype=np.int64)
    return _scenarios(checked, read, priced, _sorted_choice(read, key_rank, chosen))[0]


def best_scenario(plan: Plan, offers_of_one_supplier: Sequence[OfferPrices]) -> Scenario:
    """The cheapest combination of one supplier's offers covering every need of the plan with a
    non-zero total (a scenario may hold several offers of one supplier: 002 §2.4.1, 004 §3.4.1).
    Ties: lower total, then fewer offers, then the smaller sorted list of offer keys. When no
    combination covers every need: the scenario of all the supplier's offers that cover a
    need (cheapest component per need), incomplete, with the needs it misses."""
    checked = check_plan(plan)
    read = read_offers(checked, offers_of_one_supplier)
    check_one_supplier(read.offers)
    priced = _Priced(checked, read)
    return _scenarios(checked, read, priced, _choose_best(checked, read, priced))[0]


def rank(plan: Plan, offers: Sequence[OfferPrices]) -> Ranking:
    """Every supplier's best scenario (see best_scenario), complete ones by (total, supplier
    key), then incomplete ones by supplier key; ``lowest`` is the lowest-priced complete
    scenario, which may be contracted without the head's authorisation (RCTI art. 48,
    DOMAIN §3.4)."""
    checked = check_plan(plan)
    read = read_offers(checked, offers)
    priced = _Priced(checked, read)
    return sort_ranking(_scenarios(checked, read, priced, _choose_best(checked, read, priced)))
