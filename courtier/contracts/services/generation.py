"""The contract's PDF and its amendments' from the broker's versioned template (002 §2.5 steps
5-6, §3.5 step 5, §4.5): a broker agent asks for it while the instrument is in preparation; it is
rendered after the commit (``tasks``, ``services.rendering``) and kept as a new version of the
instrument's document, so every draft stays. ``current_version`` and ``current_pdf`` read the
latest version (signing and the pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from courtier.contracts import messages, policies, tasks
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.contracts.services.common import _lock, _lock_amendment
from courtier.documents.models import DocumentVersion


def _require_broker(by: Any) -> None:
    # 002 §2.5 step 5, §4.5: the broker prepares the contract and its amendments.
    if not policies.is_broker_agent(by):
        raise PermissionDenied


@transaction.atomic
def contract_generate(*, by: Any, contract: Contract) -> None:
    """Render the contract with its annexes, after the commit: a broker agent, a contract in
    preparation (002 §2.5 step 5). The audit event ``contract.generated`` is written when the
    version is kept."""
    _require_broker(by)
    contract = _lock(contract)
    if contract.state != ContractState.PREPARATION:
        raise ValidationError({"state": messages.NOT_GENERABLE})
    tasks.render_after_commit(tasks.contract_document_render, contract.pk, by=by)


@transaction.atomic
def amendment_generate(*, by: Any, amendment: Amendment) -> None:
    """The same for an amendment in preparation (002 §4.5); audit ``amendment.generated``."""
    _require_broker(by)
    amendment = _lock_amendment(amendment)
    if amendment.state != AmendmentState.PREPARATION:
        raise ValidationError({"state": messages.AMENDMENT_NOT_GENERABLE})
    tasks.render_after_commit(tasks.amendment_document_render, amendment.pk, by=by)


def current_version(instrument: Contract | Amendment) -> DocumentVersion | None:
    """The latest version of the instrument's document (a draft, the stamped version or a
    signed copy), None before its first generation."""
    if instrument.document_id is None:
        return None
    return instrument.document.versions.order_by("-number").first()


def current_pdf(instrument: Contract | Amendment) -> bytes:
    """The bytes of the latest version (ValidationError when there is none to read)."""
    version = current_version(instrument)
    if version is None or version.stored is None:
        raise ValidationError({"document": messages.NO_DOCUMENT})
    return version.stored.read_bytes()
