"""The API's checked request bodies: a proposed sheet (typed: sections and items refuse unknown
fields, rules.SECTION_FIELDS) and a proposed price list. Every problem of such a body is
answered 422 at once, with the paths the services use (``offers[0].components[1].code``) and a
French message, instead of pydantic's own wording."""

import re
from typing import Annotated, Any, Literal, Self

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, PrivateAttr, ValidationInfo, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from courtier.catalogue import rules
from courtier.catalogue.api.common import MAX_CENTS, MAX_INT, MAX_SMALL_INT
from courtier.catalogue.messages import (
    BAD_FORMAT,
    COUNTRY_FORMAT,
    EMAIL_INVALID,
    NOT_A_BOOLEAN,
    NOT_A_DATE,
    NOT_A_LIST,
    NOT_AN_INTEGER,
    NOT_AN_OBJECT,
    SHA256_FORMAT,
    TOO_FEW_ITEMS,
    TOO_MANY_ITEMS,
    UNKNOWN_FIELD,
)
from courtier.catalogue.models import (
    BillingFrequency,
    ComponentKind,
    DataCentreRole,
    OfferStatus,
    Unit,
)
from courtier.core.apierrors import pydantic_errors
from courtier.core.apifields import ApiDate, Str, StrictInt, answering, no_nul

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


def _text(max_length: int, *, required: bool = False) -> Any:
    """Text of at most ``max_length`` characters in a request (required: not empty)."""

    def check(value: str, info: ValidationInfo) -> str:
        if not answering(info) and len(value) > max_length:
            raise PydanticCustomError("string_too_long", "", {"max_length": max_length})
        return no_nul(value, info)

    limits = Field(min_length=1 if required else None, json_schema_extra={"maxLength": max_length})
    kind = str if required else str | None
    if required:
        return Annotated[kind, limits, AfterValidator(check)]
    return Annotated[kind, limits, AfterValidator(lambda v, i: v if v is None else check(v, i))]


Code = _text(60, required=True)
Name = _text(200, required=True)
Text = _text(rules.MAX_TEXT_LENGTH)


def _input_only(check: Any) -> Any:
    def validate(value: Any, info: ValidationInfo) -> Any:
        return value if value is None or answering(info) else check(value)

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
    authorised_since: ApiDate | None = None


class SheetSecurityAnswer(_Strict):
    code: Code
    requirement: _text(rules.MAX_REQUIREMENT_LENGTH, required=True)  # type: ignore[valid-type]
    answer: _text(rules.MAX_TEXT_LENGTH, required=True)  # type: ignore[valid-type]


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

    summary: Str | None = Field(
        None, max_length=rules.MAX_SUMMARY_LENGTH, description="Résumé de la modification"
    )


# --- prices ---------------------------------------------------------------------------------------


class PriceLineIn(_Strict):
    component_code: Str = Field(min_length=1, max_length=60)
    unit: Unit
    unit_price_cents: StrictInt = Field(ge=0, le=MAX_CENTS, description="Prix unitaire en cents")
    billing_frequency: BillingFrequency
    tier_min_quantity: StrictInt = Field(0, ge=0, le=MAX_INT, description="Palier à partir de")
    minimum_quantity: StrictInt = Field(0, ge=0, le=MAX_INT)
    minimum_term_months: StrictInt = Field(0, ge=0, le=MAX_SMALL_INT)
    all_units_from_signature: bool = False
    may_decrease: bool = True
    max_yearly_increase_bp: StrictInt = Field(
        0, ge=0, le=MAX_INT, description="Hausse annuelle maximale en points de base (350 = 3,5 %)"
    )


class PricesIn(_Checked):
    offer_code: Str = Field(min_length=1, max_length=60)
    effective_from: ApiDate = Field(
        description="Premier jour ouvrable d'un mois, aujourd'hui ou après"
    )
    lines: list[PriceLineIn] = Field(max_length=5000)
