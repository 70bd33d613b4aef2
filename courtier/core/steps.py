"""The steps of a workflow on one page, one step at a time (issue 10, point 2): the step being
worked on is open, the steps done are short summaries that open on demand, the steps to come
say what is still missing. Each step has its own URL, so Back and bookmarks work.

A workflow's page builds one ``StepView`` per step with ``step_views`` and renders them with
``{% include "core/workflow_steps.html" %}`` (the context's ``workflow_steps``); each step's
content is the template named by its ``template``. Knows no app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

DONE = "done"
CURRENT = "current"
TODO = "todo"


@dataclass(frozen=True)
class StepSpec:
    """What a workflow declares about one of its steps."""

    number: int
    title: str  # e.g. "1. Définir les besoins"
    template: str  # the step's content, rendered inside its section


@dataclass(frozen=True)
class StepView:
    number: int
    title: str
    template: str
    status: str  # DONE, CURRENT or TODO
    url: str
    is_open: bool  # the step asked for: in full when reached, its missing list otherwise
    summary: str = ""  # what was decided, for a step done
    missing: Sequence[str] = field(default_factory=tuple)  # for a step to come

    @property
    def anchor(self) -> str:
        return f"etape-{self.number}"


def open_step(requested: int | None, *, current: int, reached: int, count: int) -> int:
    """The step shown in full: the one asked for by its URL when it exists, else the current
    one (or, once every step is done or the workflow stopped, the last one reached)."""
    if requested is not None and 1 <= requested <= count:
        return requested
    if 1 <= current <= count:
        return current
    return max(1, min(reached, count))


def step_views(
    specs: Sequence[StepSpec],
    *,
    current: int,
    reached: int,
    requested: int | None,
    url_for: Callable[[int], str],
    summaries: Mapping[int, str] | None = None,
    missing: Mapping[int, Sequence[str]] | None = None,
) -> list[StepView]:
    """One view per step. ``current`` is the step being worked on (0 when none: stopped or
    finished), ``reached`` the last step that holds work; steps up to ``reached`` other than
    the current one are done (their content readable), later ones are to come."""
    shown = open_step(requested, current=current, reached=reached, count=len(specs))
    views = []
    for spec in specs:
        if spec.number == current:
            status = CURRENT
        elif spec.number <= reached:
            status = DONE
        else:
            status = TODO
        views.append(
            StepView(
                number=spec.number,
                title=spec.title,
                template=spec.template,
                status=status,
                url=url_for(spec.number),
                is_open=spec.number == shown,
                summary=(summaries or {}).get(spec.number, ""),
                missing=tuple((missing or {}).get(spec.number, ())),
            )
        )
    return views
