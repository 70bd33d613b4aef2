"""The pure rules of service acquisitions (DOMAIN §4; 002 §3), without a database."""

from datetime import date
from decimal import Decimal

import pytest

from courtier.pricerequests import rules
from courtier.pricerequests.rules import DeadlineProblem, HandoffProblem, PriceLine, PriceProblem

SENT = date(2026, 10, 5)


@pytest.mark.parametrize(
    ("days", "business", "problem"),
    [
        (9, True, DeadlineProblem.TOO_SHORT),
        (10, True, None),
        (15, True, None),
        (16, True, DeadlineProblem.TOO_LONG),
        (12, False, DeadlineProblem.NOT_A_BUSINESS_DAY),
    ],
)
def test_the_response_deadline_falls_10_to_15_business_days_after_sending(days, business, problem):
    """002 §3.3.3: « Le délai de réponse ... est de 10 à 15 jours ouvrables »."""
    found = rules.deadline_problems(
        sent_on=SENT,
        deadline_on=date(2026, 10, 30),
        business_days=days,
        deadline_is_business_day=business,
        question_cutoff_on=date(2026, 10, 14),
    )
    assert found.get("deadline_on") == problem


@pytest.mark.parametrize(
    ("cutoff", "problem"),
    [
        (date(2026, 10, 30), DeadlineProblem.CUTOFF_AFTER_DEADLINE),
        (date(2026, 10, 4), DeadlineProblem.CUTOFF_IN_PAST),
        (date(2026, 10, 5), None),
    ],
)
def test_the_question_cutoff_comes_before_the_deadline_and_not_before_sending(cutoff, problem):
    found = rules.deadline_problems(
        sent_on=SENT,
        deadline_on=date(2026, 10, 30),
        business_days=12,
        deadline_is_business_day=True,
        question_cutoff_on=cutoff,
    )
    assert found.get("question_cutoff_on") == problem


@pytest.mark.parametrize(
    ("index", "name"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_pseudonyms_are_letters_then_pairs_of_letters(index, name):
    assert rules.pseudonym(index) == name


def test_pseudonym_order_is_a_permutation():
    assert sorted(rules.pseudonym_order(7)) == list(range(7))


@pytest.mark.parametrize(
    ("rate", "hours", "cents"),
    [(12_000, "80", 960_000), (15_000, "20.5", 307_500), (9_999, "0.01", 100), (1, "0.5", 1)],
)
def test_a_line_costs_its_rate_times_its_hours_to_the_nearest_cent(rate, hours, cents):
    assert rules.line_total_cents(PriceLine("Analyse", rate, Decimal(hours))) == cents


def test_the_total_of_an_hourly_response_adds_its_lines_and_a_lump_sum_is_itself():
    lines = [PriceLine("A", 12_000, Decimal("80")), PriceLine("B", 12_000, Decimal("20.5"))]
    assert rules.response_total_cents(mode="hourly", lines=lines, lump_sum_cents=None) == 1_206_000
    assert rules.response_total_cents(mode="lump_sum", lines=[], lump_sum_cents=5_000_00) == 500_000


@pytest.mark.parametrize(
    ("mode", "lines", "lump", "field", "problem"),
    [
        ("hourly", [], None, "lines", PriceProblem.NO_LINES),
        ("hourly", [PriceLine("A", 0, Decimal(1))], None, "lines.0.rate_cents", PriceProblem.RATE),
        (
            "hourly",
            [PriceLine("A", 10, Decimal("1.234"))],
            None,
            "lines.0.hours",
            PriceProblem.HOURS,
        ),
        (
            "hourly",
            [PriceLine(" ", 10, Decimal(1))],
            None,
            "lines.0.activity",
            PriceProblem.ACTIVITY,
        ),
        ("hourly", [PriceLine("A", 10, Decimal(1))], 100, "lump_sum_cents", PriceProblem.MODE),
        ("lump_sum", [], None, "lump_sum_cents", PriceProblem.LUMP_SUM_REQUIRED),
        ("lump_sum", [PriceLine("A", 10, Decimal(1))], 100, "lines", PriceProblem.MODE),
    ],
)
def test_a_price_follows_the_request_s_remuneration_mode(mode, lines, lump, field, problem):
    """002 §3.1: hourly rate or lump sum, never both."""
    assert rules.price_problems(mode=mode, lines=lines, lump_sum_cents=lump)[field] == problem


@pytest.mark.parametrize(
    ("submitted", "deadline", "in_time"), [(100.0, 100.0, True), (101.0, 100.0, False)]
)
def test_a_response_one_second_late_is_late(submitted, deadline, in_time):
    assert rules.submitted_in_time(submitted_at_epoch=submitted, deadline_epoch=deadline) is in_time


def test_a_criterion_not_declared_in_the_request_cannot_weigh_in_the_choice():
    """002 §3.4: « Celui-ci doit toutefois être inclus à la demande de prix »."""
    assert rules.undeclared_criteria(["ges", "local"], ["ges", "experience"]) == ["local"]


@pytest.mark.parametrize(
    ("lowest", "rcti", "single", "advice", "required"),
    [
        (True, True, False, False, False),
        (False, True, False, False, True),
        (False, False, False, False, False),
        (True, True, True, True, True),
        (True, True, True, False, False),
        (True, False, True, True, False),
    ],
)
def test_the_head_authorises_a_non_lowest_choice_of_an_rcti_client(
    lowest, rcti, single, advice, required
):
    """RCTI art. 48 (002 §3.4), and the broker's advice for a single provider solicited."""
    assert (
        rules.head_authorisation_required(
            chosen_is_lowest=lowest,
            subject_to_rcti=rcti,
            single_provider=single,
            follows_single_provider_advice=advice,
        )
        is required
    )


def _facts(**changes):
    base = dict(
        has_choice=True,
        chosen_complete=True,
        undecided_responses=0,
        chosen_is_lowest=True,
        chosen_total_cents=1_000,
        subject_to_rcti=True,
        single_provider=False,
        follows_single_provider_advice=False,
        has_head_authorisation=False,
        own_rule="",
        financial_amount_cents=1_000,
    )
    return rules.HandoffFacts(**(base | changes))


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"has_choice": False}, [HandoffProblem.NO_CHOICE]),
        ({"chosen_is_lowest": False}, [HandoffProblem.HEAD_AUTHORISATION]),
        ({"chosen_is_lowest": False, "has_head_authorisation": True}, []),
        ({"chosen_is_lowest": False, "subject_to_rcti": False}, [HandoffProblem.OWN_RULE]),
        ({"undecided_responses": 1}, [HandoffProblem.COMPLETENESS_UNDECIDED]),
        ({"financial_amount_cents": None}, [HandoffProblem.FINANCIAL_AUTHORISATION]),
        ({"financial_amount_cents": 999}, [HandoffProblem.FINANCIAL_AMOUNT]),
        ({"chosen_complete": False}, [HandoffProblem.CHOICE_INCOMPLETE]),
    ],
)
def test_what_keeps_the_package_from_the_broker(changes, problems):
    """002 §3.4-3.5."""
    assert rules.handoff_problems(_facts(**changes)) == problems


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({name: "x" for name in rules.NEED_FIELDS}, []),
        ({**{name: "x" for name in rules.NEED_FIELDS}, "penalties": "  "}, ["penalties"]),
        (
            {**{name: "x" for name in rules.NEED_FIELDS}, "duration_months": None},
            ["duration_months"],
        ),
    ],
)
def test_every_need_of_002_3_1_is_answered_before_step_2(values, missing):
    assert rules.needs_missing(values) == missing


def test_the_file_and_request_tables_have_one_move_per_source_and_action():
    for table in (rules.FILE_TRANSITIONS, rules.REQUEST_TRANSITIONS):
        keys = [(t.source, t.action) for t in table]
        assert len(keys) == len(set(keys))
