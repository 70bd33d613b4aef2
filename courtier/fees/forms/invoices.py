"""The forms of the invoice page (DOMAIN §6; 001 §9.3): a payment received and a credit note.
Amounts are typed in dollars (« 1 250,00 ») and read by ``core.validation.dollars_to_cents``,
the API's validator; the services check the rules (not more than the balance, not in the future)
and their refusals are shown at the field, keyed as the services key them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.forms import AmountField
from courtier.core.validation import BoundedDateField, check_text

REASON_MAX = 2000
REFERENCE_MAX = 100


class Form(forms.Form):
    """A form of the invoice page, whose fields' ids start with ``ids``."""

    ids = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class PaymentForm(Form):
    """A payment received: its amount, the day it was paid and its reference. The field names
    are the service's (``amount_cents``, ``paid_on``, ``reference``) so that its refusals land
    on them."""

    ids = "paiement"

    amount_cents = AmountField(label=_("Montant reçu ($)"))
    paid_on = BoundedDateField(label=_("Payé le"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Référence du paiement"),
        required=False,
        max_length=REFERENCE_MAX,
        validators=[check_text],
        help_text=_("Numéro du chèque ou du virement, par exemple."),
    )


class CreditNoteForm(Form):
    """A credit note on the invoice: its subtotal before taxes (the taxes are computed as an
    invoice's) and why."""

    ids = "credit"

    subtotal_cents = AmountField(
        label=_("Montant à créditer avant taxes ($)"),
        help_text=_("La TPS et la TVQ s'y ajoutent comme sur la facture."),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX,
        validators=[check_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvoiceFilterForm(forms.Form):
    """The list's filters (?state= ?client= ?contract= ?kind=); anything unreadable is ignored."""

    state = forms.ChoiceField(label=_("État"), required=False)
    kind = forms.ChoiceField(label=_("Nature"), required=False)
    client = forms.TypedChoiceField(label=_("Organisme client"), required=False, coerce=int)
    contract = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        states: list[tuple[str, Any]],
        kinds: list[tuple[str, Any]],
        clients: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "filtre_%s")
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        self.fields["state"].choices = everything + states
        self.fields["kind"].choices = everything + kinds
        self.fields["client"].choices = everything + [(str(pk), n) for pk, n in clients]
        self.fields["client"].empty_value = None

    def values(self) -> dict[str, Any]:
        """The filters that were read (an invalid one is left out, never an error)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if v not in (None, "")}
