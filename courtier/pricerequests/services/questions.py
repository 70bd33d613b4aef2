"""Providers' written questions during the solicitation (002 §3.3.3): asked until the cut-off
the client set, answered by the client and published to every solicited provider at once, the
asker named to the others only by its pseudonym. A change of the request that an answer calls
for goes to the broker (``transitions.price_request_change_submit``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts.models import User
from courtier.core.mail import notify
from courtier.pricerequests import rules, selectors
from courtier.pricerequests.messages import (
    ALREADY_PUBLISHED,
    ANSWER_REQUIRED,
    QUESTION_REQUIRED,
    QUESTIONS_CLOSED,
)
from courtier.pricerequests.models import ProviderQuestion, Solicitation
from courtier.pricerequests.services.common import (
    _record,
    _require_change,
    _text,
    client_emails,
    file_url,
    provider_emails,
)


@transaction.atomic
def question_ask(*, by: User, solicitation: Solicitation, text: str) -> ProviderQuestion:
    """A solicited provider asks, in writing, before the question cut-off."""
    solicitation = (
        Solicitation.objects.select_for_update()
        .select_related("request__file")
        .get(pk=solicitation.pk)
    )
    _require_change(by, solicitation)
    request = solicitation.request
    if not selectors.questions_open(request):
        raise ValidationError({"text": QUESTIONS_CLOSED})
    errors: dict[str, Any] = {}
    text = _text(errors, "text", text, rules.MAX_QUESTION_LENGTH)
    if not text and not errors:
        errors["text"] = QUESTION_REQUIRED
    if errors:
        raise ValidationError(errors)
    question = ProviderQuestion.objects.create(solicitation=solicitation, text=text, asked_by=by)
    _record(
        by,
        "provider_question.asked",
        question,
        request.file,
        None,
        {"text": text, "pseudonym": solicitation.pseudonym},
    )
    notify(
        to=client_emails(request.file),
        template="pricerequests/email/question_asked",
        context={"file": request.file, "question": question, "url": file_url(request.file)},
    )
    return question


@transaction.atomic
def question_answer(*, by: User, question: ProviderQuestion, answer: str) -> ProviderQuestion:
    """The client answers; the answer is published to every solicited provider at once, each
    told separately, the asker shown as « Prestataire X » (002 §3.3.3: fair treatment)."""
    question = (
        ProviderQuestion.objects.select_for_update()
        .select_related("solicitation__request__file")
        .get(pk=question.pk)
    )
    _require_change(by, question)
    if question.published_at is not None:
        raise ValidationError({"answer": ALREADY_PUBLISHED})
    errors: dict[str, Any] = {}
    answer = _text(errors, "answer", answer, rules.MAX_QUESTION_LENGTH)
    if not answer and not errors:
        errors["answer"] = ANSWER_REQUIRED
    if errors:
        raise ValidationError(errors)
    question.answer = answer
    question.answered_by = by
    question.published_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "published_at"])
    request = question.solicitation.request
    _record(
        by,
        "provider_question.answered",
        question,
        request.file,
        None,
        {"answer": answer, "published_at": question.published_at},
    )
    for solicitation in request.solicitations.all():
        notify(
            to=provider_emails(solicitation.provider_id, solicitation.contacts),
            template="pricerequests/email/answer_published",
            context={"file": request.file, "question": question, "solicitation": solicitation},
        )
    return question
