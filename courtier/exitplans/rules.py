"""The exit transition (DOMAIN §5.9; 002 §4.9): when a plan is required, when the end is
warned of, and the checks of a plan (activities before the end, the overlap of the old and the
new contract). Pure: stdlib only, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# DOMAIN §5.9 (002 §4.9): warn early enough to run a new acquisition; configurable, 9 by default.
DEFAULT_EXIT_WARNING_MONTHS = 9
# DOMAIN §3.1: a contract lasts at most 3 years, so an earlier warning means nothing.
MAX_EXIT_WARNING_MONTHS = 36
MAX_ACTIVITIES = 20  # rows of a plan (a bound of the request, not of 002 §4.9)
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 4000


# --- the plan's workflow (002 §4.9: the client plans its exit, the broker follows it) ----------


class State(StrEnum):
    DRAFT = "draft"  # the client prepares its plan
    SUBMITTED = "submitted"  # sent to the broker, checked against 002 §4.9
    RETURNED = "returned"  # the broker returned it with a comment: the client corrects it
    ACKNOWLEDGED = "acknowledged"  # the broker took note: the activities run
    COMPLETED = "completed"  # every activity done before the contract's end


class Action(StrEnum):
    SUBMIT = "submit"
    ACKNOWLEDGE = "acknowledge"
    RETURN = "return"
    COMPLETE = "complete"


class Actor(StrEnum):
    BROKER = "broker"  # the broker's agents (and admins)
    CLIENT = "client"  # the client's people who run its acquisitions


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


S, A = State, Action
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, A.SUBMIT, S.SUBMITTED, Actor.CLIENT),
    Transition(S.RETURNED, A.SUBMIT, S.SUBMITTED, Actor.CLIENT),
    Transition(S.SUBMITTED, A.ACKNOWLEDGE, S.ACKNOWLEDGED, Actor.BROKER),
    Transition(S.SUBMITTED, A.RETURN, S.RETURNED, Actor.BROKER),
    Transition(S.ACKNOWLEDGED, A.COMPLETE, S.COMPLETED, Actor.CLIENT),
)
# The plan is changed only while the client holds it.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# A submitted plan stops the warning (002 §4.9: the client has planned its exit).
PLANNED_STATES = frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.COMPLETED})
# Activities are marked done once the plan is submitted, until it is completed.
RUNNING_STATES = frozenset({S.SUBMITTED, S.ACKNOWLEDGED})


# --- the exit transition (DOMAIN §5.9; 002 §4.9) ----------------------------------------------


def plan_required(contract_kind: str) -> bool:
    """002 §4.9 « applicable aux contrats de solutions »: services contracts have no exit plan."""
    return contract_kind == "solutions"


def _add_months(day: date, months: int) -> date:
    """As contracts.rules.add_months (not imported: the apps stay independent)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def warning_months_problem(months: int) -> str | None:
    """The configured warning (DOMAIN §5.9): a whole number of months from 1 to 36."""
    if months < 1 or months > MAX_EXIT_WARNING_MONTHS:
        return "warning_months_invalid"
    return None


def exit_warning_on(contract_end: date, months: int = DEFAULT_EXIT_WARNING_MONTHS) -> date:
    """002 §4.9: the day to warn the client to plan its exit, ``months`` before the last day
    (on the month's last day when it has fewer days)."""
    return _add_months(contract_end, -months)


def exit_warning_due(
    today: date, contract_end: date, *, warned: bool, months: int = DEFAULT_EXIT_WARNING_MONTHS
) -> bool:
    """002 §4.9 (DOMAIN §5.9): whether the daily job warns now: from the warning day to the
    contract's end, once."""
    return not warned and exit_warning_on(contract_end, months) <= today <= contract_end


@dataclass(frozen=True)
class Activity:
    name: str
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class ExitPlan:
    contract_end: date  # the initial contract's last day (inclusive, as contracts.rules.end_on)
    same_supplier: bool  # the follow-up contract is with the same supplier
    none_needed: bool = False  # « il est possible qu'aucune activité ... ne soit nécessaire »
    activities: tuple[Activity, ...] = ()
    new_contract_start: date | None = None  # the new supplier's contract (first and last day)
    new_contract_end: date | None = None


def overlap_days(plan: ExitPlan) -> int:
    """002 §4.9 « délai de parallélisme »: the days both contracts run (both ends inclusive);
    0 without a new contract."""
    if plan.new_contract_start is None:
        return 0
    end = min(plan.contract_end, plan.new_contract_end or plan.contract_end)
    return max(0, (end - plan.new_contract_start).days + 1)


def activities_span(plan: ExitPlan) -> tuple[date, date] | None:
    """002 §4.9: from the first exit activity's start to the last one's end; ``None`` without
    activities."""
    if not plan.activities:
        return None
    return min(a.start for a in plan.activities), max(a.end for a in plan.activities)


def needed_days(plan: ExitPlan) -> int:
    """002 §4.9: the days the planned exit activities need, first start to last end inclusive."""
    span = activities_span(plan)
    return 0 if span is None else (span[1] - span[0]).days + 1


def plan_problems(plan: ExitPlan) -> list[str]:
    """The reasons (keys) an exit plan is refused (002 §4.9). Every activity ends by the initial
    contract's last day (« doivent être complétées avant la fin du contrat initial »); only for
    the same supplier may the plan say none are needed; for a new supplier, the new contract
    runs alongside the old one over the whole span of the activities (« un délai de parallélisme
    des deux contrats pour permettre de compléter la transition »). Empty when accepted."""
    problems: list[str] = []
    if plan.none_needed:
        if not plan.same_supplier:
            problems.append("none_needed_new_supplier")
        if plan.activities:
            problems.append("activities_with_none_needed")
        if plan.same_supplier:
            return problems
    elif not plan.activities:
        problems.append("no_activities")
    if any(not a.name.strip() for a in plan.activities):
        problems.append("activity_unnamed")
    if any(a.end < a.start for a in plan.activities):
        problems.append("activity_dates_invalid")
    if any(a.end > plan.contract_end for a in plan.activities):
        problems.append("activity_after_contract_end")
    if not plan.same_supplier:
        span = activities_span(plan)
        if plan.new_contract_start is None:
            problems.append("new_contract_missing")
        elif plan.new_contract_end is not None and plan.new_contract_end < plan.new_contract_start:
            problems.append("new_contract_dates_invalid")
        elif span is not None and (
            plan.new_contract_start > span[0]
            or (plan.new_contract_end is not None and plan.new_contract_end < span[1])
            or overlap_days(plan) < needed_days(plan)
        ):
            problems.append("overlap_too_short")
    return list(dict.fromkeys(problems))


def shortfall_days(plan: ExitPlan) -> int:
    """002 §4.9 « délai de parallélisme »: the days of the activities' span that the overlap of
    the two contracts does not cover (0 when covered, or without activities or new contract)."""
    span = activities_span(plan)
    if span is None or plan.new_contract_start is None:
        return 0
    overlap_end = min(plan.contract_end, plan.new_contract_end or plan.contract_end)
    first, last = max(span[0], plan.new_contract_start), min(span[1], overlap_end)
    covered = max(0, (last - first).days + 1)
    return needed_days(plan) - covered


def undone(activities: list[tuple[str, date | None]]) -> list[str]:
    """002 §4.9: the names of the activities not done yet (``(name, done_on)`` pairs)."""
    return [name for name, done_on in activities if done_on is None]
