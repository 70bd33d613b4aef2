"""CSV files the platform writes for a spreadsheet (exports), beside ``xlsx.py``: UTF-8 with a
byte-order mark (without it Excel reads UTF-8 as Windows-1252 and garbles the accents), « ; » as
the separator unless told otherwise (what Excel expects in French locales, where the comma is
the decimal mark), CRLF line ends, fields quoted only when they need it.

Cells: text neutralised so that no spreadsheet takes it for a formula (``xlsx.neutralise``),
amounts (``xlsx.Money``) with the language's decimal mark and no grouping (« 12,50 »; « 12.50 »
in English), dates as AAAA-MM-JJ (a moment on the Quebec clock), numbers as Python writes them,
``None`` as an empty cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, overload

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from courtier.core import formatting
from courtier.core.xlsx import Money, neutralise

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DELIMITER = ";"
BOM = "\ufeff"
LINE_END = "\r\n"


def cell_text(value: Any) -> str:
    """What a cell of the file says."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return formatting.decimal(value.dollars, 2)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


class _Line:
    """csv.writer's file: hands back the line just written."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = DELIMITER
) -> Iterator[str]:
    """The file line by line, the byte-order mark before the header; an empty row is an empty
    line. Lazy: nothing is read from ``rows`` before the first line is asked for."""
    writer = csv.writer(_Line(), delimiter=delimiter, lineterminator=LINE_END)
    yield BOM + writer.writerow([cell_text(v) for v in header])
    for row in rows:
        yield writer.writerow([cell_text(v) for v in row])


def csv_bytes(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = DELIMITER
) -> bytes:
    out = io.StringIO()
    out.writelines(csv_lines(header, rows, delimiter=delimiter))
    return out.getvalue().encode("utf-8")


def _in_language(lines: Iterator[str], language: str | None) -> Iterator[str]:
    # A streamed body is produced after the view returned: keep the language of the request.
    with translation.override(language):
        yield from lines


@overload
def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ...,
    stream: Literal[False] = ...,
) -> HttpResponse: ...


@overload
def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ...,
    stream: Literal[True],
) -> StreamingHttpResponse: ...


def csv_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = DELIMITER,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """The file as a download named ``filename``. With ``stream``, the rows are read and
    written one by one as the response is sent (memory does not grow with them), in the
    language active now."""
    if stream:
        lines = _in_language(
            csv_lines(header, rows, delimiter=delimiter), translation.get_language()
        )
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            lines, content_type=CSV_CONTENT_TYPE
        )
    else:
        response = HttpResponse(
            csv_bytes(header, rows, delimiter=delimiter), content_type=CSV_CONTENT_TYPE
        )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
