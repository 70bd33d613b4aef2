"""Demo exit plan (issue 14): the plan of the Ministère de l'Enseignement supérieur's contract
in force (``contracts.demo.IN_FORCE_TITLE``, Boréale's internal social network), prepared by its
procurement officer (acquisitions@mes.example) and submitted through the services: the next
contract with the same supplier, three exit activities ending before the contract's end (002
§4.9); it awaits the broker's acknowledgement. None of the acquisitions demo's files follows
this contract, so the plan names no follow-up file. Loading twice changes nothing: skipped when
the contract has its plan already."""

from __future__ import annotations

from datetime import timedelta

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.contracts.demo import CLIENT, IN_FORCE_TITLE
from courtier.contracts.models import Contract
from courtier.exitplans import checks
from courtier.exitplans.models import ExitPlan
from courtier.exitplans.services import plans

# (name, days before the contract's end it starts, days before it ends)
ACTIVITIES = (
    ("Extraction des données", 120, 90),
    ("Migration vers la nouvelle solution", 89, 30),
    ("Fermeture des comptes", 29, 1),
)


def load() -> None:
    """Load the demo exit plan (after ``contracts.demo.load``, inside the demo's transaction)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    contract = Contract.objects.filter(client=mes, title=IN_FORCE_TITLE).first()
    if contract is None or ExitPlan.objects.filter(contract=contract).exists():
        return
    client = User.objects.get(email=CLIENT)
    end = checks.contract_end(contract)
    plan = plans.exit_plan_create(
        by=client,
        contract=contract,
        same_supplier=True,
        activities=[
            {
                "name": name,
                "start_on": end - timedelta(days=start),
                "end_on": end - timedelta(days=stop),
            }
            for name, start, stop in ACTIVITIES
        ],
    )
    plans.exit_plan_submit(by=client, plan=plan)
