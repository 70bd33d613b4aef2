"""Legal holds and disposal (DOMAIN §7; 000 §9 and annexe 5): the broker places a hold on an
object or a document (nothing it covers is disposed of until it is lifted); the broker approves
the disposal of documents whose disposal date has come, which removes their content, keeps each
version as a tombstone (type, object, hash, size, dates, who approved and when) and produces an
attestation of disposal, rendered after the commit and kept permanently."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.documents import messages, subjects
from courtier.documents.models import Disposal, Document, DocumentStatus, DocumentVersion, LegalHold
from courtier.documents.selectors import held_q
from courtier.files.models import StoredFile

HOLD_PLACED = "legal_hold.placed"
HOLD_LIFTED = "legal_hold.lifted"
DISPOSAL_APPROVED = "disposal.approved"
DOCUMENT_DISPOSED = "document.disposed"


def _require_records(by: Any) -> None:
    """Holds and disposals are the broker's records (DOMAIN §1: its administrators and agents)."""
    if not permissions.grants(by).anywhere(Perm.MANAGE_RECORDS):
        raise PermissionDenied


def _subject_facts(subject: Any) -> dict[str, Any]:
    if isinstance(subject, Document):
        return {"document": subject.title, "type": subject.type}
    return {"subject": subjects.label(subject)}


@transaction.atomic
def legal_hold_place(*, by: Any, subject: Any, reason: str) -> LegalHold:
    """A hold on ``subject`` (a document, or an object documents belong to)."""
    _require_records(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": messages.HOLD_REASON_REQUIRED})
    if isinstance(subject, Document):
        subject_type = subjects.ContentType.objects.get_for_model(Document)
    else:
        subject_type = subjects.content_type(subject)
    hold = LegalHold.objects.create(
        subject_type=subject_type, subject_id=subject.pk, reason=reason, placed_by=by
    )
    audit_event_record(
        actor=by,
        action=HOLD_PLACED,
        obj=hold,
        after=_subject_facts(subject) | {"reason": reason},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, by: Any, hold: LegalHold, reason: str) -> LegalHold:
    _require_records(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": messages.HOLD_REASON_REQUIRED})
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not locked.active:
        raise ValidationError({"hold": messages.HOLD_LIFTED_ALREADY})
    locked.lifted_by, locked.lifted_at, locked.lift_reason = by, timezone.now(), reason
    locked.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_event_record(
        actor=by,
        action=HOLD_LIFTED,
        obj=locked,
        before={"reason": locked.reason},
        after={"lift_reason": reason},
    )
    return locked


def _refusal(document: Document, today: date, held: set[int]) -> Any:
    if document.status == DocumentStatus.DISPOSED:
        return messages.DISPOSED_ALREADY
    if document.pk in held:
        return messages.HELD
    if document.disposal_on is None or document.disposal_on > today:
        return messages.NOT_DUE
    return None


def _forget(stored_ids: set[int]) -> list[Any]:
    """Delete the stored bytes nothing points at any more (another document, a file's record):
    the rows now, the files on disk once the transaction commits."""
    files = []
    for stored in StoredFile.objects.filter(pk__in=stored_ids):
        try:
            with transaction.atomic():
                stored.delete()
        except ProtectedError:
            continue  # the same bytes are still another document's or record's content
        files.append(stored.file)
    return files


@transaction.atomic
def disposal_approve(
    *, by: Any, document_ids: Iterable[int], method: str, today: date | None = None
) -> Disposal:
    """Dispose of the documents ``document_ids``, each due (its disposal date has come) and under
    no active hold; any one refused refuses them all, naming it."""
    _require_records(by)
    method = (method or "").strip()
    if not method:
        raise ValidationError({"method": messages.METHOD_REQUIRED})
    today = today or timezone.localdate()
    ids = sorted(set(document_ids))
    if not ids:
        raise ValidationError({"documents": messages.NOTHING_TO_DISPOSE})
    documents = list(Document.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(documents) != len(ids):
        raise ValidationError({"documents": messages.UNKNOWN_DOCUMENT})
    held = set(Document.objects.filter(held_q(), pk__in=ids).values_list("pk", flat=True))
    refusals = [
        f"{document.title} : {refusal}"
        for document in documents
        if (refusal := _refusal(document, today, held)) is not None
    ]
    if refusals:
        raise ValidationError({"documents": refusals})
    disposal = Disposal.objects.create(approved_by=by, method=method)
    versions = DocumentVersion.objects.filter(document__in=documents, stored__isnull=False)
    stored_ids = set(versions.values_list("stored_id", flat=True))
    versions.update(stored=None)
    for document in documents:
        document.status, document.disposal = DocumentStatus.DISPOSED, disposal
        document.save(update_fields=["status", "disposal"])
        audit_event_record(
            actor=by,
            action=DOCUMENT_DISPOSED,
            obj=document,
            organisation=document.owner_id,
            before={"status": DocumentStatus.KEPT.label},
            after={"status": DocumentStatus.DISPOSED.label, "disposal": disposal.pk},
        )
    removed = _forget(stored_ids)
    audit_event_record(
        actor=by,
        action=DISPOSAL_APPROVED,
        obj=disposal,
        after={"documents": len(documents), "method": method},
    )
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in removed])
    _render_after_commit(disposal)
    return disposal


def _render_after_commit(disposal: Disposal) -> None:
    from courtier.documents.tasks import render_disposal_attestation

    transaction.on_commit(lambda: render_disposal_attestation.enqueue(disposal.pk))
