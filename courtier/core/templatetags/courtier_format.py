"""Template filters for money, percentages and dates (core.formatting): « 1 200,00 $ »,
« 3,50 % », « 1er octobre 2026 »."""

from datetime import date

from django import template

from courtier.core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("percent_bp", formatting.percent_bp)
register.filter("quarter_name", formatting.quarter_name)


@register.filter
def long_date(value: date | None, with_weekday: bool = False) -> str:
    return formatting.long_date(value, with_weekday)


@register.filter
def long_date_weekday(value: date | None) -> str:
    return formatting.long_date(value, with_weekday=True)
