"""What contracts await from whom (``core.workitems``, the workflows' ``awaits``; 002 §2.5,
§3.5, §4.5): the broker's agents prepare a contract from each frozen source still without one
and validate what the client approved; the client's people review; the designated signatory
whose turn it is signs (a person's item), then the supplier; an amendment asked for awaits the
broker with its 30-day lead time. Nothing is stored: an item goes when its state changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.contracts.services import creation, generation, signing, transitions
from courtier.core.workitems import Awaits, items_for
from courtier.pricerequests.models import HandoffPackage
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.contracts.test_pages import TODAY, _after_commit, build
from tests.factories import PASSWORD
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(build)


@pytest.fixture
def made(world):
    return world[2]


@pytest.fixture(autouse=True)
def _clock():
    with at(TODAY, 11):
        yield


def _titles(user) -> list[str]:
    return [item.title for item in items_for(user) if item.key.startswith("contracts.")]


def test_the_broker_prepares_a_contract_from_each_frozen_source_without_one(people, made):
    """002 §2.5, §3.5: the handed-off package is the broker's to make a contract from."""
    package = HandoffPackage.objects.get(pk=made["package"])
    broker = people["broker_agent"]
    assert f"Préparer le contrat — {package.file.reference}" in _titles(broker)
    assert _titles(people["client_procurement"]) == []
    contract = creation.contract_create(by=broker, handoff=package, start_on=date(2027, 6, 1))
    titles = _titles(broker)
    assert f"Préparer le contrat — {package.file.reference}" not in titles
    assert f"Préparer le contrat — {contract.reference}" in titles
    item = next(i for i in items_for(broker) if i.title.endswith(contract.reference))
    # DOMAIN §3.5: at least 30 days from the startup contact to a signed contract.
    assert item.due_on == contract.startup_contact_on + timedelta(days=30)


def test_the_client_reviews_then_the_broker_validates(people, made):
    """002 §2.5 steps 6-7: sent for review, the client's people approve; then the broker."""
    package = HandoffPackage.objects.get(pk=made["package"])
    broker = people["broker_agent"]
    contract = factories.prepared(
        creation.contract_create(by=broker, handoff=package, start_on=date(2027, 6, 1)), people
    )

    _after_commit(lambda: generation.contract_generate(by=broker, contract=contract))
    transitions.contract_send_for_review(by=broker, contract=contract)
    review = f"Valider les documents contractuels — {contract.reference}"
    assert review in _titles(people["client_procurement"])
    assert review not in _titles(people["client_signatory"])
    assert not any(t.endswith(contract.reference) for t in _titles(broker))
    transitions.contract_approve(by=people["client_procurement"], contract=contract)
    assert review not in _titles(people["client_procurement"])
    assert f"Valider la version finale (cachet) — {contract.reference}" in _titles(broker)


def test_the_signatory_whose_turn_it_is_signs_then_the_supplier(people, made):
    """002 §2.5 steps 8-9: the client's signatory (a person's item), then the supplier's."""
    contract = Contract.objects.get(pk=made["solutions"])
    supplier = factories.supplier_signer(contract)
    mine = [i for i in items_for(people["client_signatory"]) if i.key.startswith("contracts.")]
    assert [i.title for i in mine] == [f"Signer le contrat — {contract.reference}"]
    assert mine[0].awaits == Awaits.PERSON
    assert _titles(supplier) == []
    signing.instrument_sign(
        by=people["client_signatory"],
        instrument=contract,
        password=PASSWORD,
        version_id=signing.chain_head(contract).pk,
    )
    assert _titles(people["client_signatory"]) == []
    assert _titles(supplier) == [f"Signer le contrat — {contract.reference}"]


def test_an_amendment_asked_for_awaits_the_broker_with_its_lead_time(people, made):
    """002 §4.5: 30 days to prepare and sign an amendment, from the request."""
    contract = factories.forced(Contract.objects.get(pk=made["solutions"]), ContractState.IN_FORCE)
    amendment = Amendment.objects.create(
        contract=contract,
        number=1,
        state=AmendmentState.REQUESTED,
        reason="Six mois de plus.",
        changes=[{"kind": "duration", "months": 6}],
        requested_by=people["client_procurement"],
    )
    item = next(
        i for i in items_for(people["broker_agent"]) if i.key.startswith("contracts.amendment")
    )
    assert item.title == f"Préparer l'avenant — {contract.reference}-A1"
    assert item.due_on == amendment.requested_at.date() + timedelta(days=30)
    assert item.url.endswith("#avenant-1")
