"""The one CSV writer (core.csvfile): UTF-8 with a byte-order mark, « ; » unless told, CRLF,
minimal quoting, formulas neutralised, amounts in the language's decimal mark, dates ISO, and
the download response (plain or streamed, in the language of the request)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy

from courtier.core import csvfile
from courtier.core.xlsx import Money


def read(content: bytes, delimiter: str = ";") -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(
        csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def test_the_bytes_start_with_the_bom_then_the_header_and_end_lines_with_crlf():
    content = csvfile.csv_bytes(["Nom", "Année"], [["Éloïse", 2026], []])
    assert content == "\ufeffNom;Année\r\nÉloïse;2026\r\n\r\n".encode()


def test_only_a_header_is_still_a_file():
    assert csvfile.csv_bytes(["A", "B"], []) == b"\xef\xbb\xbfA;B\r\n"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("simple", "simple"),
        ("a;b", '"a;b"'),
        ('dit "oui"', '"dit ""oui"""'),
        ("deux\nlignes", '"deux\nlignes"'),
        ("a,b", "a,b"),  # a comma needs no quotes in a « ; » file
        ("", ""),
        (None, ""),
    ],
)
def test_fields_are_quoted_only_when_they_need_it(cell, written):
    content = csvfile.csv_bytes(["x", "y"], [[cell, "z"]])
    assert content.decode("utf-8-sig").split("\r\n", 1)[1] == f"{written};z\r\n"
    assert read(content)[1] == [cell or "", "z"]


def test_another_delimiter_quotes_for_it():
    content = csvfile.csv_bytes(["a", "b"], [["1,5", Decimal("3.90")]], delimiter=",")
    assert content == b'\xef\xbb\xbfa,b\r\n"1,5",3.90\r\n'
    assert read(content, ",") == [["a", "b"], ["1,5", "3.90"]]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    content = csvfile.csv_bytes([text], [[text]])
    assert read(content) == [["'" + text], ["'" + text]]


@pytest.mark.parametrize(
    ("value", "french", "english"),
    [
        (Money(123456), "1234,56", "1234.56"),
        (Money(-50), "-0,50", "-0.50"),  # a number, not a formula
        (date(2026, 10, 1), "2026-10-01", "2026-10-01"),
        # 2026-10-01 02:00 UTC is still September 30 in Toronto.
        (datetime(2026, 10, 1, 2, 0, tzinfo=ZoneInfo("UTC")), "2026-09-30", "2026-09-30"),
        (12, "12", "12"),
        (Decimal("3.90"), "3.90", "3.90"),
        (gettext_lazy("Oui"), "Oui", "Yes"),
        (None, "", ""),
    ],
)
def test_cells_in_french_and_in_english(value, french, english):
    with translation.override("fr-ca"):
        assert csvfile.cell_text(value) == french
    with translation.override("en"):
        assert csvfile.cell_text(value) == english


def test_the_response_is_a_named_utf8_csv_download():
    response = csvfile.csv_response("export-2026-12-04.csv", ["Nom"], [["Éloïse"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export-2026-12-04.csv"'
    assert response.content == "\ufeffNom\r\nÉloïse\r\n".encode()


def test_a_streamed_response_reads_its_rows_late_in_the_language_of_the_request():
    read_rows = []

    def rows():
        for cents in (1250, 99):
            read_rows.append(cents)
            yield [gettext_lazy("Oui"), Money(cents)]

    with translation.override("fr-ca"):
        response = csvfile.csv_response("a.csv", [gettext_lazy("Non")], rows(), stream=True)
    assert isinstance(response, StreamingHttpResponse) and read_rows == []
    with translation.override("en"):
        content = b"".join(response.streaming_content)
    assert read_rows == [1250, 99]
    assert content == "\ufeffNon\r\nOui;12,50\r\nOui;0,99\r\n".encode()
    assert response["Content-Disposition"] == 'attachment; filename="a.csv"'
