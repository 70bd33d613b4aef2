"""Read-only guards of the two workflows (``workflow``): what keeps each move from happening, as
French problems keyed by field. Never writes; never imports services."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone

from courtier.calendar import rules as calendar_rules
from courtier.calendar import selectors as calendar
from courtier.pricerequests import rules, selectors
from courtier.pricerequests.messages import (
    CANCEL_FIRST,
    CANCEL_REASON_REQUIRED,
    CHANGE_PENDING,
    CHANGE_UNCHANGED,
    DEADLINE_MESSAGES,
    DEADLINE_NOT_PASSED,
    ESTIMATE_REQUIRED,
    GO_BACK_AFTER_SUBMISSION,
    HANDOFF_MESSAGES,
    NEED_MISSING,
    NO_PROVIDER_QUALIFIED,
    NO_QUALIFICATION,
    NOBODY_SOLICITED,
    REQUEST_NOT_SENT,
    RETURN_COMMENT_REQUIRED,
    SCOPE_NOT_CONFIRMED,
    SECTION_MISSING,
    SUMMARY_REQUIRED,
)
from courtier.pricerequests.models import (
    PriceRequest,
    RequestState,
    ServiceFile,
    ServiceFinancialAuthorisation,
    ServiceHeadAuthorisation,
    ServiceResponse,
)

# --- the file ---------------------------------------------------------------------------------


def needs_problems(file: ServiceFile) -> dict[str, Any]:
    """002 §3.1: every need answered before step 2."""
    return {name: NEED_MISSING for name in rules.needs_missing(file.needs_values())}


def scope_problems(file: ServiceFile) -> dict[str, Any]:
    """002 §3.1-3.3.1: qualifications chosen, their scope confirmed, a provider qualified in
    all of them."""
    if not file.qualifications.exists():
        return {"qualifications": NO_QUALIFICATION}
    if file.scope_confirmed_at is None:
        return {"scope_confirmed": SCOPE_NOT_CONFIRMED}
    if not selectors.qualified_providers(file):
        return {"qualifications": NO_PROVIDER_QUALIFIED}
    return {}


def go_back_problems(file: ServiceFile) -> dict[str, Any]:
    request = getattr(file, "request", None)
    if request is not None and request.state != RequestState.DRAFT:
        return {"action": GO_BACK_AFTER_SUBMISSION}
    return {}


def abandon_problems(file: ServiceFile) -> dict[str, Any]:
    """A request sent to providers is cancelled first: they are told (002 §3.3.3)."""
    request = getattr(file, "request", None)
    if request is not None and request.state in rules.SENT_STATES:
        return {"action": CANCEL_FIRST}
    return {}


def opening_problems(file: ServiceFile) -> dict[str, Any]:
    """002 §3.3.3: the responses open together, once the deadline is past."""
    request = getattr(file, "request", None)
    if request is None or request.sent_at is None or request.state == RequestState.CANCELLED:
        return {"action": REQUEST_NOT_SENT}
    if request.state == RequestState.CHANGE_SUBMITTED:
        return {"action": CHANGE_PENDING}
    if not selectors.deadline_passed(request):
        return {"action": DEADLINE_NOT_PASSED}
    return {}


def handoff_facts(file: ServiceFile) -> rules.HandoffFacts:
    choice = getattr(file, "choice", None)
    request = file.request
    submitted = ServiceResponse.objects.filter(solicitation__request=request, state="submitted")
    chosen = choice.response if choice else None
    head = ServiceHeadAuthorisation.objects.filter(file=file).first()
    financial = ServiceFinancialAuthorisation.objects.filter(file=file).first()
    lowest = selectors.lowest_complete_total(request)
    return rules.HandoffFacts(
        has_choice=chosen is not None,
        chosen_complete=bool(chosen and chosen.complete),
        undecided_responses=submitted.filter(complete__isnull=True).count(),
        chosen_is_lowest=bool(chosen and lowest is not None and chosen.total_cents <= lowest),
        chosen_total_cents=chosen.total_cents if chosen else 0,
        subject_to_rcti=file.client.subject_to_rcti,
        single_provider=request.solicitations.count() == 1,
        follows_single_provider_advice=file.follows_single_provider_advice,
        has_head_authorisation=head is not None
        and chosen is not None
        and head.response_id == chosen.pk,
        own_rule=file.own_rule,
        financial_amount_cents=financial.amount_cents if financial else None,
    )


def handoff_problems(file: ServiceFile) -> list[str]:
    """002 §3.4-3.5: what keeps the package from going to the broker."""
    return [str(HANDOFF_MESSAGES[p]) for p in rules.handoff_problems(handoff_facts(file))]


def head_authorisation_needed(file: ServiceFile) -> bool:
    facts = handoff_facts(file)
    return facts.has_choice and rules.head_authorisation_required(
        chosen_is_lowest=facts.chosen_is_lowest,
        subject_to_rcti=facts.subject_to_rcti,
        single_provider=facts.single_provider,
        follows_single_provider_advice=facts.follows_single_provider_advice,
    )


# --- the price request ------------------------------------------------------------------------


def submission_problems(request: PriceRequest) -> dict[str, Any]:
    """002 §3.3.2: every section of the template completed, a summary and the estimated amount,
    at least one provider to solicit."""
    problems: dict[str, Any] = {}
    for section in request.template.sections:
        if not str(request.sections.get(section["code"], "")).strip():
            problems[f"sections.{section['code']}"] = SECTION_MISSING
    if not request.summary.strip():
        problems["summary"] = SUMMARY_REQUIRED
    if not request.estimated_cents:
        problems["estimated_cents"] = ESTIMATE_REQUIRED
    if not request.file.shortlist.filter(included=True).exists():
        problems["shortlist"] = NOBODY_SOLICITED
    return problems


def comment_problems(request: PriceRequest, values: Mapping[str, Any]) -> dict[str, Any]:
    if not str(values.get("return_comment", "")).strip():
        return {"comment": RETURN_COMMENT_REQUIRED}
    return {}


def cancel_problems(request: PriceRequest, values: Mapping[str, Any]) -> dict[str, Any]:
    if not str(values.get("cancel_reason", "")).strip():
        return {"reason": CANCEL_REASON_REQUIRED}
    return {}


def deadline_problems(request: PriceRequest, values: Mapping[str, Any]) -> dict[str, Any]:
    """002 §3.3.3: a deadline 10 to 15 business days after sending, on a business day; the
    question cut-off before it."""
    sent_at: datetime = values["sent_at"]
    deadline_at: datetime = values["deadline_at"]
    sent_on = timezone.localtime(sent_at).date()
    deadline_on = timezone.localtime(deadline_at).date()
    closures = calendar.closure_days()
    days = calendar_rules.business_days_between(sent_on, deadline_on, closures=closures)
    found = rules.deadline_problems(
        sent_on=sent_on,
        deadline_on=deadline_on,
        business_days=days,
        deadline_is_business_day=calendar_rules.is_business_day(deadline_on, closures=closures),
        question_cutoff_on=timezone.localtime(values["question_cutoff_at"]).date(),
    )
    return {
        field: str(DEADLINE_MESSAGES[problem]).format(days=days) for field, problem in found.items()
    }


def change_problems(request: PriceRequest, values: Mapping[str, Any]) -> dict[str, Any]:
    """A change after sending (002 §3.3.3): complete, and changing something."""
    pending = values.get("pending_sections") or {}
    problems: dict[str, Any] = {}
    for section in request.template.sections:
        if not str(pending.get(section["code"], "")).strip():
            problems[f"sections.{section['code']}"] = SECTION_MISSING
    if not problems and pending == request.sections:
        problems["sections"] = CHANGE_UNCHANGED
    return problems
