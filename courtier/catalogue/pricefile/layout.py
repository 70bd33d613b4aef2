"""Supplier price files (issue 3 §4): the column layout, the words and numbers a cell may
hold, and the problems a file or a row may have. The layout is documented for suppliers in
docs/fichier-de-prix.md; reader.py reads the rows, checker.py checks them.

Sources: DOMAIN §2 (price lines: component, unit, unit price, billing frequency, minimum
quantity or term, volume tiers, whether quantities may go down, maximum yearly increase; prices
change on the first business day of a month); 004 §3.2 (monthly price updates); 002 §2.2 (the
supplier's price file).

Pure: no Django, no database. Problems are returned as codes with their parameters; the
Catalogue's messages (``messages.PROBLEM_MESSAGES``) turn them into French.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from courtier.catalogue import rules

# --- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the header, as written in the file (after normalize_header)
    required: bool
    default: str = ""  # used when the column is absent or the cell is empty


COLUMNS: tuple[Column, ...] = (
    Column("offre", required=True),
    Column("composante", required=True),
    Column("date_effet", required=True),
    Column("unite", required=True),
    Column("prix_unitaire", required=True),
    Column("frequence_facturation", required=True),
    Column("palier_min", required=False, default="0"),
    Column("quantite_minimale", required=False, default="0"),
    Column("duree_minimale_mois", required=False, default="0"),
    Column("toutes_unites_des_signature", required=False, default="non"),
    Column("diminution_permise", required=False, default="oui"),
    Column("hausse_annuelle_max", required=False, default="0"),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}

# Units (models.Unit; a test keeps both lists equal): the code, or a short French name.
UNITS: dict[str, str] = {
    "user_month": "user_month",
    "gb_month": "gb_month",
    "tb_month": "tb_month",
    "instance_month": "instance_month",
    "vcpu_month": "vcpu_month",
    "user_year": "user_year",
    "hour": "hour",
    "fixed": "fixed",
    "utilisateur/mois": "user_month",
    "go/mois": "gb_month",
    "to/mois": "tb_month",
    "instance/mois": "instance_month",
    "vcpu/mois": "vcpu_month",
    "utilisateur/an": "user_year",
    "utilisateur/annee": "user_year",
    "heure": "hour",
    "forfait": "fixed",
}
# Billing frequencies (rules.Billing): the code or its French name, accents and case ignored.
FREQUENCIES: dict[str, str] = {
    "monthly": rules.Billing.MONTHLY,
    "mensuelle": rules.Billing.MONTHLY,
    "mensuel": rules.Billing.MONTHLY,
    "yearly": rules.Billing.YEARLY,
    "annuelle": rules.Billing.YEARLY,
    "annuel": rules.Billing.YEARLY,
    "upfront": rules.Billing.UPFRONT,
    "unique": rules.Billing.UPFRONT,
    "a la signature": rules.Billing.UPFRONT,
}
BOOLEANS: dict[str, bool] = {
    "oui": True,
    "o": True,
    "yes": True,
    "vrai": True,
    "true": True,
    "1": True,
    "non": False,
    "n": False,
    "no": False,
    "faux": False,
    "false": False,
    "0": False,
}

# Limits of the columns the lines are written to (models.PriceLine).
MAX_PRICE_CENTS = rules.MAX_PRICE_CENTS
MAX_INTEGER = 2_147_483_647
MAX_MONTHS = 32_767
MAX_BASIS_POINTS = 100_000  # 1 000 %


class Problem(StrEnum):
    # the file
    EMPTY_FILE = "empty_file"
    UNREADABLE = "unreadable"
    ENCODING = "encoding"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    TOO_MANY_CELLS = "too_many_cells"
    # the file's limits (issue 11 §3): checked before any cell is read
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    SHEET_TOO_LARGE = "sheet_too_large"  # the sheet's declared dimension
    CELL_TOO_LONG = "cell_too_long"
    LINE_TOO_LONG = "line_too_long"
    PART_TOO_LARGE = "part_too_large"
    # a cell
    REQUIRED = "required"
    BAD_AMOUNT = "bad_amount"
    THOUSANDS_SEPARATOR = "thousands_separator"
    NEGATIVE_PRICE = "negative_price"
    NEGATIVE_NUMBER = "negative_number"
    TOO_MANY_DECIMALS = "too_many_decimals"
    TOO_LARGE = "too_large"
    NOT_AN_INTEGER = "not_an_integer"
    BAD_PERCENT = "bad_percent"
    BAD_DATE = "bad_date"
    NOT_FIRST_BUSINESS_DAY = "not_first_business_day"
    DATE_IN_THE_PAST = "date_in_the_past"
    BAD_UNIT = "bad_unit"
    BAD_FREQUENCY = "bad_frequency"
    BAD_BOOLEAN = "bad_boolean"
    UNKNOWN_OFFER = "unknown_offer"
    UNKNOWN_COMPONENT = "unknown_component"
    # between rows (found by the service, which sees every row)
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class RowProblem:
    """One problem: the file's line (1 is the header; 0 the whole file), the column's header
    (empty when the problem is not about one column), its code and the message parameters."""

    line: int
    column: str
    problem: Problem
    params: Mapping[str, Any] = field(default_factory=dict)


class PriceRow(NamedTuple):
    """A checked line, in the order of the staging table the service writes."""

    line: int
    offer_code: str
    effective_from: str  # ISO date
    component_code: str
    unit: str
    unit_price_cents: int
    billing_frequency: str
    tier_min_quantity: int
    minimum_quantity: int
    minimum_term_months: int
    all_units_from_signature: bool
    may_decrease: bool
    max_yearly_increase_bp: int


class FileProblem(Exception):
    """The file cannot be read any further (bad encoding, not a spreadsheet...)."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(problem.problem)
        self.problem = problem


# --- normalising text -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Mensuelle " -> "mensuelle"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def normalize_header(text: Any) -> str:
    """ "Prix unitaire" -> "prix_unitaire"; "Date d'effet" stays unknown (the layout is strict)."""
    return re.sub(r"[\s-]+", "_", fold(str(text if text is not None else "")))


# --- numbers ------------------------------------------------------------------------------------

# ASCII digits only (re.ASCII): « ٣,٥٠ » is no price, though int() would read it.
_PLAIN = re.compile(r"(\d+)(?:[.,](\d+))?", re.ASCII)
# Thousands separators: a space (any kind) between digits, both a comma and a dot, or the same
# separator repeated ("1.200.000").
_SPACES = re.compile(r"[0-9][\s\u00a0\u202f'][0-9]")
_REPEATED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})+$", re.ASCII)

Parsed = tuple[Any, Problem | None, Mapping[str, Any]]


def _decimal(text: str, *, decimals: int, maximum: int, negative: Problem) -> Parsed:
    """An amount with at most ``decimals`` decimals, as an integer of hundredths. A decimal
    comma or dot is accepted; thousands separators are refused (they are ambiguous)."""
    value = text.strip()
    if value.startswith("-"):
        body = value[1:].strip()
        if _PLAIN.fullmatch(body) or _SPACES.search(body):
            return None, negative, {"value": text}
        return None, Problem.BAD_AMOUNT, {"value": text}
    if _SPACES.search(value) or ("," in value and "." in value) or _REPEATED.match(value):
        return None, Problem.THOUSANDS_SEPARATOR, {"value": text}
    match = _PLAIN.fullmatch(value)
    if match is None:
        return None, Problem.BAD_AMOUNT, {"value": text}
    units, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > decimals:
        return None, Problem.TOO_MANY_DECIMALS, {"value": text}
    scaled = int(units) * 10**decimals + int(fraction.ljust(decimals, "0") or "0")
    if scaled > maximum:
        return None, Problem.TOO_LARGE, {"value": text, "max": maximum}
    return scaled, None, {}


def parse_price(text: str) -> Parsed:
    """Dollars -> cents: "12,50" and "12.50" -> 1250; "1 200,00", "1,200.00" are refused."""
    return _decimal(text, decimals=2, maximum=MAX_PRICE_CENTS, negative=Problem.NEGATIVE_PRICE)


def parse_percent(text: str) -> Parsed:
    """Percent -> basis points: "3,5" (or "3,5 %") -> 350."""
    value = text.strip()
    if value.endswith("%"):
        value = value[:-1].rstrip()
    scaled, problem, params = _decimal(
        value, decimals=2, maximum=MAX_BASIS_POINTS, negative=Problem.NEGATIVE_NUMBER
    )
    if problem is Problem.BAD_AMOUNT:
        return None, Problem.BAD_PERCENT, {"value": text}
    return scaled, problem, {**params, "value": text} if problem else params


def parse_integer(text: str, *, maximum: int = MAX_INTEGER) -> Parsed:
    value = text.strip()
    if value.isascii() and value.isdigit():
        number = int(value)
        if number > maximum:
            return None, Problem.TOO_LARGE, {"value": text, "max": maximum}
        return number, None, {}
    if value.startswith("-") and value[1:].strip().isascii() and value[1:].strip().isdigit():
        return None, Problem.NEGATIVE_NUMBER, {"value": text}
    if _SPACES.search(value) or _REPEATED.match(value):
        return None, Problem.THOUSANDS_SEPARATOR, {"value": text}
    return None, Problem.NOT_AN_INTEGER, {"value": text}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_date(text: str) -> Parsed:
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        return None, Problem.BAD_DATE, {"value": text}
    try:
        return date.fromisoformat(value), None, {}
    except ValueError:
        return None, Problem.BAD_DATE, {"value": text}


def _choice(table: Mapping[str, Any], problem: Problem) -> Callable[[str], Parsed]:
    def parse(text: str) -> Parsed:
        value = table.get(fold(text))
        if value is None:
            return None, problem, {"value": text}
        return value, None, {}

    return parse


parse_unit = _choice(UNITS, Problem.BAD_UNIT)
parse_frequency = _choice(FREQUENCIES, Problem.BAD_FREQUENCY)
parse_boolean = _choice(BOOLEANS, Problem.BAD_BOOLEAN)
