"""The home dashboard, fed by the apps: each app contributes what its part of the platform shows
a person (its ``dashboard`` module, imported when the app is ready). Core knows none of them.

A contributor is ``f(user) -> {name: value}``; the names it gives are the attributes of the
``board`` the dashboard template reads. It always gives every name it owns (None or empty when
the person has nothing there), so the template can test them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

Contributor = Callable[[Any], Mapping[str, Any]]

_CONTRIBUTORS: dict[str, Contributor] = {}


def contributor(name: str) -> Callable[[Contributor], Contributor]:
    """Register ``f(user)`` under ``name`` (one per app part; registering again replaces it)."""

    def register(func: Contributor) -> Contributor:
        _CONTRIBUTORS[name] = func
        return func

    return register


def board_for(user: Any) -> SimpleNamespace:
    """What the dashboard shows this person: every contributor's names, in registration order."""
    values: dict[str, Any] = {}
    for name, func in _CONTRIBUTORS.items():
        given = func(user)
        clash = set(given) & set(values)
        if clash:
            raise RuntimeError(f"dashboard contributor {name!r} repeats {sorted(clash)}")
        values.update(given)
    return SimpleNamespace(**values)
