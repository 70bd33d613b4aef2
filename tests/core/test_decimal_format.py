"""The decimal formatter (core.formatting.decimal) and its template filter: the active language's
decimal mark, rounded half up, ungrouped unless asked, read back by the forms' parsers."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from courtier.core import formatting
from courtier.pricerequests.rules import parse_hours


@pytest.mark.parametrize(
    ("language", "value", "options", "expected"),
    [
        ("fr-ca", Decimal("4.25"), {}, "4,25"),
        ("en", Decimal("4.25"), {}, "4.25"),
        ("fr-ca", Decimal("3.9"), {}, "3,90"),
        ("en", 3, {}, "3.00"),
        ("fr-ca", "2.345", {}, "2,35"),  # half up, not half even
        ("en", 2.345, {}, "2.35"),  # a float is read as it prints
        ("fr-ca", Decimal("7.5"), {"places": 0}, "8"),
        ("fr-ca", Decimal("12.50"), {"min_places": 0}, "12,5"),
        ("en", Decimal("120.00"), {"min_places": 0}, "120"),
        ("fr-ca", Decimal("12"), {"min_places": 1}, "12,0"),
        ("fr-ca", Decimal("1234.5"), {}, "1234,50"),
        ("en", Decimal("1234.5"), {}, "1234.50"),
        ("fr-ca", Decimal("1234.5"), {"grouping": True}, "1\u00a0234,50"),
        ("en", Decimal("1234.5"), {"grouping": True}, "1,234.50"),
        ("fr-ca", Decimal("-1.25"), {}, "-1,25"),
        ("fr-ca", Decimal("-0.001"), {}, "0,00"),
        ("fr-ca", None, {}, ""),
        ("en", "", {}, ""),
    ],
)
def test_a_decimal_reads_as_the_language_writes_it(language, value, options, expected):
    with translation.override(language):
        assert formatting.decimal(value, **options) == expected


@pytest.mark.parametrize("language", ["fr-ca", "en"])
@pytest.mark.parametrize("hours", ["120", "12.5", "12.50", "0.25", "1E+2"])
def test_hours_shown_in_a_form_are_read_back_by_its_parser(language, hours):
    with translation.override(language):
        shown = formatting.decimal(hours, 2, min_places=0)
    assert parse_hours(shown) == Decimal(hours)


@pytest.mark.parametrize(
    ("value", "options"), [("abc", {}), (Decimal("1"), {"places": -1}), (1, {"min_places": 3})]
)
def test_what_is_not_a_number_or_a_precision_is_refused(value, options):
    with pytest.raises(ValueError):
        formatting.decimal(value, **options)


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        ("fr-ca", "{{ v|decimal }}", "4,25"),
        ("en", "{{ v|decimal }}", "4.25"),
        ("fr-ca", "{{ v|decimal:1 }}", "4,3"),
        ("en", "{{ v|decimal:1 }}", "4.3"),
    ],
)
def test_the_decimal_filter(language, source, expected):
    template = Template("{% load courtier_format %}" + source)
    with translation.override(language):
        assert template.render(Context({"v": Decimal("4.25")})) == expected
