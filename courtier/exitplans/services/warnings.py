"""The warning before a solutions contract's end (DOMAIN §5.9; 002 §4.9 « dans un délai
suffisant »): run daily (``courtier exit-warnings``), it tells the client's people once, from
``rules.exit_warning_on`` (the configured months before the contract's end), for every solutions
contract in force whose exit plan is not submitted yet; the plan records the day (a plan in
preparation is opened for a contract without one) and the audit trail the warning."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from courtier.audit.services import audit_event_record
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract, ContractKind
from courtier.core.mail import notify
from courtier.exitplans import checks, rules
from courtier.exitplans.models import ExitPlan, default_warning_months
from courtier.exitplans.services.plans import client_emails, opened_by_warning, plan_url

WARNING_TEMPLATE = "exitplans/email/warning"


@transaction.atomic
def exit_warnings_send(today: date | None = None) -> list[str]:
    """Warn once for every contract due (002 §4.9); the references warned, in order. A second
    run the same day warns nobody."""
    today = today or timezone.localdate()
    warned: list[str] = []
    contracts = (
        Contract.objects.select_for_update(of=("self",))
        .filter(kind=ContractKind.SOLUTIONS, state=contract_rules.State.IN_FORCE)
        .select_related("client", "supplier")
        .order_by("ends_on", "pk")
    )
    for contract in contracts:
        plan = ExitPlan.objects.filter(contract=contract).first()
        if plan is not None and plan.state in rules.PLANNED_STATES:
            continue
        months = plan.warning_months if plan is not None else default_warning_months()
        end = checks.contract_end(contract)
        if not rules.exit_warning_due(
            today, end, warned=bool(plan and plan.warned_on), months=months
        ):
            continue
        if plan is None:
            plan = opened_by_warning(contract, months, today)
        else:
            plan.warned_on = today
            plan.save(update_fields=["warned_on"])
        audit_event_record(
            actor=None,
            action="exit_plan.warned",
            obj=plan,
            organisation=contract.client_id,
            before=None,
            after={
                "warned_on": today.isoformat(),
                "contract_end": end.isoformat(),
                "warning_months": months,
            },
        )
        notify(
            to=client_emails(contract),
            template=WARNING_TEMPLATE,
            context={
                "plan": plan,
                "contract": contract,
                "contract_end": end,
                "warning_months": months,
                "url": plan_url(contract),
            },
        )
        warned.append(contract.reference)
    return warned
