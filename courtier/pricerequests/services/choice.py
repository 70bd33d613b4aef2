"""The choice (002 §3.4): the response retained, the criteria besides price it rests on (only
those the request declared), the head of the organisation's prior authorisation when RCTI
art. 48 calls for it (the same record as the solutions track: criteria, justification, the
signed document in the store), a non-RCTI body's own rule, and the financial authorisation for
the total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts.models import User
from courtier.core.validation import amount_problem
from courtier.documents.services.store import document_keep
from courtier.pricerequests import checks, rules, selectors
from courtier.pricerequests.messages import (
    AMOUNT_POSITIVE,
    AUTHORISED_IN_FUTURE,
    DOCUMENT_REQUIRED,
    HANDOFF_MESSAGES,
    HEAD_NAME_REQUIRED,
    HEAD_NOT_REQUIRED,
    INCOMPLETE_CHOICE,
    JUSTIFICATION_REQUIRED,
    NOT_SUBMITTED,
    REQUIRED,
    UNDECLARED_CRITERION,
)
from courtier.pricerequests.models import (
    ResponseState,
    ServiceChoice,
    ServiceFile,
    ServiceFinancialAuthorisation,
    ServiceHeadAuthorisation,
    ServiceResponse,
)
from courtier.pricerequests.services.common import (
    _lock_file,
    _record,
    _require_change,
    _require_state,
    _text,
    _touch,
)


def _undeclared(file: ServiceFile, used: Sequence[str]) -> None:
    """002 §3.4: a criterion besides price counts only if the request stated it."""
    undeclared = rules.undeclared_criteria(list(used), file.request.criteria_codes())
    if undeclared:
        raise ValidationError(
            {"criteria": str(UNDECLARED_CRITERION).format(codes=", ".join(undeclared))}
        )


@transaction.atomic
def choice_record(
    *,
    by: User,
    file: ServiceFile,
    response: ServiceResponse,
    criteria: Sequence[str] = (),
    justification: str = "",
) -> ServiceChoice:
    """Retain a complete response. The lowest complete price needs nothing more; any other rests
    on criteria declared in the request and a justification (and, for an RCTI client, the
    head's authorisation, checked at hand-off)."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.CHOICE)
    response = ServiceResponse.objects.select_related("solicitation").get(pk=response.pk)
    if response.solicitation.request_id != file.request.pk:
        raise ValidationError({"response": NOT_SUBMITTED})
    if response.state != ResponseState.SUBMITTED:
        raise ValidationError({"response": NOT_SUBMITTED})
    if response.complete is not True:
        raise ValidationError({"response": INCOMPLETE_CHOICE})
    used = list(dict.fromkeys(criteria))
    _undeclared(file, used)
    errors: dict[str, Any] = {}
    justification = _text(errors, "justification", justification, rules.MAX_TEXT_LENGTH)
    if errors:
        raise ValidationError(errors)
    lowest = selectors.lowest_complete_total(file.request)
    is_lowest = lowest is not None and response.total_cents <= lowest
    if not is_lowest and (not used or not justification):
        raise ValidationError({"justification": JUSTIFICATION_REQUIRED})
    old = ServiceChoice.objects.filter(file=file).first()
    before = {"response": old.response_id, "criteria_used": old.criteria_used} if old else None
    if old is not None:
        old.delete()
    choice = ServiceChoice.objects.create(
        file=file,
        response=response,
        is_lowest=is_lowest,
        criteria_used=used,
        justification=justification,
        chosen_by=by,
    )
    _record(
        by,
        "service_file.choice_recorded",
        choice,
        file,
        before,
        {
            "response": response.pk,
            "is_lowest": is_lowest,
            "criteria_used": used,
            "justification": justification,
        },
    )
    _touch(file)
    return choice


@transaction.atomic
def choice_options_set(
    *,
    by: User,
    file: ServiceFile,
    own_rule: str | None = None,
    follows_single_provider_advice: bool | None = None,
) -> ServiceFile:
    """A non-RCTI body's own rule for a non-lowest choice; whether a body that solicited a
    single provider follows the broker's advice to get the head's authorisation (002 §3.4)."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.CHOICE)
    errors: dict[str, Any] = {}
    before = {
        "own_rule": file.own_rule,
        "follows_single_provider_advice": file.follows_single_provider_advice,
    }
    if own_rule is not None:
        file.own_rule = _text(errors, "own_rule", own_rule, rules.MAX_TEXT_LENGTH)
    if follows_single_provider_advice is not None:
        file.follows_single_provider_advice = follows_single_provider_advice
    if errors:
        raise ValidationError(errors)
    file.updated_at = timezone.now()
    file.save(update_fields=["own_rule", "follows_single_provider_advice", "updated_at"])
    after = {
        "own_rule": file.own_rule,
        "follows_single_provider_advice": file.follows_single_provider_advice,
    }
    if after != before:
        _record(by, "service_file.choice_options_set", file, file, before, after)
    return file


@transaction.atomic
def service_head_authorisation_record(
    *,
    by: User,
    file: ServiceFile,
    criteria: Sequence[str],
    justification: str,
    head_name: str,
    authorised_on: date,
    document_name: str,
    document: bytes,
    content_type: str,
) -> ServiceHeadAuthorisation:
    """RCTI art. 48 (002 §3.4): the head's prior authorisation of the choice made now, on
    criteria the request declared, with a justification and the signed document (kept in the
    store, type justification, 7 years after the contract ends)."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.CHOICE)
    choice = ServiceChoice.objects.filter(file=file).select_related("response").first()
    if choice is None:
        raise ValidationError({"response": HANDOFF_MESSAGES[rules.HandoffProblem.NO_CHOICE]})
    if not checks.head_authorisation_needed(file):
        raise ValidationError({"response": HEAD_NOT_REQUIRED})
    used = list(dict.fromkeys(criteria))
    _undeclared(file, used)
    errors: dict[str, Any] = {}
    justification = _text(errors, "justification", justification, rules.MAX_TEXT_LENGTH)
    head_name = _text(errors, "head_name", head_name, 200)
    if not justification and "justification" not in errors:
        errors["justification"] = REQUIRED
    if not head_name and "head_name" not in errors:
        errors["head_name"] = HEAD_NAME_REQUIRED
    if authorised_on > timezone.localdate():
        errors["authorised_on"] = AUTHORISED_IN_FUTURE
    if not document:
        errors["document"] = DOCUMENT_REQUIRED
    if errors:
        raise ValidationError(errors)
    kept = document_keep(
        by=by,
        subject=file,
        type="justification",
        title=_("Autorisation du dirigeant d'organisme — {name}").format(name=head_name),
        name=document_name,
        content=document,
        content_type=content_type,
    )
    old = ServiceHeadAuthorisation.objects.filter(file=file).first()
    before = {"response": old.response_id, "criteria": old.criteria} if old else None
    if old is not None:
        old.delete()
    head = ServiceHeadAuthorisation.objects.create(
        file=file,
        response=choice.response,
        criteria=used,
        justification=justification,
        head_name=head_name,
        authorised_on=authorised_on,
        document=kept,
        recorded_by=by,
    )
    _record(
        by,
        "service_file.head_authorised",
        head,
        file,
        before,
        {
            "response": choice.response_id,
            "criteria": used,
            "head_name": head_name,
            "authorised_on": authorised_on,
            "document": kept.pk,
        },
    )
    _touch(file)
    return head


@transaction.atomic
def service_financial_authorisation_record(
    *,
    by: User,
    file: ServiceFile,
    amount_cents: int,
    authorised_on: date,
    authorised_by_name: str,
    reference: str = "",
) -> ServiceFinancialAuthorisation:
    """002 §3.4: the financial authorisation for the total estimated amount, once the provider
    retained is known."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.CHOICE)
    errors: dict[str, Any] = {}
    if amount_cents <= 0:
        errors["amount_cents"] = AMOUNT_POSITIVE
    elif amount_problem(amount_cents):
        errors["amount_cents"] = amount_problem(amount_cents)
    if authorised_on > timezone.localdate():
        errors["authorised_on"] = AUTHORISED_IN_FUTURE
    authorised_by_name = _text(errors, "authorised_by_name", authorised_by_name, 200)
    if not authorised_by_name and "authorised_by_name" not in errors:
        errors["authorised_by_name"] = REQUIRED
    reference = _text(errors, "reference", reference, 100)
    if errors:
        raise ValidationError(errors)
    old = ServiceFinancialAuthorisation.objects.filter(file=file).first()
    before = {"amount_cents": old.amount_cents} if old else None
    if old is not None:
        old.delete()
    financial = ServiceFinancialAuthorisation.objects.create(
        file=file,
        amount_cents=amount_cents,
        authorised_on=authorised_on,
        authorised_by_name=authorised_by_name,
        reference=reference,
        recorded_by=by,
    )
    _record(
        by,
        "service_file.financial_authorised",
        financial,
        file,
        before,
        {
            "amount_cents": amount_cents,
            "authorised_on": authorised_on,
            "authorised_by_name": authorised_by_name,
            "reference": reference,
        },
    )
    _touch(file)
    return financial
