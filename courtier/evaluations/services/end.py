"""The end-of-contract evaluation of an RCTI client (002 §4.8.2; RCTI art. 82): once its contract
has ended or been terminated, the client states whether art. 82 requires it; the report (a PDF,
kept as a ``performance_report`` document on the contract) is signed by the head of the
organisation, in the platform (their password typed again) or on paper (its date recorded). The
head's signature opens what is owed to the broker within 5 business days (002 §4.10): the report
signed in the platform is transmitted at once; a paper one when its signed copy is sent."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts.selectors import broker_staff_emails
from courtier.calendar.selectors import business_days_after
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract
from courtier.core.mail import notify
from courtier.documents.models import TransmissionStatus
from courtier.documents.services.requests import transmission_answer
from courtier.documents.services.store import document_keep, document_version_add
from courtier.documents.services.transmissions import transmission_owed_by_rule
from courtier.evaluations import messages, policies, rules
from courtier.evaluations.models import EndEvaluation, HeadSignature
from courtier.evaluations.services.common import _now, _record, _today, refuse
from courtier.files.inspection import Kind, UploadRefused, inspect_upload

REPORT_TYPE = "performance_report"
REPORT_TITLE = "Rapport d'évaluation du rendement — {reference}"
SIGNED_TEMPLATE = "evaluations/email/end_signed"


def end_url(contract: Contract) -> str:
    return reverse("evaluations:end_detail", args=[contract.pk])


def received_on(evaluation: EndEvaluation | None) -> date | None:
    """The day the signed report reached the broker (the owed request answered)."""
    owed = evaluation.owed if evaluation is not None else None
    if owed is None or owed.status != TransmissionStatus.ANSWERED or owed.answered_at is None:
        return None
    return timezone.localdate(owed.answered_at)


def status_of(contract: Contract, evaluation: EndEvaluation | None, today: date | None = None):
    """Where the evaluation stands (rules.end_evaluation_status; 002 §4.8.2, §4.10). Before the
    client states anything, an RCTI client's ended contract awaits its head's signature."""
    closed = contract.state in contract_rules.CLOSED_STATES
    required = evaluation.required if evaluation is not None else True
    owed = rules.end_evaluation_owed(
        rcti=contract.subject_to_rcti, required=required, contract_closed=closed
    )
    return rules.end_evaluation_status(
        owed=owed,
        head_signed_on=evaluation.head_signed_on if evaluation is not None else None,
        received_on=received_on(evaluation),
        today=today or _today(),
        business_days_after=business_days_after,
    )


def due_on(evaluation: EndEvaluation | None) -> date | None:
    if evaluation is None or evaluation.head_signed_on is None:
        return None
    return rules.end_evaluation_due_on(evaluation.head_signed_on, business_days_after)


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("client", "supplier")
        .get(pk=contract.pk)
    )


def _require_client(by: Any, contract: Contract) -> None:
    if not policies.runs_client(by, contract.client_id):
        raise PermissionDenied


def _evaluation(contract: Contract) -> EndEvaluation:
    found = EndEvaluation.objects.select_for_update().filter(contract=contract).first()
    if found is None or not found.required:
        refuse("required", messages.NOT_REQUIRED)
    return found


def _pdf_problem(name: str, content: bytes | None) -> Any:
    if not content:
        return messages.REPORT_REQUIRED
    try:
        inspect_upload(
            name or "rapport.pdf",
            io.BytesIO(content),
            allowed={Kind.PDF},
            not_allowed=messages.REPORT_NOT_PDF,
        )
    except UploadRefused as refused:
        return refused.message
    return None


def _keep(by: Any, contract: Contract, evaluation: EndEvaluation, name: str, content: bytes):
    """The report as a ``performance_report`` document on the contract (a new version of it when
    one is kept already: the signed copy after the draft)."""
    name = (name or "").strip()[:255] or "rapport-evaluation.pdf"
    if evaluation.report is None:
        evaluation.report = document_keep(
            by=by,
            subject=contract,
            type=REPORT_TYPE,
            title=REPORT_TITLE.format(reference=contract.reference),
            name=name,
            content=content,
        )
    else:
        document_version_add(by=by, document=evaluation.report, name=name, content=content)


@transaction.atomic
def end_evaluation_declare(*, by: Any, contract: Contract, required: bool | None) -> EndEvaluation:
    """The client states whether art. 82 of the RCTI requires the evaluation (002 §4.8.2), once,
    for its RCTI contract that has ended or been terminated."""
    contract = _lock(contract)
    _require_client(by, contract)
    if not contract.subject_to_rcti:
        refuse("contract", messages.NOT_RCTI)
    if contract.state not in contract_rules.CLOSED_STATES:
        refuse("contract", messages.CONTRACT_NOT_CLOSED)
    if required is None:
        refuse("required", messages.REQUIRED)
    if EndEvaluation.objects.filter(contract=contract).exists():
        refuse("required", messages.ALREADY_STATED)
    evaluation = EndEvaluation.objects.create(
        contract=contract, required=required, recorded_by=by, recorded_at=_now()
    )
    _record(
        by, "end_evaluation.stated", evaluation, contract.client_id, None, {"required": required}
    )
    return evaluation


@transaction.atomic
def end_evaluation_report_add(
    *, by: Any, contract: Contract, content: bytes | None, name: str
) -> EndEvaluation:
    """The report (a PDF) kept on the contract before the head signs it."""
    contract = _lock(contract)
    _require_client(by, contract)
    evaluation = _evaluation(contract)
    if evaluation.head_signed_on is not None:
        refuse("report", messages.ALREADY_SIGNED)
    problem = _pdf_problem(name, content)
    if problem is not None:
        refuse("report", problem)
    _keep(by, contract, evaluation, name, content)
    evaluation.save(update_fields=["report"])
    version = evaluation.report.versions.order_by("-number").first()
    after = {"document": evaluation.report.title, "version": version.number if version else None}
    _record(by, "end_evaluation.report_added", evaluation, contract.client_id, None, after)
    return evaluation


def _signed(by: Any, contract: Contract, evaluation: EndEvaluation, transmit: bool) -> None:
    """The head's signature (002 §4.10): opens what is owed to the broker within 5 business days;
    the signed report in the platform is transmitted at once, answering it."""
    owed = transmission_owed_by_rule(document=evaluation.report, event_on=evaluation.head_signed_on)
    evaluation.owed = owed
    evaluation.save(
        update_fields=["report", "head_signed_on", "head_signature", "head_signed_by", "owed"]
    )
    after = {
        "head_signed_on": evaluation.head_signed_on.isoformat(),
        "head_signature": evaluation.head_signature,
        "due_on": owed.due_on.isoformat() if owed is not None else None,
    }
    _record(by, "end_evaluation.signed", evaluation, contract.client_id, None, after)
    if owed is not None and transmit:
        transmission_answer(by=by, request=owed, document=evaluation.report)
        evaluation.owed.refresh_from_db()
    notify(
        to=broker_staff_emails(),
        template=SIGNED_TEMPLATE,
        context={
            "contract": contract,
            "day": evaluation.head_signed_on,
            "due_on": owed.due_on if owed is not None else None,
            "transmitted": owed is not None and transmit,
            "url": end_url(contract),
        },
    )


@transaction.atomic
def end_evaluation_head_sign(*, by: Any, contract: Contract, password: str) -> EndEvaluation:
    """The head of the organisation signs the report in the platform (002 §4.8.2), their password
    typed again (as contracts.services.signing): transmitted to the broker at once."""
    contract = _lock(contract)
    if not policies.heads(by, contract.client_id):
        raise PermissionDenied
    if not by.check_password(password or ""):
        refuse("password", messages.PASSWORD_WRONG)
    evaluation = _evaluation(contract)
    if evaluation.head_signed_on is not None:
        refuse("password", messages.ALREADY_SIGNED)
    if evaluation.report is None:
        refuse("report", messages.REPORT_REQUIRED)
    evaluation.head_signed_on, evaluation.head_signed_by = _today(), by
    evaluation.head_signature = HeadSignature.PLATFORM
    _signed(by, contract, evaluation, transmit=True)
    return evaluation


@transaction.atomic
def end_evaluation_paper_signature_record(
    *,
    by: Any,
    contract: Contract,
    signed_on: date | None,
    content: bytes | None = None,
    name: str = "",
) -> EndEvaluation:
    """The client records the date the head signed the report on paper (002 §4.8.2), with the
    signed copy (transmitted at once) or without it (sent later, within 5 business days)."""
    contract = _lock(contract)
    _require_client(by, contract)
    evaluation = _evaluation(contract)
    if evaluation.head_signed_on is not None:
        refuse("signed_on", messages.ALREADY_SIGNED)
    errors: dict[str, Any] = {}
    if signed_on is None:
        errors["signed_on"] = messages.REQUIRED
    elif signed_on > _today():
        errors["signed_on"] = messages.SIGNED_ON_FUTURE
    elif contract.ended_on and signed_on < contract.ended_on:
        errors["signed_on"] = messages.SIGNED_ON_BEFORE_END
    if content is not None:
        problem = _pdf_problem(name, content)
        if problem is not None:
            errors["report"] = problem
    elif evaluation.report is None:
        errors["report"] = messages.REPORT_REQUIRED
    if errors:
        raise ValidationError(errors)
    if content is not None:
        _keep(by, contract, evaluation, name, content)
    evaluation.head_signed_on, evaluation.head_signed_by = signed_on, None
    evaluation.head_signature = HeadSignature.PAPER
    _signed(by, contract, evaluation, transmit=content is not None)
    return evaluation


@transaction.atomic
def end_evaluation_report_send(
    *, by: Any, contract: Contract, content: bytes | None, name: str
) -> EndEvaluation:
    """The signed copy sent later (002 §4.10): kept as the report's new version and transmitted,
    answering what the head's signature opened (documents.transmission_answer)."""
    contract = _lock(contract)
    _require_client(by, contract)
    evaluation = _evaluation(contract)
    if evaluation.head_signed_on is None or evaluation.owed is None:
        refuse("report", messages.NOT_SIGNED_YET)
    if evaluation.owed.status != TransmissionStatus.OPEN:
        refuse("report", messages.ALREADY_TRANSMITTED)
    problem = _pdf_problem(name, content)
    if problem is not None:
        refuse("report", problem)
    _keep(by, contract, evaluation, name, content)
    transmission_answer(by=by, request=evaluation.owed, document=evaluation.report)
    evaluation.owed.refresh_from_db()
    return evaluation
