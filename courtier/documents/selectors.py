"""Reads of the document store, always through ``permissions.scope``."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from courtier.accounts import permissions
from courtier.documents import subjects
from courtier.documents.models import Document, DocumentVersion, LegalHold


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


def visible_documents(user: Any) -> QuerySet[Document]:
    return _with_versions(permissions.scope(user, Document.objects.all()))


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(lifted_at__isnull=True)


def held_q() -> Q:
    """Documents under an active legal hold, on themselves or on the object they belong to."""
    holds = active_holds()
    on_document = holds.filter(
        subject_type__app_label="documents",
        subject_type__model="document",
        subject_id=OuterRef("pk"),
    )
    on_subject = holds.filter(
        subject_type=OuterRef("subject_type"), subject_id=OuterRef("subject_id")
    )
    return Q(Exists(on_document)) | Q(Exists(on_subject))
