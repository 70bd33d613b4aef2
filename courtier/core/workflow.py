"""Workflows as data: each move from one state to another, who makes it, what must hold before
(guards), what it writes with it (in the same transaction) and what follows it (after commit).

An app declares a ``Workflow`` from its pure table of moves (``rules.py``) and binds the guards,
writes and effects to the moves in its ``workflow.py``; its services then call ``Workflow.run``,
a short interpreter: find the move, check the actor, run the guards once, run the writes that
come before the move (``Step.before_move``: what it undoes), change the state, write the audit
event, run the other writes, and queue the effects for after the commit. The same object draws
itself for ``docs/workflows.md`` (``courtier workflows-doc``).

Core imports no other app: the audit event is written by the ``record`` the app gives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

# Field -> message, or list of messages, as a service's ValidationError carries them.
Problems = Mapping[str, Any]


class Move(Protocol):
    """A row of an app's pure table (``rules.py``): the move without its bindings."""

    @property
    def source(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def target(self) -> str: ...

    @property
    def actor(self) -> str: ...


@dataclass(frozen=True)
class Guard:
    """What must hold before a move. ``check(subject)`` returns the problems: a mapping of field
    to message(s), or a list of messages (shown on the workflow's ``problems_field``); empty
    when the move may go ahead. ``label`` says in French what is checked (for the docs).

    A ``first`` guard is a condition of the request rather than of the state (the content
    complete, a comment given): it is checked before the move is looked up, so that its
    problems are reported whatever the state, and it sees the move's values too:
    ``check(subject, values)``. It is bound to an action (every source), never to one move."""

    check: Callable[..., Problems | Sequence[Any] | None]
    label: Any
    first: bool = False


@dataclass(frozen=True)
class Step:
    """A write made with the move (in its transaction) or an effect that follows it (after the
    commit): ``run(outcome)``. ``label`` says in French what it does (for the docs).
    ``before_move``: a write that runs before the state changes and the move is recorded (what
    the move undoes, so that the audit trail tells it first); effects ignore it."""

    run: Callable[[Outcome], None]
    label: Any
    before_move: bool = False


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str
    guards: tuple[Guard, ...] = ()
    writes: tuple[Step, ...] = ()
    effects: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What the writes and effects of a move receive."""

    by: Any
    subject: Any
    transition: Transition
    before: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Awaiting:
    """What a state awaits, and from whom (an actor of the table): the work item that the app's
    ``home`` module lists for that actor's people while the subject is in that state
    (``core.workitems``). ``label`` says it in French."""

    actor: str
    label: Any


# record(by, subject, transition, before_state, values): writes the move's audit event.
Recorder = Callable[[Any, Any, Transition, str, Mapping[str, Any]], None]
# A binding is given for every source of an action ("submit") or for one ("choice", "go_back").
BindingKey = str | tuple[str, str]

_REGISTRY: dict[str, Workflow] = {}


class Workflow:
    """One workflow: its transitions with their bindings, and the interpreter that runs them."""

    def __init__(
        self,
        *,
        name: str,
        label: Any,
        table: Iterable[Move],
        states: Mapping[str, Any],
        actions: Mapping[str, Any],
        actors: Mapping[str, Any],
        record: Recorder,
        refused: Any,
        actor_refused: Mapping[str, Any],
        save: Callable[[Any, Transition], None] | None = None,
        state_field: str = "state",
        error_field: str = "action",
        problems_field: str = "action",
        guards: Mapping[BindingKey, Sequence[Guard]] | None = None,
        writes: Mapping[BindingKey, Sequence[Step]] | None = None,
        effects: Mapping[BindingKey, Sequence[Step]] | None = None,
        awaits: Mapping[str, Awaiting] | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.states = dict(states)
        self.actions = dict(actions)
        self.actors = dict(actors)
        self.state_field = state_field
        self.error_field = error_field
        self.problems_field = problems_field
        self._record = record
        self._save = save
        self._refused = refused
        self._actor_refused = dict(actor_refused)
        bindings = (guards or {}, writes or {}, effects or {})
        known = {str(m.action) for m in table} | {(str(m.source), str(m.action)) for m in table}
        for binding in bindings:
            stray = [key for key in binding if key not in known]
            if stray:
                raise ValueError(f"{name}: bindings for moves not in the table: {stray}")
        # The first guards of each action, checked before its move is looked up.
        self._first: dict[str, tuple[Guard, ...]] = {}
        for key, bound in (guards or {}).items():
            first = tuple(guard for guard in bound if guard.first)
            if first and isinstance(key, tuple):
                raise ValueError(f"{name}: a first guard is bound to an action, not to {key}")
            self._first[str(key)] = first
        self.transitions: tuple[Transition, ...] = tuple(
            Transition(
                source=str(m.source),
                action=str(m.action),
                target=str(m.target),
                actor=str(m.actor),
                # In the order they are checked: the first guards, then the others.
                guards=tuple(sorted(_bound(guards, m), key=lambda guard: not guard.first)),
                writes=_bound(writes, m),
                effects=_bound(effects, m),
            )
            for m in table
        )
        self._by_key = {(t.source, t.action): t for t in self.transitions}
        # State -> what it awaits from whom (the states a subject waits in for someone).
        self.awaits: dict[str, Awaiting] = {str(k): v for k, v in (awaits or {}).items()}
        stray_awaits = [
            k for k, v in self.awaits.items() if k not in self.states or v.actor not in self.actors
        ]
        if stray_awaits:
            raise ValueError(f"{name}: awaits for unknown states or actors: {stray_awaits}")
        if len(self._by_key) != len(self.transitions):
            raise ValueError(f"{name}: two moves share a source and an action")
        _REGISTRY[name] = self

    # --- reading the table ---------------------------------------------------------------------

    def find(self, state: str, action: str) -> Transition | None:
        """The move ``action`` makes from ``state``, or None when the table has none."""
        return self._by_key.get((str(state), str(action)))

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == str(state)]

    def problems(self, transition: Transition, subject: Any) -> dict[str, Any]:
        """The problems of the first guard that finds any (each guard presumes the ones before
        it hold), keyed by field; empty when the move may go ahead. The ``first`` guards, which
        need the move's values, are left to ``run``."""
        for guard in transition.guards:
            if not guard.first:
                found = self._keyed(guard.check(subject))
                if found:
                    return found
        return {}

    def _keyed(self, found: Problems | Sequence[Any] | None) -> dict[str, Any]:
        if not found:
            return {}
        if isinstance(found, Mapping):
            return dict(found)
        return {self.problems_field: [str(message) for message in found]}

    # --- the interpreter ------------------------------------------------------------------------

    def run(
        self,
        *,
        subject: Any,
        action: str,
        by: Any,
        acting_as: Collection[str],
        values: Mapping[str, Any] | None = None,
        save: Callable[[Any, Transition], None] | None = None,
    ) -> Transition:
        """Make the move: ``subject`` is locked by the caller, inside its transaction.
        ``acting_as``: the actors (``rules.Actor``) ``by`` may act as on this subject; ``values``
        are set on the subject with the new state (e.g. a review comment) and passed to the
        recorder; ``save`` saves the subject (default: the workflow's ``save``, else
        ``subject.save()``). The action's ``first`` guards are checked before its move is
        looked up."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self.name}: a move runs inside the service's transaction")
        for guard in self._first.get(str(action), ()):
            problems = self._keyed(guard.check(subject, values or {}))
            if problems:
                raise ValidationError(problems)
        move = self.find(getattr(subject, self.state_field), action)
        if move is None:
            raise ValidationError({self.error_field: self._refused})
        if move.actor not in acting_as:
            raise ValidationError({self.error_field: self._actor_refused[move.actor]})
        problems = self.problems(move, subject)
        if problems:
            raise ValidationError(problems)
        before = str(getattr(subject, self.state_field))
        outcome = Outcome(
            by=by, subject=subject, transition=move, before=before, values=values or {}
        )
        for write in move.writes:
            if write.before_move:
                write.run(outcome)
        setattr(subject, self.state_field, move.target)
        for name, value in (values or {}).items():
            setattr(subject, name, value)
        save = save or self._save
        if save is None:
            subject.save()
        else:
            save(subject, move)
        self._record(by, subject, move, before, values or {})
        for write in move.writes:
            if not write.before_move:
                write.run(outcome)
        for effect in move.effects:
            transaction.on_commit(partial(effect.run, outcome))
        return move

    # --- drawing --------------------------------------------------------------------------------

    def mermaid(self) -> str:
        """The state diagram (Mermaid), one arrow per move labelled with its action and actor."""
        lines = ["stateDiagram-v2", "    direction LR"]
        for state, label in self.states.items():
            lines.append(f'    state "{_plain(label)}" as {state}')
        for t in self.transitions:
            lines.append(
                f"    {t.source} --> {t.target}: {t.action} ({_plain(self.actors[t.actor])})"
            )
        return "\n".join(lines)


def _bound(binding: Mapping[BindingKey, Sequence[Any]] | None, move: Move) -> tuple[Any, ...]:
    if not binding:
        return ()
    action, source = str(move.action), str(move.source)
    return tuple(binding.get(action, ())) + tuple(binding.get((source, action), ()))


def _plain(label: Any) -> str:
    return str(label).replace('"', "'").replace(":", " -")


def registered() -> list[Workflow]:
    """Every workflow declared so far (each app's ``workflow`` module is imported when the app
    is ready), by name."""
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
