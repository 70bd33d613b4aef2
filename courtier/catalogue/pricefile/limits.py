"""The price file's limits from the settings (``PRICE_FILE_*``; README's Configuration), for the
upload's checks (files.inspection) and the reader's (reader.SheetLimits)."""

from __future__ import annotations

from django.conf import settings

from courtier.catalogue.pricefile.reader import SheetLimits
from courtier.files.inspection import Kind, Limits

MB = 1024 * 1024
PRICE_FILE_KINDS = frozenset({Kind.CSV, Kind.XLSX})


def upload_limits() -> Limits:
    """A price file may be larger than a document (a CSV of a million rows is ~80 MB) and its
    sheet inflates further (it is read as a stream)."""
    return Limits.from_settings(
        max_bytes=settings.PRICE_FILE_MAX_BYTES,
        max_uncompressed_bytes=settings.PRICE_FILE_MAX_UNCOMPRESSED_MB * MB,
        max_ratio=settings.PRICE_FILE_MAX_RATIO,
    )


def sheet_limits() -> SheetLimits:
    return SheetLimits(
        max_rows=settings.PRICE_FILE_MAX_ROWS,
        max_part_bytes=settings.PRICE_FILE_MAX_SHARED_STRINGS_MB * MB,
    )
