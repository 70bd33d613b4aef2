"""Performance evaluations (DOMAIN §5.8; 002 §4.8): the versioned weighted grid, a campaign's
per-supplier summary and the end-of-contract evaluation's 5-business-day deadline (RCTI art.
82). Pure: stdlib only, no ORM."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# DOMAIN §5.8 (002 §4.10 table): the RCTI evaluation report reaches the broker « dans les cinq
# jours ouvrables suivant la signature par le dirigeant d'organisme ».
END_EVALUATION_BUSINESS_DAYS = 5
# 002 §4.8: the grid's weights are percentages of the whole.
TOTAL_WEIGHT = Decimal(100)
# 002 §4.8 (the grid template is not in the seeds): a score from 1 to 5 unless the version says.
DEFAULT_SCALE = (1, 5)
# Means are shown to the hundredth, half up (as contracts.rules.percent rounds).
MEAN_PLACES = Decimal("0.01")


# --- the evaluation grid (DOMAIN §5.8; 002 §4.8) ----------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: Decimal  # a percentage of the whole: the weights of a version sum to 100


@dataclass(frozen=True)
class Grid:
    """One version of the grid (002 §4.8.2: « le gabarit de grille », held as data): a version
    once used is never changed; a new one is made."""

    version: int
    criteria: tuple[Criterion, ...]
    scale_min: int = DEFAULT_SCALE[0]
    scale_max: int = DEFAULT_SCALE[1]


def grid_problems(grid: Grid) -> list[str]:
    """The reasons (keys) a grid version cannot be used (002 §4.8): a version from 1, at least
    one criterion, distinct named keys, positive weights summing to exactly 100, a scale of at
    least two points. Empty when it can."""
    problems: list[str] = []
    if grid.version < 1:
        problems.append("version_invalid")
    if not grid.criteria:
        return [*problems, "no_criteria"]
    keys = [c.key.strip() for c in grid.criteria]
    if any(not k for k in keys) or any(not c.label.strip() for c in grid.criteria):
        problems.append("criterion_unnamed")
    if len(set(keys)) != len(keys):
        problems.append("duplicate_criterion")
    weights = [Decimal(c.weight) for c in grid.criteria]
    if any(not w.is_finite() or w <= 0 for w in weights):
        problems.append("weight_invalid")
    elif sum(weights, Decimal(0)) != TOTAL_WEIGHT:
        problems.append("weights_not_100")
    if grid.scale_min >= grid.scale_max:
        problems.append("scale_invalid")
    return problems


def score_problems(grid: Grid, scores: Mapping[str, Decimal | int]) -> list[str]:
    """The reasons (keys) an evaluation's ``scores`` (criterion key → score) are incomplete: every
    criterion scored, none unknown, each a whole number on the grid's scale."""
    keys = {c.key for c in grid.criteria}
    problems: list[str] = []
    if keys - scores.keys():
        problems.append("score_missing")
    if scores.keys() - keys:
        problems.append("unknown_criterion")
    for value in scores.values():
        score = Decimal(value)
        if score != score.to_integral_value() or not grid.scale_min <= score <= grid.scale_max:
            problems.append("score_out_of_scale")
            break
    return problems


def weighted_score(grid: Grid, scores: Mapping[str, Decimal | int]) -> Decimal:
    """002 §4.8: Σ weight × score / 100, on the grid's scale, exact (no rounding: weights are
    hundredths, so the result has at most two more decimals than the weights). The scores
    are checked first (``score_problems``): a criterion without a score raises ``KeyError``."""
    total = sum((Decimal(c.weight) * Decimal(scores[c.key]) for c in grid.criteria), Decimal(0))
    return total / TOTAL_WEIGHT


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """002 §4.8.1 (the summary's means): to the hundredth, half up; ``None`` for no values."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Evaluation:
    supplier: int
    grid: Grid
    scores: Mapping[str, Decimal | int]


@dataclass(frozen=True)
class Summary:
    supplier: int
    count: int
    mean_score: Decimal | None
    criterion_means: Mapping[str, Decimal] = field(default_factory=dict)


def campaign_summary(evaluations: Iterable[Evaluation]) -> dict[int, Summary]:
    """002 §4.8.1 (for the broker's annual meeting with each supplier): per supplier, how many
    evaluations came back, the mean of their weighted scores (each on its own grid version) and
    the mean score of each criterion over the evaluations that have it."""
    by_supplier: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_supplier.setdefault(evaluation.supplier, []).append(evaluation)
    summaries: dict[int, Summary] = {}
    for supplier, rows in sorted(by_supplier.items()):
        per_criterion: dict[str, list[Decimal]] = {}
        for row in rows:
            for key, value in row.scores.items():
                per_criterion.setdefault(key, []).append(Decimal(value))
        summaries[supplier] = Summary(
            supplier=supplier,
            count=len(rows),
            mean_score=mean([weighted_score(r.grid, r.scores) for r in rows]),
            criterion_means={k: m for k, v in per_criterion.items() if (m := mean(v)) is not None},
        )
    return summaries


# --- the end-of-contract evaluation (DOMAIN §5.8; 002 §4.8.2, §4.10) ---------------------------


class EndEvaluationStatus(StrEnum):
    NOT_OWED = "not_owed"  # not an RCTI client, or art. 82 does not require it
    AWAITING_SIGNATURE = "awaiting_signature"  # the head of the organisation has not signed
    DUE = "due"
    OVERDUE = "overdue"  # flagged
    RECEIVED = "received"
    RECEIVED_LATE = "received_late"


def end_evaluation_owed(*, rcti: bool, required: bool, contract_closed: bool) -> bool:
    """002 §4.8.2: at the end of the contract, an RCTI client sends the evaluation « lorsqu'il
    est requis, en vertu de l'article 82 du RCTI » (``required``, as the client states it)."""
    return rcti and required and contract_closed


def end_evaluation_due_on(
    head_signed_on: date, business_days_after: Callable[[date, int], date]
) -> date:
    """002 §4.10 table: « Dans les cinq jours ouvrables suivant la signature par le dirigeant
    d'organisme ». ``business_days_after(day, n)`` is the calendar's (closure-aware) function."""
    return business_days_after(head_signed_on, END_EVALUATION_BUSINESS_DAYS)


def end_evaluation_status(
    *,
    owed: bool,
    head_signed_on: date | None,
    received_on: date | None,
    today: date,
    business_days_after: Callable[[date, int], date],
) -> str:
    """Where the end-of-contract evaluation stands (002 §4.8.2, §4.10): tracked from the head's
    signature, overdue (flagged) the day after the 5th business day."""
    if not owed:
        return EndEvaluationStatus.NOT_OWED
    if head_signed_on is None:
        return (
            EndEvaluationStatus.RECEIVED
            if received_on is not None
            else EndEvaluationStatus.AWAITING_SIGNATURE
        )
    due = end_evaluation_due_on(head_signed_on, business_days_after)
    if received_on is not None:
        if received_on > due:
            return EndEvaluationStatus.RECEIVED_LATE
        return EndEvaluationStatus.RECEIVED
    return EndEvaluationStatus.OVERDUE if today > due else EndEvaluationStatus.DUE


# --- the lifecycles, as tables (002 §4.8.1) ----------------------------------------------------


class CampaignState(StrEnum):
    OPEN = "open"  # the clients fill in their grids
    CLOSED = "closed"  # the broker closed it: the summary is final


class CampaignAction(StrEnum):
    CLOSE = "close"


class RequestState(StrEnum):
    OPEN = "open"  # to fill in (scores saved as a draft)
    SUBMITTED = "submitted"  # sent to the broker: never changed again
    LAPSED = "lapsed"  # the campaign closed without it


class RequestAction(StrEnum):
    SUBMIT = "submit"
    LAPSE = "lapse"


class Actor(StrEnum):
    BROKER = "broker"  # the broker's admins and agents
    CLIENT = "client"  # the client's people who run its acquisitions
    SYSTEM = "system"  # the campaign's closing


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


CAMPAIGN_TRANSITIONS: tuple[Transition, ...] = (
    Transition(CampaignState.OPEN, CampaignAction.CLOSE, CampaignState.CLOSED, Actor.BROKER),
)
REQUEST_TRANSITIONS: tuple[Transition, ...] = (
    Transition(RequestState.OPEN, RequestAction.SUBMIT, RequestState.SUBMITTED, Actor.CLIENT),
    Transition(RequestState.OPEN, RequestAction.LAPSE, RequestState.LAPSED, Actor.SYSTEM),
)
# Limits of what a person types (as contracts.rules).
MAX_COMMENT_LENGTH = 4000
MAX_CRITERIA = 20
