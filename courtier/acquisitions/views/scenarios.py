"""Step 4 (002 §2.4): the scenarios computed, the choice, the head's and the financial
authorisations, and the EFVP (DOMAIN §3.1)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.acquisitions import checks, selectors
from courtier.acquisitions.forms import (
    ChoiceForm,
    EfvpForm,
    FinancialAuthorisationForm,
    HeadAuthorisationForm,
)
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.acquisitions.views.common import _messages, _run, _url
from courtier.acquisitions.views.page import _file_page
from courtier.core.formatting import long_date, money
from courtier.files.uploads import Upload


@require_POST
def scenarios_compute(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        run = scenarios_services.scenarios_compute(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Scénarios calculés (calcul n° %(n)s, prix en vigueur le %(day)s).")
        % {"n": run.number, "day": long_date(run.prices_on)},
    )
    return redirect(_url(file, "scenarios"))


@require_POST
def scenario_choose(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    run = checks.latest_run(file)
    scenarios = {s.pk: s for s in (run.scenarios.select_related("supplier") if run else [])}
    own_rule = not file.client.subject_to_rcti
    form = ChoiceForm(
        request.POST,
        scenarios=[(pk_, s.supplier.name) for pk_, s in scenarios.items() if s.complete],
        own_rule=own_rule,
        auto_id="id_choix_%s",
    )
    ok, chosen = _run(
        form,
        lambda data: scenarios_services.scenario_choose(
            by=request.user,
            file=file,
            scenario=scenarios[data["scenario"]],
            own_rule=data.get("own_rule") if own_rule else None,
        ),
    )
    if ok:
        messages.success(
            request,
            _("Scénario retenu : %(supplier)s, %(total)s.")
            % {"supplier": chosen.supplier.name, "total": money(chosen.total_cents)},
        )
        return redirect(_url(file, "choix"))
    return _file_page(request, file, status=422, choice_form=form)


@require_POST
def head_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """RCTI art. 48 (002 §2.4.3): the head's prior authorisation of a non-lowest choice."""
    file = selectors.file_to_run(request.user, pk)
    form = HeadAuthorisationForm(request.POST, request.FILES, auto_id="id_dirigeant_%s")

    def record(data: dict[str, Any]) -> Any:
        upload = Upload.from_form(data["document"])
        return scenarios_services.head_authorisation_record(
            by=request.user,
            file=file,
            criteria=data["criteria"],
            justification=data["justification"],
            head_name=data["head_name"],
            authorised_on=data["authorised_on"],
            document_name=upload.name,
            document=upload.content,
            content_type=upload.content_type,
        )

    ok, _result = _run(form, record)
    if ok:
        messages.success(request, _("Autorisation du dirigeant d'organisme consignée."))
        return redirect(_url(file, "autorisations"))
    return _file_page(request, file, status=422, head_form=form)


@require_POST
def financial_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """002 §2.4.4: the financial authorisation for the total estimated amount."""
    file = selectors.file_to_run(request.user, pk)
    form = FinancialAuthorisationForm(request.POST, auto_id="id_finances_%s")
    ok, auth = _run(
        form,
        lambda data: scenarios_services.financial_authorisation_record(
            by=request.user, file=file, **form.service_arguments()
        ),
        FinancialAuthorisationForm.field_for,
    )
    if ok:
        messages.success(
            request,
            _("Autorisation financière consignée : %(amount)s.")
            % {"amount": money(auth.amount_cents)},
        )
        return redirect(_url(file, "autorisations"))
    return _file_page(request, file, status=422, financial_form=form)


@require_POST
def efvp(request: HttpRequest, pk: int) -> HttpResponse:
    """The privacy impact assessment is done (DOMAIN §3.1)."""
    file = selectors.file_to_run(request.user, pk)
    form = EfvpForm(request.POST, request.FILES, auto_id="id_efvp_%s")

    def record(data: dict[str, Any]) -> Any:
        upload = Upload.from_form(data["document"])
        return scenarios_services.efvp_record(
            by=request.user, file=file, done_on=data["done_on"], **upload.as_kwargs()
        )

    ok, _result = _run(form, record, lambda key: "document" if key == "efvp" else key)
    if ok:
        messages.success(request, _("EFVP consignée et jointe aux documents du dossier."))
        return redirect(_url(file, "efvp"))
    return _file_page(request, file, status=422, efvp_form=form)
