"""What the Catalogue's API modules share: the limits of the database's columns, the text type
that refuses the NUL character in requests, amounts in dollars, what a sheet says of an offer,
and a proposal's changes, computed once per answer."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from courtier.catalogue import selectors
from courtier.catalogue.models import DraftStatus, Offer, PriceList, SheetDraft, SheetVersion
from courtier.catalogue.services.prices import draft_changes
from courtier.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE
from courtier.core.validation import MAX_CENTS  # noqa: F401 - the bound of amounts, shared

MAX_INT = 2**31 - 1  # PositiveIntegerField
MAX_SMALL_INT = 2**15 - 1  # PositiveSmallIntegerField


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


# --- a page of each price list's lines ----------------------------------------------------------


class LinesQuery(Schema):
    """Which page of each price list's lines an answer carries (a list may hold 200,000)."""

    lines_offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang de la première ligne")
    lines_limit: int | None = Field(
        None,
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Lignes par liste de prix (par défaut : la taille de page du Catalogue)",
    )

    def keep(self, request: HttpRequest) -> None:
        request.price_lines = (  # type: ignore[attr-defined]
            self.lines_offset,
            self.lines_limit or selectors.price_lines_page_size(),
        )


def lines_asked(context: dict[str, Any]) -> tuple[int, int]:
    """(offset, limit) the operation read (LinesQuery.keep), else the first page."""
    asked = getattr(context["request"], "price_lines", None)
    return asked or (0, selectors.price_lines_page_size())


def lines_window(price_list: PriceList, context: dict[str, Any]) -> tuple[list[Any], bool]:
    """The page of the list's lines, read once per answer."""
    window = getattr(price_list, "_lines_window", None)
    if window is None:
        offset, limit = lines_asked(context)
        window = selectors.price_lines_window(price_list, offset=offset, limit=limit)
        price_list._lines_window = window  # type: ignore[attr-defined]
    return window
