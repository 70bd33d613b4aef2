"""The moves the dates make (002 §4.4: the client respects the contract's duration): a concluded
contract enters into force on its start date, a contract in force ends the day after its planned
last day; the end moves its documents' disposal dates (DOMAIN §7: seven years after the end).
Run daily by ``courtier contracts-daily``; each contract moves in its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from courtier.contracts import rules
from courtier.contracts.models import Contract, ContractState
from courtier.contracts.services.common import _lock, _now
from courtier.contracts.workflow import CONTRACT_WORKFLOW
from courtier.documents.services.retention import retention_recompute

SYSTEM = {rules.Actor.SYSTEM}
A, S = rules.Action, ContractState


def _move(pk: int, action: str, state: str, due: Callable[[Contract], bool]) -> bool:
    """Move the contract ``pk`` by ``action`` when, once locked, it is still in ``state`` and
    ``due`` (another run, or a signed amendment, may have changed it); True when it moved."""
    with transaction.atomic():
        contract = _lock(Contract(pk=pk))
        if contract.state != state or not due(contract):
            return False
        contract.updated_at = _now()
        values = {"ended_on": contract.ends_on} if action == A.END else {}
        CONTRACT_WORKFLOW.run(
            subject=contract,
            action=action,
            by=None,
            acting_as=SYSTEM,
            values=values,
            save=lambda subject, _move: subject.save(
                update_fields=["state", "updated_at", *values]
            ),
        )
        if action == A.END:
            retention_recompute(subject=contract)
        return True


def contracts_daily(today: date | None = None) -> dict[str, list[str]]:
    """Concluded contracts whose start date has come enter into force; contracts in force past
    their planned last day (``ends_on``, amendments included) end on it. The references moved,
    by move: ``{"in_force": [...], "ended": [...]}``."""
    today = today or timezone.localdate()
    moved: dict[str, list[str]] = {"in_force": [], "ended": []}
    starting = Contract.objects.filter(state=S.CONCLUDED, start_on__lte=today)
    for pk, reference in starting.order_by("pk").values_list("pk", "reference"):
        if _move(pk, A.ENTER_INTO_FORCE, S.CONCLUDED, lambda c: c.start_on <= today):
            moved["in_force"].append(reference)
    ending = Contract.objects.filter(state=S.IN_FORCE, ends_on__lt=today)
    for pk, reference in ending.order_by("pk").values_list("pk", "reference"):
        if _move(pk, A.END, S.IN_FORCE, lambda c: c.ends_on < today):
            moved["ended"].append(reference)
    return moved
