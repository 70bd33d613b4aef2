"""The Catalogue's files in the document store (issue 11 §1; DOMAIN §7): each published version
of a supporting document is a version of one store document owned by the broker; each file a
supplier deposits (a sheet's document, a price file) is a store document of the supplier, kept
once per supplier and bytes. The Catalogue keeps pointing at the same bytes (by SHA-256); the
store gives them their type, retention, holds and disposal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from courtier.catalogue.models import SheetDraft, SupportingDocument
from courtier.documents import subjects
from courtier.documents.models import Document
from courtier.documents.services.store import document_keep, document_version_add
from courtier.files.models import StoredFile

SUPPORTING = "catalogue_supporting"  # documents.types codes
SHEET_DOCUMENT = "sheet_document"
PRICE_FILE = "price_file"


def _of(subject: Any) -> Any:
    return Document.objects.filter(
        subject_type=subjects.content_type(subject), subject_id=subject.pk
    )


@transaction.atomic
def supporting_version_keep(
    *, by: Any, document: SupportingDocument, name: str, stored: StoredFile
) -> Document:
    """A new published version of a supporting document: a new version of its store document
    (kept permanently, public to the Catalogue's readers)."""
    kept = _of(document).filter(type=SUPPORTING).select_for_update().first()
    if kept is None:
        return document_keep(
            by=by,
            subject=document,
            type=SUPPORTING,
            title=document.title,
            name=name,
            content=stored,
        )
    document_version_add(by=by, document=kept, name=name, content=stored)
    return kept


@transaction.atomic
def supplier_file_keep(
    *, by: Any, supplier: Any, type: str, title: str, name: str, stored: StoredFile
) -> Document:
    """A file a supplier deposited (``type``: a sheet's document or a price file), owned by the
    supplier; the same bytes deposited again by the same supplier are the same document."""
    kept = _of(supplier).filter(type=type, versions__sha256=stored.sha256).first()
    if kept is not None:
        return kept
    return document_keep(by=by, subject=supplier, type=type, title=title, name=name, content=stored)


def _files_of(content: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A sheet's documents that point at a file, by its SHA-256."""
    documents = content.get("documents") or []
    return {
        doc["file_sha256"]: doc
        for doc in documents
        if isinstance(doc, Mapping) and isinstance(doc.get("file_sha256"), str)
    }


def sheet_files_keep(*, by: Any, draft: SheetDraft, content: Mapping[str, Any]) -> None:
    """The files a proposal's new content points at for the first time are its supplier's
    documents in the store (checked by ``checks.foreign_files`` before: its own or the
    broker's deposits, no other organisation's record)."""
    wanted = _files_of(content)
    for sha256 in _files_of(draft.content):
        wanted.pop(sha256, None)
    if not wanted:
        return
    for stored in StoredFile.objects.filter(sha256__in=list(wanted)):
        doc = wanted[stored.sha256]
        supplier_file_keep(
            by=by,
            supplier=draft.supplier,
            type=SHEET_DOCUMENT,
            title=str(doc.get("title") or stored.name),
            name=str(doc.get("file_name") or stored.name),
            stored=stored,
        )
