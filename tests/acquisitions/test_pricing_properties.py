"""Properties of the scenario pricing engine (DOMAIN §3.4; 004 §3.4.1) on generated plans and
price lists: amounts add up, group shares add up, more units never cost less, the ranking does
not depend on the order of the input, and the vectorised engine agrees with the plain-loop
reference on everything (scenarios, line items, shares and errors). No database."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtier.acquisitions import pricing, pricing_loop
from courtier.acquisitions.pricing import (
    BILLINGS,
    UNITS,
    ComponentPrice,
    OfferPrices,
    Plan,
    PricingInputError,
    Scenario,
    Tier,
)

NEEDS = ("entry", "storage", "support", "users")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- strategies

quantity = st.one_of(st.just(0), st.integers(0, 40), st.integers(0, 3_000))


@st.composite
def tiers(draw) -> tuple[Tier, ...]:
    starts = draw(st.sets(st.integers(0, 200), min_size=1, max_size=4))
    prices = st.one_of(st.integers(0, 5_000), st.integers(0, 10**9))
    return tuple(Tier(min_quantity=s, unit_price_cents=draw(prices)) for s in starts)


@st.composite
def components(draw, need: str, with_terms: bool = True) -> ComponentPrice:
    return ComponentPrice(
        component_code=draw(st.sampled_from(["C1", "C2", f"C-{need}"])),
        need=need,
        unit=draw(st.sampled_from(UNITS)),
        billing=draw(st.sampled_from(BILLINGS)),
        tiers=draw(tiers()),
        mandatory=draw(st.booleans()),
        minimum_quantity=draw(st.sampled_from([0, 0, 5, 50])),
        minimum_term_months=draw(st.sampled_from([0, 0, 12, 24, 60])) if with_terms else 0,
        all_units_from_signature=draw(st.booleans()),
        may_decrease=draw(st.booleans()),
        max_yearly_increase_bp=draw(st.sampled_from([0, 350, 500, 10_000])),
    )


@st.composite
def offers(draw, with_terms: bool = True, max_suppliers: int = 3) -> list[OfferPrices]:
    out = []
    for s in range(draw(st.integers(1, max_suppliers))):
        for o in range(draw(st.integers(1, 4))):
            needs = draw(
                st.lists(st.sampled_from((*NEEDS, "archive")), min_size=1, max_size=3, unique=True)
            )
            out.append(
                OfferPrices(
                    offer_key=f"S{s}-O{o}",
                    supplier_key=f"S{s}",
                    label=f"Offre {o}",
                    components=tuple(draw(components(n, with_terms)) for n in needs),
                )
            )
    return out


@st.composite
def series(draw, months: int) -> list[int]:
    """Monthly quantities in a few steps (zeros included: late first uses, pauses)."""
    values = draw(st.lists(quantity, min_size=1, max_size=5))
    cuts = sorted(
        draw(st.lists(st.integers(0, months), min_size=len(values) - 1, max_size=len(values) - 1))
    )
    bounds = [0, *cuts, months]
    out: list[int] = []
    for value, start, end in zip(values, bounds, bounds[1:], strict=False):
        out += [value] * (end - start)
    return out


@st.composite
def plans(draw, group: bool | None = None) -> Plan:
    months = draw(st.integers(1, 36))
    needs = draw(st.lists(st.sampled_from(NEEDS), min_size=1, max_size=4, unique=True))
    if group is None:
        group = draw(st.booleans())
    if not group:
        return Plan(months, {n: draw(series(months)) for n in needs})
    members = {}
    names = draw(
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True)
    )
    for m in names:
        members[m] = {n: draw(series(months)) for n in needs if draw(st.booleans())}
    totals = {
        n: [sum(own.get(n, [0] * months)[i] for own in members.values()) for i in range(months)]
        for n in needs
    }
    return Plan(months, totals, members)


def add_up(scenario: Scenario) -> None:
    assert scenario.total_cents == sum(scenario.monthly_cents)
    assert scenario.total_cents == sum(i.amount_cents for i in scenario.line_items)
    assert all(a >= 0 for a in scenario.monthly_cents)
    assert all(i.amount_cents > 0 for i in scenario.line_items)


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(plan=plans(), offer_list=offers())
def test_amounts_add_up_in_every_scenario(plan, offer_list):
    """total == sum of line items == sum of the monthly spread, for every scenario of a ranking
    and for each offer alone."""
    ranking = pricing.rank(plan, offer_list)
    for scenario in ranking.scenarios:
        add_up(scenario)
        assert len(scenario.monthly_cents) == plan.months
    for one in offer_list:
        add_up(pricing.price_offer(plan, one))


@SETTINGS
@given(plan=plans(group=True), offer_list=offers())
def test_group_shares_add_up_to_the_total(plan, offer_list):
    """Every member's share sums to the total, and month by month to the monthly spread."""
    for scenario in pricing.rank(plan, offer_list).scenarios:
        assert set(scenario.member_shares) == set(plan.members)
        assert sum(scenario.member_shares.values()) == scenario.total_cents
        assert all(share >= 0 for share in scenario.member_shares.values())
        for month in range(plan.months):
            spread = sum(own[month] for own in scenario.member_monthly.values())
            assert spread == scenario.monthly_cents[month]
        for member, own in scenario.member_monthly.items():
            assert sum(own) == scenario.member_shares[member]


@st.composite
def more_units(draw) -> tuple[Plan, Plan]:
    """A plan and the same plan with some units added, in any month."""
    plan = draw(plans(group=False))
    bigger = {}
    for need, values in plan.needs.items():
        extra = draw(st.lists(st.integers(0, 500), min_size=plan.months, max_size=plan.months))
        bigger[need] = [v + e for v, e in zip(values, extra, strict=True)]
    return plan, Plan(plan.months, bigger)


@SETTINGS
@given(pair=more_units(), offer_list=offers(with_terms=True))
def test_more_units_never_cost_less(pair, offer_list):
    """Element-wise more units never lower the price of an offer alone nor of a supplier's best
    scenario, minimum terms included (they count from signature)."""
    plan, bigger = pair
    for one in offer_list:
        assert (
            pricing.price_offer(bigger, one).total_cents
            >= pricing.price_offer(plan, one).total_cents
        )
    by_supplier: dict[str, list[OfferPrices]] = {}
    for one in offer_list:
        by_supplier.setdefault(one.supplier_key, []).append(one)
    for supplier_offers in by_supplier.values():
        before = pricing.best_scenario(plan, supplier_offers).total_cents
        assert pricing.best_scenario(bigger, supplier_offers).total_cents >= before


@pytest.mark.parametrize("engine", [pricing, pricing_loop], ids=["vectorised", "loop"])
def test_an_earlier_first_use_never_lowers_a_minimum_term_shortfall(engine):
    """10 users in month 11 of 12 with a 24-month minimum term: 1 month used + 12 months owed
    beyond the contract = 13 * 10 * 100 = 13000; adding 1 user in month 0 adds its 100."""
    offer = OfferPrices(
        "A",
        "F",
        "A",
        (
            ComponentPrice(
                "C", "users", "user_month", "monthly", (Tier(0, 100),), minimum_term_months=24
            ),
        ),
    )
    late = engine.price_offer(Plan(12, {"users": [0] * 11 + [10]}), offer)
    earlier = engine.price_offer(Plan(12, {"users": [1] + [0] * 10 + [10]}), offer)
    assert late.total_cents == 13_000
    assert earlier.total_cents == 13_100


def shuffled(
    plan: Plan, offer_list: list[OfferPrices], seed: int
) -> tuple[Plan, list[OfferPrices]]:
    """The same input in another order: offers, their components and tiers, needs, members."""
    rng = random.Random(seed)

    def mix(items):
        items = list(items)
        rng.shuffle(items)
        return items

    needs = dict(mix(plan.needs.items()))
    members = None
    if plan.members is not None:
        members = {m: dict(mix(own.items())) for m, own in mix(plan.members.items())}
    other = [
        dataclasses.replace(
            o,
            components=tuple(
                dataclasses.replace(c, tiers=tuple(mix(c.tiers))) for c in mix(o.components)
            ),
        )
        for o in mix(offer_list)
    ]
    return Plan(plan.months, needs, members), other


@SETTINGS
@given(plan=plans(), offer_list=offers(), seed=st.integers(0, 2**32))
def test_the_ranking_does_not_depend_on_the_order_of_the_input(plan, offer_list, seed):
    ranking = pricing.rank(plan, offer_list)
    assert pricing.rank(*shuffled(plan, offer_list, seed)) == ranking
    assert pricing.rank(plan, offer_list) == ranking


@settings(SETTINGS, max_examples=150)
@given(plan=plans(), offer_list=offers())
def test_the_vectorised_engine_agrees_with_the_loop(plan, offer_list):
    """rank, best_scenario and price_offer give identical results in both implementations."""
    assert pricing.rank(plan, offer_list) == pricing_loop.rank(plan, offer_list)
    by_supplier: dict[str, list[OfferPrices]] = {}
    for one in offer_list:
        by_supplier.setdefault(one.supplier_key, []).append(one)
    for supplier_offers in by_supplier.values():
        assert pricing.best_scenario(plan, supplier_offers) == pricing_loop.best_scenario(
            plan, supplier_offers
        )
    for one in offer_list:
        assert pricing.price_offer(plan, one) == pricing_loop.price_offer(plan, one)


BAD_VALUES = {
    "component_code": ["", 3],
    "need": ["", None],
    "unit": ["seat", 1, ["user_month"]],
    "billing": ["weekly", None],
    "tiers": [
        (),
        "0:100",
        (Tier(0, 1), Tier(0, 2)),
        (Tier(0, -1),),
        (Tier(-1, 1),),
        (Tier(0, 10**9 + 1),),
        ("tier",),
        (Tier(0, 1.5),),
        (Tier(True, 1),),
    ],
    "mandatory": [1, None],
    "all_units_from_signature": [0, "yes"],
    "may_decrease": [1],
    "minimum_quantity": [-1, 10**7 + 1, 2.0, True, 2**70],
    "minimum_term_months": [61, -1, "12"],
    "max_yearly_increase_bp": [10_001, -5, 1.5],
}


@SETTINGS
@given(plan=plans(group=False), offer_list=offers(), data=st.data())
def test_both_engines_refuse_the_same_faults_with_the_same_message(plan, offer_list, data):
    """One field of one component made invalid: both implementations raise the same error,
    naming the same field."""
    o = data.draw(st.integers(0, len(offer_list) - 1))
    c = data.draw(st.integers(0, len(offer_list[o].components) - 1))
    name = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    value = data.draw(st.sampled_from(BAD_VALUES[name]))
    target = offer_list[o]
    broken = list(target.components)
    broken[c] = dataclasses.replace(broken[c], **{name: value})
    offer_list = [
        *offer_list[:o],
        dataclasses.replace(target, components=tuple(broken)),
        *offer_list[o + 1 :],
    ]
    with pytest.raises(PricingInputError) as vectorised:
        pricing.rank(plan, offer_list)
    with pytest.raises(PricingInputError) as loop:
        pricing_loop.rank(plan, offer_list)
    assert str(vectorised.value) == str(loop.value)
    assert vectorised.value.field == loop.value.field
    assert vectorised.value.field.startswith(f"offers[{o}].components[{c}]")
