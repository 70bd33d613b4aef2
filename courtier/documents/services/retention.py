"""Retention (DOMAIN §7): each document's disposal date, from its type's rule and the end of the
contract its subject leads to; recomputed when that event moves."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courtier.documents import rules, subjects, types
from courtier.documents.models import Document, DocumentStatus


def disposal_of(document: Document, subject: Any) -> rules.DisposalDate:
    kind = types.get(document.type)
    end = subjects.of(subject).contract_end(subject) if subject is not None else None
    kept_on = timezone.localdate(document.created_at)
    return rules.disposal_date(kind.retention, kept_on=kept_on, contract_end=end)


def retention_apply(document: Document, *, subject: Any = None) -> bool:
    """Set the document's disposal date (or pending); True when it changed."""
    when = disposal_of(document, subject if subject is not None else document.subject)
    if (document.disposal_on, document.disposal_pending) == (when.on, when.pending):
        return False
    document.disposal_on, document.disposal_pending = when.on, when.pending
    document.save(update_fields=["disposal_on", "disposal_pending"])
    return True


def retention_recompute(*, subject: Any) -> int:
    """The subject's event moved (a contract's end, a file abandoned): every kept document of
    it gets its new disposal date. The number of documents whose date changed."""
    documents = Document.objects.filter(
        subject_type=subjects.content_type(subject),
        subject_id=subject.pk,
        status=DocumentStatus.KEPT,
    )
    return sum(retention_apply(document, subject=subject) for document in documents)
