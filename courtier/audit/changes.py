"""An event's before/after as a reader sees it: one row per changed field, with its French label
and its values formatted (money from cents, « 1er décembre 2026 », Oui/Non, choices by their
labels, lists joined). The stored JSON stays as recorded: only its reading changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.audit import labels
from courtier.core import formatting

EMPTY = "—"
VALUE_SHOWN_UP_TO = 2000  # characters: a sheet's whole content stays readable, never endless
ITEMS_SHOWN_UP_TO = 50  # items of a list or a nested dict
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


def changes(object_type: str, before: Any, after: Any, *, names: bool = True) -> list[Change]:
    """The fields whose value differs (all of them on a creation or a removal), in the order
    the service recorded them. ``names``: name referenced objects (a query per key: the
    detail page's, not a list's)."""
    model = labels.model_of(object_type)
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before == after:
            return []
        return [
            Change(
                "",
                _("valeur"),
                display(model, "", before, None, names=names),
                display(model, "", after, None, names=names),
            )
        ]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    keys = list(new) + [k for k in old if k not in new]
    rows = []
    for key in keys:
        if key in old and key in new and old[key] == new[key]:
            continue
        shown_before = display(model, key, old.get(key), key in old, names=names)
        shown_after = display(model, key, new.get(key), key in new, names=names)
        if shown_before == shown_after == EMPTY:
            continue  # created or removed empty: nothing to read
        rows.append(Change(key, labels.field_label(object_type, key), shown_before, shown_after))
    return rows


def display(
    model: type[models.Model] | None, key: str, value: Any, present: bool | None, *, names: bool
) -> str:
    """One value as text; ``present`` False means the snapshot did not have the key."""
    if present is False:
        return EMPTY
    text = _reference(model, key, value) if names else None
    if text is None:
        text = _value(model, key, value)
    if len(text) > VALUE_SHOWN_UP_TO:
        return text[:VALUE_SHOWN_UP_TO] + " …"
    return text


def _value(model: type[models.Model] | None, key: str, value: Any, depth: int = 0) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, dict):
        items = list(value.items())
        shown = [
            f"{labels.key_label(key, str(k))} : {_value(None, str(k), v, depth + 1)}"
            for k, v in items[:ITEMS_SHOWN_UP_TO]
        ]
        text = "; ".join(shown + _more(len(items)))
        return f"({text})" if depth else text
    if isinstance(value, list):
        shown = [_value(model, key, v, depth + 1) for v in value[:ITEMS_SHOWN_UP_TO]]
        text = ", ".join(shown + _more(len(value)))
        return f"[{text}]" if depth else text
    choice = _choice_label(_field(model, key), key, value)
    if choice is not None:
        return choice
    if (key.endswith("_cents") or key == "lowest_cents") and _is_int(value):
        return formatting.money(value)
    if isinstance(value, str):
        return _text(value)
    return str(value)


def _text(value: str) -> str:
    if ISO_DATE.match(value):
        try:
            return formatting.long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if ISO_MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(moment):
            return formatting.long_date(moment.date())
        return formatting.moment(moment)
    return value


def _choice_label(field: Any, key: str, value: Any) -> str | None:
    if key in labels.VALUE_LABELS and str(value) in labels.VALUE_LABELS[key]:
        return str(labels.VALUE_LABELS[key][str(value)])
    if getattr(field, "choices", None):
        for code, label in field.flatchoices:
            if str(code) == str(value):
                return str(label)
    return None


def _reference(model: type[models.Model] | None, key: str, value: Any) -> str | None:
    """« Fournisseur D (n° 12) » for a key holding primary keys (a foreign key of the event's
    model, or REFERENCE_KEYS); one query per key, on the detail page only. None otherwise."""
    ids = value if isinstance(value, list) else [value]
    if not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return None
    field = _field(model, key)
    target: Any = None
    if field is not None and getattr(field, "many_to_one", False):
        target = field.related_model
    elif field is None and key in labels.REFERENCE_KEYS:
        target = labels.model_of(labels.REFERENCE_KEYS[key])
    if target is None:
        return None
    names = {o.pk: str(o) for o in target._default_manager.filter(pk__in=ids[:ITEMS_SHOWN_UP_TO])}
    shown = [
        f"{names[i]} ({_('n°')} {i})" if i in names else f"{_('n°')} {i}"
        for i in ids[:ITEMS_SHOWN_UP_TO]
    ]
    return ", ".join(shown + _more(len(ids)))


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None or not key:
        return None
    try:
        return model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist: a key the service computed
        return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())


def _more(count: int) -> list[str]:
    if count <= ITEMS_SHOWN_UP_TO:
        return []
    return [_("et %(n)s de plus") % {"n": count - ITEMS_SHOWN_UP_TO}]
