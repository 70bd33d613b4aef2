"""A supplier's or provider's standing, fed by the apps (issue 14 §2; 002 §4.8): what a client
building its compliant list or shortlist is shown beside each candidate (its last evaluations,
its open complaints). Core knows none of the apps that contribute; a page of a lower app shows
the standing without importing the higher apps that know it.

A contributor is ``f(organisation_ids, viewer) -> {organisation_id: [Line, ...]}`` and answers
for every id in one or two queries (a list of candidates never costs a query per row); it leaves
out an id it has nothing to say about."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Line:
    """One fact of a standing: a French label, its value as shown, and whether it warns."""

    label: str
    value: str
    warning: bool = False
    url: str | None = None


Contributor = Callable[[Sequence[int], Any], Mapping[int, Sequence[Line]]]

_CONTRIBUTORS: dict[str, Contributor] = {}


def contributor(name: str) -> Callable[[Contributor], Contributor]:
    """Register ``f(organisation_ids, viewer)`` under ``name`` (registering again replaces it)."""

    def register(func: Contributor) -> Contributor:
        _CONTRIBUTORS[name] = func
        return func

    return register


def standings(organisation_ids: Iterable[int], viewer: Any) -> dict[int, list[Line]]:
    """Every contributor's lines for each organisation, in registration order (an organisation
    nobody says anything about has an empty list)."""
    ids = sorted(set(organisation_ids))
    result: dict[int, list[Line]] = {pk: [] for pk in ids}
    if not ids:
        return result
    for func in _CONTRIBUTORS.values():
        for pk, lines in func(ids, viewer).items():
            if pk in result:
                result[pk].extend(lines)
    return result
