"""The list of the contracts a person sees and a contract's page (002 §2.5, §4; DOMAIN §5, §7):
its state and what it awaits from whom, the parties, the terms and their amendments, the 30-day
planning figure, the documents (generated, stamped and signed versions, the verification code),
the signatories and signatures in order, what is owed to the broker, the amendments,
consumption and termination; each form shown only to who may use it. Every form posts to
``contract_action`` (or ``amendment_action``) with its operation, which calls one service and
redirects (PRG), or shows the page again with the service's refusals (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.contracts import checks, policies, rules, selectors
from courtier.contracts.models import (
    Amendment,
    Contract,
    ContractKind,
    ContractState,
    Party,
    Signature,
)
from courtier.contracts.services import transitions
from courtier.contracts.views import amendments, broker, consumption
from courtier.contracts.views import signing as signing_views
from courtier.contracts.views.common import (
    Op,
    contract_for,
    error_summary,
    signing_rows,
    version_url,
)
from courtier.contracts.workflow import AMENDMENT_WORKFLOW, CONTRACT_WORKFLOW
from courtier.core import navigation
from courtier.documents import subjects
from courtier.documents.models import DocumentVersion, TransmissionRequest, ValidatedVersion
from courtier.documents.selectors import visible_documents
from courtier.documents.services.store import document_download_record
from courtier.files.responses import stored_file_response


def contract_list(request: HttpRequest) -> HttpResponse:
    if not (policies.is_broker_agent(request.user) or _sees_contracts(request.user)):
        raise PermissionDenied
    state = request.GET.get("etat") or None
    if state not in ContractState.values:
        state = None
    rows = selectors.contracts_for(request.user)
    if state:
        rows = rows.filter(state=state)
    context = {
        "contracts": rows[:200],
        "states": ContractState.choices,
        "state": state,
        "is_broker": policies.is_broker_agent(request.user),
    }
    template = "contracts/_contract_rows.html" if request.htmx else "contracts/contract_list.html"
    return render(request, template, context)


def _sees_contracts(user: Any) -> bool:
    return navigation.entries_for(user).get("contracts", False)


# --- the page of a contract -------------------------------------------------------------------


def awaiting(instrument: Contract | Amendment, rows: list[Any]) -> dict[str, Any] | None:
    """What the instrument's state awaits, and from whom: the party, or the signatories whose
    turn it is by name."""
    workflow = AMENDMENT_WORKFLOW if isinstance(instrument, Amendment) else CONTRACT_WORKFLOW
    found = workflow.awaits.get(instrument.state)
    if found is None:
        return None
    contract = getattr(instrument, "contract", instrument)
    whom = {
        rules.Actor.BROKER: str(workflow.actors[rules.Actor.BROKER]),
        rules.Actor.CLIENT: contract.client.name,
        rules.Actor.SUPPLIER: contract.supplier.name,
    }.get(found.actor)
    names = [r.signatory.name for r in rows if r.may_sign_now]
    if names:
        whom = ", ".join(names)
    return {"label": found.label, "actor": workflow.actors[found.actor], "whom": whom}


def _documents(request: HttpRequest, contract: Contract, instrument: Any) -> dict[str, Any]:
    """The versions of an instrument's PDF, oldest first: generated drafts, the stamped final
    version (its verification code) and each signed copy, each with its download."""
    if instrument.document_id is None:
        return {"versions": []}
    document = instrument.document
    readable = visible_documents(request.user).filter(pk=document.pk).exists()
    signed = {
        s.version_id: s
        for s in Signature.objects.filter(
            contract=contract, amendment=instrument if instrument is not contract else None
        )
        .exclude(version=None)
        .select_related("signatory")
    }
    validated = ValidatedVersion.objects.filter(version_id=instrument.stamped_id).first()
    versions = []
    for version in document.versions.order_by("number"):
        versions.append(
            {
                "version": version,
                "stamped": version.pk == instrument.stamped_id,
                "signature": signed.get(version.pk),
                "url": version_url(request.user, contract, version, readable),
            }
        )
    return {"document": document, "versions": versions, "validated": validated}


def _transmissions(contract: Contract) -> list[dict[str, Any]]:
    """What the contract's documents owe the broker (DOMAIN §7): due date, status, overdue."""
    today = timezone.localdate()
    rows = TransmissionRequest.objects.filter(
        subject_type=subjects.content_type(contract), subject_id=contract.pk
    ).order_by("due_on", "pk")
    return [{"request": r, "overdue": r.status == "open" and r.due_on < today} for r in rows]


def page(
    request: HttpRequest, contract: Contract, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The contract's page, with ``bound`` forms (refused ones) in place of the blank ones."""
    rows = signing_rows(contract)
    history = selectors.terms_history(contract)
    context: dict[str, Any] = {
        "contract": contract,
        "is_solutions": contract.kind == ContractKind.SOLUTIONS,
        "awaiting": awaiting(contract, rows),
        "history": history,
        "terms": history.current,
        "planning_deadline": transitions.planning_deadline(contract),
        "documents": _documents(request, contract, contract),
        "generating": _generating(request, contract),
        "transmissions": _transmissions(contract),
        "may_act": permissions.can_change(request.user, contract),
        "parties": Party,
        "signing": signing_views.context(request, contract, None, bound),
        **broker.context(request, contract, bound),
        **amendments.context(request, contract, bound),
        **consumption.context(request, contract, bound),
    }
    for row in context["amendments"]:
        amendment = row["amendment"]
        row["documents"] = _documents(request, contract, amendment)
        row["awaiting"] = awaiting(amendment, row.get("signing", {}).get("rows", []))
    shown = _shown(context)
    context["error_summary"] = error_summary(
        form for key, form in bound.items() if id(form) not in shown
    )
    context["bound"] = bound
    return render(request, "contracts/contract_detail.html", context, status=status)


def _shown(context: dict[str, Any]) -> set[int]:
    """The forms the page shows (their errors are in place; the others go to the summary)."""
    found: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif hasattr(value, "is_bound") and hasattr(value, "errors"):
            found.add(id(value))

    walk({k: v for k, v in context.items() if k != "bound"})
    return found


GENERATING = "generation"  # the query the page comes back with after « Générer »


def _generating(request: HttpRequest, contract: Contract) -> bool:
    """The broker asked for the PDF and the version is not there yet: the documents part of the
    page asks again every few seconds (htmx) until the rendering task has kept it."""
    return (
        GENERATING in request.GET
        and contract.state == rules.State.PREPARATION
        and bool(checks.document_problems(contract))
    )


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_for(request.user, pk)
    if request.htmx and request.GET.get("partie") == "documents":
        return render(
            request,
            "contracts/_documents.html",
            {
                "contract": contract,
                "documents": _documents(request, contract, contract),
                "generating": _generating(request, contract),
            },
        )
    return page(request, contract)


CONTRACT_OPS: dict[str, tuple[Op, str]] = {
    **broker.OPS,
    **signing_views.OPS,
    **amendments.CONTRACT_OPS,
    **consumption.OPS,
}


def _dispatch(
    request: HttpRequest, contract: Contract, subject: Any, ops: dict, op: str, prefix: str = ""
) -> HttpResponse:
    if op not in ops:
        raise Http404
    if not permissions.can_change(request.user, contract):
        raise PermissionDenied
    run, message = ops[op]
    ok, key, form = run(request, subject)
    if ok:
        messages.success(request, message)
        url = reverse("contracts:detail", args=[contract.pk])
        if ops is CONTRACT_OPS and op == "generer":
            return redirect(f"{url}?{GENERATING}#documents-contrat")
        return redirect(url)
    return page(
        request, contract_for(request.user, contract.pk), status=422, **{prefix + key: form}
    )


@require_POST
def contract_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    contract = contract_for(request.user, pk)
    return _dispatch(request, contract, contract, CONTRACT_OPS, op)


@require_POST
def amendment_action(request: HttpRequest, pk: int, number: int, op: str) -> HttpResponse:
    contract = contract_for(request.user, pk)
    amendment = contract.amendments.filter(number=number).select_related("contract").first()
    if amendment is None:
        raise Http404
    return _dispatch(
        request, contract, amendment, amendments.AMENDMENT_OPS, op, prefix=amendments.PREFIX
    )


def version_download(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    """A version of the contract's or one of its amendments' PDF for the parties who must read
    what they sign (002 §2.3.1: signed as presented), the designated signatories and the
    supplier's representatives, besides those who see the document itself (its download is
    written to the audit trail)."""
    contract = contract_for(request.user, pk)
    documents = {contract.document_id} | set(
        contract.amendments.exclude(document=None).values_list("document_id", flat=True)
    )
    version = (
        DocumentVersion.objects.filter(pk=version_pk, document_id__in=documents - {None})
        .select_related("document", "stored")
        .first()
    )
    if version is None or version.stored is None or not version.stored.file:
        raise Http404
    party = contract.signatories.filter(user=request.user).exists() or policies.represents_supplier(
        request.user, contract
    )
    if not party and not visible_documents(request.user).filter(pk=version.document_id).exists():
        raise Http404
    document_download_record(by=request.user, version=version)
    return stored_file_response(version.stored, version.name)
