"""The index of evaluations and a client's grid (002 §4.8.1): the broker's staff reach the grid,
the campaigns and the end-of-contract tracking; a client's people see their body's requests,
fill in the grid (saved, then submitted once) and their ended contracts' evaluations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.evaluations import forms, policies, selectors
from courtier.evaluations.models import RequestState
from courtier.evaluations.services import campaigns as services
from courtier.evaluations.views.common import done, error_summary, run


def _sees(user: Any) -> bool:
    return policies.is_broker_staff(user) or permissions.has_perm(user, Perm.BROWSE_CATALOGUE)


def index(request: HttpRequest) -> HttpResponse:
    if not _sees(request.user):
        raise PermissionDenied
    context = {
        "is_staff": policies.is_broker_staff(request.user),
        "requests": list(selectors.requests_for(request.user).order_by("state", "due_on")[:300]),
    }
    return render(request, "evaluations/index.html", context)


def _request(request: HttpRequest, pk: int):
    found = selectors.requests_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _form(evaluation: Any, data: Any = None) -> forms.EvaluationForm:
    grid = evaluation.campaign.grid
    return forms.EvaluationForm(
        data, scores=selectors.scores_of(evaluation), scale=(grid.scale_min, grid.scale_max)
    )


def request_detail(request: HttpRequest, pk: int, form: Any = None, status: int = 200):
    evaluation = _request(request, pk)
    may_fill = evaluation.state == RequestState.OPEN and policies.runs_client(
        request.user, evaluation.client_id
    )
    context = {
        "evaluation": evaluation,
        "campaign": evaluation.campaign,
        "scores": selectors.scores_of(evaluation),
        "form": (form or _form(evaluation)) if may_fill else None,
        "error_summary": error_summary([form] if form else []),
    }
    return render(request, "evaluations/request_detail.html", context, status=status)


OPS = {
    "enregistrer": (services.evaluation_save, _("Évaluation enregistrée.")),
    "transmettre": (services.evaluation_submit, _("Évaluation transmise au Courtier.")),
}


@require_POST
def request_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    evaluation = _request(request, pk)
    if op not in OPS:
        raise Http404
    if not permissions.can_change(request.user, evaluation):
        raise PermissionDenied
    service, message = OPS[op]
    form = _form(evaluation, request.POST)
    if run(form, lambda d: service(by=request.user, request=evaluation, **form.values())):
        return done(request, message, reverse("evaluations:request_detail", args=[pk]))
    return request_detail(request, pk, form, status=422)
