"""docs/workflows.md, drawn from the workflows the apps declare (``courtier workflows-doc``):
each workflow's state diagram (Mermaid) and the table of its moves with their actor, guards,
writes and effects. tests/core/test_workflow_docs.py fails when the file is out of date."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation

from courtier.core.workflow import Workflow, registered

HEADER = """# Workflows

Généré par `courtier workflows-doc` à partir des tables de passages que chaque application
déclare (`<app>/rules.py` pour les passages, `<app>/workflow.py` pour leurs conditions et leurs
effets) : ne pas modifier à la main. Chaque passage est exécuté par `core.workflow.Workflow.run`
(acteur, conditions, changement d'état, événement au journal d'audit, écritures de la même
transaction, puis effets après la validation).
"""


def _cell(labels: Iterable[object]) -> str:
    text = "<br>".join(str(label) for label in labels)
    return text.replace("|", "\\|") or "—"


def _section(workflow: Workflow) -> str:
    lines = [
        f"## {workflow.label} (`{workflow.name}`)",
        "",
        "```mermaid",
        workflow.mermaid(),
        "```",
        "",
        "| Passage | De | Vers | Par | Conditions | Avec le passage | Ensuite |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in workflow.transitions:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{workflow.actions[t.action]} (`{t.action}`)",
                    str(workflow.states[t.source]),
                    str(workflow.states[t.target]),
                    str(workflow.actors[t.actor]),
                    _cell(g.label for g in t.guards),
                    _cell(w.label for w in t.writes),
                    _cell(e.label for e in t.effects),
                ]
            )
            + " |"
        )
    if workflow.awaits:
        lines += ["", "| État | En attente de | Quoi |", "|---|---|---|"]
        for state, awaiting in workflow.awaits.items():
            lines.append(
                f"| {workflow.states[state]} | {workflow.actors[awaiting.actor]} "
                f"| {_cell([awaiting.label])} |"
            )
    return "\n".join(lines)


def workflows_markdown(workflows: Iterable[Workflow] | None = None) -> str:
    """The whole file, in French (the platform's first language)."""
    with translation.override("fr-ca"):
        sections = [_section(w) for w in (registered() if workflows is None else workflows)]
    return "\n\n".join([HEADER.rstrip(), *sections]) + "\n"
