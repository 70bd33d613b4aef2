import copy
import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

from tests.factories import build_orgs, build_people


def page_text(response) -> str:
    """The page as a person reads it: HTML entities (e.g. the escaped apostrophe) decoded."""
    return html.unescape(response.content.decode())


@contextmanager
def world_kept_for(django_db_blocker) -> Iterator[None]:
    """Data built once for a whole module or class (the world its tests only read), inside one
    transaction rolled back at the end: each test runs in a savepoint of it, and nothing the
    world queued for after a commit (mail, tasks) ever runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def shared_world(build: Callable[[dict], Any]) -> tuple:
    """The fixtures of a module whose tests share one world, built once: the organisations,
    their people and what ``build(orgs)`` makes. ``world`` is this test's copy of the three
    (the rows are restored after each test; the Python objects must be too), and ``orgs`` and
    ``people`` come from it. Use: ``shared, world, orgs, people = shared_world(build)``."""

    @pytest.fixture(scope="module", name="shared")
    def shared(django_db_setup, django_db_blocker):
        with world_kept_for(django_db_blocker):
            orgs = build_orgs()
            people = build_people(orgs)
            yield orgs, people, build(orgs)

    @pytest.fixture(name="world")
    def world(shared, db):
        return copy.deepcopy(shared)

    @pytest.fixture(name="orgs")
    def orgs(world):
        return world[0]

    @pytest.fixture(name="people")
    def people(world):
        return world[1]

    return shared, world, orgs, people
