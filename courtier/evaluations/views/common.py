"""What the evaluation pages share: a form run against one service (its refusals shown on the
form, the page again with 422), the redirect after a success (PRG)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from courtier.core.forms import submit
from courtier.pricerequests.views.files import error_summary  # noqa: F401 (one summary rule)


def run(form: forms.Form, action: Callable[[dict[str, Any]], Any]) -> bool:
    return submit(form, action).ok


def done(request: HttpRequest, message: Any, url: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(url)
