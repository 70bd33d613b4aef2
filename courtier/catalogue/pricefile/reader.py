"""Reading a price file (issue 3 §4; docs/fichier-de-prix.md) as a stream of rows: CSV (the
encoding and the separator told by the file itself) or XLSX (openpyxl's streaming mode).

Within limits (issue 11 §3; ``SheetLimits``), checked before any cell is read: a workbook's
parts other than its sheet are small (openpyxl holds them whole), the sheet's declared dimension
is within the row and column caps (read from the start of its XML, not by openpyxl), and a first
streaming pass over the sheet's XML (expat, constant memory) counts its rows and columns and the
length of its cells whatever the dimension says; a CSV file's lines are capped in number and
length as they are read.

Pure: no Django, no database. Nothing here keeps one object per row: the readers yield rows
one at a time. A file that cannot be read any further raises ``layout.FileProblem``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from courtier.catalogue.pricefile.layout import FileProblem, Problem, RowProblem

XLSX_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024
SCAN_BYTES = 64 * 1024
# Excel's own limits: 32 767 characters in a cell, 16 384 columns, 1 048 576 rows.
MAX_CELL_CHARS = 32_767
# A CSV line (a row, or one physical line of a quoted cell): far beyond 12 columns of prices.
MAX_LINE_CHARS = 100_000


@dataclass(frozen=True)
class SheetLimits:
    """What a price file may hold (settings ``PRICE_FILE_*``). The layout has 12 columns and
    one row per price tier: a supplier's whole catalogue is thousands of rows; a million rows is
    the largest file the import keeps within its memory and time budget."""

    max_rows: int = 1_000_000  # data rows, the header not counted
    max_columns: int = 32  # 12 in the layout, room for blank formatted columns
    max_part_bytes: int = 20 * 1024 * 1024  # shared strings, styles...: read whole by openpyxl
    max_cell_chars: int = MAX_CELL_CHARS
    max_line_chars: int = MAX_LINE_CHARS


def _limit(problem: Problem, at: int = 0, **params: Any) -> FileProblem:
    """A limit passed at the file's line ``at`` (0: the whole file)."""
    return FileProblem(RowProblem(at, "", problem, params))


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


def open_rows(stream: IO[bytes], limits: SheetLimits | None = None) -> RowSource:
    """CSV or XLSX, told apart by the content. Reading raises FileProblem when the file cannot
    be read any further or exceeds ``limits``."""
    limits = limits or SheetLimits()
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if is_xlsx(head):
        return xlsx_source(stream, limits)
    return RowSource(csv_rows(stream, head, limits), None, _position(stream))


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


def _capped_lines(text: IO[str], max_chars: int) -> Iterator[str]:
    """The text's lines, refused (LINE_TOO_LONG) past ``max_chars``: never one huge string."""
    number = 0
    while line := text.readline(max_chars + 1):
        number += 1
        if len(line) > max_chars:
            raise _limit(Problem.LINE_TOO_LONG, number, line=number, max=max_chars)
        yield line


def csv_rows(
    stream: IO[bytes], head: bytes | None = None, limits: SheetLimits | None = None
) -> Iterator[tuple[int, list[str]]]:
    limits = limits or SheetLimits()
    if head is None:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
    encoding = _encoding(head)
    first_line = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    lines = _capped_lines(text, limits.max_line_chars)
    reader = csv.reader(lines, delimiter=_delimiter(first_line), strict=False)
    line = rows = 0
    try:
        for cells in reader:
            line = reader.line_num
            rows += 1
            if rows > limits.max_rows + 1:  # the header, then at most max_rows rows
                raise _limit(Problem.TOO_MANY_ROWS, line, max=limits.max_rows)
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


def _unpadded(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row as the sheet holds it: ``max_col`` pads short rows with openpyxl's empty cell."""
    from openpyxl.cell.read_only import EMPTY_CELL

    end = len(cells)
    while end and cells[end - 1] is EMPTY_CELL:
        end -= 1
    return cells[:end]


def xlsx_source(stream: IO[bytes], limits: SheetLimits | None = None) -> RowSource:
    """The first sheet of a workbook, checked against ``limits`` (``scan_workbook``), then read
    in openpyxl's streaming (read-only) mode, never past ``limits.max_columns``."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    limits = limits or SheetLimits()
    try:
        total = scan_workbook(stream, limits)
        stream.seek(0)
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the rows the scan counted, not the ones the sheet declares
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise FileProblem(RowProblem(0, "", Problem.UNREADABLE, {"detail": str(exc)})) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            cells_by_row = sheet.iter_rows(max_col=limits.max_columns)
            for line, cells in enumerate(cells_by_row, start=1):
                yield line, [_xlsx_cell(c) for c in _unpadded(cells)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as exc:
            problem = RowProblem(line + 1, "", Problem.UNREADABLE, {"detail": str(exc)})
            raise FileProblem(problem) from None
        finally:
            workbook.close()

    return RowSource(rows(), total - 1 if total > 0 else None, lambda: None)


# --- the limits of a workbook, checked before openpyxl reads it -----------------------------------

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)
_SHEET_START = re.compile(rb"<(?:\w+:)?sheetData\b")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)")


def column_number(letters: str) -> int:
    """ "A" -> 1, "L" -> 12, "XFD" -> 16 384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def first_sheet(archive: Any) -> str:
    """The path of the workbook's first sheet (workbook.xml and its relationships: small parts,
    their size already checked)."""
    workbook = archive.read("xl/workbook.xml")
    match = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook) or re.search(
        rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"", workbook
    )
    if match is None:
        raise _limit(Problem.UNREADABLE, detail="no sheet")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for relationship in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = relationship.group(0)
        if re.search(rb'\bId="' + re.escape(match.group(1)) + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]+)"', tag)
            if target is not None:
                path = target.group(1).decode()
                return path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    raise _limit(Problem.UNREADABLE, detail="no sheet")


def check_parts(archive: Any, sheet: str, limits: SheetLimits) -> None:
    """Every part other than the sheet (shared strings, styles, other sheets openpyxl would not
    read...) within ``max_part_bytes``: openpyxl reads a part such as the shared strings whole."""
    for entry in archive.infolist():
        if entry.filename != sheet and entry.file_size > limits.max_part_bytes:
            mb = limits.max_part_bytes // (1024 * 1024)
            raise _limit(Problem.PART_TOO_LARGE, part=entry.filename, max=mb)


def declared_dimension(archive: Any, sheet: str) -> tuple[int, int] | None:
    """The (rows, columns) the sheet declares (``<dimension ref="A1:L500"/>``), read from the
    start of its XML as a stream; None when it declares none before its rows."""
    with archive.open(sheet) as handle:
        head = handle.read(SCAN_BYTES)
    start = _SHEET_START.search(head)
    match = _DIMENSION.search(head, 0, start.start() if start else len(head))
    if match is None:
        return None
    first_col, first_row, last_col, last_row = (g.decode() if g else "" for g in match.groups())
    columns = column_number(last_col or first_col or "A")
    return int(last_row or first_row or 1), columns


def check_dimension(archive: Any, sheet: str, limits: SheetLimits) -> None:
    dimension = declared_dimension(archive, sheet)
    if dimension is None:
        return
    rows, columns = dimension
    if rows > limits.max_rows + 1 or columns > limits.max_columns:
        raise _limit(
            Problem.SHEET_TOO_LARGE,
            rows=rows,
            columns=columns,
            max_rows=limits.max_rows,
            max_columns=limits.max_columns,
        )


def check_workbook(stream: IO[bytes], limits: SheetLimits) -> str:
    """The checks that read no row (the upload's): the parts' sizes, the declared dimension.
    Returns the first sheet's path."""
    import zipfile

    try:
        with zipfile.ZipFile(stream) as archive:
            sheet = first_sheet(archive)
            check_parts(archive, sheet, limits)
            check_dimension(archive, sheet, limits)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise _limit(Problem.UNREADABLE, detail=str(exc)) from None
    finally:
        stream.seek(0)
    return sheet


def scan_workbook(stream: IO[bytes], limits: SheetLimits) -> int:
    """``check_workbook``, then one streaming pass over the sheet's XML (expat, in chunks: its
    memory does not grow with the file) that stops at the first row, column or cell beyond the
    limits, whatever the declared dimension says. Returns the rows found (the header counted)."""
    import zipfile

    sheet = check_workbook(stream, limits)
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(sheet) as handle:
            return _SheetScan(limits).run(handle)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise _limit(Problem.UNREADABLE, detail=str(exc)) from None
    finally:
        stream.seek(0)


class _SheetScan:
    """Counts a sheet's rows (its highest row number: openpyxl fills the gaps) and checks each
    cell's column and text length, from expat's events."""

    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self.rows = 0  # the highest row number seen
        self.text = 0  # characters of the current cell's value
        self.in_value = False
        self.column = 0

    def run(self, handle: IO[bytes]) -> int:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        try:
            for chunk in iter(lambda: handle.read(SCAN_BYTES), b""):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _limit(Problem.UNREADABLE, self.rows, detail=str(exc)) from None
        return self.rows

    def doctype(self, *args: Any) -> None:
        raise _limit(Problem.UNREADABLE, detail="DOCTYPE")  # no entities: no billion laughs

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = tag.rsplit(" ", 1)[-1]
        if name == "row":
            number = attributes.get("r")
            row = int(number) if number and number.isdigit() else self.rows + 1
            self.rows = max(self.rows, row)
            self.column = 0
            if self.rows > self.limits.max_rows + 1:
                raise _limit(Problem.TOO_MANY_ROWS, self.rows, max=self.limits.max_rows)
        elif name == "c":
            match = _CELL_REF.match(attributes.get("r", ""))
            self.column = column_number(match.group(1)) if match else self.column + 1
            if self.column > self.limits.max_columns:
                raise _limit(
                    Problem.TOO_MANY_COLUMNS, self.rows, line=self.rows, max=self.limits.max_columns
                )
        elif name in ("v", "t"):
            self.in_value, self.text = True, 0

    def end(self, tag: str) -> None:
        if tag.rsplit(" ", 1)[-1] in ("v", "t"):
            self.in_value = False

    def characters(self, data: str) -> None:
        if self.in_value:
            self.text += len(data)
            if self.text > self.limits.max_cell_chars:
                raise _limit(
                    Problem.CELL_TOO_LONG, self.rows, line=self.rows, max=self.limits.max_cell_chars
                )


def _xlsx_cell(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return xlsx_cell_text(value, getattr(cell, "number_format", None) or "General")
    return xlsx_cell_text(value)
