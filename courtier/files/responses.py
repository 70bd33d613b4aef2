"""The one way a stored file leaves the platform: as an attachment, never sniffed by the
browser, never cached, under a name that cannot break the header."""

from __future__ import annotations

import unicodedata

from django.http import FileResponse

from courtier.files.models import StoredFile

FALLBACK_NAME = "document"


def safe_filename(name: str | None) -> str:
    """The name without control characters or path separators (it goes into a header)."""
    cleaned = "".join(
        "_" if ch in "/\\" else ch for ch in (name or "") if unicodedata.category(ch)[0] != "C"
    ).strip(" .")
    return cleaned[:255] or FALLBACK_NAME


def download_responses(description: str, media_types: tuple[str, ...]) -> dict:
    """The OpenAPI answer (``openapi_extra``) of an operation that sends a stored file: each
    media type it may be sent with, as bytes."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {media_type: binary for media_type in media_types}
    return {"responses": {200: {"description": description, "content": content}}}


def stored_file_response(stored: StoredFile, name: str | None = None) -> FileResponse:
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=safe_filename(name or stored.name),
        content_type=stored.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
