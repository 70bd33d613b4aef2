"""Reads of the document store, always through ``permissions.scope``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from courtier.accounts import permissions
from courtier.documents import subjects
from courtier.documents.models import (
    Document,
    DocumentStatus,
    DocumentVersion,
    LegalHold,
    TransmissionRequest,
)


def _with_versions(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("owner").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("number"))
    )


def documents_of(user: Any, subject: Any) -> QuerySet[Document]:
    """The documents of one object this person may see, newest first, versions prefetched."""
    rows = Document.objects.filter(
        subject_type=subjects.content_type(subject), subject_id=subject.pk
    )
    return _with_versions(permissions.scope(user, rows))


def documents_kept_count(subject: Any) -> int:
    """How many documents one object has, whoever may see them."""
    return Document.objects.filter(
        subject_type=subjects.content_type(subject), subject_id=subject.pk
    ).count()


def visible_documents(user: Any) -> QuerySet[Document]:
    return _with_versions(permissions.scope(user, Document.objects.all()))


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def _holds_covering(document_id: Any, subject_type: Any, subject_id: Any) -> QuerySet[LegalHold]:
    """The active holds on a document or on the object it belongs to (values or OuterRefs)."""
    on_document = Q(
        subject_type__app_label="documents", subject_type__model="document", subject_id=document_id
    )
    on_subject = Q(subject_type=subject_type, subject_id=subject_id)
    return active_holds().filter(on_document | on_subject)


def held_exists() -> Exists:
    """True for a document under an active legal hold, on itself or on its object."""
    return Exists(_holds_covering(OuterRef("pk"), OuterRef("subject_type"), OuterRef("subject_id")))


def held_q() -> Q:
    """Documents under an active legal hold, on themselves or on the object they belong to."""
    return Q(held_exists())


def _past_due(today: date) -> QuerySet[Document]:
    return (
        Document.objects.filter(status=DocumentStatus.KEPT, disposal_on__lte=today)
        .select_related("owner")
        .order_by("disposal_on", "pk")
    )


def due_for_disposal(today: date) -> QuerySet[Document]:
    """Kept documents whose disposal date has come and that no active hold covers (the broker's
    list to approve: DOMAIN §7), oldest date first."""
    return _past_due(today).exclude(held_q())


def held_past_due(today: date) -> QuerySet[Document]:
    """Documents whose date has come but which a hold keeps (listed with the hold, not due)."""
    return _past_due(today).filter(held_q())


@dataclass(frozen=True)
class DocumentFilters:
    """The records' filters (the broker's records page and the API): each None means any."""

    type: str | None = None
    owner: int | None = None
    disposal_before: date | None = None
    status: str | None = None
    held: bool | None = None


def documents_filtered(user: Any, filters: DocumentFilters) -> QuerySet[Document]:
    """The documents this person sees, filtered; each with ``held`` (under an active hold)."""
    rows = visible_documents(user).select_related("subject_type").annotate(held=held_exists())
    if filters.type:
        rows = rows.filter(type=filters.type)
    if filters.owner:
        rows = rows.filter(owner_id=filters.owner)
    if filters.disposal_before:
        rows = rows.filter(disposal_on__lte=filters.disposal_before)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.held is not None:
        rows = rows.filter(held=filters.held)
    return rows


def holds_on(document: Document) -> list[LegalHold]:
    """The active holds that keep this document: on itself or on the object it belongs to."""
    holds = _holds_covering(document.pk, document.subject_type_id, document.subject_id)
    return list(holds.select_related("placed_by"))


def transmissions_of(user: Any) -> QuerySet[TransmissionRequest]:
    """What this person sees of the documents owed to the broker, the open ones first, by due
    date (the broker sees every client's; a client's people their own)."""
    rows = TransmissionRequest.objects.select_related("client", "document", "subject_type")
    return permissions.scope(user, rows).order_by("-status", "due_on", "pk")
