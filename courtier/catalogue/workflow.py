"""The review of supplier-sheet proposals as a workflow (DOMAIN §2: the supplier proposes, the
broker reviews, then publishes or sends back): the moves of rules.DRAFT_TRANSITIONS with what
each checks, writes and sets off (a publication's own steps are in services/publication.py).
services/drafts.py runs them; docs/workflows.md draws them (``courtier workflows-doc``).

Each move is recorded as ``sheet_draft.<new state>`` (its state before and after, and the
review comment); the proposal's ``updated_at`` moves with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Role
from courtier.accounts.selectors import broker_staff_emails, emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.catalogue import rules
from courtier.catalogue.messages import (
    BROKER_MOVE_ONLY,
    RETURN_COMMENT_REQUIRED,
    SUPPLIER_MOVE_ONLY,
    TRANSITION_REFUSED,
)
from courtier.catalogue.models import DraftStatus, PriceList, PriceListStatus, SheetDraft
from courtier.catalogue.services import publication
from courtier.catalogue.services.checks import content_errors
from courtier.catalogue.tasks import send_change_digest
from courtier.core.mail import notify
from courtier.core.workflow import Awaiting, Guard, Outcome, Step, Transition, Workflow

A = rules.DraftAction


def _record(
    by: Any, draft: SheetDraft, move: Transition, before: str, values: Mapping[str, Any]
) -> None:
    audit_event_record(
        actor=by,
        action=f"sheet_draft.{move.target}",
        obj=draft,
        organisation=draft.supplier,
        before={"status": before},
        after={
            "status": move.target,
            **{k: str(v) for k, v in values.items() if k.endswith("comment")},
        },
    )


def _save(draft: SheetDraft, move: Transition) -> None:
    draft.updated_at = timezone.now()
    draft.save()


# --- guards -------------------------------------------------------------------------------------


def _content_problems(draft: SheetDraft, values: Mapping[str, Any] | None = None) -> Any:
    return content_errors(draft.content)


def _comment_missing(draft: SheetDraft, values: Mapping[str, Any]) -> Any:
    return {} if values.get("review_comment") else {"comment": RETURN_COMMENT_REQUIRED}


_CONTENT_VALID = _("Le contenu proposé est complet et valide (chaque problème nommé)")
# As a condition of the request, the content is looked at before the proposal's state.
_CONTENT_FIRST = Guard(_content_problems, _CONTENT_VALID, first=True)
_CONTENT = Guard(_content_problems, _CONTENT_VALID)
_COMMENT = Guard(_comment_missing, _("Un commentaire dit au fournisseur quoi corriger"), first=True)
_PUBLISHABLE = (
    _CONTENT,
    Guard(
        publication.based_on_version_in_force,
        _("La proposition part de la version de la fiche en vigueur"),
    ),
    Guard(
        publication.prices_publishable,
        _(
            "Chaque liste de prix prend effet un premier jour ouvrable à venir, ne remplace "
            "pas une liste déjà en vigueur et vise une offre de la fiche"
        ),
    ),
    Guard(publication.changes_something, _("La proposition change quelque chose à la fiche")),
)


# --- writes and effects ---------------------------------------------------------------------------


def _discard_prices(outcome: Outcome) -> None:
    PriceList.objects.filter(draft=outcome.subject, status=PriceListStatus.DRAFT).update(
        status=PriceListStatus.DISCARDED
    )


def _draft_url(draft: SheetDraft) -> str:
    return reverse("catalogue:draft_detail", args=[draft.pk])


def _tell_brokers(outcome: Outcome) -> None:
    draft = outcome.subject
    notify(
        to=broker_staff_emails(),
        template="catalogue/email/draft_submitted",
        context={"draft": draft, "url": _draft_url(draft)},
    )


def _tell_supplier(outcome: Outcome) -> None:
    draft = outcome.subject
    notify(
        to=emails_with_roles([Role.SUPPLIER_REP], draft.supplier),
        template="catalogue/email/draft_returned",
        context={"draft": draft, "url": _draft_url(draft)},
    )


def _send_digest(outcome: Outcome) -> None:
    """004 §3.2: the subscribers are told of each publication."""
    send_change_digest.enqueue(version_id=outcome.subject.publication.version.pk)


DRAFT_WORKFLOW = Workflow(
    name="sheet_draft",
    label=_("Proposition de modification d'une fiche fournisseur"),
    table=rules.DRAFT_TRANSITIONS,
    states=dict(DraftStatus.choices),
    actions={
        A.SUBMIT: _("Soumettre au Courtier"),
        A.RETURN: _("Renvoyer au fournisseur"),
        A.PUBLISH: _("Publier"),
        A.ABANDON: _("Abandonner"),
    },
    actors={
        rules.Actor.SUPPLIER: _("Fournisseur, ou Courtier en son nom"),
        rules.Actor.BROKER: _("Courtier"),
    },
    record=_record,
    save=_save,
    refused=TRANSITION_REFUSED,
    actor_refused={rules.Actor.SUPPLIER: SUPPLIER_MOVE_ONLY, rules.Actor.BROKER: BROKER_MOVE_ONLY},
    state_field="status",
    error_field="status",
    problems_field="status",
    guards={A.SUBMIT: (_CONTENT_FIRST,), A.RETURN: (_COMMENT,), A.PUBLISH: _PUBLISHABLE},
    # What each open state awaits (catalogue/home.py lists it on each person's home page).
    awaits={
        rules.DraftState.DRAFT: Awaiting(
            rules.Actor.SUPPLIER, _("Compléter la proposition et la soumettre au Courtier")
        ),
        rules.DraftState.RETURNED: Awaiting(
            rules.Actor.SUPPLIER, _("Corriger la proposition renvoyée et la soumettre de nouveau")
        ),
        rules.DraftState.SUBMITTED: Awaiting(
            rules.Actor.BROKER, _("Examiner la proposition : la publier ou la renvoyer")
        ),
    },
    writes={
        A.PUBLISH: (
            Step(
                publication.version_create,
                _(
                    "Nouvelle version datée de la fiche, avec l'historique des modifications ; "
                    "offres mises à jour pour la recherche ; listes de prix publiées"
                ),
                before_move=True,
            ),
            Step(publication.version_record, _("La version est inscrite au journal d'audit")),
        ),
        A.ABANDON: (Step(_discard_prices, _("Les listes de prix proposées sont écartées")),),
    },
    effects={
        A.SUBMIT: (Step(_tell_brokers, _("Courriel aux administrateurs et agents du Courtier")),),
        A.RETURN: (
            Step(
                _tell_supplier, _("Courriel aux représentants du fournisseur, avec le commentaire")
            ),
        ),
        A.PUBLISH: (Step(_send_digest, _("Résumé des modifications envoyé aux abonnés")),),
    },
)
