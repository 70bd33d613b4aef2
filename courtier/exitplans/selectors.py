"""Reads of exit plans (002 §4.9): the plans a person sees, and the solutions contracts a person
sees with their plan, their end and the day the client is warned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from courtier.accounts import permissions
from courtier.acquisitions.models import AcquisitionFile
from courtier.contracts import rules as contract_rules
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Contract, ContractKind
from courtier.exitplans import checks, rules
from courtier.exitplans.models import ExitPlan, default_warning_months


def plans_for(user: Any) -> QuerySet[ExitPlan]:
    """The plans ``user`` may see (the policies' scope), newest first."""
    return permissions.scope(
        user,
        ExitPlan.objects.select_related(
            "contract__client", "contract__supplier", "new_contract", "follow_up_file"
        ),
    )


@dataclass(frozen=True)
class ContractExit:
    """A solutions contract with what its exit needs (002 §4.9)."""

    contract: Contract
    plan: ExitPlan | None
    contract_end: date
    warning_on: date

    @property
    def warned_due(self) -> bool:
        return self.plan is None or self.plan.state not in rules.PLANNED_STATES


def exit_of(contract: Contract, plan: ExitPlan | None) -> ContractExit:
    months = plan.warning_months if plan is not None else default_warning_months()
    end = checks.contract_end(contract)
    return ContractExit(contract, plan, end, rules.exit_warning_on(end, months))


def contract_exits(user: Any, state: str | None = None) -> list[ContractExit]:
    """The signed solutions contracts ``user`` sees (in force or concluded), each with its plan
    (or none yet), soonest end first; ``state``: only those whose plan is in it ("none": those
    without a plan)."""
    contracts = contract_selectors.contracts_for(user).filter(
        kind=ContractKind.SOLUTIONS, state__in=list(contract_rules.SIGNED_STATES)
    )
    plans = {p.contract_id: p for p in plans_for(user).filter(contract__in=contracts)}
    rows = [exit_of(c, plans.get(c.pk)) for c in contracts]
    if state == "none":
        rows = [r for r in rows if r.plan is None]
    elif state:
        rows = [r for r in rows if r.plan is not None and r.plan.state == state]
    return sorted(rows, key=lambda r: (r.contract_end, r.contract.pk))


def follow_up_files(contract: Contract, user: Any) -> QuerySet[Any]:
    """The acquisition files of the contract's client the person sees (the follow-up file),
    but the one the contract itself came from."""
    files = AcquisitionFile.objects.filter(client_id=contract.client_id)
    if contract.strategy_id is not None:
        files = files.exclude(strategy__pk=contract.strategy_id)
    return permissions.scope(user, files).order_by("-pk")


def new_contract_choices(contract: Contract, user: Any) -> QuerySet[Contract]:
    """The other contracts of the client, with another supplier: the new supplier's contract."""
    return (
        contract_selectors.contracts_for(user)
        .filter(client_id=contract.client_id)
        .exclude(pk=contract.pk)
        .exclude(supplier_id=contract.supplier_id)
        .order_by("-pk")
    )
