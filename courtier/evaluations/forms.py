"""The forms of the evaluation pages (002 §4.8): the grid's new version, a campaign's opening,
the client's grid (a score per criterion and a comment), and the end-of-contract evaluation's
statement, report, head's signature (in the platform or on paper) and signed copy. The services
check the rules; their refusals are shown at the field and in the summary on top."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.core.validation import AsciiIntegerField, BoundedDateField, check_text
from courtier.evaluations import rules
from courtier.files.uploads import document_field

CRITERION_ROWS = 8  # rows of the grid version form (rules.MAX_CRITERIA at most)


class Form(forms.Form):
    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


def _comment(label: Any, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=rules.MAX_COMMENT_LENGTH,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return BoundedDateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class GridVersionForm(Form):
    """A new version of the grid: its scale and up to eight criteria with their weights."""

    ids = "grille"

    scale_min = AsciiIntegerField(label=_("Note minimale"), initial=1, min_value=0, max_value=99)
    scale_max = AsciiIntegerField(label=_("Note maximale"), initial=5, min_value=1, max_value=100)
    note = _comment(_("Note de version"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, CRITERION_ROWS + 1):
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("Critère %(n)s") % {"n": i}, required=False, max_length=200
            )
            self.fields[f"weight_{i}"] = forms.DecimalField(
                label=_("Pondération du critère %(n)s (%%)") % {"n": i},
                required=False,
                min_value=0,
                max_digits=5,
                decimal_places=2,
            )

    def criteria(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {"label": d.get(f"label_{i}") or "", "weight": d.get(f"weight_{i}") or ""}
            for i in range(1, CRITERION_ROWS + 1)
        ]

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"label_{i}"], self[f"weight_{i}"]) for i in range(1, CRITERION_ROWS + 1)]


class CampaignForm(Form):
    """A campaign (002 §4.8.1): the supplier or provider, the year, the due date."""

    ids = "campagne"

    supplier = forms.ModelChoiceField(
        label=_("Fournisseur ou prestataire"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER], is_active=True
        ).order_by("name"),
    )
    year = AsciiIntegerField(label=_("Année évaluée"), min_value=2000, max_value=2100)
    due_on = _date(_("Date limite des réponses"))


class EvaluationForm(Form):
    """The client's grid: a score per criterion on the version's scale, an optional comment on
    each, and a general comment. Every score may be left empty while saving (the service
    requires them all on submission)."""

    ids = "evaluation"

    def __init__(self, *args: Any, scores: list[Any], scale: tuple[int, int], **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        choices = [("", _("— choisir —"))] + [
            (str(n), str(n)) for n in range(scale[0], scale[1] + 1)
        ]
        self.criterion_rows = []
        for s in scores:
            key = s.criterion.key
            self.fields[f"score_{key}"] = forms.ChoiceField(
                label=_("%(label)s (%(weight)s %%)")
                % {
                    "label": s.criterion.label,
                    "weight": str(s.criterion.weight).rstrip("0").rstrip("."),
                },
                choices=choices,
                required=False,
            )
            self.fields[f"comment_{key}"] = _comment(
                _("Commentaire — %(label)s") % {"label": s.criterion.label}
            )
            initial.setdefault(f"score_{key}", "" if s.score is None else str(s.score))
            initial.setdefault(f"comment_{key}", s.comment)
            self.criterion_rows.append((self[f"score_{key}"], self[f"comment_{key}"]))
        self.fields["general_comment"] = _comment(_("Commentaire général"), rows=4)
        self.keys = [s.criterion.key for s in scores]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "scores": {k: d.get(f"score_{k}") or None for k in self.keys},
            "comments": {k: d.get(f"comment_{k}") or "" for k in self.keys},
            "general_comment": d.get("general_comment") or "",
        }


class DeclareForm(Form):
    ids = "requise"

    required = forms.TypedChoiceField(
        label=_("L'article 82 du RCTI requiert-il l'évaluation de ce contrat ?"),
        choices=[("1", _("Oui")), ("0", _("Non"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class ReportForm(Form):
    ids = "rapport"

    report = document_field(_("Rapport d'évaluation du rendement (PDF)"))


class HeadSignForm(Form):
    ids = "dirigeant"

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signer exige de confirmer votre identité."),
    )


class PaperSignatureForm(Form):
    ids = "papier"

    signed_on = _date(_("Date de la signature du dirigeant"))
    report = document_field(_("Rapport signé (PDF), s'il est numérisé"), required=False)
