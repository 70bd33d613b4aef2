"""The pure rules of performance evaluations (courtier/evaluations/rules.py), without a database:
the weighted grid, a campaign's summary and the end-of-contract evaluation's deadline across a
holiday (DOMAIN §5.8; 002 §4.8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from courtier.calendar.rules import business_days_after
from courtier.evaluations import rules
from courtier.evaluations.rules import (
    Criterion,
    EndEvaluationStatus,
    Evaluation,
    Grid,
)

GRID = Grid(
    version=1,
    criteria=(
        Criterion("quality", "Qualité", Decimal(40)),
        Criterion("delays", "Respect des délais", Decimal(35)),
        Criterion("support", "Soutien", Decimal(25)),
    ),
)
FULL = {"quality": 4, "delays": 3, "support": 5}


# --- the evaluation grid (002 §4.8) --------------------------------------------------------------


def _grid(*weights, version=1, scale=(1, 5)) -> Grid:
    criteria = tuple(Criterion(f"c{i}", f"Critère {i}", Decimal(w)) for i, w in enumerate(weights))
    return Grid(version, criteria, *scale)


@pytest.mark.parametrize(
    ("grid", "problems"),
    [
        (GRID, []),
        (_grid("33.34", "33.33", "33.33"), []),
        (_grid(100), []),
        (_grid(50, 49), ["weights_not_100"]),
        (_grid(60, 41), ["weights_not_100"]),
        (_grid(100, 0), ["weight_invalid"]),
        (_grid(110, -10), ["weight_invalid"]),
        (_grid("NaN", 100), ["weight_invalid"]),
        (_grid(), ["no_criteria"]),
        (_grid(100, version=0), ["version_invalid"]),
        (_grid(100, scale=(5, 5)), ["scale_invalid"]),
        (_grid(100, scale=(0, 10)), []),
        (
            Grid(1, (Criterion("a", "A", Decimal(50)), Criterion("a", "B", Decimal(50)))),
            ["duplicate_criterion"],
        ),
        (Grid(1, (Criterion("a", " ", Decimal(100)),)), ["criterion_unnamed"]),
    ],
)
def test_a_grid_version_has_named_criteria_whose_weights_sum_to_100(grid, problems):
    assert rules.grid_problems(grid) == problems


@pytest.mark.parametrize(
    ("scores", "problems"),
    [
        (FULL, []),
        ({"quality": 4, "delays": 3}, ["score_missing"]),
        ({**FULL, "price": 3}, ["unknown_criterion"]),
        ({**FULL, "support": 6}, ["score_out_of_scale"]),
        ({**FULL, "support": 0}, ["score_out_of_scale"]),
        ({**FULL, "support": Decimal("4.5")}, ["score_out_of_scale"]),  # whole points only
        ({**FULL, "quality": 0, "support": 9}, ["score_out_of_scale"]),  # said once
    ],
)
def test_an_evaluation_scores_every_criterion_on_the_grid_s_scale(scores, problems):
    assert rules.score_problems(GRID, scores) == problems


@pytest.mark.parametrize(
    ("grid", "scores", "score"),
    [
        (GRID, FULL, Decimal("3.90")),  # (40 × 4 + 35 × 3 + 25 × 5) / 100
        (GRID, {"quality": 5, "delays": 5, "support": 5}, Decimal(5)),
        (GRID, {"quality": 1, "delays": 1, "support": 1}, Decimal(1)),
        (_grid("33.34", "33.33", "33.33"), {"c0": 5, "c1": 4, "c2": 4}, Decimal("4.3334")),
        (_grid("12.5", "87.5"), {"c0": 1, "c1": 2}, Decimal("1.875")),
    ],
)
def test_the_weighted_score_is_exact(grid, scores, score):
    """002 §4.8: Σ weight × score / 100 in Decimal, no float and no rounding."""
    result = rules.weighted_score(grid, scores)
    assert result == score
    assert isinstance(result, Decimal)


# --- a campaign's summary per supplier (002 §4.8.1) ----------------------------------------------


def test_the_summary_gives_each_supplier_its_count_mean_score_and_criterion_means():
    second = Grid(
        2, (Criterion("quality", "Qualité", Decimal(50)), Criterion("price", "Prix", Decimal(50)))
    )
    evaluations = [
        Evaluation(7, GRID, FULL),  # 3.90
        Evaluation(7, GRID, {"quality": 5, "delays": 4, "support": 4}),  # 4.40
        Evaluation(7, second, {"quality": 2, "price": 3}),  # 2.50, on the newer version
        Evaluation(8, GRID, {"quality": 1, "delays": 2, "support": 2}),  # 1.60
    ]
    summary = rules.campaign_summary(evaluations)
    assert list(summary) == [7, 8]
    seven = summary[7]
    assert (seven.count, seven.mean_score) == (3, Decimal("3.60"))
    assert seven.criterion_means == {
        "quality": Decimal("3.67"),  # (4 + 5 + 2) / 3, half up
        "delays": Decimal("3.50"),
        "support": Decimal("4.50"),
        "price": Decimal("3.00"),  # only the version that has it
    }
    assert (summary[8].count, summary[8].mean_score) == (1, Decimal("1.60"))


@pytest.mark.parametrize(
    ("values", "result"),
    [
        ([], None),
        ([Decimal(1), Decimal(2)], Decimal("1.50")),
        ([Decimal("1.005")], Decimal("1.01")),  # half up
        ([Decimal(1), Decimal(1), Decimal(2)], Decimal("1.33")),
    ],
)
def test_a_mean_is_to_the_hundredth_half_up(values, result):
    assert rules.mean(values) == result


def test_a_campaign_without_evaluations_has_no_summary():
    assert rules.campaign_summary([]) == {}


# --- the end-of-contract evaluation (002 §4.8.2, §4.10) ------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "due_on"),
    [
        (date(2027, 3, 15), date(2027, 3, 22)),  # Monday: the next Monday
        (date(2027, 3, 24), date(2027, 4, 2)),  # across Good Friday and Easter Monday
        (date(2027, 6, 22), date(2027, 6, 30)),  # across June 24
        (date(2027, 3, 27), date(2027, 4, 5)),  # signed on a Saturday
    ],
)
def test_the_end_of_contract_evaluation_is_due_5_business_days_after_the_head_signs(
    signed_on, due_on
):
    assert rules.end_evaluation_due_on(signed_on, business_days_after) == due_on


def test_the_deadline_counts_the_broker_s_closure_days():
    def closed_april_first(day: date, n: int) -> date:
        return business_days_after(day, n, closures={date(2027, 4, 1)})

    assert rules.end_evaluation_due_on(date(2027, 3, 24), closed_april_first) == date(2027, 4, 5)


@pytest.mark.parametrize(
    ("rcti", "required", "closed", "owed"),
    [
        (True, True, True, True),
        (False, True, True, False),  # not subject to the RCTI
        (True, False, True, False),  # art. 82 does not require it
        (True, True, False, False),  # the contract runs still
    ],
)
def test_the_evaluation_is_owed_at_the_end_of_an_rcti_client_s_contract(
    rcti, required, closed, owed
):
    assert rules.end_evaluation_owed(rcti=rcti, required=required, contract_closed=closed) is owed


SIGNED = date(2027, 3, 24)  # due on Friday 2027-04-02 (the Easter holidays skipped)


@pytest.mark.parametrize(
    ("owed", "signed_on", "received_on", "today", "status"),
    [
        (False, SIGNED, None, date(2027, 5, 1), EndEvaluationStatus.NOT_OWED),
        (True, None, None, date(2027, 5, 1), EndEvaluationStatus.AWAITING_SIGNATURE),
        (True, SIGNED, None, date(2027, 3, 29), EndEvaluationStatus.DUE),
        (True, SIGNED, None, date(2027, 4, 2), EndEvaluationStatus.DUE),  # the last day
        (True, SIGNED, None, date(2027, 4, 3), EndEvaluationStatus.OVERDUE),
        (True, SIGNED, date(2027, 4, 2), date(2027, 4, 9), EndEvaluationStatus.RECEIVED),
        (True, SIGNED, date(2027, 4, 5), date(2027, 4, 9), EndEvaluationStatus.RECEIVED_LATE),
        (True, None, date(2027, 4, 5), date(2027, 4, 9), EndEvaluationStatus.RECEIVED),
    ],
)
def test_the_end_of_contract_evaluation_is_tracked_then_flagged_when_late(
    owed, signed_on, received_on, today, status
):
    assert (
        rules.end_evaluation_status(
            owed=owed,
            head_signed_on=signed_on,
            received_on=received_on,
            today=today,
            business_days_after=business_days_after,
        )
        == status
    )
