"""The contracts API's answers built from the models: a contract with everything it holds as one
person may read it (its terms, document and versions, signatories and signatures in order, its
consumption, amendments and termination), and the lookups of a contract or an amendment one
sees (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone

from courtier.accounts import permissions
from courtier.contracts import rules, selectors
from courtier.contracts.models import (
    Amendment,
    ConsumptionEntry,
    Contract,
    ContractSignatory,
    Signature,
)
from courtier.contracts.services.amendments import lead_time_on
from courtier.contracts.services.transitions import planning_deadline
from courtier.contracts.workflow import AMENDMENT_WORKFLOW, CONTRACT_WORKFLOW


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def contract_of(user: Any, contract_id: int) -> Contract:
    contract = selectors.contracts_for(user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    return contract


def amendment_of(user: Any, amendment_id: int) -> Amendment:
    amendment = (
        permissions.scope(user, Amendment.objects.select_related("contract__client"))
        .filter(pk=amendment_id)
        .first()
    )
    if amendment is None:
        raise Http404
    return amendment


def _document(instrument: Contract | Amendment) -> dict[str, Any] | None:
    document = instrument.document
    if document is None:
        return None
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    stamped = instrument.stamped
    try:
        code = stamped.validation.code if stamped is not None else None
    except ObjectDoesNotExist:
        code = None
    return {
        "id": document.pk,
        "versions": [
            {
                "id": v.pk,
                "number": v.number,
                "name": v.name,
                "sha256": v.sha256,
                "created_at": v.created_at,
            }
            for v in versions
        ],
        "current_version_id": versions[-1].pk if versions else None,
        "stamped_version_id": instrument.stamped_id,
        "stamp_code": code,
    }


def _signatures(contract: Contract, amendment: Amendment | None) -> list[Signature]:
    return list(
        Signature.objects.filter(contract=contract, amendment=amendment).select_related("signatory")
    )


def _signature(signature: Signature) -> dict[str, Any]:
    return {
        "id": signature.pk,
        "signatory_id": signature.signatory_id,
        "name": signature.signatory.name,
        "party": signature.signatory.party,
        "method": signature.method,
        "signed_on": signature.signed_on,
        "signed_at": signature.signed_at,
        "stamped_version_id": signature.stamped_id,
        "version_id": signature.version_id,
        "copy_awaited": signature.version_id is None,
    }


def signature_out(signature: Signature) -> dict[str, Any]:
    return _signature(Signature.objects.select_related("signatory").get(pk=signature.pk))


def _problems(workflow: Any, subject: Any) -> dict[str, list[str]]:
    """What keeps the moves of the current state from happening (their guards), by field."""
    found: dict[str, list[str]] = {}
    for move in workflow.from_state(subject.state):
        if move.actor == rules.Actor.SYSTEM:
            continue
        for field, messages in workflow.problems(move, subject).items():
            listed = messages if isinstance(messages, list | tuple) else [messages]
            found.setdefault(field, []).extend(str(m) for m in listed)
    return found


def amendment_out(amendment: Amendment, signatories: list[ContractSignatory] | None = None) -> dict:
    contract = amendment.contract
    if signatories is None:
        signatories = list(contract.signatories.all())
    signatures = _signatures(contract, amendment)
    return {
        "id": amendment.pk,
        "contract_id": contract.pk,
        "reference": str(amendment),
        "number": amendment.number,
        "state": amendment.state,
        "state_label": amendment.get_state_display(),
        "reason": amendment.reason,
        "changes": list(amendment.changes or []),
        "review_comment": amendment.review_comment,
        "fee_cents": amendment.fee_cents,
        "generated_at": amendment.generated_at,
        "signed_on": amendment.signed_on,
        "requested_at": amendment.requested_at,
        "lead_time_on": lead_time_on(amendment),
        "document": _document(amendment),
        "signatures": [_signature(s) for s in signatures],
        "next_signatory_ids": selectors.signing_turn(
            amendment.state, signatories, {s.signatory_id for s in signatures}
        ),
        "problems": _problems(AMENDMENT_WORKFLOW, amendment),
    }


def consumption_summary(contract: Contract) -> dict[str, Any]:
    used = selectors.consumption(contract, timezone.localdate())
    return {
        "authorised_cents": used.authorised_cents,
        "ordered_cents": used.ordered_cents,
        "consumed_cents": used.consumed_cents,
        "ordered_percent": used.ordered_percent,
        "consumed_percent": used.consumed_percent,
        "forecast_month": used.forecast.month,
        "monthly_cents": used.forecast.monthly_cents,
        "told_80_at": contract.told_80_at,
        "told_100_at": contract.told_100_at,
    }


def entry_out(entry: ConsumptionEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "number": entry.number,
        "dated_on": entry.dated_on,
        "amount_cents": entry.amount_cents,
        "description": entry.description,
        "document_id": entry.document_id,
        "recorded_at": entry.recorded_at,
    }


def contract_row(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "reference": contract.reference,
        "kind": contract.kind,
        "state": contract.state,
        "state_label": contract.get_state_display(),
        "title": contract.title,
        "client": _ref(contract.client),
        "supplier": _ref(contract.supplier),
        "start_on": contract.start_on,
        "ends_on": contract.ends_on,
        "authorised_cents": contract.authorised_cents,
        "updated_at": contract.updated_at,
    }


def contract_detail(user: Any, contract_id: int) -> dict[str, Any]:
    """The contract as ``user`` reads it now (read again: after a move, its new state)."""
    contract = contract_of(user, contract_id)
    signatories = list(contract.signatories.order_by("party", "order", "id"))  # client first
    signatures = _signatures(contract, None)
    signed = {s.signatory_id for s in signatures}
    terms = selectors.current_terms(contract)
    try:
        termination = contract.termination
    except ObjectDoesNotExist:
        termination = None
    return contract_row(contract) | {
        "kind_label": contract.get_kind_display(),
        "strategy_id": contract.strategy_id,
        "handoff_id": contract.handoff_id,
        "duration_months": contract.duration_months,
        "price_terms": contract.price_terms,
        "basis": contract.basis,
        "template_version": contract.template_version,
        "subject_to_rcti": contract.subject_to_rcti,
        "eligibility_confirmed_on": contract.eligibility_confirmed_on,
        "eligibility_note": contract.eligibility_note,
        "is_renewal": contract.is_renewal,
        "startup_meeting_needed": contract.startup_meeting_needed,
        "startup_contact_on": contract.startup_contact_on,
        "planning_deadline": planning_deadline(contract),
        "review_comment": contract.review_comment,
        "generated_at": contract.generated_at,
        "concluded_on": contract.concluded_on,
        "ended_on": contract.ended_on,
        "document": _document(contract),
        "signatories": [
            {
                "id": s.pk,
                "party": s.party,
                "order": s.order,
                "user_id": s.user_id,
                "name": s.name,
                "title": s.title,
                "signed": s.pk in signed,
            }
            for s in signatories
        ],
        "signatures": [_signature(s) for s in signatures],
        "next_signatory_ids": selectors.signing_turn(
            contract.state, signatories, {s.signatory_id for s in signatures}
        ),
        "problems": _problems(CONTRACT_WORKFLOW, contract),
        "terms": {
            "months": terms.months,
            "authorised_cents": terms.authorised_cents,
            "ends_on": contract.ends_on,
            "amendments": list(terms.amendments),
        },
        "consumption": consumption_summary(contract),
        "amendments": [
            amendment_out(a, signatories)
            for a in contract.amendments.select_related("contract").order_by("number")
        ],
        "termination": (
            {
                "effective_on": termination.effective_on,
                "reason": termination.reason,
                "letter_document_id": termination.letter_id,
                "recorded_at": termination.recorded_at,
            }
            if termination is not None
            else None
        ),
    }
