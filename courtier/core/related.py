"""What other apps add to an object's page (issue 14): the pages that follow a contract
(its complaints, evaluations, exit plan, SEAO sheet) live in apps above the one that shows the
contract, so the higher apps register their links here and the page shows them without
importing those apps. Core knows none of them.

A contributor is ``f(obj, user) -> [Link, ...]`` for objects of one model label
(``"contracts.contract"``); it answers with the links the person may follow (none otherwise)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    detail: str = ""  # a state or a date shown beside the link


Contributor = Callable[[Any, Any], Sequence[Link]]

_CONTRIBUTORS: dict[str, dict[str, Contributor]] = {}


def contributor(model_label: str, name: str) -> Callable[[Contributor], Contributor]:
    """Register ``f(obj, user)`` for ``model_label`` under ``name`` (again: replaces it)."""

    def register(func: Contributor) -> Contributor:
        _CONTRIBUTORS.setdefault(model_label.lower(), {})[name] = func
        return func

    return register


def links_for(obj: Any, user: Any) -> list[Link]:
    """Every contributor's links for ``obj``, in registration order."""
    label = obj._meta.label_lower
    return [link for func in _CONTRIBUTORS.get(label, {}).values() for link in func(obj, user)]
