"""Dates and periods written the way a French reader expects: « 1er octobre 2026 »."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

register = template.Library()


def _is_french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")


@register.filter
def long_date(value: date | None, with_weekday: bool = False) -> str:
    """« 1er octobre 2026 », « jeudi 24 juin 2026 »; in English « October 1, 2026 »."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if not _is_french():
        return formats.date_format(value, "l, F j, Y" if with_weekday else "F j, Y")
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {formats.date_format(value, 'F Y')}"
    return f"{formats.date_format(value, 'l')} {text}" if with_weekday else text


@register.filter
def long_date_weekday(value: date | None) -> str:
    return long_date(value, with_weekday=True)


@register.filter
def quarter_name(number: int) -> str:
    """DOMAIN §6 quarters of the fiscal year: « 3e trimestre »."""
    names = {
        1: _("1er trimestre"),
        2: _("2e trimestre"),
        3: _("3e trimestre"),
        4: _("4e trimestre"),
    }
    return names.get(number, str(number))
