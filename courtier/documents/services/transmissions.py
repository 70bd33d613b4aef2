"""What is owed to the broker (DOMAIN §7; 002 §4.10): documents owed by their type's rule
(within 5 business days of signature, at once on termination) and documents the broker asks
for, each a ``TransmissionRequest`` with its due date."""

from __future__ import annotations

from datetime import date
from typing import Any

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.calendar.selectors import business_days_after
from courtier.documents import rules, types
from courtier.documents.models import (
    Document,
    TransmissionOrigin,
    TransmissionRequest,
    TransmissionStatus,
)


def transmission_owed_by_rule(*, document: Document, event_on: date | None) -> Any:
    """A client's document owed on its event (002 §4.10) opens what it owes the broker, with its
    due date; the client answers by pointing at the document (or another one)."""
    kind = types.get(document.type)
    due_on = rules.owed_due_on(kind.owed, event_on, business_days_after)
    if due_on is None:
        return None
    if not Organisation.objects.filter(pk=document.owner_id, kind=OrganisationKind.CLIENT).exists():
        return None
    return TransmissionRequest.objects.create(
        subject_type_id=document.subject_type_id,
        subject_id=document.subject_id,
        client_id=document.owner_id,
        type=document.type,
        origin=TransmissionOrigin.RULE,
        due_on=due_on,
        status=TransmissionStatus.OPEN,
    )
