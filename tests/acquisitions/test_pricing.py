"""The acquisition-scenario pricing engine (DOMAIN §3.4; 004 §3.4.1; 002 §2.4.1): one group of
hand-computed cases per pricing term, each run on both implementations (the vectorised engine
and the plain-loop reference). The arithmetic is in each docstring. No database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from courtier.acquisitions import pricing, pricing_loop
from courtier.acquisitions.pricing import (
    ComponentPrice,
    LineItem,
    OfferPrices,
    Plan,
    PricingInputError,
    Tier,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=[pricing, pricing_loop], ids=["vectorised", "loop"])
def engine(request):
    return request.param


def component(
    need: str = "users",
    unit: str = "user_month",
    billing: str = "monthly",
    tiers: tuple[tuple[int, int], ...] = ((0, 1_000),),
    code: str | None = None,
    **terms,
) -> ComponentPrice:
    return ComponentPrice(
        component_code=f"C-{need}" if code is None else code,
        need=need,
        unit=unit,
        billing=billing,
        tiers=tuple(Tier(min_quantity=m, unit_price_cents=p) for m, p in tiers),
        **terms,
    )


def offer(key: str, *components: ComponentPrice, supplier: str = "F1") -> OfferPrices:
    return OfferPrices(
        offer_key=key, supplier_key=supplier, label=f"Offre {key}", components=components
    )


def item(
    offer_key: str,
    need: str,
    year: int,
    billed_month: int,
    months: int,
    quantity: int,
    unit_price: int,
    amount: int,
    kind: str = "usage",
    code: str | None = None,
) -> LineItem:
    return LineItem(
        offer_key=offer_key,
        component_code=code or f"C-{need}",
        need=need,
        kind=kind,
        year=year,
        billed_month=billed_month,
        months=months,
        quantity=quantity,
        unit_price_cents=unit_price,
        amount_cents=amount,
    )


def monthly(months: int, **amounts: int) -> tuple[int, ...]:
    """A monthly spread from {"m3": amount, ...}."""
    spread = [0] * months
    for key, amount in amounts.items():
        spread[int(key[1:])] += amount
    return tuple(spread)


# --------------------------------------------------------------------------- monthly billing


def test_it_bills_per_month_units_month_by_month(engine):
    """users [10, 12, 8] at 10.00 $/user/month, billed monthly:
    10 * 1000 = 10000, 12 * 1000 = 12000, 8 * 1000 = 8000; total 30000, one usage item for
    year 0 covering months 0-2 at the peak of 12 users."""
    scenario = engine.price_offer(Plan(3, {"users": [10, 12, 8]}), offer("A", component()))
    assert scenario.monthly_cents == (10_000, 12_000, 8_000)
    assert scenario.total_cents == 30_000
    assert scenario.line_items == (item("A", "users", 0, 0, 3, 12, 1_000, 30_000),)
    assert scenario.complete and scenario.missing_needs == ()
    assert scenario.member_shares is None and scenario.member_monthly is None


def test_it_starts_a_monthly_item_at_the_first_month_billed(engine):
    """users [0, 5, 5, 0] at 10.00 $: months 1 and 2 bill 5000 each; the item starts in month 1
    and covers months 1-3 (to the end of the contract year)."""
    scenario = engine.price_offer(Plan(4, {"users": [0, 5, 5, 0]}), offer("A", component()))
    assert scenario.monthly_cents == (0, 5_000, 5_000, 0)
    assert scenario.line_items == (item("A", "users", 0, 1, 3, 5, 1_000, 10_000),)


def test_it_gives_one_usage_item_per_contract_year(engine):
    """users 2 a month for 14 months at 10.00 $: year 0 = 12 * 2000 = 24000 from month 0,
    year 1 = 2 * 2000 = 4000 from month 12."""
    scenario = engine.price_offer(Plan(14, {"users": [2] * 14}), offer("A", component()))
    assert scenario.line_items == (
        item("A", "users", 0, 0, 12, 2, 1_000, 24_000),
        item("A", "users", 1, 12, 2, 2, 1_000, 4_000),
    )
    assert scenario.total_cents == 28_000


# --------------------------------------------------------------------------- yearly billing


def test_it_bills_each_contract_year_at_its_peak_in_its_first_month(engine):
    """gb_month at 0.10 $, billed yearly, 15 months: storage 100 GB for 6 months, 200 GB for 6,
    then 50 GB for 3. Year 0 commits to its peak: 12 months * 200 * 10 = 24000 in month 0.
    Year 1 is a partial year of 3 months at its own peak: 3 * 50 * 10 = 1500 in month 12."""
    plan = Plan(15, {"storage": [100] * 6 + [200] * 6 + [50] * 3})
    scenario = engine.price_offer(
        plan,
        offer("A", component("storage", "gb_month", "yearly", ((0, 10),))),
    )
    assert scenario.monthly_cents == monthly(15, m0=24_000, m12=1_500)
    assert scenario.line_items == (
        item("A", "storage", 0, 0, 12, 200, 10, 24_000),
        item("A", "storage", 1, 12, 3, 50, 10, 1_500),
    )


def test_it_bills_yearly_hours_as_the_sum_of_the_years_hours(engine):
    """hour at 120.00 $, billed yearly, 13 months: hours [40, 0, 5, 0...0 | 3].
    Year 0: (40 + 5) * 12000 = 540000 in month 0; year 1: 3 * 12000 = 36000 in month 12. The
    item's quantity is the year's peak (40, then 3)."""
    hours = [40, 0, 5] + [0] * 9 + [3]
    scenario = engine.price_offer(
        Plan(13, {"support": hours}),
        offer("A", component("support", "hour", "yearly", ((0, 12_000),))),
    )
    assert scenario.monthly_cents == monthly(13, m0=540_000, m12=36_000)
    assert scenario.line_items == (
        item("A", "support", 0, 0, 12, 40, 12_000, 540_000),
        item("A", "support", 1, 12, 1, 3, 12_000, 36_000),
    )


# --------------------------------------------------------------------------- upfront billing


def test_it_bills_upfront_at_the_contract_peak_with_each_years_price(engine):
    """instance_month at 100.00 $ rising 5 %/year, upfront, 14 months: 1 instance for 7 months,
    then 2. Every month is billed at the contract's peak (2) in month 0: the 12 months of
    year 0 at 10000 = 12 * 2 * 10000 = 240000, the 2 months of year 1 at
    10000 * 1.05 = 10500 = 2 * 2 * 10500 = 42000; 282000 in month 0, one item."""
    scenario = engine.price_offer(
        Plan(14, {"instances": [1] * 7 + [2] * 7}),
        offer(
            "A",
            component(
                "instances",
                "instance_month",
                "upfront",
                ((0, 10_000),),
                max_yearly_increase_bp=500,
            ),
        ),
    )
    assert scenario.monthly_cents == monthly(14, m0=282_000)
    assert scenario.line_items == (item("A", "instances", 0, 0, 14, 2, 10_000, 282_000),)


def test_it_bills_upfront_hours_as_the_sum_of_all_hours(engine):
    """hour at 120.00 $, upfront, 3 months: hours [5, 0, 3] = 8 * 12000 = 96000 in month 0."""
    scenario = engine.price_offer(
        Plan(3, {"support": [5, 0, 3]}),
        offer("A", component("support", "hour", "upfront", ((0, 12_000),))),
    )
    assert scenario.monthly_cents == (96_000, 0, 0)
    assert scenario.line_items == (item("A", "support", 0, 0, 3, 5, 12_000, 96_000),)


# --------------------------------------------------------------------------- user_year


def test_it_prorates_a_partial_last_year_of_a_yearly_unit(engine):
    """user_year at 120.00 $, billed yearly, 18 months: 100 users in year 0, 150 in the 6 months
    of year 1. Year 0: 100 * 12000 = 1200000 in month 0. Year 1: 150 * 12000 = 1800000 prorated
    6/12 = 900000 in month 12."""
    scenario = engine.price_offer(
        Plan(18, {"users": [100] * 12 + [150] * 6}),
        offer("A", component("users", "user_year", "yearly", ((0, 12_000),))),
    )
    assert scenario.monthly_cents == monthly(18, m0=1_200_000, m12=900_000)
    assert scenario.line_items == (
        item("A", "users", 0, 0, 12, 100, 12_000, 1_200_000),
        item("A", "users", 1, 12, 6, 150, 12_000, 900_000),
    )


def test_it_rounds_a_prorated_year_half_up_and_bills_it_in_the_years_first_month(engine):
    """user_year at 10.02 $, billed *monthly* (a yearly unit is billed in its year's first month
    whatever the frequency), 13 months, 1 user: year 0 = 1002 in month 0; year 1 has 1 month:
    1002 * 1 / 12 = 83.5, rounded half up to 84, in month 12."""
    scenario = engine.price_offer(
        Plan(13, {"users": [1] * 13}),
        offer("A", component("users", "user_year", "monthly", ((0, 1_002),))),
    )
    assert scenario.monthly_cents == monthly(13, m0=1_002, m12=84)
    assert scenario.total_cents == 1_086


def test_it_bills_every_year_of_a_yearly_unit_upfront_in_month_zero(engine):
    """user_year at 10.02 $, upfront, 13 months, 1 user: the years' amounts 1002 + 84 = 1086, all
    in month 0, as one item covering the 13 months."""
    scenario = engine.price_offer(
        Plan(13, {"users": [1] * 13}),
        offer("A", component("users", "user_year", "upfront", ((0, 1_002),))),
    )
    assert scenario.monthly_cents == monthly(13, m0=1_086)
    assert scenario.line_items == (item("A", "users", 0, 0, 13, 1, 1_002, 1_086),)


# --------------------------------------------------------------------------- pricing terms


def test_it_bills_all_units_from_signature(engine):
    """users [0, 0, 10, 20] at 10.00 $, all units payable from signature: every month is billed
    at the peak, 20 * 1000 = 20000, from month 0; total 80000."""
    scenario = engine.price_offer(
        Plan(4, {"users": [0, 0, 10, 20]}),
        offer("A", component(all_units_from_signature=True)),
    )
    assert scenario.monthly_cents == (20_000,) * 4
    assert scenario.line_items == (item("A", "users", 0, 0, 4, 20, 1_000, 80_000),)


def test_it_keeps_quantities_that_may_not_go_down(engine):
    """users [10, 5, 20, 15] at 1.00 $, quantities may not go down: billed at the running
    maximum [10, 10, 20, 20] = [1000, 1000, 2000, 2000]."""
    scenario = engine.price_offer(
        Plan(4, {"users": [10, 5, 20, 15]}),
        offer("A", component(tiers=((0, 100),), may_decrease=False)),
    )
    assert scenario.monthly_cents == (1_000, 1_000, 2_000, 2_000)


def test_it_lets_quantities_go_down_when_allowed(engine):
    """The same plan where quantities may go down: [10, 5, 20, 15] * 100."""
    scenario = engine.price_offer(
        Plan(4, {"users": [10, 5, 20, 15]}),
        offer("A", component(tiers=((0, 100),))),
    )
    assert scenario.monthly_cents == (1_000, 500, 2_000, 1_500)


def test_it_compounds_the_yearly_increase_rounding_half_up(engine):
    """1 user a month for 36 months at 0.10 $ rising 5 %/year: year 1 = 10 * 1.05 = 10.5, half
    up 11 (half-even would give 10); year 2 = 11 * 1.05 = 11.55, 12 (compounded on the rounded
    price: 10 * 1.05^2 = 11.025 would give 11). 12 * (10 + 11 + 12) = 396."""
    scenario = engine.price_offer(
        Plan(36, {"users": [1] * 36}),
        offer("A", component(tiers=((0, 10),), max_yearly_increase_bp=500)),
    )
    assert [i.unit_price_cents for i in scenario.line_items] == [10, 11, 12]
    assert [i.amount_cents for i in scenario.line_items] == [120, 132, 144]
    assert scenario.total_cents == 396


def test_it_rounds_an_ordinary_increase_to_the_nearest_cent(engine):
    """10.01 $ rising 3.5 %: 1001 * 1.035 = 1036.035 -> 1036, then 1036 * 1.035 = 1072.26 ->
    1072, every tier alike (tier from 10 users: 500 -> 517.5 -> 518 -> 536.13 -> 536)."""
    scenario = engine.price_offer(
        Plan(25, {"users": [20] * 25}),
        offer("A", component(tiers=((0, 1_001), (10, 500)), max_yearly_increase_bp=350)),
    )
    assert [i.unit_price_cents for i in scenario.line_items] == [1_001, 1_036, 1_072]
    # Each month: 10 * p0 + 10 * p1.
    assert scenario.monthly_cents[0] == 10 * 1_001 + 10 * 500
    assert scenario.monthly_cents[12] == 10 * 1_036 + 10 * 518
    assert scenario.monthly_cents[24] == 10 * 1_072 + 10 * 536


def test_it_applies_the_minimum_quantity_from_the_first_use(engine):
    """users [0, 3, 8, 0] at 1.00 $, minimum 5: nothing before the first use (month 1), then
    max(q, 5) = [0, 5, 8, 5] (the minimum holds in month 3 though nobody uses it)."""
    scenario = engine.price_offer(
        Plan(4, {"users": [0, 3, 8, 0]}),
        offer("A", component(tiers=((0, 100),), minimum_quantity=5)),
    )
    assert scenario.monthly_cents == (0, 500, 800, 500)


def test_it_applies_the_minimum_quantity_from_signature_when_all_units_are_due(engine):
    """users [0, 3] at 1.00 $, minimum 5, all units from signature: max(peak 3, 5) = 5 from
    month 0: [500, 500]."""
    scenario = engine.price_offer(
        Plan(2, {"users": [0, 3]}),
        offer(
            "A",
            component(tiers=((0, 100),), minimum_quantity=5, all_units_from_signature=True),
        ),
    )
    assert scenario.monthly_cents == (500, 500)


def test_it_charges_the_months_short_of_the_minimum_term_in_the_last_month(engine):
    """users [0, 0, 0, 0, 10 x 4] at 10.00 $, minimum term 12 months, an 8-month contract: the
    term counts from signature, so 12 - 8 = 4 months are owed beyond the contract at the last
    month's quantity: 4 * 10 * 1000 = 40000 in month 7 as a separate minimum-term item; the 4
    months used cost 4 * 10000 = 40000; month 7 totals 50000."""
    scenario = engine.price_offer(
        Plan(8, {"users": [0] * 4 + [10] * 4}),
        offer("A", component(minimum_term_months=12)),
    )
    assert scenario.monthly_cents == monthly(8, m4=10_000, m5=10_000, m6=10_000, m7=50_000)
    assert scenario.line_items == (
        item("A", "users", 0, 4, 4, 10, 1_000, 40_000),
        item("A", "users", 0, 7, 4, 10, 1_000, 40_000, kind="minimum_term"),
    )
    assert scenario.total_cents == 80_000


def test_a_late_first_use_owes_nothing_when_the_contract_covers_the_minimum_term(engine):
    """users [0 x 4, 10 x 8] with a 12-month minimum term over a 12-month contract: the term
    runs from signature and the contract lasts 12 months, so nothing is owed beyond it: 8 *
    10000 = 80000."""
    scenario = engine.price_offer(
        Plan(12, {"users": [0] * 4 + [10] * 8}),
        offer("A", component(minimum_term_months=12)),
    )
    assert [i.kind for i in scenario.line_items] == ["usage"]
    assert scenario.total_cents == 80_000


def test_it_charges_a_minimum_term_beyond_the_contract_at_the_last_years_price(engine):
    """users 1 for 13 months at 1.00 $ rising 10 %, minimum term 24 months: 11 months owed
    beyond the contract at the last month's quantity and year-1 price (110): 11 * 110 = 1210."""
    scenario = engine.price_offer(
        Plan(13, {"users": [1] * 13}),
        offer(
            "A", component(tiers=((0, 100),), minimum_term_months=24, max_yearly_increase_bp=1_000)
        ),
    )
    assert scenario.line_items[-1] == item(
        "A", "users", 1, 12, 11, 1, 110, 1_210, kind="minimum_term"
    )
    assert scenario.total_cents == 12 * 100 + 110 + 1_210


def test_it_prorates_the_minimum_term_of_a_yearly_unit(engine):
    """user_year at 12.00 $, 5 users for 12 months, minimum term 18: year 0 = 5 * 1200 = 6000;
    6 months owed: 6000 * 6 / 12 = 3000 in month 11."""
    scenario = engine.price_offer(
        Plan(12, {"users": [5] * 12}),
        offer(
            "A",
            component(
                unit="user_year", billing="yearly", tiers=((0, 1_200),), minimum_term_months=18
            ),
        ),
    )
    assert scenario.monthly_cents == monthly(12, m0=6_000, m11=3_000)
    assert scenario.line_items[-1] == item(
        "A", "users", 0, 11, 6, 5, 1_200, 3_000, kind="minimum_term"
    )


def test_it_owes_no_minimum_term_for_hours_or_activities(engine):
    """hour with a minimum term of 24 months over a 3-month contract: usage, not subscription,
    so only the hours: 2 * 5000 = 10000."""
    scenario = engine.price_offer(
        Plan(3, {"support": [2, 0, 0]}),
        offer("A", component("support", "hour", tiers=((0, 5_000),), minimum_term_months=24)),
    )
    assert scenario.total_cents == 10_000
    assert [i.kind for i in scenario.line_items] == ["usage"]


def test_it_owes_no_minimum_term_when_all_units_run_from_signature(engine):
    """All units from signature: the billed span is the whole contract (12 months), which meets
    a 12-month minimum term: 12 * 1000 only."""
    scenario = engine.price_offer(
        Plan(12, {"users": [0] * 11 + [1]}),
        offer("A", component(minimum_term_months=12, all_units_from_signature=True)),
    )
    assert scenario.total_cents == 12_000
    assert [i.kind for i in scenario.line_items] == ["usage"]


# --------------------------------------------------------------------------- graduated tiers


def test_it_prices_graduated_tiers_across_two_boundaries(engine):
    """Tiers 10.00 $ from 0, 8.00 $ from 100, 5.00 $ from 500 (given out of order), 600 users:
    100 * 1000 + 400 * 800 + 100 * 500 = 100000 + 320000 + 50000 = 470000; the item shows the
    first tier's price."""
    scenario = engine.price_offer(
        Plan(1, {"users": [600]}),
        offer("A", component(tiers=((500, 500), (0, 1_000), (100, 800)))),
    )
    assert scenario.total_cents == 470_000
    assert scenario.line_items == (item("A", "users", 0, 0, 1, 600, 1_000, 470_000),)


def test_it_starts_the_lowest_tier_at_zero(engine):
    """Tiers 10.00 $ from 10 and 8.00 $ from 100: 50 users all fall in the lowest tier, which
    counts from 0: 50 * 1000 = 50000."""
    scenario = engine.price_offer(
        Plan(1, {"users": [50]}), offer("A", component(tiers=((10, 1_000), (100, 800))))
    )
    assert scenario.total_cents == 50_000


# --------------------------------------------------------------------------- activities


def test_it_bills_entry_and_exit_activities_when_they_happen(engine):
    """A 6-month contract: entry (fixed 5000.00 $) in month 0, exit (fixed 3000.00 $) in months
    4 and 5 (exit activities end before the contract does, DOMAIN §5.9). Monthly: 500000 in
    month 0, 300000 in months 4 and 5; the exit's minimum term of 12 months owes nothing (usage,
    not subscription)."""
    plan = Plan(6, {"entry": [1, 0, 0, 0, 0, 0], "exit": [0, 0, 0, 0, 1, 1]})
    scenario = engine.price_offer(
        plan,
        offer(
            "A",
            component("entry", "fixed", tiers=((0, 500_000),)),
            component("exit", "fixed", tiers=((0, 300_000),), minimum_term_months=12),
        ),
    )
    assert scenario.monthly_cents == (500_000, 0, 0, 0, 300_000, 300_000)
    assert scenario.line_items == (
        item("A", "entry", 0, 0, 6, 1, 500_000, 500_000),
        item("A", "exit", 0, 4, 2, 1, 300_000, 600_000),
    )


# --------------------------------------------------------------------------- one offer


def test_it_marks_a_lone_offer_incomplete_when_it_misses_a_need(engine):
    """An offer pricing users only, for a plan of users and storage: incomplete, storage
    missing; a need planned at zero throughout is not missing."""
    plan = Plan(1, {"users": [1], "storage": [10], "archive": [0]})
    scenario = engine.price_offer(plan, offer("A", component()))
    assert not scenario.complete
    assert scenario.missing_needs == ("storage",)
    assert scenario.total_cents == 1_000


def test_it_bills_nothing_for_a_mandatory_component_whose_need_is_not_planned(engine):
    """A mandatory base inclusion bills its need's quantities: none planned, nothing billed."""
    plan = Plan(2, {"users": [1, 1], "archive": [0, 0]})
    scenario = engine.price_offer(
        plan, offer("A", component(), component("archive", "gb_month", mandatory=True))
    )
    assert scenario.total_cents == 2_000
    assert [i.need for i in scenario.line_items] == ["users"]


# --------------------------------------------------------------------------- combinations


PLAN_US = Plan(1, {"users": [10], "storage": [100]})
# A1: users 10.00 $ (mandatory base) + storage 1.00 $: alone 10 * 1000 + 100 * 100 = 20000.
A1 = offer(
    "A1",
    component("users", mandatory=True),
    component("storage", "gb_month", tiers=((0, 100),)),
)
# A2: storage 0.30 $ (mandatory base) + users 20.00 $: alone 100 * 30 + 10 * 2000 = 23000.
A2 = offer(
    "A2",
    component("storage", "gb_month", tiers=((0, 30),), mandatory=True),
    component("users", tiers=((0, 2_000),)),
)
# A3: users 50.00 $ (mandatory base) + storage 0.10 $: alone 10 * 5000 + 100 * 10 = 51000.
A3 = offer(
    "A3",
    component("users", tiers=((0, 5_000),), mandatory=True),
    component("storage", "gb_month", tiers=((0, 10),)),
)


def test_it_combines_offers_when_their_base_inclusions_cost_less_together(engine):
    """{A1, A2} pays both mandatory bases, which cover both needs: A1 users 10000 + A2 storage
    3000 = 13000, cheaper than A1 alone (20000) or A2 alone (23000)."""
    assert engine.price_offer(PLAN_US, A1).total_cents == 20_000
    assert engine.price_offer(PLAN_US, A2).total_cents == 23_000
    best = engine.best_scenario(PLAN_US, [A2, A1])
    assert best.offer_keys == ("A1", "A2")
    assert best.total_cents == 13_000
    assert best.line_items == (
        item("A1", "users", 0, 0, 1, 10, 1_000, 10_000),
        item("A2", "storage", 0, 0, 1, 100, 30, 3_000),
    )


def test_it_does_not_add_an_offer_whose_base_inclusion_makes_the_set_dearer(engine):
    """A3's storage (1000) is cheaper than A1's (10000), but adding A3 brings its mandatory
    users base (50000): {A1, A3} = 10000 + 50000 + 1000 = 61000 > A1 alone (20000)."""
    best = engine.best_scenario(PLAN_US, [A1, A3])
    assert best.offer_keys == ("A1",)
    assert best.total_cents == 20_000


def test_it_keeps_the_best_set_when_a_dearer_offer_is_added(engine):
    """With A3 available too: {A1, A2, A3} would pay the three bases (10000 + 3000 + 50000),
    {A2, A3} 3000 + 50000: the best set stays {A1, A2} at 13000."""
    best = engine.best_scenario(PLAN_US, [A1, A2, A3])
    assert best.offer_keys == ("A1", "A2")
    assert best.total_cents == 13_000


def test_it_prefers_fewer_offers_at_equal_total(engine):
    """X covers both needs for 10000 + 10000; Y covers users for 10000 and Z storage for 10000:
    both sets cost 20000, the single offer wins."""
    x = offer("X", component(), component("storage", "gb_month", tiers=((0, 100),)))
    y = offer("Y", component())
    z = offer("Z", component("storage", "gb_month", tiers=((0, 100),)))
    best = engine.best_scenario(PLAN_US, [y, z, x])
    assert best.offer_keys == ("X",)
    assert best.total_cents == 20_000


def test_it_prefers_the_smaller_offer_keys_at_equal_total_and_size(engine):
    """Four single-need offers at the same prices: {a, d}, {a, c}, {b, c}, {b, d} all cost
    20000 with two offers; the smallest sorted keys win: (a, c)."""
    users = component()
    storage = component("storage", "gb_month", tiers=((0, 100),))
    offers = [offer("d", storage), offer("b", users), offer("c", storage), offer("a", users)]
    assert engine.best_scenario(PLAN_US, offers).offer_keys == ("a", "c")


def test_it_bills_the_smaller_offer_keys_component_among_equal_ones(engine):
    """p and q both price storage at 1.00 $; p alone prices users, q alone archive, so the set is
    {p, q}: users 10000 + storage 10000 (from p, the smaller key, not q) + archive 5 = 20005."""
    scenario = engine.best_scenario(
        Plan(1, {"users": [10], "storage": [100], "archive": [1]}),
        [
            offer(
                "q",
                component("archive", "gb_month", tiers=((0, 5),)),
                component("storage", "gb_month", tiers=((0, 100),)),
            ),
            offer("p", component(), component("storage", "gb_month", tiers=((0, 100),))),
        ],
    )
    assert scenario.offer_keys == ("p", "q")
    assert scenario.total_cents == 20_005
    assert [(i.offer_key, i.need) for i in scenario.line_items] == [
        ("p", "storage"),
        ("p", "users"),
        ("q", "archive"),
    ]


def test_it_prices_an_incomplete_supplier_with_all_its_covering_offers(engine):
    """No combination covers storage: the scenario holds every offer that covers a needed need
    (cheapest component per need: users from U2 at 9.00 $), is incomplete and names storage;
    an offer covering nothing planned is left out."""
    offers = [
        offer("U1", component()),
        offer("U2", component(tiers=((0, 900),))),
        offer("Z", component("archive", "gb_month")),
    ]
    scenario = engine.best_scenario(PLAN_US, offers)
    assert not scenario.complete
    assert scenario.missing_needs == ("storage",)
    assert scenario.offer_keys == ("U1", "U2")
    assert scenario.total_cents == 9_000
    assert [i.offer_key for i in scenario.line_items] == ["U2"]


def test_it_ranks_complete_scenarios_by_total_then_supplier_then_incomplete_ones(engine):
    """S3 costs 5000, S1 and S2 10000 each (S1 first by key), S0 and S4 lack storage: S3, S1,
    S2, then S0, S4; S3 is the lowest."""

    def full(key, supplier, price):
        return offer(
            key,
            component(tiers=((0, price),)),
            component("storage", "gb_month", tiers=((0, 0),)),
            supplier=supplier,
        )

    offers = [
        offer("o4", component(), supplier="S4"),
        full("o2", "S2", 1_000),
        full("o3", "S3", 500),
        offer("o0", component(), supplier="S0"),
        full("o1", "S1", 1_000),
    ]
    ranking = engine.rank(PLAN_US, offers)
    assert [s.supplier_key for s in ranking.scenarios] == ["S3", "S1", "S2", "S0", "S4"]
    assert [s.complete for s in ranking.scenarios] == [True, True, True, False, False]
    assert ranking.lowest == ranking.scenarios[0]
    assert ranking.lowest.total_cents == 5_000


def test_it_ranks_nothing_without_offers(engine):
    """No compliant offer: an empty ranking, no lowest scenario."""
    ranking = engine.rank(PLAN_US, [])
    assert ranking.scenarios == () and ranking.lowest is None


def test_it_has_no_lowest_scenario_when_none_is_complete(engine):
    """An offer pricing users only, for users and storage: ranked, incomplete, not lowest."""
    ranking = engine.rank(PLAN_US, [offer("o", component())])
    assert [s.complete for s in ranking.scenarios] == [False]
    assert ranking.lowest is None


def test_it_needs_no_offer_for_a_plan_of_zeros(engine):
    """Nothing to buy: the empty set covers every need, at 0."""
    scenario = engine.best_scenario(Plan(2, {"users": [0, 0]}), [offer("o", component())])
    assert scenario.complete and scenario.offer_keys == () and scenario.total_cents == 0


def test_it_combines_up_to_sixteen_offers():
    """16 offers, each the only one pricing its own need: all 16 are needed (2^16 sets tried;
    the vectorised engine only, the loop would take seconds)."""
    needs = {f"n{i:02d}": [1] for i in range(16)}
    offers = [offer(f"o{i:02d}", component(f"n{i:02d}", tiers=((0, 100 + i),))) for i in range(16)]
    best = pricing.best_scenario(Plan(1, needs), offers)
    assert best.complete and len(best.offer_keys) == 16
    assert best.total_cents == sum(100 + i for i in range(16))


def test_it_ranks_many_suppliers_of_sixteen_offers_in_batches():
    """5 suppliers of 16 offers over 16 needs: 2^16 sets of 16 needs each is 1,048,576 cells per
    supplier, so the search runs them 4 then 1 (at most 2^22 cells at once). Supplier s prices
    need i at 100 * (s + 1) + i: totals 16 * 100 * (s + 1) + 120, lowest first."""
    needs = {f"n{i:02d}": [1] for i in range(16)}
    offers = [
        offer(
            f"s{s}-o{i:02d}",
            component(f"n{i:02d}", tiers=((0, 100 * (s + 1) + i),)),
            supplier=f"S{s}",
        )
        for s in (4, 2, 0, 3, 1)
        for i in range(16)
    ]
    ranking = pricing.rank(Plan(1, needs), offers)
    assert [s.supplier_key for s in ranking.scenarios] == ["S0", "S1", "S2", "S3", "S4"]
    assert [s.total_cents for s in ranking.scenarios] == [1_600 * (s + 1) + 120 for s in range(5)]
    assert all(len(s.offer_keys) == 16 for s in ranking.scenarios)


def test_it_picks_the_cheapest_of_many_combinations(engine):
    """8 offers pricing users at 10.00 $ + i and storage at 1.00 $ + i (i = offer number), and a
    ninth pricing storage alone at 0.50 $: users from o0 (10000) + storage from o8 (5000)."""
    offers = [
        offer(
            f"o{i}",
            component(tiers=((0, 1_000 + i),)),
            component("storage", "gb_month", tiers=((0, 100 + i),)),
        )
        for i in range(8)
    ]
    offers.append(offer("o8", component("storage", "gb_month", tiers=((0, 50),))))
    best = engine.best_scenario(PLAN_US, offers[::-1])
    assert best.offer_keys == ("o0", "o8")
    assert best.total_cents == 10 * 1_000 + 100 * 50


# --------------------------------------------------------------------------- group purchases


def group_plan(months: int, members: dict[str, dict[str, list[int]]]) -> Plan:
    needs: dict[str, list[int]] = {}
    for own in members.values():
        for need, values in own.items():
            total = needs.setdefault(need, [0] * months)
            for m, v in enumerate(values):
                total[m] += v
    return Plan(months, needs, members)


def test_it_prices_a_group_on_its_aggregate_and_shares_by_consumption(engine):
    """Tiers 10.00 $ to 100 users, 5.00 $ beyond. Two members of 60 users each: alone each would
    pay 60000; together 120 users cost 100 * 1000 + 20 * 500 = 110000, a tier only the
    aggregate reaches. Shares 60:60 = 55000 each."""
    plan = group_plan(1, {"cegep": {"users": [60]}, "ecole": {"users": [60]}})
    single = engine.price_offer(
        Plan(1, {"users": [60]}), offer("A", component(tiers=((0, 1_000), (100, 500))))
    )
    assert single.total_cents == 60_000
    scenario = engine.price_offer(plan, offer("A", component(tiers=((0, 1_000), (100, 500)))))
    assert scenario.total_cents == 110_000
    assert scenario.member_shares == {"cegep": 55_000, "ecole": 55_000}
    assert scenario.member_monthly == {"cegep": (55_000,), "ecole": (55_000,)}


def test_it_splits_a_charge_by_largest_remainder(engine):
    """One charge of 1000 shared 1:2:4: exact shares 142.86, 285.71, 571.43; floors 142, 285, 571
    (998) and remainders 1000*1 mod 7 = 6, 2000 mod 7 = 5, 4000 mod 7 = 3: the two cents left go
    to a and b: 143, 286, 571."""
    plan = group_plan(1, {"a": {"exit": [1]}, "b": {"exit": [2]}, "c": {"exit": [4]}})
    # The first unit costs 1000, the others nothing: 7 units = 1000.
    exit_offer = offer("A", component("exit", "fixed", tiers=((0, 1_000), (1, 0))))
    scenario = engine.price_offer(plan, exit_offer)
    assert scenario.total_cents == 1_000
    assert scenario.member_shares == {"a": 143, "b": 286, "c": 571}


def test_it_gives_tied_remainders_to_members_in_key_order(engine):
    """100 shared 1:1:1: 33 each and one cent left, tied remainders: to the first key, 'a'."""
    plan = group_plan(1, {"c": {"exit": [1]}, "a": {"exit": [1]}, "b": {"exit": [1]}})
    scenario = engine.price_offer(
        plan, offer("A", component("exit", "fixed", tiers=((0, 100), (1, 0))))
    )
    assert scenario.member_shares == {"a": 34, "b": 33, "c": 33}


def test_it_shares_each_month_by_that_months_consumption(engine):
    """Monthly billing at 1.00 $: month 0 only a uses 10 units, month 1 only b uses 30: a pays
    month 0 (1000), b pays month 1 (3000)."""
    plan = group_plan(2, {"a": {"users": [10, 0]}, "b": {"users": [0, 30]}})
    scenario = engine.price_offer(plan, offer("A", component(tiers=((0, 100),))))
    assert scenario.member_monthly == {"a": (1_000, 0), "b": (0, 3_000)}
    assert scenario.member_shares == {"a": 1_000, "b": 3_000}


def test_it_shares_a_yearly_charge_by_the_years_consumption(engine):
    """Yearly billing at 1.00 $, 13 months; a uses 5 units for 12 months, b 5 for 12 months then
    10. Year 0 at its peak (10): 12 * 10 * 100 = 12000 in month 0, shared by the year's use
    60 : 60 = 6000 each. Year 1 (month 12): 1 * 10 * 100 = 1000, only b used it."""
    a = [5] * 12 + [0]
    b = [5] * 12 + [10]
    plan = group_plan(13, {"a": {"users": a}, "b": {"users": b}})
    scenario = engine.price_offer(plan, offer("A", component(billing="yearly", tiers=((0, 100),))))
    assert scenario.member_monthly["a"][0] == 6_000
    assert scenario.member_monthly["b"][0] == 6_000
    assert scenario.member_monthly["b"][12] == 1_000
    assert scenario.member_shares == {"a": 6_000, "b": 7_000}


def test_it_shares_an_upfront_charge_and_a_minimum_term_over_the_contract(engine):
    """Upfront at 1.00 $, 2 months, a [10, 0], b [0, 30]: peak 30 for 2 months = 6000 in month 0,
    shared over the contract 10:30 = 1500 / 4500. Minimum term 4 months on a monthly component
    (2 months short, 30 * 100 * 2 = 6000 in month 1): also over the contract, 1500 / 4500."""
    plan = group_plan(2, {"a": {"users": [10, 0]}, "b": {"users": [0, 30]}})
    upfront = engine.price_offer(plan, offer("A", component(billing="upfront", tiers=((0, 100),))))
    assert upfront.member_shares == {"a": 1_500, "b": 4_500}
    term = engine.price_offer(plan, offer("A", component(tiers=((0, 100),), minimum_term_months=4)))
    # Usage: month 0 -> a 1000; month 1 -> b 3000. Shortfall 6000 -> 1500 / 4500.
    assert term.member_monthly == {"a": (1_000, 1_500), "b": (0, 7_500)}


def test_it_shares_a_month_nobody_uses_over_the_contract(engine):
    """All units from signature: month 0 bills 20 users though nobody uses any yet; that charge
    is shared over the contract's consumption (a 10 : b 10); month 1 by its own."""
    plan = group_plan(2, {"a": {"users": [0, 10]}, "b": {"users": [0, 10]}})
    scenario = engine.price_offer(
        plan, offer("A", component(tiers=((0, 100),), all_units_from_signature=True))
    )
    assert scenario.member_monthly == {"a": (1_000, 1_000), "b": (1_000, 1_000)}


def test_it_shares_every_scenario_of_a_ranking(engine):
    """a uses the 10 users, b the 100 GB: in the best set {A1, A2} a pays A1's users base
    (10000) and b A2's storage base (3000)."""
    plan = group_plan(
        1, {"a": {"users": [10], "storage": [0]}, "b": {"users": [0], "storage": [100]}}
    )
    ranking = engine.rank(plan, [A1, A2])
    best = ranking.lowest
    assert best.offer_keys == ("A1", "A2")
    assert best.member_shares == {"a": 10_000, "b": 3_000}


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("plan", "field", "message"),
    [
        (Plan(0, {}), "plan.months", pricing.ERR_MONTHS.format(value=0)),
        (Plan(37, {}), "plan.months", pricing.ERR_MONTHS.format(value=37)),
        (
            Plan(2, {"users": [1]}),
            "plan.needs['users']",
            pricing.ERR_LENGTH.format(field="plan.needs['users']", months=2, length=1),
        ),
        (
            Plan(2, {"users": [1, -1]}),
            "plan.needs['users']",
            pricing.ERR_QUANTITY.format(field="plan.needs['users']", month=1, value=-1),
        ),
        (
            Plan(1, {"users": [10_000_001]}),
            "plan.needs['users']",
            pricing.ERR_QUANTITY.format(field="plan.needs['users']", month=0, value=10_000_001),
        ),
        (
            Plan(1, {"users": [1.5]}),
            "plan.needs['users']",
            pricing.ERR_QUANTITY.format(field="plan.needs['users']", month=0, value=1.5),
        ),
        (
            Plan(1, {"users": [True]}),
            "plan.needs['users']",
            pricing.ERR_QUANTITY.format(field="plan.needs['users']", month=0, value=True),
        ),
        (Plan(1, {"": [1]}), "plan.needs", pricing.ERR_TEXT.format(field="plan.needs", value="")),
        (
            Plan(1, {"users": [3]}, {"a": {"users": [1]}, "b": {"users": [1]}}),
            "plan.needs['users']",
            pricing.ERR_MEMBERS_SUM.format(need="users", month=0, total=3, members=2),
        ),
        (Plan(1, {"users": [0]}, {}), "plan.members", pricing.ERR_MEMBERS_EMPTY),
    ],
)
def test_it_refuses_an_invalid_plan(engine, plan, field, message):
    with pytest.raises(PricingInputError) as raised:
        engine.price_offer(plan, offer("A", component()))
    assert str(raised.value) == message
    assert raised.value.field == field


def field_of(index: int, name: str) -> str:
    return f"offers[0].components[{index}].{name}"


@pytest.mark.parametrize(
    ("components", "field", "message"),
    [
        (
            (component(tiers=((0, 1_000_000_001),)),),
            "offers[0].components[0].tiers[0].unit_price_cents",
            pricing.ERR_PRICE.format(
                field="offers[0].components[0].tiers[0].unit_price_cents", value=1_000_000_001
            ),
        ),
        (
            (component(tiers=((0, -1),)),),
            "offers[0].components[0].tiers[0].unit_price_cents",
            pricing.ERR_PRICE.format(
                field="offers[0].components[0].tiers[0].unit_price_cents", value=-1
            ),
        ),
        (
            (component(tiers=()),),
            field_of(0, "tiers"),
            pricing.ERR_TIERS_EMPTY.format(field=field_of(0, "tiers")),
        ),
        (
            (component(tiers=((0, 1), (5, 2), (5, 3))),),
            field_of(0, "tiers"),
            pricing.ERR_TIER_DUPLICATE.format(field=field_of(0, "tiers"), value=5),
        ),
        (
            (component(max_yearly_increase_bp=10_001),),
            field_of(0, "max_yearly_increase_bp"),
            pricing.ERR_INCREASE.format(field=field_of(0, "max_yearly_increase_bp"), value=10_001),
        ),
        (
            (component(minimum_term_months=61),),
            field_of(0, "minimum_term_months"),
            pricing.ERR_MINIMUM_TERM.format(field=field_of(0, "minimum_term_months"), value=61),
        ),
        (
            (component(minimum_quantity=-2),),
            field_of(0, "minimum_quantity"),
            pricing.ERR_MINIMUM_QUANTITY.format(field=field_of(0, "minimum_quantity"), value=-2),
        ),
        (
            (component(unit="seat_month"),),
            field_of(0, "unit"),
            pricing.ERR_UNIT.format(field=field_of(0, "unit"), value="seat_month"),
        ),
        (
            (component(billing="weekly"),),
            field_of(0, "billing"),
            pricing.ERR_BILLING.format(field=field_of(0, "billing"), value="weekly"),
        ),
        (
            (component(mandatory=1),),
            field_of(0, "mandatory"),
            pricing.ERR_FLAG.format(field=field_of(0, "mandatory"), value=1),
        ),
        (
            (component(), component(code="other")),
            field_of(1, "need"),
            pricing.ERR_DUPLICATE_NEED.format(field=field_of(1, "need"), key="A", need="users"),
        ),
        (
            (component(code=""),),
            field_of(0, "component_code"),
            pricing.ERR_TEXT.format(field=field_of(0, "component_code"), value=""),
        ),
    ],
)
def test_it_refuses_an_invalid_component(engine, components, field, message):
    with pytest.raises(PricingInputError) as raised:
        engine.price_offer(Plan(1, {"users": [1]}), offer("A", *components))
    assert str(raised.value) == message
    assert raised.value.field == field


def test_it_refuses_an_offer_given_twice(engine):
    with pytest.raises(PricingInputError) as raised:
        engine.rank(PLAN_US, [A1, A2, A1])
    assert str(raised.value) == pricing.ERR_DUPLICATE_OFFER.format(
        field="offers[2].offer_key", key="A1"
    )


def test_it_refuses_offers_of_several_suppliers_for_one_best_scenario(engine):
    with pytest.raises(PricingInputError) as raised:
        engine.best_scenario(PLAN_US, [A1, offer("B", component(), supplier="F2")])
    assert str(raised.value) == pricing.ERR_MIXED_SUPPLIERS.format(first="F1", other="F2")
    assert raised.value.field == "offers[1].supplier_key"


def test_it_refuses_a_best_scenario_without_offers(engine):
    with pytest.raises(PricingInputError) as raised:
        engine.best_scenario(PLAN_US, [])
    assert str(raised.value) == pricing.ERR_NO_OFFERS


def test_it_refuses_to_combine_seventeen_offers_of_one_supplier(engine):
    offers = [offer(f"o{i:02d}", component(tiers=((0, 100 + i),))) for i in range(17)]
    with pytest.raises(PricingInputError) as raised:
        engine.rank(Plan(1, {"users": [1]}), offers)
    assert str(raised.value) == pricing.ERR_TOO_MANY_OFFERS.format(supplier="F1", count=17)


def test_it_refuses_amounts_that_could_overflow(engine):
    """Three components at the limits: 10^7 units * 4 * 10^9 cents (10^9 doubling twice) *
    (36 months + 60) = 3.84 * 10^18 each, 1.15 * 10^19 together > 2^63 - 1."""
    big = {"max_yearly_increase_bp": 10_000, "minimum_term_months": 60}
    needs = {n: [10_000_000] * 36 for n in ("a", "b", "c")}
    offers = [
        offer(
            "A",
            *(component(n, tiers=((0, 1_000_000_000),), **big) for n in ("a", "b", "c")),
        )
    ]
    with pytest.raises(PricingInputError) as raised:
        engine.rank(Plan(36, needs), offers)
    assert str(raised.value) == pricing.ERR_AMOUNT_BOUND.format(supplier="F1")
    # Two of them fit: 7.68 * 10^18, priced exactly.
    two = engine.price_offer(Plan(36, needs), offer("A", *offers[0].components[:2]))
    # Each: 10^7 * 12 * (10^9 + 2 * 10^9 + 4 * 10^9) = 8.4 * 10^17 of usage and 24 months short
    # at 10^7 * 4 * 10^9: 9.6 * 10^17.
    assert two.total_cents == 2 * (840 + 960) * 10**15


def test_it_refuses_something_that_is_not_an_offer(engine):
    """A string among the offers is refused, naming its position."""
    with pytest.raises(PricingInputError) as raised:
        engine.rank(PLAN_US, [A1, "A2"])
    assert str(raised.value) == pricing.ERR_OFFER_TYPE.format(field="offers[1]", value="A2")
    assert raised.value.field == "offers[1]"


# --------------------------------------------------------------------------- no Django


def test_it_imports_without_django():
    """The engine runs anywhere (benchmarks, workers): importing it, and its loop twin, in a
    fresh interpreter loads no Django module."""
    code = (
        "import sys\n"
        "import courtier.acquisitions.pricing, courtier.acquisitions.pricing_loop\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "[]"
