"""Submissions that never run twice: a page form's one-time token, an API's ``Idempotency-Key``.

Pages. Every ``{% csrf_token %}`` also writes a hidden ``_form_token`` (courtier.core.
templatetags.form_token, a template builtin), a fresh random value at each rendering. A POST
carrying one is run inside one transaction that first claims the token: a row of
``FormSubmission`` unique per (person, token, content), the content being a hash of the fields
and files sent. When the view succeeds (a redirect, as every page does after a write) the row
keeps where it led and is committed with the view's writes; otherwise (a form refused with 422,
a 403) the row is removed, so that the corrected form can be sent with the same token. A second
POST with the same token and content — Back then submit, a double click — cannot claim it: on
PostgreSQL its insert waits for the first transaction, on SQLite its ``BEGIN IMMEDIATE`` does,
and both then meet the unique constraint. It is then sent, with a French message, to where the
first submission led, and the view is not run. The same token with other content (Back, then a
change on purpose) is a new submission. The token is bound to the person (or, signed out, to
the browser's CSRF secret): someone else's use of the same value is their own submission. A
POST without a token (the test client, a script) runs as before. Chromium fetches a form page
again on Back (the POST to its address drops it from the HTTP cache): static/courtier/
form-tokens.js keeps each history entry's first tokens and puts them back then.

API. A POST/PUT/PATCH/DELETE under /api/v1/ carrying ``Idempotency-Key`` is claimed the same way
per (person or API token, key), with its method, address and a hash of its body. The first
successful (2xx) answer is kept; a replay gets the same status and body, with
``Idempotent-Replayed: true``, and the operation does not run again. The same key with another
method, address or body answers 422 naming ``Idempotency-Key``. A refused answer (4xx) keeps
nothing: the corrected request may reuse the key.

Both kinds of rows are kept for ``KEPT_FOR``; ``purge_expired`` removes older ones, called now and
then by the middlewares themselves (every ``PURGE_EVERY``-th claim, after its commit) and by
``courtier purge-submissions``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.core.apierrors import error_body, status_message
from courtier.core.models import FormSubmission, IdempotentRequest

FORM_TOKEN_FIELD = "_form_token"
_NOT_CONTENT = frozenset({FORM_TOKEN_FIELD, "csrfmiddlewaretoken"})  # new at each rendering
_FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_KEY_MAX = 200
# Visible ASCII without spaces, quotes or separators that proxies or logs could mangle: UUIDs,
# base64 (standard or URL-safe) and ``name:timestamp`` keys all fit.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:~+/=-]+$")
IDEMPOTENT_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_PREFIX = "/api/v1/"

KEPT_FOR = timedelta(hours=24)  # once purged, a replay is run as a new submission
PURGE_EVERY = 100

FORM_ALREADY_SENT = _(
    "Ce formulaire avait déjà été envoyé : rien n'a été enregistré une seconde fois."
)
KEY_TOO_LONG = _("La clé d'idempotence compte au plus %(n)s caractères.")
KEY_BAD_CHARACTERS = _(
    "La clé d'idempotence ne peut contenir que des lettres et des chiffres ASCII et les signes "
    "« . _ : ~ + / = - », sans espace."
)
KEY_REUSED = _(
    "Cette clé d'idempotence a déjà servi pour une autre requête (méthode, adresse ou corps "
    "différents) : choisissez une nouvelle clé pour une nouvelle requête."
)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def purge_expired(now: datetime | None = None) -> int:
    """Remove the submissions older than ``KEPT_FOR``; returns how many rows went."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    forms, _by_model = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    api, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return forms + api


def _purge_now_and_then(pk: int) -> None:
    # After the commit, in its own statement: never inside a request's transaction, where the
    # rows it deletes would stay locked and make concurrent submissions wait for each other.
    if pk % PURGE_EVERY == 0:
        transaction.on_commit(purge_expired)


def _digest(value: str | bytes) -> str:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).hexdigest()


def _session_owner(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def _page_owner(request: HttpRequest) -> str | None:
    """The signed-in person, or the signed-out browser by its CSRF secret (the login page and
    the access request have no session yet)."""
    owner = _session_owner(request)
    if owner is not None:
        return owner
    secret = request.META.get("CSRF_COOKIE")
    return f"a:{_digest(secret)[:40]}" if secret else None


def _api_owner(request: HttpRequest) -> str | None:
    """The personal API token, by its hash (the token is checked by the API itself), or the
    signed-in person."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return f"t:{_digest(secret.strip())}"
    return _session_owner(request)


class FormTokenMiddleware:
    """A page form's submission replayed with the same one-time token is not run again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path_info.startswith("/api/"):
            return self.get_response(request)
        try:
            token = request.POST.get(FORM_TOKEN_FIELD, "")
            owner = _page_owner(request)
            if owner is None or not _FORM_TOKEN.match(token):
                return self.get_response(request)
            data_hash = _form_hash(request, _NOT_CONTENT)
        except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, OSError):
            return self.get_response(request)  # the view meets the same problem and says so
        mine = {"owner": owner, "token": token, "data_hash": data_hash}
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(**mine)
            except IntegrityError:
                claim = None
            if claim is not None:
                response = self.get_response(request)
                if 300 <= response.status_code < 400 and response.has_header("Location"):
                    claim.location = response["Location"][:2000]
                    claim.save(update_fields=["location"])
                    _purge_now_and_then(claim.pk)
                else:
                    claim.delete()  # refused: the corrected form may be sent with it
                return response
        first = FormSubmission.objects.filter(**mine).first()
        if first is None:  # gone since (purged): nothing to replay
            return self.get_response(request)
        return self._already_sent(request, first.location or request.get_full_path())

    @staticmethod
    def _already_sent(request: HttpRequest, location: str) -> HttpResponse:
        messages.warning(request, FORM_ALREADY_SENT)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=200)
            response["HX-Redirect"] = location  # a whole page, not a fragment swapped in
            return response
        return HttpResponseRedirect(location, status=303)


def _json_error(status: int, message: str) -> HttpResponse:
    body = error_body(status_message(status), [{"field": IDEMPOTENCY_HEADER, "message": message}])
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def key_problem(key: str) -> str | None:
    """What is wrong with an ``Idempotency-Key`` value, in French; None when it is usable."""
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return str(KEY_TOO_LONG % {"n": IDEMPOTENCY_KEY_MAX})
    if not _IDEMPOTENCY_KEY.match(key):
        return str(KEY_BAD_CHARACTERS)
    return None


def _form_hash(request: HttpRequest, leave_out: frozenset[str] = frozenset()) -> str:
    """A posted form's fields and files, hashed (the files by their chunks, never read whole
    into memory: a price file may weigh 200 MB)."""
    digest = hashlib.sha256()
    for name in sorted(request.POST):
        if name in leave_out:
            continue
        for value in request.POST.getlist(name):
            digest.update(f"f{len(name)}:{name}{len(value)}:".encode())
            digest.update(value.encode("utf-8", "surrogatepass"))
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            filename = upload.name or ""
            digest.update(f"F{len(name)}:{name}{len(filename)}:{filename}".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _body_hash(request: HttpRequest) -> str:
    """An API request's body, hashed; a multipart one as its parsed fields and files."""
    if request.method == "POST" and request.content_type == "multipart/form-data":
        return _form_hash(request)
    return _digest(request.body)


class IdempotencyKeyMiddleware:
    """An API write replayed with the same ``Idempotency-Key`` gets the first answer again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if (
            key is None
            or request.method not in IDEMPOTENT_METHODS
            or not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        problem = key_problem(key)
        if problem is not None:
            return _json_error(422, problem)
        owner = _api_owner(request)
        if owner is None:
            return self.get_response(request)  # the API answers 401 itself
        try:
            body_hash = _body_hash(request)
        except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, OSError):
            return self.get_response(request)  # the API refuses the body itself
        path = request.get_full_path()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        owner=owner, key=key, method=request.method, path=path, body_hash=body_hash
                    )
            except IntegrityError:
                claim = None
            if claim is not None:
                response = self.get_response(request)
                if 200 <= response.status_code < 300 and not response.streaming:
                    claim.status = response.status_code
                    claim.content_type = response.get("Content-Type", "")[:200]
                    claim.content = response.content
                    claim.save(update_fields=["status", "content_type", "content"])
                    _purge_now_and_then(claim.pk)
                else:
                    claim.delete()  # refused or streamed: nothing to give again
                return response
        first = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if first is None:
            return self.get_response(request)
        if (first.method, first.path, first.body_hash) != (request.method, path, body_hash):
            return _json_error(422, str(KEY_REUSED))
        response = HttpResponse(
            bytes(first.content), status=first.status, content_type=first.content_type or None
        )
        response[REPLAY_HEADER] = "true"
        return response
