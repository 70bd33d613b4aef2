"""Documents the broker asks a client for (DOMAIN §7: « sur demande »; 002 §4.10): the request
with its due date, the client's answer (a kept document, or one it sends), and the one email to
the client once a request is overdue. What a document's type owes by rule opens with the
document itself (``transmissions``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, Role
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import broker_staff_emails, emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.core.mail import notify
from courtier.documents import messages, subjects, types
from courtier.documents.models import (
    Document,
    DocumentStatus,
    TransmissionOrigin,
    TransmissionRequest,
    TransmissionStatus,
)
from courtier.documents.services.store import document_keep

REQUESTED = "transmission.requested"
ANSWERED = "transmission.answered"
REMINDED = "transmission.reminded"
CLIENT_KINDS = (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER)


def _client_people(client_id: int) -> list[str]:
    return emails_with_roles([Role.CLIENT_PROCUREMENT, Role.CLIENT_HEAD], client_id)


def client_of(subject: Any) -> int | None:
    """The client body (or group purchaser) that owns ``subject``, None for any other owner:
    only a client is asked for a document (DOMAIN §7)."""
    owner_id = subjects.of(subject).owner_id(subject)
    return (
        owner_id
        if Organisation.objects.filter(pk=owner_id, kind__in=CLIENT_KINDS).exists()
        else None
    )


def _facts(request: TransmissionRequest) -> dict[str, Any]:
    return {
        "type": request.type,
        "due_on": request.due_on.isoformat(),
        "subject": subjects.label(request.subject),
    }


def _context(request: TransmissionRequest) -> dict[str, Any]:
    return {
        "owed": request,
        "type_label": types.get(request.type).label,
        "subject": subjects.label(request.subject),
        "url": reverse("documents:transmissions"),
    }


@transaction.atomic
def transmission_request(
    *, by: Any, subject: Any, type: str, due_on: date, note: str = ""
) -> TransmissionRequest:
    """The broker asks a client for a document of one of its files, contracts or its own
    records, by a due date (DOMAIN §7: « sur demande »); the client's people are told by email."""
    if not permissions.grants(by).anywhere(Perm.MANAGE_RECORDS):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    try:
        types.get(type)
    except LookupError:
        errors["type"] = messages.TYPE_UNKNOWN
    if due_on < timezone.localdate():
        errors["due_on"] = messages.DUE_IN_THE_PAST
    client_id = client_of(subject)
    if client_id is None:
        errors["subject"] = messages.NOT_A_CLIENTS
    if errors:
        raise ValidationError(errors)
    request = TransmissionRequest.objects.create(
        subject_type=subjects.content_type(subject),
        subject_id=subject.pk,
        client_id=client_id,
        type=type,
        origin=TransmissionOrigin.REQUEST,
        note=(note or "").strip(),
        due_on=due_on,
        requested_by=by,
    )
    audit_event_record(
        actor=by,
        action=REQUESTED,
        obj=request,
        organisation=client_id,
        after=_facts(request) | {"note": request.note},
    )
    notify(
        to=_client_people(client_id),
        template="documents/email/transmission_requested",
        context=_context(request),
    )
    return request


@transaction.atomic
def transmission_answer(
    *,
    by: Any,
    request: TransmissionRequest,
    document: Document | None = None,
    upload: Any = None,
) -> TransmissionRequest:
    """The client answers what it owes the broker: by pointing at one of its kept documents, or
    by sending one (kept for the request's object, of the type asked for). Answered once."""
    locked = TransmissionRequest.objects.select_for_update().get(pk=request.pk)
    if not permissions.can_change(by, locked):
        raise PermissionDenied
    if locked.status != TransmissionStatus.OPEN:
        raise ValidationError({"document": messages.ANSWERED_ALREADY})
    if (document is None) == (upload is None):
        raise ValidationError({"document": messages.ONE_ANSWER})
    if document is not None and (
        document.owner_id != locked.client_id
        or document.status != DocumentStatus.KEPT
        or not permissions.can_view(by, document)
    ):
        raise ValidationError({"document": messages.NOT_THE_CLIENTS_DOCUMENT})
    if upload is not None:
        document = document_keep(
            by=by,
            subject=locked.subject,
            type=locked.type,
            title=str(types.get(locked.type).label),
            owner_id=locked.client_id,
            **upload.as_kwargs(),
        )
    locked.status, locked.document = TransmissionStatus.ANSWERED, document
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.save(update_fields=["status", "document", "answered_by", "answered_at"])
    audit_event_record(
        actor=by,
        action=ANSWERED,
        obj=locked,
        organisation=locked.client_id,
        before={"status": TransmissionStatus.OPEN.label},
        after={"status": TransmissionStatus.ANSWERED.label, "document": document.title},
    )
    notify(
        to=broker_staff_emails(),
        template="documents/email/transmission_answered",
        context=_context(locked) | {"client": locked.client.name, "document": document},
    )
    return locked


def transmissions_remind_overdue(today: date | None = None) -> int:
    """Each open request past its due date emails its client once (DOMAIN §7); run daily
    (`courtier remind-transmissions`). The number of requests reminded."""
    today = today or timezone.localdate()
    reminded = 0
    overdue = TransmissionRequest.objects.filter(
        status=TransmissionStatus.OPEN, due_on__lt=today, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            request = TransmissionRequest.objects.select_for_update().get(pk=pk)
            if request.reminded_at is not None or request.status != TransmissionStatus.OPEN:
                continue
            request.reminded_at = timezone.now()
            request.save(update_fields=["reminded_at"])
            audit_event_record(
                actor=None,
                action=REMINDED,
                obj=request,
                organisation=request.client_id,
                after={"due_on": request.due_on.isoformat()},
            )
            notify(
                to=_client_people(request.client_id),
                template="documents/email/transmission_overdue",
                context=_context(request),
            )
            reminded += 1
    return reminded
