"""The forms of the publication pages (002 §4.1, §4.7): the values go through the same
validators as the API's (``core.validation``); the services check the rules and their refusals
are shown at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.contracts.models import ContractKind
from courtier.core.validation import BoundedDateField, check_text
from courtier.publication import rules


class Form(forms.Form):
    """A form of the publication page; its fields' ids start with ``ids`` (several forms share
    one page)."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class SheetForm(Form):
    """The client's choices (002 §4.1): UNSPSC codes among those of the kind, the indicator."""

    ids = "fiche"
    unspsc_codes = forms.MultipleChoiceField(
        label=_("Catégories UNSPSC"), widget=forms.CheckboxSelectMultiple, required=False
    )
    responsible_indicator = forms.CharField(
        label=_("Indicateur d'acquisition responsable (s'il y a lieu)"),
        required=False,
        max_length=rules.MAX_INDICATOR_LENGTH,
        validators=[check_text],
        help_text=_("La catégorie utilisée pour faire le choix de l'offre ou du prestataire."),
    )

    def __init__(self, *args: Any, kind: str = ContractKind.SOLUTIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unspsc_codes"].choices = [
            (code, f"{code} – {label}") for code, label in sorted(rules.UNSPSC[kind].items())
        ]


class ChecklistForm(Form):
    ids = "liste"
    checklist = forms.MultipleChoiceField(
        label=_("Ce qui est saisi dans SEAO"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(key, _(label)) for key, label in rules.CHECKLIST],
    )


class PublishForm(Form):
    ids = "publication"
    published_on = BoundedDateField(
        label=_("Publié dans SEAO le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_number = forms.CharField(
        label=_("Numéro de l'avis SEAO (s'il y a lieu)"),
        required=False,
        max_length=rules.MAX_NOTICE_LENGTH,
        validators=[check_text],
    )


class ConsentForm(Form):
    """002 §4.7: the client's person who agrees to be contacted about its experience."""

    ids = "consentement"
    contact = forms.ModelChoiceField(label=_("Personne-ressource"), queryset=None)

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = people


class ConcludedFilterForm(forms.Form):
    """The filters of the list of concluded contracts (a GET form)."""

    client = forms.TypedChoiceField(
        label=_("Organisme client"), required=False, coerce=int, empty_value=None
    )
    supplier = forms.TypedChoiceField(
        label=_("Fournisseur ou prestataire"), required=False, coerce=int, empty_value=None
    )
    nature = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes")), *ContractKind.choices]
    )

    def __init__(self, *args: Any, clients: Any = (), suppliers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", _("Tous")), *((o.pk, o.name) for o in clients)]
        self.fields["supplier"].choices = [("", _("Tous")), *((o.pk, o.name) for o in suppliers)]
