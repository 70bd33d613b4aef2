"""The form of a quarterly acquisition report (004 §4.3): a CSV file (its bytes read by
``services.reports.parse_csv``) or lines typed in a few rows (a blank row is ignored), and the
supplier when the person represents more than one. Amounts in dollars through
``core.validation.dollars_to_cents``, dates through the form's date fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.core.validation import BoundedDateField, check_text, dollars_to_cents
from courtier.fees import messages, rules
from courtier.fees.services.reports import COLUMNS, parse_csv
from courtier.files.uploads import document_field

ROWS = 5  # the typed rows offered (a longer report is sent as a CSV)
CSV_EXAMPLE = (
    ";".join(COLUMNS) + "\n"
    "CT-2026-0012;Ministère A;FAC-1042;2026-11-03;12 500,00\n"
    "CT-2026-0012;Ministère A;FAC-1057;2026-12-01;3 250,50\n"
)


class ReportForm(forms.Form):
    csv_file = document_field(
        gettext_lazy("Fichier CSV"),
        required=False,
        help_text=gettext_lazy("UTF-8, une ligne d'en-tête, « ; » ou « , » entre les colonnes."),
    )
    csv_file.widget.attrs["accept"] = ".csv,text/csv"
    nothing_paid = forms.BooleanField(
        label=gettext_lazy("Aucune facture payée par nos clients ce trimestre (rapport vide)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        suppliers: list[tuple[int, str]],
        rows: int = ROWS,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "rapport_%s")
        super().__init__(*args, **kwargs)
        self.suppliers = suppliers
        if len(suppliers) > 1:
            self.fields["supplier"] = forms.TypedChoiceField(
                label=_("Fournisseur ou prestataire"),
                choices=[("", "—"), *((str(pk), name) for pk, name in suppliers)],
                coerce=int,
            )
            self.order_fields(["supplier"])
        self.rows: list[tuple[Any, ...]] = []
        self.row_count = rows
        for i in range(rows):
            n = i + 1
            for name, label in (
                ("contract", _("Ligne {n} : numéro du contrat")),
                ("client", _("Ligne {n} : organisme client")),
                ("invoice", _("Ligne {n} : facture du fournisseur")),
            ):
                self.fields[f"{name}_{i}"] = forms.CharField(
                    label=label.format(n=n),
                    required=False,
                    max_length=rules.MAX_TEXT_LENGTH,
                    validators=[check_text],
                )
            self.fields[f"paid_on_{i}"] = BoundedDateField(
                label=_("Ligne {n} : payée le").format(n=n),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"amount_{i}"] = forms.CharField(
                label=_("Ligne {n} : montant payé avant taxes ($)").format(n=n),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 12}),
            )
            self.rows.append(
                tuple(
                    self[f"{name}_{i}"]
                    for name in ("contract", "client", "invoice", "paid_on", "amount")
                )
            )
        self.lines: list[rules.ReportLine] = []
        self.source: tuple[str, bytes] | None = None

    def supplier_id(self) -> int:
        if "supplier" in self.fields:
            return int(self.cleaned_data["supplier"])
        return self.suppliers[0][0]

    def _typed(self, data: dict[str, Any]) -> list[rules.ReportLine]:
        lines: list[rules.ReportLine] = []
        for i in range(self.row_count):
            texts = [
                (data.get(f"{name}_{i}") or "").strip()
                for name in ("contract", "client", "invoice")
            ]
            paid_on = data.get(f"paid_on_{i}")
            amount_text = (data.get(f"amount_{i}") or "").strip()
            if (
                not any(texts)
                and paid_on is None
                and not amount_text
                and not self.has_error(f"paid_on_{i}")
            ):
                continue  # a blank row
            amount = None
            if amount_text:
                try:
                    amount = dollars_to_cents(amount_text)
                except ValidationError as refused:
                    self.add_error(f"amount_{i}", refused)
            lines.append(rules.ReportLine(*texts, paid_on, amount))
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("csv_file")
        typed = self._typed(data)
        if upload is not None:
            if typed:
                self.add_error(
                    None, _("Déposez un fichier CSV ou saisissez les lignes, pas les deux.")
                )
                return data
            upload.seek(0)
            content = upload.read()
            try:
                self.lines = parse_csv(content)
            except ValidationError as refused:
                for key, errors in refused.message_dict.items():
                    self.add_error("csv_file" if key == "file" else None, errors)
                return data
            self.source = (upload.name or "rapport.csv", content)
        else:
            self.lines = typed
        if not self.lines and not data.get("nothing_paid") and not self.errors:
            self.add_error(None, messages.REPORT_EMPTY)
        return data
