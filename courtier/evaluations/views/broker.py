"""The broker's pages (002 §4.8, §4.8.1): the grid's versions and a new one, the campaigns and
the opening of one, a campaign's summary for the annual meeting (and its CSV export), its
closing. The broker's staff read them; its admins and agents act."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.core.csvfile import csv_response
from courtier.evaluations import forms, policies, selectors
from courtier.evaluations.services import campaigns as services
from courtier.evaluations.services import grid as grid_services
from courtier.evaluations.views.common import done, error_summary, run


def _staff(request: HttpRequest) -> None:
    if not policies.is_broker_staff(request.user):
        raise PermissionDenied


def _agent(request: HttpRequest) -> None:
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied


def grid_list(request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
    _staff(request)
    context = {
        "versions": list(selectors.grid_versions(request.user)),
        "form": form or forms.GridVersionForm(),
        "may_publish": policies.is_broker_agent(request.user),
        "error_summary": error_summary([form] if form else []),
    }
    return render(request, "evaluations/grid_list.html", context, status=status)


@require_POST
def grid_create(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form = forms.GridVersionForm(request.POST)

    def publish(d: dict[str, Any]) -> Any:
        return grid_services.grid_version_publish(
            by=request.user,
            criteria=form.criteria(),
            scale_min=d["scale_min"],
            scale_max=d["scale_max"],
            note=d.get("note") or "",
        )

    if run(form, publish):
        return done(
            request, _("Nouvelle version de la grille publiée."), reverse("evaluations:grid_list")
        )
    return grid_list(request, form, status=422)


def campaign_list(request: HttpRequest, form: Any = None, status: int = 200) -> HttpResponse:
    _staff(request)
    context = {
        "campaigns": list(selectors.campaigns_for(request.user)[:300]),
        "form": form or forms.CampaignForm(),
        "may_open": policies.is_broker_agent(request.user),
        "grid": grid_services.current_grid(),
        "error_summary": error_summary([form] if form else []),
    }
    return render(request, "evaluations/campaign_list.html", context, status=status)


@require_POST
def campaign_open(request: HttpRequest) -> HttpResponse:
    _agent(request)
    form = forms.CampaignForm(request.POST)
    opened = {}

    def open_it(d: dict[str, Any]) -> Any:
        opened["campaign"] = services.campaign_open(
            by=request.user, supplier=d["supplier"], year=d["year"], due_on=d["due_on"]
        )
        return opened["campaign"]

    if run(form, open_it):
        url = reverse("evaluations:campaign_detail", args=[opened["campaign"].pk])
        return done(request, _("Campagne ouverte : les organismes sont avisés."), url)
    return campaign_list(request, form, status=422)


def _campaign(request: HttpRequest, pk: int):
    _staff(request)
    found = selectors.campaigns_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def campaign_detail(
    request: HttpRequest, pk: int, refused: list[str] | None = None, status: int = 200
) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = {
        "error_summary": refused or [],
        "campaign": campaign,
        "summary": selectors.campaign_summary(campaign),
        "requests": list(campaign.requests.select_related("client").prefetch_related("contracts")),
        "may_close": policies.is_broker_agent(request.user) and campaign.state == "open",
    }
    return render(request, "evaluations/campaign_detail.html", context, status=status)


@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _agent(request)
    url = reverse("evaluations:campaign_detail", args=[campaign.pk])
    try:
        services.campaign_close(by=request.user, campaign=campaign)
    except ValidationError as refused:  # closed already (a second tab): said on the page
        return campaign_detail(request, pk, [str(m) for m in refused.messages], status=422)
    return done(request, _("Campagne fermée : le sommaire est final."), url)


def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary as CSV (UTF-8 with BOM, for a spreadsheet; ``core.csvfile``, comma-separated
    with the means as 3.90): the means, then the comments."""
    campaign = _campaign(request, pk)
    summary = selectors.campaign_summary(campaign)
    rows: list[list[Any]] = [
        [campaign.supplier.name, campaign.year, summary.count, summary.mean_score],
        [],
        [_("Critère"), _("Pondération (%)"), _("Moyenne")],
        *([line.label, line.weight, line.mean] for line in summary.criteria),
        [],
        [_("Organisme"), _("Critère"), _("Commentaire")],
        *([c["client"], c["criterion"], c["text"]] for c in summary.comments),
    ]
    header = [_("Fournisseur"), _("Année"), _("Évaluations reçues"), _("Moyenne pondérée")]
    name = f"evaluation-{campaign.year}-{campaign.pk}.csv"
    return csv_response(name, header, rows, delimiter=",")
