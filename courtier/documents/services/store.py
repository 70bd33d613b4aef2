"""Keeping documents (DOMAIN §7): every kept file enters here, as a new document of a registered
type attached to an object, or as a new version of one; its bytes are kept once by SHA-256
(``files``) and typed from the bytes when the caller does not know their type (a generated
document does). A version never overwrites another."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from courtier.audit.services import audit_event_record
from courtier.documents import subjects, types
from courtier.documents.messages import DISPOSED
from courtier.documents.models import Document, DocumentStatus, DocumentVersion
from courtier.documents.services.retention import retention_apply
from courtier.documents.services.transmissions import transmission_owed_by_rule
from courtier.files.inspection import media_type_of
from courtier.files.models import StoredFile
from courtier.files.services import stored_file_from_stream, stored_file_save

KEPT = "document.kept"
VERSION_ADDED = "document.version_added"
DOWNLOADED = "document.downloaded"


Content = bytes | IO[bytes] | StoredFile  # bytes, a stream, or bytes the caller kept already


def _store(by: Any, name: str, content: Content, content_type: str) -> StoredFile:
    if isinstance(content, StoredFile):  # kept (and typed from its bytes) by the caller
        return content
    if isinstance(content, bytes | bytearray):
        content_type = content_type or media_type_of(bytes(content))
        return stored_file_save(by=by, name=name, content=bytes(content), content_type=content_type)
    if not content_type:
        content.seek(0)
        content_type = media_type_of(content.read(65536))
    return stored_file_from_stream(by=by, name=name, stream=content, content_type=content_type)


def _version(by: Any, document: Document, number: int, stored: StoredFile, name: str):
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        stored=stored,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        name=name[:255],
        created_by=by,
    )


def _facts(document: Document, version: DocumentVersion) -> dict[str, Any]:
    return {
        "type": document.type,
        "title": document.title,
        "version": version.number,
        "sha256": version.sha256,
        "size": version.size,
        "content_type": version.content_type,
    }


@transaction.atomic
def document_keep(
    *,
    by: Any,
    subject: Any,
    type: str,
    title: str,
    name: str,
    content: Content,
    content_type: str = "",
    owner_id: int | None = None,
    personal_information: bool | None = None,
    confidential: bool | None = None,
    key: str = "",
    event_on: date | None = None,
) -> Document:
    """Keep a new document of ``type`` for ``subject`` (an object of a registered model), owned
    by the subject's organisation unless ``owner_id`` says otherwise. ``key`` names a generated
    document (a second call with it returns the first's); ``event_on`` is the event a document
    owed to the broker counts from (a signature, a termination: DOMAIN §7)."""
    kind = types.get(type)
    if key:
        kept = Document.objects.filter(key=key).first()
        if kept is not None:
            return kept
    spec = subjects.of(subject)
    stored = _store(by, name, content, content_type)
    document = Document.objects.create(
        type=kind.code,
        title=title[:300],
        owner_id=owner_id if owner_id is not None else spec.owner_id(subject),
        subject_type=subjects.content_type(subject),
        subject_id=subject.pk,
        personal_information=(
            kind.personal_information if personal_information is None else personal_information
        ),
        confidential=kind.confidential if confidential is None else confidential,
        key=key,
        created_by=by,
    )
    version = _version(by, document, 1, stored, name)
    retention_apply(document, subject=subject)
    audit_event_record(
        actor=by,
        action=KEPT,
        obj=document,
        organisation=document.owner_id,
        after=_facts(document, version) | {"subject": subjects.label(subject)},
    )
    transmission_owed_by_rule(document=document, event_on=event_on)
    return document


@transaction.atomic
def document_version_add(
    *, by: Any, document: Document, name: str, content: Content, content_type: str = ""
) -> DocumentVersion:
    """A new version of ``document``: the earlier ones stay as they are."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status == DocumentStatus.DISPOSED:
        raise ValidationError({"file": DISPOSED})
    last = locked.versions.aggregate(n=Max("number"))["n"] or 0
    stored = _store(by, name, content, content_type)
    version = _version(by, locked, last + 1, stored, name)
    audit_event_record(
        actor=by,
        action=VERSION_ADDED,
        obj=locked,
        organisation=locked.owner_id,
        before={"version": last},
        after=_facts(locked, version),
    )
    return version


def document_download_record(*, by: Any, version: DocumentVersion) -> None:
    """A download of a confidential or personal document is written to the audit trail."""
    document = version.document
    if not document.is_restricted:
        return
    with transaction.atomic():
        audit_event_record(
            actor=by,
            action=DOWNLOADED,
            obj=document,
            organisation=document.owner_id,
            after={"version": version.number, "sha256": version.sha256},
        )
