"""The broker's records page: its filters (each value a code, so a filtered list is a URL), the
approval of a disposal, placing and lifting a legal hold (French labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Organisation
from courtier.documents import selectors, types
from courtier.documents.models import DocumentStatus

ANY = [("", _("Tous"))]
HELD_CHOICES = [("", _("Tous")), ("yes", _("Bloqués")), ("no", _("Non bloqués"))]


class RecordFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type de document"), required=False)
    owner = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    disposal_before = forms.DateField(
        label=_("Disposition au plus tard le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(label=_("État"), required=False)
    held = forms.ChoiceField(label=_("Blocage juridique"), required=False, choices=HELD_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = ANY + types.choices()
        self.fields["status"].choices = ANY + list(DocumentStatus.choices)
        self.fields["owner"].choices = ANY + [
            (str(pk), name) for pk, name in Organisation.objects.values_list("pk", "name")
        ]

    def filters(self) -> selectors.DocumentFilters:
        data = self.cleaned_data
        held = {"yes": True, "no": False}.get(data.get("held") or "")
        return selectors.DocumentFilters(
            type=data.get("type") or None,
            owner=data.get("owner"),
            disposal_before=data.get("disposal_before"),
            status=data.get("status") or None,
            held=held,
        )


class DisposalForm(forms.Form):
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents à éliminer"),
        coerce=int,
        error_messages={"required": _("Choisissez au moins un document à éliminer.")},
    )
    method = forms.CharField(
        label=_("Mode de disposition"),
        max_length=500,
        initial=_(
            "Destruction logique et effacement physique du contenu numérique (réécriture du "
            "stockage)"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le mode de disposition.")},
    )

    def __init__(self, *args: Any, due_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(str(pk), str(pk)) for pk in due_ids]


class HoldForm(forms.Form):
    DOCUMENT, SUBJECT = "document", "subject"
    scope = forms.ChoiceField(
        label=_("Portée du blocage"),
        choices=[
            ("document", _("Ce document seulement")),
            ("subject", _("Tous les documents de l'objet auquel il appartient")),
        ],
        initial="document",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : litige, demande d'accès, enquête ou vérification en cours."),
        error_messages={"required": _("Indiquez le motif du blocage juridique.")},
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la levée"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la levée du blocage.")},
    )
