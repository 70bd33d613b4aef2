"""Limits and checks shared by the pages and the API, so that a value one refuses the other
refuses too, with the same French message: amounts of money (ASCII digits, at most two
decimals, within MAX_CENTS), whole numbers (ASCII digits), dates within a sane range, and text
that a database can store (no lone UTF-16 surrogate). The pure checks come first; the Django
form fields that call them follow."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest amount of money read, in cents: within a BigIntegerField (2**63 - 1) and exact in
# every JSON reader (below 2**53), so that what was accepted is always answered as it was typed.
MAX_CENTS = 10**15 - 1
# The dates a person may type: a date in year 1 or 9999 is a typing mistake, and beyond these
# bounds date arithmetic (a deadline, a duration in months) would overflow.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)

AMOUNT_INVALID = _("Indiquez un montant en dollars, par exemple 12 345,67.")
AMOUNT_DECIMALS = _("Un montant a au plus deux décimales (les cents).")
AMOUNT_TOO_LARGE = _("Montant trop élevé : au plus 9 999 999 999 999,99 $.")
NUMBER_ASCII = _("Écrivez les chiffres de 0 à 9.")
DATE_OUT_OF_RANGE = _("Indiquez une date entre le 1er janvier 2000 et le 31 décembre 2100.")
LONE_SURROGATE = _("Le texte contient un caractère invalide (substitut UTF-16 isolé).")

# Spaces a person may put between thousands, and the dollar sign.
_MONEY_NOISE = re.compile(r"[\s\u00a0\u202f$]")
_ASCII_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+", re.ASCII)
_SURROGATES = re.compile("[\ud800-\udfff]")


# --- pure checks ------------------------------------------------------------------------------


def has_lone_surrogate(text: str) -> bool:
    """A lone surrogate (``"\\ud800"``, valid in JSON) cannot be encoded in UTF-8: no database
    stores it and no answer can carry it."""
    return _SURROGATES.search(text) is not None


def non_ascii_digit(text: str) -> bool:
    """Whether ``text`` holds a digit other than 0-9 (« ٣ », « ５ »), which Python's ``int`` and
    ``Decimal`` would read as a number."""
    return any(ch.isdigit() and not ch.isascii() for ch in text)


def amount_problem(cents: int) -> Any:
    """The message for an amount of money in cents out of range, or None."""
    return AMOUNT_TOO_LARGE if abs(cents) > MAX_CENTS else None


def dollars_to_cents(text: str) -> int:
    """« 12 345,67 $ », « 12345.67 » or « 1 000 » -> cents (money is kept in integer cents).
    Only the digits 0-9; at most two decimals; at most MAX_CENTS. Raises ValidationError."""
    cleaned = _MONEY_NOISE.sub("", text or "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if non_ascii_digit(cleaned):
        raise ValidationError(NUMBER_ASCII, code="ascii")
    # The shape is checked before Decimal reads it: no exponent (« 1e308 »), no NaN or infinity.
    if not _ASCII_AMOUNT.fullmatch(cleaned):
        raise ValidationError(AMOUNT_INVALID, code="invalid")
    whole, _sep, fraction = cleaned.partition(".")
    if len(fraction.rstrip("0")) > 2:
        raise ValidationError(AMOUNT_DECIMALS, code="decimals")
    if len(whole.lstrip("-").lstrip("0")) > 13:  # more than MAX_CENTS in dollars
        raise ValidationError(AMOUNT_TOO_LARGE, code="too_large")
    try:
        cents = int((Decimal(cleaned) * 100).to_integral_value())
    except InvalidOperation:  # pragma: no cover - the shape above is always readable
        raise ValidationError(AMOUNT_INVALID, code="invalid") from None
    if amount_problem(cents):
        raise ValidationError(AMOUNT_TOO_LARGE, code="too_large")
    return cents


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def check_date(value: date | None) -> date | None:
    """A date a person typed, on a page or in the API; raises ValidationError beyond the range."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_range")
    return value


def check_text(value: str) -> str:
    """Text a person typed: refuse what no database stores."""
    if has_lone_surrogate(value):
        raise ValidationError(LONE_SURROGATE, code="surrogate")
    return value


# --- form fields ------------------------------------------------------------------------------


class _AsciiDigits:
    """A number field that reads the digits 0-9 only (Python's Decimal and int read « ٣,٥٠ »
    as 3.50 and « ٣ » as 3)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and non_ascii_digit(value):
            raise ValidationError(NUMBER_ASCII, code="ascii")
        return super().to_python(value)  # type: ignore[misc]


class AsciiDecimalField(_AsciiDigits, forms.DecimalField):
    """A decimal number of the digits 0-9 only."""


class AsciiIntegerField(_AsciiDigits, forms.IntegerField):
    """A whole number of the digits 0-9 only."""


class BoundedDateField(forms.DateField):
    """A date between DATE_MIN and DATE_MAX."""

    default_validators = [check_date]
