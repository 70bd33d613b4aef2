"""What the contract pages share: the contract a person sees (404 otherwise), a form run against
one service (its refusals shown on the form), the signatures of an instrument in order, and who
may sign now (002 §2.5 steps 7-9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from courtier.contracts import policies, selectors
from courtier.contracts.models import Amendment, Contract, ContractSignatory, Party, Signature
from courtier.core.forms import submit
from courtier.documents.selectors import visible_documents
from courtier.pricerequests.views.files import error_summary  # noqa: F401 (one summary rule)

# An operation of a page: (request, subject) -> (done, the bound form's key, the bound form).
Op = Callable[[HttpRequest, Any], tuple[bool, str, Any]]


def contract_for(user: Any, pk: int) -> Contract:
    found = selectors.contracts_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def run(
    key: str, form: forms.Form, action: Callable[[dict[str, Any]], Any]
) -> tuple[bool, str, Any]:
    """``action(cleaned_data)`` when the form is valid; a service's refusal goes on the form."""
    return submit(form, action).ok, key, form


def bare(request: HttpRequest) -> forms.Form:
    """The form of a move that asks for nothing (a button): always valid."""
    return forms.Form(request.POST)


def in_order(signatories: Any) -> list[ContractSignatory]:
    """The client's signatories in their order, then the supplier's (002 §2.5 steps 8-9)."""
    return sorted(signatories, key=lambda s: (s.party != Party.CLIENT, s.order, s.pk))


@dataclass(frozen=True)
class SignatoryRow:
    signatory: ContractSignatory
    signature: Signature | None
    may_sign_now: bool


def signing_rows(contract: Contract, amendment: Amendment | None = None) -> list[SignatoryRow]:
    """The contract's signatories in order (the client's, then the supplier's), each with its
    signature on ``amendment`` (or on the contract), and whether it is its turn."""
    signatories = in_order(contract.signatories.select_related("user"))
    signatures = {
        s.signatory_id: s
        for s in Signature.objects.filter(contract=contract, amendment=amendment).select_related(
            "version", "stamped", "recorded_by"
        )
    }
    now = selectors.signing_turn((amendment or contract).state, signatories, signatures)
    return [SignatoryRow(s, signatures.get(s.pk), s.pk in now) for s in signatories]


def version_url(user: Any, contract: Contract, version: Any, readable: bool | None = None) -> str:
    """A version's download: the documents app's for who sees the document, else the contract's
    own (its signatories and the supplier read what they sign, 002 §2.3.1)."""
    if readable is None:
        readable = visible_documents(user).filter(pk=version.document_id).exists()
    if readable:
        return reverse("documents:download_version", args=[version.document_id, version.number])
    return reverse("contracts:version", args=[contract.pk, version.pk])


def guarded(may: Callable[[Any, Contract], bool]) -> Callable[[Op], Op]:
    """An operation only for whom ``may(user, contract)``: the others get 403 before any form is
    read (the service checks again)."""

    def wrap(op: Op) -> Op:
        def checked(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
            contract = subject.contract if isinstance(subject, Amendment) else subject
            if not may(request.user, contract):
                raise PermissionDenied
            return op(request, subject)

        return checked

    return wrap


def broker(user: Any, contract: Contract) -> bool:
    return policies.is_broker_agent(user)


def signatory(user: Any, contract: Contract) -> bool:
    return contract.signatories.filter(user=user).exists()


def party(user: Any, contract: Contract) -> bool:
    """Who records a signature made on paper or its copy: a signatory, the client's people, the
    supplier's representatives (the service checks which side)."""
    return (
        signatory(user, contract)
        or policies.runs_contract(user, contract)
        or policies.represents_supplier(user, contract)
    )


def recorder(user: Any, contract: Contract) -> bool:
    """Orders and invoices: the client's people or the broker's agents (002 §4.4)."""
    return policies.runs_contract(user, contract) or policies.is_broker_agent(user)
