"""Integrity of what is stored (DOMAIN §7: a signed document is the exact validated version):
every kept version's bytes re-hashed against the SHA-256 recorded when it was kept."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from courtier.documents.models import DocumentStatus, DocumentVersion

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    version: DocumentVersion
    missing: bool  # no content where there should be some; else its hash differs

    def describe(self) -> str:
        v = self.version
        what = _("contenu absent") if self.missing else _("empreinte différente")
        return f"document {v.document_id} « {v.document.title} » v{v.number} ({v.sha256}) : {what}"


def _digest(version: DocumentVersion) -> str | None:
    """The SHA-256 of the version's stored bytes, None when they cannot be read."""
    stored = version.stored
    if stored is None or not stored.file:
        return None
    try:
        with stored.file.storage.open(stored.file.name, "rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def documents_verify() -> Iterator[tuple[DocumentVersion, Problem | None]]:
    """Each kept version (a disposed document's tombstone has no content to check), with its
    problem or None when its bytes are intact."""
    versions = (
        DocumentVersion.objects.filter(document__status=DocumentStatus.KEPT)
        .select_related("stored", "document")
        .order_by("document_id", "number")
    )
    for version in versions.iterator(chunk_size=500):
        digest = _digest(version)
        if digest is None:
            yield version, Problem(version, missing=True)
        elif digest != version.sha256:
            yield version, Problem(version, missing=False)
        else:
            yield version, None
