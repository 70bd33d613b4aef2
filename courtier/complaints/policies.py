"""Who sees and changes feedback and complaints (issue 14 §1; DOMAIN §1, §5.6): the broker's staff
see every one and its administrators and agents assign, answer and close them; a client body's
people see their body's, and those who run its acquisitions send them; suppliers and providers
see none, not even one about themselves (``rules.may_see``); another client none (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.complaints.models import Complaint, ComplaintAnswer


def _scope(prefix: str):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        # A client body's people: those who browse the Catalogue for it (suppliers never do).
        return Q(**{f"{prefix}client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)})

    return scope


def is_broker_agent(user: Any) -> bool:
    """The broker's administrators and agents handle complaints (issue 14 §1)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def is_broker_staff(user: Any) -> bool:
    """The broker's staff (its auditor too) see every complaint and its dispute flags."""
    return permissions.grants(user).anywhere(Perm.SEE_ALL_ORGANISATIONS)


def submitting_for(user: Any) -> set[int]:
    """The client bodies ``user`` sends feedback and complaints for: those whose acquisitions
    they run (as contracts.policies.runs_contract decides who acts for a client)."""
    g = permissions.grants(user)
    if not g.anywhere(Perm.WRITE):
        return set()
    return g.organisations_with(Perm.RUN_ACQUISITIONS) & g.organisations_with(Perm.BROWSE_CATALOGUE)


def may_read(user: Any) -> bool:
    """Whoever may see a complaint at all: the broker's staff and the client bodies' people."""
    g = permissions.grants(user)
    return g.anywhere(Perm.SEE_ALL_ORGANISATIONS) or bool(
        g.organisations_with(Perm.BROWSE_CATALOGUE)
    )


def _change(user: Any, g: Grants, complaint: Complaint) -> bool:
    return g.anywhere(Perm.MANAGE_ACQUISITIONS)


register(Complaint, Policy(scope=_scope(""), change=_change))
register(ComplaintAnswer, Policy(scope=_scope("complaint__"), change=never))
