"""The JSON API under /api/v1/: authentication, one error format, and the routers.

Every 4xx answer has the shape ``{"message": str, "errors": [{"field": str, "message": str}]}``.
"""

from __future__ import annotations

import copy
import json
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth

from courtier.accounts.api import router as accounts_router
from courtier.accounts.services import api_token_authenticate
from courtier.acquisitions.api import router as acquisitions_router
from courtier.audit.api import router as audit_router
from courtier.calendar.api import router as calendar_router
from courtier.catalogue.api import router as catalogue_router
from courtier.complaints.api import router as complaints_router
from courtier.contracts.api import router as contracts_router
from courtier.core.apierrors import (
    BODY_PARSE_FAILED,
    BODY_SURROGATE,
    BODY_UNREADABLE,
    CSRF_FAILED,
    error_body,
    error_response,
    pydantic_errors,
    status_message,
    validation_errors,
)
from courtier.core.apifields import surrogate_fields
from courtier.documents.api import router as documents_router
from courtier.evaluations.api import router as evaluations_router
from courtier.exitplans.api import router as exitplans_router
from courtier.fees.api import router as fees_router
from courtier.pricerequests.api import router as pricerequests_router
from courtier.publication.api import router as publication_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ctr_…`` with a personal token (stored hashed, revocable)."""

    openapi_description = "Jeton personnel (Mon compte › Jetons d'API)"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _signed_in_only(view):  # type: ignore[no-untyped-def]
    """The schema and the docs are for signed-in people or token holders too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            header = request.headers.get("Authorization", "")
            scheme, _sep, secret = header.partition(" ")
            user = api_token_authenticate(secret) if scheme.lower() == "bearer" else None
            if user is None:
                return error_response(401)
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper


class CourtierAPI(NinjaAPI):
    """The schema is built once per process (per language and path), not on each request of
    ``openapi.json`` or the docs: the operations cannot change while the process runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple[str, str], Any] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language() or "")
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        # A copy: a reader that changes the schema it was given (a test tool) changes no other's.
        return copy.deepcopy(self._schemas[key])


class Utf8Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # "Données", not "Donn\\u00e9es"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        text = super().render(request, data, response_status=response_status)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate has no UTF-8: escaped (\\ud800), the answer is still valid JSON.
            return json.dumps(data, cls=self.encoder_class, ensure_ascii=True)


class CheckedParser(Parser):
    """A JSON body whose text no database could store (a lone surrogate) is refused here, for
    every operation at once, naming the fields (on_http_error answers the 400)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        fields = sorted(set(surrogate_fields(data)))
        if fields:
            request._surrogate_fields = fields  # type: ignore[attr-defined]
            raise ValueError("lone surrogate")
        return data


api = CourtierAPI(
    title="Courtier API",
    version="1",
    description=(
        "API du Courtier en infonuagique et en technologies spécialisées. "
        "Authentification : jeton personnel (Authorization: Bearer ctr_…) ou session. "
        "Toute erreur 4xx : {message, errors: [{field, message}]}. "
        "Écritures (POST, PUT, PATCH, DELETE) : en-tête facultatif Idempotency-Key (au plus 200 "
        "caractères ASCII : lettres, chiffres et . _ : ~ + / = -). La première réponse réussie "
        "(2xx) est gardée 24 h avec la clé, le jeton ou la personne, la méthode, l'adresse et une "
        "empreinte du corps; la même requête renvoyée avec la même clé reçoit le même statut et "
        "le même corps, avec l'en-tête Idempotent-Replayed: true, sans être refaite. La même clé "
        "pour une autre requête répond 422 en nommant le champ Idempotency-Key."
    ),
    renderer=Utf8Renderer(),
    parser=CheckedParser(),
    auth=[TokenAuth(), django_auth],  # the session cookie is checked for CSRF
    urls_namespace="api",
    docs_decorator=_signed_in_only,
)

api.add_router("/", accounts_router)
api.add_router("/audit-events", audit_router)
api.add_router("/calendar", calendar_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/acquisitions", acquisitions_router)
api.add_router("/documents", documents_router)
api.add_router("/services", pricerequests_router)
api.add_router("/contracts", contracts_router)
api.add_router("/complaints", complaints_router)
api.add_router("/evaluations", evaluations_router)
api.add_router("/exit-plans", exitplans_router)
api.add_router("/publication", publication_router)
api.add_router("/fees", fees_router)


def _answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _answer(request, 422, error_body(status_message(422), pydantic_errors(exc.errors)))


@api.exception_handler(DjangoValidationError)
def on_rule_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _answer(request, 422, error_body(status_message(422), validation_errors(exc)))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _answer(request, 401, error_body(status_message(401)))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _answer(request, 403, error_body(str(exc) or status_message(403)))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, error_body(status_message(404)))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if message == CSRF_FAILED:
        message = _("Jeton CSRF absent ou invalide : rechargez la page et recommencez.")
    elif exc.status_code == 400 and message.startswith(BODY_PARSE_FAILED):
        fields = getattr(request, "_surrogate_fields", None)
        if fields:  # readable JSON, but text no database stores: invalid data, field by field
            errors = [{"field": field, "message": str(BODY_SURROGATE)} for field in fields]
            return _answer(request, 422, error_body(status_message(422), errors))
        errors = [{"field": "body", "message": str(BODY_UNREADABLE)}]
        return _answer(request, 400, error_body(status_message(400), errors))
    return _answer(request, exc.status_code, error_body(message))
