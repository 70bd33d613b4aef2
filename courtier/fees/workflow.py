"""The fee invoice's workflow, as data (DOMAIN §6; 001 §9.3): the moves of ``rules.TRANSITIONS``
(issued, overdue, paid, credited). The services run it on the locked row
(``services.invoices``, ``services.payments``); ``courtier workflows-doc`` draws it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.audit.services import audit_event_record
from courtier.core.workflow import Awaiting, Transition, Workflow
from courtier.fees import rules
from courtier.fees.messages import BROKER_ONLY, SYSTEM_ONLY, TRANSITION_REFUSED
from courtier.fees.models import InvoiceAction, InvoiceState


def _record(by: Any, invoice: Any, move: Transition, before: str, values: Any) -> None:
    audit_event_record(
        actor=by,
        action=f"invoice.{move.action}",
        obj=invoice,
        organisation=invoice.client_id,
        before={"state": before},
        after={"state": move.target, **{k: str(v) for k, v in values.items()}},
    )


INVOICE_WORKFLOW = Workflow(
    name="fee_invoice",
    label=_("Factures de frais de gestion"),
    table=rules.TRANSITIONS,
    states=dict(InvoiceState.choices),
    actions=dict(InvoiceAction.choices),
    actors={
        rules.Actor.BROKER: _("Courtier"),
        rules.Actor.SYSTEM: _("Traitement quotidien"),
        rules.Actor.CLIENT: _("Organisme client"),
    },
    record=_record,
    refused=TRANSITION_REFUSED,
    actor_refused={
        rules.Actor.BROKER: BROKER_ONLY,
        rules.Actor.SYSTEM: SYSTEM_ONLY,
        rules.Actor.CLIENT: BROKER_ONLY,
    },
    save=lambda invoice, move: invoice.save(update_fields=["state", "paid_on"]),
    awaits={
        rules.State.ISSUED: Awaiting(rules.Actor.CLIENT, _("Payer la facture de frais de gestion")),
        rules.State.OVERDUE: Awaiting(rules.Actor.CLIENT, _("Payer la facture en retard")),
    },
)
