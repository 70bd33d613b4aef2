"""Template filters for money, percentages, quantities, decimals and dates (core.formatting):
« 1 200,00 $ », « 3,50 % », « 1 150 », « 4,25 » (``|decimal``, ``|decimal:1``),
« 1er octobre 2026 », « 1er octobre 2026 à 14 h 05 ».
Templates show dates only through these (ISO dates only in ``datetime=`` attributes:
tests/core/test_format.py)."""

from datetime import date
from typing import Any

from django import template

from courtier.core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("percent_bp", formatting.percent_bp)
register.filter("quarter_name", formatting.quarter_name)
register.filter("quarter_label", formatting.quarter_label)
register.filter("moment", formatting.moment)
register.filter("month_name", formatting.month_name)
register.filter("quantity", formatting.quantity)


@register.filter
def decimal(value: Any, places: int = 2) -> str:
    """« 4,25 »: a number to ``places`` decimals (two unless told) in the active language."""
    return formatting.decimal(value, int(places))


@register.filter
def long_date(value: date | None, with_weekday: bool = False) -> str:
    return formatting.long_date(value, with_weekday)


@register.filter
def long_date_weekday(value: date | None) -> str:
    return formatting.long_date(value, with_weekday=True)


@register.filter
def short_month(value: date | None) -> str:
    """« 05/27 »: a month on a chart's axis."""
    return formatting.month_name(value, short=True)
