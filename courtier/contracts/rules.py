"""Specific contracts (DOMAIN §3.5, §4.5, §5; 002 §2.5, §3.5, §4.3-4.5): the life of a contract
and of its amendments as tables of moves, the order of signatures, the 36-month limit, what an
amendment may never change (002 §4.5), the contract's current terms, consumption against the
authorised amount and its thresholds, the forecast of the month it runs out. Pure: no ORM. The
values of the enums are those of the TextChoices in models.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

# DOMAIN §3.1, §5.5 (002 §4.5): a contract lasts at most 3 years, renewals and amendments included.
MAX_DURATION_MONTHS = 36
# DOMAIN §3.5 (002 §2.5, §3.5): plan at least 30 days from the startup contact to a signed
# contract; 002 §4.5: 30 days to prepare and sign an amendment.
PLANNING_DAYS = 30
AMENDMENT_LEAD_DAYS = 30
# DOMAIN §7 (002 §4.10): the signed contract reaches the broker within 5 business days.
TRANSMISSION_BUSINESS_DAYS = 5
# 002 §4.4 (and the 80 % / 100 % practice of 000): the client's people are told once at each.
THRESHOLDS = (80, 100)
MAX_TEXT_LENGTH = 4000
MAX_SIGNATORIES = 10


class Kind(StrEnum):
    SOLUTIONS = "solutions"  # from a frozen acquisition strategy (002 §2.5)
    SERVICES = "services"  # from a service file's handoff package (002 §3.5)


class State(StrEnum):
    PREPARATION = "preparation"
    CLIENT_REVIEW = "client_review"  # sent to the client for validation (002 §2.5 step 6)
    APPROVED = "approved"  # the client approved the assembled documents (step 7)
    VALIDATED = "validated"  # the broker stamped the final version: to sign as presented
    CLIENT_SIGNED = "client_signed"  # the client's signatories signed (step 8)
    CONCLUDED = "concluded"  # the supplier signed (step 9)
    IN_FORCE = "in_force"
    ENDED = "ended"
    TERMINATED = "terminated"


class Action(StrEnum):
    SEND_FOR_REVIEW = "send_for_review"
    APPROVE = "approve"
    RETURN = "return"
    VALIDATE = "validate"
    SIGN_CLIENT = "sign_client"
    SIGN_SUPPLIER = "sign_supplier"
    ENTER_INTO_FORCE = "enter_into_force"
    END = "end"
    TERMINATE = "terminate"


class Actor(StrEnum):
    BROKER = "broker"
    CLIENT = "client"  # the client's people who run its acquisitions
    CLIENT_SIGNATORY = "client_signatory"
    SUPPLIER = "supplier"  # the supplier's or provider's representatives
    SYSTEM = "system"  # the daily job: dates reached


class AmendmentState(StrEnum):
    REQUESTED = "requested"  # the client asked, with its reason (002 §4.5)
    PREPARATION = "preparation"
    CLIENT_REVIEW = "client_review"
    APPROVED = "approved"
    VALIDATED = "validated"
    CLIENT_SIGNED = "client_signed"
    SIGNED = "signed"  # in the contract's terms from now on
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class AmendmentAction(StrEnum):
    PREPARE = "prepare"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    SEND_FOR_REVIEW = "send_for_review"
    APPROVE = "approve"
    RETURN = "return"
    VALIDATE = "validate"
    SIGN_CLIENT = "sign_client"
    SIGN_SUPPLIER = "sign_supplier"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


S, A = State, Action
CONTRACT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PREPARATION, A.SEND_FOR_REVIEW, S.CLIENT_REVIEW, Actor.BROKER),
    Transition(S.CLIENT_REVIEW, A.APPROVE, S.APPROVED, Actor.CLIENT),
    Transition(S.CLIENT_REVIEW, A.RETURN, S.PREPARATION, Actor.CLIENT),
    Transition(S.APPROVED, A.VALIDATE, S.VALIDATED, Actor.BROKER),
    # The last of the client's signatories moves it; the others are recorded in place.
    Transition(S.VALIDATED, A.SIGN_CLIENT, S.CLIENT_SIGNED, Actor.CLIENT_SIGNATORY),
    Transition(S.CLIENT_SIGNED, A.SIGN_SUPPLIER, S.CONCLUDED, Actor.SUPPLIER),
    Transition(S.CONCLUDED, A.ENTER_INTO_FORCE, S.IN_FORCE, Actor.SYSTEM),
    Transition(S.IN_FORCE, A.END, S.ENDED, Actor.SYSTEM),
    Transition(S.CONCLUDED, A.TERMINATE, S.TERMINATED, Actor.CLIENT),
    Transition(S.IN_FORCE, A.TERMINATE, S.TERMINATED, Actor.CLIENT),
)

AS, AA = AmendmentState, AmendmentAction
AMENDMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(AS.REQUESTED, AA.PREPARE, AS.PREPARATION, Actor.BROKER),
    Transition(AS.REQUESTED, AA.REFUSE, AS.REFUSED, Actor.BROKER),
    Transition(AS.PREPARATION, AA.SEND_FOR_REVIEW, AS.CLIENT_REVIEW, Actor.BROKER),
    Transition(AS.CLIENT_REVIEW, AA.APPROVE, AS.APPROVED, Actor.CLIENT),
    Transition(AS.CLIENT_REVIEW, AA.RETURN, AS.PREPARATION, Actor.CLIENT),
    Transition(AS.APPROVED, AA.VALIDATE, AS.VALIDATED, Actor.BROKER),
    Transition(AS.VALIDATED, AA.SIGN_CLIENT, AS.CLIENT_SIGNED, Actor.CLIENT_SIGNATORY),
    Transition(AS.CLIENT_SIGNED, AA.SIGN_SUPPLIER, AS.SIGNED, Actor.SUPPLIER),
    *(
        Transition(s, AA.WITHDRAW, AS.WITHDRAWN, Actor.CLIENT)
        for s in (AS.REQUESTED, AS.PREPARATION, AS.CLIENT_REVIEW, AS.APPROVED)
    ),
)

# The states in which the contract binds the parties (consumption, amendments, termination).
SIGNED_STATES = frozenset({S.CONCLUDED, S.IN_FORCE})
CLOSED_STATES = frozenset({S.ENDED, S.TERMINATED})
# Where a signature is awaited: the stamped version is out for signing.
SIGNING_STATES = {
    S.VALIDATED: "client",
    S.CLIENT_SIGNED: "supplier",
    AS.VALIDATED: "client",
    AS.CLIENT_SIGNED: "supplier",
}


# --- duration (DOMAIN §3.1; 002 §4.5) ---------------------------------------------------------


def duration_problem(months: int) -> str | None:
    """``None`` when a total duration of ``months`` is allowed, else the reason's key."""
    if months < 1:
        return "too_short"
    if months > MAX_DURATION_MONTHS:
        return "too_long"
    return None


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` later, on the last day of the month when it has fewer days."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def end_on(start: date, months: int) -> date:
    """The last day of a contract of ``months`` starting on ``start`` (inclusive)."""
    return add_months(start, months) - timedelta(days=1)


# --- signatures in order (002 §2.5 steps 7-9) -------------------------------------------------


@dataclass(frozen=True)
class Signer:
    key: int  # the signatory's id
    party: str  # "client" or "supplier"
    order: int
    signed: bool


def next_signers(signers: Sequence[Signer]) -> list[int]:
    """Who may sign now: the client's signatories in their order (one rank at a time), then the
    supplier's once every client signatory has signed. Empty when all have signed."""
    for party in ("client", "supplier"):
        pending = [s for s in signers if s.party == party and not s.signed]
        if pending:
            rank = min(s.order for s in pending)
            return sorted(s.key for s in pending if s.order == rank)
    return []


def signature_problem(signers: Sequence[Signer], key: int) -> str | None:
    """Why signatory ``key`` may not sign now (``None`` when it may): the reason's key."""
    signer = next((s for s in signers if s.key == key), None)
    if signer is None:
        return "not_a_signatory"
    if signer.signed:
        return "already_signed"
    if key not in next_signers(signers):
        return "out_of_order"
    return None


def party_done(signers: Sequence[Signer], party: str, signing: int) -> bool:
    """Whether ``party`` has signed in full once ``signing`` signs."""
    return all(s.signed or s.key == signing for s in signers if s.party == party)


# --- amendments (002 §4.5) --------------------------------------------------------------------


class ChangeKind(StrEnum):
    DURATION = "duration"  # months added
    AMOUNT = "amount"  # cents added to the authorised amount
    COMPONENT = "component"  # a component or activity of an offer already in the contract
    SOLUTION = "solution"  # a new offer: never (002 §4.5, second bullet)
    SERVICES = "services"  # activities under a qualification of the contract
    CONDITIONS = "conditions"  # contractual conditions: only the broker, under the agreement


@dataclass(frozen=True)
class Terms:
    """What the contract provides now: its original terms plus its signed amendments, in order."""

    months: int
    authorised_cents: int
    offers: frozenset[int] = frozenset()
    components: frozenset[tuple[int, str]] = frozenset()
    qualifications: frozenset[str] = frozenset()
    amendments: tuple[int, ...] = ()


def change_problems(kind: str, terms: Terms, changes: Sequence[Mapping[str, Any]]) -> list[str]:
    """The reasons (keys) an amendment of these ``changes`` is impossible (002 §4.5): a total
    duration beyond 36 months, a solution outside the contract (only a component or activity of
    an offer already in it), services outside the contract's qualifications, a change to the
    contractual conditions. Empty when it may be prepared."""
    problems: list[str] = []
    if not changes:
        return ["no_change"]
    months = terms.months
    for change in changes:
        what = change.get("kind")
        if what == ChangeKind.DURATION:
            months += int(change.get("months") or 0)
            if int(change.get("months") or 0) < 1:
                problems.append("months_invalid")
        elif what == ChangeKind.AMOUNT:
            if int(change.get("cents") or 0) <= 0:
                problems.append("amount_invalid")
        elif what == ChangeKind.COMPONENT:
            if kind != Kind.SOLUTIONS or change.get("offer") not in terms.offers:
                problems.append("solution_outside")
        elif what == ChangeKind.SOLUTION:  # a new offer changes the solutions' scope: never
            problems.append("solution_outside")
        elif what == ChangeKind.SERVICES:
            if kind != Kind.SERVICES or change.get("qualification") not in terms.qualifications:
                problems.append("services_outside")
        elif what == ChangeKind.CONDITIONS:
            problems.append("conditions")
        else:
            problems.append("unknown_change")
    if months > MAX_DURATION_MONTHS:
        problems.append("too_long")
    return list(dict.fromkeys(problems))


def apply_changes(terms: Terms, number: int, changes: Iterable[Mapping[str, Any]]) -> Terms:
    """The terms once amendment ``number`` with these (allowed) ``changes`` is signed."""
    months, cents = terms.months, terms.authorised_cents
    components = set(terms.components)
    for change in changes:
        what = change.get("kind")
        if what == ChangeKind.DURATION:
            months += int(change["months"])
        elif what == ChangeKind.AMOUNT:
            cents += int(change["cents"])
        elif what == ChangeKind.COMPONENT:
            components.add((int(change["offer"]), str(change.get("component", ""))))
    return Terms(
        months=months,
        authorised_cents=cents,
        offers=terms.offers,
        components=frozenset(components),
        qualifications=terms.qualifications,
        amendments=(*terms.amendments, number),
    )


# --- consumption (002 §4.4) -------------------------------------------------------------------


def percent(part_cents: int, whole_cents: int) -> Decimal:
    """``part`` as a percentage of ``whole``, to one decimal (half up); 0 for a zero whole."""
    if whole_cents <= 0:
        return Decimal("0.0")
    return (Decimal(part_cents) * 100 / Decimal(whole_cents)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def thresholds_crossed(used_cents: int, authorised_cents: int, told: Iterable[int]) -> list[int]:
    """The thresholds (80, 100) reached by ``used`` and not told yet: each is told once."""
    told = set(told)
    return [
        t
        for t in THRESHOLDS
        if t not in told and authorised_cents > 0 and used_cents * 100 >= t * authorised_cents
    ]


def order_exceeds(ordered_cents: int, new_cents: int, authorised_cents: int) -> bool:
    """An order that would take the ordered total beyond 100 % (refused until an amendment)."""
    return ordered_cents + new_cents > authorised_cents


@dataclass(frozen=True)
class Forecast:
    month: date | None  # the first day of the month the authorised amount runs out
    monthly_cents: int  # the pace: consumed per month since the start


def exhaustion_forecast(
    *, start: date, today: date, used_cents: int, authorised_cents: int
) -> Forecast:
    """At the pace since the start (used / months elapsed, a started month counting whole), the
    month the authorised amount runs out; ``None`` without consumption yet."""
    months = max(1, (today.year - start.year) * 12 + today.month - start.month + 1)
    if used_cents <= 0 or today < start:
        return Forecast(None, 0)
    pace = round(used_cents / months)
    remaining = authorised_cents - used_cents
    if remaining <= 0:
        return Forecast(date(today.year, today.month, 1), pace)
    # Ceiling of remaining / (used / months), in integers: the month in which it runs out.
    ahead = -(-remaining * months // used_cents)
    month = add_months(date(today.year, today.month, 1), ahead)
    return Forecast(month, pace)


@dataclass(frozen=True)
class Point:
    month: date
    ordered_cents: int
    consumed_cents: int


def monthly_series(entries: Iterable[tuple[date, str, int]], start: date, end: date) -> list[Point]:
    """Cumulated ordered and consumed (invoiced) amounts at the end of each month from ``start``
    to ``end``: ``entries`` are (date, "order" | "invoice", cents)."""
    entries = sorted(entries)
    points: list[Point] = []
    month = date(start.year, start.month, 1)
    ordered = consumed = 0
    index = 0
    while month <= end:
        after = add_months(month, 1)
        while index < len(entries) and entries[index][0] < after:
            _, what, cents = entries[index]
            if what == "order":
                ordered += cents
            else:
                consumed += cents
            index += 1
        points.append(Point(month, ordered, consumed))
        month = after
    return points
