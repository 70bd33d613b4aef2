"""What awaits each person: one registry of work items and deadlines, fed by every app.

An app registers a provider ``f(user) -> Iterable[WorkItem]`` (in its ``home`` module, imported
when the app is ready) that computes, from its workflows' current state, what awaits that person
or their organisation: an access request to decide, a question to answer, an authorisation to
give... Nothing is stored: an item disappears as soon as the state that called for it changes.
The home page, the daily digest and the private calendar feed read ``items_for``. Core knows no
app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils import timezone


class Awaits(StrEnum):
    """Whom an item awaits: the person themself, or whoever holds a role in their organisation
    (any of them may do it)."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. ``key`` is stable while the item exists ("acquisitions.question:42"): the
    calendar feed's UID and what keeps two providers from listing the same item twice."""

    key: str
    title: str  # French, already translated
    url: str
    kind: str  # a short French label ("Question d'un client", "Demande d'accès"...)
    due_on: date | None = None
    detail: str = ""
    awaits: Awaits = Awaits.ORGANISATION
    organisation: str = ""  # the organisation's name, when it awaits the organisation

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today


Provider = Callable[[Any], Iterable[WorkItem]]

_PROVIDERS: dict[str, Provider] = {}


def provider(name: str) -> Callable[[Provider], Provider]:
    """Register ``f(user)`` under ``name`` (one per app part; registering again replaces it)."""

    def register(func: Provider) -> Provider:
        _PROVIDERS[name] = func
        return func

    return register


def ordered(items: Iterable[WorkItem], today: date) -> list[WorkItem]:
    """Overdue first, then by due date (undated last), then by title; one item per key."""
    unique: dict[str, WorkItem] = {}
    for item in items:
        unique.setdefault(item.key, item)
    return sorted(
        unique.values(),
        key=lambda i: (
            not i.overdue(today),
            i.due_on is None,
            i.due_on or date.max,
            i.title.casefold(),
            i.key,
        ),
    )


def items_for(user: Any, today: date | None = None) -> list[WorkItem]:
    """Everything that awaits this person or their organisations now, in the order shown."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    found: list[WorkItem] = []
    for func in _PROVIDERS.values():
        found.extend(func(user))
    return ordered(found, today or timezone.localdate())
