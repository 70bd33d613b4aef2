"""The annual evaluation campaigns (002 §4.8.1): the broker opens one per supplier or provider for
a year, on the current grid, with a due date; every client body with a contract of it in force is
asked (a request and an email); the client's people fill in the grid (a score per criterion, a
comment), save it, then submit it once; the broker closes the campaign (the requests still open
lapse) and reads the per-supplier summary for its annual meeting. A request past its due date is
reminded once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.selectors import broker_staff_emails
from courtier.contracts.models import Contract, ContractState
from courtier.core.mail import notify
from courtier.evaluations import messages, policies, rules
from courtier.evaluations.models import (
    Campaign,
    EvaluationRequest,
    EvaluationScore,
    RequestState,
)
from courtier.evaluations.services.common import (
    _now,
    _record,
    _text,
    _today,
    client_emails,
    require_broker,
)
from courtier.evaluations.services.grid import current_grid
from courtier.evaluations.workflow import CAMPAIGN_WORKFLOW, REQUEST_WORKFLOW

ASKED_TEMPLATE = "evaluations/email/asked"
REMINDER_TEMPLATE = "evaluations/email/reminder"
SUBMITTED_TEMPLATE = "evaluations/email/submitted"
SUPPLIER_KINDS = (OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER)


def request_url(request: EvaluationRequest) -> str:
    return reverse("evaluations:request_detail", args=[request.pk])


def _context(request: EvaluationRequest) -> dict[str, Any]:
    return {
        "supplier": request.campaign.supplier.name,
        "client": request.client.name,
        "year": request.campaign.year,
        "due_on": request.due_on,
        "url": request_url(request),
    }


# --- opening and closing -----------------------------------------------------------------------


@transaction.atomic
def campaign_open(*, by: Any, supplier: Organisation, year: int, due_on: date | None) -> Campaign:
    """002 §4.8.1: the campaign of ``supplier`` for ``year`` on the current grid version; each
    client body with a contract of it in force gets a request (its contracts, the due date) and
    an email."""
    require_broker(by)
    errors: dict[str, Any] = {}
    grid = current_grid()
    if grid is None:
        errors["grid"] = messages.NO_GRID
    if supplier is None or supplier.kind not in SUPPLIER_KINDS:
        errors["supplier"] = messages.NOT_A_SUPPLIER
    elif Campaign.objects.filter(supplier=supplier, year=year).exists():
        errors["year"] = messages.CAMPAIGN_EXISTS
    if not year or not 2000 <= int(year) <= 2100:
        errors["year"] = messages.YEAR_INVALID
    if due_on is None:
        errors["due_on"] = messages.REQUIRED
    elif due_on < _today():
        errors["due_on"] = messages.DUE_IN_PAST
    if errors:
        raise ValidationError(errors)
    in_force = Contract.objects.filter(supplier=supplier, state=ContractState.IN_FORCE)
    by_client: dict[int, list[Contract]] = {}
    for contract in in_force.order_by("client_id", "pk"):
        by_client.setdefault(contract.client_id, []).append(contract)
    if not by_client:
        raise ValidationError({"supplier": messages.NO_CONTRACT_IN_FORCE})
    campaign = Campaign.objects.create(
        year=year, supplier=supplier, grid=grid, due_on=due_on, opened_by=by, opened_at=_now()
    )
    _record(
        by,
        "campaign.opened",
        campaign,
        supplier.pk,
        None,
        {
            "year": year,
            "supplier": supplier.name,
            "grid": grid.number,
            "due_on": due_on.isoformat(),
            "clients": len(by_client),
        },
    )
    criteria = list(grid.criteria.all())
    for client_id, contracts in by_client.items():
        request = EvaluationRequest.objects.create(
            campaign=campaign, client_id=client_id, due_on=due_on
        )
        request.contracts.set(contracts)
        EvaluationScore.objects.bulk_create(
            [EvaluationScore(request=request, criterion=c) for c in criteria]
        )
        after = {"contracts": ", ".join(c.reference for c in contracts), "due_on": str(due_on)}
        _record(by, "evaluation.requested", request, client_id, None, after)
        notify(to=client_emails(client_id), template=ASKED_TEMPLATE, context=_context(request))
    return campaign


@transaction.atomic
def campaign_close(*, by: Any, campaign: Campaign) -> Campaign:
    """The broker closes the campaign (002 §4.8.1): the requests still open lapse, the summary
    is final."""
    require_broker(by)
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    now = _now()
    locked.closed_at = now
    CAMPAIGN_WORKFLOW.run(
        subject=locked,
        action=rules.CampaignAction.CLOSE,
        by=by,
        acting_as={rules.Actor.BROKER},
        save=lambda subject, _move: subject.save(update_fields=["state", "closed_at"]),
    )
    still_open = EvaluationRequest.objects.select_for_update().filter(
        campaign=locked, state=RequestState.OPEN
    )
    for request in still_open:
        request.updated_at = now
        REQUEST_WORKFLOW.run(
            subject=request,
            action=rules.RequestAction.LAPSE,
            by=by,
            acting_as={rules.Actor.SYSTEM},
            save=lambda subject, _move: subject.save(update_fields=["state", "updated_at"]),
        )
    return locked


# --- the client's grid -------------------------------------------------------------------------


def _lock_request(request: EvaluationRequest) -> EvaluationRequest:
    return (
        EvaluationRequest.objects.select_for_update(of=("self",))
        .select_related("campaign__grid", "campaign__supplier", "client")
        .get(pk=request.pk)
    )


def _require_client(by: Any, request: EvaluationRequest) -> None:
    if not policies.runs_client(by, request.client_id):
        raise PermissionDenied


def _write_scores(
    request: EvaluationRequest, scores: dict[str, Any], comments: dict[str, str]
) -> tuple[dict[str, Any], dict[str, EvaluationScore]]:
    """Each criterion's score (a whole number on the scale, or none yet) and comment, written
    only when all are right (a criterion left out keeps what was saved); the problems keyed
    ``score_<key>`` / ``comment_<key>``, and the rows as given (by criterion key)."""
    grid = request.campaign.grid
    errors: dict[str, Any] = {}
    rows = {s.criterion.key: s for s in request.scores.select_related("criterion")}
    unknown = (set(scores) | set(comments)) - set(rows)
    if unknown:
        errors["scores"] = messages.SCORE_PROBLEMS["unknown_criterion"]
    for key, row in rows.items():
        if key in comments:
            row.comment = _text(errors, f"comment_{key}", comments[key])
        if key not in scores:
            continue
        value = scores[key]
        if value in (None, ""):
            row.score = None
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                number = None
            if number is None or not grid.scale_min <= number <= grid.scale_max:
                errors[f"score_{key}"] = messages.SCORE_PROBLEMS["score_out_of_scale"]
            row.score = number
    if not errors:
        EvaluationScore.objects.bulk_update(list(rows.values()), ["score", "comment"])
    return errors, rows


def _require_open(request: EvaluationRequest) -> None:
    if request.state != RequestState.OPEN:
        raise ValidationError({"action": messages.REQUEST_REFUSED})


@transaction.atomic
def evaluation_save(
    *,
    by: Any,
    request: EvaluationRequest,
    scores: dict[str, Any],
    comments: dict[str, str] | None = None,
    general_comment: str = "",
) -> EvaluationRequest:
    """The client's people save the grid as it stands (002 §4.8.1), complete or not."""
    locked = _lock_request(request)
    _require_client(by, locked)
    _require_open(locked)
    errors, _rows = _write_scores(locked, scores, comments or {})
    locked.general_comment = _text(errors, "general_comment", general_comment)
    if errors:
        raise ValidationError(errors)
    locked.updated_at = _now()
    locked.save(update_fields=["general_comment", "updated_at"])
    filled = sum(1 for s in locked.scores.all() if s.score is not None)
    _record(by, "evaluation.saved", locked, locked.client_id, None, {"scored": filled})
    return locked


@transaction.atomic
def evaluation_submit(
    *,
    by: Any,
    request: EvaluationRequest,
    scores: dict[str, Any],
    comments: dict[str, str] | None = None,
    general_comment: str = "",
) -> EvaluationRequest:
    """The grid saved and submitted to the broker (002 §4.8.1): every criterion scored
    (rules.score_problems); once submitted it never changes."""
    locked = _lock_request(request)
    _require_client(by, locked)
    _require_open(locked)
    errors, rows = _write_scores(locked, scores, comments or {})
    locked.general_comment = _text(errors, "general_comment", general_comment)
    # The scores as given (not yet written when another one is wrong): each one needed.
    for key, row in rows.items():
        if row.score is None and f"score_{key}" not in errors:
            errors[f"score_{key}"] = messages.SCORE_PROBLEMS["score_missing"]
    if errors:
        raise ValidationError(errors)
    grid = locked.campaign.grid.as_grid()
    values = {key: row.score for key, row in rows.items()}
    locked.weighted_score = rules.weighted_score(grid, values)
    locked.submitted_on, locked.submitted_by, locked.updated_at = _today(), by, _now()
    REQUEST_WORKFLOW.run(
        subject=locked,
        action=rules.RequestAction.SUBMIT,
        by=by,
        acting_as={rules.Actor.CLIENT},
        values={"weighted_score": locked.weighted_score},
        save=lambda subject, _move: subject.save(
            update_fields=[
                "state",
                "general_comment",
                "weighted_score",
                "submitted_on",
                "submitted_by",
                "updated_at",
            ]
        ),
    )
    notify(
        to=broker_staff_emails(),
        template=SUBMITTED_TEMPLATE,
        context=_context(locked) | {"url": campaign_url(locked.campaign)},
    )
    return locked


def campaign_url(campaign: Campaign) -> str:
    return reverse("evaluations:campaign_detail", args=[campaign.pk])


# --- the reminder ------------------------------------------------------------------------------


def evaluations_remind_overdue(today: date | None = None) -> int:
    """Each open request past its due date emails its client once (002 §4.8.1); run daily
    (`courtier remind-evaluations`). The number reminded."""
    today = today or _today()
    due = EvaluationRequest.objects.filter(
        state=RequestState.OPEN, due_on__lt=today, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            request = (
                EvaluationRequest.objects.select_for_update(of=("self",))
                .select_related("campaign__supplier", "client")
                .get(pk=pk)
            )
            if request.reminded_at is not None or request.state != RequestState.OPEN:
                continue
            request.reminded_at = _now()
            request.save(update_fields=["reminded_at"])
            after = {"due_on": request.due_on.isoformat()}
            _record(None, "evaluation.reminded", request, request.client_id, None, after)
            notify(
                to=client_emails(request.client_id),
                template=REMINDER_TEMPLATE,
                context=_context(request),
            )
            reminded += 1
    return reminded
