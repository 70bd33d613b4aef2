"""Performance evaluations for tests (issue 14 §2; DOMAIN §5.8): a published grid, the contracts in
force of two client bodies with the same supplier (the Ministère A, subject to the RCTI, and
Organisme B), an ended services contract of the Ministère A (its end-of-contract evaluation), and
the campaigns and grids filled in through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts.models import Organisation, Role, User
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts.models import Contract, ContractState
from courtier.contracts.services import creation
from courtier.evaluations.models import Campaign, EvaluationRequest, EvaluationScore, GridVersion
from courtier.evaluations.services import campaigns as services
from courtier.evaluations.services import grid as grid_services
from tests.acquisitions import factories as acquisitions
from tests.acquisitions.factories import at
from tests.contracts.factories import forced, services_contract, solutions_contract
from tests.contracts.test_consumption import people_of
from tests.factories import make_person

# The grid of the tests (002 §4.8): three criteria whose weights sum to 100, scored 1 to 5.
CRITERIA = [
    {"key": "qualite", "label": "Qualité du service", "weight": "50"},
    {"key": "delais", "label": "Respect des délais", "weight": "30"},
    {"key": "communication", "label": "Communication", "weight": "20"},
]
KEYS = [c["key"] for c in CRITERIA]
# Submitted as 4, 3, 5: weighted 0.5 × 4 + 0.3 × 3 + 0.2 × 5 = 3.9.
GOOD = {"qualite": 4, "delais": 3, "communication": 5}


def publish_grid(by: User) -> GridVersion:
    return grid_services.grid_version_publish(by=by, criteria=CRITERIA, note="Grille de test")


def _other_client_contract(orgs: dict[str, Organisation], people: dict[str, User]) -> Contract:
    """Organisme B's solutions contract (its own file, frozen on the same Catalogue), forced in
    force: the campaign asks both bodies."""
    runner = make_person(orgs["client_other"], Role.CLIENT_PROCUREMENT, "organisme-b")
    file = acquisitions.file_at(
        "frozen", by=runner, client=orgs["client_other"], broker=people["broker_agent"]
    )
    strategy = AcquisitionStrategy.objects.get(file=file)
    contract = creation.contract_create(by=people["broker_agent"], strategy=strategy)
    return forced(contract, ContractState.IN_FORCE)


def world(orgs: dict[str, Organisation]) -> dict[str, Any]:
    """The grid, the Ministère A's and Organisme B's contracts in force with the same supplier
    (the lowest scenario's), the Ministère A's ended services contract with Prestataire F, and a
    procurement person of Organisme B. Made at noon (see tests/contracts/test_consumption)."""
    people = people_of(orgs)
    with at(timezone.localdate(), 12):
        grid = publish_grid(people["broker_agent"])
        contract = forced(solutions_contract(orgs, people), ContractState.IN_FORCE)
        other = _other_client_contract(orgs, people)
        ended = services_contract(orgs, people, ready=False)
    assert other.supplier_id == contract.supplier_id  # the same lowest scenario
    ended = forced(
        ended,
        ContractState.ENDED,
        start_on=date(2025, 12, 1),
        ends_on=date(2026, 11, 30),
        ended_on=date(2026, 11, 30),
    )
    return {
        "grid": grid,
        "contract": contract,
        "other_contract": other,
        "ended": ended,
        "other_client": User.objects.get(memberships__organisation=orgs["client_other"]),
    }


def open_campaign(
    by: User, supplier: Organisation, *, year: int = 2026, due_on: date | None = None
) -> Campaign:
    return services.campaign_open(
        by=by,
        supplier=supplier,
        year=year,
        due_on=due_on or timezone.localdate() + timedelta(days=30),
    )


def request_of(campaign: Campaign, client: Organisation) -> EvaluationRequest:
    return EvaluationRequest.objects.get(campaign=campaign, client=client)


def comments(prefix: str = "") -> dict[str, str]:
    return {k: f"{prefix}Commentaire sur {k}." for k in KEYS}


def submit(by: User, request: EvaluationRequest, scores: dict[str, int] | None = None):
    return services.evaluation_submit(
        by=by,
        request=request,
        scores=dict(scores or GOOD),
        comments=comments(),
        general_comment="Bonne année dans l'ensemble.",
    )


def campaign_made(
    orgs: dict[str, Organisation],
    by: User,
    clients: tuple[str, ...] = ("client", "client_other"),
    *,
    grid: GridVersion | None = None,
) -> Campaign:
    """A campaign of Fournisseur D on the current grid (published when there is none), with an
    open request for each of ``clients`` (keys of ``orgs``), made directly without contracts:
    for the pages and the API (the opening itself is tested in test_services.py)."""
    grid = grid or grid_services.current_grid() or publish_grid(by)
    campaign = Campaign.objects.create(
        year=2026,
        supplier=orgs["supplier"],
        grid=grid,
        due_on=timezone.localdate() + timedelta(days=30),
        opened_by=by,
    )
    for key in clients:
        request = EvaluationRequest.objects.create(
            campaign=campaign, client=orgs[key], due_on=campaign.due_on
        )
        EvaluationScore.objects.bulk_create(
            [EvaluationScore(request=request, criterion=c) for c in grid.criteria.all()]
        )
    return campaign
