"""The two workflows of service acquisitions, as data (002 §3; DOMAIN §4): the file's five steps
and its price request's life, the moves of ``rules`` bound to their guards (``checks``), writes
and effects (``services.moves``). ``services.transitions`` runs them; ``courtier workflows-doc``
draws them in docs/workflows.md. Declared when the app is ready (``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.core.workflow import Awaiting, Guard, Step, Workflow
from courtier.pricerequests import checks, rules
from courtier.pricerequests.messages import (
    BROKER_ONLY,
    CLIENT_ONLY,
    PROVIDER_ONLY,
    REQUEST_REFUSED,
    TRANSITION_REFUSED,
)
from courtier.pricerequests.models import (
    RequestAction,
    RequestState,
    ServiceFileAction,
    ServiceFileState,
)
from courtier.pricerequests.services import moves

A, S = rules.Action, rules.State
RA, RS = rules.RequestAction, rules.RequestState
_ACTORS = {
    rules.Actor.CLIENT: _("Organisme client"),
    rules.Actor.BROKER: _("Courtier"),
    rules.Actor.PROVIDER: _("Prestataire sollicité"),
}
_ACTOR_REFUSED = {
    rules.Actor.BROKER: BROKER_ONLY,
    rules.Actor.CLIENT: CLIENT_ONLY,
    rules.Actor.PROVIDER: PROVIDER_ONLY,
}

FILE_WORKFLOW = Workflow(
    name="service_file",
    label=_("Dossiers d'acquisition de services"),
    table=rules.FILE_TRANSITIONS,
    states=dict(ServiceFileState.choices),
    actions=dict(ServiceFileAction.choices),
    actors=_ACTORS,
    record=moves.file_move_record,
    save=moves.file_move_save,
    refused=TRANSITION_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    guards={
        A.SUBMIT_NEEDS: (Guard(checks.needs_problems, _("Chaque besoin de 002 §3.1 est défini")),),
        A.CONFIRM_SCOPE: (
            Guard(
                checks.scope_problems,
                _(
                    "Des qualifications choisies, leur portée confirmée, au moins un prestataire "
                    "qualifié dans toutes"
                ),
            ),
        ),
        A.OPEN_RESPONSES: (
            Guard(
                checks.opening_problems,
                _("La demande est envoyée et la date limite de réponse est passée"),
            ),
        ),
        A.HAND_OFF: (
            Guard(
                checks.handoff_problems,
                _(
                    "Chaque réponse vérifiée, une réponse complète retenue, l'autorisation du "
                    "dirigeant (RCTI, art. 48) ou la règle interne qu'elle requiert, "
                    "l'autorisation financière du total"
                ),
            ),
        ),
        (S.SOLICITATION, A.GO_BACK): (
            Guard(checks.go_back_problems, _("La demande de prix n'est pas soumise au Courtier")),
        ),
        A.ABANDON: (
            Guard(checks.abandon_problems, _("Aucune demande de prix envoyée n'est en cours")),
        ),
    },
    awaits={
        S.NEEDS: Awaiting(rules.Actor.CLIENT, _("Définir les besoins de services")),
        S.CATALOGUE: Awaiting(
            rules.Actor.CLIENT, _("Choisir les qualifications et confirmer leur portée")
        ),
        S.SOLICITATION: Awaiting(
            rules.Actor.CLIENT, _("Préparer, faire valider et envoyer la demande de prix")
        ),
        S.CHOICE: Awaiting(
            rules.Actor.CLIENT, _("Vérifier les réponses, choisir et réunir les autorisations")
        ),
    },
    writes={
        A.CONFIRM_SCOPE: (
            Step(
                moves.shortlist_and_request,
                _(
                    "La liste restreinte : chaque prestataire qualifié dans toutes les "
                    "qualifications ; la demande de prix sur le dernier gabarit"
                ),
            ),
        ),
        A.OPEN_RESPONSES: (
            Step(
                moves.responses_opened,
                _(
                    "Les réponses sont ouvertes ensemble ; un questionnaire de "
                    "non-participation par prestataire sans réponse"
                ),
            ),
        ),
        A.HAND_OFF: (
            Step(
                moves.package_frozen,
                _(
                    "Les questionnaires non retournés sont notés comme tels ; le dossier remis "
                    "est figé"
                ),
            ),
        ),
        A.ABANDON: (
            Step(
                moves.file_closed,
                _("Le dossier est fermé : ses documents comptent leur conservation de ce jour"),
            ),
        ),
    },
    effects={
        A.OPEN_RESPONSES: (
            Step(
                moves.questionnaires_asked,
                _(
                    "Courriel à chaque prestataire sans réponse : son questionnaire de "
                    "non-participation"
                ),
            ),
        ),
        A.HAND_OFF: (Step(moves.handoff_announced, _("Courriel au Courtier : dossier remis")),),
    },
)

REQUEST_WORKFLOW = Workflow(
    name="price_request",
    label=_("Demandes de prix"),
    table=rules.REQUEST_TRANSITIONS,
    states=dict(RequestState.choices),
    actions=dict(RequestAction.choices),
    actors=_ACTORS,
    record=moves.request_move_record,
    save=moves.request_move_save,
    refused=REQUEST_REFUSED,
    actor_refused=_ACTOR_REFUSED,
    guards={
        RA.SUBMIT: (
            Guard(
                checks.submission_problems,
                _(
                    "Chaque section du gabarit complétée, le résumé du besoin et le montant "
                    "estimé, au moins un prestataire sollicité"
                ),
            ),
        ),
        RA.RETURN: (
            Guard(checks.comment_problems, _("Un commentaire pour le client"), first=True),
        ),
        RA.RETURN_CHANGE: (
            Guard(checks.comment_problems, _("Un commentaire pour le client"), first=True),
        ),
        RA.SEND: (
            Guard(
                checks.deadline_problems,
                _(
                    "Une date limite de 10 à 15 jours ouvrables, un jour ouvrable ; la fin des "
                    "questions avant elle"
                ),
                first=True,
            ),
        ),
        RA.SUBMIT_CHANGE: (
            Guard(
                checks.change_problems,
                _("La modification complète chaque section et change quelque chose"),
                first=True,
            ),
        ),
        RA.CANCEL: (Guard(checks.cancel_problems, _("Le motif de l'annulation"), first=True),),
    },
    awaits={
        RS.DRAFT: Awaiting(rules.Actor.CLIENT, _("Compléter la demande de prix")),
        RS.RETURNED: Awaiting(rules.Actor.CLIENT, _("Corriger la demande de prix retournée")),
        RS.SUBMITTED: Awaiting(rules.Actor.BROKER, _("Valider la demande de prix")),
        RS.APPROVED: Awaiting(rules.Actor.CLIENT, _("Envoyer la demande de prix validée")),
        RS.CHANGE_SUBMITTED: Awaiting(
            rules.Actor.BROKER, _("Valider la modification de la demande de prix")
        ),
    },
    writes={
        RA.SEND: (
            Step(
                moves.solicitations_create,
                _("Une sollicitation par prestataire retenu, avec son pseudonyme"),
            ),
        ),
        RA.APPROVE_CHANGE: (
            Step(moves.change_applied, _("La modification devient la révision suivante")),
        ),
    },
    effects={
        RA.SUBMIT: (Step(moves.broker_told_submitted, _("Courriel au Courtier : à valider")),),
        RA.SUBMIT_CHANGE: (
            Step(moves.broker_told_submitted, _("Courriel au Courtier : modification à valider")),
        ),
        RA.APPROVE: (Step(moves.client_told_decided, _("Courriel au client : demande validée")),),
        RA.RETURN: (Step(moves.client_told_decided, _("Courriel au client : demande retournée")),),
        RA.APPROVE_CHANGE: (
            Step(moves.client_told_decided, _("Courriel au client : modification validée")),
            Step(
                moves.change_announced,
                _("Courriel à chaque prestataire sollicité : la demande modifiée (PDF)"),
            ),
        ),
        RA.RETURN_CHANGE: (
            Step(moves.client_told_decided, _("Courriel au client : modification refusée")),
        ),
        RA.SEND: (
            Step(
                moves.solicitation_sent,
                _(
                    "Courriel distinct à chaque prestataire : la demande (PDF) et le gabarit de "
                    "contrat"
                ),
            ),
        ),
        RA.CANCEL: (
            Step(
                moves.cancellation_announced,
                _("Courriel à chaque prestataire sollicité : demande annulée"),
            ),
        ),
    },
)


def forward_problems(file: Any) -> dict[str, list[str]]:
    """What the file's forward moves still miss, by field (going back and abandoning aside):
    what the API answers and the page says, each in its own words."""
    found: dict[str, list[str]] = {}
    for move in FILE_WORKFLOW.from_state(file.state):
        if move.action in (A.GO_BACK, A.ABANDON):
            continue
        for field, messages in FILE_WORKFLOW.problems(move, file).items():
            values = messages if isinstance(messages, list | tuple) else [messages]
            found[field] = [str(m) for m in values]
    return found
