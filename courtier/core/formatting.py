"""Money, percentages, decimals and dates as a reader of the current language expects them,
through Babel (CLDR): « 1 200,00 $ », « 3,50 % », « 4,25 », « 1er octobre 2026 » in French
(fr-CA); « 1,200.00 $ », « 4.25 », « October 1, 2026 » in English. Money is given in integer
cents, never as a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

AMOUNT_PATTERN = "#,##0.00"  # grouped, two decimals: the broker's documents show every cent


def babel_locale() -> str:
    """The Babel locale of the active language (fr-CA first, English as its translation)."""
    language = (translation.get_language() or "fr-ca").lower()
    return "fr_CA" if language.startswith("fr") else "en_CA"


def is_french() -> bool:
    return babel_locale().startswith("fr")


def money(cents: Any) -> str:
    """12345 -> « 123,45 $ » (cents in, dollars out; grouping with a no-break space in French)."""
    if cents is None or cents == "":
        return ""
    amount = Decimal(int(cents)) / 100
    return f"{format_decimal(amount, format=AMOUNT_PATTERN, locale=babel_locale())} $"


def quantity(value: int) -> str:
    """« 1 150 »: a whole number with the language's digit grouping."""
    return format_decimal(int(value), format="#,##0", locale=babel_locale())


def percent_bp(basis_points: Any) -> str:
    """350 basis points -> « 3,50 % »."""
    if basis_points is None or basis_points == "":
        return ""
    value = Decimal(int(basis_points)) / 100
    return f"{format_decimal(value, format='0.00', locale=babel_locale())} %"


def decimal(
    value: Any, places: int = 2, *, min_places: int | None = None, grouping: bool = False
) -> str:
    """Decimal("4.25") -> « 4,25 » (« 4.25 » in English): rounded half up to ``places``
    decimals, shown with at least ``min_places`` of them (all ``places`` by default; with
    ``min_places=0``, « 12,5 » and « 120 »). Not grouped unless ``grouping`` (« 1 234,5 »), so
    that a spreadsheet or a form's parser reads it back as a number. ``None`` or "" -> ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation as refused:
        raise ValueError(f"not a number: {value!r}") from refused
    shown = places if min_places is None else min_places
    if not 0 <= shown <= places:
        raise ValueError(f"decimals: 0 <= min_places ({shown}) <= places ({places})")
    if number.is_finite():
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if number.is_zero():
            number = abs(number)  # never « -0,00 »
    pattern = ("#,##0" if grouping else "0") + (
        "." + "0" * shown + "#" * (places - shown) if places else ""
    )
    return format_decimal(number, format=pattern, locale=babel_locale())


def long_date(value: date | None, with_weekday: bool = False) -> str:
    """« 1er octobre 2026 », « jeudi 24 juin 2026 »; in English « October 1, 2026 ». A moment
    is read on the Quebec clock (America/Toronto)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    locale = babel_locale()
    if not is_french():
        return format_date(value, "EEEE, MMMM d, y" if with_weekday else "MMMM d, y", locale=locale)
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {format_date(value, 'MMMM y', locale=locale)}"
    return f"{format_date(value, 'EEEE', locale=locale)} {text}" if with_weekday else text


def month_name(value: date | None, short: bool = False) -> str:
    """« mai 2027 » (« 05/27 » when ``short``, for a chart's axis); « May 2027 » in English."""
    if value is None:
        return ""
    return format_date(value, "MM/yy" if short else "MMMM y", locale=babel_locale())


def moment(value: datetime | None) -> str:
    """« 1er décembre 2026 à 14 h 05 » (French, Quebec clock); « December 1, 2026 at 2:05 PM »."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if is_french():
        time = f"{local.hour} h {local.minute:02d}"
    else:
        time = format_time(local, "h:mm a", locale=babel_locale())
    return _("%(day)s à %(time)s") % {"day": long_date(local.date()), "time": time}


def quarter_label(quarter: Any) -> str:
    """A fiscal quarter (``calendar.rules.FiscalQuarter``, DOMAIN §6) as « T3 2026-2027 » in
    French, « Q3 2026-2027 » in English."""
    if quarter is None:
        return ""
    letter = "T" if is_french() else "Q"
    return f"{letter}{quarter.number} {quarter.fiscal_year.label}"


def quarter_name(number: int) -> str:
    """DOMAIN §6 quarters of the fiscal year: « 3e trimestre »."""
    names = {
        1: _("1er trimestre"),
        2: _("2e trimestre"),
        3: _("3e trimestre"),
        4: _("4e trimestre"),
    }
    return names.get(number, str(number))
