"""The exit plan of a solutions contract (DOMAIN §5.9; 002 §4.9): the client's people who run
its acquisitions prepare it (the follow-up acquisition file, whether the next contract is with
the same supplier, the new supplier's contract, the exit activities), submit it (checked against
002 §4.9 again), mark its activities done and complete it; the broker's agents take note of it or
return it with a comment. Every change audited, its emails sent after the commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.selectors import broker_staff_emails, emails_with_roles
from courtier.acquisitions.models import AcquisitionFile
from courtier.audit.services import audit_event_record
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract
from courtier.core.mail import notify
from courtier.exitplans import checks, policies, rules
from courtier.exitplans.messages import (
    ACTIVITY_DATES_REQUIRED,
    ACTIVITY_END_BEFORE_START,
    ACTIVITY_NAME_REQUIRED,
    ACTIVITY_NOT_RUNNING,
    CONTRACT_NOT_SIGNED,
    DONE_IN_FUTURE,
    FOLLOW_UP_OTHER_CLIENT,
    NEW_CONTRACT_INVALID,
    NEW_CONTRACT_WITH_SAME_SUPPLIER,
    NOT_EDITABLE,
    PLAN_EXISTS,
    PLAN_NOT_REQUIRED,
    TEXT_TOO_LONG,
    TOO_MANY_ACTIVITIES,
    WARNING_MONTHS_INVALID,
)
from courtier.exitplans.models import ExitActivity, ExitPlan, default_warning_months
from courtier.exitplans.workflow import PLAN_WORKFLOW

SUBMITTED_TEMPLATE = "exitplans/email/submitted"
REVIEWED_TEMPLATE = "exitplans/email/reviewed"
# The client's people who plan the exit (those who run its acquisitions).
CLIENT_ROLES = (Role.CLIENT_PROCUREMENT, Role.CLIENT_HEAD)
SUPPLIER_ROLES = (Role.SUPPLIER_REP, Role.PROVIDER_REP)
FIELDS = ("warning_months", "same_supplier", "none_needed", "follow_up_file", "new_contract")
# A change to the plan's content sends it back to the client's hands: see rules.EDITABLE_STATES.


def plan_url(plan_or_contract: ExitPlan | Contract) -> str:
    contract_id = getattr(plan_or_contract, "contract_id", None) or plan_or_contract.pk
    return reverse("exitplans:plan", args=[contract_id])


def client_emails(contract: Contract) -> list[str]:
    return emails_with_roles(CLIENT_ROLES, contract.client_id)


def supplier_emails(contract: Contract) -> list[str]:
    return emails_with_roles(SUPPLIER_ROLES, contract.supplier_id)


def actors_of(user: Any, contract: Contract) -> set[str]:
    actors: set[str] = set()
    if policies.is_broker_agent(user):
        actors.add(rules.Actor.BROKER)
    if policies.runs_contract(user, contract):
        actors.add(rules.Actor.CLIENT)
    return actors


def _require_actor(user: Any, contract: Contract, actor: str) -> None:
    if actor not in actors_of(user, contract):
        raise PermissionDenied


def _lock(plan: ExitPlan) -> ExitPlan:
    return (
        ExitPlan.objects.select_for_update(of=("self",))
        .select_related("contract__client", "contract__supplier", "new_contract")
        .get(pk=plan.pk)
    )


def _record(by: Any, action: str, plan: ExitPlan, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by,
        action=action,
        obj=plan,
        organisation=plan.contract.client_id,
        before=before,
        after=after,
    )


def snapshot(plan: ExitPlan) -> dict[str, Any]:
    """What the audit trail keeps of the plan's content."""
    return {
        "warning_months": plan.warning_months,
        "same_supplier": plan.same_supplier,
        "none_needed": plan.none_needed,
        "follow_up_file": plan.follow_up_file.reference if plan.follow_up_file_id else "",
        "new_contract": plan.new_contract.reference if plan.new_contract_id else "",
        "activities": [
            f"{a.name} ({a.start_on.isoformat()} – {a.end_on.isoformat()})"
            for a in plan.activities.all()
        ],
    }


# --- the content -----------------------------------------------------------------------------


def _check_contract(contract: Contract) -> None:
    """002 §4.9: a plan for a solutions contract that binds the parties."""
    if not rules.plan_required(contract.kind):
        raise ValidationError({"contract": PLAN_NOT_REQUIRED})
    if contract.state not in contract_rules.SIGNED_STATES:
        raise ValidationError({"contract": CONTRACT_NOT_SIGNED})


def _content(
    plan: ExitPlan, values: Mapping[str, Any], activities: Iterable[Mapping[str, Any]] | None
) -> list[ExitActivity] | None:
    """Set ``values`` on the plan, checked; the activities made from ``activities`` (unsaved),
    or None to keep them. The rules of 002 §4.9 are checked when the plan is submitted."""
    errors: dict[str, Any] = {}
    contract = plan.contract
    values = dict(values)
    # By id (pages and API): a file or contract that does not exist is refused at its field.
    for name, model, message in (
        ("follow_up_file", AcquisitionFile, FOLLOW_UP_OTHER_CLIENT),
        ("new_contract", Contract, NEW_CONTRACT_INVALID),
    ):
        if f"{name}_id" in values:
            pk = values.pop(f"{name}_id")
            found = model.objects.filter(pk=pk).first() if pk else None
            if pk and found is None:
                errors[name] = message
            values[name] = found
    for name in FIELDS:
        if name in values:
            setattr(plan, name, values[name])
    if rules.warning_months_problem(int(plan.warning_months or 0)):
        errors["warning_months"] = WARNING_MONTHS_INVALID
    file = plan.follow_up_file
    if file is not None and file.client_id != contract.client_id:
        errors["follow_up_file"] = FOLLOW_UP_OTHER_CLIENT
    new = plan.new_contract
    if new is not None:
        if plan.same_supplier:
            errors["new_contract"] = NEW_CONTRACT_WITH_SAME_SUPPLIER
        elif (
            new.pk == contract.pk
            or new.client_id != contract.client_id
            or new.supplier_id == contract.supplier_id
        ):
            errors["new_contract"] = NEW_CONTRACT_INVALID
    rows = None if activities is None else _activities(plan, list(activities), errors)
    if not errors:
        # 002 §4.9: what contradicts it is refused now, not only at the submission.
        errors = checks.plan_problems(plan, rows, only=checks.REFUSED_ON_SAVE)
    if errors:
        raise ValidationError(errors)
    return rows


def _activities(
    plan: ExitPlan, given: list[Mapping[str, Any]], errors: dict[str, Any]
) -> list[ExitActivity]:
    problems: list[str] = []
    if len(given) > rules.MAX_ACTIVITIES:
        problems.append(str(TOO_MANY_ACTIVITIES).format(limit=rules.MAX_ACTIVITIES))
    rows: list[ExitActivity] = []
    for n, row in enumerate(given[: rules.MAX_ACTIVITIES], start=1):
        name = (row.get("name") or "").strip()
        start, end = row.get("start_on"), row.get("end_on")
        if not name:
            problems.append(str(ACTIVITY_NAME_REQUIRED).format(n=n))
        elif len(name) > rules.MAX_NAME_LENGTH:
            problems.append(f"{n} : " + str(TEXT_TOO_LONG).format(limit=rules.MAX_NAME_LENGTH))
        if start is None or end is None:
            problems.append(str(ACTIVITY_DATES_REQUIRED).format(n=n))
        elif end < start:
            problems.append(str(ACTIVITY_END_BEFORE_START).format(n=n))
        rows.append(
            ExitActivity(
                plan=plan,
                order=n,
                name=name,
                start_on=start,
                end_on=end,
                done_on=row.get("done_on"),
            )
        )
    if problems:
        errors["activities"] = problems
    return rows


def _save_content(plan: ExitPlan, rows: list[ExitActivity] | None) -> None:
    plan.updated_at = timezone.now()
    plan.save()
    if rows is not None:
        plan.activities.all().delete()
        ExitActivity.objects.bulk_create(rows)


@transaction.atomic
def exit_plan_create(
    *,
    by: Any,
    contract: Contract,
    activities: Iterable[Mapping[str, Any]] = (),
    **values: Any,
) -> ExitPlan:
    """The client's people open the plan of a concluded or in-force solutions contract (one per
    contract); ``values``: the fields of ``FIELDS``."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=contract.pk)
    )
    permissions.require_view(by, contract)
    _require_actor(by, contract, rules.Actor.CLIENT)
    _check_contract(contract)
    if ExitPlan.objects.filter(contract=contract).exists():
        raise ValidationError({"contract": PLAN_EXISTS})
    plan = ExitPlan(contract=contract, created_by=by, warning_months=default_warning_months())
    rows = _content(plan, values, activities)
    _save_content(plan, rows)
    _record(by, "exit_plan.created", plan, None, {"state": plan.state, **snapshot(plan)})
    return plan


def opened_by_warning(contract: Contract, months: int, today: date) -> ExitPlan:
    """The plan the daily warning opens for a contract without one (no person made it)."""
    plan = ExitPlan.objects.create(contract=contract, warning_months=months, warned_on=today)
    return plan


@transaction.atomic
def exit_plan_update(
    *,
    by: Any,
    plan: ExitPlan,
    activities: Iterable[Mapping[str, Any]] | None = None,
    **values: Any,
) -> ExitPlan:
    """The client changes its plan while it holds it (in preparation or returned)."""
    plan = _lock(plan)
    permissions.require_change(by, plan)
    _require_actor(by, plan.contract, rules.Actor.CLIENT)
    if plan.state not in rules.EDITABLE_STATES:
        raise ValidationError({"action": NOT_EDITABLE})
    before = snapshot(plan)
    rows = _content(plan, values, activities)
    _save_content(plan, rows)
    after = snapshot(plan)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        _record(
            by,
            "exit_plan.updated",
            plan,
            {k: before[k] for k in changed},
            {k: after[k] for k in changed},
        )
    return plan


# --- the moves -------------------------------------------------------------------------------


def _move(by: Any, plan: ExitPlan, action: str, actor: str, values: dict | None = None):
    plan = _lock(plan)
    permissions.require_change(by, plan)
    _require_actor(by, plan.contract, actor)
    PLAN_WORKFLOW.run(
        subject=plan,
        action=action,
        by=by,
        acting_as=actors_of(by, plan.contract),
        values=values or {},
    )
    return plan


def _context(plan: ExitPlan, **more: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "contract": plan.contract,
        "contract_end": checks.contract_end(plan.contract),
        "url": plan_url(plan),
        **more,
    }


@transaction.atomic
def exit_plan_submit(*, by: Any, plan: ExitPlan) -> ExitPlan:
    """The client submits its plan: checked again against 002 §4.9 (every reason refused at its
    field); the broker's staff are told."""
    plan = _move(
        by, plan, rules.Action.SUBMIT, rules.Actor.CLIENT, {"submitted_at": timezone.now()}
    )
    notify(to=broker_staff_emails(), template=SUBMITTED_TEMPLATE, context=_context(plan))
    return plan


@transaction.atomic
def exit_plan_acknowledge(*, by: Any, plan: ExitPlan) -> ExitPlan:
    """The broker takes note of the plan; the client and the outgoing supplier (who performs the
    exit activities) are told."""
    plan = _move(
        by,
        plan,
        rules.Action.ACKNOWLEDGE,
        rules.Actor.BROKER,
        {"acknowledged_at": timezone.now(), "review_comment": ""},
    )
    notify(
        to=client_emails(plan.contract) + supplier_emails(plan.contract),
        template=REVIEWED_TEMPLATE,
        context=_context(plan, returned=False, comment=""),
    )
    return plan


@transaction.atomic
def exit_plan_return(*, by: Any, plan: ExitPlan, comment: str) -> ExitPlan:
    """The broker returns the plan to the client with a comment (required)."""
    comment = (comment or "").strip()
    if len(comment) > rules.MAX_TEXT_LENGTH:
        raise ValidationError({"comment": str(TEXT_TOO_LONG).format(limit=rules.MAX_TEXT_LENGTH)})
    plan = _move(by, plan, rules.Action.RETURN, rules.Actor.BROKER, {"review_comment": comment})
    notify(
        to=client_emails(plan.contract),
        template=REVIEWED_TEMPLATE,
        context=_context(plan, returned=True, comment=comment),
    )
    return plan


@transaction.atomic
def exit_activity_done(
    *, by: Any, plan: ExitPlan, activity: ExitActivity, done_on: date | None = None
) -> ExitActivity:
    """The client records an activity of its submitted plan done (today by default)."""
    plan = _lock(plan)
    permissions.require_change(by, plan)
    _require_actor(by, plan.contract, rules.Actor.CLIENT)
    if plan.state not in rules.RUNNING_STATES:
        raise ValidationError({"action": ACTIVITY_NOT_RUNNING})
    activity = ExitActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk, plan=plan)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": DONE_IN_FUTURE})
    before = activity.done_on
    activity.done_on = done_on
    activity.save(update_fields=["done_on"])
    _record(
        by,
        "exit_plan.activity_done",
        plan,
        {"activity": activity.name, "done_on": before.isoformat() if before else ""},
        {"activity": activity.name, "done_on": done_on.isoformat()},
    )
    return activity


@transaction.atomic
def exit_plan_complete(*, by: Any, plan: ExitPlan) -> ExitPlan:
    """The client states the transition complete, every activity done (002 §4.9)."""
    return _move(
        by, plan, rules.Action.COMPLETE, rules.Actor.CLIENT, {"completed_at": timezone.now()}
    )
