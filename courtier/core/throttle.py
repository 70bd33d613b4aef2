"""Limits on what anonymous people can repeat (sign-in, access requests, password resets), so
that no one can guess passwords or flood the broker's queue. Counters live in the shared cache
(the database by default), so every web process sees the same counts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from courtier.core.apierrors import error_response

TOO_MANY = _("Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.")


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. via its WSGI server).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, who: str) -> bool:
    """Count one attempt of ``who`` in ``scope``; False once the window's limit is passed."""
    limit, window = settings.THROTTLE_RATES[scope]
    key = f"throttle:{scope}:{who}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def throttled(
    scope: str, *, api: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (429) the POSTs of an address past the limit of ``scope``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not allow(scope, client_address(request)):
                if api:
                    return error_response(429, str(TOO_MANY))
                return render(request, "429.html", {"message": TOO_MANY}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
