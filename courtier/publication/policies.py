"""Who sees and changes what is published after the contract (DOMAIN §1, §5.1, §5.7): a SEAO
sheet and the contact consents of a contract are the client's (its people see them, those who
run its acquisitions change them) and the broker's staff see them; suppliers and providers never
(the sheet is what the client enters in SEAO). The list of concluded contracts is for the
Catalogue's subscribed readers, the public bodies' people and the broker's staff (002 §4.7)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, register
from courtier.accounts.rules import Perm
from courtier.publication.models import ContactConsent, SeaoSheet


def client_side_scope(prefix: str = "contract__"):
    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{prefix}client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)})

    return scope


def runs_client(user: Any, client_id: int) -> bool:
    """002 §4.1: the client's people who run its acquisitions publish and consent for it."""
    g = permissions.grants(user)
    return client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def may_read_concluded(user: Any) -> bool:
    """002 §4.7: the list is published to the subscribed clients (and kept by the broker)."""
    return permissions.has_perm(user, Perm.BROWSE_CATALOGUE)


def _change(user: Any, g: Grants, obj: Any) -> bool:
    return obj.contract.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS)


register(SeaoSheet, Policy(scope=client_side_scope(), change=_change))
register(ContactConsent, Policy(scope=client_side_scope(), change=_change))
