"""The workflow of feedback and complaints as data (issue 14 §1; 002 §4.6): the moves of
``rules.COMPLAINT_TRANSITIONS`` with what each state awaits. The services run it on the locked
row (``services``); ``courtier workflows-doc`` draws it in docs/workflows.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.audit.services import audit_event_record
from courtier.complaints import rules
from courtier.complaints.messages import (
    BROKER_ONLY,
    CLIENT_ONLY,
    SUPPLIER_ONLY,
    TRANSITION_REFUSED,
)
from courtier.complaints.models import ComplaintAction, ComplaintState
from courtier.core.workflow import Awaiting, Transition, Workflow

# The audit action of each move (issue 14 §1: one event per state change).
AUDIT_ACTIONS = {
    rules.Action.ASSIGN: "complaint.assigned",
    rules.Action.ANSWER: "complaint.answered",
    rules.Action.CLOSE: "complaint.closed",
}
SUBMITTED = "complaint.submitted"


def _shown(value: Any) -> str:
    full_name = getattr(value, "get_full_name", None)
    if callable(full_name):
        return full_name() or value.email
    return str(value)


def _record(by: Any, subject: Any, move: Transition, before: str, values: Any) -> None:
    audit_event_record(
        actor=by,
        action=AUDIT_ACTIONS[move.action],
        obj=subject,
        organisation=subject.client_id,
        before={"state": before},
        after={"state": move.target, **{k: _shown(v) for k, v in values.items()}},
    )


COMPLAINT_WORKFLOW = Workflow(
    name="complaint",
    label=_("Rétroaction et plaintes"),
    table=rules.COMPLAINT_TRANSITIONS,
    states=dict(ComplaintState.choices),
    actions=dict(ComplaintAction.choices),
    actors={
        rules.Actor.BROKER: _("Courtier"),
        rules.Actor.CLIENT: _("Organisme client"),
        rules.Actor.SUPPLIER: _("Fournisseur ou prestataire"),
    },
    record=_record,
    refused=TRANSITION_REFUSED,
    actor_refused={
        rules.Actor.BROKER: BROKER_ONLY,
        rules.Actor.CLIENT: CLIENT_ONLY,
        rules.Actor.SUPPLIER: SUPPLIER_ONLY,
    },
    awaits={
        rules.State.OPEN: Awaiting(rules.Actor.BROKER, _("Assigner la plainte")),
        rules.State.ASSIGNED: Awaiting(rules.Actor.BROKER, _("Répondre au client")),
        rules.State.ANSWERED: Awaiting(rules.Actor.BROKER, _("Fermer la plainte répondue")),
    },
)
