"""What accounts registers as awaiting someone (accounts/home.py): access requests for those who
decide them, one's own API tokens about to expire. Gone once done."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courtier.accounts import services
from courtier.accounts.models import Role
from courtier.core.workitems import Awaits, items_for
from tests.factories import make_access_request, make_person


def keys(user) -> list[str]:
    return [i.key for i in items_for(user)]


def test_a_pending_access_request_awaits_the_brokers_deciders_until_decided(orgs, people):
    """002 §2.1: a broker agent approves or refuses each request."""
    request = make_access_request(orgs["client"])
    key = f"accounts.access_request:{request.pk}"
    assert key in keys(people["broker_agent"])
    assert key in keys(people["broker_admin"])
    assert key not in keys(people["broker_auditor"])  # reads, decides nothing
    assert key not in keys(people["client_head"])
    services.access_request_refuse(by=people["broker_agent"], access_request=request, reason="Non.")
    assert key not in keys(people["broker_agent"])


def test_an_api_token_about_to_expire_awaits_its_owner_only(orgs, people):
    owner = people["client_procurement"]
    token, _secret = services.api_token_create(user=owner, name="Intégration", days=10)
    services.api_token_create(user=owner, name="Longue", days=90)  # not soon: not listed
    colleague = make_person(orgs["client"], Role.CLIENT_PROCUREMENT)
    (item,) = [i for i in items_for(owner) if i.key.startswith("accounts.api_token")]
    assert item.key == f"accounts.api_token:{token.pk}"
    assert item.awaits == Awaits.PERSON
    assert item.due_on == timezone.localdate(timezone.now() + timedelta(days=10))
    assert not [k for k in keys(colleague) if k.startswith("accounts.api_token")]
    services.api_token_revoke(by=owner, token=token)
    assert f"accounts.api_token:{token.pk}" not in keys(owner)
