"""Reads for acquisition files, always scoped by permissions (DOMAIN §1: clients see only their
own files; suppliers only the questions addressed to them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils import timezone

from courtier.accounts import permissions
from courtier.acquisitions import checks, rules
from courtier.acquisitions.messages import PREREQUISITE_MESSAGES, TRANSITION_REFUSED
from courtier.acquisitions.models import (
    AcquisitionFile,
    FileState,
    Scenario,
    ScenarioRun,
    SupplierQuestion,
)
from courtier.acquisitions.policies import may_manage
from courtier.acquisitions.workflow import FILE_WORKFLOW
from courtier.catalogue.models import SheetVersion
from courtier.catalogue.selectors import changes_since


def files_for(user: Any, *, state: str | None = None) -> QuerySet[AcquisitionFile]:
    files = permissions.scope(user, AcquisitionFile.objects.select_related("client", "category"))
    if state:
        files = files.filter(state=state)
    return files.order_by("-updated_at", "-pk")


def file_for(user: Any, pk: int) -> AcquisitionFile:
    """The file, or 404 when this person may not see it."""
    return permissions.get_visible_or_404(
        user, AcquisitionFile.objects.select_related("client", "category"), pk=pk
    )


def file_to_run(user: Any, pk: int) -> AcquisitionFile:
    """The file for a person who runs it: 404 when invisible, 403 for the others who see it."""
    file = file_for(user, pk)
    permissions.require_change(user, file)
    return file


def file_to_manage(user: Any, pk: int) -> AcquisitionFile:
    """The file for the broker's agents, who convene the startup meeting and freeze the strategy
    (002 §2.5): 404 when invisible, 403 for anyone else."""
    file = file_for(user, pk)
    if not may_manage(user):
        raise PermissionDenied
    return file


def may_run(user: Any, file: AcquisitionFile) -> bool:
    return permissions.can_change(user, file)


@dataclass(frozen=True)
class Step:
    number: int
    label: str
    status: str  # "done" | "current" | "todo"


def progress(file: AcquisitionFile) -> list[Step]:
    """The five steps with where the file stands (for the progress bar)."""
    current = file.step
    labels = dict(FileState.choices)
    steps = []
    for number, state in enumerate(rules.STEP_ORDER, start=1):
        if file.state == rules.State.ABANDONED:
            status = "todo"
        elif number < current:
            status = "done"
        elif number == current:
            status = "current"
        else:
            status = "todo"
        steps.append(Step(number, str(labels[state]), status))
    return steps


def changed_since_looked(user: Any, file: AcquisitionFile) -> dict[int, list[SheetVersion]]:
    """Candidate id -> the sheet versions published after the client looked at that offer that
    changed it (004 §3.2: "changed since you looked")."""
    candidates = list(file.candidates.all())
    if not candidates:
        return {}
    since = min(c.looked_at for c in candidates)
    by_offer = changes_since(user, [c.offer_id for c in candidates], since)
    result = {}
    for candidate in candidates:
        versions = [
            v
            for v in by_offer.get(candidate.offer_id, [])
            if v.published_at > candidate.looked_at and v.pk != candidate.version_seen_id
        ]
        if versions:
            result[candidate.pk] = versions
    return result


@dataclass(frozen=True)
class QuestionRow:
    question: SupplierQuestion
    overdue: bool


def question_rows(
    questions: QuerySet[SupplierQuestion], today: date | None = None
) -> list[QuestionRow]:
    today = today or timezone.localdate()
    return [
        QuestionRow(q, rules.question_overdue(q.due_on, q.answered_at is not None, today))
        for q in questions.select_related("supplier", "offer", "asked_by", "file")
    ]


# Unanswered first on every database (NULLs sort first on SQLite, last on PostgreSQL), then by
# due date.
QUESTION_ORDER = (F("answered_at").asc(nulls_first=True), "due_on", "pk")


def questions_for_supplier(user: Any) -> QuerySet[SupplierQuestion]:
    """The questions addressed to this person's suppliers (and, for the broker, all)."""
    return permissions.scope(user, SupplierQuestion.objects.all()).order_by(*QUESTION_ORDER)


@dataclass(frozen=True)
class ScenarioSeries:
    scenario: Scenario
    offers: list[Any]
    cumulative_cents: list[int]


@dataclass(frozen=True)
class Comparison:
    run: ScenarioRun | None
    rows: list[ScenarioSeries] = field(default_factory=list)
    lowest_cents: int | None = None

    @property
    def max_cents(self) -> int:
        return max((r.cumulative_cents[-1] for r in self.rows if r.cumulative_cents), default=0)


def comparison(file: AcquisitionFile) -> Comparison:
    """The latest run's scenarios, ranked, with each one's cumulative cost month by month (the
    comparison table and chart of step 4)."""
    run = checks.latest_run(file)
    if run is None:
        return Comparison(run=None)
    rows = []
    scenarios = run.scenarios.select_related("supplier").prefetch_related("offers")
    for scenario in scenarios.order_by("rank", "supplier__name"):
        rows.append(
            ScenarioSeries(
                scenario=scenario,
                offers=list(scenario.offers.all()),
                cumulative_cents=list(accumulate(scenario.monthly_cents)),
            )
        )
    lowest = next((r.scenario.total_cents for r in rows if r.scenario.is_lowest), None)
    return Comparison(run=run, rows=rows, lowest_cents=lowest)


@dataclass(frozen=True)
class StartupView:
    missing: list[str]
    earliest_signed_contract: date
    contact_on: date | None


def startup_view(file: AcquisitionFile) -> StartupView:
    """Step 5: each missing prerequisite named, and the 30-day minimum planning estimate from
    the broker's startup contact (today when not yet contacted) to a signed contract."""
    missing = [str(PREREQUISITE_MESSAGES[p]) for p in checks.missing_prerequisites(file)]
    contact = file.startup_contact_on
    return StartupView(
        missing=missing,
        earliest_signed_contract=rules.earliest_signed_contract(contact or timezone.localdate()),
        contact_on=contact,
    )


def next_action(file: AcquisitionFile) -> str | None:
    """The forward move from the file's step, if any (a client's move)."""
    for move in FILE_WORKFLOW.from_state(file.state):
        if (
            move.action not in (rules.Action.GO_BACK, rules.Action.ABANDON)
            and move.actor == rules.Actor.CLIENT
        ):
            return move.action
    return None


def transition_problems(file: AcquisitionFile, action: str) -> list[str]:
    """Why ``action`` cannot be taken now (empty when it can): the messages of the first of the
    move's guards that finds problems, as the move itself would refuse it (FILE_WORKFLOW)."""
    move = FILE_WORKFLOW.find(file.state, action)
    if move is None:
        return [str(TRANSITION_REFUSED)]
    found: list[str] = []
    for messages in FILE_WORKFLOW.problems(move, file).values():
        found += [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
    return found
