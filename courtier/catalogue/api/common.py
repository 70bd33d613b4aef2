"""What the Catalogue's API modules share: the limits of the database's columns, the text type
that refuses the NUL character in requests, amounts in dollars, what a sheet says of an offer,
and a proposal's changes, computed once per answer."""

from typing import Any

from courtier.catalogue.models import DraftStatus, Offer, SheetDraft, SheetVersion
from courtier.catalogue.services.prices import draft_changes

MAX_INT = 2**31 - 1  # PositiveIntegerField
MAX_SMALL_INT = 2**15 - 1  # PositiveSmallIntegerField
MAX_CENTS = 10**15 - 1  # exact in every JSON reader (below 2**53)


def dollars(cents: int) -> str:
    """12345 -> "123.45" (exact: cents are integers)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def offer_sheet(offer: Offer) -> dict[str, Any]:
    """What the sheet says of the offer beyond its searchable row (frozen in its version)."""
    for item in offer.version.content.get("offers", []):
        if isinstance(item, dict) and item.get("code") == offer.code:
            return item
    return {}


def changes_of(draft: SheetDraft) -> dict[str, Any]:
    """The proposal against the sheet in force (the frozen history once published). Computed
    once per answer."""
    cached = getattr(draft, "_api_changes", None)
    if cached is not None:
        return cached
    changes = None
    if draft.status == DraftStatus.PUBLISHED:
        changes = SheetVersion.objects.filter(draft=draft).values_list("changes", flat=True).first()
    if changes is None:
        changes = draft_changes(draft)
    draft._api_changes = changes  # type: ignore[attr-defined]
    return changes
