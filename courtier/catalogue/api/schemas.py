"""The schemas of the Catalogue's API answers, and of its plain requests and queries (the
checked bodies, a proposed sheet and a price list, are in content.py): offers and their price
lists, sheet versions and their change history, proposals, qualifications and framework
agreements, subscriptions, supporting documents, and what changed in offers since a date."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.catalogue import rules, selectors
from courtier.catalogue.api.common import (
    changes_of,
    dollars,
    lines_asked,
    lines_window,
    offer_sheet,
)
from courtier.catalogue.api.content import SheetContent, TrainingLanguage
from courtier.catalogue.messages import (
    COUNTRY_FORMAT,
    PRICE_FORMAT,
    PRICE_NEEDS_UNIT,
    PRICE_RANGE_ORDER,
    PROVINCE_NEEDS_COUNTRY,
    UNKNOWN_CATEGORY,
    UNKNOWN_SUPPLIER,
)
from courtier.catalogue.models import (
    AgreementStatus,
    BillingFrequency,
    Category,
    CategoryFamily,
    ComponentKind,
    DataCentreRole,
    DraftStatus,
    FrameworkAgreement,
    Offer,
    OfferStatus,
    PriceList,
    PriceListStatus,
    SheetDraft,
    SheetVersion,
    SupportingDocumentKind,
    Unit,
)
from courtier.core.apierrors import MAX_ID
from courtier.core.apifields import ApiDate, Str
from courtier.core.validation import NUMBER_ASCII, non_ascii_digit

# --- prices ---------------------------------------------------------------------------------------


class PriceTerms(Schema):
    unit: str
    unit_price_cents: int
    billing_frequency: str
    minimum_quantity: int
    minimum_term_months: int
    all_units_from_signature: bool
    may_decrease: bool
    max_yearly_increase_bp: int


class PriceLineOut(Schema):
    component_code: str
    unit: Unit
    unit_price_cents: int
    unit_price: str = Field(description="Prix unitaire en dollars (texte décimal exact)")
    billing_frequency: BillingFrequency
    tier_min_quantity: int
    minimum_quantity: int
    minimum_term_months: int
    all_units_from_signature: bool
    may_decrease: bool
    max_yearly_increase_bp: int

    @staticmethod
    def resolve_unit_price(obj: Any) -> str:
        return dollars(obj.unit_price_cents)


class PriceListOut(Schema):
    id: int
    offer_code: str
    effective_from: date
    effective_until: date | None = Field(description="Remplacée à partir de cette date")
    status: PriceListStatus
    version_id: int | None
    line_count: int
    lines: list[PriceLineOut] = Field(
        description="Une page des lignes (lines_offset, lines_limit) : lines_next mène à la suite"
    )
    lines_offset: int = Field(description="Rang de la première ligne de la page")
    lines_has_more: bool = Field(description="D'autres lignes suivent cette page")
    lines_next: str | None = Field(description="L'adresse de la page de lignes suivante")

    @staticmethod
    def resolve_lines(obj: PriceList, context: dict[str, Any]) -> list[Any]:
        return lines_window(obj, context)[0]

    @staticmethod
    def resolve_lines_offset(obj: PriceList, context: dict[str, Any]) -> int:
        return lines_asked(context)[0]

    @staticmethod
    def resolve_lines_has_more(obj: PriceList, context: dict[str, Any]) -> bool:
        return lines_window(obj, context)[1]

    @staticmethod
    def resolve_lines_next(obj: PriceList, context: dict[str, Any]) -> str | None:
        if not lines_window(obj, context)[1]:
            return None
        offset, limit = lines_asked(context)
        request = context["request"]
        query = request.GET.copy()
        query["lines_offset"], query["lines_limit"] = str(offset + limit), str(limit)
        return f"{request.path}?{query.urlencode()}"


class OfferPriceListOut(PriceListOut):
    in_force: bool = Field(description="En vigueur aujourd'hui (sinon : prévue)")

    @staticmethod
    def resolve_in_force(obj: PriceList) -> bool:
        return obj.effective_from <= timezone.localdate()


# --- references and plain rows ------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class OrganisationRef(Ref):
    kind: OrganisationKind


class CategoryRef(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    family: CategoryFamily
    name: str
    name_en: str
    position: int


class VersionRef(Schema):
    id: int
    name: str
    published_on: date


class ComponentOut(Schema):
    code: str
    name: str
    kind: ComponentKind
    description: str
    active: bool


class DataCentreOut(Schema):
    code: str
    city: str
    province: str
    country: str
    role: DataCentreRole
    personal_information_authorised: bool
    authorised_since: date | None


class OfferOut(Schema):
    id: int
    code: str
    name: str
    status: OfferStatus
    category: CategoryRef
    supplier: Ref
    description: str
    training_languages: list[str]
    hosted_in_canada_only: bool
    hosted_in_quebec_only: bool
    personal_information_authorised: bool
    version_id: int = Field(description="Version de fiche dont l'offre est tirée")
    updated_at: datetime

    @staticmethod
    def resolve_training_languages(obj: Offer) -> list[str]:
        return [code for code in obj.training_languages.split(",") if code]


class OfferDetailOut(OfferOut):
    version: VersionRef
    training_material: str | None
    technical_assistance: str | None
    trial_terms: str | None
    components: list[ComponentOut]
    data_centres: list[DataCentreOut]
    price_lists: list[OfferPriceListOut] = Field(
        description="La liste de prix en vigueur aujourd'hui et celles qui sont prévues"
    )

    @staticmethod
    def resolve_training_material(obj: Offer) -> str | None:
        return offer_sheet(obj).get("training_material")

    @staticmethod
    def resolve_technical_assistance(obj: Offer) -> str | None:
        return offer_sheet(obj).get("technical_assistance")

    @staticmethod
    def resolve_trial_terms(obj: Offer) -> str | None:
        return offer_sheet(obj).get("trial_terms")

    @staticmethod
    def resolve_price_lists(obj: Offer, context: dict[str, Any]) -> list[PriceList]:
        today = timezone.localdate()
        return list(
            permissions.scope(context["request"].user, PriceList.objects.all())
            .filter(offer=obj, status=PriceListStatus.PUBLISHED)
            .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=today))
            .order_by("effective_from")
        )


class PriceChangeOut(Schema):
    offer: str
    component: str
    tier_min_quantity: int
    change: Literal["added", "removed", "changed"]
    terms: list[str]
    effective_from: date
    before: PriceTerms | None
    after: PriceTerms | None


class ChangesOut(Schema):
    sections: dict[str, Any] = Field(
        description=(
            "Par section : {added, removed, changed} (configurator_url : {before, after}) ; "
            "chaque modification liste ses champs {field, before, after}"
        )
    )
    prices: list[PriceChangeOut] = Field(
        description="Les premiers changements de prix, ligne par ligne (price_change_count en "
        "donne le nombre : les listes de prix, paginées, donnent le reste)"
    )
    price_change_count: int = Field(description="Le nombre de changements de prix")

    @staticmethod
    def resolve_prices(obj: Mapping[str, Any]) -> list[Any]:
        return list(obj.get("prices", [])[: selectors.price_lines_page_size()])

    @staticmethod
    def resolve_price_change_count(obj: Mapping[str, Any]) -> int:
        return len(obj.get("prices", []))


class VersionOut(Schema):
    id: int
    supplier: Ref
    number: int
    name: str = Field(description="Nom daté, par exemple « Fiche Fournisseur X – 2026-12-01 »")
    published_on: date
    published_at: datetime
    change_count: int
    previous_id: int | None


class VersionDetailOut(VersionOut):
    content: SheetContent
    changes: ChangesOut
    price_lists: list[PriceListOut] = Field(description="Listes de prix publiées avec la version")

    @staticmethod
    def resolve_price_lists(obj: SheetVersion, context: dict[str, Any]) -> list[PriceList]:
        return list(
            permissions.scope(context["request"].user, obj.price_lists.all()).order_by(
                "offer_code", "effective_from"
            )
        )


class DraftOut(Schema):
    id: int
    supplier: Ref
    status: DraftStatus
    summary: str
    review_comment: str
    base_version_id: int | None = Field(description="Version de départ (None : première fiche)")
    version_id: int | None = Field(description="Version publiée à partir de la proposition")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None

    @staticmethod
    def resolve_version_id(obj: SheetDraft) -> int | None:
        try:
            return obj.version.pk
        except SheetVersion.DoesNotExist:
            return None


class DraftDetailOut(DraftOut):
    content: SheetContent
    price_lists: list[PriceListOut] = Field(
        description="Listes de prix proposées (publiées, une fois la proposition publiée)"
    )
    changes: ChangesOut = Field(description="Écart avec la version en vigueur")
    change_count: int
    outdated: bool = Field(description="Une autre version a été publiée depuis son début")

    @staticmethod
    def resolve_price_lists(obj: SheetDraft) -> list[PriceList]:
        published = obj.status == DraftStatus.PUBLISHED
        status = PriceListStatus.PUBLISHED if published else PriceListStatus.DRAFT
        return list(obj.price_lists.filter(status=status).order_by("offer_code", "effective_from"))

    @staticmethod
    def resolve_changes(obj: SheetDraft) -> dict[str, Any]:
        return changes_of(obj)

    @staticmethod
    def resolve_change_count(obj: SheetDraft) -> int:
        return rules.change_count(changes_of(obj))

    @staticmethod
    def resolve_outdated(obj: SheetDraft) -> bool:
        in_force = selectors.latest_version(obj.supplier_id)
        return obj.is_open and obj.base_version_id != getattr(in_force, "pk", None)


class DraftCreateIn(Schema):
    supplier: int = Field(ge=1, le=MAX_ID)
    summary: Str = Field("", max_length=rules.MAX_SUMMARY_LENGTH)


class ReturnIn(Schema):
    comment: Str = Field(min_length=1, max_length=rules.MAX_RETURN_COMMENT_LENGTH)


class AgreementRef(Schema):
    id: int
    number: str


class QualifiedProviderOut(Schema):
    id: int
    provider: Ref
    agreement: AgreementRef
    qualified_on: date
    contact_name: str
    contact_email: str
    contact_phone: str
    is_active: bool


class QualificationOut(Schema):
    id: int
    code: str
    name: str
    scope_description: str
    is_active: bool
    providers: list[QualifiedProviderOut]


class AgreementOut(Schema):
    id: int
    organisation: OrganisationRef
    number: str
    title: str
    starts_on: date
    ends_on: date
    status: AgreementStatus
    categories: list[str] = Field(description="Codes des volets")

    @staticmethod
    def resolve_categories(obj: FrameworkAgreement) -> list[str]:
        return [category.code for category in obj.categories.all()]


class SubscriptionOut(Schema):
    id: int
    category: CategoryRef | None
    supplier: Ref | None
    created_at: datetime


class SubscriptionIn(Schema):
    category: Str | None = Field(None, max_length=60, description="Code d'un volet")
    supplier: int | None = Field(None, ge=1, le=MAX_ID, description="Identifiant du fournisseur")


class StoredFileOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str
    download_url: str | None


class SupportingDocumentVersionOut(Schema):
    number: int
    notes: str
    published_at: datetime
    file: StoredFileOut


class SupportingDocumentOut(Schema):
    id: int
    kind: SupportingDocumentKind
    title: str
    description: str
    versions: list[SupportingDocumentVersionOut] = Field(
        description="De la plus récente à la plus ancienne"
    )


# --- offer search -------------------------------------------------------------------------------

Sort = Literal[selectors.SORTS]  # type: ignore[valid-type]


class OfferQuery(Schema):
    q: Str = Field("", max_length=200, description="Texte cherché (sans égard aux accents)")
    category: Str = Field("", max_length=60, description="Code du volet")
    supplier: int | None = Field(None, ge=1, le=MAX_ID, description="Identifiant du fournisseur")
    status: OfferStatus | None = None
    country: Str = Field("", max_length=2, description="Pays d'un centre de données (ex. CA)")
    province: Str = Field("", max_length=100, description="Avec le pays : province (ex. QC)")
    canada_only: bool = Field(False, description="Hébergée seulement au Canada")
    quebec_only: bool = Field(False, description="Hébergée seulement au Québec")
    personal_information: bool = Field(
        False, description="Hébergement autorisé pour les renseignements personnels"
    )
    training_language: TrainingLanguage | None = None
    unit: Unit | None = Field(None, description="Unité de prix (requise avec un prix)")
    price_min: Decimal | None = Field(
        None, ge=0, description="Prix unitaire minimal ($) en vigueur aujourd'hui pour l'unité"
    )
    price_max: Decimal | None = Field(
        None, ge=0, description="Prix unitaire maximal ($) en vigueur aujourd'hui pour l'unité"
    )
    sort: Sort | None = Field(
        None,
        description=(
            "Par défaut : nom. « relevance » classe par pertinence quand un texte est cherché "
            "(plus lent sur les mots fréquents)."
        ),
    )

    @field_validator("price_min", "price_max", mode="before")
    @classmethod
    def amount(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if non_ascii_digit(str(value)):  # Decimal reads « ٣,٥٠ » as 3.50
            raise ValueError(str(NUMBER_ASCII))
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(str(PRICE_FORMAT)) from None
        exponent = amount.as_tuple().exponent
        if not amount.is_finite() or not isinstance(exponent, int) or exponent < -2:
            raise ValueError(str(PRICE_FORMAT))
        if amount >= 10**10:  # as the search form: 12 digits, 2 of them decimals
            raise ValueError(str(PRICE_FORMAT))
        return amount

    def filters(self) -> selectors.OfferFilters:
        if self.category and not Category.objects.filter(code=self.category).exists():
            raise ValidationError({"category": UNKNOWN_CATEGORY % {"code": self.category}})
        if (
            self.supplier is not None
            and not Organisation.objects.filter(
                pk=self.supplier, kind=OrganisationKind.SUPPLIER
            ).exists()
        ):
            raise ValidationError({"supplier": UNKNOWN_SUPPLIER})
        if self.country and not (self.country.isascii() and self.country.isalpha()):
            raise ValidationError({"country": COUNTRY_FORMAT})
        if self.province and not self.country:
            raise ValidationError({"province": PROVINCE_NEEDS_COUNTRY})
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_max < self.price_min
        ):
            raise ValidationError({"price_max": PRICE_RANGE_ORDER})
        if (self.price_min is not None or self.price_max is not None) and not self.unit:
            raise ValidationError({"unit": PRICE_NEEDS_UNIT})
        return selectors.OfferFilters(
            q=self.q,
            category=self.category,
            supplier=self.supplier,
            status=self.status or "",
            country=self.country.upper(),
            province=self.province.strip(),
            canada_only=self.canada_only,
            quebec_only=self.quebec_only,
            personal_information=self.personal_information,
            training_language=self.training_language or "",
            unit=self.unit or "",
            price_min=self.price_min,
            price_max=self.price_max,
            sort=self.sort or "",
        )


# --- what changed since a date ------------------------------------------------------------------


class OfferVersionChangeOut(VersionOut):
    diff_url: str = Field(description="Page de l'historique des modifications de la version")
    price_changes: list[PriceChangeOut] = Field(description="Changements de prix de l'offre")

    @staticmethod
    def resolve_diff_url(obj: SheetVersion) -> str:
        return reverse("catalogue:version_detail", args=[obj.pk])


class OfferChangesOut(Schema):
    offer_id: int
    code: str
    name: str
    versions: list[OfferVersionChangeOut] = Field(
        description="Versions de la fiche qui ont modifié l'offre, de la plus ancienne à la plus "
        "récente (vide : rien n'a changé)"
    )


class ChangesQuery(Schema):
    offers: str = Field(min_length=1, max_length=10000, description="Identifiants d'offres : 1,2,3")
    since: ApiDate = Field(description="Depuis la fin de cette journée (AAAA-MM-JJ)")
