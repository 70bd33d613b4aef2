"""One error format for every 4xx of the API: a message and the fields at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, get_args

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Schema
from pydantic_core.core_schema import ErrorType

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField): path ids beyond are refused
# The longest address (path and query) the API reads; a longer one gets this API's 414, in
# French. The WSGI server in front must accept a longer request line (gunicorn:
# ``--limit-request-line 8190``; its default, 4094, would answer 414 itself, in English).
MAX_URL_LENGTH = 8000


def path_id() -> Any:
    """An identifier in the path: a positive database key (422 beyond, never a 5xx)."""
    return Path(..., ge=1, le=MAX_ID)


# Where a field sits in a request, and the name every body parameter has (``payload``).
_LOCATIONS = {"body", "query", "path", "form", "header", "cookie", "payload"}


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    """Every 4xx answer of the API."""

    message: str
    errors: list[FieldError]


# The error answers every operation documents in the OpenAPI schema: 400 for a body that cannot
# be read, 414 for an address longer than MAX_URL_LENGTH.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 414: Error, 422: Error, 429: Error}
BODY_UNREADABLE = gettext_lazy(
    "Le corps de la requête est illisible : envoyez du JSON valide, ou un formulaire multipart "
    "pour un fichier."
)


BODY_SURROGATE = gettext_lazy(
    "Le texte contient un caractère invalide (substitut UTF-16 isolé) : aucun texte ne peut le "
    "conserver."
)


def status_message(status: int) -> str:
    """The message of a 4xx that carries nothing more specific."""
    messages = {
        400: _("Requête invalide."),
        401: _("Authentification requise."),
        403: _("Vous n'avez pas l'autorisation de faire ceci."),
        404: _("Introuvable."),
        405: _("Méthode non permise pour cette adresse."),
        413: _("Requête trop volumineuse."),
        414: _("Adresse trop longue : au plus %(n)s caractères, requête comprise.")
        % {"n": MAX_URL_LENGTH},
        422: _("Données invalides."),
        429: _("Trop de requêtes : réessayez dans un moment."),
    }
    return messages.get(status, _("Requête refusée."))


INVALID_VALUE = gettext_lazy("Valeur invalide.")
CSRF_FAILED = "CSRF check Failed"  # ninja's own message, replaced by a French one
BODY_PARSE_FAILED = "Cannot parse request body"  # ninja's own message, replaced too


def error_body(message: str, errors: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    return {"message": str(message), "errors": list(errors)}


# Every error type pydantic can raise (pydantic_core.core_schema.ErrorType): one without a
# message of its own below is answered with INVALID_VALUE, never in English.
_PYDANTIC_TYPES = frozenset(get_args(ErrorType))


def _french(error: dict[str, Any]) -> str:
    """Pydantic speaks English; people using the API read French first."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    number = _("Saisissez un nombre.")
    integer = _("Saisissez un nombre entier.")
    text = _("Saisissez du texte.")
    a_date = _("Saisissez une date valide (AAAA-MM-JJ).")
    a_datetime = _("Saisissez une date et une heure valides (AAAA-MM-JJTHH:MM).")
    an_object = _("Saisissez un objet JSON.")
    a_list = _("Saisissez une liste.")
    boolean = _("Saisissez vrai ou faux.")
    choices = _("Valeur non permise. Valeurs possibles : %(v)s.") % {"v": ctx.get("expected", "")}
    messages = {
        "missing": _("Ce champ est obligatoire."),
        "missing_argument": _("Ce champ est obligatoire."),
        "missing_keyword_only_argument": _("Ce champ est obligatoire."),
        "missing_positional_only_argument": _("Ce champ est obligatoire."),
        "string_too_short": _("Au moins %(n)s caractère(s).") % {"n": ctx.get("min_length")},
        "string_too_long": _("Au plus %(n)s caractères.") % {"n": ctx.get("max_length")},
        "string_type": text,
        "string_sub_type": text,
        "string_unicode": _("Le texte n'est pas de l'Unicode valide."),
        "string_pattern_mismatch": _("Format invalide."),
        "string_not_ascii": _("Seuls les caractères ASCII sont permis."),
        "int_parsing": integer,
        "int_type": integer,
        "int_from_float": integer,
        "int_parsing_size": _("Nombre entier trop grand."),
        "float_parsing": number,
        "float_type": number,
        "finite_number": _("Saisissez un nombre fini."),
        "decimal_parsing": number,
        "decimal_type": number,
        "decimal_max_digits": _("Au plus %(n)s chiffres.") % {"n": ctx.get("max_digits")},
        "decimal_max_places": _("Au plus %(n)s décimales.") % {"n": ctx.get("decimal_places")},
        "decimal_whole_digits": _("Au plus %(n)s chiffres avant la virgule.")
        % {"n": ctx.get("whole_digits")},
        "multiple_of": _("La valeur doit être un multiple de %(n)s.")
        % {"n": ctx.get("multiple_of")},
        "complex_type": number,
        "complex_str_parsing": number,
        "bool_parsing": boolean,
        "bool_type": boolean,
        "date_parsing": a_date,
        "date_from_datetime_parsing": a_date,
        "date_from_datetime_inexact": a_date,
        "date_type": a_date,
        "date_past": _("La date doit être passée."),
        "date_future": _("La date doit être à venir."),
        "datetime_type": a_datetime,
        "datetime_parsing": a_datetime,
        "datetime_object_invalid": a_datetime,
        "datetime_from_date_parsing": a_datetime,
        "datetime_past": _("La date doit être passée."),
        "datetime_future": _("La date doit être à venir."),
        "timezone_naive": _("Indiquez la date et l'heure sans fuseau horaire."),
        "timezone_aware": _("Indiquez le fuseau horaire (par exemple -05:00)."),
        "timezone_offset": _("Fuseau horaire non permis."),
        "time_type": _("Saisissez une heure valide (HH:MM)."),
        "time_parsing": _("Saisissez une heure valide (HH:MM)."),
        "time_delta_type": _("Saisissez une durée valide."),
        "time_delta_parsing": _("Saisissez une durée valide."),
        "json_invalid": _("Le corps de la requête n'est pas du JSON valide."),
        "json_type": _("Le corps de la requête n'est pas du JSON valide."),
        "greater_than_equal": _("La valeur doit être au moins %(n)s.") % {"n": ctx.get("ge")},
        "less_than_equal": _("La valeur doit être au plus %(n)s.") % {"n": ctx.get("le")},
        "greater_than": _("La valeur doit être supérieure à %(n)s.") % {"n": ctx.get("gt")},
        "less_than": _("La valeur doit être inférieure à %(n)s.") % {"n": ctx.get("lt")},
        "enum": choices,
        "literal_error": choices,
        "union_tag_invalid": choices,
        "union_tag_not_found": _("Ce champ est obligatoire."),
        "extra_forbidden": _("Ce champ n'est pas attendu ici."),
        "unexpected_keyword_argument": _("Ce champ n'est pas attendu ici."),
        "unexpected_positional_argument": _("Ce champ n'est pas attendu ici."),
        "list_type": a_list,
        "tuple_type": a_list,
        "set_type": a_list,
        "frozen_set_type": a_list,
        "iterable_type": a_list,
        "set_item_not_hashable": _("Les éléments de la liste sont des valeurs simples."),
        "too_long": _("Au plus %(n)s éléments.") % {"n": ctx.get("max_length")},
        "too_short": _("Au moins %(n)s élément(s).") % {"n": ctx.get("min_length")},
        "dict_type": an_object,
        "mapping_type": an_object,
        "model_type": an_object,
        "model_attributes_type": an_object,
        "dataclass_type": an_object,
        "dataclass_exact_type": an_object,
        "arguments_type": an_object,
        "invalid_key": _("Les noms des champs sont du texte."),
        "none_required": _("Ce champ doit être vide (null)."),
        "bytes_type": text,
        "bytes_too_short": _("Au moins %(n)s octet(s).") % {"n": ctx.get("min_length")},
        "bytes_too_long": _("Au plus %(n)s octets.") % {"n": ctx.get("max_length")},
        "bytes_invalid_encoding": _("Encodage invalide."),
        "url_type": _("Saisissez une adresse web valide."),
        "url_parsing": _("Saisissez une adresse web valide."),
        "url_syntax_violation": _("Saisissez une adresse web valide."),
        "url_too_long": _("Adresse web trop longue."),
        "url_scheme": _("Adresse web : schéma non permis."),
        "uuid_type": _("Saisissez un UUID valide."),
        "uuid_parsing": _("Saisissez un UUID valide."),
        "uuid_version": _("Version d'UUID non permise."),
        "frozen_field": _("Ce champ ne peut pas être modifié."),
        "frozen_instance": _("Ce champ ne peut pas être modifié."),
        "multiple_argument_values": _("Ce champ est donné plus d'une fois."),
    }
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("Ce champ est obligatoire.")
    if kind in messages:
        return messages[kind]
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        # Raised by this project's validators, whose messages are French constants.
        return str(ctx["error"]).removeprefix("Assertion failed, ")
    if kind in _PYDANTIC_TYPES:
        return str(INVALID_VALUE)
    # A PydanticCustomError of this project (nul_character, lone_surrogate, date_range...):
    # its message is a French constant.
    return str(error.get("msg") or INVALID_VALUE)


def error_response(status: int, message: str | None = None) -> JsonResponse:
    """A JSON 4xx built outside ninja's handlers (middleware, decorators)."""
    return JsonResponse(
        error_body(message or status_message(status)),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def pydantic_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        path = [p for p in loc if p not in _LOCATIONS]
        if not path and loc[:1] == ["body"] and error.get("type") == "missing":
            out.append({"field": "body", "message": _("Le corps de la requête (JSON) est vide.")})
            continue
        out.append({"field": ".".join(path) or NON_FIELD_ERRORS, "message": _french(error)})
    return out


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    """A Django ValidationError raised by a service, with or without field names."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": NON_FIELD_ERRORS, "message": str(m)} for m in exc.messages]
