"""Spreadsheets the platform writes (exports, comparisons, compliance grids) with openpyxl:
amounts as numbers with a money format, dates as dates, and text neutralised so that no cell
is ever taken for a formula (OWASP "CSV injection")."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '#,##0.00 "$"'
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Money:
    """An amount in cents: "12,50" in CSV, a number with a money format in XLSX."""

    cents: int

    @property
    def dollars(self) -> Decimal:
        return (Decimal(self.cents) / 100).quantize(Decimal("0.01"))


def neutralise(text: str) -> str:
    """Text a spreadsheet will not take for a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _text(value: Any) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))


def cell_value(value: Any) -> Any:
    """What a cell holds: a number for Money, a date (Quebec clock) for a moment, neutralised
    text for anything else."""
    if isinstance(value, Money):
        return value.dollars
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    if isinstance(value, date | int | float) or value is None:
        return value
    return _text(value)


def number_format(value: Any) -> str | None:
    if isinstance(value, Money):
        return MONEY_FORMAT
    if isinstance(value, date | datetime):
        return DATE_FORMAT
    return None


def new_workbook() -> Any:
    """A workbook without its default sheet (each document names its own sheets)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def append_row(sheet: Any, values: Sequence[Any], *, bold: bool = False) -> None:
    from openpyxl.styles import Font

    sheet.append([cell_value(v) for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        fmt = number_format(value)
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = Font(bold=True)


def set_widths(sheet: Any, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def workbook_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_only_cell(sheet: Any, value: Any, *, bold: bool = False) -> Any:
    """A cell of a write-only (streamed) sheet, formatted like ``append_row``'s."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    result = WriteOnlyCell(sheet, value=cell_value(value))
    fmt = number_format(value)
    if fmt:
        result.number_format = fmt
    if bold:
        result.font = Font(bold=True)
    return result
