"""Files typed from their bytes (never their name)."""

from __future__ import annotations

import magic

OCTET_STREAM = "application/octet-stream"


def media_type_of(data: bytes) -> str:
    """The media type the bytes show (libmagic), ``application/octet-stream`` when unknown."""
    return magic.from_buffer(data[:65536], mime=True) or OCTET_STREAM
