"""The arithmetic and limits of acquiring a solution through the broker (DOMAIN §3; 002 §2;
004 §3). Pure: no ORM. The values of the enums are those of the TextChoices in models.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

# DOMAIN §3.1 and FAQ 004: a specific contract lasts at most 3 years, renewals included.
MAX_DURATION_MONTHS = 36
# 004 §3.3.2: a trial lasts at most 60 days with at most 30 units of each offer.
MAX_TRIAL_DAYS = 60
MAX_TRIAL_UNITS = 30
# 004 §3.3.2: the supplier takes charge of a client's request within 3 business days.
QUESTION_DUE_BUSINESS_DAYS = 3
# 002 §2.5: plan at least 30 days from the broker's startup contact to a signed contract.
STARTUP_TO_SIGNED_CONTRACT_DAYS = 30
# Engine bounds (pricing.py): they keep every product inside int64.
MAX_QUANTITY = 10_000_000
# A need line's code (DOMAIN §3.1, the lines of the consumption plan) names it in addresses
# (``/plan/<code>/``, ``/needs/<code>``): ASCII lower-case letters, digits and hyphens only.
MAX_NEED_CODE = 40  # NeedLine.code
# The longest text answer to a question of the needs questionnaire, on the page and in the API.
MAX_ANSWER_LENGTH = 4000
# The other texts of a file, as long on its pages as in the API (one limit each).
MAX_NOTE_LENGTH = 2000  # a compliance verdict's note
MAX_QUESTION_LENGTH = 4000  # a question to a supplier (004 §3.3.2), a trial's conclusions
MAX_REPLY_LENGTH = 8000  # a supplier's reply, the justification shown to the head of the body
MAX_RULE_LENGTH = 4000  # a body's own rule for a choice other than the lowest price


class State(StrEnum):
    """The five steps of 002 §2 (DOMAIN §3), then the frozen strategy handed to contract
    preparation, or an abandoned file."""

    NEEDS = "needs"  # step 1: define needs and issues
    CATALOGUE = "catalogue"  # step 2: consult the Catalogue
    COMPLIANCE = "compliance"  # step 3: list compliant solutions
    CHOICE = "choice"  # step 4: determine the most advantageous choice
    STARTUP = "startup"  # step 5: conclude the specific contract (startup meeting)
    FROZEN = "frozen"  # strategy frozen, handed to contract preparation
    ABANDONED = "abandoned"


STEP_ORDER: tuple[State, ...] = (
    State.NEEDS,
    State.CATALOGUE,
    State.COMPLIANCE,
    State.CHOICE,
    State.STARTUP,
)
OPEN_STATES = frozenset(STEP_ORDER)


class Action(StrEnum):
    SUBMIT_NEEDS = "submit_needs"
    CONFIRM_CANDIDATES = "confirm_candidates"
    CLOSE_COMPLIANCE = "close_compliance"
    CONFIRM_CHOICE = "confirm_choice"
    FREEZE_STRATEGY = "freeze_strategy"
    GO_BACK = "go_back"
    ABANDON = "abandon"


class Actor(StrEnum):
    CLIENT = "client"  # the client body's people (or the group purchaser's)
    BROKER = "broker"  # the broker's agents


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    actor: Actor


# The workflow as data: services look a move up here and refuse anything else (002 §2.1-2.5).
TRANSITIONS: tuple[Transition, ...] = (
    Transition(State.NEEDS, Action.SUBMIT_NEEDS, State.CATALOGUE, Actor.CLIENT),
    Transition(State.CATALOGUE, Action.CONFIRM_CANDIDATES, State.COMPLIANCE, Actor.CLIENT),
    Transition(State.COMPLIANCE, Action.CLOSE_COMPLIANCE, State.CHOICE, Actor.CLIENT),
    Transition(State.CHOICE, Action.CONFIRM_CHOICE, State.STARTUP, Actor.CLIENT),
    Transition(State.STARTUP, Action.FREEZE_STRATEGY, State.FROZEN, Actor.BROKER),
    Transition(State.CATALOGUE, Action.GO_BACK, State.NEEDS, Actor.CLIENT),
    Transition(State.COMPLIANCE, Action.GO_BACK, State.CATALOGUE, Actor.CLIENT),
    Transition(State.CHOICE, Action.GO_BACK, State.COMPLIANCE, Actor.CLIENT),
    Transition(State.STARTUP, Action.GO_BACK, State.CHOICE, Actor.CLIENT),
    *(Transition(s, Action.ABANDON, State.ABANDONED, Actor.CLIENT) for s in STEP_ORDER),
)
_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


def transition(state: str, action: str) -> Transition | None:
    """The move ``action`` makes from ``state``, or None when the table has no such move."""
    try:
        return _BY_KEY.get((State(state), Action(action)))
    except ValueError:
        return None


def step_number(state: str) -> int:
    """1-5 for the open steps, 6 once frozen (every step done), 0 when abandoned."""
    if state == State.FROZEN:
        return len(STEP_ORDER) + 1
    try:
        return STEP_ORDER.index(State(state)) + 1
    except ValueError:
        return 0


# --- step 1: the needs questionnaire (DOMAIN §3.1; 002 §2.1) -----------------------------------


class AnswerKind(StrEnum):
    TEXT = "text"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Question:
    code: str
    kind: AnswerKind
    required: bool


# The narrative questions of 002 §2.1 kept as structured answers. Their French wording lives
# in models.QUESTION_LABELS (translated); the facts the rules use are columns of the file.
QUESTIONS: tuple[Question, ...] = (
    Question("organisational_impacts", AnswerKind.TEXT, True),
    Question("bandwidth", AnswerKind.TEXT, True),
    Question("risks", AnswerKind.TEXT, True),
    Question("functional_needs", AnswerKind.TEXT, True),
    Question("security_needs", AnswerKind.TEXT, True),
    Question("service_level_needs", AnswerKind.TEXT, False),
    Question("performance_needs", AnswerKind.TEXT, False),
    Question("training_needs", AnswerKind.TEXT, False),
    Question("entry_needs", AnswerKind.TEXT, True),
    Question("exit_needs", AnswerKind.TEXT, True),
    Question("assistance_needs", AnswerKind.TEXT, False),
    Question("consumption_variability", AnswerKind.TEXT, True),
    Question("commitment_capacity", AnswerKind.TEXT, True),
    Question("readiness", AnswerKind.TEXT, True),
    Question("current_contracts_impact", AnswerKind.TEXT, False),
    Question("service_provider_needed", AnswerKind.BOOLEAN, True),
)
QUESTION_CODES = tuple(q.code for q in QUESTIONS)


class Location(StrEnum):
    """Where the client accepts its data to be hosted: a legitimate client criterion (002 §2.3)."""

    ANYWHERE = "anywhere"
    CANADA = "canada"
    QUEBEC = "quebec"


class NeedKind(StrEnum):
    USAGE = "usage"  # consumed over the contract (users, storage...)
    ENTRY = "entry"  # entry-transition activities, done after signature (DOMAIN §5.3)
    EXIT = "exit"  # exit-transition activities, finished before the contract ends (DOMAIN §5.9)


class NeedsProblem(StrEnum):
    DURATION = "duration"
    ANSWER_MISSING = "answer_missing"
    NO_NEED = "no_need"
    QUANTITIES_LENGTH = "quantities_length"
    QUANTITY_RANGE = "quantity_range"
    EMPTY_NEED = "empty_need"
    EXIT_AFTER_END = "exit_after_end"
    ENTRY_BEFORE_START = "entry_before_start"
    BUDGET = "budget"
    PI_OUTSIDE_WITHOUT_PI = "pi_outside_without_pi"
    START_DATE = "start_date"
    CATEGORY = "category"


@dataclass(frozen=True)
class NeedLineFacts:
    code: str
    kind: str
    quantities: Sequence[int]


@dataclass(frozen=True)
class NeedsFacts:
    duration_months: int | None
    answers: Mapping[str, object]
    budget_cents: int | None
    personal_information: bool
    pi_outside_quebec: bool
    planned_start: date | None
    category_set: bool
    lines: Sequence[NeedLineFacts] = field(default_factory=tuple)


def need_code_ok(code: str) -> bool:
    """A need line's code: 1 to MAX_NEED_CODE of ``a-z``, ``0-9`` and ``-`` (no « é », no « ٣ »:
    the code is part of addresses, and a code no address can hold breaks the file's page)."""
    return (
        0 < len(code) <= MAX_NEED_CODE
        and code.isascii()
        and all(ch.islower() or ch.isdigit() or ch == "-" for ch in code)
    )


def duration_ok(months: int | None) -> bool:
    """DOMAIN §3.1: the desired duration, renewals included, is 1 to 36 months."""
    return months is not None and 1 <= months <= MAX_DURATION_MONTHS


def needs_problems(facts: NeedsFacts) -> dict[str, NeedsProblem]:
    """Field -> problem for the step-1 questionnaire (DOMAIN §3.1; 002 §2.1). Empty when the
    needs are complete enough to consult the Catalogue."""
    problems: dict[str, NeedsProblem] = {}
    if not duration_ok(facts.duration_months):
        problems["duration_months"] = NeedsProblem.DURATION
    if not facts.category_set:
        problems["category"] = NeedsProblem.CATEGORY
    for question in QUESTIONS:
        value = facts.answers.get(question.code)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if question.required and blank:
            problems[f"answers.{question.code}"] = NeedsProblem.ANSWER_MISSING
    if facts.budget_cents is None or facts.budget_cents <= 0:
        problems["budget_cents"] = NeedsProblem.BUDGET
    if facts.pi_outside_quebec and not facts.personal_information:
        problems["pi_outside_quebec"] = NeedsProblem.PI_OUTSIDE_WITHOUT_PI
    if facts.planned_start is None:
        problems["planned_start"] = NeedsProblem.START_DATE
    if not facts.lines:
        problems["needs"] = NeedsProblem.NO_NEED
    months = facts.duration_months if duration_ok(facts.duration_months) else None
    for line in facts.lines:
        key = f"needs.{line.code}"
        problem = quantities_problem(line.quantities, months)
        if problem is None and not any(line.quantities):
            problem = NeedsProblem.EMPTY_NEED
        if problem is None and line.kind == NeedKind.EXIT and months and line.quantities[-1]:
            # DOMAIN §5.9: exit activities must end before the initial contract ends.
            problem = NeedsProblem.EXIT_AFTER_END
        if problem is not None:
            problems[key] = problem
    return problems


def quantities_problem(quantities: Sequence[int], months: int | None) -> NeedsProblem | None:
    if months is not None and len(quantities) != months:
        return NeedsProblem.QUANTITIES_LENGTH
    if any(not isinstance(q, int) or q < 0 or q > MAX_QUANTITY for q in quantities):
        return NeedsProblem.QUANTITY_RANGE
    return None


def plan_quantities(start: int, monthly_growth: int, months: int, ceiling: int | None) -> list[int]:
    """A consumption plan that grows by ``monthly_growth`` units a month from ``start`` (never
    below 0, never above ``ceiling``): DOMAIN §3.1 asks for the estimate over the whole duration
    and its variability."""
    values = []
    for m in range(months):
        q = max(0, start + monthly_growth * m)
        if ceiling is not None:
            q = min(q, ceiling)
        values.append(q)
    return values


@dataclass(frozen=True)
class GrowthPlan:
    """Quantities as a start, a monthly growth and an optional ceiling (plan_quantities)."""

    start: int
    growth: int = 0
    ceiling: int | None = None


class PlanProblem(StrEnum):
    CEILING_BELOW_START = "ceiling_below_start"


def plan_problem(start: int, ceiling: int | None) -> PlanProblem | None:
    """DOMAIN §3.1 (the consumption estimated over the whole duration, and its variability): a
    plan grows from its starting quantity up to its ceiling, so a ceiling below the start would
    silently cut the first months' quantities; it is refused instead."""
    if ceiling is not None and ceiling < start:
        return PlanProblem.CEILING_BELOW_START
    return None


def efvp_required(personal_information: bool) -> bool:
    """DOMAIN §3.1; 002 §2.1: personal information involved → a privacy impact assessment."""
    return personal_information


def efvp_blocks_contract(personal_information: bool, stored_outside_quebec: bool) -> bool:
    """Access Act art. 70.1 (DOMAIN §3.1): communicating personal information outside Quebec
    requires the EFVP before any contract."""
    return personal_information and stored_outside_quebec


# --- steps 2-3: the compliant list ---------------------------------------------------------


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class RequirementKind(StrEnum):
    """Automatic filters read the Catalogue; the others are judged by the client (002 §2.3.1)."""

    CATEGORY = "category"
    LOCATION = "location"
    PI_HOSTING = "pi_hosting"
    JUDGED = "judged"


AUTOMATIC_KINDS = frozenset(
    {RequirementKind.CATEGORY, RequirementKind.LOCATION, RequirementKind.PI_HOSTING}
)


@dataclass(frozen=True)
class OfferFacts:
    category_code: str
    hosted_in_canada_only: bool
    hosted_in_quebec_only: bool
    personal_information_authorised: bool


def automatic_verdict(
    kind: str, *, offer: OfferFacts, category_code: str, location: str
) -> Verdict:
    """The verdict of an automatic requirement for one offer, from the Catalogue's data (002
    §2.3: "no data centre outside Canada" is a legitimate criterion; PI hosting must be in a
    data centre authorised after the broker's equivalence analysis, 004 FAQ)."""
    if kind == RequirementKind.CATEGORY:
        return Verdict.MET if offer.category_code == category_code else Verdict.NOT_MET
    if kind == RequirementKind.LOCATION:
        if location == Location.QUEBEC:
            return Verdict.MET if offer.hosted_in_quebec_only else Verdict.NOT_MET
        if location == Location.CANADA:
            return Verdict.MET if offer.hosted_in_canada_only else Verdict.NOT_MET
        return Verdict.MET
    if kind == RequirementKind.PI_HOSTING:
        return Verdict.MET if offer.personal_information_authorised else Verdict.NOT_MET
    raise ValueError(f"{kind} is judged by the client")


def is_compliant(verdicts: Sequence[str]) -> bool:
    """An offer is compliant when every requirement is met (002 §2.3.1)."""
    return bool(verdicts) and all(v == Verdict.MET for v in verdicts)


def question_due_on(asked_on: date, business_days_after: object) -> date:
    """004 §3.3.2: the supplier takes charge within 3 business days of the question.
    ``business_days_after(day, n)`` is the calendar's (closure-aware) function."""
    return business_days_after(asked_on, QUESTION_DUE_BUSINESS_DAYS)  # type: ignore[operator]


def question_overdue(due_on: date, answered: bool, today: date) -> bool:
    return not answered and today > due_on


class TrialProblem(StrEnum):
    TOO_LONG = "too_long"
    TOO_MANY_UNITS = "too_many_units"
    NO_UNITS = "no_units"
    ENDS_BEFORE_START = "ends_before_start"
    ATTESTATION = "attestation"


def trial_days(starts_on: date, ends_on: date) -> int:
    """Calendar days of a trial, both ends included."""
    return (ends_on - starts_on).days + 1


def trial_problems(
    *, starts_on: date, ends_on: date, units: int, other_units: int, attestation: bool
) -> dict[str, TrialProblem]:
    """004 §3.3.2: at most 60 days and 30 units of each offer (``other_units``: units of the
    same offer's other trials in the file), and no personal or confidential information."""
    problems: dict[str, TrialProblem] = {}
    if ends_on < starts_on:
        problems["ends_on"] = TrialProblem.ENDS_BEFORE_START
    elif trial_days(starts_on, ends_on) > MAX_TRIAL_DAYS:
        problems["ends_on"] = TrialProblem.TOO_LONG
    if units <= 0:
        problems["units"] = TrialProblem.NO_UNITS
    elif units + other_units > MAX_TRIAL_UNITS:
        problems["units"] = TrialProblem.TOO_MANY_UNITS
    if not attestation:
        problems["attestation"] = TrialProblem.ATTESTATION
    return problems


def latest_trial_end(starts_on: date) -> date:
    return starts_on + timedelta(days=MAX_TRIAL_DAYS - 1)


class ComplianceProblem(StrEnum):
    NO_CANDIDATE = "no_candidate"
    UNKNOWN_LEFT = "unknown_left"
    NO_COMPLIANT = "no_compliant"


# --- step 4: choice and authorisations (002 §2.4) ------------------------------------------


class Criterion(StrEnum):
    """002 §2.4.3: criteria tied to the contract's object that may justify a non-lowest choice."""

    TECHNICAL_COMPATIBILITY = "technical_compatibility"
    TOTAL_COST_OF_OWNERSHIP = "total_cost_of_ownership"
    EFVP_RESULTS = "efvp_results"
    OTHER = "other"


def head_authorisation_required(*, chosen_is_lowest: bool, subject_to_rcti: bool) -> bool:
    """RCTI art. 48 (002 §2.4.3): the lowest-priced scenario needs no further authorisation;
    any other needs the head of the organisation's prior authorisation, for RCTI clients."""
    return subject_to_rcti and not chosen_is_lowest


def own_rule_required(*, chosen_is_lowest: bool, subject_to_rcti: bool) -> bool:
    """A client not subject to the RCTI records the internal rule that governs a non-lowest
    choice instead (DOMAIN §1: several rules apply only to RCTI clients)."""
    return not subject_to_rcti and not chosen_is_lowest


class ChoiceProblem(StrEnum):
    NO_CHOICE = "no_choice"
    HEAD_AUTHORISATION = "head_authorisation"
    OWN_RULE = "own_rule"
    FINANCIAL_AUTHORISATION = "financial_authorisation"
    FINANCIAL_AMOUNT = "financial_amount"
    STALE_SCENARIOS = "stale_scenarios"


@dataclass(frozen=True)
class ChoiceFacts:
    has_choice: bool
    chosen_is_lowest: bool
    chosen_total_cents: int
    subject_to_rcti: bool
    has_head_authorisation: bool
    own_rule: str
    financial_amount_cents: int | None
    planned_additions_cents: int
    scenarios_stale: bool = False


def choice_problems(facts: ChoiceFacts) -> list[ChoiceProblem]:
    """What keeps step 4 from closing (002 §2.4.3-2.4.4): a computed scenario chosen, the head's
    authorisation when RCTI art. 48 requires it, and the financial authorisation for the total
    estimated amount, initial order and planned additions included."""
    problems: list[ChoiceProblem] = []
    if not facts.has_choice:
        return [ChoiceProblem.NO_CHOICE]
    if facts.scenarios_stale:
        problems.append(ChoiceProblem.STALE_SCENARIOS)
    if (
        head_authorisation_required(
            chosen_is_lowest=facts.chosen_is_lowest, subject_to_rcti=facts.subject_to_rcti
        )
        and not facts.has_head_authorisation
    ):
        problems.append(ChoiceProblem.HEAD_AUTHORISATION)
    if (
        own_rule_required(
            chosen_is_lowest=facts.chosen_is_lowest, subject_to_rcti=facts.subject_to_rcti
        )
        and not facts.own_rule.strip()
    ):
        problems.append(ChoiceProblem.OWN_RULE)
    if facts.financial_amount_cents is None:
        problems.append(ChoiceProblem.FINANCIAL_AUTHORISATION)
    elif facts.financial_amount_cents < facts.chosen_total_cents + facts.planned_additions_cents:
        problems.append(ChoiceProblem.FINANCIAL_AMOUNT)
    return problems


# --- step 5: startup meeting (002 §2.5) ----------------------------------------------------


class Prerequisite(StrEnum):
    """002 §2.5 "Préalables à la rencontre", checked by the broker."""

    SUPPLIER_IDENTIFIED = "supplier_identified"
    SOLUTIONS_COMPLIANT = "solutions_compliant"
    HEAD_AUTHORISATION = "head_authorisation"
    FINANCIAL_AUTHORISATION = "financial_authorisation"
    EFVP = "efvp"


@dataclass(frozen=True)
class StartupFacts:
    supplier_identified: bool
    chosen_offers_compliant: bool
    head_authorisation_required: bool
    has_head_authorisation: bool
    financial_authorisation_covers: bool
    efvp_required: bool  # before the contract: personal information leaving Quebec (art. 70.1)
    efvp_done: bool


def missing_prerequisites(facts: StartupFacts) -> list[Prerequisite]:
    """Each prerequisite of the startup meeting still missing, in the guide's order."""
    missing: list[Prerequisite] = []
    if not facts.supplier_identified:
        missing.append(Prerequisite.SUPPLIER_IDENTIFIED)
    if not facts.chosen_offers_compliant:
        missing.append(Prerequisite.SOLUTIONS_COMPLIANT)
    if facts.head_authorisation_required and not facts.has_head_authorisation:
        missing.append(Prerequisite.HEAD_AUTHORISATION)
    if not facts.financial_authorisation_covers:
        missing.append(Prerequisite.FINANCIAL_AUTHORISATION)
    if facts.efvp_required and not facts.efvp_done:
        missing.append(Prerequisite.EFVP)
    return missing


def earliest_signed_contract(startup_contact_on: date) -> date:
    """002 §2.5: at least 30 days from the broker's startup contact to a contract signed by the
    supplier: the earliest date to plan for."""
    return startup_contact_on + timedelta(days=STARTUP_TO_SIGNED_CONTRACT_DAYS)
