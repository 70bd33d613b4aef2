"""The pure rules of the exit transition (courtier/exitplans/rules.py), without a database: the
warning before the end and the checks of a plan (DOMAIN §5.9; 002 §4.9)."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.exitplans import rules
from courtier.exitplans.rules import (
    Activity,
    ExitPlan,
)

# --- the exit transition (002 §4.9) --------------------------------------------------------------

END = date(2028, 5, 31)  # the initial contract's last day
EXPORT = Activity("Export des données", date(2028, 3, 1), date(2028, 4, 30))
DESTROY = Activity("Attestation de destruction", date(2028, 5, 1), date(2028, 5, 31))


@pytest.mark.parametrize(("kind", "required"), [("solutions", True), ("services", False)])
def test_only_a_solutions_contract_has_an_exit_plan(kind, required):
    assert rules.plan_required(kind) is required


@pytest.mark.parametrize(
    ("end", "months", "warn_on"),
    [
        (END, 9, date(2027, 8, 31)),
        (date(2028, 11, 30), 9, date(2028, 2, 29)),  # a leap February
        (date(2028, 12, 31), 9, date(2028, 3, 31)),
        (END, 12, date(2027, 5, 31)),
        (END, 1, date(2028, 4, 30)),
    ],
)
def test_the_exit_warning_comes_the_configured_months_before_the_end(end, months, warn_on):
    assert rules.exit_warning_on(end, months) == warn_on


def test_the_exit_warning_comes_9_months_before_by_default():
    assert rules.DEFAULT_EXIT_WARNING_MONTHS == 9
    assert rules.exit_warning_on(END) == date(2027, 8, 31)


@pytest.mark.parametrize(
    ("today", "warned", "due"),
    [
        (date(2027, 8, 30), False, False),
        (date(2027, 8, 31), False, True),
        (date(2028, 1, 15), False, True),  # a missed day is caught up
        (date(2028, 1, 15), True, False),  # once
        (date(2028, 6, 1), False, False),  # the contract has ended
    ],
)
def test_the_daily_job_warns_once_from_the_warning_day(today, warned, due):
    assert rules.exit_warning_due(today, END, warned=warned) is due


@pytest.mark.parametrize(
    ("months", "problem"),
    [
        (0, "warning_months_invalid"),
        (1, None),
        (9, None),
        (36, None),
        (37, "warning_months_invalid"),
    ],
)
def test_the_warning_is_set_from_1_to_36_months(months, problem):
    assert rules.warning_months_problem(months) == problem


@pytest.mark.parametrize(
    ("plan", "problems"),
    [
        (ExitPlan(END, same_supplier=True, none_needed=True), []),
        (ExitPlan(END, same_supplier=True, activities=(EXPORT,)), []),
        (ExitPlan(END, same_supplier=True), ["no_activities"]),
        (
            ExitPlan(END, same_supplier=True, none_needed=True, activities=(EXPORT,)),
            ["activities_with_none_needed"],
        ),
        (
            ExitPlan(END, same_supplier=False, none_needed=True, new_contract_start=END),
            ["none_needed_new_supplier"],
        ),
        (
            ExitPlan(
                END,
                same_supplier=True,
                activities=(Activity("Export", date(2028, 5, 1), date(2028, 6, 1)),),
            ),
            ["activity_after_contract_end"],
        ),
        (
            ExitPlan(
                END,
                same_supplier=True,
                activities=(Activity("Export", date(2028, 5, 1), date(2028, 4, 1)),),
            ),
            ["activity_dates_invalid"],
        ),
        (
            ExitPlan(
                END,
                same_supplier=True,
                activities=(Activity(" ", date(2028, 5, 1), date(2028, 5, 2)),),
            ),
            ["activity_unnamed"],
        ),
    ],
)
def test_an_exit_plan_ends_its_activities_by_the_contract_s_last_day(plan, problems):
    """002 §4.9: « les activités de transition à la sortie doivent être complétées avant la fin
    du contrat initial »; for the same supplier « aucune activité » may be needed."""
    assert rules.plan_problems(plan) == problems


@pytest.mark.parametrize(
    ("start", "end", "problems"),
    [
        (date(2028, 3, 1), date(2031, 2, 28), []),  # from the first activity's start
        (date(2028, 1, 1), None, []),  # earlier still; its end not recorded yet
        (date(2028, 3, 2), date(2031, 2, 28), ["overlap_too_short"]),  # a day late
        (date(2028, 5, 1), date(2031, 2, 28), ["overlap_too_short"]),
        (date(2028, 6, 1), None, ["overlap_too_short"]),  # no overlap at all
        (date(2028, 1, 1), date(2028, 5, 15), ["overlap_too_short"]),  # ends before the last
        (None, None, ["new_contract_missing"]),
        (date(2028, 3, 1), date(2028, 2, 1), ["new_contract_dates_invalid"]),
    ],
)
def test_a_new_supplier_s_contract_overlaps_the_old_one_over_the_exit_activities(
    start, end, problems
):
    """002 §4.9: « il faut prévoir un délai de parallélisme des deux contrats pour permettre de
    compléter la transition de l'un à l'autre »."""
    plan = ExitPlan(
        END,
        same_supplier=False,
        activities=(DESTROY, EXPORT),
        new_contract_start=start,
        new_contract_end=end,
    )
    assert rules.plan_problems(plan) == problems


def test_a_new_supplier_s_plan_lists_its_exit_activities():
    plan = ExitPlan(END, same_supplier=False, new_contract_start=date(2028, 1, 1))
    assert rules.plan_problems(plan) == ["no_activities"]


@pytest.mark.parametrize(
    ("start", "end", "overlap"),
    [
        (date(2028, 3, 1), None, 92),  # March 1 to May 31, both included
        (date(2028, 5, 31), None, 1),
        (date(2028, 6, 1), None, 0),
        (date(2028, 3, 1), date(2028, 3, 31), 31),
        (None, None, 0),
    ],
)
def test_the_overlap_counts_the_days_both_contracts_run(start, end, overlap):
    plan = ExitPlan(END, same_supplier=False, new_contract_start=start, new_contract_end=end)
    assert rules.overlap_days(plan) == overlap


def test_the_exit_activities_need_the_days_from_the_first_start_to_the_last_end():
    plan = ExitPlan(END, same_supplier=False, activities=(DESTROY, EXPORT))
    assert rules.activities_span(plan) == (date(2028, 3, 1), END)
    assert rules.needed_days(plan) == 92
    assert rules.needed_days(ExitPlan(END, same_supplier=True)) == 0
