"""Who sees and changes exit plans (DOMAIN §1, §5.9): the broker's staff see every plan and its
agents and admins take note of them or return them; the client's people see their body's plans,
and those who run its acquisitions prepare, submit and complete them; the contract's (outgoing)
supplier sees its contract's plan, read-only, since it performs the exit activities; another
supplier sees nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.contracts import policies as contract_policies
from courtier.exitplans.models import ExitActivity, ExitPlan


def _scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(
            **{f"{prefix}contract__client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)}
        ) | Q(**{f"{prefix}contract__supplier_id__in": contract_policies.supplier_side(g)})

    return scope


def _change(user: Any, g: Grants, plan: ExitPlan) -> bool:
    # Whoever has a move to make on it (each move checks its own actor): the broker's agents,
    # the client's people.
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) or plan.contract.client_id in g.organisations_with(
        Perm.BROWSE_CATALOGUE
    )


def may_list(user: Any) -> bool:
    """Who reaches the list of exit plans: those who reach the contracts (contracts.home's
    navigation entry), each seeing only its own contracts there."""
    return (
        permissions.has_perm(user, Perm.BROWSE_CATALOGUE)
        or permissions.has_perm(user, Perm.PROPOSE_SHEET)
        or permissions.has_perm(user, Perm.RESPOND_PRICE_REQUESTS)
    )


is_broker_agent = contract_policies.is_broker_agent
runs_contract = contract_policies.runs_contract

register(ExitPlan, Policy(scope=_scope(""), change=_change))
register(ExitActivity, Policy(scope=_scope("plan__"), change=never))
