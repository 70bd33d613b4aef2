import re
import uuid
from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from courtier.core.apierrors import MAX_URL_LENGTH, error_response
from courtier.core.context import reset_request_id, set_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (or keeps a well-formed X-Request-ID) for logs and the audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RestrictedAccessMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in person unless its view is marked ``login_not_required``
    (login, password reset, access request, language switch). The API under /api/ answers
    401 in JSON itself, so it is left to the API's own authentication (courtier.api)."""

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ApiErrorFormatMiddleware:
    """Under /api/, a 4xx produced outside the API's own handlers (unknown address, method not
    allowed) gets the same JSON error format as every other API error; an address longer than
    the API reads is refused (414) before anything parses it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/") and len(request.get_full_path()) > MAX_URL_LENGTH:
            return error_response(414)
        response = self.get_response(request)
        if (
            request.path_info.startswith("/api/")
            and 400 <= response.status_code < 500
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = error_response(response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


class ContentSecurityPolicyMiddleware:
    """Only this site's own scripts, styles and forms: no CDN, no inline script, no framing.
    Django's admin and the API docs set inline styles, so they may use inline style too."""

    STRICT = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'"
    )
    RELAXED = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    RELAXED_PREFIXES = ("/admin/", "/api/v1/docs")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        relaxed = request.path_info.startswith(self.RELAXED_PREFIXES)
        response.setdefault("Content-Security-Policy", self.RELAXED if relaxed else self.STRICT)
        return response


class HtmxVaryMiddleware:
    """A page asked by htmx (header HX-Request) may answer only a fragment of the page the
    same address answers to a browser: ``Vary: HX-Request`` keeps the two apart in every
    cache, so that Back never shows a bare fragment in place of the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/api/"):  # the API answers the same either way
            patch_vary_headers(response, ("HX-Request",))
        return response
