"""File numbers (« ACQ-2026-0007 », « SRV-2026-0002 »): the next one of a yearly series. The
caller holds a lock (its client's row) while it numbers, so two files never share a number."""

from __future__ import annotations

from typing import Any


def next_reference(queryset: Any, prefix: str, *, field: str = "reference") -> str:
    """``prefix`` followed by the next four-digit number after the highest in ``queryset``."""
    last = (
        queryset.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"
