"""Contracts for tests: made through the services from a frozen acquisition strategy (solutions)
or a handed-off service file (services), prepared up to the point a test needs.

``forced`` puts a contract in a state without going through generation and signatures, for the
tests of what comes after (consumption, amendments, termination); the path itself has its own
tests (test_signing.py, test_api.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from courtier.accounts.models import Organisation, Role, User
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts.models import Contract, ContractState, Party
from courtier.contracts.services import creation
from courtier.pricerequests.models import HandoffPackage
from tests.acquisitions import factories as acquisitions
from tests.factories import make_person
from tests.pricerequests import factories as services


def frozen_strategy(orgs: dict[str, Organisation], people: dict[str, User]) -> AcquisitionStrategy:
    """A file of the Ministère A (RCTI) taken to its frozen strategy with Fournisseur D's or
    E's lowest scenario; the Catalogue is published first (on the current clock)."""
    acquisitions.publish_catalogue(orgs)
    file = acquisitions.at_step("frozen", orgs, people)
    return AcquisitionStrategy.objects.get(file=file)


def handoff_package(orgs: dict[str, Organisation], people: dict[str, User]) -> HandoffPackage:
    """A service file of the Ministère A handed off with Prestataire F's response."""
    services.qualify_providers(orgs)
    rep = people["provider_rep"]  # Prestataire F's
    file = services.file_at(
        people["client_procurement"],
        orgs["client"],
        "handed_off",
        broker=people["broker_agent"],
        responder_of=rep,
    )
    return HandoffPackage.objects.get(file=file)


def prepared(
    contract: Contract, people: dict[str, User], *, signatories: list[dict[str, Any]] | None = None
) -> Contract:
    """The broker records the eligibility confirmation and names the signatories: the client's
    authorised signatory, then the supplier's (or provider's) representative."""
    broker = people["broker_agent"]
    creation.contract_eligibility_confirm(
        by=broker, contract=contract, confirmed_on=timezone.localdate()
    )
    supplier_person = supplier_signer(contract)
    creation.contract_signatories_set(
        by=broker,
        contract=contract,
        signatories=signatories
        or [
            {"party": Party.CLIENT, "order": 1, "user_id": people["client_signatory"].pk},
            {"party": Party.SUPPLIER, "order": 1, "user_id": supplier_person.pk},
        ],
    )
    return Contract.objects.get(pk=contract.pk)


def supplier_signer(contract: Contract) -> User:
    """The supplier's (or provider's) representative, made when its organisation has none."""
    person = User.objects.filter(memberships__organisation_id=contract.supplier_id).first()
    if person is None:
        role = Role.PROVIDER_REP if contract.supplier.kind == "provider" else Role.SUPPLIER_REP
        person = make_person(contract.supplier, role, "signataire")
    return person


def solutions_contract(
    orgs: dict[str, Organisation], people: dict[str, User], *, ready: bool = True
) -> Contract:
    strategy = frozen_strategy(orgs, people)
    contract = creation.contract_create(by=people["broker_agent"], strategy=strategy)
    return prepared(contract, people) if ready else contract


def services_contract(
    orgs: dict[str, Organisation],
    people: dict[str, User],
    *,
    start_on: date | None = None,
    ready: bool = True,
) -> Contract:
    package = handoff_package(orgs, people)
    contract = creation.contract_create(
        by=people["broker_agent"], handoff=package, start_on=start_on or date(2027, 6, 1)
    )
    return prepared(contract, people) if ready else contract


def forced(contract: Contract, state: str, **fields: Any) -> Contract:
    """``contract`` put in ``state`` directly (no audit, no documents): see the module's note."""
    if state in (ContractState.CONCLUDED, ContractState.IN_FORCE):
        fields.setdefault("concluded_on", contract.start_on)
    Contract.objects.filter(pk=contract.pk).update(state=state, **fields)
    return Contract.objects.get(pk=contract.pk)
