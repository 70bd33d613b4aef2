"""Fixtures shared by the page and service tests of acquisition files."""

from datetime import date

import pytest

from tests.acquisitions.factories import at, publish_catalogue

MARCH_1 = date(2027, 3, 1)  # a Monday, the first business day of March 2027


@pytest.fixture
def clock():
    """Monday 2027-03-01, 09:00 in Quebec; the clock ticks from there."""
    with at(MARCH_1) as traveller:
        yield traveller


@pytest.fixture
def offers(orgs, clock):
    """The two suppliers' offers of tests/acquisitions/factories.py, published on that day."""
    return publish_catalogue(orgs)


def published_before_nine(orgs) -> dict:
    """The offers of ``offers``, published at 08:00 that Monday: for a world built once for a
    module (``tests.helpers.shared_world``), before any of its tests' clocks start at 09:00."""
    with at(MARCH_1, 8, tick=False):
        return publish_catalogue(orgs)
