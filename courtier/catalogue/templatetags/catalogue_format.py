"""Filters for Catalogue pages and emails: money in cents, labels of sections and fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from courtier.catalogue import labels
from courtier.catalogue.models import BillingFrequency, ComponentKind, OfferStatus, Unit

register = template.Library()

_CHOICES: dict[str, dict[str, str]] = {
    "unit": dict(Unit.choices),
    "billing_frequency": dict(BillingFrequency.choices),
    "status": dict(OfferStatus.choices),
    "kind": dict(ComponentKind.choices) | labels.DOCUMENT_KIND_LABELS | labels.CONTACT_KIND_LABELS,
}


@register.filter
def money(cents: Any) -> str:
    """12345 -> "123,45 $" in French, "$123.45" style digits in English (locale aware)."""
    if cents is None or cents == "":
        return ""
    amount = Decimal(int(cents)) / 100
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} $"


@register.filter
def percent_bp(basis_points: Any) -> str:
    """350 -> "3,50 %"."""
    if basis_points is None or basis_points == "":
        return ""
    value = Decimal(int(basis_points)) / 100
    return f"{number_format(value, decimal_pos=2, use_l10n=True)} %"


@register.filter
def section_label(name: str) -> str:
    return str(labels.SECTION_LABELS.get(name, name))


@register.filter
def field_label(name: str) -> str:
    return str(labels.FIELD_LABELS.get(name, name))


@register.filter
def change_label(name: str) -> str:
    return str(labels.CHANGE_LABELS.get(name, name))


@register.filter
def value_label(value: Any, field: str) -> str:
    """A stored value as a person reads it: choices by their label, booleans as oui/non."""
    from django.utils.translation import gettext as _

    if field == "unit_price_cents":
        return money(value)
    if field == "max_yearly_increase_bp":
        return percent_bp(value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(_CHOICES.get(field, {}).get(value, value))
