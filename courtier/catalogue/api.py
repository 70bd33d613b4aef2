"""API: the Catalogue (issue 3 §8; DOMAIN §2; 004 §3.2): categories, offer search and details,
dated supplier-sheet versions and their change history, proposals and their review by the
broker, qualifications and framework agreements, subscriptions, supporting documents, and
what changed in some offers since a date.

Sheet content is typed (sections and items refuse unknown fields). Every problem with a
proposed sheet or price list is answered 422 with the same paths as the services use
(``offers[0].components[1].code``) and a French message, and nothing is written.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Self

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import (
    AfterValidator,
    ConfigDict,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.calendar import rules as calendar_rules
from courtier.calendar.services import out_of_calendar_error
from courtier.catalogue import forms, rules, selectors, services
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
    ProviderQualification,
    Qualification,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
    SupportingDocumentKind,
    SupportingDocumentVersion,
    Unit,
)
from courtier.core.apierrors import ERRORS, MAX_ID, path_id, pydantic_errors
from courtier.core.pagination import Pagination, WindowPagination

router = Router(tags=["catalogue"])

MAX_INT = 2**31 - 1  # PositiveIntegerField
MAX_SMALL_INT = 2**15 - 1  # PositiveSmallIntegerField
MAX_CENTS = 10**15 - 1  # exact in every JSON reader (below 2**53)
MAX_OFFERS_ASKED = 500

# Error messages, shared by the code and the tests.
UNKNOWN_FIELD = _("Ce champ n'existe pas.")
NOT_AN_OBJECT = _("Saisissez un objet JSON.")
NOT_A_LIST = _("Saisissez une liste.")
TOO_MANY_ITEMS = _("Au plus %(n)s éléments.")
TOO_FEW_ITEMS = _("Au moins %(n)s élément(s).")
NOT_A_BOOLEAN = _("Saisissez vrai ou faux.")
NOT_AN_INTEGER = _("Saisissez un nombre entier.")
NOT_A_DATE = _("Saisissez une date valide (AAAA-MM-JJ).")
BAD_FORMAT = _("Valeur au format invalide.")
COUNTRY_FORMAT = _("Saisissez le code ISO du pays en deux lettres majuscules, par exemple CA.")
SHA256_FORMAT = _("Saisissez l'empreinte SHA-256 du fichier : 64 caractères hexadécimaux.")
EMAIL_INVALID = _("Saisissez une adresse courriel valide.")
UNKNOWN_CATEGORY = _("Ce volet n'existe pas : « %(code)s ».")
UNKNOWN_SUPPLIER = _("Ce fournisseur n'existe pas.")
PROVINCE_NEEDS_COUNTRY = _("Indiquez aussi le pays de la province.")
PRICE_FORMAT = _("Saisissez un montant en dollars, par exemple 12.50 (au plus deux décimales).")
OFFER_IDS_FORMAT = _(
    "Saisissez des identifiants d'offres séparés par des virgules, par exemple 1,2,3."
)
TOO_MANY_OFFERS = _("Au plus %(n)s offres à la fois.")
NUL_CHARACTER = _("Le caractère nul (U+0000) n'est pas permis.")


# --- errors of typed bodies -------------------------------------------------------------------


def _path(loc: tuple[Any, ...]) -> str:
    """("offers", 0, "components", 1, "code") -> "offers[0].components[1].code", the paths the
    services use in their own errors."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or NON_FIELD_ERRORS


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    field = str(error["loc"][-1]) if error.get("loc") else ""
    if kind == "string_pattern_mismatch":
        return str({"country": COUNTRY_FORMAT, "file_sha256": SHA256_FORMAT}.get(field, BAD_FORMAT))
    messages = {
        "extra_forbidden": UNKNOWN_FIELD,
        "model_type": NOT_AN_OBJECT,
        "model_attributes_type": NOT_AN_OBJECT,
        "dict_type": NOT_AN_OBJECT,
        "list_type": NOT_A_LIST,
        "bool_type": NOT_A_BOOLEAN,
        "int_from_float": NOT_AN_INTEGER,
        "int_parsing_size": NOT_AN_INTEGER,
        "date_type": NOT_A_DATE,
        "date_from_datetime_inexact": NOT_A_DATE,
    }
    if kind in messages:
        return str(messages[kind])
    if kind == "too_long":
        return str(TOO_MANY_ITEMS % {"n": ctx.get("max_length")})
    if kind == "too_short":
        return str(TOO_FEW_ITEMS % {"n": ctx.get("min_length")})
    return pydantic_errors([{**error, "loc": ("value",)}])[0]["message"]


class _Checked(Schema):
    """A request body whose problems are all reported at once, with the services' paths and
    French messages, by ``checked()`` in the operation (instead of pydantic's own wording)."""

    _problems: list[dict[str, Any]] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _collect(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except PydanticValidationError as exc:
            body = cls.model_construct()
            body._problems = exc.errors(include_url=False)
            return body

    def checked(self) -> Self:
        if self._problems:
            errors: dict[str, list[str]] = {}
            for error in self._problems:
                errors.setdefault(_path(tuple(error["loc"])), []).append(_message(error))
            raise ValidationError(errors)
        return self


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# --- sheet content (rules.SECTION_FIELDS) -------------------------------------------------------

TrainingLanguage = Literal[rules.TRAINING_LANGUAGES]  # type: ignore[valid-type]
DocumentKind = Literal[rules.DOCUMENT_KINDS]  # type: ignore[valid-type]
ContactKind = Literal[rules.CONTACT_KINDS]  # type: ignore[valid-type]
SHA256 = re.compile(r"[0-9a-f]{64}")


def _answering(info: ValidationInfo) -> bool:
    """Whether an answer is being checked rather than a request. The limits below apply to what
    people send: what was published is always shown as it is (the services checked it then)."""
    return "response_status" in (info.context or {})


def _no_nul(value: str, info: ValidationInfo) -> str:
    """Refuse the NUL character in a request: PostgreSQL stores none."""
    if "\x00" in value and not _answering(info):
        raise PydanticCustomError("nul_character", str(NUL_CHARACTER))
    return value


Str = Annotated[str, AfterValidator(_no_nul)]


def _text(max_length: int, *, required: bool = False) -> Any:
    """Text of at most ``max_length`` characters in a request (required: not empty)."""

    def check(value: str, info: ValidationInfo) -> str:
        if not _answering(info) and len(value) > max_length:
            raise PydanticCustomError("string_too_long", "", {"max_length": max_length})
        return _no_nul(value, info)

    limits = Field(min_length=1 if required else None, json_schema_extra={"maxLength": max_length})
    kind = str if required else str | None
    if required:
        return Annotated[kind, limits, AfterValidator(check)]
    return Annotated[kind, limits, AfterValidator(lambda v, i: v if v is None else check(v, i))]


Code = _text(60, required=True)
Name = _text(200, required=True)
Text = _text(20000)


def _input_only(check: Any) -> Any:
    def validate(value: Any, info: ValidationInfo) -> Any:
        return value if value is None or _answering(info) else check(value)

    return AfterValidator(validate)


def _country(value: str) -> str:
    if not (value.isascii() and value.isalpha() and len(value) == 2):
        raise ValueError(str(COUNTRY_FORMAT))
    return value.upper()


def _sha256(value: str) -> str:
    if not SHA256.fullmatch(value):
        raise ValueError(str(SHA256_FORMAT))
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(str(EMAIL_INVALID)) from None
    return value


class SheetComponent(_Strict):
    code: Code
    name: Name
    kind: ComponentKind
    description: Text = None


class SheetOffer(_Strict):
    code: Code
    name: Name
    category: Annotated[Str, Field(description="Code du volet (GET /catalogue/categories)")]
    status: OfferStatus
    description: Text = None
    training_languages: list[TrainingLanguage] | None = None
    training_material: Text = None
    technical_assistance: Text = None
    trial_terms: Text = None
    data_centres: list[Str] | None = Field(
        None, description="Codes des centres de données de la fiche"
    )
    components: list[SheetComponent] | None = None


class SheetDataCentre(_Strict):
    code: Code
    city: _text(100, required=True)  # type: ignore[valid-type]
    province: _text(100) = Field(None, description="Par exemple QC, ON")  # type: ignore[valid-type]
    country: Annotated[str, _input_only(_country)] = Field(
        description="Code ISO 3166-1 alpha-2 du pays, par exemple CA (mis en majuscules)"
    )
    role: DataCentreRole
    personal_information_authorised: bool | None = None
    authorised_since: date | None = None


class SheetSecurityAnswer(_Strict):
    code: Code
    requirement: _text(1000, required=True)  # type: ignore[valid-type]
    answer: _text(20000, required=True)  # type: ignore[valid-type]


class SheetDocument(_Strict):
    code: Code
    kind: DocumentKind
    title: Name
    file_sha256: Annotated[str, _input_only(_sha256)] = Field(
        description="Empreinte SHA-256 du fichier (64 caractères hexadécimaux minuscules)"
    )
    file_name: _text(255) = None  # type: ignore[valid-type]


class SheetContact(_Strict):
    code: Code
    kind: ContactKind
    name: Name
    email: Annotated[Str, Field(min_length=1), _input_only(_email)]
    phone: _text(40) = None  # type: ignore[valid-type]


class SheetContent(_Strict):
    """A supplier's sheet (rules.SheetContent): every list is identified by its codes."""

    configurator_url: _text(500) = ""  # type: ignore[valid-type]
    offers: list[SheetOffer] = Field(default_factory=list)
    data_centres: list[SheetDataCentre] = Field(default_factory=list)
    security_answers: list[SheetSecurityAnswer] = Field(default_factory=list)
    documents: list[SheetDocument] = Field(default_factory=list)
    contacts: list[SheetContact] = Field(default_factory=list)


class DraftContentIn(_Checked, SheetContent):
    """The whole proposed sheet, plus the summary of the change (not part of the sheet)."""

    summary: Str | None = Field(None, max_length=300, description="Résumé de la modification")


# --- prices ---------------------------------------------------------------------------------------


def dollars(cents: int) -> str:
    """12345 -> "123.45" (exact: cents are integers)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


class PriceTerms(Schema):
    unit: str
    unit_price_cents: int
    billing_frequency: str
    minimum_quantity: int
    minimum_term_months: int
    all_units_from_signature: bool
    may_decrease: bool
    max_yearly_increase_bp: int


class PriceLineIn(_Strict):
    component_code: Str = Field(min_length=1, max_length=60)
    unit: Unit
    unit_price_cents: int = Field(ge=0, le=MAX_CENTS, description="Prix unitaire en cents")
    billing_frequency: BillingFrequency
    tier_min_quantity: int = Field(0, ge=0, le=MAX_INT, description="Palier à partir de")
    minimum_quantity: int = Field(0, ge=0, le=MAX_INT)
    minimum_term_months: int = Field(0, ge=0, le=MAX_SMALL_INT)
    all_units_from_signature: bool = False
    may_decrease: bool = True
    max_yearly_increase_bp: int = Field(
        0, ge=0, le=MAX_INT, description="Hausse annuelle maximale en points de base (350 = 3,5 %)"
    )


class PricesIn(_Checked):
    offer_code: Str = Field(min_length=1, max_length=60)
    effective_from: date = Field(
        description="Premier jour ouvrable d'un mois, aujourd'hui ou après"
    )
    lines: list[PriceLineIn] = Field(max_length=5000)


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
    lines: list[PriceLineOut]

    @staticmethod
    def resolve_lines(obj: PriceList) -> list[Any]:
        return list(obj.lines.all())


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
        return _offer_sheet(obj).get("training_material")

    @staticmethod
    def resolve_technical_assistance(obj: Offer) -> str | None:
        return _offer_sheet(obj).get("technical_assistance")

    @staticmethod
    def resolve_trial_terms(obj: Offer) -> str | None:
        return _offer_sheet(obj).get("trial_terms")

    @staticmethod
    def resolve_price_lists(obj: Offer, context: dict[str, Any]) -> list[PriceList]:
        today = timezone.localdate()
        return list(
            permissions.scope(context["request"].user, PriceList.objects.all())
            .filter(offer=obj, status=PriceListStatus.PUBLISHED)
            .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=today))
            .order_by("effective_from")
            .prefetch_related("lines")
        )


def _offer_sheet(offer: Offer) -> dict[str, Any]:
    """What the sheet says of the offer beyond its searchable row (frozen in its version)."""
    for item in offer.version.content.get("offers", []):
        if isinstance(item, dict) and item.get("code") == offer.code:
            return item
    return {}


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
    prices: list[PriceChangeOut] = Field(description="Les changements de prix, ligne par ligne")


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
            permissions.scope(context["request"].user, obj.price_lists.all())
            .order_by("offer_code", "effective_from")
            .prefetch_related("lines")
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
        return list(
            obj.price_lists.filter(status=status)
            .order_by("offer_code", "effective_from")
            .prefetch_related("lines")
        )

    @staticmethod
    def resolve_changes(obj: SheetDraft) -> dict[str, Any]:
        return _draft_changes(obj)

    @staticmethod
    def resolve_change_count(obj: SheetDraft) -> int:
        return rules.change_count(_draft_changes(obj))

    @staticmethod
    def resolve_outdated(obj: SheetDraft) -> bool:
        in_force = services.latest_version(obj.supplier_id)
        return obj.is_open and obj.base_version_id != getattr(in_force, "pk", None)


class DraftCreateIn(Schema):
    supplier: int = Field(ge=1, le=MAX_ID)
    summary: Str = Field("", max_length=300)


class ReturnIn(Schema):
    comment: Str = Field(min_length=1, max_length=5000)


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


class FileOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str
    download_url: str | None


class DocumentVersionOut(Schema):
    number: int
    notes: str
    published_at: datetime
    file: FileOut


class DocumentOut(Schema):
    id: int
    kind: SupportingDocumentKind
    title: str
    description: str
    versions: list[DocumentVersionOut] = Field(description="De la plus récente à la plus ancienne")


# --- categories and offers ----------------------------------------------------------------------


@router.get(
    "/categories",
    response={200: list[CategoryOut], **ERRORS},
    summary="Volets du Catalogue",
)
def category_list(request: HttpRequest):
    return list(permissions.scope(request.user, Category.objects.all()))


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
            raise ValidationError({"price_max": forms.PRICE_RANGE_ORDER})
        if (self.price_min is not None or self.price_max is not None) and not self.unit:
            raise ValidationError({"unit": forms.PRICE_NEEDS_UNIT})
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


@router.get(
    "/offers",
    response={200: list[OfferOut], **ERRORS},
    summary="Chercher des offres",
    description=(
        "Les offres que la personne peut voir, filtrées (volet, fournisseur, statut, lieu "
        "d'hébergement, renseignements personnels, langue de formation, fourchette de prix "
        "en vigueur aujourd'hui pour une unité) et triées. Recherche en français sans égard "
        "aux accents ni à la casse. La réponse donne une page et indique s'il en reste "
        "(`has_more`) sans compter toutes les offres trouvées."
    ),
)
@paginate(WindowPagination)
def offer_list(request: HttpRequest, filters: Query[OfferQuery]):
    return selectors.offer_search(request.user, filters.filters())


@router.get(
    "/offers/{offer_id}",
    response={200: OfferDetailOut, **ERRORS},
    summary="Une offre",
    description=(
        "L'offre telle que la décrit la dernière version de la fiche du fournisseur : "
        "composantes, centres de données, liste de prix en vigueur aujourd'hui et listes "
        "prévues (prix en cents, et en dollars en texte exact)."
    ),
)
def offer_detail(request: HttpRequest, offer_id: int = path_id()):
    return permissions.get_visible_or_404(
        request.user,
        Offer.objects.select_related("supplier", "category", "version"),
        pk=offer_id,
    )


# --- sheet versions ---------------------------------------------------------------------------


@router.get(
    "/suppliers/{supplier_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Versions de la fiche d'un fournisseur",
    description="De la plus récente à la plus ancienne.",
)
@paginate(Pagination)
def version_list(request: HttpRequest, supplier_id: int = path_id()):
    supplier = Organisation.objects.filter(pk=supplier_id, kind=OrganisationKind.SUPPLIER).first()
    # The Catalogue's readers see every sheet; a supplier's people only their own.
    if supplier is None or not (
        permissions.has_perm(request.user, Perm.BROWSE_CATALOGUE)
        or permissions.can_view(request.user, supplier)
    ):
        raise Http404
    return (
        permissions.scope(request.user, SheetVersion.objects.filter(supplier=supplier))
        .select_related("supplier")
        .order_by("-number")
    )


@router.get(
    "/versions/{version_id}",
    response={200: VersionDetailOut, **ERRORS},
    summary="Une version de fiche",
    description=(
        "Le contenu figé de la version, son historique des modifications par rapport à la "
        "version précédente (ajouts, retraits, modifications, et chaque changement de prix) "
        "et les listes de prix publiées avec elle."
    ),
)
def version_detail(request: HttpRequest, version_id: int = path_id()):
    return permissions.get_visible_or_404(
        request.user, SheetVersion.objects.select_related("supplier"), pk=version_id
    )


# --- proposals (drafts) and their review --------------------------------------------------------


def _visible_draft(request: HttpRequest, draft_id: int) -> SheetDraft:
    return permissions.get_visible_or_404(
        request.user, SheetDraft.objects.select_related("supplier", "version"), pk=draft_id
    )


def _draft_changes(draft: SheetDraft) -> dict[str, Any]:
    """The proposal against the sheet in force (the frozen history once published). Computed
    once per answer."""
    cached = getattr(draft, "_api_changes", None)
    if cached is not None:
        return cached
    changes = None
    if draft.status == DraftStatus.PUBLISHED:
        changes = SheetVersion.objects.filter(draft=draft).values_list("changes", flat=True).first()
    if changes is None:
        changes = services.draft_changes(draft)
    draft._api_changes = changes  # type: ignore[attr-defined]
    return changes


@router.get(
    "/drafts",
    response={200: list[DraftOut], **ERRORS},
    summary="Propositions de modification de fiche",
    description=(
        "Le Courtier voit toutes les propositions ; un fournisseur seulement les siennes. "
        "Les plus récemment modifiées d'abord."
    ),
)
@paginate(Pagination)
def draft_list(
    request: HttpRequest,
    status: DraftStatus | None = None,
    supplier: int | None = Query(None, ge=1, le=MAX_ID),
):
    drafts = permissions.scope(
        request.user, SheetDraft.objects.select_related("supplier", "version")
    )
    if status:
        drafts = drafts.filter(status=status)
    if supplier:
        drafts = drafts.filter(supplier_id=supplier)
    return drafts.order_by("-updated_at", "-pk")


@router.post(
    "/drafts",
    response={201: DraftDetailOut, **ERRORS},
    summary="Commencer une proposition de modification",
    description=(
        "À partir de la version en vigueur de la fiche du fournisseur (ou d'une fiche vide). "
        "Une seule proposition ouverte par fournisseur."
    ),
)
def draft_create(request: HttpRequest, payload: DraftCreateIn):
    # Those who read the Catalogue but may propose nothing (clients, auditors) are refused
    # outright, as on the sheet's page; the service decides for everyone else.
    if permissions.has_perm(request.user, Perm.BROWSE_CATALOGUE) and not permissions.has_perm(
        request.user, Perm.PROPOSE_SHEET
    ):
        raise PermissionDenied
    supplier = Organisation.objects.filter(
        pk=payload.supplier, kind=OrganisationKind.SUPPLIER
    ).first()
    if supplier is None:
        raise ValidationError({"supplier": UNKNOWN_SUPPLIER})
    draft = services.sheet_draft_create(by=request.user, supplier=supplier, summary=payload.summary)
    return Status(201, draft)


@router.get(
    "/drafts/{draft_id}",
    response={200: DraftDetailOut, **ERRORS},
    summary="Une proposition de modification",
    description="Son contenu, ses listes de prix proposées et l'écart avec la version en vigueur.",
)
def draft_detail(request: HttpRequest, draft_id: int = path_id()):
    return _visible_draft(request, draft_id)


@router.put(
    "/drafts/{draft_id}",
    response={200: DraftDetailOut, **ERRORS},
    summary="Remplacer le contenu proposé",
    description=(
        "Le contenu entier de la fiche. Refusé en entier (422) si quoi que ce soit ne va pas, "
        "chaque problème nommé par son chemin, par exemple offers[0].components[1].code."
    ),
)
def draft_update(request: HttpRequest, payload: DraftContentIn, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    body = payload.checked()
    content = body.model_dump(mode="json", exclude_unset=True, exclude={"summary"})
    return services.sheet_draft_update(
        by=request.user, draft=draft, content=content, summary=body.summary
    )


@router.put(
    "/drafts/{draft_id}/prices",
    response={200: PriceListOut, **ERRORS},
    summary="Proposer la liste de prix d'une offre",
    description=(
        "Remplace la liste proposée pour la même offre et la même date. Les prix ne changent "
        "que le premier jour ouvrable d'un mois, aujourd'hui ou plus tard."
    ),
)
def draft_set_prices(request: HttpRequest, payload: PricesIn, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    body = payload.checked()
    if body.effective_from.year not in calendar_rules.SUPPORTED_YEARS:
        raise out_of_calendar_error("effective_from")
    return services.sheet_draft_set_prices(
        by=request.user,
        draft=draft,
        offer_code=body.offer_code,
        effective_from=body.effective_from,
        lines=[line.model_dump(mode="json") for line in body.lines],
    )


@router.post(
    "/drafts/{draft_id}/submit",
    response={200: DraftOut, **ERRORS},
    summary="Soumettre la proposition au Courtier",
)
def draft_submit(request: HttpRequest, draft_id: int = path_id()):
    return services.sheet_draft_submit(by=request.user, draft=_visible_draft(request, draft_id))


@router.post(
    "/drafts/{draft_id}/return",
    response={200: DraftOut, **ERRORS},
    summary="Renvoyer la proposition au fournisseur",
    description="Réservé au Courtier, avec ce que le fournisseur doit corriger.",
)
def draft_return(request: HttpRequest, payload: ReturnIn, draft_id: int = path_id()):
    return services.sheet_draft_return(
        by=request.user, draft=_visible_draft(request, draft_id), comment=payload.comment
    )


@router.post(
    "/drafts/{draft_id}/publish",
    response={201: VersionOut, **ERRORS},
    summary="Publier la proposition",
    description=(
        "Réservé au Courtier : crée la nouvelle version datée de la fiche, avec son historique "
        "des modifications, et publie ses listes de prix."
    ),
)
def draft_publish(request: HttpRequest, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    return Status(201, services.sheet_draft_publish(by=request.user, draft=draft))


@router.post(
    "/drafts/{draft_id}/abandon",
    response={200: DraftOut, **ERRORS},
    summary="Abandonner la proposition",
)
def draft_abandon(request: HttpRequest, draft_id: int = path_id()):
    return services.sheet_draft_abandon(by=request.user, draft=_visible_draft(request, draft_id))


# --- qualifications and framework agreements ----------------------------------------------------


@router.get(
    "/qualifications",
    response={200: list[QualificationOut], **ERRORS},
    summary="Qualifications et prestataires qualifiés",
    description="Chaque qualification, la description de ses services et ses prestataires, "
    "avec leurs personnes-ressources.",
)
@paginate(Pagination)
def qualification_list(request: HttpRequest, active: bool | None = None):
    providers = permissions.scope(
        request.user,
        ProviderQualification.objects.select_related("provider", "agreement").order_by(
            "provider__name", "pk"
        ),
    )
    qualifications = permissions.scope(request.user, Qualification.objects.all())
    if active is not None:
        qualifications = qualifications.filter(is_active=active)
    return qualifications.order_by("name", "pk").prefetch_related(
        Prefetch("providers", queryset=providers)
    )


@router.get(
    "/agreements",
    response={200: list[AgreementOut], **ERRORS},
    summary="Ententes-cadres",
)
@paginate(Pagination)
def agreement_list(
    request: HttpRequest,
    organisation: int | None = Query(None, ge=1, le=MAX_ID),
    status: AgreementStatus | None = None,
):
    agreements = permissions.scope(request.user, FrameworkAgreement.objects.all())
    if organisation:
        agreements = agreements.filter(organisation_id=organisation)
    if status:
        agreements = agreements.filter(status=status)
    return (
        agreements.select_related("organisation")
        .prefetch_related("categories")
        .order_by("number", "pk")
    )


# --- subscriptions ------------------------------------------------------------------------------


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], **ERRORS},
    summary="Mes abonnements aux modifications du Catalogue",
)
def subscription_list(request: HttpRequest):
    return list(
        permissions.scope(
            request.user, Subscription.objects.select_related("category", "supplier")
        ).order_by("pk")
    )


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut, **ERRORS},
    summary="M'abonner aux modifications du Catalogue",
    description=(
        "À tout le Catalogue (ni volet ni fournisseur), à un volet ou à un fournisseur. Chaque "
        "publication envoie un courriel résumant les modifications."
    ),
)
def subscription_create(request: HttpRequest, payload: SubscriptionIn):
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)
    permissions.require_perm(request.user, Perm.WRITE)  # the auditor changes nothing
    category = supplier = None
    if payload.category:
        category = Category.objects.filter(code=payload.category).first()
        if category is None:
            raise ValidationError({"category": UNKNOWN_CATEGORY % {"code": payload.category}})
    if payload.supplier is not None:
        supplier = Organisation.objects.filter(
            pk=payload.supplier, kind=OrganisationKind.SUPPLIER
        ).first()
        if supplier is None:
            raise ValidationError({"supplier": UNKNOWN_SUPPLIER})
    subscription = services.subscription_create(
        by=request.user, category=category, supplier=supplier
    )
    return Status(201, subscription)


@router.delete(
    "/subscriptions/{subscription_id}",
    response={204: None, **ERRORS},
    summary="Me désabonner",
)
def subscription_delete(request: HttpRequest, subscription_id: int = path_id()):
    subscription = permissions.get_visible_or_404(
        request.user, Subscription.objects.all(), pk=subscription_id
    )
    services.subscription_delete(by=request.user, subscription=subscription)
    return Status(204, None)


# --- supporting documents -----------------------------------------------------------------------


def _download_url(version: SupportingDocumentVersion) -> str | None:
    try:
        return reverse("catalogue:file_download", args=[version.file.sha256])
    except NoReverseMatch:
        return None


@router.get(
    "/documents",
    response={200: list[DocumentOut], **ERRORS},
    summary="Documents de soutien",
    description=(
        "Gabarits et guides publiés par le Courtier, chacun avec toutes ses versions "
        "(empreinte SHA-256 et adresse de téléchargement du fichier)."
    ),
)
def document_list(request: HttpRequest, kind: SupportingDocumentKind | None = None):
    versions = permissions.scope(
        request.user, SupportingDocumentVersion.objects.select_related("file")
    ).order_by("-number")
    documents = permissions.scope(request.user, SupportingDocument.objects.all())
    if kind:
        documents = documents.filter(kind=kind)
    return [
        {
            "id": document.pk,
            "kind": document.kind,
            "title": document.title,
            "description": document.description,
            "versions": [
                {
                    "number": version.number,
                    "notes": version.notes,
                    "published_at": version.published_at,
                    "file": {
                        "name": version.file.name,
                        "content_type": version.file.content_type,
                        "size": version.file.size,
                        "sha256": version.file.sha256,
                        "download_url": _download_url(version),
                    },
                }
                for version in document.versions.all()
            ],
        }
        for document in documents.prefetch_related(Prefetch("versions", queryset=versions))
    ]


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
    since: date = Field(description="Depuis la fin de cette journée (AAAA-MM-JJ)")


def _offer_ids(text: str) -> list[int]:
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and len(part) <= 19 and 1 <= int(part) <= MAX_ID):
            raise ValidationError({"offers": OFFER_IDS_FORMAT})
        if int(part) not in ids:
            ids.append(int(part))
    if len(ids) > MAX_OFFERS_ASKED:
        raise ValidationError({"offers": TOO_MANY_OFFERS % {"n": MAX_OFFERS_ASKED}})
    return ids


@router.get(
    "/changes",
    response={200: list[OfferChangesOut], **ERRORS},
    summary="Ce qui a changé dans des offres depuis une date",
    description=(
        "Pour chaque offre demandée que la personne peut voir (les autres sont omises) : les "
        "versions de la fiche publiées après la date qui l'ont modifiée (l'offre, ses prix, un "
        "de ses centres de données ou une section commune de la fiche), avec ses changements "
        "de prix. Pour une acquisition en cours (004 §3.2)."
    ),
)
def offer_changes(request: HttpRequest, query: Query[ChangesQuery]):
    ids = _offer_ids(query.offers)
    changes = selectors.changes_since(request.user, ids, query.since)
    rows = {o.pk: o for o in Offer.objects.filter(pk__in=list(changes))}
    answer = []
    for pk in ids:
        if pk not in changes:
            continue
        offer = rows[pk]
        versions = changes[pk]
        for version in versions:
            version.price_changes = [  # type: ignore[attr-defined]
                row for row in version.changes.get("prices", []) if row.get("offer") == offer.code
            ]
        answer.append(
            {"offer_id": pk, "code": offer.code, "name": offer.name, "versions": versions}
        )
    return answer
