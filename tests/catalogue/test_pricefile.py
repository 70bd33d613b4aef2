"""The price-file layout and row checks (courtier.catalogue.pricefile), without a database."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from courtier.catalogue.models import BillingFrequency, Unit
from courtier.catalogue.pricefile.checker import RowChecker, copy_text, read_header
from courtier.catalogue.pricefile.layout import (
    COLUMN_NAMES,
    FREQUENCIES,
    UNITS,
    FileProblem,
    PriceRow,
    Problem,
    parse_boolean,
    parse_frequency,
    parse_integer,
    parse_percent,
    parse_price,
    parse_unit,
)
from courtier.catalogue.pricefile.reader import open_rows

TODAY = date(2026, 12, 10)
OFFERS = {"MAIL": frozenset({"BASE", "STOCK"}), "VISIO": frozenset({"BASE"})}
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "prix-exemple.csv"


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12,5", 1250),
        ("12", 1200),
        (" 0,07 ", 7),
        ("0", 0),
        ("1200,00", 120000),
        ("999999999,99", 999_999_999_99),
    ],
)
def test_prices_accept_a_decimal_comma_or_dot(text, cents):
    assert parse_price(text) == (cents, None, {})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 200,00", Problem.THOUSANDS_SEPARATOR),
        ("1\u00a0200,00", Problem.THOUSANDS_SEPARATOR),  # no-break space, as Excel writes it
        ("1\u202f200,00", Problem.THOUSANDS_SEPARATOR),
        ("1,200.00", Problem.THOUSANDS_SEPARATOR),
        ("1.200,00", Problem.THOUSANDS_SEPARATOR),
        ("1.200.000", Problem.THOUSANDS_SEPARATOR),
        ("1'200", Problem.THOUSANDS_SEPARATOR),
        ("1,200", Problem.TOO_MANY_DECIMALS),  # 1.2 with three decimals, or 1200: refused
        ("12,505", Problem.TOO_MANY_DECIMALS),
        ("-12,50", Problem.NEGATIVE_PRICE),
        ("- 3", Problem.NEGATIVE_PRICE),
        ("-1 200", Problem.NEGATIVE_PRICE),
        ("12 $", Problem.BAD_AMOUNT),
        ("+12", Problem.BAD_AMOUNT),
        ("douze", Problem.BAD_AMOUNT),
        ("1e3", Problem.BAD_AMOUNT),
        (",50", Problem.BAD_AMOUNT),
        ("1000000000", Problem.TOO_LARGE),
    ],
)
def test_prices_refuse_thousands_separators_negatives_and_nonsense(text, problem):
    value, found, params = parse_price(text)
    assert (value, found) == (None, problem)
    assert params["value"] == text


def test_percentages_become_basis_points():
    assert parse_percent("3,5")[0] == 350
    assert parse_percent("3.25 %")[0] == 325
    assert parse_percent("0")[0] == 0
    assert parse_percent("3,555")[1] is Problem.TOO_MANY_DECIMALS
    assert parse_percent("-1")[1] is Problem.NEGATIVE_NUMBER
    assert parse_percent("trois")[1] is Problem.BAD_PERCENT


def test_whole_numbers():
    assert parse_integer("500")[0] == 500
    assert parse_integer("1 000")[1] is Problem.THOUSANDS_SEPARATOR
    assert parse_integer("-1")[1] is Problem.NEGATIVE_NUMBER
    assert parse_integer("2,5")[1] is Problem.NOT_AN_INTEGER
    assert parse_integer("١٢")[1] is Problem.NOT_AN_INTEGER  # digits, but not ASCII
    assert parse_integer("3000000000")[1] is Problem.TOO_LARGE


def test_units_and_frequencies_match_the_models():
    assert set(UNITS.values()) == set(Unit.values)
    assert set(FREQUENCIES.values()) == set(BillingFrequency.values)
    assert parse_frequency(" Mensuelle ")[0] == "monthly"
    assert parse_frequency("ANNUELLE")[0] == "yearly"
    assert parse_frequency("À la signature")[0] == "upfront"
    assert parse_unit("Go/mois")[0] == "gb_month"
    assert parse_boolean("Non")[0] is False
    assert parse_boolean("OUI")[0] is True


def test_headers_ignore_case_accents_and_spaces():
    header, problems = read_header(
        ["Offre", " Composante ", "Date effet", "UNITÉ", "Prix-unitaire", "Fréquence facturation"]
    )
    assert problems == []
    assert header.index["unite"] == 3 and header.index["prix_unitaire"] == 4


def checker() -> RowChecker:
    header, problems = read_header(list(COLUMN_NAMES))
    assert problems == []
    return RowChecker(header, offers=OFFERS, today=TODAY)


ROW = ["MAIL", "BASE", "2027-02-01", "user_month", "12,50", "mensuelle", "", "", "", "", "", ""]


def test_a_good_row_gets_its_defaults():
    row, problems = checker().check(2, ROW)
    assert problems is None
    assert row == PriceRow(
        2, "MAIL", "2027-02-01", "BASE", "user_month", 1250, "monthly", 0, 0, 0, False, True, 0
    )


def test_a_problem_is_reported_on_every_row_that_has_it():
    check = checker()
    bad = [*ROW[:4], "-1", *ROW[5:]]
    for line in (2, 3):  # the second time comes from the cache, with its own line
        row, problems = check.check(line, bad)
        assert row is None
        assert [(p.line, p.column, p.problem) for p in problems] == [
            (line, "prix_unitaire", Problem.NEGATIVE_PRICE)
        ]


def test_blank_rows_are_skipped():
    check = checker()
    assert check.check(5, [""] * 12) == (None, None)
    assert check.check(5, ["  "] * 12) == (None, None)
    assert check.check(5, []) == (None, None)


def test_a_short_row_misses_its_required_values():
    _, problems = checker().check(7, ["MAIL", "BASE"])
    assert [(p.column, p.problem) for p in problems] == [
        ("date_effet", Problem.REQUIRED),
        ("unite", Problem.REQUIRED),
        ("prix_unitaire", Problem.REQUIRED),
        ("frequence_facturation", Problem.REQUIRED),
    ]


def test_dates_follow_the_first_business_day_rule():
    check = checker()
    closures = frozenset({date(2027, 3, 1)})
    closed = RowChecker(
        read_header(list(COLUMN_NAMES))[0],
        offers=OFFERS,
        today=TODAY,
        closures=closures,
    )
    cases = {
        "2027-02-01": None,
        "2027-02-02": Problem.NOT_FIRST_BUSINESS_DAY,
        "2026-12-01": Problem.DATE_IN_THE_PAST,
        "2027-2-1": Problem.BAD_DATE,
        "20270201": Problem.BAD_DATE,
    }
    for text, expected in cases.items():
        _, problems = check.check(2, [ROW[0], ROW[1], text, *ROW[3:]])
        assert (problems[0].problem if problems else None) is expected, text
    _, problems = closed.check(2, [ROW[0], ROW[1], "2027-03-01", *ROW[3:]])
    assert problems[0].params == {"day": date(2027, 3, 1), "first": date(2027, 3, 2)}


def csv_lines(data: bytes) -> list[list[str]]:
    source = open_rows(io.BytesIO(data))
    return [cells for _, cells in source.rows]


def test_the_separator_is_read_from_the_header():
    assert csv_lines(b"offre;composante\nA;B\n") == [["offre", "composante"], ["A", "B"]]
    assert csv_lines(b'offre,composante\nA,"1,5"\n') == [["offre", "composante"], ["A", "1,5"]]
    assert csv_lines(b"offre\tcomposante\r\nA\tB\r\n") == [["offre", "composante"], ["A", "B"]]
    assert csv_lines("\ufeffoffre;unité\n".encode()) == [["offre", "unité"]]
    assert csv_lines("offre;unité\n".encode("cp1252")) == [["offre", "unité"]]


def test_spreadsheet_cells_read_as_a_csv_file_would_hold_them(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["a", 12.5, 3, datetime(2027, 2, 1), True, None, 0.035, 1e-7, 1200.0])
    sheet.cell(row=1, column=7).number_format = "0.00%"
    path = tmp_path / "cells.xlsx"
    book.save(path)
    with path.open("rb") as stream:
        source = open_rows(stream)
        assert source.total == 0  # one row: the header
        cells = next(source.rows)[1]
    assert cells == ["a", "12.5", "3", "2027-02-01", "oui", "", "3.5 %", "0.0000001", "1200"]


def test_a_file_that_is_not_a_workbook_cannot_be_read():
    with pytest.raises(FileProblem) as excinfo:
        open_rows(io.BytesIO(b"PK\x03\x04garbage"))
    assert excinfo.value.problem.problem is Problem.UNREADABLE


def test_the_xlsx_example_holds_the_rows_of_the_csv_example():
    offers = {"IL-COURRIEL": {"BASE", "ASSISTANCE", "ENTREE", "SORTIE"}}
    offers["IL-DEPOT"] = {"BASE", "SORTIE"}

    def rows(path: Path) -> list[PriceRow]:
        with path.open("rb") as stream:
            source = open_rows(stream)
            header, problems = read_header(next(source.rows)[1])
            assert problems == []
            check = RowChecker(header, offers=offers, today=TODAY)
            checked = [check.check(line, cells) for line, cells in source.rows]
        assert all(problems is None for _, problems in checked)
        return [row for row, _ in checked]

    csv_rows = rows(EXAMPLE)
    assert len(csv_rows) == 12
    assert rows(EXAMPLE.with_suffix(".xlsx")) == csv_rows


def test_the_copy_text_of_a_row_holds_the_same_values():
    offers = {"MAIL\\2": frozenset({"BASE\tX"})}
    header, _ = read_header(list(COLUMN_NAMES))
    check = RowChecker(header, offers=offers, today=TODAY)
    cells = ["MAIL\\2", "BASE\tX", "2027-02-01", "gb_month", "0,5", "unique", "10", "", "", "oui"]
    for line in (2, 3):  # the first time through the caches, then through the fast path
        row, _ = check.check(line, cells)
        text, key, problems = check.check_copy(line, cells)
        assert problems is None and key == ("MAIL\\2", "2027-02-01", "BASE\tX")
        assert text == "\t".join(copy_text(value) for value in row) + "\n"
        assert text.startswith(f"{line}\tMAIL\\\\2\t2027-02-01\tBASE\\tX\tgb_month\t50\tupfront")
    bad = [*cells[:4], "-1", *cells[5:]]
    assert check.check_copy(4, bad)[2][0].problem is Problem.NEGATIVE_PRICE
    assert check.check_copy(5, [""] * 3) == (None, None, None)
