"""The exit plan page of a solutions contract (002 §4.9): the contract's end and the warning
day, the plan's state and what it awaits from whom, links to the follow-up acquisition file and
to both contracts, what still blocks its submission (in French), its activities; the client's
people open, change, submit and complete it and mark activities done; the broker's agents take
note of it or return it with a comment. Every form posts to ``plan_action`` with its operation,
which calls one service and redirects (PRG), or shows the page again with the service's
refusals (422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.contracts import rules as contract_rules
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Contract
from courtier.core.forms import submit
from courtier.exitplans import checks, forms, policies, rules, selectors
from courtier.exitplans.models import ExitPlan
from courtier.exitplans.services import plans as services
from courtier.exitplans.workflow import PLAN_WORKFLOW

Op = Callable[[HttpRequest, Contract, ExitPlan | None], tuple[bool, str, Any]]


def contract_for(user: Any, pk: int) -> Contract:
    found = contract_selectors.contracts_for(user).filter(pk=pk).first()
    if found is None or not rules.plan_required(found.kind):
        raise Http404  # 002 §4.9: a services contract has no exit plan
    return found


def plan_of(user: Any, contract: Contract) -> ExitPlan | None:
    return selectors.plans_for(user).filter(contract=contract).first()


def plan_form(
    request: HttpRequest, contract: Contract, plan: ExitPlan | None, data: Any = None
) -> forms.PlanForm:
    user = request.user
    files = [
        (f.pk, f"{f.reference} — {f.title}") for f in selectors.follow_up_files(contract, user)
    ]
    contracts = [
        (c.pk, f"{c.reference} — {c.supplier.name} — {c.title}")
        for c in selectors.new_contract_choices(contract, user)
    ]
    existing = plan.activities.count() if plan is not None else 0
    initial = (
        forms.plan_initial(plan)
        if plan is not None
        else {
            "warning_months": services.default_warning_months(),
            "same_supplier": "0",
        }
    )
    rows = existing + forms.BLANK_ROWS
    if data is not None:  # as many rows as were posted
        posted = [k for k in data if k.startswith("name_")]
        rows = max(rows, len(posted))
    return forms.PlanForm(
        data,
        initial=initial,
        files_choices=files,
        contracts_choices=contracts,
        rows=rows,
    )


def page(
    request: HttpRequest, contract: Contract, *, status: int = 200, **bound: Any
) -> HttpResponse:
    user = request.user
    plan = plan_of(user, contract)
    exit = selectors.exit_of(contract, plan)
    runs = policies.runs_contract(user, contract)
    is_broker = policies.is_broker_agent(user)
    context: dict[str, Any] = {
        "contract": contract,
        "plan": plan,
        "exit": exit,
        "runs": runs,
        "is_broker": is_broker,
        "bound": bound,
    }
    if plan is None:
        context["may_create"] = runs and not checks_contract_problem(contract)
        if context["may_create"]:
            context["plan_form"] = bound.get("plan_form") or plan_form(request, contract, None)
    else:
        state = plan.state
        awaiting = PLAN_WORKFLOW.awaits.get(state)
        if awaiting is not None:
            whom = (
                str(PLAN_WORKFLOW.actors[rules.Actor.BROKER])
                if awaiting.actor == rules.Actor.BROKER
                else contract.client.name
            )
            context["awaiting"] = {"label": awaiting.label, "whom": whom}
        context["activities"] = list(plan.activities.all())
        context["overlap"] = _overlap(plan)
        if state in rules.EDITABLE_STATES:
            context["problems"] = [m for ms in checks.plan_problems(plan).values() for m in ms]
            if runs:
                context["plan_form"] = bound.get("plan_form") or plan_form(request, contract, plan)
        context["may_done"] = runs and state in rules.RUNNING_STATES
        context["done_form"] = bound.get("done_form")
        context["may_review"] = is_broker and state == rules.State.SUBMITTED
        if context["may_review"]:
            context["comment_form"] = bound.get("comment_form") or forms.CommentForm()
        context["may_complete"] = runs and state == rules.State.ACKNOWLEDGED
    shown = {id(v) for v in context.values() if isinstance(v, django_forms.Form)}
    context["error_summary"] = [
        str(m)
        for key, form in bound.items()
        if id(form) not in shown
        for errors in form.errors.values()
        for m in errors
    ]
    return render(request, "exitplans/plan.html", context, status=status)


def checks_contract_problem(contract: Contract) -> bool:
    """A plan is opened for a signed solutions contract (002 §4.9)."""
    return contract.state not in contract_rules.SIGNED_STATES


def _overlap(plan: ExitPlan) -> dict[str, Any] | None:
    """002 §4.9: the days the two contracts run together against the days the activities need."""
    if plan.same_supplier or plan.new_contract_id is None:
        return None
    facts = checks.as_rule(plan)
    return {
        "days": rules.overlap_days(facts),
        "needed": rules.needed_days(facts),
        "missing": rules.shortfall_days(facts),
    }


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return page(request, contract_for(request.user, pk))


# --- the operations ----------------------------------------------------------------------------


def _runs(request: HttpRequest, contract: Contract) -> None:
    if not policies.runs_contract(request.user, contract):
        raise PermissionDenied


def _broker(request: HttpRequest, contract: Contract) -> None:
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied


def _needs(plan: ExitPlan | None) -> ExitPlan:
    if plan is None:
        raise Http404
    return plan


def _create(request: HttpRequest, contract: Contract, plan: ExitPlan | None):
    _runs(request, contract)
    form = plan_form(request, contract, None, request.POST)
    return (
        submit(
            form,
            lambda d: services.exit_plan_create(
                by=request.user, contract=contract, activities=form.activities(), **form.values()
            ),
        ).ok,
        "plan_form",
        form,
    )


def _update(request: HttpRequest, contract: Contract, plan: ExitPlan | None):
    _runs(request, contract)
    plan = _needs(plan)
    form = plan_form(request, contract, plan, request.POST)
    return (
        submit(
            form,
            lambda d: services.exit_plan_update(
                by=request.user, plan=plan, activities=form.activities(), **form.values()
            ),
        ).ok,
        "plan_form",
        form,
    )


def _bare(move: Callable[..., Any], guard: Callable[[HttpRequest, Contract], None]) -> Op:
    def op(request: HttpRequest, contract: Contract, plan: ExitPlan | None):
        guard(request, contract)
        found = _needs(plan)
        form = django_forms.Form(request.POST)
        return submit(form, lambda d: move(by=request.user, plan=found)).ok, "move_form", form

    return op


def _return(request: HttpRequest, contract: Contract, plan: ExitPlan | None):
    _broker(request, contract)
    found = _needs(plan)
    form = forms.CommentForm(request.POST)
    return (
        submit(
            form,
            lambda d: services.exit_plan_return(by=request.user, plan=found, comment=d["comment"]),
        ).ok,
        "comment_form",
        form,
    )


def _done(request: HttpRequest, contract: Contract, plan: ExitPlan | None):
    _runs(request, contract)
    found = _needs(plan)
    form = forms.DoneForm(request.POST)

    def mark(d: dict[str, Any]) -> Any:
        activity = found.activities.filter(pk=d["activity"]).first()
        if activity is None:
            raise Http404
        return services.exit_activity_done(
            by=request.user, plan=found, activity=activity, done_on=d.get("done_on")
        )

    return submit(form, mark).ok, "done_form", form


OPS: dict[str, tuple[Op, str]] = {
    "creer": (_create, _("Plan de transition à la sortie enregistré.")),
    "modifier": (_update, _("Plan de transition à la sortie enregistré.")),
    "soumettre": (
        _bare(services.exit_plan_submit, _runs),
        _("Plan soumis au Courtier, qui en prendra acte."),
    ),
    "prendre-acte": (
        _bare(services.exit_plan_acknowledge, _broker),
        _("Plan pris en compte ; le client et le fournisseur en sont avisés."),
    ),
    "retourner": (_return, _("Plan retourné au client avec votre commentaire.")),
    "activite-faite": (_done, _("Activité marquée faite.")),
    "terminer": (
        _bare(services.exit_plan_complete, _runs),
        _("Transition à la sortie complétée."),
    ),
}


@require_POST
def plan_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    contract = contract_for(request.user, pk)
    if op not in OPS:
        raise Http404
    run, message = OPS[op]
    ok, key, form = run(request, contract, plan_of(request.user, contract))
    if ok:
        messages.success(request, message)
        return redirect(reverse("exitplans:plan", args=[contract.pk]))
    return page(request, contract_for(request.user, pk), status=422, **{key: form})
