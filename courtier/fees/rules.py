"""The broker's management fees (DOMAIN §6; 004 §4.3, 002 §4.2, §4.5, 001 §9): the versioned fee
grid and the fee it gives, the Quebec taxes of an invoice, the gapless numbers of a fiscal year,
the checks of a supplier's quarterly acquisition report, the invoice's life as a table of moves.
Pure: stdlib only, no ORM. The values of the enums are those of the TextChoices in models.py."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

# 001 §9.3: « La facture est payable dans les 30 jours suivant sa date d'émission. »
PAYMENT_DAYS = 30
# DOMAIN §6 « Taxes »: GST 5 % and QST 9.975 %, each on the taxable subtotal (the QST is no
# longer charged on the GST since 2013), shown separately.
GST_RATE = Decimal("0.05")
QST_RATE = Decimal("0.09975")
# The quarterly report is owed within this many days of the quarter's end (004 §4.3 sets the
# periods, not the delay: the broker's choice, COURTIER_FEE_REPORT_DAYS).
DEFAULT_REPORT_DAYS = 15
MAX_RATE_BP = 10_000  # 100 %
MAX_LINES_PER_GRID = 30
MAX_REPORT_LINES = 5_000
MAX_TEXT_LENGTH = 300
SEQUENCE_DIGITS = 5
ONE_CENT = Decimal("1")


class FeeType(StrEnum):
    """DOMAIN §6: what a fee is charged on."""

    QUARTERLY = "quarterly"  # a percentage of a client's quarterly acquisitions (004 §4.3)
    CONTRACT = "contract"  # per concluded contract, possibly by amount bracket (002 §4.2)
    AMENDMENT = "amendment"  # per amendment prepared (002 §4.5)


class Series(StrEnum):
    """Each series is numbered without gaps per fiscal year (its own counter)."""

    INVOICE = "F"
    CREDIT_NOTE = "NC"


# --- the fee grid -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GridLine:
    """One line of a grid: for amounts from ``from_cents`` (inclusive) up to ``to_cents``
    (exclusive; None: no upper bound), the fee is ``flat_cents`` plus ``rate_bp`` hundredths of
    a percent of the amount."""

    fee_type: str
    from_cents: int = 0
    to_cents: int | None = None
    flat_cents: int = 0
    rate_bp: int = 0


class GridProblem(StrEnum):
    EMPTY = "empty"
    NEGATIVE = "negative"
    RATE = "rate"
    BOUNDS = "bounds"  # a bracket's upper bound not above its lower bound
    START = "start"  # a type's brackets do not start at 0 $
    GAP = "gap"  # brackets that leave a hole or overlap
    OPEN_END = "open_end"  # the last bracket has an upper bound
    NOTHING = "nothing"  # a line that charges nothing at all
    TOO_MANY = "too_many"


def grid_problems(lines: Sequence[GridLine]) -> dict[str, set[GridProblem]]:
    """What is wrong with a grid, by fee type ("" for the whole grid). The brackets of a type
    cover every amount once: from 0 $, each starting where the previous ends, the last open."""
    problems: dict[str, set[GridProblem]] = {}

    def add(key: str, problem: GridProblem) -> None:
        problems.setdefault(key, set()).add(problem)

    if not lines:
        add("", GridProblem.EMPTY)
    if len(lines) > MAX_LINES_PER_GRID:
        add("", GridProblem.TOO_MANY)
    for line in lines:
        if line.flat_cents < 0 or line.from_cents < 0:
            add(line.fee_type, GridProblem.NEGATIVE)
        if not 0 <= line.rate_bp <= MAX_RATE_BP:
            add(line.fee_type, GridProblem.RATE)
        if line.to_cents is not None and line.to_cents <= line.from_cents:
            add(line.fee_type, GridProblem.BOUNDS)
        if line.flat_cents == 0 and line.rate_bp == 0:
            add(line.fee_type, GridProblem.NOTHING)
    for fee_type, brackets in _by_type(lines).items():
        if brackets[0].from_cents != 0:
            add(fee_type, GridProblem.START)
        for previous, following in pairwise(brackets):
            if previous.to_cents is None or previous.to_cents != following.from_cents:
                add(fee_type, GridProblem.GAP)
        if brackets[-1].to_cents is not None:
            add(fee_type, GridProblem.OPEN_END)
    return problems


def _by_type(lines: Iterable[GridLine]) -> dict[str, list[GridLine]]:
    found: dict[str, list[GridLine]] = {}
    for line in lines:
        found.setdefault(line.fee_type, []).append(line)
    return {k: sorted(v, key=lambda line: line.from_cents) for k, v in found.items()}


def applies(lines: Iterable[GridLine], fee_type: str) -> bool:
    """Whether the grid charges this type of fee at all: the grid in force on the triggering
    date decides which model applies (DOMAIN §6: the older quarterly model, 004 §4.3, or the
    current per-contract one, 002 §4.2)."""
    return any(line.fee_type == fee_type for line in lines)


def round_cents(value: Decimal) -> int:
    """Half-up to the cent (0.5 ¢ and above rounds up): the rounding of every fee and tax."""
    return int(value.quantize(ONE_CENT, rounding=ROUND_HALF_UP))


def bracket_for(lines: Iterable[GridLine], fee_type: str, amount_cents: int) -> GridLine | None:
    """The line of ``fee_type`` whose bracket holds ``amount_cents`` (None: no such fee)."""
    for line in _by_type(lines).get(fee_type, []):
        if line.from_cents <= amount_cents and (
            line.to_cents is None or amount_cents < line.to_cents
        ):
            return line
    return None


def fee_cents(lines: Iterable[GridLine], fee_type: str, amount_cents: int) -> int | None:
    """The fee the grid charges on ``amount_cents`` (a quarter's acquisitions, a contract's
    authorised amount, an amendment: its amount is 0), before taxes; None when the grid has no
    such fee. The flat part plus the rate of the bracket, rounded half-up to the cent."""
    line = bracket_for(lines, fee_type, max(amount_cents, 0))
    if line is None:
        return None
    share = Decimal(amount_cents) * Decimal(line.rate_bp) / Decimal(10_000)
    return line.flat_cents + round_cents(share)


# --- taxes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxes:
    subtotal_cents: int
    gst_cents: int
    qst_cents: int

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.gst_cents + self.qst_cents


def taxes(subtotal_cents: int) -> Taxes:
    """DOMAIN §6: GST 5 % and QST 9.975 %, each computed once per invoice on its taxable
    subtotal and rounded half-up to the cent (1,000.00 $ → 50.00 $ and 99.75 $)."""
    subtotal = Decimal(subtotal_cents)
    return Taxes(
        subtotal_cents=subtotal_cents,
        gst_cents=round_cents(subtotal * GST_RATE),
        qst_cents=round_cents(subtotal * QST_RATE),
    )


# --- numbers and dates ------------------------------------------------------------------------


def number(series: str, fiscal_year_label: str, sequence: int) -> str:
    """« F-2026-2027-00042 »: the series, the fiscal year of the issue date, the sequence."""
    return f"{series}-{fiscal_year_label}-{sequence:0{SEQUENCE_DIGITS}d}"


def due_on(issued_on: date) -> date:
    """001 §9.3: payable within 30 days of the issue date."""
    return issued_on + timedelta(days=PAYMENT_DAYS)


def is_overdue(due: date, today: date) -> bool:
    """Overdue the day after its due date (the due date itself is still in time)."""
    return today > due


def report_due_on(quarter_end: date, days: int = DEFAULT_REPORT_DAYS) -> date:
    return quarter_end + timedelta(days=days)


def gapless(numbers: Sequence[int]) -> bool:
    """Whether the sequences of a year run 1, 2, 3... without a gap or a duplicate."""
    return sorted(numbers) == list(range(1, len(numbers) + 1))


# --- the quarterly acquisition report (004 §4.3) ----------------------------------------------


class LineProblem(StrEnum):
    CONTRACT_UNKNOWN = "contract_unknown"  # no such contract
    OTHER_SUPPLIER = "other_supplier"  # the contract is another supplier's
    CONTRACT_NOT_SIGNED = "contract_not_signed"
    CLIENT_MISMATCH = "client_mismatch"  # the client named is not the contract's
    OUTSIDE_QUARTER = "outside_quarter"  # paid outside the report's quarter
    AMOUNT = "amount"  # not a positive amount
    MISSING = "missing"  # a required column left empty
    DUPLICATE = "duplicate"  # the same supplier invoice twice in the report


@dataclass(frozen=True)
class ContractFacts:
    """What a report line is checked against: the contract named by its reference."""

    supplier_id: int
    client_id: int
    client_name: str
    signed: bool


@dataclass(frozen=True)
class ReportLine:
    """One paid invoice as the supplier reports it (an acquisition is a paid invoice, not
    consumption: 004 §4.3)."""

    contract: str
    client: str
    invoice: str
    paid_on: date | None
    amount_cents: int | None


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def line_problems(
    line: ReportLine,
    *,
    supplier_id: int,
    quarter_start: date,
    quarter_end: date,
    contracts: Mapping[str, ContractFacts],
) -> list[LineProblem]:
    """004 §4.3: the contract exists and is the supplier's, the client is the contract's, the
    payment date is inside the quarter, the amount is positive."""
    found: list[LineProblem] = []
    if not line.contract or not line.client or not line.invoice:
        found.append(LineProblem.MISSING)
    facts = contracts.get(line.contract) if line.contract else None
    if line.contract and facts is None:
        found.append(LineProblem.CONTRACT_UNKNOWN)
    elif facts is not None:
        if facts.supplier_id != supplier_id:
            found.append(LineProblem.OTHER_SUPPLIER)
        else:
            if not facts.signed:
                found.append(LineProblem.CONTRACT_NOT_SIGNED)
            if line.client and not _same_name(line.client, facts.client_name):
                found.append(LineProblem.CLIENT_MISMATCH)
    if line.paid_on is None:
        found.append(LineProblem.MISSING)
    elif not quarter_start <= line.paid_on <= quarter_end:
        found.append(LineProblem.OUTSIDE_QUARTER)
    if line.amount_cents is None or line.amount_cents <= 0:
        found.append(LineProblem.AMOUNT)
    return list(dict.fromkeys(found))


def duplicate_invoices(lines: Sequence[ReportLine]) -> set[int]:
    """The positions (from 1) of the lines that repeat a supplier invoice already listed."""
    seen: set[tuple[str, str]] = set()
    repeated: set[int] = set()
    for n, line in enumerate(lines, start=1):
        key = (line.contract, line.invoice.strip().casefold())
        if line.invoice and key in seen:
            repeated.add(n)
        seen.add(key)
    return repeated


# --- the invoice's life -------------------------------------------------------------------------


class State(StrEnum):
    ISSUED = "issued"  # sent to the client, payable within 30 days
    OVERDUE = "overdue"  # unpaid the day after its due date (the daily job)
    PAID = "paid"  # its balance paid (amounts and dates recorded)
    CREDITED = "credited"  # wholly cancelled by credit notes


class Action(StrEnum):
    MARK_OVERDUE = "mark_overdue"
    SETTLE = "settle"  # the last payment leaves nothing owed
    CREDIT = "credit"  # a credit note leaves nothing owed


class Actor(StrEnum):
    BROKER = "broker"  # the broker's agents and admins
    SYSTEM = "system"  # the daily job
    CLIENT = "client"  # the client body billed: pays within 30 days (001 §9.3); makes no move


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


S, A = State, Action
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.ISSUED, A.MARK_OVERDUE, S.OVERDUE, Actor.SYSTEM),
    Transition(S.ISSUED, A.SETTLE, S.PAID, Actor.BROKER),
    Transition(S.OVERDUE, A.SETTLE, S.PAID, Actor.BROKER),
    Transition(S.ISSUED, A.CREDIT, S.CREDITED, Actor.BROKER),
    Transition(S.OVERDUE, A.CREDIT, S.CREDITED, Actor.BROKER),
)
# An invoice still owed something: payments and credit notes are recorded against it.
OPEN_STATES = frozenset({S.ISSUED, S.OVERDUE})


def balance_cents(total_cents: int, paid_cents: int, credited_cents: int) -> int:
    return total_cents - paid_cents - credited_cents
