"""The two workflows of specific contracts, as data (002 §2.5, §3.5, §4.5): the contract's life
and its amendments', the moves of ``rules`` bound to their guards (``checks``). The services run
them on the locked row and make the writes that follow (``services.transitions``,
``services.signing``); ``courtier workflows-doc`` draws them in docs/workflows.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.audit.services import audit_event_record
from courtier.contracts import checks, rules
from courtier.contracts.messages import (
    AMENDMENT_REFUSED,
    BROKER_ONLY,
    CLIENT_ONLY,
    SIGNATORY_ONLY,
    SUPPLIER_ONLY,
    SYSTEM_ONLY,
    TRANSITION_REFUSED,
)
from courtier.contracts.models import (
    AmendmentAction,
    AmendmentState,
    ContractAction,
    ContractState,
)
from courtier.core.workflow import Awaiting, Guard, Transition, Workflow

A, AA = rules.Action, rules.AmendmentAction
_ACTORS = {
    rules.Actor.BROKER: _("Courtier"),
    rules.Actor.CLIENT: _("Organisme client"),
    rules.Actor.CLIENT_SIGNATORY: _("Signataire du client"),
    rules.Actor.SUPPLIER: _("Fournisseur ou prestataire"),
    rules.Actor.SYSTEM: _("Plateforme (date atteinte)"),
}
_ACTOR_REFUSED = {
    rules.Actor.BROKER: BROKER_ONLY,
    rules.Actor.CLIENT: CLIENT_ONLY,
    rules.Actor.CLIENT_SIGNATORY: SIGNATORY_ONLY,
    rules.Actor.SUPPLIER: SUPPLIER_ONLY,
    rules.Actor.SYSTEM: SYSTEM_ONLY,
}


def _recorder(prefix: str):
    def record(by: Any, subject: Any, move: Transition, before: str, values: Any) -> None:
        contract = getattr(subject, "contract", subject)
        audit_event_record(
            actor=by,
            action=f"{prefix}.{move.action}",
            obj=subject,
            organisation=contract.client_id,
            before={"state": before},
            after={"state": move.target, **{k: str(v) for k, v in values.items()}},
        )

    return record


_COMMENT = Guard(checks.comment_given, _("Un commentaire dit ce qui doit être corrigé"), first=True)

CONTRACT_WORKFLOW = Workflow(
    name="contract",
    label=_("Contrats spécifiques"),
    table=rules.CONTRACT_TRANSITIONS,
    states=dict(ContractState.choices),
    actions=dict(ContractAction.choices),
    actors=_ACTORS,
    record=_recorder("contract"),
    refused=TRANSITION_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    guards={
        A.SEND_FOR_REVIEW: (
            Guard(
                checks.preparation_problems,
                _(
                    "L'admissibilité du fournisseur confirmée par le client, les signataires "
                    "désignés, la décision de rencontre d'une reconduction, les documents générés "
                    "à jour"
                ),
            ),
        ),
        A.RETURN: (_COMMENT,),
        A.VALIDATE: (
            Guard(checks.document_problems, _("Les documents approuvés sont ceux générés")),
        ),
    },
    awaits={
        rules.State.PREPARATION: Awaiting(rules.Actor.BROKER, _("Préparer le contrat")),
        rules.State.CLIENT_REVIEW: Awaiting(
            rules.Actor.CLIENT, _("Valider les documents contractuels")
        ),
        rules.State.APPROVED: Awaiting(rules.Actor.BROKER, _("Valider la version finale (cachet)")),
        rules.State.VALIDATED: Awaiting(rules.Actor.CLIENT_SIGNATORY, _("Signer le contrat")),
        rules.State.CLIENT_SIGNED: Awaiting(rules.Actor.SUPPLIER, _("Signer le contrat")),
    },
)

AMENDMENT_WORKFLOW = Workflow(
    name="amendment",
    label=_("Avenants"),
    table=rules.AMENDMENT_TRANSITIONS,
    states=dict(AmendmentState.choices),
    actions=dict(AmendmentAction.choices),
    actors=_ACTORS,
    record=_recorder("amendment"),
    refused=AMENDMENT_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    guards={
        AA.SEND_FOR_REVIEW: (
            Guard(checks.document_problems, _("L'avenant généré à partir des modifications")),
        ),
        AA.RETURN: (_COMMENT,),
        AA.REFUSE: (_COMMENT,),
        AA.VALIDATE: (
            Guard(checks.document_problems, _("Les documents approuvés sont ceux générés")),
        ),
    },
    awaits={
        rules.AmendmentState.REQUESTED: Awaiting(rules.Actor.BROKER, _("Préparer l'avenant")),
        rules.AmendmentState.PREPARATION: Awaiting(rules.Actor.BROKER, _("Préparer l'avenant")),
        rules.AmendmentState.CLIENT_REVIEW: Awaiting(rules.Actor.CLIENT, _("Valider l'avenant")),
        rules.AmendmentState.APPROVED: Awaiting(
            rules.Actor.BROKER, _("Valider la version finale (cachet)")
        ),
        rules.AmendmentState.VALIDATED: Awaiting(
            rules.Actor.CLIENT_SIGNATORY, _("Signer l'avenant")
        ),
        rules.AmendmentState.CLIENT_SIGNED: Awaiting(rules.Actor.SUPPLIER, _("Signer l'avenant")),
    },
)
