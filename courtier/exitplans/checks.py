"""Read-only guards of the exit plan's moves (002 §4.9): what blocks its submission (the reasons
of ``rules.plan_problems`` as French messages keyed by field) and its completion. Never
writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from courtier.contracts import rules as contract_rules
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Contract
from courtier.core.formatting import long_date
from courtier.exitplans import rules
from courtier.exitplans.messages import ACTIVITIES_NOT_DONE, COMMENT_REQUIRED, PROBLEMS
from courtier.exitplans.models import ExitPlan


def contract_end(contract: Contract) -> date:
    """The initial contract's last day by its current terms (002 §4.5: signed amendments move
    it; inclusive)."""
    months = contract_selectors.current_terms(contract).months
    return contract_rules.end_on(contract.start_on, months)


def as_rule(plan: ExitPlan, activities: list[Any] | None = None) -> rules.ExitPlan:
    """The plan as the pure rules read it (its activities, or ``activities`` given)."""
    rows = list(plan.activities.all()) if activities is None else activities
    new = plan.new_contract
    return rules.ExitPlan(
        contract_end=contract_end(plan.contract),
        same_supplier=plan.same_supplier,
        none_needed=plan.none_needed,
        activities=tuple(rules.Activity(a.name, a.start_on, a.end_on) for a in rows),
        new_contract_start=new.start_on if new is not None else None,
        new_contract_end=contract_end(new) if new is not None else None,
    )


# What contradicts 002 §4.9 is refused as soon as the plan is saved (an activity ending after
# the initial contract, an overlap too short for the activities, « none needed » with a new
# supplier or with activities); what is only missing yet (the activities, the new supplier's
# contract) is refused when the plan is submitted.
REFUSED_ON_SAVE = frozenset(
    {
        "none_needed_new_supplier",
        "activities_with_none_needed",
        "activity_after_contract_end",
        "overlap_too_short",
    }
)


def plan_problems(
    plan: ExitPlan, activities: list[Any] | None = None, *, only: frozenset[str] | None = None
) -> dict[str, list[str]]:
    """002 §4.9: why the plan may not be submitted, in French, keyed by field (empty if none);
    ``activities``: the rows about to replace the plan's; ``only``: those reasons only."""
    facts = as_rule(plan, activities)
    keys = rules.plan_problems(facts)
    if "activity_after_contract_end" in keys and "overlap_too_short" in keys:
        # An activity past the initial contract's end is one reason, not two: the overlap is
        # judged on the activities cut at that end.
        cut = tuple(
            rules.Activity(a.name, a.start, min(a.end, facts.contract_end))
            for a in facts.activities
        )
        if "overlap_too_short" not in rules.plan_problems(replace(facts, activities=cut)):
            keys.remove("overlap_too_short")
    found: dict[str, list[str]] = {}
    for key in keys:
        if only is not None and key not in only:
            continue
        field, message = PROBLEMS[key]
        found.setdefault(field, []).append(str(message).format(**_params(key, facts)))
    return found


def _params(key: str, facts: rules.ExitPlan) -> dict[str, Any]:
    if key == "activity_after_contract_end":
        late = [a.name for a in facts.activities if a.end > facts.contract_end]
        return {"end": long_date(facts.contract_end), "names": ", ".join(late)}
    if key == "overlap_too_short":
        span = rules.activities_span(facts)
        start = facts.new_contract_start
        stop = min(facts.contract_end, facts.new_contract_end or facts.contract_end)
        assert span is not None and start is not None
        return {
            "overlap": rules.overlap_days(facts),
            "start": long_date(start),
            "stop": long_date(stop),
            "needed": rules.needed_days(facts),
            "first": long_date(span[0]),
            "last": long_date(span[1]),
            "missing": rules.shortfall_days(facts),
        }
    return {}


def undone_problems(plan: ExitPlan) -> dict[str, list[str]]:
    """002 §4.9: every activity done before the transition is complete."""
    names = rules.undone([(a.name, a.done_on) for a in plan.activities.all()])
    if not names:
        return {}
    return {"activities": [str(ACTIVITIES_NOT_DONE).format(names=", ".join(names))]}


def comment_given(plan: ExitPlan, values: dict[str, Any]) -> dict[str, Any]:
    if not (values.get("review_comment") or "").strip():
        return {"comment": COMMENT_REQUIRED}
    return {}
