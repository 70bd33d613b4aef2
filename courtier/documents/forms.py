"""The broker's records page: its filters (each value a code, so a filtered list is a URL), the
approval of a disposal, placing and lifting a legal hold; the verification of a document against
the broker's stamp (French labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Organisation
from courtier.documents import messages, rules, selectors, types, verification
from courtier.documents.models import DocumentStatus
from courtier.files.uploads import document_field

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


class TransmissionRequestForm(forms.Form):
    """The broker asks a client for a document of one object (posted from its documents panel)."""

    subject_type = forms.IntegerField(widget=forms.HiddenInput)
    subject_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    type = forms.ChoiceField(label=_("Document demandé"))
    due_on = forms.DateField(
        label=_("À transmettre au plus tard le"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Indiquez l'échéance."), "invalid": _("Date invalide.")},
    )
    note = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = types.choices()


class TransmissionAnswerForm(forms.Form):
    """The client's answer: one of its kept documents of that object, or a file it sends."""

    document = forms.TypedChoiceField(
        label=_("Document déjà conservé"), required=False, coerce=int, empty_value=None
    )
    file = document_field(_("Ou joindre le fichier"), required=False)

    def __init__(self, *args: Any, documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("(aucun)"))] + [
            (str(d.pk), f"{d.title} ({d.type_label})") for d in documents
        ]
        self.documents = {d.pk: d for d in documents}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and (data.get("document") is None) == (data.get("file") is None):
            raise forms.ValidationError(messages.ONE_ANSWER)
        return data


class VerifyForm(forms.Form):
    """A PDF to check against the broker's stamp, or the verification code printed on it."""

    file = forms.FileField(
        label=_("Document PDF à vérifier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Il est lu pour la vérification, sans être conservé."),
    )
    code = forms.CharField(
        label=_("Ou code de vérification"),
        required=False,
        max_length=40,
        help_text=_("Imprimé sur le cachet du Courtier, par exemple K7QM-42XP-9D."),
    )

    def clean_file(self) -> bytes | None:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        try:
            return verification.pdf_of(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from None

    def clean_code(self) -> str:
        typed = (self.cleaned_data.get("code") or "").strip()
        if not typed:
            return ""
        code = rules.code_read(typed)
        if code is None:
            raise forms.ValidationError(messages.CODE_MALFORMED)
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("file") is None and not data.get("code"):
            self.add_error("file", messages.VERIFY_SOMETHING)
        return data


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal (a ValidationError by field) shown on the form that sent it: on its
    field when the form has one, above the form otherwise."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
