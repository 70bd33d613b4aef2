"""The main menu, fed by the apps: each app declares its entries and who sees them (its
``navigation`` module, imported when the app is ready). Core knows none of them; the base
template reads ``nav.<key>``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Visible = Callable[[Any], bool]

_ENTRIES: dict[str, Visible] = {}


def entry(key: str, visible: Visible) -> None:
    """Declare the menu entry ``key``, shown to the signed-in people for whom ``visible(user)``."""
    _ENTRIES[key] = visible


def entries_for(user: Any) -> dict[str, bool]:
    return {key: bool(visible(user)) for key, visible in _ENTRIES.items()}
