"""Supplier price files (issue 3 §4): the column layout, reading a CSV or XLSX file as a stream
of rows, and checking each row against the layout and the proposed sheet.

Sources: DOMAIN §2 (price lines: component, unit, unit price, billing frequency, minimum
quantity or term, volume tiers, whether quantities may go down, maximum yearly increase; prices
change on the first business day of a month); 004 §3.2 (monthly price updates); 002 §2.2 (the
supplier's price file). The layout is documented for suppliers in docs/fichier-de-prix.md.

Pure: no Django, no database. Nothing here keeps one object per row: readers yield rows one at
a time and the checker keeps only small caches of values already seen (codes, dates, units...),
capped in size. Problems are returned as codes with their parameters; the service
(``importing.py``) turns them into French messages.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any, NamedTuple

from courtier.calendar import rules as calendar
from courtier.catalogue import rules

# At most this many problems are kept for display; all of them are counted.
MAX_ERRORS = 1000

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

_PLAIN = re.compile(r"(\d+)(?:[.,](\d+))?")
# Thousands separators: a space (any kind) between digits, both a comma and a dot, or the same
# separator repeated ("1.200.000").
_SPACES = re.compile(r"\d[\s\u00a0\u202f']\d")
_REPEATED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})+$")

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
    if value.startswith("-") and value[1:].strip().isdigit():
        return None, Problem.NEGATIVE_NUMBER, {"value": text}
    if _SPACES.search(value) or _REPEATED.match(value):
        return None, Problem.THOUSANDS_SEPARATOR, {"value": text}
    return None, Problem.NOT_AN_INTEGER, {"value": text}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


# --- reading files ------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024


def is_xlsx(head: bytes) -> bool:
    return head.startswith(XLSX_MAGIC)


@dataclass
class RowSource:
    """The rows of a file, the header first, each as (line, cells) with cells as text.
    ``total`` is the number of rows the file declares (XLSX), else None; ``position()`` the
    bytes read so far (for estimating progress through a CSV file)."""

    rows: Iterator[tuple[int, list[str]]]
    total: int | None
    position: Callable[[], int | None]


def open_rows(stream: IO[bytes]) -> RowSource:
    """CSV or XLSX, told apart by the content. Reading raises FileProblem when the file cannot
    be read any further."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if is_xlsx(head):
        return xlsx_source(stream)
    return RowSource(csv_rows(stream, head), None, _position(stream))


def _position(stream: IO[bytes]) -> Callable[[], int | None]:
    def position() -> int | None:
        try:
            return stream.tell()
        except (OSError, ValueError):
            return None

    return position


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without its byte-order mark) unless the start of the file is not valid
    UTF-8: then Windows-1252, what Excel writes for "CSV (séparateur : point-virgule)"."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    """The header tells the separator: semicolon (Excel in French), comma or tab."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def csv_rows(stream: IO[bytes], head: bytes | None = None) -> Iterator[tuple[int, list[str]]]:
    if head is None:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
    encoding = _encoding(head)
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=_delimiter(first_line), strict=False)
    line = 0
    try:
        for cells in reader:
            line = reader.line_num
            yield line, cells
    except UnicodeDecodeError:
        raise FileProblem(RowProblem(line + 1, "", Problem.ENCODING, {"line": line + 1})) from None
    except csv.Error as exc:
        raise FileProblem(
            RowProblem(reader.line_num, "", Problem.UNREADABLE, {"detail": str(exc)})
        ) from None
    finally:
        with contextlib.suppress(ValueError):  # the caller closed the file first
            text.detach()


def xlsx_cell_text(value: Any, number_format: str = "General") -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            return f"{_plain(number * 100)} %"
        return _plain(number)
    return str(value)


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def xlsx_source(stream: IO[bytes]) -> RowSource:
    """The first sheet of a workbook, read in openpyxl's streaming (read-only) mode."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = sheet.max_row
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise FileProblem(RowProblem(0, "", Problem.UNREADABLE, {"detail": str(exc)})) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            for line, cells in enumerate(sheet.iter_rows(), start=1):
                yield line, [_xlsx_cell(c) for c in cells]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
            problem = RowProblem(line + 1, "", Problem.UNREADABLE, {"detail": str(exc)})
            raise FileProblem(problem) from None
        finally:
            workbook.close()

    data_rows = total - 1 if isinstance(total, int) and total > 0 else None
    return RowSource(rows(), data_rows, lambda: None)


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return xlsx_cell_text(value, getattr(cell, "number_format", None) or "General")
    return xlsx_cell_text(value)


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where each known column is in the file's rows."""

    index: Mapping[str, int]
    width: int


def read_header(cells: Sequence[Any]) -> tuple[Header, list[RowProblem]]:
    """The header line: every required column present, none unknown, none twice."""
    problems: list[RowProblem] = []
    index: dict[str, int] = {}
    width = 0
    for position, cell in enumerate(cells):
        name = normalize_header(cell)
        if not name:
            continue
        width = position + 1
        if name not in BY_NAME:
            problems.append(RowProblem(1, str(cell).strip(), Problem.UNKNOWN_COLUMN))
        elif name in index:
            problems.append(RowProblem(1, name, Problem.DUPLICATE_COLUMN))
        else:
            index[name] = position
    for column in COLUMNS:
        if column.required and column.name not in index:
            problems.append(RowProblem(1, column.name, Problem.MISSING_COLUMN))
    return Header(index, width), problems


CACHE_LIMIT = 10_000


# Where each column's value goes in a PriceRow (after the line number).
_SLOTS = {
    "offre": 0,
    "date_effet": 1,
    "composante": 2,
    "unite": 3,
    "prix_unitaire": 4,
    "frequence_facturation": 5,
    "palier_min": 6,
    "quantite_minimale": 7,
    "duree_minimale_mois": 8,
    "toutes_unites_des_signature": 9,
    "diminution_permise": 10,
    "hausse_annuelle_max": 11,
}
# Columns whose values change from one row to the next (one row per volume tier); the others
# repeat, so a row's other cells are checked once per combination.
_EACH_ROW = ("prix_unitaire", "palier_min")
_ORDER = {name: i for i, name in enumerate(COLUMN_NAMES)}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """A value as PostgreSQL's COPY text format writes it."""
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


# (value, problem, its parameters, the value in COPY text format)
Checked = tuple[Any, Problem | None, Mapping[str, Any], str]
_Plan = list[tuple[int, int, dict[str, Checked], Callable[[str], Checked], str]]
_Lineless = tuple[tuple[str, Problem, Mapping[str, Any]], ...]
# The repeating cells of a row, checked: values, COPY texts, problems, (offer, date, component).
_Group = tuple[list[Any], list[str], _Lineless, tuple[Any, Any, Any]]


class RowChecker:
    """Checks data rows one at a time against the layout and the proposed sheet.

    ``offers`` maps each offer code of the proposed sheet to its component codes; ``today`` and
    ``closures`` decide the first-business-day rule (rules.price_date_problem).

    Files repeat themselves (one row per volume tier of the same component, offer and date), so
    the checker remembers, in caches capped at CACHE_LIMIT entries, the result for each text of
    a column and for each combination of the cells that do not change from tier to tier. Only
    the price and the tier are looked at on every row."""

    def __init__(
        self,
        header: Header,
        *,
        offers: Mapping[str, frozenset[str] | set[str]],
        today: date,
        closures: frozenset[date] = frozenset(),
    ) -> None:
        self.offers = offers
        self.today = today
        self.closures = frozenset(closures)
        self._width = header.width
        parsers: dict[str, Callable[[str], Parsed]] = {
            "offre": self._offer,
            "composante": lambda text: (text.strip(), None, {}),
            "date_effet": self._date,
            "unite": parse_unit,
            "prix_unitaire": parse_price,
            "frequence_facturation": parse_frequency,
            "palier_min": parse_integer,
            "quantite_minimale": parse_integer,
            "duree_minimale_mois": lambda text: parse_integer(text, maximum=MAX_MONTHS),
            "toutes_unites_des_signature": parse_boolean,
            "diminution_permise": parse_boolean,
            "hausse_annuelle_max": parse_percent,
        }
        # Columns the file has: (slot, position, cache, parse, name), split between those
        # checked on every row and the others; absent columns take their default once.
        self._each: _Plan = []
        self._grouped: _Plan = []
        self._values: list[Any] = [None] * len(_SLOTS)
        self._texts: list[str] = [""] * (len(_SLOTS) + 1)  # the line number first
        for column in COLUMNS:
            parse = _cell_parser(parsers[column.name], column)
            slot = _SLOTS[column.name]
            position = header.index.get(column.name)
            if position is None:
                value, _, _, text = parse("")
                self._values[slot], self._texts[slot + 1] = value, text
            else:
                plan = self._each if column.name in _EACH_ROW else self._grouped
                plan.append((slot, position, {}, parse, column.name))
        self._needed = max(header.index.values(), default=-1) + 1
        positions = [position for _, position, _, _, _ in self._grouped]
        self._key: Callable[[Sequence[str]], Any] = (
            operator.itemgetter(*positions) if positions else (lambda cells: ())
        )
        self._groups: dict[Any, _Group] = {}
        # For check_copy's fast path: (place in the texts, position in the row, cache).
        self._each_texts = [
            (slot + 1, position, cache) for slot, position, cache, _, _ in self._each
        ]

    def _offer(self, text: str) -> Parsed:
        code = text.strip()
        if code not in self.offers:
            return None, Problem.UNKNOWN_OFFER, {"value": text, "code": code}
        return code, None, {}

    def _date(self, text: str) -> Parsed:
        day, problem, params = parse_date(text)
        if problem:
            return day, problem, params
        found = rules.price_date_problem(day, today=self.today, closures=self.closures)
        if found is rules.PriceDateProblem.NOT_FIRST_BUSINESS_DAY:
            first = calendar.first_business_day_of_month(
                day.year, day.month, closures=self.closures
            )
            return None, Problem.NOT_FIRST_BUSINESS_DAY, {"day": day, "first": first}
        if found is rules.PriceDateProblem.IN_THE_PAST:
            return None, Problem.DATE_IN_THE_PAST, {"day": day}
        return day.isoformat(), None, {}

    @staticmethod
    def _cell(cache: dict[str, Checked], parse: Callable[[str], Checked], text: str) -> Checked:
        found = cache.get(text)
        if found is None:
            found = parse(text)
            if len(cache) < CACHE_LIMIT:
                cache[text] = found
        return found

    def _group(self, cells: Sequence[str]) -> _Group:
        """The cells that repeat from tier to tier, checked once per combination."""
        key = self._key(cells)
        found = self._groups.get(key)
        if found is not None:
            return found
        values, texts = self._values.copy(), self._texts.copy()
        problems: list[tuple[str, Problem, Mapping[str, Any]]] = []
        for slot, position, cache, parse, name in self._grouped:
            value, problem, params, text = self._cell(cache, parse, cells[position])
            if problem is not None:
                problems.append((name, problem, params))
            values[slot], texts[slot + 1] = value, text
        offer, component = values[0], values[2]
        if offer is not None and component is not None and component not in self.offers[offer]:
            params = {"value": component, "component": component, "code": offer}
            problems.append(("composante", Problem.UNKNOWN_COMPONENT, params))
        found = (values, texts, tuple(problems), (values[0], values[1], values[2]))
        if len(self._groups) < CACHE_LIMIT:
            self._groups[key] = found
        return found

    def _row(
        self, line: int, cells: Sequence[str], want: int
    ) -> tuple[list[Any] | None, list[Any] | None, list[RowProblem] | None]:
        """Values (want=0) or COPY texts (want=1) of a row and the values of its repeating
        cells, or its problems."""
        if not any(cells):
            return None, None, None
        if len(cells) < self._needed:
            cells = [*cells, *[""] * (self._needed - len(cells))]
        elif len(cells) > self._width and any(c.strip() for c in cells[self._width :]):
            if not "".join(cells[: self._width]).strip():
                return None, None, None  # only stray cells: a blank row for this layout
            params = {"value": len(cells), "expected": self._width}
            return None, None, [RowProblem(line, "", Problem.TOO_MANY_CELLS, params)]
        group = self._group(cells)
        result = group[want].copy()
        problems = [RowProblem(line, *p) for p in group[2]] if group[2] else None
        offset = want  # the texts start with the line number
        for slot, position, cache, parse, name in self._each:
            value, problem, params, text = self._cell(cache, parse, cells[position])
            if problem is not None:
                problems = problems or []
                problems.append(RowProblem(line, name, problem, params))
            result[slot + offset] = text if want else value
        if problems:
            if not "".join(cells).strip():
                return None, None, None  # a row of spaces is a blank row
            problems.sort(key=lambda p: _ORDER.get(p.column, len(_ORDER)))
            return None, None, problems
        return result, group[0], None

    def check(
        self, line: int, cells: Sequence[str]
    ) -> tuple[PriceRow | None, list[RowProblem] | None]:
        """The checked row, or None and every problem of the row; (None, None) for a blank row,
        which is skipped. ``cells`` are texts, as the readers give them."""
        values, _, problems = self._row(line, cells, 0)
        if values is None:
            return None, problems
        return PriceRow(line, *values), None

    def check_copy(
        self, line: int, cells: Sequence[str]
    ) -> tuple[str | None, tuple[str, str, str] | None, list[RowProblem] | None]:
        """Like ``check``, but the row as a line of PostgreSQL's COPY text format (the
        PriceRow's fields in order) and its (offer, ISO date, component)."""
        # The fast path, for a good row whose every cell was seen before: most of them.
        if self._needed <= len(cells) <= self._width:
            group = self._groups.get(self._key(cells))
            if group is not None and not group[2]:
                texts = group[1].copy()
                for place, position, cache in self._each_texts:
                    found = cache.get(cells[position])
                    if found is None or found[1] is not None:
                        break
                    texts[place] = found[3]
                else:
                    texts[0] = str(line)
                    return "\t".join(texts) + "\n", group[3], None
        texts, values, problems = self._row(line, cells, 1)
        if texts is None or values is None:
            return None, None, problems
        texts[0] = str(line)
        return "\t".join(texts) + "\n", (values[0], values[1], values[2]), None


def _cell_parser(parse: Callable[[str], Parsed], column: Column) -> Callable[[str], Checked]:
    """An empty cell: refused in a required column, the default value in the others. The value
    comes with its COPY text."""

    def parse_cell(text: str) -> Checked:
        if not text.strip():
            if column.required:
                return None, Problem.REQUIRED, {}, ""
            text = column.default
        value, problem, params = parse(text)
        return value, problem, params, ("" if problem else copy_text(value))

    return parse_cell
