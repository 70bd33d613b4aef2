"""Forms of the Catalogue pages: search filters, the items of a proposed sheet (one form per
section, each turning its fields into the JSON item the content holds), price lists typed by
hand, review, subscriptions, qualifications, framework agreements and supporting documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.catalogue import labels, rules
from courtier.catalogue.messages import (
    CODE_FORMAT,
    FILE_REQUIRED,
    PRICE_LIST_NO_LINE,
    PRICE_NEEDS_UNIT,
    PRICE_RANGE_ORDER,
)
from courtier.catalogue.models import (
    AgreementStatus,
    BillingFrequency,
    Category,
    ComponentKind,
    DataCentreRole,
    FrameworkAgreement,
    OfferStatus,
    Qualification,
    SupportingDocumentKind,
    Unit,
)
from courtier.catalogue.selectors import OfferFilters
from courtier.core.validation import AsciiDecimalField, AsciiIntegerField, BoundedDateField
from courtier.files.uploads import check_upload_size, document_field

MAX_INT = 2**31 - 1  # PositiveIntegerField

TRAINING_LANGUAGE_CHOICES = [("fr", _("Français")), ("en", _("Anglais"))]
HOSTING_CHOICES = [
    ("", _("Tous les emplacements")),
    ("canada", _("Canada seulement")),
    ("quebec", _("Québec seulement")),
]
SORT_CHOICES = [
    ("", _("Nom (A à Z)")),
    ("relevance", _("Pertinence (avec une recherche)")),
    ("-name", _("Nom (Z à A)")),
    ("supplier", _("Fournisseur")),
    ("category", _("Volet")),
    ("price", _("Prix unitaire (croissant)")),
    ("-price", _("Prix unitaire (décroissant)")),
    ("-updated", _("Dernière mise à jour")),
]

code_validator = RegexValidator(r"^[A-Za-z0-9._-]+$", CODE_FORMAT)


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=60,
        validators=[code_validator],
        help_text=_("Identifiant stable de l'élément dans la fiche ; il ne change plus ensuite."),
    )


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("max_length", rules.MAX_TEXT_LENGTH)
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


# --- search ------------------------------------------------------------------------------------


class OfferSearchForm(forms.Form):
    """Filters of the Catalogue home (GET). Invalid values are reported; the others still apply."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Nom, description, fournisseur ou composante ; les accents sont ignorés."),
    )
    category = forms.ChoiceField(label=_("Volet"), required=False)
    supplier = forms.TypedChoiceField(
        label=_("Fournisseur"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *OfferStatus.choices],
    )
    hosting = forms.ChoiceField(
        label=_("Hébergement des données"), required=False, choices=HOSTING_CHOICES
    )
    country = forms.ChoiceField(label=_("Pays d'un centre de données"), required=False)
    province = forms.ChoiceField(label=_("Province ou État d'un centre"), required=False)
    personal_information = forms.BooleanField(
        label=_("Hébergement autorisé pour les renseignements personnels"), required=False
    )
    training_language = forms.ChoiceField(
        label=_("Langue du matériel de formation"),
        required=False,
        choices=[("", _("Toutes les langues")), *TRAINING_LANGUAGE_CHOICES],
    )
    unit = forms.ChoiceField(
        label=_("Unité de prix"),
        required=False,
        choices=[("", _("Toutes les unités")), *Unit.choices],
        help_text=_("Seules les offres qui ont un prix en vigueur dans cette unité sont listées."),
    )
    price_min = AsciiDecimalField(
        label=_("Prix unitaire minimum ($)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    price_max = AsciiDecimalField(
        label=_("Prix unitaire maximum ($)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        suppliers: list[tuple[int, str]],
        countries: list[str],
        provinces: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Tous les volets")),
            *((c.code, c.label) for c in Category.objects.all()),
        ]
        self.fields["supplier"].choices = [("", _("Tous les fournisseurs")), *suppliers]
        self.fields["country"].choices = [("", _("Tous les pays")), *((c, c) for c in countries)]
        self.fields["province"].choices = [
            ("", _("Toutes les provinces")),
            *((p, p) for p in provinces),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", PRICE_RANGE_ORDER)
        priced = data.get("price_min") is not None or data.get("price_max") is not None
        if priced and not data.get("unit"):
            if "unit" not in self.errors:
                self.add_error("unit", PRICE_NEEDS_UNIT)
            self.cleaned_data.pop("price_min", None)
            self.cleaned_data.pop("price_max", None)
        return self.cleaned_data

    def filters(self) -> OfferFilters:
        """The filters of the valid fields (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        hosting = data.get("hosting") or ""
        return OfferFilters(
            q=data.get("q") or "",
            category=data.get("category") or "",
            supplier=data.get("supplier"),
            status=data.get("status") or "",
            country=data.get("country") or "",
            province=data.get("province") or "",
            canada_only=hosting == "canada",
            quebec_only=hosting == "quebec",
            personal_information=bool(data.get("personal_information")),
            training_language=data.get("training_language") or "",
            unit=data.get("unit") or "",
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            sort=data.get("sort") or "",
        )


# --- drafts: general part and items ------------------------------------------------------------


class DraftGeneralForm(forms.Form):
    summary = forms.CharField(
        label=_("Résumé de la modification"),
        max_length=rules.MAX_SUMMARY_LENGTH,
        required=False,
        help_text=_("Ce que la proposition change, en une phrase, pour le Courtier."),
    )
    configurator_url = forms.URLField(
        label=_("Lien vers le configurateur du fournisseur"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Adresse de l'outil qui permet d'estimer le prix des offres, s'il y en a un."),
    )


class ItemForm(forms.Form):
    """A form for one item of a sheet section: ``initial_from`` reads an item, ``item`` builds
    it back. The code is fixed once the item exists (it identifies it across versions)."""

    section = ""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Le code d'un élément existant ne change pas.")

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name) for name in rules.SECTION_FIELDS.get(cls.section, ())}

    def item(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.strip()
        return {**(existing or {}), **data}


class OfferItemForm(ItemForm):
    section = "offers"
    code = _code_field()
    name = forms.CharField(label=_("Nom de l'offre"), max_length=200)
    category = forms.ChoiceField(label=_("Volet"))
    status = forms.ChoiceField(label=_("Statut"), choices=OfferStatus.choices)
    description = _text(_("Description"), rows=4)
    training_languages = forms.MultipleChoiceField(
        label=_("Langues du matériel de formation"),
        required=False,
        choices=TRAINING_LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le matériel de formation est offert au moins en français."),
    )
    training_material = _text(_("Matériel de formation"))
    technical_assistance = _text(_("Assistance technique"))
    trial_terms = _text(
        _("Modalités du banc d'essai"),
        help_text=_("Au plus 60 jours et 30 unités de chaque offre, gratuitement."),
    )
    data_centres = forms.MultipleChoiceField(
        label=_("Centres de données utilisés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Décrivez d'abord les centres dans la section « Centres de données »."),
    )

    def __init__(self, *args: Any, centres: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("— Choisissez un volet —")),
            *((c.code, c.label) for c in Category.objects.all()),
        ]
        self.fields["data_centres"].choices = centres

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(item)
        initial.pop("components", None)
        return initial

    def item(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        item = super().item(existing)
        item.setdefault("components", [])
        return item


class ComponentForm(ItemForm):
    section = "components"
    code = _code_field()
    name = forms.CharField(label=_("Nom de la composante"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature"), choices=ComponentKind.choices)
    description = _text(_("Description"))

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name) for name in rules.COMPONENT_FIELDS}


class DataCentreItemForm(ItemForm):
    section = "data_centres"
    code = _code_field()
    city = forms.CharField(label=_("Ville"), max_length=100)
    province = forms.CharField(
        label=_("Province ou État"),
        max_length=100,
        required=False,
        help_text=_("Code de la province ou de l'État, par exemple QC ou ON."),
    )
    country = forms.CharField(
        label=_("Pays"),
        max_length=2,
        min_length=2,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Code de pays à deux lettres (ex. CA)."))],
        help_text=_("Code ISO à deux lettres, par exemple CA, US ou FR."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=DataCentreRole.choices)
    personal_information_authorised = forms.BooleanField(
        label=_("Autorisé pour les renseignements personnels"),
        required=False,
        help_text=_(
            "Seulement après que le Courtier a établi l'équivalence de la protection des "
            "renseignements personnels."
        ),
    )
    authorised_since = BoundedDateField(
        label=_("Autorisé depuis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def item(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        item = super().item(existing)
        item["country"] = item["country"].upper()
        item["province"] = item["province"].upper()
        since = self.cleaned_data.get("authorised_since")
        item["authorised_since"] = since.isoformat() if isinstance(since, date) else None
        return item


class SecurityAnswerItemForm(ItemForm):
    section = "security_answers"
    code = _code_field()
    requirement = forms.CharField(label=_("Exigence"), max_length=rules.MAX_REQUIREMENT_LENGTH)
    answer = _text(_("Réponse du fournisseur"), required=True, rows=4)


class DocumentItemForm(ItemForm):
    section = "documents"
    code = _code_field()
    kind = forms.ChoiceField(label=_("Nature"), choices=list(labels.DOCUMENT_KIND_LABELS.items()))
    title = forms.CharField(label=_("Titre"), max_length=200)
    file = document_field(
        _("Fichier"),
        required=False,
        help_text=_("PDF, document texte, tableur ou présentation ; au plus 20 Mo."),
    )

    def clean_file(self) -> Any:
        upload = check_upload_size(self.cleaned_data.get("file"))
        if upload is None and not self.editing:
            raise forms.ValidationError(FILE_REQUIRED)
        return upload

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {name: item.get(name) for name in ("code", "kind", "title")}

    def item(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        item = super().item(existing)
        item.pop("file", None)
        return item


class ContactItemForm(ItemForm):
    section = "contacts"
    code = _code_field()
    kind = forms.ChoiceField(label=_("Nature"), choices=list(labels.CONTACT_KIND_LABELS.items()))
    name = forms.CharField(label=_("Nom"), max_length=200)
    email = forms.EmailField(label=_("Courriel"))
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)


# URL slug -> (content section, form, singular title)
SECTION_FORMS: dict[str, tuple[str, type[ItemForm], Any]] = {
    "offres": ("offers", OfferItemForm, _("offre")),
    "centres": ("data_centres", DataCentreItemForm, _("centre de données")),
    "securite": ("security_answers", SecurityAnswerItemForm, _("réponse en matière de sécurité")),
    "documents": ("documents", DocumentItemForm, _("document contractuel")),
    "contacts": ("contacts", ContactItemForm, _("personne-ressource")),
}


# --- prices typed by hand ----------------------------------------------------------------------


class PriceListForm(forms.Form):
    effective_from = BoundedDateField(
        label=_("En vigueur le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Le premier jour ouvrable d'un mois, aujourd'hui ou plus tard."),
    )


class PriceLineForm(forms.Form):
    component_code = forms.ChoiceField(label=_("Composante"))
    unit = forms.ChoiceField(label=_("Unité"), choices=Unit.choices)
    unit_price = AsciiDecimalField(
        label=_("Prix unitaire ($)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
    )
    billing_frequency = forms.ChoiceField(
        label=_("Fréquence de facturation"), choices=BillingFrequency.choices
    )
    tier_min_quantity = AsciiIntegerField(
        label=_("Palier à partir de"), min_value=0, max_value=MAX_INT, initial=0
    )
    minimum_quantity = AsciiIntegerField(
        label=_("Quantité minimale"), min_value=0, max_value=MAX_INT, initial=0
    )
    minimum_term_months = AsciiIntegerField(
        label=_("Durée minimale (mois)"), min_value=0, max_value=36, initial=0
    )
    all_units_from_signature = forms.BooleanField(
        label=_("Toutes les unités payables dès la signature"), required=False
    )
    may_decrease = forms.BooleanField(
        label=_("Quantités réductibles"), required=False, initial=True
    )
    max_yearly_increase = AsciiDecimalField(
        label=_("Hausse annuelle maximale (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,
        initial=Decimal(0),
    )

    def __init__(self, *args: Any, components: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component_code"].choices = components

    def line(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "component_code": data["component_code"],
            "unit": data["unit"],
            "unit_price_cents": int(data["unit_price"] * 100),
            "billing_frequency": data["billing_frequency"],
            "tier_min_quantity": data["tier_min_quantity"],
            "minimum_quantity": data["minimum_quantity"],
            "minimum_term_months": data["minimum_term_months"],
            "all_units_from_signature": data["all_units_from_signature"],
            "may_decrease": data["may_decrease"],
            "max_yearly_increase_bp": int(data["max_yearly_increase"] * 100),
        }


class BasePriceLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.lines():
            raise forms.ValidationError(PRICE_LIST_NO_LINE)

    def lines(self) -> list[dict[str, Any]]:
        return [f.line() for f in self.forms if f.cleaned_data.get("unit_price") is not None]


PriceLineFormSet = forms.formset_factory(
    PriceLineForm, formset=BasePriceLineFormSet, extra=2, max_num=200, absolute_max=200
)


def price_line_initial(line: Any) -> dict[str, Any]:
    """Initial values of a line form from a PriceLine row."""
    return {
        "component_code": line.component_code,
        "unit": line.unit,
        "unit_price": Decimal(line.unit_price_cents) / 100,
        "billing_frequency": line.billing_frequency,
        "tier_min_quantity": line.tier_min_quantity,
        "minimum_quantity": line.minimum_quantity,
        "minimum_term_months": line.minimum_term_months,
        "all_units_from_signature": line.all_units_from_signature,
        "may_decrease": line.may_decrease,
        "max_yearly_increase": Decimal(line.max_yearly_increase_bp) / 100,
    }


# --- review -----------------------------------------------------------------------------------


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ce que le fournisseur doit corriger"),
        max_length=rules.MAX_RETURN_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce commentaire est envoyé par courriel aux représentants du fournisseur."),
        error_messages={"required": _("Expliquez au fournisseur ce qu'il doit corriger.")},
    )


# --- subscriptions ------------------------------------------------------------------------------


class SubscriptionForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Être avisé des modifications"),
        choices=[
            ("all", _("De tout le Catalogue")),
            ("category", _("D'un volet")),
            ("supplier", _("D'un fournisseur")),
        ],
        widget=forms.RadioSelect,
        initial="all",
    )
    category = forms.ModelChoiceField(
        label=_("Volet"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("— Choisissez un volet —"),
    )
    supplier = forms.ModelChoiceField(
        label=_("Fournisseur"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Choisissez un fournisseur —"),
    )

    def __init__(self, *args: Any, suppliers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("scope")
        if scope == "category" and not data.get("category") and "category" not in self.errors:
            self.add_error("category", _("Choisissez le volet."))
        if scope == "supplier" and not data.get("supplier") and "supplier" not in self.errors:
            self.add_error("supplier", _("Choisissez le fournisseur."))
        return data

    def scope_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"] if data["scope"] == "category" else None,
            "supplier": data["supplier"] if data["scope"] == "supplier" else None,
        }


# --- providers, qualifications and framework agreements ---------------------------------------


class QualificationForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Lettres minuscules, chiffres et traits.")
    )
    name = forms.CharField(label=_("Nom"), max_length=200)
    scope_description = _text(_("Description des services"), required=True, rows=5)


class ProviderQualifyForm(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("Qualification"),
        queryset=Qualification.objects.filter(is_active=True),
        empty_label=_("— Choisissez une qualification —"),
    )
    provider = forms.ModelChoiceField(
        label=_("Prestataire"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PROVIDER, is_active=True),
        empty_label=_("— Choisissez un prestataire —"),
    )
    agreement = forms.ModelChoiceField(
        label=_("Entente-cadre"),
        queryset=FrameworkAgreement.objects.filter(
            organisation__kind=OrganisationKind.PROVIDER
        ).select_related("organisation"),
        empty_label=_("— Choisissez l'entente-cadre du prestataire —"),
    )
    qualified_on = BoundedDateField(
        label=_("Qualifié le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_name = forms.CharField(label=_("Personne-ressource"), max_length=200)
    contact_email = forms.EmailField(label=_("Courriel de la personne-ressource"))
    contact_phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)


class AgreementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Fournisseur ou prestataire"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER], is_active=True
        ).order_by("name"),
        empty_label=_("— Choisissez l'organisation —"),
    )
    number = forms.CharField(label=_("Numéro"), max_length=40)
    title = forms.CharField(label=_("Titre"), max_length=200)
    starts_on = BoundedDateField(
        label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = BoundedDateField(
        label=_("Fin"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Statut"), choices=AgreementStatus.choices)
    categories = forms.ModelMultipleChoiceField(
        label=_("Volets visés"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SupportingDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=SupportingDocumentKind.choices)
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        help_text=_("Reprenez le titre exact d'un document existant pour en publier une version."),
    )
    description = forms.CharField(label=_("Description"), max_length=2000, required=False)
    file = document_field(
        _("Fichier"), help_text=_("PDF, document texte, tableur ou présentation ; au plus 20 Mo.")
    )
    notes = _text(_("Notes de version"))

    def clean_file(self) -> Any:
        return check_upload_size(self.cleaned_data.get("file"))
