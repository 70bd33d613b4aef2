"""The pure rules of specific contracts (courtier/contracts/rules.py), without a database: the
36-month limit, what an amendment may never change, the current terms, the order of signatures,
the consumption thresholds, the forecast of the month the money runs out, dates and series."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.contracts import rules
from courtier.contracts.rules import (
    AmendmentAction,
    AmendmentState,
    Forecast,
    Kind,
    Point,
    Signer,
    Terms,
)

SOLUTIONS = Terms(
    months=12,
    authorised_cents=96_000,
    offers=frozenset({3}),
    components=frozenset({(3, "BASE")}),
)
SERVICES = Terms(months=12, authorised_cents=1_200_000, qualifications=frozenset({"cyber"}))


# --- duration (DOMAIN §3.1; 002 §4.5) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "problem"), [(0, "too_short"), (1, None), (36, None), (37, "too_long")]
)
def test_a_contract_lasts_one_to_thirty_six_months(months, problem):
    """DOMAIN §3.1, 002 §4.5: three years at most, renewals and amendments included."""
    assert rules.duration_problem(months) == problem


@pytest.mark.parametrize(
    ("day", "months", "moved"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2027, 8, 31), 1, date(2027, 9, 30)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # across the year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),  # backwards
        (date(2027, 5, 15), 0, date(2027, 5, 15)),
        (date(2027, 1, 31), 36, date(2030, 1, 31)),
    ],
)
def test_adding_months_lands_on_the_month_s_last_day_when_it_is_shorter(day, months, moved):
    assert rules.add_months(day, months) == moved


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2027, 6, 1), 12, date(2028, 5, 31)),
        (date(2027, 5, 30), 12, date(2028, 5, 29)),
        (date(2027, 6, 1), 18, date(2028, 11, 30)),
    ],
)
def test_a_contract_s_last_day_is_the_eve_of_its_start_months_later(start, months, last):
    assert rules.end_on(start, months) == last


# --- amendments (002 §4.5) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "changes", "problems"),
    [
        (SOLUTIONS, [{"kind": "duration", "months": 24}], []),  # 36 months in all: allowed
        (SOLUTIONS, [{"kind": "duration", "months": 25}], ["too_long"]),
        (
            SOLUTIONS,
            [{"kind": "duration", "months": 12}, {"kind": "duration", "months": 13}],
            ["too_long"],
        ),
        # Amendments already signed count: 30 months now, 7 more is beyond three years.
        (Terms(months=30, authorised_cents=1), [{"kind": "duration", "months": 7}], ["too_long"]),
        (Terms(months=30, authorised_cents=1), [{"kind": "duration", "months": 6}], []),
    ],
)
def test_the_total_duration_original_and_amendments_never_goes_beyond_36_months(
    terms, changes, problems
):
    """002 §4.5: « Augmenter la durée du contrat au-delà de trois ans » is not possible."""
    assert rules.change_problems(Kind.SOLUTIONS, terms, changes) == problems


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({"kind": "solution", "offer": 9}, ["solution_outside"]),  # a new offer
        ({"kind": "solution", "offer": 3}, ["solution_outside"]),  # the scope itself: never
        ({"kind": "component", "offer": 9, "component": "X"}, ["solution_outside"]),
    ],
)
def test_a_new_solution_outside_the_contract_is_refused(change, problems):
    """002 §4.5: the scope of the solutions does not change."""
    assert rules.change_problems(Kind.SOLUTIONS, SOLUTIONS, [change]) == problems


def test_a_component_of_an_offer_already_in_the_contract_is_accepted():
    """002 §4.5: « sauf pour ajouter une composante ou une activité en lien avec les offres »."""
    change = {"kind": "component", "offer": 3, "component": "ARCHIVES"}
    assert rules.change_problems(Kind.SOLUTIONS, SOLUTIONS, [change]) == []


def test_a_component_is_no_change_of_a_services_contract():
    change = {"kind": "component", "offer": 3, "component": "ARCHIVES"}
    assert rules.change_problems(Kind.SERVICES, SERVICES, [change]) == ["solution_outside"]


@pytest.mark.parametrize(
    ("kind", "terms", "qualification", "problems"),
    [
        (Kind.SERVICES, SERVICES, "cyber", []),
        (Kind.SERVICES, SERVICES, "telephonie", ["services_outside"]),
        (Kind.SOLUTIONS, SOLUTIONS, "cyber", ["services_outside"]),
    ],
)
def test_services_outside_the_contract_s_qualifications_are_refused(
    kind, terms, qualification, problems
):
    """002 §4.5: no services outside the scope of the broker's qualifications."""
    change = {"kind": "services", "qualification": qualification, "activity": "Audit"}
    assert rules.change_problems(kind, terms, [change]) == problems


@pytest.mark.parametrize("kind", [Kind.SOLUTIONS, Kind.SERVICES])
def test_a_change_of_the_contractual_conditions_is_refused(kind):
    """002 §4.5: only the broker changes the contractual conditions, under the agreement."""
    terms = SOLUTIONS if kind == Kind.SOLUTIONS else SERVICES
    changes = [{"kind": "conditions", "description": "Pénalités"}] * 2
    assert rules.change_problems(kind, terms, changes) == ["conditions"]  # said once


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ([], ["no_change"]),
        ([{"kind": "duration", "months": 0}], ["months_invalid"]),
        ([{"kind": "duration"}], ["months_invalid"]),
        ([{"kind": "amount", "cents": 0}], ["amount_invalid"]),
        ([{"kind": "amount", "cents": -100}], ["amount_invalid"]),
        ([{"kind": "amount", "cents": 1}], []),
        ([{"kind": "price"}], ["unknown_change"]),
        (
            [{"kind": "conditions"}, {"kind": "duration", "months": 30}],
            ["conditions", "too_long"],
        ),
    ],
)
def test_an_amendment_describes_real_changes(changes, problems):
    assert rules.change_problems(Kind.SOLUTIONS, SOLUTIONS, changes) == problems


def test_signed_amendments_make_the_current_terms_in_order():
    """002 §4.5: the original terms plus each signed amendment, in order."""
    first = rules.apply_changes(
        SOLUTIONS,
        1,
        [{"kind": "duration", "months": 6}, {"kind": "component", "offer": 3, "component": "X"}],
    )
    second = rules.apply_changes(first, 2, [{"kind": "amount", "cents": 4_000}])
    assert (first.months, first.authorised_cents, first.amendments) == (18, 96_000, (1,))
    assert first.components == {(3, "BASE"), (3, "X")}
    assert (second.months, second.authorised_cents, second.amendments) == (18, 100_000, (1, 2))
    assert second.offers == SOLUTIONS.offers  # the scope stays
    assert SOLUTIONS.months == 12  # the terms are values: the original is unchanged


@pytest.mark.parametrize(
    ("state", "withdrawable"),
    [
        (AmendmentState.REQUESTED, True),
        (AmendmentState.PREPARATION, True),
        (AmendmentState.APPROVED, True),
        (AmendmentState.VALIDATED, False),  # the stamped version is out for signing
        (AmendmentState.SIGNED, False),
    ],
)
def test_the_client_withdraws_an_amendment_until_it_is_validated_for_signing(state, withdrawable):
    moves = {(t.source, t.action) for t in rules.AMENDMENT_TRANSITIONS}
    assert ((state, AmendmentAction.WITHDRAW) in moves) is withdrawable


# --- signatures in order (002 §2.5 steps 7-9) ---------------------------------------------------


def _signers(signed: set[int]) -> list[Signer]:
    """The client's head (1), then two signatories of the same rank (2, 3), then the supplier."""
    rows = [(1, "client", 1), (2, "client", 2), (3, "client", 2), (4, "supplier", 1)]
    return [Signer(key, party, order, key in signed) for key, party, order in rows]


@pytest.mark.parametrize(
    ("signed", "next_"),
    [
        (set(), [1]),
        ({1}, [2, 3]),  # one rank at a time, both of it at once
        ({1, 3}, [2]),
        ({1, 2, 3}, [4]),  # the supplier once every client signatory has signed
        ({1, 2, 3, 4}, []),
    ],
)
def test_the_client_s_signatories_sign_in_their_order_then_the_supplier(signed, next_):
    """002 §2.5 steps 8 and 9: the client's hierarchy, then the supplier."""
    assert rules.next_signers(_signers(signed)) == next_


@pytest.mark.parametrize(
    ("signed", "key", "problem"),
    [
        (set(), 1, None),
        (set(), 9, "not_a_signatory"),
        ({1}, 1, "already_signed"),
        (set(), 2, "out_of_order"),  # before the head
        ({1, 2}, 4, "out_of_order"),  # the supplier before the client has finished
        ({1, 2}, 3, None),
    ],
)
def test_a_signature_out_of_order_is_refused(signed, key, problem):
    assert rules.signature_problem(_signers(signed), key) == problem


@pytest.mark.parametrize(
    ("signed", "party", "signing", "done"),
    [
        ({1}, "client", 2, False),  # 3 has still to sign
        ({1, 2}, "client", 3, True),
        ({1, 2, 3}, "supplier", 4, True),
        (set(), "supplier", 1, False),
    ],
)
def test_a_party_is_done_when_its_last_signatory_signs(signed, party, signing, done):
    assert rules.party_done(_signers(signed), party, signing) is done


# --- consumption (002 §4.4) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(1, 3, "33.3"), (2, 3, "66.7"), (80, 100, "80.0"), (1, 0, "0.0"), (150, 100, "150.0")],
)
def test_a_percentage_has_one_decimal_rounded_half_up(part, whole, shown):
    assert str(rules.percent(part, whole)) == shown


@pytest.mark.parametrize(
    ("used", "told", "crossed"),
    [
        (79_999, (), []),
        (80_000, (), [80]),  # exactly 80 %
        (85_000, (80,), []),  # told once
        (99_999, (80,), []),
        (100_000, (80,), [100]),
        (100_000, (), [80, 100]),  # both at once when jumping
        (120_000, (80, 100), []),
    ],
)
def test_the_client_is_told_once_at_80_then_once_at_100_percent(used, told, crossed):
    """002 §4.4: each threshold is told once, in order; both when one invoice crosses both."""
    assert rules.thresholds_crossed(used, 100_000, told) == crossed


def test_no_threshold_without_an_authorised_amount():
    assert rules.thresholds_crossed(10, 0, ()) == []


@pytest.mark.parametrize(
    ("ordered", "new", "exceeds"),
    [
        (60_000, 40_000, False),  # exactly 100 %: accepted
        (60_000, 40_001, True),  # one cent beyond: refused until an amendment
        (0, 100_000, False),
        (100_000, 1, True),
    ],
)
def test_an_order_beyond_100_percent_of_the_authorised_amount_is_refused(ordered, new, exceeds):
    """002 §4.4, §4.5."""
    assert rules.order_exceeds(ordered, new, 100_000) is exceeds


@pytest.mark.parametrize(
    ("today", "used", "authorised", "forecast"),
    [
        (date(2027, 3, 15), 0, 100_000, Forecast(None, 0)),  # nothing consumed yet
        (date(2026, 12, 15), 5_000, 100_000, Forecast(None, 0)),  # before the start
        # Three months (March counts whole) at 10 000 a month: 70 000 left, 7 more months.
        (date(2027, 3, 15), 30_000, 100_000, Forecast(date(2027, 10, 1), 10_000)),
        # Eleven months at 1 000 $ / 11: exactly 11 more months (counted in whole numbers).
        (date(2027, 11, 15), 100_000, 200_000, Forecast(date(2028, 10, 1), 9_091)),
        (date(2027, 1, 20), 40_000, 100_000, Forecast(date(2027, 3, 1), 40_000)),
        (date(2027, 5, 2), 100_000, 100_000, Forecast(date(2027, 5, 1), 20_000)),  # spent
        (date(2027, 5, 2), 120_000, 100_000, Forecast(date(2027, 5, 1), 24_000)),
    ],
)
def test_the_forecast_is_the_month_the_money_runs_out_at_the_pace_since_the_start(
    today, used, authorised, forecast
):
    """002 §4.4: at the pace since the start, a started month counting whole."""
    assert (
        rules.exhaustion_forecast(
            start=date(2027, 1, 1), today=today, used_cents=used, authorised_cents=authorised
        )
        == forecast
    )


def test_the_monthly_series_cumulates_orders_and_invoices_at_each_month_s_end():
    """002 §4.4: ordered and consumed, month by month from the start to the end."""
    entries = [
        (date(2027, 2, 28), "invoice", 300),  # the month's last day counts in it
        (date(2027, 1, 10), "order", 1_000),
        (date(2027, 3, 1), "invoice", 200),
        (date(2027, 4, 30), "order", 500),  # after the end: not in the series
    ]
    assert rules.monthly_series(entries, date(2027, 1, 15), date(2027, 3, 20)) == [
        Point(date(2027, 1, 1), 1_000, 0),
        Point(date(2027, 2, 1), 1_000, 300),  # cumulated, nothing new ordered
        Point(date(2027, 3, 1), 1_000, 500),
    ]


def test_a_monthly_series_without_entries_is_flat():
    assert rules.monthly_series([], date(2027, 11, 5), date(2028, 1, 1)) == [
        Point(date(2027, 11, 1), 0, 0),
        Point(date(2027, 12, 1), 0, 0),
        Point(date(2028, 1, 1), 0, 0),
    ]
