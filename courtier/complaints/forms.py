"""The forms of the complaint pages (issue 14 §1; 002 §4.6): every value a person types goes
through the same validators as the API's; the services check the rules (the links each category
needs) and their refusals are shown at the field and in the summary on top."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.complaints import rules
from courtier.complaints.models import ComplaintCategory
from courtier.complaints.services.complaints import SUBJECT_LENGTH, TEXT_LENGTH
from courtier.core.validation import check_text
from courtier.files.uploads import document_field

_LINK_WORDS = {
    rules.Link.CONTRACT: _("le contrat"),
    rules.Link.OFFER: _("l'offre"),
    rules.Link.SUPPLIER: _("le fournisseur ou prestataire"),
}


def link_help() -> list[tuple[str, str]]:
    """What each category is linked to (DOMAIN §5.6; rules.LINK_RULES), said in French."""
    found = []
    for value, label in ComplaintCategory.choices:
        rule = rules.LINK_RULES[value]
        parts = []
        if rule.required:
            parts.append(
                str(_("requis : %(links)s"))
                % {"links": ", ".join(str(_LINK_WORDS[x]) for x in sorted(rule.required))}
            )
        if rule.one_of:
            parts.append(
                str(_("requis : %(links)s"))
                % {"links": str(_(" ou ")).join(str(_LINK_WORDS[x]) for x in sorted(rule.one_of))}
            )
        optional = rule.allowed - rule.required - rule.one_of
        if optional:
            parts.append(
                str(_("facultatif : %(links)s"))
                % {"links": ", ".join(str(_LINK_WORDS[x]) for x in sorted(optional))}
            )
        found.append((str(label), "; ".join(parts) or str(_("aucun lien"))))
    return found


def _optional_choice(label: Any, choices: list[tuple[int, str]], help_text: Any = "") -> Any:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *choices],
        help_text=help_text,
    )


class ComplaintForm(forms.Form):
    """A feedback or a complaint of a client's people (002 §4.6)."""

    def __init__(
        self,
        *args: Any,
        clients: list[tuple[int, str]],
        contracts: list[tuple[int, str]],
        offers: list[tuple[int, str]],
        suppliers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "plainte_%s")
        super().__init__(*args, **kwargs)
        self.fields["client"] = forms.TypedChoiceField(
            label=_("Organisme"), coerce=int, choices=clients, initial=clients[0][0]
        )
        if len(clients) == 1:
            self.fields["client"].widget = forms.HiddenInput()
        self.fields["category"] = forms.ChoiceField(
            label=_("Catégorie"),
            choices=[("", "—"), *ComplaintCategory.choices],
            help_text=_(
                "Les suggestions d'amélioration n'ont pas toujours de lien ; une plainte sur un "
                "fournisseur se rattache à lui et à son contrat, une plainte sur une solution à "
                "son offre (voir le tableau)."
            ),
        )
        self.fields["subject"] = forms.CharField(
            label=_("Objet"), max_length=SUBJECT_LENGTH, validators=[check_text]
        )
        self.fields["description"] = forms.CharField(
            label=_("Description"),
            max_length=TEXT_LENGTH,
            validators=[check_text],
            widget=forms.Textarea(attrs={"rows": 5}),
        )
        self.fields["contract"] = _optional_choice(
            _("Contrat spécifique"), contracts, _("Un contrat de votre organisme.")
        )
        self.fields["offer"] = _optional_choice(_("Offre du Catalogue"), offers)
        self.fields["supplier"] = _optional_choice(
            _("Fournisseur ou prestataire"),
            suppliers,
            _("Laissé vide, c'est celui du contrat ou de l'offre choisis."),
        )
        self.fields["document"] = document_field(_("Document (facultatif)"), required=False)


class AssignForm(forms.Form):
    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assigner_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = forms.TypedChoiceField(
            label=_("Responsable au Courtier"), coerce=int, choices=[("", "—"), *people]
        )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Réponse au client"),
        max_length=TEXT_LENGTH,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reponse_%s")
        super().__init__(*args, **kwargs)
