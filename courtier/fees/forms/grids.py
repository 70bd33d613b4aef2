"""The form of a fee grid version (issue 15 §1): its effective date, notes and lines in a fixed
number of rows (a blank row is ignored). Amounts are typed in dollars (« 1 250,00 ») and go
through ``core.validation.dollars_to_cents``; a rate is typed in percent (« 1,5 » is 150 basis
points). The service checks the brackets and answers under « lines »."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.core import formatting
from courtier.core.validation import BoundedDateField, check_text, dollars_to_cents
from courtier.fees import messages, rules
from courtier.fees.models import FeeGrid, FeeType

ROWS = 8  # the rows offered (a grid holds a few lines: one or a few brackets per fee type)
# A rate in percent: digits, at most two decimals after a comma or a point (« 1,5 », « 0.25 »).
_RATE = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{1,2})?", re.ASCII)
_NOISE = re.compile(r"[\s\u00a0\u202f%]")


def rate_to_bp(text: str) -> int:
    """« 1,5 » or « 1.5 % » -> 150 basis points (hundredths of a percent). Raises
    ValidationError(RATE_INVALID) for anything else (letters, exponents, three decimals)."""
    cleaned = _NOISE.sub("", text or "")
    if not _RATE.fullmatch(cleaned):
        raise ValidationError(messages.RATE_INVALID, code="rate")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the shape above is always readable
        raise ValidationError(messages.RATE_INVALID, code="rate") from None
    return int((value * 100).to_integral_value())


def cents_text(cents: int | None) -> str:
    """Cents as a person types them back (« 1250,00 »: no grouping, the language's comma)."""
    if cents is None:
        return ""
    return formatting.decimal(Decimal(int(cents)) / 100)


def bp_text(bp: int | None) -> str:
    if not bp:
        return ""
    return formatting.decimal(Decimal(int(bp)) / 100, min_places=0)


class GridForm(forms.Form):
    effective_on = BoundedDateField(
        label=gettext_lazy("En vigueur le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, rows: int = ROWS, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "grille_%s")
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Any, ...]] = []
        self.row_count = min(rows, rules.MAX_LINES_PER_GRID)
        for i in range(self.row_count):
            n = i + 1
            self.fields[f"fee_type_{i}"] = forms.ChoiceField(
                label=_("Ligne {n} : type de frais").format(n=n),
                required=False,
                choices=[("", "—"), *FeeType.choices],
            )
            for name, label in (
                ("from", _("Ligne {n} : à partir de ($)")),
                ("to", _("Ligne {n} : jusqu'à ($, exclu ; vide : sans limite)")),
                ("flat", _("Ligne {n} : montant fixe ($)")),
                ("rate", _("Ligne {n} : taux (%)")),
            ):
                self.fields[f"{name}_{i}"] = forms.CharField(
                    label=label.format(n=n),
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
                )
            self.rows.append(
                tuple(self[f"{name}_{i}"] for name in ("fee_type", "from", "to", "flat", "rate"))
            )
        self.lines: list[dict[str, Any]] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.lines = []
        for i in range(self.row_count):
            typed = {
                name: (data.get(f"{name}_{i}") or "").strip()
                for name in ("fee_type", "from", "to", "flat", "rate")
            }
            if not any(typed.values()):
                continue  # a blank row
            if not typed["fee_type"]:
                self.add_error(f"fee_type_{i}", messages.FEE_TYPE_INVALID)
            line: dict[str, Any] = {"fee_type": typed["fee_type"]}
            for name in ("from", "to", "flat"):
                try:
                    line[f"{name}_cents"] = dollars_to_cents(typed[name]) if typed[name] else None
                except ValidationError as refused:
                    self.add_error(f"{name}_{i}", refused)
            try:
                line["rate_bp"] = rate_to_bp(typed["rate"]) if typed["rate"] else 0
            except ValidationError as refused:
                self.add_error(f"rate_{i}", refused)
            line["from_cents"] = line.get("from_cents") or 0
            line["flat_cents"] = line.get("flat_cents") or 0
            self.lines.append(line)
        return data

    def values(self) -> dict[str, Any]:
        return {
            "effective_on": self.cleaned_data["effective_on"],
            "notes": self.cleaned_data.get("notes") or "",
            "lines": self.lines,
        }


def grid_initial(grid: FeeGrid) -> dict[str, Any]:
    initial: dict[str, Any] = {"effective_on": grid.effective_on, "notes": grid.notes}
    for i, line in enumerate(grid.lines.all()):
        initial |= {
            f"fee_type_{i}": line.fee_type,
            f"from_{i}": cents_text(line.from_cents),
            f"to_{i}": cents_text(line.to_cents),
            f"flat_{i}": cents_text(line.flat_cents) if line.flat_cents else "",
            f"rate_{i}": bp_text(line.rate_bp),
        }
    return initial
