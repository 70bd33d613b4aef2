"""The fees' world for tests (issue 15): the exit plans' world of contracts (tests/exitplans/
factories.py: the Ministère A's solutions contract with Fournisseur E, in force, its next one
with Fournisseur D, and a services contract with Prestataire F), concluded on known days, and
fee grids published as the tests need them."""

from __future__ import annotations

from datetime import date
from typing import Any

from courtier.accounts.models import Organisation, User
from courtier.contracts.models import Contract, ContractState
from courtier.fees.models import FeeGrid, FeeGridLine, GridState
from tests.contracts.factories import forced
from tests.exitplans import factories as exit_factories

CONCLUDED_ON = date(2026, 10, 15)
# The grids of the tests: a percentage of the quarter's acquisitions until 2026-09-30 (the older
# model, 004 §4.3), then a fee per contract by bracket and a fee per amendment (002 §4.2, §4.5).
OLD_MODEL = [{"fee_type": "quarterly", "rate_bp": 150}]  # 1.5 %
NEW_MODEL = [
    {"fee_type": "contract", "from_cents": 0, "to_cents": 10_000_000, "flat_cents": 100_000},
    {"fee_type": "contract", "from_cents": 10_000_000, "flat_cents": 250_000, "rate_bp": 10},
    {"fee_type": "amendment", "flat_cents": 50_000},
]


def world(orgs: dict[str, Organisation]) -> dict[str, Any]:
    made = exit_factories.world(orgs)
    old = Contract.objects.get(pk=made["old"])
    forced(old, ContractState.IN_FORCE, concluded_on=date(2026, 1, 15))
    new = Contract.objects.get(pk=made["new"])
    forced(new, ContractState.CONCLUDED, concluded_on=CONCLUDED_ON)
    return made


def published_grid(effective_on: date, lines: list[dict[str, Any]], version: int) -> FeeGrid:
    """A published grid written directly (its services have their own tests)."""
    grid = FeeGrid.objects.create(
        version=version, effective_on=effective_on, state=GridState.PUBLISHED
    )
    FeeGridLine.objects.bulk_create(FeeGridLine(grid=grid, **line) for line in lines)
    return grid


def both_models() -> tuple[FeeGrid, FeeGrid]:
    return (
        published_grid(date(2025, 4, 1), OLD_MODEL, 1),
        published_grid(date(2026, 10, 1), NEW_MODEL, 2),
    )


def biller(people: dict[str, User]) -> User:
    return people["broker_agent"]
