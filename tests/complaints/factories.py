"""Feedback and complaints for tests: a world with a solutions contract of the Ministère A (its
offers and supplier), a person of Organisme B who sends for it, and complaints sent and moved
through the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courtier.accounts.models import Organisation, Role, User
from courtier.complaints import rules
from courtier.complaints.models import Complaint
from courtier.complaints.services import complaints as services
from courtier.contracts.models import Contract
from tests.acquisitions.factories import at
from tests.contracts.factories import solutions_contract
from tests.contracts.test_consumption import people_of
from tests.factories import make_person

C = rules.Category


def contract_world(orgs: dict[str, Organisation]) -> dict[str, Any]:
    """The Ministère A's solutions contract (made at noon, see tests/contracts/test_consumption),
    one of its offers, and a procurement officer of Organisme B."""
    with at(timezone.localdate(), 12):
        contract = solutions_contract(orgs, people_of(orgs))
    return {
        "contract": contract,
        "offer": offer_of(contract),
        "other_client": make_person(orgs["client_other"], Role.CLIENT_PROCUREMENT, "autre"),
    }


def offer_of(contract: Contract) -> int:
    return int(contract.basis["offers"][0]["offer"])


def links_for(category: str, contract: Contract) -> dict[str, int]:
    """The links ``category`` needs (rules.LINK_RULES), taken from ``contract``: its supplier,
    itself, its first offer."""
    rule = rules.LINK_RULES[category]
    values = {
        rules.Link.CONTRACT: ("contract_id", contract.pk),
        rules.Link.OFFER: ("offer_id", offer_of(contract)),
        rules.Link.SUPPLIER: ("supplier_id", contract.supplier_id),
    }
    needed = set(rule.required) | (set(sorted(rule.one_of)[:1]) if rule.one_of else set())
    return dict(values[link] for link in needed)


def submit(by: User, client: Organisation, category: str = C.DOCUMENTS, **kw: Any) -> Complaint:
    values = {
        "subject": "Une demande",
        "description": "Ce qui ne va pas.",
    }
    return services.complaint_submit(by=by, client=client, category=category, **(values | kw))


def dispute(by: User, contract: Contract, **kw: Any) -> Complaint:
    return submit(
        by,
        contract.client,
        C.DISPUTE,
        contract_id=contract.pk,
        supplier_id=contract.supplier_id,
        **kw,
    )


def moved(complaint: Complaint, broker: User, to: str) -> Complaint:
    """``complaint`` taken by ``broker`` through the services to state ``to``."""
    path = [rules.State.ASSIGNED, rules.State.ANSWERED, rules.State.CLOSED]
    for state in path[: path.index(to) + 1]:
        if state == rules.State.ASSIGNED:
            services.complaint_assign(by=broker, complaint=complaint, assignee=broker)
        elif state == rules.State.ANSWERED:
            services.complaint_answer(by=broker, complaint=complaint, text="Voici la réponse.")
        else:
            services.complaint_close(by=broker, complaint=complaint)
    return Complaint.objects.get(pk=complaint.pk)
