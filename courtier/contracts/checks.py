"""Read-only guards of the contract's and the amendment's moves: what still keeps each move from
happening, as French problems keyed by field. Never writes; never imports services."""

from __future__ import annotations

from typing import Any

from courtier.contracts import messages
from courtier.contracts.models import Amendment, Contract, Party


def preparation_problems(contract: Contract) -> dict[str, Any]:
    """Before the assembled documents go to the client (002 §2.5 steps 4-6): the supplier's
    eligibility confirmed, the signatories named, the startup decision of a renewal recorded,
    and the documents generated from the current terms."""
    problems: dict[str, Any] = {}
    if contract.eligibility_confirmed_on is None:
        problems["eligibility_confirmed_on"] = messages.ELIGIBILITY_MISSING
    parties = set(contract.signatories.values_list("party", flat=True))
    if parties != {Party.CLIENT, Party.SUPPLIER}:
        problems["signatories"] = messages.SIGNATORIES_MISSING
    if contract.is_renewal and contract.startup_meeting_needed is None:
        problems["startup_meeting_needed"] = messages.STARTUP_DECISION_MISSING
    problems.update(document_problems(contract))
    return problems


def document_problems(instrument: Contract | Amendment) -> dict[str, Any]:
    if instrument.document_id is None:
        return {"document": messages.NO_DOCUMENT}
    if getattr(instrument, "generated_at", None) is None or (
        instrument.updated_at > instrument.generated_at
    ):
        return {"document": messages.DOCUMENT_STALE}
    return {}


def comment_given(subject: Any, values: dict[str, Any]) -> dict[str, Any]:
    if not (values.get("review_comment") or "").strip():
        return {"review_comment": messages.COMMENT_REQUIRED}
    return {}
