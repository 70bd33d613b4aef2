"""The summary table of service providers per qualification (with their contacts, and as CSV
or XLSX), and the broker's forms: a new qualification, a qualified provider, a framework
agreement recorded or corrected (DOMAIN §1; 002 §3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courtier.accounts import permissions
from courtier.accounts.models import OrganisationKind
from courtier.accounts.rules import Perm
from courtier.catalogue import selectors
from courtier.catalogue.forms import AgreementForm, ProviderQualifyForm, QualificationForm
from courtier.catalogue.models import FrameworkAgreement
from courtier.catalogue.services import agreements
from courtier.catalogue.views.access import EXPORT_FORMATS, require_browse
from courtier.core.forms import submit


def export_providers(request: HttpRequest) -> HttpResponse:
    """The summary table of the providers per qualification, as CSV or XLSX."""
    require_browse(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    from courtier.catalogue import exports

    return exports.providers_export(request.user, fmt)


def providers(request: HttpRequest) -> HttpResponse:
    """The summary table of service providers per qualification, with their contacts."""
    require_browse(request)
    return render(
        request,
        "catalogue/providers.html",
        {
            "table": selectors.provider_table(request.user),
            "can_manage": permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE),
        },
    )


def _broker_form_page(
    request: HttpRequest, form: Any, action: Any, *, title: str, success: str, done_url: str
) -> HttpResponse:
    if request.method == "POST":
        done = submit(form, action)
        if done.ok:
            messages.success(request, success % {"name": done.result})
            return redirect(done_url)
    return render(
        request,
        "catalogue/broker_form.html",
        {"form": form, "title": title, "back": reverse("catalogue:providers")},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def qualification_create(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = QualificationForm(request.POST or None)
    return _broker_form_page(
        request,
        form,
        lambda data: agreements.qualification_create(by=request.user, **data),
        title=_("Nouvelle qualification"),
        success=_("Qualification créée : %(name)s."),
        done_url=reverse("catalogue:providers"),
    )


@require_http_methods(["GET", "POST"])
def provider_qualify(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = ProviderQualifyForm(request.POST or None)
    return _broker_form_page(
        request,
        form,
        lambda data: agreements.provider_qualify(by=request.user, **data),
        title=_("Qualifier un prestataire"),
        success=_("Prestataire qualifié : %(name)s."),
        done_url=reverse("catalogue:providers"),
    )


@require_http_methods(["GET", "POST"])
def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record (no pk) or correct an entente-cadre."""
    agreement = None
    if pk is not None:
        agreement = permissions.get_visible_or_404(
            request.user, FrameworkAgreement.objects.select_related("organisation"), pk=pk
        )
        permissions.require_change(request.user, agreement)
    else:
        permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    initial: dict[str, Any] = {}
    if agreement is not None:
        initial = {
            "organisation": agreement.organisation,
            "number": agreement.number,
            "title": agreement.title,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "status": agreement.status,
            "categories": list(agreement.categories.all()),
        }
    elif request.GET.get("organisation", "").isdigit():
        initial = {"organisation": int(request.GET["organisation"])}
    form = AgreementForm(request.POST or None, initial=initial)
    done_url = reverse("catalogue:providers")
    if agreement is not None and agreement.organisation.kind == OrganisationKind.SUPPLIER:
        done_url = reverse("catalogue:sheet", args=[agreement.organisation_id])
    return _broker_form_page(
        request,
        form,
        lambda data: agreements.framework_agreement_save(
            by=request.user, agreement=agreement, **data
        ),
        title=_("Modifier l'entente-cadre") if agreement else _("Enregistrer une entente-cadre"),
        success=_("Entente-cadre enregistrée : %(name)s."),
        done_url=done_url,
    )
