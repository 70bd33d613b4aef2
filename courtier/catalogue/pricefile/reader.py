"""Reading a price file (issue 3 §4; docs/fichier-de-prix.md) as a stream of rows: CSV (the
encoding and the separator told by the file itself) or XLSX (openpyxl's streaming mode).

Pure: no Django, no database. Nothing here keeps one object per row: the readers yield rows
one at a time. A file that cannot be read any further raises ``layout.FileProblem``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from courtier.catalogue.pricefile.layout import FileProblem, Problem, RowProblem

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
