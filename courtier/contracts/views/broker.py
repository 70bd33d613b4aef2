"""The broker's pages (002 §2.5 steps 4-6, §3.5): the preparation queue (the frozen strategies
and handed-off packages still without a contract, the contracts and amendments awaiting the
broker), a contract made from one frozen source, and on a contract's page the preparation forms
(terms, the client's confirmation of eligibility, the signatories) and the broker's moves
(generate, send for review, validate with the stamp)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts.models import Membership
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts import checks, forms, home, policies, rules, selectors
from courtier.contracts.models import Contract, Party
from courtier.contracts.services import creation, generation, transitions
from courtier.contracts.views.common import Op, bare, broker, error_summary, guarded, run
from courtier.core.forms import submit
from courtier.documents.verification import person_name
from courtier.pricerequests.models import HandoffPackage


def _require_broker(request: HttpRequest) -> None:
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied


def preparation_queue(
    request: HttpRequest, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    _require_broker(request)
    bound = bound or {}
    sources = [
        {
            **source,
            "form": bound.get(source["key"])
            or forms.ContractCreateForm(
                initial={"source": source["key"]}, auto_id=_ids(source["key"])
            ),
        }
        for source in selectors.sources_without_contract(request.user)
    ]
    return render(
        request,
        "contracts/preparation_queue.html",
        {
            "sources": sources,
            "contracts": home.contracts_awaiting_broker(request.user),
            "amendments": home.amendments_awaiting_broker(request.user),
            # A refused form shown in its card has its errors there; any other is summed up.
            "error_summary": error_summary(
                form for key, form in bound.items() if key not in {x["key"] for x in sources}
            ),
        },
        status=status,
    )


def _ids(source: str) -> str:
    """Each source's form has its own field ids (one form per source on the page)."""
    return "source-" + "".join(c if c.isascii() and c.isalnum() else "-" for c in source) + "_%s"


@require_POST
def contract_create(request: HttpRequest) -> HttpResponse:
    _require_broker(request)
    form = forms.ContractCreateForm(request.POST, auto_id=_ids(request.POST.get("source", "")))

    def create(d: dict[str, Any]) -> Contract:
        kind, pk = d["source"]
        if kind == "strategy":
            strategy = AcquisitionStrategy.objects.filter(pk=pk).first()
            if strategy is None:
                raise Http404
            return creation.contract_create(by=request.user, strategy=strategy)
        package = HandoffPackage.objects.filter(pk=pk).first()
        if package is None:
            raise Http404
        return creation.contract_create(by=request.user, handoff=package, start_on=d["start_on"])

    done = submit(form, create)
    if done.ok:
        contract = done.result
        messages.success(
            request,
            _("Contrat %(ref)s en préparation : complétez-le puis générez-le.")
            % {"ref": contract.reference},
        )
        return redirect("contracts:detail", contract.pk)
    return preparation_queue(request, bound={request.POST.get("source", ""): form}, status=422)


# --- the preparation forms on the contract's page ---------------------------------------------


def signing_people(contract: Contract) -> dict[str, list[tuple[int, str]]]:
    """The people of each party who may sign in the platform (a signing role)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for party, organisation in (
        (Party.CLIENT, contract.client_id),
        (Party.SUPPLIER, contract.supplier_id),
    ):
        members = (
            Membership.objects.filter(
                organisation_id=organisation, role__in=policies.SIGNING_ROLES[party]
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user_id")
        )
        seen: dict[int, str] = {}
        for m in members:
            if m.user.is_active:
                seen.setdefault(m.user_id, person_name(m.user))
        found[party] = list(seen.items())
    return found


def context(request: HttpRequest, contract: Contract, bound: dict[str, Any]) -> dict[str, Any]:
    """The broker's part of the page: its forms while in preparation, its moves."""
    if not policies.is_broker_agent(request.user):
        return {}
    found: dict[str, Any] = {"is_broker": True}
    if contract.state == rules.State.PREPARATION:
        found |= {
            "terms_form": bound.get("terms_form")
            or forms.TermsForm(initial=forms.terms_initial(contract)),
            "eligibility_form": bound.get("eligibility_form")
            or forms.EligibilityForm(
                initial={
                    "eligibility_confirmed_on": contract.eligibility_confirmed_on,
                    "eligibility_note": contract.eligibility_note,
                }
            ),
            "signatories_form": bound.get("signatories_form")
            or forms.SignatoriesForm(
                people=signing_people(contract), initial=forms.signatories_initial(contract)
            ),
            "may_generate": True,
            "preparation_problems": list(_said(checks.preparation_problems(contract))),
        }
    found["may_validate"] = contract.state == rules.State.APPROVED
    return found


def _said(problems: dict[str, Any]) -> list[str]:
    said: list[str] = []
    for value in problems.values():
        for message in value if isinstance(value, list | tuple) else [value]:
            if str(message) not in said:
                said.append(str(message))
    return said


@guarded(broker)
def _terms(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    return run(
        "terms_form",
        forms.TermsForm(request.POST),
        lambda d: creation.contract_update(
            by=request.user,
            contract=contract,
            title=d["title"],
            start_on=d["start_on"],
            duration_months=d["duration_months"],
            authorised_cents=d["authorised"],
            price_terms=d["price_terms"],
            is_renewal=d["is_renewal"],
            startup_meeting_needed=d["startup_meeting_needed"],
        ),
    )


@guarded(broker)
def _eligibility(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    return run(
        "eligibility_form",
        forms.EligibilityForm(request.POST),
        lambda d: creation.contract_eligibility_confirm(
            by=request.user,
            contract=contract,
            confirmed_on=d["eligibility_confirmed_on"],
            note=d["eligibility_note"],
        ),
    )


@guarded(broker)
def _signatories(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.SignatoriesForm(request.POST, people=signing_people(contract))
    return run(
        "signatories_form",
        form,
        lambda d: creation.contract_signatories_set(
            by=request.user, contract=contract, signatories=form.signatories()
        ),
    )


@guarded(broker)
def _generate(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    return run(
        "move_form",
        bare(request),
        lambda d: generation.contract_generate(by=request.user, contract=contract),
    )


@guarded(broker)
def _send(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    return run(
        "move_form",
        bare(request),
        lambda d: transitions.contract_send_for_review(by=request.user, contract=contract),
    )


@guarded(broker)
def _validate(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    return run(
        "move_form",
        bare(request),
        lambda d: transitions.contract_validate(by=request.user, contract=contract),
    )


OPS: dict[str, tuple[Op, str]] = {
    "conditions": (_terms, _("Conditions du contrat enregistrées.")),
    "admissibilite": (_eligibility, _("Confirmation de l'admissibilité consignée.")),
    "signataires": (_signatories, _("Signataires enregistrés, dans leur ordre.")),
    "generer": (
        _generate,
        _("Génération du contrat et de ses annexes lancée : le PDF paraît ici sous peu."),
    ),
    "transmettre": (_send, _("Contrat transmis au client pour validation.")),
    "valider": (
        _validate,
        _("Version finale validée et revêtue du cachet du Courtier : elle est à signer."),
    ),
}
