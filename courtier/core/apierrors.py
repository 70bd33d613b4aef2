"""One error format for every 4xx of the API: a message and the fields at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Schema

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


CSRF_FAILED = "CSRF check Failed"  # ninja's own message, replaced by a French one
BODY_PARSE_FAILED = "Cannot parse request body"  # ninja's own message, replaced too


def error_body(message: str, errors: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    return {"message": str(message), "errors": list(errors)}


def _french(error: dict[str, Any]) -> str:
    """Pydantic speaks English; people using the API read French first."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Ce champ est obligatoire."),
        "string_too_short": _("Au moins %(n)s caractère(s).") % {"n": ctx.get("min_length")},
        "string_too_long": _("Au plus %(n)s caractères.") % {"n": ctx.get("max_length")},
        "string_type": _("Saisissez du texte."),
        "int_parsing": _("Saisissez un nombre entier."),
        "int_type": _("Saisissez un nombre entier."),
        "bool_parsing": _("Saisissez vrai ou faux."),
        "date_parsing": _("Saisissez une date valide (AAAA-MM-JJ)."),
        "date_from_datetime_parsing": _("Saisissez une date valide (AAAA-MM-JJ)."),
        "json_invalid": _("Le corps de la requête n'est pas du JSON valide."),
        "greater_than_equal": _("La valeur doit être au moins %(n)s.") % {"n": ctx.get("ge")},
        "less_than_equal": _("La valeur doit être au plus %(n)s.") % {"n": ctx.get("le")},
        "enum": _("Valeur non permise. Valeurs possibles : %(v)s.")
        % {"v": ctx.get("expected", "")},
        "literal_error": _("Valeur non permise. Valeurs possibles : %(v)s.")
        % {"v": ctx.get("expected", "")},
        "extra_forbidden": _("Ce champ n'est pas attendu ici."),
        "float_parsing": _("Saisissez un nombre."),
        "decimal_parsing": _("Saisissez un nombre."),
        "list_type": _("Saisissez une liste."),
        "dict_type": _("Saisissez un objet JSON."),
        "model_type": _("Saisissez un objet JSON."),
        "bool_type": _("Saisissez vrai ou faux."),
        "date_type": _("Saisissez une date valide (AAAA-MM-JJ)."),
        "too_long": _("Au plus %(n)s éléments.") % {"n": ctx.get("max_length")},
        "greater_than": _("La valeur doit être supérieure à %(n)s.") % {"n": ctx.get("gt")},
        "less_than": _("La valeur doit être inférieure à %(n)s.") % {"n": ctx.get("lt")},
    }
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("Ce champ est obligatoire.")
    if kind in messages:
        return messages[kind]
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", _("Valeur invalide.")))


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
