"""Acquiring professional or technical services through the broker (DOMAIN §4; 002 §3): the
steps of a service acquisition file, the life of its price request, the response deadline, the
prices of a response, the pseudonyms of the askers, and what keeps each move from happening.
Pure: no ORM. The values of the enums are those of the TextChoices in models.py."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

# 002 §3.3.3: providers get 10 to 15 business days to respond, and no extension, ever.
MIN_RESPONSE_BUSINESS_DAYS = 10
MAX_RESPONSE_BUSINESS_DAYS = 15
# DOMAIN §3.1 and FAQ 004: a specific contract lasts at most 3 years, renewals included.
MAX_DURATION_MONTHS = 36
# The texts of a file and of its request, as long on its pages as in the API.
MAX_TEXT_LENGTH = 8000  # a need's narrative answer, a section of the request
MAX_REASON_LENGTH = 2000  # why a provider is left out, a return comment, a completeness note
MAX_QUESTION_LENGTH = 4000  # a provider's question, the client's answer
MAX_CRITERIA = 10  # criteria besides price declared in a request
MAX_DOCUMENTS_ASKED = 10
MAX_LINES = 50  # priced activities of a response
MAX_HOURS = Decimal("100000")  # estimated hours of one activity
MAX_RATE_CENTS = 100_000_00  # an hourly rate (1 000 000 $ would be a typo)
MAX_LUMP_SUM_CENTS = 10**13  # core.validation.MAX_CENTS


class State(StrEnum):
    """The five steps of 002 §3 (DOMAIN §4), then the package handed to the broker, or an
    abandoned file."""

    NEEDS = "needs"
    CATALOGUE = "catalogue"
    SOLICITATION = "solicitation"
    CHOICE = "choice"
    HANDED_OFF = "handed_off"
    ABANDONED = "abandoned"


STEP_ORDER = (State.NEEDS, State.CATALOGUE, State.SOLICITATION, State.CHOICE)
OPEN_STATES = frozenset(STEP_ORDER)


def step_number(state: str) -> int:
    """1 to 4 for the open steps; 5 once the package is handed off (002 §3.5)."""
    if state == State.HANDED_OFF:
        return 5
    try:
        return STEP_ORDER.index(State(state)) + 1
    except ValueError:
        return 0


class Action(StrEnum):
    SUBMIT_NEEDS = "submit_needs"
    CONFIRM_SCOPE = "confirm_scope"
    OPEN_RESPONSES = "open_responses"
    HAND_OFF = "hand_off"
    GO_BACK = "go_back"
    ABANDON = "abandon"


class Actor(StrEnum):
    CLIENT = "client"  # the client body's people who run its acquisitions
    BROKER = "broker"  # the broker's agents
    PROVIDER = "provider"  # a solicited provider's representatives


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


# The file's workflow as data (002 §3.1-3.5): back from step 2 or 3 only while no request has
# gone to the broker (services check it); step 4 opens the responses, step 5 hands off.
FILE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(State.NEEDS, Action.SUBMIT_NEEDS, State.CATALOGUE, Actor.CLIENT),
    Transition(State.CATALOGUE, Action.CONFIRM_SCOPE, State.SOLICITATION, Actor.CLIENT),
    Transition(State.SOLICITATION, Action.OPEN_RESPONSES, State.CHOICE, Actor.CLIENT),
    Transition(State.CHOICE, Action.HAND_OFF, State.HANDED_OFF, Actor.CLIENT),
    Transition(State.CATALOGUE, Action.GO_BACK, State.NEEDS, Actor.CLIENT),
    Transition(State.SOLICITATION, Action.GO_BACK, State.CATALOGUE, Actor.CLIENT),
    *(Transition(s, Action.ABANDON, State.ABANDONED, Actor.CLIENT) for s in STEP_ORDER),
)


class RequestState(StrEnum):
    """A price request (002 §3.3.2-3.3.3): written, validated by the broker, sent; a change after
    sending waits for the broker's validation again; cancelled."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SENT = "sent"
    CHANGE_SUBMITTED = "change_submitted"
    CANCELLED = "cancelled"


EDITABLE_REQUEST_STATES = frozenset({RequestState.DRAFT, RequestState.RETURNED})
SENT_STATES = frozenset({RequestState.SENT, RequestState.CHANGE_SUBMITTED})


class RequestAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    SEND = "send"
    SUBMIT_CHANGE = "submit_change"
    APPROVE_CHANGE = "approve_change"
    RETURN_CHANGE = "return_change"
    REVISE = "revise"
    CANCEL = "cancel"


R, RA = RequestState, RequestAction
REQUEST_TRANSITIONS: tuple[Transition, ...] = (
    Transition(R.DRAFT, RA.SUBMIT, R.SUBMITTED, Actor.CLIENT),
    Transition(R.RETURNED, RA.SUBMIT, R.SUBMITTED, Actor.CLIENT),
    Transition(R.SUBMITTED, RA.APPROVE, R.APPROVED, Actor.BROKER),
    Transition(R.SUBMITTED, RA.RETURN, R.RETURNED, Actor.BROKER),
    Transition(R.APPROVED, RA.SEND, R.SENT, Actor.CLIENT),
    # Back to writing before sending: the broker's validation no longer holds (002 §3.3.2).
    Transition(R.APPROVED, RA.REVISE, R.DRAFT, Actor.CLIENT),
    Transition(R.SENT, RA.SUBMIT_CHANGE, R.CHANGE_SUBMITTED, Actor.CLIENT),
    Transition(R.CHANGE_SUBMITTED, RA.APPROVE_CHANGE, R.SENT, Actor.BROKER),
    Transition(R.CHANGE_SUBMITTED, RA.RETURN_CHANGE, R.SENT, Actor.BROKER),
    *(
        Transition(s, RA.CANCEL, R.CANCELLED, Actor.CLIENT)
        for s in (R.DRAFT, R.SUBMITTED, R.RETURNED, R.APPROVED, R.SENT, R.CHANGE_SUBMITTED)
    ),
)


class Remuneration(StrEnum):
    """002 §3.1: the remuneration mode of the contract."""

    HOURLY = "hourly"
    LUMP_SUM = "lump_sum"


# --- step 1: the needs (002 §3.1) -------------------------------------------------------------

# The facts of 002 §3.1, in the order of the guide: each must be answered before step 2.
NEED_FIELDS = (
    "duration_months",
    "schedule",
    "remuneration",
    "current_context",
    "target_context",
    "activities",
    "deliverables",
    "responsibilities",
    "payment_terms",
    "penalties",
)


def needs_missing(values: Mapping[str, object]) -> list[str]:
    """The needs of 002 §3.1 still unanswered (a blank text, no duration, no mode)."""
    missing = []
    for name in NEED_FIELDS:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


# --- step 3: the response deadline (002 §3.3.3) ----------------------------------------------


class DeadlineProblem(StrEnum):
    NOT_A_BUSINESS_DAY = "not_a_business_day"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    CUTOFF_AFTER_DEADLINE = "cutoff_after_deadline"
    CUTOFF_IN_PAST = "cutoff_in_past"


def deadline_problems(
    *,
    sent_on: date,
    deadline_on: date,
    business_days: int,
    deadline_is_business_day: bool,
    question_cutoff_on: date,
) -> dict[str, DeadlineProblem]:
    """002 §3.3.3: the deadline falls 10 to 15 business days after sending (``business_days``
    counts them, sending day excluded, deadline included), on a business day; the question
    cut-off comes before the deadline, not before sending."""
    problems: dict[str, DeadlineProblem] = {}
    if not deadline_is_business_day:
        problems["deadline_on"] = DeadlineProblem.NOT_A_BUSINESS_DAY
    elif business_days < MIN_RESPONSE_BUSINESS_DAYS:
        problems["deadline_on"] = DeadlineProblem.TOO_SHORT
    elif business_days > MAX_RESPONSE_BUSINESS_DAYS:
        problems["deadline_on"] = DeadlineProblem.TOO_LONG
    if question_cutoff_on >= deadline_on:
        problems["question_cutoff_on"] = DeadlineProblem.CUTOFF_AFTER_DEADLINE
    elif question_cutoff_on < sent_on:
        problems["question_cutoff_on"] = DeadlineProblem.CUTOFF_IN_PAST
    return problems


def pseudonym(index: int) -> str:
    """The stable name of the ``index``-th solicited provider as its questions show it to the
    others (002 §3.3.3: fair treatment): « A », « B »... « Z », « AA »..."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return name


def pseudonym_order(count: int) -> list[int]:
    """A random order of the solicited providers for their pseudonyms, so that « A » says
    nothing about who it is (neither the shortlist's order nor the alphabet)."""
    order = list(range(count))
    secrets.SystemRandom().shuffle(order)
    return order


# --- step 3: the responses (002 §3.3.3, §3.4) -------------------------------------------------


class PriceProblem(StrEnum):
    NO_LINES = "no_lines"
    LUMP_SUM_REQUIRED = "lump_sum_required"
    RATE = "rate"
    HOURS = "hours"
    ACTIVITY = "activity"
    MODE = "mode"


@dataclass(frozen=True)
class PriceLine:
    activity: str
    rate_cents: int  # cents per hour
    hours: Decimal  # estimated hours, two decimals at most


def line_total_cents(line: PriceLine) -> int:
    """One activity's price: rate × estimated hours, to the nearest cent (half up)."""
    return int((Decimal(line.rate_cents) * line.hours).quantize(Decimal(1), ROUND_HALF_UP))


def price_problems(
    *, mode: str, lines: Sequence[PriceLine], lump_sum_cents: int | None
) -> dict[str, PriceProblem]:
    """A response's price in the request's mode (002 §3.1): hourly rates with estimated hours per
    activity, or one lump sum; never both."""
    problems: dict[str, PriceProblem] = {}
    if mode == Remuneration.LUMP_SUM:
        if lines:
            problems["lines"] = PriceProblem.MODE
        if lump_sum_cents is None or not 0 < lump_sum_cents <= MAX_LUMP_SUM_CENTS:
            problems["lump_sum_cents"] = PriceProblem.LUMP_SUM_REQUIRED
        return problems
    if lump_sum_cents is not None:
        problems["lump_sum_cents"] = PriceProblem.MODE
    if not lines:
        problems["lines"] = PriceProblem.NO_LINES
    for index, line in enumerate(lines):
        if not line.activity.strip():
            problems[f"lines.{index}.activity"] = PriceProblem.ACTIVITY
        if not 0 < line.rate_cents <= MAX_RATE_CENTS:
            problems[f"lines.{index}.rate_cents"] = PriceProblem.RATE
        if not (Decimal(0) < line.hours <= MAX_HOURS) or line.hours != line.hours.quantize(
            Decimal("0.01")
        ):
            problems[f"lines.{index}.hours"] = PriceProblem.HOURS
    return problems


def response_total_cents(
    *, mode: str, lines: Sequence[PriceLine], lump_sum_cents: int | None
) -> int:
    """The total price of a response in cents (002 §3.4: the price compared)."""
    if mode == Remuneration.LUMP_SUM:
        return int(lump_sum_cents or 0)
    return sum(line_total_cents(line) for line in lines)


def parse_hours(value: object) -> Decimal | None:
    """Hours as typed or sent: a number with at most two decimals (« 12,5 » or 12.5)."""
    try:
        hours = Decimal(str(value).strip().replace(",", ".").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        return None
    return hours if hours.is_finite() else None


def submitted_in_time(*, submitted_at_epoch: float, deadline_epoch: float) -> bool:
    """002 §3.3.3: a response counts only if received by the deadline; one second late is late."""
    return submitted_at_epoch <= deadline_epoch


# --- step 4: the choice (002 §3.4) -------------------------------------------------------------


def lowest_total(totals: Sequence[int]) -> int | None:
    """The lowest price among the complete responses, or None when none is complete."""
    return min(totals) if totals else None


def undeclared_criteria(used: Sequence[str], declared: Sequence[str]) -> list[str]:
    """002 §3.4: a criterion besides price may weigh in the choice only if the request stated
    it; the codes used that the request did not declare."""
    known = set(declared)
    return [code for code in used if code not in known]


def head_authorisation_required(
    *,
    chosen_is_lowest: bool,
    subject_to_rcti: bool,
    single_provider: bool,
    follows_single_provider_advice: bool,
) -> bool:
    """RCTI art. 48 (002 §3.4): a choice other than the lowest price needs the head of the
    organisation's prior authorisation, for RCTI clients; so does a single-provider
    solicitation (the lowest price cannot be shown) when the client follows the broker's
    recommendation."""
    if not subject_to_rcti:
        return False
    return not chosen_is_lowest or (single_provider and follows_single_provider_advice)


class HandoffProblem(StrEnum):
    NO_CHOICE = "no_choice"
    CHOICE_INCOMPLETE = "choice_incomplete"
    COMPLETENESS_UNDECIDED = "completeness_undecided"
    HEAD_AUTHORISATION = "head_authorisation"
    OWN_RULE = "own_rule"
    FINANCIAL_AUTHORISATION = "financial_authorisation"
    FINANCIAL_AMOUNT = "financial_amount"


@dataclass(frozen=True)
class HandoffFacts:
    has_choice: bool
    chosen_complete: bool
    undecided_responses: int  # submitted responses whose completeness is not decided
    chosen_is_lowest: bool
    chosen_total_cents: int
    subject_to_rcti: bool
    single_provider: bool
    follows_single_provider_advice: bool
    has_head_authorisation: bool
    own_rule: str
    financial_amount_cents: int | None


def handoff_problems(facts: HandoffFacts) -> list[HandoffProblem]:
    """What keeps the package from going to the broker (002 §3.4-3.5): every response's
    completeness decided, a complete response chosen, the head's authorisation when RCTI art. 48
    calls for it (a non-RCTI client's own rule for a non-lowest choice), and the financial
    authorisation for the total."""
    if not facts.has_choice:
        return [HandoffProblem.NO_CHOICE]
    problems: list[HandoffProblem] = []
    if facts.undecided_responses:
        problems.append(HandoffProblem.COMPLETENESS_UNDECIDED)
    if not facts.chosen_complete:
        problems.append(HandoffProblem.CHOICE_INCOMPLETE)
    if (
        head_authorisation_required(
            chosen_is_lowest=facts.chosen_is_lowest,
            subject_to_rcti=facts.subject_to_rcti,
            single_provider=facts.single_provider,
            follows_single_provider_advice=facts.follows_single_provider_advice,
        )
        and not facts.has_head_authorisation
    ):
        problems.append(HandoffProblem.HEAD_AUTHORISATION)
    if not facts.subject_to_rcti and not facts.chosen_is_lowest and not facts.own_rule.strip():
        problems.append(HandoffProblem.OWN_RULE)
    if facts.financial_amount_cents is None:
        problems.append(HandoffProblem.FINANCIAL_AUTHORISATION)
    elif facts.financial_amount_cents < facts.chosen_total_cents:
        problems.append(HandoffProblem.FINANCIAL_AMOUNT)
    return problems
