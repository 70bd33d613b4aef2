"""Retention (DOMAIN §7): each document's disposal date, from its type's rule and the end of the
contract its subject leads to; recomputed when that event moves."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.core.formatting import long_date
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


def retention_refresh() -> int:
    """Recompute every kept document's disposal date (its event may have moved). The number of
    documents whose date changed."""
    kept = Document.objects.filter(status=DocumentStatus.KEPT).order_by("pk")
    kept = kept.prefetch_related("subject")  # the objects by chunk, not one query a document
    return sum(retention_apply(document) for document in kept.iterator(chunk_size=500))


def disposal_reason(document: Document) -> str:
    """Why a document is due (DOMAIN §7): its type's rule and the date it counts from."""
    rule = types.get(document.type).retention
    on = long_date(document.disposal_on)
    if rule.basis is rules.Retention.AFTER_CREATION:
        return _("%(years)s ans après son dépôt le %(kept)s : disposition le %(on)s") % {
            "years": rule.years,
            "kept": long_date(document.created_at),
            "on": on,
        }
    if rule.basis is rules.Retention.AFTER_CONTRACT_END:
        return _("%(years)s ans après la fin du contrat : disposition le %(on)s") % {
            "years": rule.years,
            "on": on,
        }
    return _("conservé toute la durée du contrat, terminé le %(on)s") % {"on": on}
