"""Filters for Catalogue pages and emails: labels of sections, fields and stored values (money
and dates are core's: courtier_format)."""

from __future__ import annotations

from typing import Any

from django import template

from courtier.catalogue import labels
from courtier.catalogue.models import BillingFrequency, ComponentKind, OfferStatus, Unit
from courtier.core.formatting import money, percent_bp

register = template.Library()

_CHOICES: dict[str, dict[str, str]] = {
    "unit": dict(Unit.choices),
    "billing_frequency": dict(BillingFrequency.choices),
    "status": dict(OfferStatus.choices),
    "kind": dict(ComponentKind.choices) | labels.DOCUMENT_KIND_LABELS | labels.CONTACT_KIND_LABELS,
}


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
