"""The two workflows of evaluations, as data (002 §4.8.1): a campaign's life (open, closed by the
broker) and a client's request's (open, submitted once, or lapsed when the campaign closes). The
services run them on the locked row; ``courtier workflows-doc`` draws them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.audit.services import audit_event_record
from courtier.core.workflow import Awaiting, Guard, Transition, Workflow
from courtier.evaluations import rules
from courtier.evaluations.messages import (
    BROKER_ONLY,
    CAMPAIGN_REFUSED,
    CLIENT_ONLY,
    REQUEST_REFUSED,
    SCORE_PROBLEMS,
    SYSTEM_ONLY,
)
from courtier.evaluations.models import (
    CampaignAction,
    CampaignState,
    RequestAction,
    RequestState,
)

_ACTORS = {
    rules.Actor.BROKER: _("Courtier"),
    rules.Actor.CLIENT: _("Organisme client"),
    rules.Actor.SYSTEM: _("Plateforme (fermeture de la campagne)"),
}
_ACTOR_REFUSED = {
    rules.Actor.BROKER: BROKER_ONLY,
    rules.Actor.CLIENT: CLIENT_ONLY,
    rules.Actor.SYSTEM: SYSTEM_ONLY,
}


def _record(by: Any, subject: Any, move: Transition, before: str, values: Any) -> None:
    is_request = hasattr(subject, "campaign_id")
    audit_event_record(
        actor=by,
        action=f"{'evaluation' if is_request else 'campaign'}.{move.action}",
        obj=subject,
        organisation=subject.client_id if is_request else subject.supplier_id,
        before={"state": before},
        after={"state": move.target, **{k: str(v) for k, v in values.items()}},
    )


def _score_problems(request: Any) -> dict[str, Any]:
    """002 §4.8.1: every criterion scored on the grid's scale before the submission."""
    grid = request.campaign.grid.as_grid()
    scores = {s.criterion.key: s.score for s in request.scores.select_related("criterion")}
    found = rules.score_problems(grid, {k: v for k, v in scores.items() if v is not None})
    return {"scores": [str(SCORE_PROBLEMS[p]) for p in found]} if found else {}


CAMPAIGN_WORKFLOW = Workflow(
    name="evaluation_campaign",
    label=_("Campagnes d'évaluation du rendement"),
    table=rules.CAMPAIGN_TRANSITIONS,
    states=dict(CampaignState.choices),
    actions=dict(CampaignAction.choices),
    actors=_ACTORS,
    record=_record,
    refused=CAMPAIGN_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    awaits={
        rules.CampaignState.OPEN: Awaiting(rules.Actor.BROKER, _("Fermer la campagne")),
    },
)

REQUEST_WORKFLOW = Workflow(
    name="evaluation_request",
    label=_("Demandes d'évaluation du rendement"),
    table=rules.REQUEST_TRANSITIONS,
    states=dict(RequestState.choices),
    actions=dict(RequestAction.choices),
    actors=_ACTORS,
    record=_record,
    refused=REQUEST_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    guards={
        RequestAction.SUBMIT: (
            Guard(_score_problems, _("Chaque critère noté sur l'échelle de la grille")),
        ),
    },
    awaits={
        rules.RequestState.OPEN: Awaiting(rules.Actor.CLIENT, _("Remplir la grille d'évaluation")),
    },
)
