"""The registry of what awaits each person (core.workitems): its order, pure, and providers."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.core import workitems
from courtier.core.workflow import Awaiting
from courtier.core.workflow_docs import workflows_markdown
from courtier.core.workitems import WorkItem, items_for, ordered
from tests.core.test_workflow import S, make

TODAY = date(2027, 3, 10)


def item(key: str, title: str = "Tâche", due_on: date | None = None) -> WorkItem:
    return WorkItem(key=key, title=title, url=f"/{key}/", kind="Essai", due_on=due_on)


def test_overdue_items_come_first_then_by_due_date_then_undated_by_title():
    items = [
        item("undated-b", "B sans date"),
        item("later", "Plus tard", date(2027, 3, 20)),
        item("undated-a", "a sans date"),
        item("overdue-recent", "Retard récent", date(2027, 3, 9)),
        item("today", "Aujourd'hui", TODAY),
        item("overdue-old", "Retard ancien", date(2027, 2, 1)),
    ]
    assert [i.key for i in ordered(items, TODAY)] == [
        "overdue-old",
        "overdue-recent",
        "today",
        "later",
        "undated-a",
        "undated-b",
    ]


def test_items_due_on_the_same_day_are_ordered_by_title():
    day = date(2027, 3, 12)
    found = ordered([item("2", "Zèbre", day), item("1", "abeille", day)], TODAY)
    assert [i.title for i in found] == ["abeille", "Zèbre"]


@pytest.mark.parametrize(
    ("due_on", "overdue"),
    [(None, False), (date(2027, 3, 9), True), (TODAY, False), (date(2027, 3, 11), False)],
)
def test_an_item_is_overdue_only_once_its_due_date_has_passed(due_on, overdue):
    assert item("x", due_on=due_on).overdue(TODAY) is overdue


def test_two_providers_giving_the_same_key_list_it_once():
    found = ordered([item("same", "Premier"), item("same", "Second")], TODAY)
    assert [i.title for i in found] == ["Premier"]


class _Person:
    is_authenticated = True
    is_active = True


def test_items_for_reads_every_provider_and_nobody_anonymous_gets_any(monkeypatch):
    monkeypatch.setattr(workitems, "_PROVIDERS", {})
    workitems.provider("one")(lambda user: [item("a", "Un", date(2027, 3, 1))])
    workitems.provider("two")(lambda user: iter([item("b", "Deux")]))
    assert [i.key for i in items_for(_Person(), today=TODAY)] == ["a", "b"]
    assert items_for(None, today=TODAY) == []
    inactive = _Person()
    inactive.is_active = False
    assert items_for(inactive, today=TODAY) == []


def test_a_workflow_declares_what_each_state_awaits_and_its_docs_show_it():
    workflow, _records = make(awaits={S.SENT: Awaiting("reviewer", "Relire l'article")})
    assert workflow.awaits[S.SENT].actor == "reviewer"
    doc = workflows_markdown([workflow])
    assert "| Envoyé | Réviseur | Relire l'article |" in doc


@pytest.mark.parametrize(
    "awaits", [{"lost": ("author", "Écrire")}, {"draft": ("nobody", "Écrire")}]
)
def test_a_workflow_refuses_what_awaits_an_unknown_state_or_actor(awaits):
    with pytest.raises(ValueError, match="awaits"):
        make(awaits={state: Awaiting(*value) for state, value in awaits.items()})
