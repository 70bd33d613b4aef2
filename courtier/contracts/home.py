"""What specific contracts add to the menu, and what they await from whom (``core.workitems``):
computed from each open contract's and amendment's state (the workflows' ``awaits``), never
stored. The broker's agents: the frozen strategies and handed-off packages still without a
contract (002 §2.5, §3.5), the contracts and amendments to prepare or to validate; the client's
people who run its acquisitions: the documents to review, the paper signatures to record; the
designated signatories: their signature, when it is their turn (002 §2.5 steps 8-9); the
supplier's representatives: the supplier's signature."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.rules import ACQUISITION_RUNNERS, Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.contracts import policies, rules, selectors
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractSignatory,
    Signature,
)
from courtier.contracts.services.amendments import lead_time_on
from courtier.contracts.services.transitions import planning_deadline
from courtier.contracts.workflow import AMENDMENT_WORKFLOW, CONTRACT_WORKFLOW
from courtier.core import navigation, workitems
from courtier.core.workitems import Awaits, WorkItem

# Contracts: the broker's staff, the client bodies' people and the suppliers' and providers'.
navigation.entry(
    "contracts",
    lambda user: (
        permissions.has_perm(user, Perm.BROWSE_CATALOGUE)
        or permissions.has_perm(user, Perm.PROPOSE_SHEET)
        or permissions.has_perm(user, Perm.RESPOND_PRICE_REQUESTS)
    ),
)

KIND_CONTRACT = gettext_lazy("Contrat spécifique")
KIND_AMENDMENT = gettext_lazy("Avenant")
_SUPPLIER_SIDE = (Role.SUPPLIER_REP, Role.PROVIDER_REP)


def _states_awaiting(workflow: Any, actor: str) -> list[str]:
    return [state for state, a in workflow.awaits.items() if a.actor == actor]


def _url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def _contract_item(contract: Contract, label: Any, organisation: str, **extra: Any) -> WorkItem:
    return WorkItem(
        key=extra.pop("key", f"contracts.contract:{contract.pk}:{contract.state}"),
        title=f"{label} — {contract.reference}",
        url=_url(contract),
        kind=str(KIND_CONTRACT),
        detail=f"{contract.client.name} — {contract.supplier.name} — {contract.title}",
        organisation=organisation,
        due_on=None if contract.concluded_on else planning_deadline(contract),
        **extra,
    )


def _amendment_item(amendment: Amendment, label: Any, organisation: str, **extra: Any) -> WorkItem:
    contract = amendment.contract
    return WorkItem(
        key=extra.pop("key", f"contracts.amendment:{amendment.pk}:{amendment.state}"),
        title=f"{label} — {contract.reference}-A{amendment.number}",
        url=_url(contract) + f"#avenant-{amendment.number}",
        kind=str(KIND_AMENDMENT),
        detail=f"{contract.client.name} — {contract.title}",
        organisation=organisation,
        due_on=lead_time_on(amendment),
        **extra,
    )


# --- the broker's preparation queue -----------------------------------------------------------


def contracts_awaiting_broker(user: Any) -> list[Contract]:
    states = _states_awaiting(CONTRACT_WORKFLOW, rules.Actor.BROKER)
    return list(
        permissions.scope(
            user, Contract.objects.filter(state__in=states).select_related("client", "supplier")
        ).order_by("startup_contact_on", "pk")
    )


def amendments_awaiting_broker(user: Any) -> list[Amendment]:
    states = _states_awaiting(AMENDMENT_WORKFLOW, rules.Actor.BROKER)
    return list(
        permissions.scope(
            user,
            Amendment.objects.filter(state__in=states).select_related(
                "contract__client", "contract__supplier"
            ),
        ).order_by("requested_at", "pk")
    )


def _broker_items(user: Any) -> Iterator[WorkItem]:
    queue = reverse("contracts:preparation_queue")
    broker = str(_("Courtier"))
    for source in selectors.sources_without_contract(user):
        yield WorkItem(
            key=f"contracts.source:{source['key']}",
            title=f"{_('Préparer le contrat')} — {source['reference']}",
            url=queue,
            kind=str(KIND_CONTRACT),
            detail=f"{source['client'].name} — {source['supplier'].name} — {source['title']}",
            organisation=broker,
        )
    for contract in contracts_awaiting_broker(user):
        yield _contract_item(contract, CONTRACT_WORKFLOW.awaits[contract.state].label, broker)
    for amendment in amendments_awaiting_broker(user):
        yield _amendment_item(amendment, AMENDMENT_WORKFLOW.awaits[amendment.state].label, broker)


# --- the client's people, the signatories, the supplier ----------------------------------------


def _client_items(runners: Mapping[int, str]) -> Iterator[WorkItem]:
    contracts = Contract.objects.filter(
        client_id__in=list(runners), state=rules.State.CLIENT_REVIEW
    ).select_related("client", "supplier")
    for contract in contracts:
        label = CONTRACT_WORKFLOW.awaits[contract.state].label
        yield _contract_item(contract, label, runners[contract.client_id])
    amendments = Amendment.objects.filter(
        contract__client_id__in=list(runners), state=AmendmentState.CLIENT_REVIEW
    ).select_related("contract__client", "contract__supplier")
    for amendment in amendments:
        label = AMENDMENT_WORKFLOW.awaits[amendment.state].label
        yield _amendment_item(amendment, label, runners[amendment.contract.client_id])


def _turns(instruments: Iterable[Contract | Amendment]) -> Iterator[tuple[Any, list[Any]]]:
    """Each instrument out for signing, with the signatories whose turn it is."""
    instruments = list(instruments)
    if not instruments:
        return
    contract_ids = {getattr(i, "contract_id", i.pk) for i in instruments}
    signatories: dict[int, list[ContractSignatory]] = {}
    for s in ContractSignatory.objects.filter(contract_id__in=contract_ids).order_by(
        "party", "order"
    ):
        signatories.setdefault(s.contract_id, []).append(s)
    signed = set(
        Signature.objects.filter(contract_id__in=contract_ids).values_list(
            "signatory_id", "amendment_id"
        )
    )
    for instrument in instruments:
        amendment_id = instrument.pk if isinstance(instrument, Amendment) else None
        rows = signatories.get(getattr(instrument, "contract_id", instrument.pk), [])
        mine = {signatory for signatory, on in signed if on == amendment_id}
        now = selectors.signing_turn(instrument.state, rows, mine)
        yield instrument, [s for s in rows if s.pk in now]


def _signing_items(
    user: Any, runners: Mapping[int, str], suppliers: Mapping[int, str]
) -> Iterator[WorkItem]:
    """The signatory whose turn it is (a person); when the turn is of one signing on paper, the
    client's people or the supplier's representatives who record it (their organisation)."""
    open_contracts = Contract.objects.filter(state__in=list(rules.SIGNING_STATES)).select_related(
        "client", "supplier"
    )
    open_amendments = Amendment.objects.filter(state__in=list(rules.SIGNING_STATES)).select_related(
        "contract__client", "contract__supplier"
    )
    mine = set(ContractSignatory.objects.filter(user=user).values_list("contract_id", flat=True))
    related = Contract.objects.filter(client_id__in=list(runners)) | Contract.objects.filter(
        supplier_id__in=list(suppliers)
    )
    ids = mine | set(related.values_list("pk", flat=True))
    instruments = [
        *open_contracts.filter(pk__in=ids),
        *open_amendments.filter(contract_id__in=ids),
    ]
    for instrument, turn in _turns(instruments):
        is_amendment = isinstance(instrument, Amendment)
        contract = instrument.contract if is_amendment else instrument
        workflow = AMENDMENT_WORKFLOW if is_amendment else CONTRACT_WORKFLOW
        label = workflow.awaits[instrument.state].label
        make = _amendment_item if is_amendment else _contract_item
        for s in turn:
            if s.user_id == user.pk:
                yield make(
                    instrument,
                    label,
                    "",
                    key=f"contracts.sign:{instrument.__class__.__name__}:{instrument.pk}:{s.pk}",
                    awaits=Awaits.PERSON,
                )
        on_paper = [s for s in turn if s.user_id is None]
        for s in on_paper:
            side = runners if s.party == "client" else suppliers
            organisation = contract.client_id if s.party == "client" else contract.supplier_id
            if organisation in side:
                yield make(
                    instrument,
                    _("Consigner la signature sur papier de %(name)s") % {"name": s.name},
                    side[organisation],
                    key=f"contracts.paper:{instrument.__class__.__name__}:{instrument.pk}:{s.pk}",
                )


@workitems.provider("contracts")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    items: list[WorkItem] = []
    if policies.is_broker_agent(user):
        items.extend(_broker_items(user))
    runners = organisations_with_role(user, ACQUISITION_RUNNERS)
    suppliers = organisations_with_role(user, _SUPPLIER_SIDE)
    if runners:
        items.extend(_client_items(runners))
    items.extend(_signing_items(user, runners, suppliers))
    return items
