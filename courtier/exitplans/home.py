"""What exit plans await from whom (``core.workitems``), computed from each contract's end and
each plan's state (the workflow's ``awaits``), never stored. The client's people who run its
acquisitions: « Planifier la sortie du contrat » from the warning day (002 §4.9; due on the
contract's end, when the exit activities must be complete), the plan to correct, the activities
to complete; the broker's agents: the submitted plans to take note of."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.rules import ACQUISITION_RUNNERS, Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract, ContractKind
from courtier.core import navigation, related, workitems
from courtier.core.workitems import WorkItem
from courtier.exitplans import policies, rules, selectors
from courtier.exitplans.models import ExitPlan
from courtier.exitplans.services.plans import plan_url
from courtier.exitplans.workflow import PLAN_WORKFLOW

# The list of exit plans (base.html's « Transitions de sortie »): as the contracts' entry.
navigation.entry("exit_plans", policies.may_list)

KIND = gettext_lazy("Transition à la sortie")
PLAN_EXIT = gettext_lazy("Planifier la sortie du contrat")
RELATED = gettext_lazy("Plan de transition à la sortie")
NO_PLAN = gettext_lazy("aucun plan encore")


def _item(exit: selectors.ContractExit, label: Any, organisation: str) -> WorkItem:
    contract = exit.contract
    state = exit.plan.state if exit.plan is not None else "none"
    return WorkItem(
        key=f"exitplans.plan:{contract.pk}:{state}",
        title=f"{label} — {contract.reference}",
        url=plan_url(contract),
        kind=str(KIND),
        detail=f"{contract.client.name} — {contract.supplier.name} — {contract.title}",
        organisation=organisation,
        # 002 §4.9: the exit activities are complete before the initial contract's end.
        due_on=exit.contract_end,
    )


def _client_items(runners: Mapping[int, str]) -> Iterator[WorkItem]:
    today = timezone.localdate()
    contracts = Contract.objects.filter(
        client_id__in=list(runners),
        kind=ContractKind.SOLUTIONS,
        state__in=list(contract_rules.SIGNED_STATES),
    ).select_related("client", "supplier")
    plans = {p.contract_id: p for p in ExitPlan.objects.filter(contract__in=contracts)}
    for contract in contracts:
        exit = selectors.exit_of(contract, plans.get(contract.pk))
        plan = exit.plan
        if plan is None or plan.state == rules.State.DRAFT:
            # 002 §4.9: from the warning day (DOMAIN §5.9), or once the client opened a plan.
            if today >= exit.warning_on or (plan is not None and plan.created_by_id):
                yield _item(exit, PLAN_EXIT, runners[contract.client_id])
        elif plan.state in PLAN_WORKFLOW.awaits:
            awaiting = PLAN_WORKFLOW.awaits[plan.state]
            if awaiting.actor == rules.Actor.CLIENT:
                yield _item(exit, awaiting.label, runners[contract.client_id])


def _broker_items(user: Any) -> Iterator[WorkItem]:
    broker = str(_("Courtier"))
    label = PLAN_WORKFLOW.awaits[rules.State.SUBMITTED].label
    for plan in selectors.plans_for(user).filter(state=rules.State.SUBMITTED):
        yield _item(selectors.exit_of(plan.contract, plan), label, broker)


@workitems.provider("exitplans")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    items: list[WorkItem] = []
    if policies.is_broker_agent(user):
        items.extend(_broker_items(user))
    runners = organisations_with_role(user, ACQUISITION_RUNNERS)
    if runners:
        items.extend(_client_items(runners))
    return items


@related.contributor("contracts.contract", "exitplans")
def contract_links(contract: Any, user: Any) -> list[related.Link]:
    """The contract page's link to its exit plan page (002 §4.9), with the plan's state: for a
    signed solutions contract (or one whose plan exists), to those who see the plan page — the
    broker's staff, the client body's people, the outgoing supplier's (as they see the
    contract); never to another client or supplier."""
    if not rules.plan_required(contract.kind) or not permissions.can_view(user, contract):
        return []
    plan = selectors.plans_for(user).filter(contract_id=contract.pk).first()
    if plan is None and contract.state not in contract_rules.SIGNED_STATES:
        return []
    detail = plan.get_state_display() if plan is not None else NO_PLAN
    return [related.Link(str(RELATED), plan_url(contract), str(detail))]
