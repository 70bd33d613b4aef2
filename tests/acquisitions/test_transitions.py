"""Consistency of the workflow held as data (rules.TRANSITIONS) with the models, the services'
messages and the audit labels: a move added in one place and forgotten in another fails here."""

from __future__ import annotations

from collections import deque
from itertools import pairwise

import pytest

from courtier.acquisitions import rules, services
from courtier.acquisitions.messages import (
    CHOICE_MESSAGES,
    COMPLIANCE_MESSAGES,
    NEEDS_MESSAGES,
    PREREQUISITE_MESSAGES,
    TRIAL_MESSAGES,
)
from courtier.acquisitions.models import DocumentKind, FileAction, FileState
from courtier.audit.labels import ACTION_LABELS

FORWARD = {
    rules.Action.SUBMIT_NEEDS,
    rules.Action.CONFIRM_CANDIDATES,
    rules.Action.CLOSE_COMPLIANCE,
    rules.Action.CONFIRM_CHOICE,
    rules.Action.FREEZE_STRATEGY,
}
TERMINAL = {rules.State.FROZEN, rules.State.ABANDONED}


def reachable_from(start: rules.State) -> set[rules.State]:
    seen, queue = {start}, deque([start])
    while queue:
        state = queue.popleft()
        for move in rules.TRANSITIONS:
            if move.source == state and move.target not in seen:
                seen.add(move.target)
                queue.append(move.target)
    return seen


def test_every_action_appears_in_the_table():
    assert {t.action for t in rules.TRANSITIONS} == set(rules.Action)


def test_every_state_is_reachable_from_step_1():
    assert reachable_from(rules.State.NEEDS) == set(rules.State)


@pytest.mark.parametrize("state", rules.STEP_ORDER)
def test_every_open_step_can_still_end_frozen_or_abandoned(state):
    assert reachable_from(state) >= TERMINAL


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_a_frozen_or_abandoned_file_never_moves_again(state):
    assert [t for t in rules.TRANSITIONS if t.source == state] == []


def test_one_move_at_most_per_state_and_action():
    keys = [(t.source, t.action) for t in rules.TRANSITIONS]
    assert len(keys) == len(set(keys))


def test_forward_moves_follow_the_five_steps_in_order():
    steps = [*rules.STEP_ORDER, rules.State.FROZEN]
    forward = sorted(
        (t for t in rules.TRANSITIONS if t.action in FORWARD), key=lambda t: steps.index(t.source)
    )
    assert [(t.source, t.target) for t in forward] == list(pairwise(steps))


def test_going_back_returns_to_the_previous_step_from_step_2_on():
    back = {t.source: t.target for t in rules.TRANSITIONS if t.action == rules.Action.GO_BACK}
    steps = rules.STEP_ORDER
    assert back == {steps[i]: steps[i - 1] for i in range(1, len(steps))}


def test_every_open_step_may_be_abandoned_by_the_client():
    abandon = [t for t in rules.TRANSITIONS if t.action == rules.Action.ABANDON]
    assert {t.source for t in abandon} == set(rules.STEP_ORDER)
    assert {(t.target, t.actor) for t in abandon} == {(rules.State.ABANDONED, rules.Actor.CLIENT)}


def test_only_freezing_the_strategy_is_the_brokers_move():
    broker = {t.action for t in rules.TRANSITIONS if t.actor == rules.Actor.BROKER}
    assert broker == {rules.Action.FREEZE_STRATEGY}


@pytest.mark.parametrize("move", rules.TRANSITIONS, ids=lambda t: f"{t.source}-{t.action}")
def test_every_move_has_a_french_audit_label(move):
    label = ACTION_LABELS[f"acquisition.{move.action}"]
    assert str(label) and str(label) != f"acquisition.{move.action}"


def test_the_models_choices_mirror_the_rules():
    assert set(FileState.values) == {s.value for s in rules.State}
    assert set(FileAction.values) == {a.value for a in rules.Action}
    # Step labels number the five steps in order.
    labels = dict(FileState.choices)
    assert [str(labels[s])[:2] for s in rules.STEP_ORDER] == ["1.", "2.", "3.", "4.", "5."]


def test_the_next_action_offered_is_the_clients_forward_move():
    from courtier.acquisitions.models import AcquisitionFile
    from courtier.acquisitions.selectors import next_action

    expected = {
        rules.State.NEEDS: rules.Action.SUBMIT_NEEDS,
        rules.State.CATALOGUE: rules.Action.CONFIRM_CANDIDATES,
        rules.State.COMPLIANCE: rules.Action.CLOSE_COMPLIANCE,
        rules.State.CHOICE: rules.Action.CONFIRM_CHOICE,
        rules.State.STARTUP: None,  # freezing is the broker's
        rules.State.FROZEN: None,
        rules.State.ABANDONED: None,
    }
    assert {s: next_action(AcquisitionFile(state=s)) for s in rules.State} == expected


@pytest.mark.parametrize(
    ("problems", "messages"),
    [
        (rules.NeedsProblem, NEEDS_MESSAGES),
        (rules.TrialProblem, TRIAL_MESSAGES),
        (rules.ChoiceProblem, CHOICE_MESSAGES),
        (rules.Prerequisite, PREREQUISITE_MESSAGES),
        (rules.ComplianceProblem, COMPLIANCE_MESSAGES),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_every_problem_the_rules_can_name_has_a_french_message(problems, messages):
    assert set(messages) == set(problems)
    assert all(str(m).strip() for m in messages.values())


def test_every_action_a_service_records_has_a_french_label():
    # The service modules record through _record(by, "acquisition.…", …) and the workflow's moves
    # through f"acquisition.{action}"; tests/audit/test_labels.py scans the whole code base the
    # same way.
    import importlib
    import inspect
    import pkgutil
    import re

    source = "".join(
        inspect.getsource(importlib.import_module(f"{services.__name__}.{module.name}"))
        for module in pkgutil.iter_modules(services.__path__)
    )
    recorded = set(re.findall(r'"(acquisition\.[a-z_]+)"', source))
    assert "acquisition.scenario_chosen" in recorded
    assert recorded - set(ACTION_LABELS) == set()


def test_every_document_kind_is_a_type_of_the_store_kept_for_a_known_time():
    """DOMAIN §7: the choice support for the contract's duration, the head's justification for
    7 years after the contract ends."""
    from courtier.documents import types

    seven_years = {k for k in DocumentKind if types.get(k).retention == types.SEVEN_YEARS_AFTER_END}
    assert seven_years == {DocumentKind.JUSTIFICATION}
    assert all(
        types.get(k).retention == types.CONTRACT_DURATION for k in set(DocumentKind) - seven_years
    )


def test_the_files_workflow_runs_the_table_with_a_guard_on_every_forward_move():
    from courtier.acquisitions.workflow import FILE_WORKFLOW
    from courtier.core.workflow import registered

    assert FILE_WORKFLOW in registered()
    assert [(t.source, t.action, t.target, t.actor) for t in FILE_WORKFLOW.transitions] == [
        (str(t.source), str(t.action), str(t.target), str(t.actor)) for t in rules.TRANSITIONS
    ]
    for move in FILE_WORKFLOW.transitions:
        assert bool(move.guards) == (move.action in FORWARD), move
        labels = [step.label for step in (*move.guards, *move.writes, *move.effects)]
        assert all(str(label).strip() for label in labels)
