"""Checking a price file's rows (issue 3 §4; docs/fichier-de-prix.md): the header against the
layout, then each data row against the layout and the proposed sheet (its offers and their
components; prices change on the first business day of a month, DOMAIN §2, 004 §3.2).

Pure: no Django, no database. The checker keeps only small caches of values already seen
(codes, dates, units...), capped in size, never one object per row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from courtier.calendar import rules as calendar
from courtier.catalogue import rules
from courtier.catalogue.pricefile.layout import (
    BY_NAME,
    COLUMN_NAMES,
    COLUMNS,
    MAX_MONTHS,
    Column,
    Parsed,
    PriceRow,
    Problem,
    RowProblem,
    normalize_header,
    parse_boolean,
    parse_date,
    parse_frequency,
    parse_integer,
    parse_percent,
    parse_price,
    parse_unit,
)


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
