import html
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


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
