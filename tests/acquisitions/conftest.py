"""Fixtures shared by the page and service tests of acquisition files."""

import pytest

from tests.acquisitions.factories import MARCH_1, at, publish_catalogue


@pytest.fixture
def clock():
    """Monday 2027-03-01, 09:00 in Quebec; the clock ticks from there."""
    with at(MARCH_1) as traveller:
        yield traveller


@pytest.fixture
def offers(orgs, clock):
    """The two suppliers' offers of tests/acquisitions/factories.py, published on that day."""
    return publish_catalogue(orgs)


@pytest.fixture
def runner(people, client, clock):
    """The client's procurement officer, signed in: runs the Ministère A's files."""
    client.force_login(people["client_procurement"])
    return people["client_procurement"]
