"""Pure rules of roles and capabilities (DOMAIN §1)."""

import pytest

from courtier.accounts.rules import (
    ACQUISITION_RUNNERS,
    ROLES_BY_KIND,
    Kind,
    Perm,
    R,
    permissions_for,
    role_allowed_for_kind,
)


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (R.BROKER_ADMIN, Kind.BROKER, True),
        (R.BROKER_ADMIN, Kind.CLIENT, False),
        (R.BROKER_AGENT, Kind.SUPPLIER, False),
        (R.CLIENT_HEAD, Kind.CLIENT, True),
        (R.CLIENT_HEAD, Kind.GROUP_PURCHASER, True),
        (R.CLIENT_HEAD, Kind.SUPPLIER, False),
        (R.SUPPLIER_REP, Kind.SUPPLIER, True),
        (R.SUPPLIER_REP, Kind.PROVIDER, False),
        (R.PROVIDER_REP, Kind.PROVIDER, True),
        (R.AUDITOR, Kind.BROKER, True),
        (R.AUDITOR, Kind.CLIENT, True),
        (R.AUDITOR, Kind.SUPPLIER, False),
        ("unknown", Kind.CLIENT, False),
        (R.CLIENT_HEAD, "unknown", False),
    ],
)
def test_each_kind_of_organisation_holds_only_its_own_roles(role, kind, allowed):
    assert role_allowed_for_kind(role, kind) is allowed


def test_every_role_belongs_to_at_least_one_kind():
    assert set(R) == set().union(*ROLES_BY_KIND.values())


def test_the_auditor_can_change_nothing():
    assert Perm.WRITE not in permissions_for(R.AUDITOR, Kind.BROKER)
    assert Perm.WRITE not in permissions_for(R.AUDITOR, Kind.CLIENT)


def test_broker_wide_powers_hold_only_inside_the_broker():
    client_auditor = permissions_for(R.AUDITOR, Kind.CLIENT)
    assert Perm.SEE_ALL_ORGANISATIONS not in client_auditor
    assert Perm.SEE_ALL_ORGANISATIONS in permissions_for(R.AUDITOR, Kind.BROKER)


def test_a_role_held_in_the_wrong_kind_of_organisation_grants_nothing():
    assert permissions_for(R.BROKER_ADMIN, Kind.CLIENT) == frozenset()


@pytest.mark.parametrize("role", [R.BROKER_ADMIN, R.BROKER_AGENT])
def test_broker_admins_and_agents_decide_access_requests(role):
    assert Perm.DECIDE_ACCESS_REQUESTS in permissions_for(role, Kind.BROKER)


def test_only_the_broker_admin_manages_the_calendar():
    holders = {r for r in R for k in Kind if Perm.MANAGE_CALENDAR in permissions_for(r, k)}
    assert holders == {R.BROKER_ADMIN}


def test_the_access_request_form_offers_every_role_once():
    from courtier.accounts.forms import AccessRequestForm

    offered = [
        v
        for _group, options in AccessRequestForm.base_fields["role"].choices[1:]
        for v, _l in options
    ]
    assert sorted(offered) == sorted(R)


def test_the_client_s_procurement_head_and_finance_run_its_acquisitions_not_its_signatory():
    """DOMAIN §1: a signatory signs and an auditor reads; the others run the acquisitions."""
    assert ACQUISITION_RUNNERS == (R.CLIENT_PROCUREMENT, R.CLIENT_HEAD, R.CLIENT_FINANCE)
