"""A concluded contract's publication page (002 §4.1, §4.7): what the client enters in SEAO (the
kind's nature, classification and legal disposition, the client's UNSPSC codes and indicator, the
amounts and dates), the checklist and the mark « publié », its printable version, and the consent
to name a contact person in the list of concluded contracts with its history. Each form posts to
``contract_action`` with its operation, which calls one service and redirects (PRG), or shows the
page again with the service's refusals (422). Also: the client's sheets still to publish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courtier.contracts.models import Contract
from courtier.core.forms import submit
from courtier.publication import forms, policies, selectors
from courtier.publication.services import consents, seao


def _sheet_forms(contract: Contract, view: selectors.SheetView, bound: dict[str, Any]) -> dict:
    sheet = view.sheet
    return {
        "sheet_form": bound.get("sheet_form")
        or forms.SheetForm(
            kind=contract.kind,
            initial={
                "unspsc_codes": sheet.unspsc_codes,
                "responsible_indicator": sheet.responsible_indicator,
            },
        ),
        "checklist_form": bound.get("checklist_form")
        or forms.ChecklistForm(initial={"checklist": sheet.checklist}),
        "publish_form": bound.get("publish_form") or forms.PublishForm(),
    }


def page(
    request: HttpRequest, contract: Contract, *, status: int = 200, **bound: Any
) -> HttpResponse:
    may_act = policies.runs_client(request.user, contract.client_id)
    consent = selectors.consent_in_force(contract)
    context: dict[str, Any] = {
        "contract": contract,
        "may_act": may_act,
        "consent": consent,
        "consents": selectors.consent_history(contract),
        "consent_form": None,
    }
    if contract.subject_to_rcti:
        view = selectors.sheet_view(contract)
        context["sheet"] = view
        if may_act and not view.sheet.is_published:
            context.update(_sheet_forms(contract, view, bound))
    if may_act and consent is None:
        context["consent_form"] = bound.get("consent_form") or forms.ConsentForm(
            people=selectors.client_people(contract)
        )
    context["errors"] = [str(m) for f in bound.values() for e in f.errors.values() for m in e]
    return render(request, "publication/contract.html", context, status=status)


def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    return page(request, selectors.contract_for(request.user, pk))


def sheet_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet as a clean page to print or save (002 §4.1: what the client enters in SEAO)."""
    contract = selectors.rcti_contract_for(request.user, pk)
    return render(
        request, "publication/sheet_print.html", {"sheet": selectors.sheet_view(contract)}
    )


Op = Callable[[HttpRequest, Contract], tuple[bool, str, Any]]


def _update(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.SheetForm(request.POST, kind=contract.kind)
    done = submit(
        form,
        lambda d: seao.seao_sheet_update(
            by=request.user,
            contract=contract,
            unspsc_codes=d["unspsc_codes"],
            responsible_indicator=d["responsible_indicator"],
        ),
    )
    return done.ok, "sheet_form", form


def _tick(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.ChecklistForm(request.POST)
    done = submit(
        form,
        lambda d: seao.seao_checklist_tick(
            by=request.user, contract=contract, ticked=d["checklist"]
        ),
    )
    return done.ok, "checklist_form", form


def _publish(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.PublishForm(request.POST)
    done = submit(
        form,
        lambda d: seao.seao_sheet_publish(
            by=request.user,
            contract=contract,
            published_on=d["published_on"],
            notice_number=d["notice_number"],
        ),
    )
    return done.ok, "publish_form", form


def _give(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.ConsentForm(request.POST, people=selectors.client_people(contract))
    done = submit(
        form,
        lambda d: consents.contact_consent_give(
            by=request.user, contract=contract, contact_id=d["contact"].pk
        ),
    )
    return done.ok, "consent_form", form


def _revoke(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.Form(request.POST)
    done = submit(
        form, lambda d: consents.contact_consent_revoke(by=request.user, contract=contract)
    )
    return done.ok, "revoke_form", form


OPS: dict[str, tuple[Op, Any, bool]] = {  # op: (run, message, needs the RCTI)
    "fiche": (_update, _("Les choix de la fiche SEAO sont enregistrés."), True),
    "liste": (_tick, _("La liste de vérification est enregistrée."), True),
    "publier": (_publish, _("La fiche est marquée publiée dans SEAO."), True),
    "consentir": (_give, _("Le consentement est enregistré."), False),
    "revoquer": (
        _revoke,
        _("Le consentement est révoqué : la personne-ressource est retirée."),
        False,
    ),
}


@require_POST
def contract_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    contract = selectors.contract_for(request.user, pk)
    if op not in OPS:
        raise Http404
    run, message, needs_rcti = OPS[op]
    if needs_rcti and not contract.subject_to_rcti:
        raise Http404
    if not policies.runs_client(request.user, contract.client_id):
        raise PermissionDenied
    ok, key, form = run(request, contract)
    if ok:
        messages.success(request, message)
        return redirect(reverse("publication:contract", args=[contract.pk]))
    return page(request, selectors.contract_for(request.user, pk), status=422, **{key: form})


def sheets_to_publish(request: HttpRequest) -> HttpResponse:
    """002 §4.1: the concluded contracts of RCTI clients whose SEAO sheet is not marked
    published: a client's people see their body's, the broker's staff every client's; the
    suppliers' and providers' people are refused."""
    if not policies.may_read_concluded(request.user):
        raise PermissionDenied
    contracts = selectors.sheets_to_publish(request.user)
    return render(request, "publication/sheets_to_publish.html", {"contracts": contracts})
