"""Keeping files: the same bytes are stored once, under their SHA-256, and never change."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile

from courtier.files.models import StoredFile
from courtier.files.uploads import FILE_EMPTY

CHUNK_BYTES = 1024 * 1024


def stored_file_save(*, by: Any, name: str, content: bytes, content_type: str) -> StoredFile:
    """Keep a file by its content (a file already kept is returned as it is)."""
    if not content:
        raise ValidationError({"file": FILE_EMPTY})
    digest = hashlib.sha256(content).hexdigest()
    return _keep(by, name, digest, len(content), content_type, ContentFile(content))


def stored_file_from_stream(
    *, by: Any, name: str, stream: IO[bytes], content_type: str = ""
) -> StoredFile:
    """``stored_file_save`` for a large file: hashed and copied in chunks, never held in memory
    whole."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise ValidationError({"file": FILE_EMPTY})
    stream.seek(0)
    return _keep(by, name, digest.hexdigest(), size, content_type, File(stream))


def _keep(by: Any, name: str, sha256: str, size: int, content_type: str, body: File) -> StoredFile:
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    stored = StoredFile(
        sha256=sha256,
        name=name[:255],
        content_type=content_type or "application/octet-stream",
        size=size,
        created_by=by,
    )
    stored.file.save(sha256, body, save=False)
    stored.save()
    return stored
