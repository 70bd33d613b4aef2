"""The exit plan's workflow, as data (002 §4.9): the moves of ``rules.TRANSITIONS`` bound to
their guards (``checks``). The services run it on the locked row (``services.plans``);
``courtier workflows-doc`` draws it in docs/workflows.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.audit.services import audit_event_record
from courtier.core.workflow import Awaiting, Guard, Transition, Workflow
from courtier.exitplans import checks, rules
from courtier.exitplans.messages import BROKER_ONLY, CLIENT_ONLY, TRANSITION_REFUSED
from courtier.exitplans.models import PlanAction, PlanState

A = rules.Action


def _record(by: Any, plan: Any, move: Transition, before: str, values: Any) -> None:
    audit_event_record(
        actor=by,
        action=f"exit_plan.{move.action}",
        obj=plan,
        organisation=plan.contract.client_id,
        before={"state": before},
        after={"state": move.target, **{k: str(v) for k, v in values.items()}},
    )


PLAN_WORKFLOW = Workflow(
    name="exit_plan",
    label=_("Plans de transition à la sortie"),
    table=rules.TRANSITIONS,
    states=dict(PlanState.choices),
    actions=dict(PlanAction.choices),
    actors={
        rules.Actor.BROKER: _("Courtier"),
        rules.Actor.CLIENT: _("Organisme client"),
    },
    record=_record,
    refused=TRANSITION_REFUSED,
    actor_refused={rules.Actor.BROKER: BROKER_ONLY, rules.Actor.CLIENT: CLIENT_ONLY},
    guards={
        A.SUBMIT: (
            Guard(
                checks.plan_problems,
                _(
                    "Les activités finies avant la fin du contrat initial ; aucune activité "
                    "seulement avec le même fournisseur ; avec un nouveau fournisseur, son "
                    "contrat en parallèle sur toute la durée des activités (002 §4.9)"
                ),
            ),
        ),
        A.RETURN: (
            Guard(
                checks.comment_given, _("Un commentaire dit ce qui doit être corrigé"), first=True
            ),
        ),
        A.COMPLETE: (Guard(checks.undone_problems, _("Toutes les activités faites")),),
    },
    awaits={
        rules.State.DRAFT: Awaiting(rules.Actor.CLIENT, _("Planifier la sortie du contrat")),
        rules.State.RETURNED: Awaiting(rules.Actor.CLIENT, _("Corriger le plan de sortie")),
        rules.State.SUBMITTED: Awaiting(rules.Actor.BROKER, _("Prendre acte du plan de sortie")),
        rules.State.ACKNOWLEDGED: Awaiting(
            rules.Actor.CLIENT, _("Compléter les activités de transition à la sortie")
        ),
    },
)
