"""The list of exit plans (002 §4.9): the signed solutions contracts a person sees, each with
its end, the day the client is warned (DOMAIN §5.9) and its plan's state; the broker sees them
all, a client its own, a supplier its own contracts'."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtier.exitplans import policies, selectors
from courtier.exitplans.models import PlanState

NO_PLAN = "none"


def plan_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_list(request.user):
        raise PermissionDenied
    state = request.GET.get("etat") or None
    if state not in [*PlanState.values, NO_PLAN]:
        state = None
    context = {
        "rows": selectors.contract_exits(request.user, state)[:200],
        "states": PlanState.choices,
        "state": state,
        "no_plan": NO_PLAN,
        "is_broker": policies.is_broker_agent(request.user),
    }
    return render(request, "exitplans/plan_list.html", context)
