"""What every service module of contracts shares: the clock, the locks, the actors a person may
act as, the audit record and the addresses emails go to. Package-private."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtier.accounts.models import Role
from courtier.accounts.selectors import emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.contracts import policies, rules
from courtier.contracts.messages import TEXT_TOO_LONG
from courtier.contracts.models import Amendment, Contract, ContractSignatory, Party


def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("client", "supplier")
        .get(pk=contract.pk)
    )


def _lock_amendment(amendment: Amendment) -> Amendment:
    return Amendment.objects.select_for_update().select_related("contract").get(pk=amendment.pk)


def _record(by: Any, action: str, obj: Any, contract: Contract, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by,
        action=action,
        obj=obj,
        organisation=contract.client_id,
        before=before,
        after=after,
    )


def _touch(obj: Contract | Amendment) -> None:
    obj.updated_at = timezone.now()
    obj.save(update_fields=["updated_at"])


def _text(errors: dict[str, Any], name: str, value: str, limit: int = rules.MAX_TEXT_LENGTH) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = str(TEXT_TOO_LONG).format(limit=limit)
    return value


def actors_of(user: Any, contract: Contract) -> set[str]:
    """The actors of the workflows ``user`` may act as on ``contract``."""
    actors: set[str] = set()
    if policies.is_broker_agent(user):
        actors.add(rules.Actor.BROKER)
    if policies.runs_contract(user, contract):
        actors.add(rules.Actor.CLIENT)
    if policies.represents_supplier(user, contract):
        actors.add(rules.Actor.SUPPLIER)
    if contract.signatories.filter(user=user, party=Party.CLIENT).exists():
        actors.add(rules.Actor.CLIENT_SIGNATORY)
    return actors


def _require_actor(user: Any, contract: Contract, actor: str) -> None:
    if actor not in actors_of(user, contract):
        raise PermissionDenied


def contract_url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def client_emails(contract: Contract) -> list[str]:
    """The client's people who follow the contract: its acquisitions and finance officers."""
    return emails_with_roles([Role.CLIENT_PROCUREMENT, Role.CLIENT_FINANCE], contract.client_id)


def signatory_emails(contract: Contract, party: str) -> list[str]:
    return sorted(
        {
            s.user.email
            for s in ContractSignatory.objects.filter(
                contract=contract, party=party
            ).select_related("user")
            if s.user is not None
        }
    )


def supplier_emails(contract: Contract) -> list[str]:
    return sorted(
        set(emails_with_roles([Role.SUPPLIER_REP, Role.PROVIDER_REP], contract.supplier_id))
        | set(signatory_emails(contract, Party.SUPPLIER))
    )


def refuse(field: str, message: Any, **params: Any) -> None:
    raise ValidationError({field: str(message).format(**params) if params else message})
