"""Values a higher app proposes for a lower app's form, without the lower app importing it: the
fees app proposes an amendment's management fee from the grid in force (002 §4.5), which the
contracts app's form shows as its initial value. ``@proposals.provider("name")`` registers
``f(*args) -> value | None``; ``proposed("name", *args)`` is None when no app proposes one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provider(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if name in _PROVIDERS and _PROVIDERS[name] is not function:
            raise LookupError(f"a value {name!r} is proposed already")
        _PROVIDERS[name] = function
        return function

    return register


def proposed(name: str, *args: Any) -> Any:
    function = _PROVIDERS.get(name)
    return None if function is None else function(*args)
