"""Who sees and changes specific contracts (DOMAIN §1, §5): the broker's staff see every contract
and its agents prepare them; a client's people see their body's contracts, and those who run its
acquisitions approve, amend, record consumption and terminate; a supplier's or provider's people
see the contracts their organisation is party to (never another's) and sign them. Signing is
checked against the contract's designated signatories by the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.contracts.models import (
    Amendment,
    ConsumptionEntry,
    Contract,
    ContractSignatory,
    Party,
    Signature,
    Termination,
)

# Who may sign in the platform for each party (002 §2.5 step 8): the client's authorised
# signatories and its head, the supplier's or provider's representatives.
SIGNING_ROLES = {
    Party.CLIENT: {Role.CLIENT_SIGNATORY, Role.CLIENT_HEAD},
    Party.SUPPLIER: {Role.SUPPLIER_REP, Role.PROVIDER_REP},
}


def supplier_side(g: Grants) -> set[int]:
    """The suppliers and providers a person represents."""
    return g.organisations_with(Perm.PROPOSE_SHEET) | g.organisations_with(
        Perm.RESPOND_PRICE_REQUESTS
    )


def _scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{prefix}client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)}) | Q(
            **{f"{prefix}supplier_id__in": supplier_side(g)}
        )

    return scope


def is_broker_agent(user: Any) -> bool:
    """The broker's agents prepare, validate and stamp contracts and amendments (002 §2.5)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def runs_contract(user: Any, contract: Contract) -> bool:
    """The client's people who run its acquisitions act for the client on its contract."""
    g = permissions.grants(user)
    return contract.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(
        Perm.WRITE
    )


def represents_supplier(user: Any, contract: Contract) -> bool:
    g = permissions.grants(user)
    return contract.supplier_id in supplier_side(g) and g.anywhere(Perm.WRITE)


def _change_contract(user: Any, g: Grants, contract: Contract) -> bool:
    # Whoever has a move to make on it: the broker's agents, the client's people who run its
    # acquisitions, and the parties' signatories (each move checks its own actor).
    return (
        g.anywhere(Perm.MANAGE_ACQUISITIONS)
        or contract.client_id in g.organisations_with(Perm.BROWSE_CATALOGUE)
        or contract.supplier_id in supplier_side(g)
    )


register(Contract, Policy(scope=_scope(""), change=_change_contract))
register(
    Amendment,
    Policy(
        scope=_scope("contract__"),
        change=lambda user, g, obj: _change_contract(user, g, obj.contract),
    ),
)
register(ContractSignatory, Policy(scope=_scope("contract__"), change=never))
register(Signature, Policy(scope=_scope("contract__"), change=never))
# Orders and invoices are the client's records; the supplier sees those of its own contracts.
register(ConsumptionEntry, Policy(scope=_scope("contract__"), change=never))
register(Termination, Policy(scope=_scope("contract__"), change=never))
