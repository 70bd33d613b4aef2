"""The demo exit plan (`courtier demo`, issue 14 « Done when »: the demo has an exit plan): the
plan of the Ministère de l'Enseignement supérieur's contract in force with Boréale, the next
contract with the same supplier, three activities ending before the contract's end (002 §4.9),
submitted and awaiting the broker — seen by the client's people, the broker and the outgoing
supplier."""

from __future__ import annotations

import pytest

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts.demo import CLIENT, IN_FORCE_TITLE
from courtier.core import workitems
from courtier.exitplans import checks, demo, selectors
from courtier.exitplans.models import ExitPlan, PlanState


def the_plan() -> ExitPlan:
    return ExitPlan.objects.select_related("contract").get(contract__title=IN_FORCE_TITLE)


@pytest.mark.usefixtures("loaded")
class TestTheDemoExitPlan:
    def test_the_demo_holds_a_submitted_plan_for_the_contract_in_force(self):
        plan = the_plan()
        assert plan.state == PlanState.SUBMITTED
        assert plan.same_supplier and not plan.none_needed
        end = checks.contract_end(plan.contract)
        names = [a.name for a in plan.activities.order_by("order")]
        assert names == [name for name, _start, _stop in demo.ACTIVITIES]
        assert all(a.end_on < end for a in plan.activities.all())
        assert checks.plan_problems(plan) == {}
        assert AuditEvent.objects.filter(action="exit_plan.submit", object_id=str(plan.pk)).exists()

    def test_the_client_the_broker_and_the_supplier_see_it(self):
        def seen(email: str) -> int:
            return selectors.plans_for(User.objects.get(email=email)).count()

        assert seen(CLIENT) == seen("agent@courtier.example") == 1
        assert seen("representant@boreales.example") == 1

    def test_it_awaits_the_broker_s_agent(self):
        agent = User.objects.get(email="agent@courtier.example")
        keys = [i.key for i in workitems.items_for(agent) if i.key.startswith("exitplans.")]
        assert keys == [f"exitplans.plan:{the_plan().contract_id}:submitted"]

    def test_loading_the_plan_again_changes_nothing(self):
        before = ExitPlan.objects.count(), AuditEvent.objects.count()
        demo.load()
        assert (ExitPlan.objects.count(), AuditEvent.objects.count()) == before
