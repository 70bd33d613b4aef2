"""The workflow of an acquisition file, as data (002 §2.1-2.5; DOMAIN §3): the moves of
``rules.TRANSITIONS`` bound to what must hold before each (guards, ``checks``), what it writes
with it in the service's transaction and what follows it after the commit (``services.moves``).

``services.transitions.file_transition`` (the client's moves) and
``services.startup.strategy_freeze`` (the broker's) run it; ``selectors`` read it to offer the
next move and say what blocks it; ``courtier workflows-doc`` draws it in docs/workflows.md.
Declared when the app is ready (``apps.py``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import checks, rules
from courtier.acquisitions.messages import BROKER_ONLY, CLIENT_ONLY, TRANSITION_REFUSED
from courtier.acquisitions.models import FileAction, FileState
from courtier.acquisitions.services import moves
from courtier.core.workflow import Awaiting, Guard, Step, Workflow

A, S = rules.Action, rules.State

FILE_WORKFLOW = Workflow(
    name="acquisition_file",
    label=_("Dossiers d'acquisition"),
    table=rules.TRANSITIONS,
    states=dict(FileState.choices),
    actions=dict(FileAction.choices),
    actors={rules.Actor.CLIENT: _("Organisme client"), rules.Actor.BROKER: _("Courtier")},
    record=moves.move_record,
    save=moves.move_save,
    refused=TRANSITION_REFUSED,
    actor_refused={rules.Actor.BROKER: BROKER_ONLY, rules.Actor.CLIENT: CLIENT_ONLY},
    guards={
        # DOMAIN §3.1; 002 §2.1: each problem on the field it concerns ("answers.risks"...).
        A.SUBMIT_NEEDS: (
            Guard(
                checks.needs_problems,
                _("Le questionnaire et le plan de consommation sont complets"),
            ),
        ),
        # 002 §2.2: the list holds at least one offer of the Catalogue.
        A.CONFIRM_CANDIDATES: (
            Guard(checks.candidates_problems, _("Au moins une offre du Catalogue est retenue")),
        ),
        # 002 §2.3.1: every verdict decided, at least one offer compliant.
        A.CLOSE_COMPLIANCE: (
            Guard(
                checks.compliance_problems,
                _("Chaque exigence de chaque offre est décidée ; au moins une offre est conforme"),
            ),
        ),
        # 002 §2.4.3-2.4.4: a current scenario chosen, with the authorisations it calls for.
        A.CONFIRM_CHOICE: (
            Guard(
                checks.choice_problems,
                _(
                    "Un scénario des derniers calculs est choisi, avec l'autorisation du "
                    "dirigeant (RCTI, art. 48) ou la règle interne qu'il requiert, et "
                    "l'autorisation financière du montant total"
                ),
            ),
        ),
        # 002 §2.5: after the startup meeting, its prerequisites still met.
        A.FREEZE_STRATEGY: (
            Guard(checks.meeting_scheduled_problems, _("La rencontre de démarrage est convoquée")),
            Guard(checks.meeting_held_problems, _("La rencontre de démarrage a eu lieu")),
            Guard(
                checks.prerequisites_problems,
                _("Les préalables de la rencontre de démarrage sont satisfaits"),
            ),
        ),
    },
    # What each open step awaits, and from whom (acquisitions/home.py lists it, with what its
    # forward move's guards still find missing).
    awaits={
        S.NEEDS: Awaiting(rules.Actor.CLIENT, _("Compléter la définition des besoins")),
        S.CATALOGUE: Awaiting(rules.Actor.CLIENT, _("Retenir des offres du Catalogue")),
        S.COMPLIANCE: Awaiting(rules.Actor.CLIENT, _("Décider la conformité des offres")),
        S.CHOICE: Awaiting(
            rules.Actor.CLIENT, _("Choisir le scénario et réunir les autorisations")
        ),
        S.STARTUP: Awaiting(
            rules.Actor.BROKER,
            _("Convoquer la rencontre de démarrage, puis figer la stratégie d'acquisition"),
        ),
    },
    writes={
        A.ABANDON: (
            Step(
                moves.file_closed,
                _("Le dossier est fermé : ses documents comptent leur conservation de ce jour"),
            ),
        ),
        A.CONFIRM_CANDIDATES: (
            Step(
                moves.records_fill,
                _("Les exigences automatiques ; un résultat par offre et par exigence"),
            ),
        ),
        # Recorded before the move itself: what going back undoes comes first in the journal.
        (S.CHOICE, A.GO_BACK): (
            Step(moves.choice_cleared, _("Le choix du scénario est annulé"), before_move=True),
        ),
        A.FREEZE_STRATEGY: (
            Step(
                moves.strategy_frozen,
                _("La stratégie d'acquisition est figée : offres, composantes, quantités, montant"),
            ),
        ),
    },
    effects={
        A.SUBMIT_NEEDS: (Step(moves.needs_document, _("Document : définition des besoins")),),
        A.CLOSE_COMPLIANCE: (
            Step(
                moves.compliance_documents,
                _("Documents : liste des solutions conformes ; questions et réponses, s'il y en a"),
            ),
        ),
        A.CONFIRM_CHOICE: (
            Step(
                moves.broker_told_ready, _("Courriel au Courtier : dossier prêt pour le démarrage")
            ),
        ),
        A.FREEZE_STRATEGY: (
            Step(moves.strategy_document, _("Document : stratégie d'acquisition figée")),
            Step(
                moves.strategy_announced, _("Courriel au client et au Courtier : stratégie figée")
            ),
        ),
    },
)
