"""What the publication services share: the clock, the lock of the contract, the checks that it
is concluded and that the person acts for its client, and the audit record. Package-private."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from courtier.audit.services import audit_event_record
from courtier.contracts.models import Contract
from courtier.publication import messages, policies, selectors


def lock_contract(by: Any, contract: Contract) -> Contract:
    """The contract locked, once ``by`` may act for its client on it: 404 for whom the
    publication page is hidden, 403 for the others, refused while it is not concluded."""
    if not selectors.publication_contracts(by).filter(pk=contract.pk).exists():
        raise Http404
    if not policies.runs_client(by, contract.client_id):
        raise PermissionDenied
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("client", "supplier")
        .get(pk=contract.pk)
    )
    if contract.state not in selectors.CONCLUDED_STATES:
        raise ValidationError({"state": messages.NOT_CONCLUDED})
    return contract


def record(by: Any, action: str, obj: Any, contract: Contract, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by,
        action=action,
        obj=obj,
        organisation=contract.client_id,
        before=before,
        after=after,
    )


def text(errors: dict[str, Any], name: str, value: str | None, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = str(messages.TEXT_TOO_LONG).format(limit=limit)
    return value
