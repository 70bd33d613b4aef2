"""What the moves of ``workflow.FILE_WORKFLOW`` and ``workflow.REQUEST_WORKFLOW`` write and what
follows them (002 §3): each move's own audit event, the writes made with it in the service's
transaction (the shortlist and the request, the solicitations and their pseudonyms, a validated
change, the responses opened and the questionnaires owed, the frozen package) and the effects
after the commit (the emails, and the request's PDF rendered by a task)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from courtier.accounts.selectors import broker_staff_emails
from courtier.core.mail import notify
from courtier.core.workflow import Outcome, Transition
from courtier.documents.services.retention import retention_recompute
from courtier.pricerequests import rules, tasks
from courtier.pricerequests.models import (
    HandoffPackage,
    NonParticipation,
    NonParticipationState,
    PriceRequest,
    ServiceFile,
    Solicitation,
)
from courtier.pricerequests.services.common import _record, client_emails, file_url
from courtier.pricerequests.services.files import shortlist_fill
from courtier.pricerequests.services.package import package_content
from courtier.pricerequests.services.requests import price_request_start

# --- the moves themselves ------------------------------------------------------------------------


def file_move_save(file: ServiceFile, move: Transition) -> None:
    file.updated_at = timezone.now()
    file.save(update_fields=["state", "updated_at"])


def file_move_record(
    by: Any, file: ServiceFile, move: Transition, before: str, values: Mapping[str, Any]
) -> None:
    _record(by, f"service_file.{move.action}", file, file, {"state": before}, {"state": file.state})


def request_move_save(request: PriceRequest, move: Transition) -> None:
    request.updated_at = timezone.now()
    request.save()


_RECORDED = ("return_comment", "cancel_reason", "deadline_at", "question_cutoff_at", "sent_at")


def request_move_record(
    by: Any, request: PriceRequest, move: Transition, before: str, values: Mapping[str, Any]
) -> None:
    after: dict[str, Any] = {"state": request.state, "revision": request.revision}
    after.update({k: values[k] for k in _RECORDED if values.get(k)})
    if values.get("pending_sections"):
        after["pending_sections"] = values["pending_sections"]
    _record(by, f"price_request.{move.action}", request, request.file, {"state": before}, after)


# --- writes of the file's moves ------------------------------------------------------------------


def file_closed(outcome: Outcome) -> None:
    """An abandoned file closes today: its documents count their retention from it (DOMAIN §7)."""
    file = outcome.subject
    file.closed_on = timezone.localdate()
    file.save(update_fields=["closed_on"])
    retention_recompute(subject=file)


def shortlist_and_request(outcome: Outcome) -> None:
    """Step 3 (002 §3.3.1-3.3.2): the providers qualified in every chosen qualification
    preselected, and the request started on the broker's latest template."""
    shortlist_fill(outcome.subject)
    price_request_start(outcome.subject)


def responses_opened(outcome: Outcome) -> None:
    """002 §3.3.3, §3.5: the responses open together after the deadline; each solicited provider
    that did not respond owes a non-participation questionnaire."""
    request = outcome.subject.request
    request.opened_at = timezone.now()
    request.save(update_fields=["opened_at"])
    silent = request.solicitations.exclude(response__state="submitted")
    for solicitation in silent:
        NonParticipation.objects.get_or_create(solicitation=solicitation)


def package_frozen(outcome: Outcome) -> None:
    """002 §3.5: a questionnaire not returned by now is recorded as never returned, then the
    package is frozen for the broker."""
    file = outcome.subject
    pending = NonParticipation.objects.filter(
        solicitation__request=file.request, state=NonParticipationState.PENDING
    )
    for questionnaire in pending:
        questionnaire.state = NonParticipationState.NEVER_RETURNED
        questionnaire.save(update_fields=["state"])
        _record(
            outcome.by,
            "non_participation.never_returned",
            questionnaire,
            file,
            {"state": NonParticipationState.PENDING},
            {"state": NonParticipationState.NEVER_RETURNED},
        )
    chosen = file.choice.response
    HandoffPackage.objects.create(
        file=file,
        provider=chosen.solicitation.provider,
        total_cents=chosen.total_cents,
        content=package_content(file),
        handed_off_by=outcome.by,
    )


# --- writes of the request's moves ---------------------------------------------------------------


def solicitations_create(outcome: Outcome) -> None:
    """002 §3.3.3: one solicitation per provider on the list, each with a pseudonym drawn at
    random (« Prestataire A »...) and its contacts as they were at sending."""
    request = outcome.subject
    entries = list(request.file.shortlist.filter(included=True).order_by("provider__name"))
    for entry, index in zip(entries, rules.pseudonym_order(len(entries)), strict=True):
        Solicitation.objects.create(
            request=request,
            provider=entry.provider,
            pseudonym=rules.pseudonym(index),
            contacts=entry.contacts,
            sent_at=request.sent_at,
        )


def change_applied(outcome: Outcome) -> None:
    """A change validated by the broker becomes the request's next revision."""
    request = outcome.subject
    request.sections = request.pending_sections or request.sections
    request.pending_sections = None
    request.revision += 1
    request.save(update_fields=["sections", "pending_sections", "revision"])


# --- effects, after the commit -------------------------------------------------------------------


def _request_context(request: PriceRequest) -> dict[str, Any]:
    return {"request": request, "file": request.file, "url": file_url(request.file)}


def broker_told_submitted(outcome: Outcome) -> None:
    """002 §3.3.2: the broker's agents validate the request (or the change) before it goes out."""
    notify(
        to=broker_staff_emails(),
        template="pricerequests/email/validation_asked",
        context={**_request_context(outcome.subject), "change": outcome.transition.action},
    )


def client_told_decided(outcome: Outcome) -> None:
    """The client's people learn the broker's decision, with its comment."""
    notify(
        to=client_emails(outcome.subject.file),
        template="pricerequests/email/validation_decided",
        context={**_request_context(outcome.subject), "action": outcome.transition.action},
    )


def solicitation_sent(outcome: Outcome) -> None:
    """Each solicited provider's contacts get their own email with the request (PDF) and the
    contract template: no provider learns who else was asked (002 §3.3.3)."""
    tasks.solicitation_email_after_commit(outcome.subject, kind="sent", by=outcome.by)


def change_announced(outcome: Outcome) -> None:
    """Every solicited provider is told of the validated change, with the new PDF."""
    tasks.solicitation_email_after_commit(outcome.subject, kind="changed", by=outcome.by)


def cancellation_announced(outcome: Outcome) -> None:
    """A cancelled request is announced to every solicited provider (none before sending)."""
    if outcome.before in rules.SENT_STATES:
        tasks.solicitation_email_after_commit(outcome.subject, kind="cancelled", by=outcome.by)


def questionnaires_asked(outcome: Outcome) -> None:
    """002 §3.5: each provider that did not respond is asked for its questionnaire."""
    tasks.non_participation_email_after_commit(outcome.subject.request, by=outcome.by)


def handoff_announced(outcome: Outcome) -> None:
    """The broker's agents receive the package for contract preparation (002 §3.5)."""
    file = outcome.subject
    notify(
        to=broker_staff_emails() + client_emails(file),
        template="pricerequests/email/handed_off",
        context={"file": file, "handoff": file.handoff, "url": file_url(file)},
    )
