"""Who holds a stored file (issue 11 §7): a file is kept once by its bytes, so the same hash may
be pointed at from several places; each app registers what it keeps (its documents, reports,
authorisations...) with the organisation that owns each. Before a file is attached to an object
by its hash, the caller checks that no other organisation holds it: a hash never opens another
organisation's document. Core knows no app: the apps register in their ``ready()``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

# sha256s -> {sha256: the organisations (ids) whose records point at that file}
Claim = Callable[[set[str]], Iterable[tuple[str, int]]]

_CLAIMS: dict[str, Claim] = {}


def register(name: str, claim: Claim) -> None:
    """``claim(sha256s)`` yields (sha256, owner organisation id) for the files among
    ``sha256s`` that the app's records point at (registering again replaces it)."""
    _CLAIMS[name] = claim


def owners_of(sha256s: set[str]) -> dict[str, set[int]]:
    owners: dict[str, set[int]] = defaultdict(set)
    if not sha256s:
        return owners
    for claim in _CLAIMS.values():
        for sha256, organisation_id in claim(sha256s):
            owners[sha256].add(organisation_id)
    return owners


def held_by_others(sha256s: set[str], organisation_id: int) -> set[str]:
    """The files among ``sha256s`` another organisation's records point at."""
    return {sha256 for sha256, owners in owners_of(sha256s).items() if owners - {organisation_id}}
