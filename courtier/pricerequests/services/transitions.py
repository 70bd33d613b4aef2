"""The moves of a service file and of its price request (``workflow``): the client's moves of
the file between steps; the request submitted to the broker, validated or returned, sent with
its deadline, changed after sending (validated again), cancelled."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts.models import User
from courtier.pricerequests import policies, rules
from courtier.pricerequests.messages import (
    CRITERIA_FROZEN,
    REQUEST_NOT_SENT,
    SEND_BEFORE_VALIDATION,
    WRONG_STEP,
)
from courtier.pricerequests.models import PriceRequest, RequestState, ServiceFile
from courtier.pricerequests.services.common import (
    _lock_file,
    _lock_request,
    _require_change,
)
from courtier.pricerequests.services.requests import clean_sections
from courtier.pricerequests.workflow import FILE_WORKFLOW, REQUEST_WORKFLOW

TORONTO = ZoneInfo("America/Toronto")
DEFAULT_DEADLINE_TIME = time(14, 0)  # the hour a deadline falls at, unless the client says


@transaction.atomic
def service_file_transition(*, by: User, file: ServiceFile, action: str) -> ServiceFile:
    """A client's move of the file: forward, back, abandon (403 for the others)."""
    file = _lock_file(file)
    _require_change(by, file)
    FILE_WORKFLOW.run(subject=file, action=action, by=by, acting_as={rules.Actor.CLIENT})
    return file


def _as(by: User, request: PriceRequest, action: str) -> set[str]:
    """The actors ``by`` may act as on this request: its client's people, the broker's agents."""
    move = REQUEST_WORKFLOW.find(request.state, action)
    if move is not None and move.actor == rules.Actor.BROKER:
        if not policies.may_validate(by):
            raise PermissionDenied
        return {rules.Actor.BROKER}
    _require_change(by, request)
    return {rules.Actor.CLIENT}


def _move(by: User, request: PriceRequest, action: str, values: dict[str, Any]) -> PriceRequest:
    request = _lock_request(request)
    if request.file.state != rules.State.SOLICITATION:
        raise ValidationError({"state": WRONG_STEP})
    REQUEST_WORKFLOW.run(
        subject=request, action=action, by=by, acting_as=_as(by, request, action), values=values
    )
    return request


@transaction.atomic
def price_request_submit(*, by: User, request: PriceRequest) -> PriceRequest:
    """002 §3.3.2: the completed request goes to the broker with its summary and estimate."""
    return _move(
        by,
        request,
        rules.RequestAction.SUBMIT,
        {"submitted_at": timezone.now(), "return_comment": ""},
    )


@transaction.atomic
def price_request_approve(*, by: User, request: PriceRequest) -> PriceRequest:
    """The broker validates the request (scope adequacy) and authorises sending (002 §3.3.2)."""
    return _move(
        by, request, rules.RequestAction.APPROVE, {"approved_by": by, "approved_at": timezone.now()}
    )


@transaction.atomic
def price_request_return(*, by: User, request: PriceRequest, comment: str) -> PriceRequest:
    """The broker returns the request with a required comment."""
    return _move(by, request, rules.RequestAction.RETURN, {"return_comment": comment.strip()})


def _at(day: date, hour: time) -> datetime:
    return datetime.combine(day, hour, tzinfo=TORONTO)


@transaction.atomic
def price_request_send(
    *,
    by: User,
    request: PriceRequest,
    deadline_on: date,
    question_cutoff_on: date,
    deadline_time: time | None = None,
) -> PriceRequest:
    """002 §3.3.3: once validated, the request goes to each solicited provider separately, with
    its deadline (10 to 15 business days) and the question cut-off, both fixed for good."""
    locked = _lock_request(request)
    if locked.state in (RequestState.DRAFT, RequestState.SUBMITTED, RequestState.RETURNED):
        _require_change(by, locked)
        raise ValidationError({"action": SEND_BEFORE_VALIDATION})
    now = timezone.now()
    values = {
        "sent_at": now,
        "deadline_at": _at(deadline_on, deadline_time or DEFAULT_DEADLINE_TIME),
        "question_cutoff_at": _at(question_cutoff_on, time(23, 59, 59)),
        "return_comment": "",
    }
    return _move(by, locked, rules.RequestAction.SEND, values)


@transaction.atomic
def price_request_change_submit(
    *, by: User, request: PriceRequest, sections: dict[str, Any], **others: Any
) -> PriceRequest:
    """After sending (e.g. after a question), a change of the sections goes to the broker for
    validation before any provider sees it (002 §3.3.3); the criteria, the documents asked and
    the deadline never change once sent."""
    if others:
        raise ValidationError({next(iter(others)): CRITERIA_FROZEN})
    locked = _lock_request(request)
    if locked.state not in rules.SENT_STATES:
        _require_change(by, locked)
        raise ValidationError({"action": REQUEST_NOT_SENT})
    errors: dict[str, Any] = {}
    merged = clean_sections(locked, sections, errors)
    if errors:
        raise ValidationError(errors)
    return _move(
        by,
        locked,
        rules.RequestAction.SUBMIT_CHANGE,
        {"pending_sections": merged, "return_comment": ""},
    )


@transaction.atomic
def price_request_change_approve(*, by: User, request: PriceRequest) -> PriceRequest:
    """The broker validates the change: it is published, and every solicited provider told."""
    return _move(
        by,
        request,
        rules.RequestAction.APPROVE_CHANGE,
        {"approved_by": by, "approved_at": timezone.now()},
    )


@transaction.atomic
def price_request_change_return(*, by: User, request: PriceRequest, comment: str) -> PriceRequest:
    """The broker refuses the change: the request stays as sent."""
    return _move(
        by,
        request,
        rules.RequestAction.RETURN_CHANGE,
        {"return_comment": comment.strip(), "pending_sections": None},
    )


@transaction.atomic
def price_request_revise(*, by: User, request: PriceRequest) -> PriceRequest:
    """Before sending, the client takes a validated request back to correct it: the broker's
    validation no longer holds and the request must be submitted again (002 §3.3.2)."""
    return _move(
        by, request, rules.RequestAction.REVISE, {"approved_by": None, "approved_at": None}
    )


@transaction.atomic
def price_request_cancel(*, by: User, request: PriceRequest, reason: str) -> PriceRequest:
    """The client cancels the request; every solicited provider is told (002 §3.3.3)."""
    return _move(
        by,
        request,
        rules.RequestAction.CANCEL,
        {"cancelled_at": timezone.now(), "cancel_reason": reason.strip()},
    )
