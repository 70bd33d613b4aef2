"""The forms of the contract pages (002 §2.5, §3.5, §4.4, §4.5): every value a person types goes
through the same validators as the API's (``core.validation``); the services check the rules
and their refusals are shown at the field and in the summary on top."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.forms import AmountField, cents_to_dollars
from courtier.contracts import rules
from courtier.contracts.models import EntryKind, Party
from courtier.core.validation import AsciiIntegerField, BoundedDateField, check_text
from courtier.files.uploads import document_field

SIGNATORY_ROWS = 6  # rows of the signatories form (rules.MAX_SIGNATORIES at most)


class Form(forms.Form):
    """A form of the contract page, whose fields' ids start with ``ids`` (several forms share
    field names on one page: a label must point at its own field)."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


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


def _date(label: Any, *, required: bool = True, **kw: Any) -> forms.DateField:
    return BoundedDateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw
    )


class ContractCreateForm(Form):
    """The frozen source a contract is made from (002 §2.5, §3.5): never by hand."""

    ids = "creation"

    source = forms.CharField(max_length=40, widget=forms.HiddenInput)
    start_on = _date(
        _("Date de début"),
        required=False,
        help_text=_("Pour un contrat de services : la date de début prévue."),
    )

    def clean_source(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["source"].partition(":")
        if kind not in ("strategy", "handoff") or not pk.isascii() or not pk.isdigit():
            raise forms.ValidationError(_("Source inconnue."))
        return kind, int(pk)


class TermsForm(Form):
    """What the frozen source leaves open to the broker (002 §2.5 step 5)."""

    ids = "conditions"

    title = forms.CharField(label=_("Objet du contrat"), max_length=300, validators=[check_text])
    start_on = _date(_("Date de début"))
    duration_months = AsciiIntegerField(
        label=_("Durée (mois, reconductions incluses)"),
        min_value=1,
        max_value=rules.MAX_DURATION_MONTHS,
        help_text=_("36 mois au plus, reconductions et avenants compris (002 §4.5)."),
    )
    authorised = AmountField(label=_("Montant total autorisé ($)"))
    price_terms = _text(_("Modalités de prix et de facturation"))
    is_renewal = forms.BooleanField(
        label=_("Reconduction avec le même fournisseur"), required=False
    )
    startup_meeting_needed = forms.TypedChoiceField(
        label=_("Rencontre de démarrage nécessaire (reconduction)"),
        required=False,
        choices=[("", _("— à décider —")), ("1", _("Oui")), ("0", _("Non"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )


def terms_initial(contract: Any) -> dict[str, Any]:
    meeting = contract.startup_meeting_needed
    return {
        "title": contract.title,
        "start_on": contract.start_on,
        "duration_months": contract.duration_months,
        "authorised": cents_to_dollars(contract.authorised_cents),
        "price_terms": contract.price_terms,
        "is_renewal": contract.is_renewal,
        "startup_meeting_needed": "" if meeting is None else ("1" if meeting else "0"),
    }


class EligibilityForm(Form):
    """002 §2.5 step 4: the client's confirmation of the supplier's administrative eligibility."""

    ids = "admissibilite"

    eligibility_confirmed_on = _date(_("Confirmée par le client le"))
    eligibility_note = _text(_("Précisions (courriel, personne qui a confirmé)"), rows=2)


class SignatoriesForm(Form):
    """The client's signatories in their order (its hierarchy), then the supplier's (002 §2.5
    step 8): a person of the platform or a name (signing on paper)."""

    ids = "signataires"

    def __init__(self, *args: Any, people: dict[str, list[tuple[int, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Any, ...]] = []
        for i in range(SIGNATORY_ROWS):
            self.fields[f"party_{i}"] = forms.ChoiceField(
                label=_("Partie"), required=False, choices=[("", "—"), *Party.choices]
            )
            self.fields[f"order_{i}"] = AsciiIntegerField(
                label=_("Ordre"), required=False, min_value=1, max_value=rules.MAX_SIGNATORIES
            )
            choices = [("", _("— signe sur papier —"))]
            for party, label in Party.choices:
                group = [(str(pk), name) for pk, name in people.get(party, [])]
                if group:
                    choices.append((label, group))
            self.fields[f"user_{i}"] = forms.TypedChoiceField(
                label=_("Personne (signe dans la plateforme)"),
                required=False,
                choices=choices,
                coerce=int,
                empty_value=None,
            )
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Nom"), required=False, max_length=200, validators=[check_text]
            )
            self.fields[f"title_{i}"] = forms.CharField(
                label=_("Fonction"), required=False, max_length=200, validators=[check_text]
            )
            self.rows.append(
                tuple(self[f"{n}_{i}"] for n in ("party", "order", "user", "name", "title"))
            )

    def signatories(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "party": data[f"party_{i}"],
                "order": data.get(f"order_{i}") or 1,
                "user_id": data.get(f"user_{i}"),
                "name": data.get(f"name_{i}", ""),
                "title": data.get(f"title_{i}", ""),
            }
            for i in range(SIGNATORY_ROWS)
            if data.get(f"party_{i}")
        ]


def signatories_initial(contract: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    rows = sorted(contract.signatories.all(), key=lambda s: (s.party != Party.CLIENT, s.order))
    for i, s in enumerate(rows[:SIGNATORY_ROWS]):
        initial |= {
            f"party_{i}": s.party,
            f"order_{i}": s.order,
            f"user_{i}": s.user_id or "",
            f"name_{i}": "" if s.user_id else s.name,
            f"title_{i}": s.title,
        }
    return initial


class CommentForm(Form):
    ids = "commentaire"

    comment = _text(_("Commentaire (ce qui doit être corrigé)"), required=True, rows=3)


class SignForm(Form):
    """Signing in the platform: the version the signer saw, and their password again."""

    ids = "signature"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signer exige de confirmer votre identité."),
    )


class PaperSignatureForm(Form):
    """A signature made on paper, recorded with its copy (or the copy to follow)."""

    ids = "papier"

    signatory = forms.TypedChoiceField(label=_("Signataire"), coerce=int, choices=())
    signed_on = _date(_("Signé le"))
    document = document_field(
        _("Copie signée (PDF)"),
        required=False,
        help_text=_("Sans la copie, elle reste due au Courtier (5 jours ouvrables)."),
    )

    def __init__(self, *args: Any, signatories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signatory"].choices = [(s.pk, s.name) for s in signatories]


class CopyForm(Form):
    ids = "copie"

    signature = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    document = document_field(_("Copie signée (PDF)"))


class ChangesForm(Form):
    """The changes an amendment asks for (002 §4.5): a longer duration, a higher authorised
    amount, a component of an offer already in the contract (solutions), an activity under one
    of its qualifications (services). What the rules forbid is refused with its reason."""

    ids = "avenant"

    reason = _text(_("Motif de l'avenant"), required=True)
    months = AsciiIntegerField(
        label=_("Prolongation (mois)"), required=False, min_value=1, max_value=36
    )
    amount = AmountField(label=_("Hausse du montant autorisé ($)"), required=False)
    offer = forms.TypedChoiceField(
        label=_("Offre du contrat"), required=False, coerce=int, empty_value=None, choices=()
    )
    component = forms.CharField(
        label=_("Composante ou activité ajoutée à cette offre"),
        required=False,
        max_length=300,
        validators=[check_text],
    )
    qualification = forms.ChoiceField(
        label=_("Qualification du contrat"), required=False, choices=()
    )
    activity = forms.CharField(
        label=_("Activité ajoutée sous cette qualification"),
        required=False,
        max_length=300,
        validators=[check_text],
    )

    def __init__(self, *args: Any, contract: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        basis = contract.basis or {}
        if contract.kind == rules.Kind.SOLUTIONS:
            self.fields["offer"].choices = [("", "—")] + [
                (o["offer"], o.get("name") or o.get("code") or o["offer"])
                for o in basis.get("offers", [])
                if o.get("offer")
            ]
            del self.fields["qualification"], self.fields["activity"]
        else:
            self.fields["qualification"].choices = [("", "—")] + [
                (str(q), str(q)) for q in basis.get("qualifications", [])
            ]
            del self.fields["offer"], self.fields["component"]

    def changes(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found: list[dict[str, Any]] = []
        if data.get("months"):
            found.append({"kind": rules.ChangeKind.DURATION, "months": data["months"]})
        if data.get("amount"):
            found.append({"kind": rules.ChangeKind.AMOUNT, "cents": data["amount"]})
        if data.get("offer") or data.get("component"):
            found.append(
                {
                    "kind": rules.ChangeKind.COMPONENT,
                    "offer": data.get("offer"),
                    "component": data.get("component", ""),
                }
            )
        if data.get("qualification") or data.get("activity"):
            found.append(
                {
                    "kind": rules.ChangeKind.SERVICES,
                    "qualification": data.get("qualification", ""),
                    "activity": data.get("activity", ""),
                }
            )
        return found


def changes_initial(amendment: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "reason": amendment.reason,
        "fee": cents_to_dollars(amendment.fee_cents),
    }
    for change in amendment.changes:
        kind = change.get("kind")
        if kind == rules.ChangeKind.DURATION:
            initial["months"] = change.get("months")
        elif kind == rules.ChangeKind.AMOUNT:
            initial["amount"] = cents_to_dollars(change.get("cents"))
        elif kind == rules.ChangeKind.COMPONENT:
            initial |= {"offer": change.get("offer"), "component": change.get("component")}
        elif kind == rules.ChangeKind.SERVICES:
            initial |= {
                "qualification": change.get("qualification"),
                "activity": change.get("activity"),
            }
    return initial


class FeeForm(Form):
    ids = "frais"

    fee = AmountField(
        label=_("Frais de gestion de l'avenant ($)"),
        help_text=_("Facturés au client pour la préparation de l'avenant (002 §4.5)."),
    )


class AmendmentUpdateForm(ChangesForm, FeeForm):
    ids = "modification"


class EntryForm(Form):
    """An order to the supplier or one of its invoices (002 §4.4)."""

    ids = "entree"

    kind = forms.ChoiceField(label=_("Type"), choices=EntryKind.choices)
    number = forms.CharField(label=_("Numéro"), max_length=60, validators=[check_text])
    dated_on = _date(_("Date"))
    amount = AmountField(label=_("Montant avant taxes ($)"))
    description = forms.CharField(
        label=_("Description"), required=False, max_length=300, validators=[check_text]
    )
    document = document_field(_("La commande ou la facture (facultatif)"), required=False)


class ImportForm(Form):
    ids = "import"

    file = document_field(
        _("Fichier CSV"),
        help_text=_(
            "En-tête : type,numero,date,montant,description ; type « commande » ou « facture » ; "
            "montant en dollars (ex. 1234,56)."
        ),
    )


class TerminationForm(Form):
    ids = "resiliation"

    effective_on = _date(_("Date de prise d'effet"))
    reason = _text(_("Motif de la résiliation"), required=True)
    letter = document_field(_("Lettre de résiliation (PDF)"))
