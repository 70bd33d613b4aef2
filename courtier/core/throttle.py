"""Limits on what anonymous people can repeat, so that no one can guess passwords or flood the
broker's queue. Counters live in the shared cache (the database by default), so every web
process sees the same counts.

- Sign-in (``/connexion/`` and ``/admin/login/``): only *failed* sign-ins count, per account
  and per address; a successful one counts for nothing, so colleagues behind one address never
  lock each other out. Once the limit is reached, the account (from any address) or the
  address (for any account) is refused for one window; refused attempts are not counted, so
  they never push the lock back.
- Access requests and password resets: every POST of an address counts.

Each counter is a fixed window started by its first attempt (not a sliding one: a counter's
expiry is never pushed back by the attempts it counts)."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from courtier.core.apierrors import error_response

TOO_MANY = _("Trop de tentatives depuis votre adresse. Réessayez dans quelques minutes.")
TOO_MANY_FOR_ACCOUNT = _(
    "Trop de tentatives de connexion échouées pour ce compte. Réessayez dans quelques minutes."
)

SIGN_IN_SCOPE = "login"
# Set on a sign-in request that goes through the throttle: its failed authentications count.
_SIGN_IN_MARK = "_courtier_sign_in_throttled"


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. via its WSGI server).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, who: str) -> str:
    # Hashed: an account name is typed by anyone and may be long or hold any character.
    return f"throttle:{scope}:{hashlib.sha256(who.encode()).hexdigest()}"


def _entry(scope: str, who: str, now: float) -> dict[str, float] | None:
    entry = cache.get(_key(scope, who))
    if not isinstance(entry, dict) or entry.get("until", 0) <= now:
        return None
    return entry


def count(scope: str, who: str) -> int:
    """How many attempts of ``who`` the current window of ``scope`` holds."""
    entry = _entry(scope, who, time.time())
    return int(entry["count"]) if entry else 0


def is_locked(scope: str, who: str) -> bool:
    """True while ``who`` has reached the limit of ``scope`` in its current window."""
    limit, _window = settings.THROTTLE_RATES[scope]
    return count(scope, who) >= limit


def record(scope: str, who: str) -> int:
    """Count one attempt of ``who`` in ``scope`` and return the window's count. The window
    starts at the first attempt; the attempt that reaches the limit starts the lock, which
    lasts one full window from then. Not atomic across processes (the cache has no atomic
    increment with a fixed expiry): simultaneous attempts may be counted once, which only
    delays a lock by a few attempts."""
    limit, window = settings.THROTTLE_RATES[scope]
    now = time.time()
    entry = _entry(scope, who, now) or {"count": 0, "until": now + window}
    entry["count"] += 1
    if entry["count"] == limit:
        entry["until"] = now + window
    cache.set(_key(scope, who), entry, timeout=max(1, math.ceil(entry["until"] - now)))
    return int(entry["count"])


def allow(scope: str, who: str) -> bool:
    """Count one attempt of ``who`` in ``scope``; False once the window's limit is passed."""
    if is_locked(scope, who):
        return False  # refused attempts are not counted: they never push the lock back
    record(scope, who)
    return True


def throttled(
    scope: str, *, api: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse (429) the POSTs of an address past the limit of ``scope``; every POST counts."""

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


def _account(username: object) -> str:
    return "account:" + str(username or "").strip().casefold()


def _address(request: HttpRequest) -> str:
    return "address:" + client_address(request)


def sign_in_throttled(view: Callable[..., Any]) -> Callable[..., Any]:
    """A sign-in view (Django's ``LoginView``, the admin's login) behind the failure limits:
    a POST for a locked account or from a locked address answers 429 without checking the
    password; otherwise each failed authentication of the request is counted (see
    ``_count_failed_sign_in``) and a successful one is not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            account = _account(request.POST.get("username"))
            message = None
            if is_locked(SIGN_IN_SCOPE, _address(request)):
                message = TOO_MANY
            elif is_locked(SIGN_IN_SCOPE, account):
                message = TOO_MANY_FOR_ACCOUNT
            if message is not None:
                return render(request, "429.html", {"message": message}, status=429)
            setattr(request, _SIGN_IN_MARK, True)
        return view(request, *args, **kwargs)

    return wrapper


@receiver(user_login_failed, dispatch_uid="courtier.core.throttle.failed_sign_in")
def _count_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django's ``authenticate`` reports each wrong password here: count it for the account
    and the address, but only for requests that went through ``sign_in_throttled``."""
    if request is None or not getattr(request, _SIGN_IN_MARK, False):
        return
    record(SIGN_IN_SCOPE, _account(credentials.get("username")))
    record(SIGN_IN_SCOPE, _address(request))
