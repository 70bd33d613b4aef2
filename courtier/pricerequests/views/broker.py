"""The broker's pages (002 §3.3.2-3.3.3): the queue of price requests and changes to validate,
each approved or returned with a comment, and the versions of the mandatory template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.core.forms import submit
from courtier.pricerequests import forms, policies, selectors
from courtier.pricerequests.api.answers import sections_out
from courtier.pricerequests.models import RequestTemplate
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import transitions
from courtier.pricerequests.views.files import error_summary


def _require_validator(request: HttpRequest) -> None:
    if not policies.may_validate(request.user):
        raise PermissionDenied


def validation_queue(
    request: HttpRequest, bound: dict[int, Any] | None = None, status: int = 200
) -> HttpResponse:
    _require_validator(request)
    rows = []
    for price_request in selectors.validation_queue(request.user):
        rows.append(
            {
                "request": price_request,
                "file": price_request.file,
                "qualifications": list(price_request.file.qualifications.order_by("name")),
                "sections": sections_out(price_request),
                "pending": sections_out(price_request, price_request.pending_sections)
                if price_request.pending_sections
                else None,
                "form": (bound or {}).get(price_request.pk) or forms.CommentForm(),
            }
        )
    return render(request, "pricerequests/validation_queue.html", {"rows": rows}, status=status)


DECISIONS = {
    "valider": (
        transitions.price_request_approve,
        False,
        _("Demande validée : le client peut l'envoyer."),
    ),
    "retourner": (transitions.price_request_return, True, _("Demande retournée au client.")),
    "valider-modification": (
        transitions.price_request_change_approve,
        False,
        _("Modification validée : chaque prestataire sollicité en est avisé."),
    ),
    "refuser-modification": (
        transitions.price_request_change_return,
        True,
        _("Modification refusée : la demande reste telle qu'envoyée."),
    ),
}


@require_POST
def request_decide(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    _require_validator(request)
    if op not in DECISIONS:
        raise Http404
    price_request = selectors.request_for(request.user, pk)
    move, with_comment, message = DECISIONS[op]
    form = forms.CommentForm(request.POST) if with_comment else forms.forms.Form(request.POST)
    done = submit(
        form,
        lambda d: move(
            by=request.user,
            request=price_request,
            **({"comment": d["comment"]} if with_comment else {}),
        ),
    )
    if done.ok:
        messages.success(request, message)
        return redirect("pricerequests:validation_queue")
    if not with_comment:
        for message in error_summary([form]):
            messages.error(request, message)
    return validation_queue(request, bound={price_request.pk: form}, status=422)


def template_page(request: HttpRequest) -> HttpResponse:
    _require_validator(request)
    latest = selectors.latest_template()
    if request.method == "POST":
        form = forms.TemplateForm(request.POST)
        done = submit(
            form,
            lambda d: requests_services.request_template_publish(
                by=request.user, sections=form.parsed()
            ),
        )
        if done.ok:
            messages.success(
                request, _("Version %(v)s du gabarit publiée.") % {"v": done.result.version}
            )
            return redirect("pricerequests:template")
        status = 422
    else:
        lines = [
            f"{s['title']} | {s.get('instructions', '')}"
            for s in (latest.sections if latest else [])
        ]
        form = forms.TemplateForm(initial={"sections": "\n".join(lines)})
        status = 200
    return render(
        request,
        "pricerequests/template.html",
        {"form": form, "latest": latest, "versions": RequestTemplate.objects.all()[:20]},
        status=status,
    )
