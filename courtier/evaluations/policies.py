"""Who sees and changes evaluations (DOMAIN §1, §5.8): the broker's staff see everything and its
admins and agents publish the grid and run the campaigns; a client body's people see their own
requests and end-of-contract evaluations, and those who run its acquisitions fill them in (its
head signs the report); a supplier or provider sees nothing of the clients' evaluations (002
§4.8.1: the broker discusses the summary with it at their annual meeting)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.permissions import Grants, Policy, everyone, never, register
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.evaluations.models import (
    Campaign,
    EndEvaluation,
    EvaluationRequest,
    EvaluationScore,
    GridCriterion,
    GridVersion,
)


def is_broker_agent(user: Any) -> bool:
    """The broker's admins and agents (002 §4.8.1: the broker runs the campaigns)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def is_broker_staff(user: Any) -> bool:
    return permissions.grants(user).anywhere(Perm.SEE_ALL_ORGANISATIONS)


def runs_client(user: Any, client_id: int) -> bool:
    """The client's people who run its acquisitions fill in its evaluations."""
    g = permissions.grants(user)
    return client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def heads(user: Any, client_id: int) -> bool:
    """The head of the organisation (002 §4.8.2: the report signed by the « dirigeant »)."""
    return client_id in organisations_with_role(user, [Role.CLIENT_HEAD])


def client_side(g: Grants) -> set[int]:
    return g.organisations_with(Perm.BROWSE_CATALOGUE)


def _scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{prefix}__in": client_side(g)})

    return scope


def _broker_only(user: Any, g: Grants) -> Q:
    return Q() if g.anywhere(Perm.SEE_ALL_ORGANISATIONS) else Q(pk__in=[])


def _change_request(user: Any, g: Grants, obj: EvaluationRequest) -> bool:
    return obj.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def _change_end(user: Any, g: Grants, obj: EndEvaluation) -> bool:
    return obj.contract.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(
        Perm.WRITE
    )


# The grid is no secret: whoever fills it in reads it; it is published by the broker.
register(GridVersion, Policy(scope=everyone, change=never))
register(GridCriterion, Policy(scope=everyone, change=never))
register(
    Campaign,
    Policy(scope=_broker_only, change=lambda user, g, obj: is_broker_agent(user)),
)
register(EvaluationRequest, Policy(scope=_scope("client_id"), change=_change_request))
register(EvaluationScore, Policy(scope=_scope("request__client_id"), change=never))
register(EndEvaluation, Policy(scope=_scope("contract__client_id"), change=_change_end))
