"""Exit plans for tests (002 §4.9): a world with two solutions contracts of the Ministère A, the
initial one with Fournisseur E (the lowest scenario) in force from ``START`` to ``END`` and the
next one with Fournisseur D (another scenario) from ``NEW_START``, whose acquisition file is the
follow-up file; a file of Organisme B (another client) and a services contract of the Ministère
A. Contracts are ``forced`` to their state and dates (the signing path has its own tests)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts.models import Organisation, User
from courtier.acquisitions.models import AcquisitionFile
from courtier.contracts.models import Contract, ContractState
from courtier.contracts.services import creation
from courtier.exitplans.models import ExitPlan
from courtier.exitplans.services import plans as services
from tests.acquisitions import factories as acquisitions
from tests.acquisitions.factories import at
from tests.contracts.factories import forced, handoff_package
from tests.contracts.test_consumption import people_of

START = date(2026, 1, 1)
MONTHS = 24
END = date(2027, 12, 31)  # the initial contract's last day (inclusive)
WARNING_ON = date(2027, 3, 31)  # 9 months before END
NEW_START = date(2027, 9, 1)  # the new supplier's contract starts four months before END
NEW_MONTHS = 24

# Activities that end before END and run inside the overlap (from NEW_START).
INSIDE = [
    {"name": "Extraction des données", "start_on": date(2027, 9, 15), "end_on": date(2027, 10, 31)},
    {"name": "Migration", "start_on": date(2027, 11, 1), "end_on": date(2027, 12, 15)},
]
# An activity ending after END: refused (002 §4.9).
LATE = {"name": "Fermeture des comptes", "start_on": date(2027, 12, 1), "end_on": date(2028, 1, 15)}
# An activity starting before NEW_START: the overlap is too short for it.
EARLY = {"name": "Préparation", "start_on": date(2027, 6, 1), "end_on": date(2027, 7, 31)}


def world(orgs: dict[str, Organisation]) -> dict[str, Any]:
    """The contracts and files of the module's note (made at noon: tests/contracts/factories)."""
    people = people_of(orgs)
    runner = people["client_procurement"]
    with at(timezone.localdate(), 12):
        acquisitions.publish_catalogue(orgs)
        old_file = acquisitions.at_step("frozen", orgs, people)
        new_file = acquisitions.at_step("frozen", orgs, people, choice="other")
        old = creation.contract_create(by=people["broker_agent"], strategy=old_file.strategy)
        new = creation.contract_create(by=people["broker_agent"], strategy=new_file.strategy)
        services_contract = creation.contract_create(
            by=people["broker_agent"],
            handoff=handoff_package(orgs, people),
            start_on=date(2026, 6, 1),
        )
        other_file = acquisitions.new_file(
            by=acquisitions.runner(orgs["client_other"]), client=orgs["client_other"]
        )
    old = forced(old, ContractState.IN_FORCE, start_on=START, duration_months=MONTHS, ends_on=END)
    new = forced(
        new,
        ContractState.CONCLUDED,
        start_on=NEW_START,
        duration_months=NEW_MONTHS,
        ends_on=date(2029, 8, 31),
    )
    forced(services_contract, ContractState.IN_FORCE)
    assert old.supplier_id != new.supplier_id and runner.pk
    return {
        "old": old.pk,
        "new": new.pk,
        "services": services_contract.pk,
        "follow_up": new_file.pk,
        "other_file": other_file.pk,
    }


def contract(world: dict[str, Any], key: str) -> Contract:
    return Contract.objects.select_related("client", "supplier").get(pk=world[key])


def file(world: dict[str, Any], key: str = "follow_up") -> AcquisitionFile:
    return AcquisitionFile.objects.get(pk=world[key])


def new_supplier_plan(by: User, w: dict[str, Any], activities=None, **values: Any) -> ExitPlan:
    """A plan for the initial contract with the new supplier's contract and the follow-up file,
    its activities inside the overlap unless given."""
    values = {
        "same_supplier": False,
        "new_contract_id": w["new"],
        "follow_up_file_id": w["follow_up"],
    } | values
    return services.exit_plan_create(
        by=by,
        contract=contract(w, "old"),
        activities=INSIDE if activities is None else activities,
        **values,
    )


def same_supplier_plan(by: User, w: dict[str, Any], **values: Any) -> ExitPlan:
    """A plan for the initial contract whose next contract is with the same supplier and needs
    no exit activity (002 §4.9)."""
    values = {"same_supplier": True, "none_needed": True} | values
    return services.exit_plan_create(by=by, contract=contract(w, "old"), activities=(), **values)


def moved(plan: ExitPlan, people: dict[str, User], to: str) -> ExitPlan:
    """``plan`` taken through the services to ``to`` (submitted, acknowledged or completed)."""
    client, broker = people["client_procurement"], people["broker_agent"]
    services.exit_plan_submit(by=client, plan=plan)
    if to in ("acknowledged", "completed"):
        services.exit_plan_acknowledge(by=broker, plan=plan)
    if to == "completed":
        today = timezone.localdate()
        for activity in plan.activities.all():
            services.exit_activity_done(by=client, plan=plan, activity=activity, done_on=today)
        services.exit_plan_complete(by=client, plan=plan)
    return ExitPlan.objects.get(pk=plan.pk)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
