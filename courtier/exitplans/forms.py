"""The forms of the exit plan pages (002 §4.9): every value a person types goes through the same
validators as the API's (``core.validation``); the services check the rules, and their
refusals are shown at the field and in the summary on top."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.core.validation import AsciiIntegerField, BoundedDateField, check_text
from courtier.exitplans import rules

BLANK_ROWS = 3  # empty activity rows offered beyond the plan's own


class Form(forms.Form):
    """A form of the plan page, whose fields' ids start with ``ids``."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return BoundedDateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanForm(Form):
    """The plan's content: the follow-up, the new supplier's contract, the activities in
    repeated rows (a row without a name nor dates is left out)."""

    ids = "plan"

    warning_months = AsciiIntegerField(
        label=_("Préavis de sortie (mois avant la fin du contrat)"),
        min_value=1,
        max_value=rules.MAX_EXIT_WARNING_MONTHS,
    )
    same_supplier = forms.TypedChoiceField(
        label=_("Le contrat suivant est conclu"),
        choices=[("1", _("avec le même fournisseur")), ("0", _("avec un nouveau fournisseur"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    none_needed = forms.BooleanField(
        label=_("Aucune activité de transition à la sortie n'est nécessaire (même fournisseur)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        files_choices: list[tuple[int, str]],
        contracts_choices: list[tuple[int, str]],
        rows: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_file"] = forms.TypedChoiceField(
            label=_("Dossier d'acquisition suivant"),
            required=False,
            choices=[("", "—"), *((str(pk), label) for pk, label in files_choices)],
            coerce=int,
            empty_value=None,
        )
        self.fields["new_contract"] = forms.TypedChoiceField(
            label=_("Contrat du nouveau fournisseur"),
            required=False,
            choices=[("", "—"), *((str(pk), label) for pk, label in contracts_choices)],
            coerce=int,
            empty_value=None,
        )
        self.rows: list[tuple[Any, ...]] = []
        for i in range(min(rows, rules.MAX_ACTIVITIES)):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Activité"),
                required=False,
                max_length=rules.MAX_NAME_LENGTH,
                validators=[check_text],
            )
            self.fields[f"start_{i}"] = _date(_("Début"), required=False)
            self.fields[f"end_{i}"] = _date(_("Fin (incluse)"), required=False)
            self.rows.append(tuple(self[f"{n}_{i}"] for n in ("name", "start", "end")))
        self.row_count = len(self.rows)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "warning_months": data["warning_months"],
            "same_supplier": data["same_supplier"],
            "none_needed": data["none_needed"],
            "follow_up_file_id": data.get("follow_up_file"),
            "new_contract_id": data.get("new_contract"),
        }

    def activities(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found = []
        for i in range(self.row_count):
            row = {
                "name": data.get(f"name_{i}") or "",
                "start_on": data.get(f"start_{i}"),
                "end_on": data.get(f"end_{i}"),
            }
            if row["name"] or row["start_on"] or row["end_on"]:
                found.append(row)
        return found


def plan_initial(plan: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "warning_months": plan.warning_months,
        "same_supplier": "1" if plan.same_supplier else "0",
        "none_needed": plan.none_needed,
        "follow_up_file": plan.follow_up_file_id or "",
        "new_contract": plan.new_contract_id or "",
    }
    for i, a in enumerate(plan.activities.all()):
        initial |= {f"name_{i}": a.name, f"start_{i}": a.start_on, f"end_{i}": a.end_on}
    return initial


class CommentForm(Form):
    ids = "retour"

    comment = forms.CharField(
        label=_("Commentaire (ce qui doit être corrigé)"),
        max_length=rules.MAX_TEXT_LENGTH,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DoneForm(Form):
    ids = "faite"

    activity = AsciiIntegerField(label=_("Activité"), min_value=1, widget=forms.HiddenInput)
    done_on = _date(_("Faite le"), required=False)
