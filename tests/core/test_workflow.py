"""The workflow engine (core/workflow.py): one move found, its actor checked, its guards run once
and in order, the state changed, one audit record, the writes in the transaction and the
effects only after the commit. A toy workflow on a plain object: the engine knows no model."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from courtier.core.workflow import Guard, Step, Workflow
from courtier.core.workflow_docs import workflows_markdown

REFUSED = "Ce passage n'est pas possible."
REVIEWER_ONLY = "Seul le réviseur fait ce passage."


class S(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    DONE = "done"


@dataclass(frozen=True)
class Row:
    source: str
    action: str
    target: str
    actor: str


TABLE = (
    Row(S.DRAFT, "send", S.SENT, "author"),
    Row(S.SENT, "approve", S.DONE, "reviewer"),
    Row(S.SENT, "back", S.DRAFT, "author"),
)


@dataclass
class Paper:
    state: str = S.DRAFT
    title: str = ""
    saved: int = 0
    log: list[str] = field(default_factory=list)

    def save(self) -> None:
        self.saved += 1


def make(**bindings) -> tuple[Workflow, list]:
    records: list = []
    workflow = Workflow(
        name="test_paper",
        label="Article",
        table=TABLE,
        states={S.DRAFT: "Brouillon", S.SENT: "Envoyé", S.DONE: "Terminé"},
        actions={"send": "Envoyer", "approve": "Approuver", "back": "Revenir"},
        actors={"author": "Auteur", "reviewer": "Réviseur"},
        record=lambda by, subject, move, before, values: records.append(
            (by, move.action, before, subject.state, dict(values))
        ),
        refused=REFUSED,
        actor_refused={"reviewer": REVIEWER_ONLY, "author": "Seul l'auteur."},
        **bindings,
    )
    return workflow, records


def errors(excinfo) -> dict:
    return {k: [str(m) for m in v] for k, v in excinfo.value.message_dict.items()}


@pytest.mark.django_db
def test_a_move_changes_the_state_saves_once_and_records_once():
    workflow, records = make()
    paper = Paper()
    with transaction.atomic():
        move = workflow.run(subject=paper, action="send", by="ana", acting_as={"author"})
    assert (move.source, move.target) == (S.DRAFT, S.SENT)
    assert paper.state == S.SENT and paper.saved == 1
    assert records == [("ana", "send", S.DRAFT, S.SENT, {})]


@pytest.mark.django_db
def test_a_move_missing_from_the_table_is_refused_on_the_error_field():
    workflow, records = make()
    with transaction.atomic(), pytest.raises(ValidationError) as excinfo:
        workflow.run(subject=Paper(), action="approve", by="ana", acting_as={"author"})
    assert errors(excinfo) == {"action": [REFUSED]}
    assert records == []


@pytest.mark.django_db
def test_the_wrong_actor_is_refused_with_the_actors_message():
    workflow, records = make()
    with transaction.atomic(), pytest.raises(ValidationError) as excinfo:
        workflow.run(subject=Paper(S.SENT), action="approve", by="ana", acting_as={"author"})
    assert errors(excinfo) == {"action": [REVIEWER_ONLY]}
    assert records == []


@pytest.mark.django_db
def test_guards_run_once_in_order_and_the_first_with_problems_stops_the_move():
    calls: list[str] = []

    def first(paper: Paper) -> dict:
        calls.append("first")
        return {} if paper.title else {"title": "Donnez un titre."}

    def second(paper: Paper) -> list:
        calls.append("second")
        return ["Deuxième problème."]

    workflow, records = make(guards={"send": (Guard(first, "titre"), Guard(second, "autre"))})
    paper = Paper()
    with transaction.atomic(), pytest.raises(ValidationError) as excinfo:
        workflow.run(subject=paper, action="send", by="ana", acting_as={"author"})
    assert errors(excinfo) == {"title": ["Donnez un titre."]}
    assert calls == ["first"] and paper.state == S.DRAFT and paper.saved == 0
    paper.title = "Titre"
    calls.clear()
    with transaction.atomic(), pytest.raises(ValidationError) as excinfo:
        workflow.run(subject=paper, action="send", by="ana", acting_as={"author"})
    assert errors(excinfo) == {"action": ["Deuxième problème."]}  # a list lands on the field
    assert calls == ["first", "second"] and records == []


@pytest.mark.django_db
def test_writes_run_with_the_move_and_effects_only_after_the_commit(
    django_capture_on_commit_callbacks,
):
    def write(outcome) -> None:
        outcome.subject.log.append(f"write:{outcome.before}->{outcome.subject.state}")

    def effect(outcome) -> None:
        outcome.subject.log.append(f"effect:{outcome.values['title']}")

    workflow, _records = make(
        writes={(S.SENT, "back"): (Step(write, "écrire"),)},
        effects={"back": (Step(effect, "prévenir"),)},
    )
    paper = Paper(S.SENT)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        workflow.run(
            subject=paper, action="back", by="ana", acting_as={"author"}, values={"title": "T"}
        )
        assert paper.log == ["write:sent->draft"]  # the effect waits for the commit
    assert paper.title == "T"
    for callback in callbacks:
        callback()
    assert paper.log == ["write:sent->draft", "effect:T"]


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_a_transaction_is_a_programming_error():
    workflow, _records = make()
    with pytest.raises(RuntimeError):
        workflow.run(subject=Paper(), action="send", by="ana", acting_as={"author"})


def test_bindings_for_a_move_not_in_the_table_are_refused_when_declared():
    with pytest.raises(ValueError, match="not in the table"):
        make(guards={"publish": (Guard(lambda p: [], "x"),)})


def test_the_diagram_and_the_table_show_every_move_with_its_labels():
    workflow, _records = make(guards={"send": (Guard(lambda p: [], "Le titre est donné"),)})
    text = workflows_markdown([workflow])
    assert "stateDiagram-v2" in text
    for arrow in ("draft --> sent: send (Auteur)", "sent --> done: approve (Réviseur)"):
        assert arrow in text
    assert "| Envoyer (`send`) | Brouillon | Envoyé | Auteur | Le titre est donné | — | — |" in text
