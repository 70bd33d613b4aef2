"""Responses and non-participation questionnaires (002 §3.3.3, §3.5): a solicited provider
saves its response as a draft (its price in the request's mode, its answers to the declared
criteria, the documents asked for, in the store) and submits it before the deadline, one second
late being late; a provider that did not respond returns its questionnaire."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.core.mail import notify
from courtier.documents.services.store import document_keep
from courtier.pricerequests import policies, rules
from courtier.pricerequests.messages import (
    ALREADY_RETURNED,
    ALREADY_SUBMITTED,
    CHANGE_PENDING,
    DEADLINE_PASSED,
    DOCUMENT_MISSING,
    NOT_OPENED,
    PRICE_MESSAGES,
    REASON_REQUIRED,
    REQUEST_NOT_OPEN,
    TEXT_TOO_LONG,
    UNKNOWN_CRITERION,
    UNKNOWN_DOCUMENT_ASKED,
    UNKNOWN_REASON,
)
from courtier.pricerequests.models import (
    NonParticipation,
    NonParticipationReason,
    NonParticipationState,
    ResponseState,
    ServiceResponse,
    Solicitation,
)
from courtier.pricerequests.services.common import (
    _record,
    _require_change,
    _text,
    client_emails,
    file_url,
)


def _lock_solicitation(solicitation: Solicitation) -> Solicitation:
    return (
        Solicitation.objects.select_for_update()
        .select_related("request__file", "request__template", "provider")
        .get(pk=solicitation.pk)
    )


def _require_open(solicitation: Solicitation, field: str = "response") -> None:
    """002 §3.3.3: responses are received while the request is out and the deadline not past."""
    request = solicitation.request
    if request.state not in rules.SENT_STATES:
        raise ValidationError({field: REQUEST_NOT_OPEN})
    if not rules.submitted_in_time(
        submitted_at_epoch=timezone.now().timestamp(),
        deadline_epoch=request.deadline_at.timestamp(),
    ):
        raise ValidationError({field: DEADLINE_PASSED})


def _lines(values: Sequence[Mapping[str, Any]]) -> list[rules.PriceLine]:
    lines = []
    for value in values[: rules.MAX_LINES + 1]:
        hours = rules.parse_hours(value.get("hours"))
        rate = value.get("rate_cents")
        lines.append(
            rules.PriceLine(
                activity=str(value.get("activity", "")).strip()[:300],
                rate_cents=rate if isinstance(rate, int) and not isinstance(rate, bool) else 0,
                hours=hours if hours is not None else Decimal(-1),
            )
        )
    return lines


def _response_of(solicitation: Solicitation) -> ServiceResponse:
    response, _created = ServiceResponse.objects.select_for_update().get_or_create(
        solicitation=solicitation
    )
    return response


@transaction.atomic
def response_save(
    *,
    by: User,
    solicitation: Solicitation,
    lines: Sequence[Mapping[str, Any]] = (),
    lump_sum_cents: int | None = None,
    criteria_answers: Mapping[str, str] | None = None,
) -> ServiceResponse:
    """Save the provider's draft: its price in the request's mode, with the total computed in
    cents, and its answers to the criteria the request declared."""
    solicitation = _lock_solicitation(solicitation)
    _require_change(by, solicitation)
    _require_open(solicitation)
    response = _response_of(solicitation)
    if response.state == ResponseState.SUBMITTED:
        raise ValidationError({"response": ALREADY_SUBMITTED})
    mode = solicitation.request.file.remuneration
    parsed = _lines(lines)
    errors: dict[str, Any] = {
        field: PRICE_MESSAGES[problem]
        for field, problem in rules.price_problems(
            mode=mode, lines=parsed, lump_sum_cents=lump_sum_cents
        ).items()
        if not (field == "lines" and problem == rules.PriceProblem.NO_LINES)  # a draft may wait
        and not (field == "lump_sum_cents" and lump_sum_cents is None)
    }
    if len(parsed) > rules.MAX_LINES:
        errors["lines"] = str(TEXT_TOO_LONG).format(limit=rules.MAX_LINES)
    answers: dict[str, str] = {}
    declared = solicitation.request.criteria_codes()
    for code, text in (criteria_answers or {}).items():
        if code not in declared:
            errors["criteria_answers"] = str(UNKNOWN_CRITERION).format(codes=code)
            continue
        answers[code] = _text(errors, f"criteria_answers.{code}", str(text), rules.MAX_TEXT_LENGTH)
    if errors:
        raise ValidationError(errors)
    before = response.audit_snapshot()
    response.lines = [
        {"activity": line.activity, "rate_cents": line.rate_cents, "hours": str(line.hours)}
        for line in parsed
    ]
    response.lump_sum_cents = lump_sum_cents
    response.criteria_answers = answers
    response.total_cents = rules.response_total_cents(
        mode=mode, lines=parsed, lump_sum_cents=lump_sum_cents
    )
    response.updated_at = timezone.now()
    response.save()
    after = response.audit_snapshot()
    if after != before:
        _record(by, "service_response.saved", response, solicitation.request.file, before, after)
    return response


@transaction.atomic
def response_document_add(
    *,
    by: User,
    solicitation: Solicitation,
    asked: str,
    name: str,
    content: bytes,
    content_type: str,
) -> ServiceResponse:
    """Join one of the documents the request asks for (checked as every upload), kept in the
    store as a document of the response: sealed with it until the opening."""
    solicitation = _lock_solicitation(solicitation)
    _require_change(by, solicitation)
    _require_open(solicitation, "document")
    if asked not in solicitation.request.documents_asked:
        raise ValidationError({"asked": UNKNOWN_DOCUMENT_ASKED})
    response = _response_of(solicitation)
    if response.state == ResponseState.SUBMITTED:
        raise ValidationError({"document": ALREADY_SUBMITTED})
    document_keep(
        by=by,
        subject=response,
        type="provider_response",
        title=asked,
        name=name,
        content=content,
        content_type=content_type,
        confidential=False,  # seen by whoever may see the response: sealed by its policy
    )
    response.updated_at = timezone.now()
    response.save(update_fields=["updated_at"])
    return response


@transaction.atomic
def response_submit(*, by: User, solicitation: Solicitation) -> ServiceResponse:
    """Submit the response before the deadline (002 §3.3.3): its price complete in the request's
    mode and every document asked for joined. Sealed from now until the opening."""
    solicitation = _lock_solicitation(solicitation)
    _require_change(by, solicitation)
    _require_open(solicitation)
    request = solicitation.request
    if request.state == rules.RequestState.CHANGE_SUBMITTED:
        raise ValidationError({"response": CHANGE_PENDING})
    response = _response_of(solicitation)
    if response.state == ResponseState.SUBMITTED:
        raise ValidationError({"response": ALREADY_SUBMITTED})
    mode = request.file.remuneration
    parsed = [
        rules.PriceLine(
            activity=line["activity"],
            rate_cents=line["rate_cents"],
            hours=Decimal(line["hours"]),
        )
        for line in response.lines
    ]
    errors: dict[str, Any] = {
        field: PRICE_MESSAGES[problem]
        for field, problem in rules.price_problems(
            mode=mode, lines=parsed, lump_sum_cents=response.lump_sum_cents
        ).items()
    }
    joined = set(response.documents.values_list("title", flat=True))
    for index, label in enumerate(request.documents_asked):
        if label not in joined:
            errors[f"documents.{index}"] = str(DOCUMENT_MISSING).format(label=label)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    response.state = ResponseState.SUBMITTED
    response.submitted_at = now
    response.submitted_by = by
    response.updated_at = now
    response.save()
    _record(
        by,
        "service_response.submitted",
        response,
        request.file,
        {"state": ResponseState.DRAFT},
        {"state": ResponseState.SUBMITTED, "submitted_at": now},
    )
    notify(
        to=client_emails(request.file),
        template="pricerequests/email/response_received",
        context={"file": request.file, "request": request, "url": file_url(request.file)},
    )
    return response


@transaction.atomic
def response_completeness_record(
    *, by: User, response: ServiceResponse, complete: bool, note: str = ""
) -> ServiceResponse:
    """002 §3.4: the client checks that the provider understood the need and answered every
    element of the request, once the responses are opened; kept per response."""
    response = (
        ServiceResponse.objects.select_for_update()
        .select_related("solicitation__request__file")
        .get(pk=response.pk)
    )
    if not policies.response_is_open(response):
        raise ValidationError({"response": NOT_OPENED})
    file = response.solicitation.request.file
    if not policies.runs_file(file, permissions.grants(by)) or file.state != rules.State.CHOICE:
        raise PermissionDenied
    errors: dict[str, Any] = {}
    note = _text(errors, "note", note, rules.MAX_REASON_LENGTH)
    if errors:
        raise ValidationError(errors)
    before = {"complete": response.complete, "completeness_note": response.completeness_note}
    response.complete = complete
    response.completeness_note = note
    response.save(update_fields=["complete", "completeness_note"])
    after = {"complete": complete, "completeness_note": note}
    if after != before:
        _record(by, "service_response.completeness_recorded", response, file, before, after)
    return response


@transaction.atomic
def non_participation_return(
    *, by: User, questionnaire: NonParticipation, reasons: Sequence[str], comment: str = ""
) -> NonParticipation:
    """002 §3.5: the provider that did not respond says why (reasons from the list, a
    comment)."""
    questionnaire = (
        NonParticipation.objects.select_for_update()
        .select_related("solicitation__request__file")
        .get(pk=questionnaire.pk)
    )
    _require_change(by, questionnaire)
    if questionnaire.state != NonParticipationState.PENDING:
        raise ValidationError({"reasons": ALREADY_RETURNED})
    errors: dict[str, Any] = {}
    wanted = list(dict.fromkeys(reasons))
    unknown = [r for r in wanted if r not in NonParticipationReason.values]
    if unknown:
        errors["reasons"] = str(UNKNOWN_REASON).format(codes=", ".join(unknown))
    elif not wanted:
        errors["reasons"] = REASON_REQUIRED
    comment = _text(errors, "comment", comment, rules.MAX_REASON_LENGTH)
    if errors:
        raise ValidationError(errors)
    questionnaire.state = NonParticipationState.RETURNED
    questionnaire.reasons = wanted
    questionnaire.comment = comment
    questionnaire.returned_at = timezone.now()
    questionnaire.returned_by = by
    questionnaire.save()
    file = questionnaire.solicitation.request.file
    _record(
        by,
        "non_participation.returned",
        questionnaire,
        file,
        {"state": NonParticipationState.PENDING},
        {"state": NonParticipationState.RETURNED, "reasons": wanted, "comment": comment},
    )
    notify(
        to=client_emails(file),
        template="pricerequests/email/non_participation_returned",
        context={"file": file, "url": file_url(file)},
    )
    return questionnaire
