"""The forms of the service acquisition pages (002 §3): every value a person types goes through
the same validators as the API's (``core.validation``), and the services check the rules."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.forms import AmountField, cents_to_dollars
from courtier.core.formatting import decimal
from courtier.core.validation import AsciiIntegerField, BoundedDateField, check_text
from courtier.files.uploads import document_field
from courtier.pricerequests import rules
from courtier.pricerequests.models import NonParticipationReason, Remuneration

MAX_CRITERIA_ROWS = 4
MAX_LINE_ROWS = 6


def _text(
    label: Any,
    *,
    required: bool = False,
    limit: int = rules.MAX_TEXT_LENGTH,
    rows: int = 3,
    **kw: Any,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def slug(label: str) -> str:
    """A criterion's code from its label: « Bilan carbone » -> « bilan-carbone »."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "critere"


class FileCreateForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, validators=[check_text])
    client = forms.TypedChoiceField(label=_("Organisme client"), coerce=int, choices=())

    def __init__(self, *args: Any, clients: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]
        if len(clients) == 1:
            self.fields["client"].widget = forms.HiddenInput()
            self.fields["client"].initial = clients[0].pk


class NeedsForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200, validators=[check_text])
    duration_months = AsciiIntegerField(
        label=_("Durée du contrat (mois, renouvellements compris)"),
        required=False,
        min_value=1,
        max_value=rules.MAX_DURATION_MONTHS,
    )
    schedule = _text(_("Échéancier du projet"))
    remuneration = forms.ChoiceField(
        label=_("Mode de rémunération"),
        required=False,
        choices=[("", "—"), *Remuneration.choices],
        help_text=_("Taux horaire ou prix forfaitaire (002 §3.1)."),
    )
    current_context = _text(_("Contexte technologique actuel"))
    target_context = _text(_("Situation cible"))
    activities = _text(_("Activités à réaliser"))
    deliverables = _text(_("Biens livrables"))
    responsibilities = _text(_("Partage des responsabilités entre l'organisme et le prestataire"))
    payment_terms = _text(_("Modalités de paiement"))
    penalties = _text(_("Pénalités"), help_text=_("« Aucune » s'il n'y en a pas."))


class QualificationsForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Qualifications"), required=False, widget=forms.CheckboxSelectMultiple
    )
    scope_confirmed = forms.BooleanField(
        label=_(
            "Je confirme que le besoin fait partie de la portée des qualifications choisies "
            "(« Descriptif des services par qualification »)."
        ),
        required=False,
    )

    def __init__(self, *args: Any, qualifications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(q.code, q.name) for q in qualifications]


class ProviderForm(forms.Form):
    provider = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ExcludeForm(ProviderForm):
    reason = _text(
        _("Raison écrite et objective"), required=True, limit=rules.MAX_REASON_LENGTH, rows=2
    )


class RequestForm(forms.Form):
    """The request on the broker's template: one field per section, then the criteria besides
    price (never weighted), the documents asked for, the summary and the estimate."""

    summary = _text(_("Résumé du besoin (pour le Courtier)"), rows=3)
    estimated = AmountField(label=_("Montant estimé du contrat ($)"), required=False, max_length=30)
    documents_asked = _text(
        _("Documents demandés aux prestataires (un par ligne)"), rows=2, limit=2000
    )

    def __init__(self, *args: Any, template: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_codes = []
        for section in template.sections:
            name = f"section_{section['code']}"
            self.section_codes.append((name, section["code"]))
            self.fields[name] = _text(
                section["title"], help_text=section.get("instructions", ""), rows=4
            )
        for index in range(MAX_CRITERIA_ROWS):
            self.fields[f"criterion_{index}"] = forms.CharField(
                label=_("Critère autre que le prix n° %(n)s") % {"n": index + 1},
                required=False,
                max_length=300,
                validators=[check_text],
            )
            self.fields[f"environmental_{index}"] = forms.BooleanField(
                label=_("Indicateur environnemental (en atout)"), required=False
            )

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(name, "") for name, code in self.section_codes}

    def criteria(self) -> list[dict[str, Any]]:
        found = []
        for index in range(MAX_CRITERIA_ROWS):
            label = self.cleaned_data.get(f"criterion_{index}", "").strip()
            if label:
                found.append(
                    {
                        "code": slug(label),
                        "label": label,
                        "environmental": self.cleaned_data.get(f"environmental_{index}", False),
                    }
                )
        return found

    def documents(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["documents_asked"].splitlines()
            if line.strip()
        ]


def request_initial(request: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "summary": request.summary,
        "estimated": cents_to_dollars(request.estimated_cents),
        "documents_asked": "\n".join(request.documents_asked),
    }
    for code, text in request.sections.items():
        initial[f"section_{code}"] = text
    for index, criterion in enumerate(request.criteria[:MAX_CRITERIA_ROWS]):
        initial[f"criterion_{index}"] = criterion["label"]
        initial[f"environmental_{index}"] = criterion["environmental"]
    return initial


class ChangeForm(forms.Form):
    def __init__(self, *args: Any, template: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in template.sections:
            self.fields[f"section_{section['code']}"] = _text(section["title"], rows=4)

    def sections(self) -> dict[str, str]:
        return {
            name.removeprefix("section_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }


class SendForm(forms.Form):
    deadline_on = BoundedDateField(
        label=_("Date limite de réponse"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("De 10 à 15 jours ouvrables après l'envoi ; jamais prolongée (002 §3.3.3)."),
    )
    deadline_time = forms.TimeField(
        label=_("Heure limite"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    question_cutoff_on = BoundedDateField(
        label=_("Dernier jour des questions écrites"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReasonForm(forms.Form):
    reason = _text(_("Motif"), required=True, limit=rules.MAX_REASON_LENGTH, rows=2)


class CommentForm(forms.Form):
    comment = _text(
        _("Commentaire au client"), required=True, limit=rules.MAX_REASON_LENGTH, rows=3
    )


class AnswerForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = _text(
        _("Réponse publiée à tous les prestataires sollicités"),
        required=True,
        limit=rules.MAX_QUESTION_LENGTH,
    )


class CompletenessForm(forms.Form):
    response = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    complete = forms.TypedChoiceField(
        label=_("La réponse est-elle complète ?"),
        choices=[("1", _("Complète")), ("0", _("Incomplète"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = _text(_("Note"), limit=rules.MAX_REASON_LENGTH, rows=2)


class ChoiceForm(forms.Form):
    response = forms.TypedChoiceField(label=_("Réponse retenue"), coerce=int, choices=())
    criteria = forms.MultipleChoiceField(
        label=_("Critères déclarés dans la demande sur lesquels le choix repose"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    justification = _text(_("Justification (si ce n'est pas le prix le plus bas)"))

    def __init__(
        self, *args: Any, responses: list[Any], criteria: list[dict], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = [
            (r.pk, f"{r.solicitation.provider.name}") for r in responses
        ]
        self.fields["criteria"].choices = [(c["code"], c["label"]) for c in criteria]


class OptionsForm(forms.Form):
    own_rule = _text(_("Règle interne de l'organisme (non assujetti au RCTI)"))
    follows_single_provider_advice = forms.BooleanField(
        label=_(
            "Un seul prestataire sollicité : suivre la recommandation du Courtier d'obtenir "
            "l'autorisation du dirigeant"
        ),
        required=False,
    )


class HeadForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("Critères déclarés"), required=False, widget=forms.CheckboxSelectMultiple
    )
    justification = _text(_("Justification"), required=True)
    head_name = forms.CharField(
        label=_("Dirigeant d'organisme"), max_length=200, validators=[check_text]
    )
    authorised_on = BoundedDateField(
        label=_("Autorisé le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    document = document_field(_("Autorisation signée"))

    def __init__(self, *args: Any, criteria: list[dict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(c["code"], c["label"]) for c in criteria]


class FinancialForm(forms.Form):
    amount = AmountField(label=_("Montant autorisé ($)"), max_length=30)
    authorised_on = BoundedDateField(
        label=_("Autorisé le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    authorised_by_name = forms.CharField(
        label=_("Autorisé par"), max_length=200, validators=[check_text]
    )
    reference = forms.CharField(
        label=_("Référence interne"), max_length=100, required=False, validators=[check_text]
    )


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=30, widget=forms.HiddenInput)


class TemplateForm(forms.Form):
    sections = _text(
        _("Sections (une par ligne : titre | instructions)"), required=True, limit=20000, rows=12
    )

    def parsed(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["sections"].splitlines():
            if line.strip():
                title, _sep, instructions = line.partition("|")
                rows.append(
                    {
                        "code": slug(title),
                        "title": title.strip(),
                        "instructions": instructions.strip(),
                    }
                )
        return rows


# --- the provider's side --------------------------------------------------------------------------


class QuestionForm(forms.Form):
    text = _text(_("Votre question"), required=True, limit=rules.MAX_QUESTION_LENGTH)


class ResponseForm(forms.Form):
    """The price in the request's mode (hourly rates and hours per activity, or a lump sum) and
    the answers to the criteria the request declared."""

    def __init__(self, *args: Any, mode: str, criteria: list[dict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == rules.Remuneration.LUMP_SUM:
            self.fields["lump_sum"] = AmountField(label=_("Prix forfaitaire ($)"), max_length=30)
        else:
            for index in range(MAX_LINE_ROWS):
                self.fields[f"activity_{index}"] = forms.CharField(
                    label=_("Activité"), required=False, max_length=300, validators=[check_text]
                )
                self.fields[f"rate_{index}"] = AmountField(
                    label=_("Taux horaire ($)"), required=False, max_length=30
                )
                self.fields[f"hours_{index}"] = forms.CharField(
                    label=_("Heures estimées"), required=False, max_length=20
                )
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion['code']}"] = _text(criterion["label"], rows=2)

    def line_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"activity_{i}"], self[f"rate_{i}"], self[f"hours_{i}"])
            for i in range(MAX_LINE_ROWS)
            if f"activity_{i}" in self.fields
        ]

    def criterion_fields(self) -> list[Any]:
        return [self[f"criterion_{c['code']}"] for c in self.criteria]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "criteria_answers": {
                c["code"]: data.get(f"criterion_{c['code']}", "")
                for c in self.criteria
                if data.get(f"criterion_{c['code']}", "").strip()
            }
        }
        if self.mode == rules.Remuneration.LUMP_SUM:
            values["lump_sum_cents"] = data.get("lump_sum")
            values["lines"] = []
            return values
        values["lines"] = [
            {
                "activity": data.get(f"activity_{i}", ""),
                "rate_cents": data.get(f"rate_{i}") or 0,
                "hours": data.get(f"hours_{i}", ""),
            }
            for i in range(MAX_LINE_ROWS)
            if data.get(f"activity_{i}") or data.get(f"rate_{i}") or data.get(f"hours_{i}")
        ]
        return values


def response_initial(response: Any) -> dict[str, Any]:
    if response is None:
        return {}
    initial: dict[str, Any] = {}
    for index, line in enumerate(response.lines[:MAX_LINE_ROWS]):
        initial[f"activity_{index}"] = line["activity"]
        initial[f"rate_{index}"] = cents_to_dollars(line["rate_cents"])
        # Read back by rules.parse_hours (« 12,5 » or 12.5): ungrouped, at most two decimals.
        initial[f"hours_{index}"] = decimal(line["hours"], 2, min_places=0)
    if response.lump_sum_cents:
        initial["lump_sum"] = cents_to_dollars(response.lump_sum_cents)
    for code, text in response.criteria_answers.items():
        initial[f"criterion_{code}"] = text
    return initial


class ResponseDocumentForm(forms.Form):
    asked = forms.ChoiceField(label=_("Document demandé"), choices=())
    document = document_field(_("Fichier"))

    def __init__(self, *args: Any, asked: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked"].choices = [(a, a) for a in asked]


class NonParticipationForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Pourquoi n'avez-vous pas répondu ?"),
        choices=NonParticipationReason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = _text(_("Commentaire"), limit=rules.MAX_REASON_LENGTH)
