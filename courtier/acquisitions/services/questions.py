"""Questions to suppliers and trials (004 §3.3.2): a written question to the supplier of a listed
offer, due within 3 business days and answered in the platform; free trials of at most 60 days
and 30 units of each offer, with their report kept among the file's documents."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions
from courtier.accounts.models import Role, User
from courtier.accounts.selectors import emails_with_roles
from courtier.acquisitions import rules, tasks
from courtier.acquisitions.messages import (
    ALREADY_ANSWERED,
    ANSWER_REQUIRED,
    OFFER_NOT_CANDIDATE,
    QUESTION_REQUIRED,
    QUESTION_SUPPLIER_REQUIRED,
    REPORT_REQUIRED,
    TRIAL_MESSAGES,
    WRONG_STEP,
)
from courtier.acquisitions.models import AcquisitionFile, DocumentKind, SupplierQuestion, Trial
from courtier.acquisitions.services.common import (
    _file_url,
    _lock,
    _record,
    _require_runs,
    _require_state,
    _today,
    _touch,
)
from courtier.acquisitions.services.documents import file_document_keep
from courtier.calendar import selectors as calendar
from courtier.catalogue.models import Offer
from courtier.core.mail import notify


@transaction.atomic
def question_ask(*, by: User, file: AcquisitionFile, offer: Offer, text: str) -> SupplierQuestion:
    """A written question to the supplier of a listed offer; it is due within 3 business days
    (004 §3.3.2), counted with Quebec holidays and the broker's closure days."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE)
    if not file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": QUESTION_SUPPLIER_REQUIRED})
    if not text.strip():
        raise ValidationError({"text": QUESTION_REQUIRED})
    asked_on = _today()
    question = SupplierQuestion.objects.create(
        file=file,
        supplier_id=offer.supplier_id,
        offer=offer,
        text=text.strip(),
        asked_by=by,
        due_on=rules.question_due_on(asked_on, calendar.business_days_after),
    )
    _record(
        by,
        "acquisition.question_asked",
        question,
        file,
        None,
        {
            "supplier": offer.supplier_id,
            "offer": offer.pk,
            "text": question.text,
            "due_on": question.due_on.isoformat(),
        },
    )
    notify(
        to=emails_with_roles([Role.SUPPLIER_REP], offer.supplier_id),
        template="acquisitions/email/question_asked",
        context={"question": question, "url": reverse("acquisitions:questions_inbox")},
    )
    # Check again the day after it is due: the broker is told if no answer came.
    check_at = timezone.make_aware(
        datetime.combine(question.due_on, datetime.min.time())
    ) + timedelta(days=1)
    # A backend that cannot wait (the immediate one) refuses run_after as soon as it is set.
    overdue = tasks.report_overdue_questions
    if overdue.get_backend().supports_defer:
        transaction.on_commit(overdue.using(run_after=check_at).enqueue)
    _touch(file)
    return question


@transaction.atomic
def question_answer(*, by: User, question: SupplierQuestion, answer: str) -> SupplierQuestion:
    """The supplier answers in the platform; the client is told."""
    question = (
        SupplierQuestion.objects.select_for_update().select_related("file").get(pk=question.pk)
    )
    if not permissions.can_change(by, question):  # only the supplier it is addressed to
        raise PermissionDenied
    if question.answered_at is not None:
        raise ValidationError({"answer": ALREADY_ANSWERED})
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    question.answer, question.answered_by, question.answered_at = (
        answer.strip(),
        by,
        timezone.now(),
    )
    question.save()
    _record(
        by,
        "acquisition.question_answered",
        question,
        question.file,
        {"answer": ""},
        {
            "answer": question.answer,
            # Late is after the due day in Quebec, not in UTC (DOMAIN §8).
            "late": timezone.localdate(question.answered_at) > question.due_on,
        },
    )
    notify(
        to=[question.asked_by.email],
        template="acquisitions/email/question_answered",
        context={"question": question, "url": _file_url(question.file)},
    )
    return question


@transaction.atomic
def trial_create(
    *,
    by: User,
    file: AcquisitionFile,
    offer: Offer,
    starts_on: date,
    ends_on: date,
    units: int,
    attestation: bool,
) -> Trial:
    """A trial of a listed offer: free, at most 60 days and 30 units of each offer, and no
    personal or confidential information (004 §3.3.2)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if not file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": OFFER_NOT_CANDIDATE})
    other = file.trials.filter(offer=offer).aggregate(u=Sum("units"))["u"] or 0
    problems = rules.trial_problems(
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        other_units=other,
        attestation=attestation,
    )
    if problems:
        raise ValidationError({k: TRIAL_MESSAGES[p] for k, p in problems.items()})
    trial = Trial.objects.create(
        file=file,
        offer=offer,
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        attestation=True,
        created_by=by,
    )
    _record(
        by,
        "acquisition.trial_created",
        trial,
        file,
        None,
        {
            "offer": offer.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "units": units,
            "attestation": True,
        },
    )
    _touch(file)
    return trial


@transaction.atomic
def trial_attach_report(
    *, by: User, trial: Trial, name: str, content: bytes, content_type: str, summary: str = ""
) -> Trial:
    """The trial report joins the file's documents (DOMAIN §7: choice support)."""
    file = _lock(trial.file)
    _require_runs(by, file)
    if not file.is_open:
        raise ValidationError({"state": WRONG_STEP})
    if not content:
        raise ValidationError({"report": REPORT_REQUIRED})
    document = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.TRIAL_REPORT,
        title=str(_("Rapport de banc d'essai — {offer}")).format(offer=trial.offer.name),
        name=name,
        content=content,
        content_type=content_type,
    )
    before = {"report": trial.report_id, "summary": trial.report_summary}
    trial.report, trial.report_summary = document, summary.strip()
    trial.save(update_fields=["report", "report_summary"])
    _record(
        by,
        "acquisition.trial_reported",
        trial,
        file,
        before,
        {"report": trial.report_id, "summary": trial.report_summary},
    )
    return trial
