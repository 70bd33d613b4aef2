"""The termination of a contract (résiliation): the client's people record it with its letter,
its effective date and its reason. The letter is kept as a termination document, transmitted to
the broker at once (DOMAIN §7: « dès que la résiliation est effective »); the contract ends on
the effective date, which moves its documents' disposal dates (DOMAIN §7: seven years after the
end); the broker and the supplier are told."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from courtier.accounts.selectors import broker_staff_emails
from courtier.contracts import messages, rules
from courtier.contracts.models import Contract, Termination
from courtier.contracts.services.common import (
    _lock,
    _now,
    _require_actor,
    _text,
    actors_of,
    contract_url,
    supplier_emails,
)
from courtier.contracts.workflow import CONTRACT_WORKFLOW
from courtier.core.mail import notify
from courtier.documents import subjects
from courtier.documents.models import Document, TransmissionRequest, TransmissionStatus
from courtier.documents.services.requests import transmission_answer
from courtier.documents.services.retention import retention_recompute
from courtier.documents.services.store import document_keep
from courtier.files.inspection import Kind, UploadRefused, inspect_upload

LETTER_TYPE = "termination"
LETTER_TITLE = "Lettre de résiliation — {reference}"
TERMINATED_TEMPLATE = "contracts/email/terminated"


def _letter_problem(name: str, content: bytes | None) -> Any:
    """The letter is a PDF (files.inspection: typed from its bytes, within the size limit, not
    encrypted or damaged); None when it is one."""
    if not content:
        return messages.LETTER_REQUIRED
    try:
        inspect_upload(
            name, io.BytesIO(content), allowed={Kind.PDF}, not_allowed=messages.LETTER_NOT_PDF
        )
    except UploadRefused as refused:
        return refused.message
    return None


def _answer_at_once(by: Any, contract: Contract, letter: Document) -> None:
    """DOMAIN §7: the letter reaches the broker as soon as the termination is effective; keeping
    it opened what the client owes, answered here with the letter itself."""
    owed = TransmissionRequest.objects.filter(
        subject_type=subjects.content_type(contract),
        subject_id=contract.pk,
        type=LETTER_TYPE,
        status=TransmissionStatus.OPEN,
    )
    for request in owed:
        transmission_answer(by=by, request=request, document=letter)


@transaction.atomic
def contract_terminate(
    *,
    by: Any,
    contract: Contract,
    effective_on: date | None,
    reason: str,
    content: bytes | None,
    name: str,
) -> Termination:
    """The client's people terminate a concluded or in-force contract from ``effective_on``
    (between its start and its planned end) with their letter (a PDF) and the reason."""
    contract = _lock(contract)
    _require_actor(by, contract, rules.Actor.CLIENT)
    if contract.state not in rules.SIGNED_STATES:
        raise ValidationError({"state": messages.NOT_TERMINABLE})
    errors: dict[str, Any] = {}
    if effective_on is None:
        errors["effective_on"] = messages.REQUIRED
    elif effective_on < contract.start_on:
        errors["effective_on"] = messages.EFFECTIVE_BEFORE_START
    elif effective_on > contract.ends_on:
        errors["effective_on"] = messages.EFFECTIVE_AFTER_END
    reason = _text(errors, "reason", reason)
    if not reason and "reason" not in errors:
        errors["reason"] = messages.REQUIRED
    name = (name or "").strip()[:255] or "lettre-de-resiliation.pdf"
    problem = _letter_problem(name, content)
    if problem is not None:
        errors["letter"] = problem
    if errors:
        raise ValidationError(errors)
    now = _now()
    contract.updated_at = now
    CONTRACT_WORKFLOW.run(
        subject=contract,
        action=rules.Action.TERMINATE,
        by=by,
        acting_as=actors_of(by, contract),
        values={"ended_on": effective_on},
        save=lambda subject, _move: subject.save(update_fields=["state", "ended_on", "updated_at"]),
    )
    letter = document_keep(
        by=by,
        subject=contract,
        type=LETTER_TYPE,
        title=LETTER_TITLE.format(reference=contract.reference),
        name=name,
        content=content,
        event_on=effective_on,
    )
    termination = Termination.objects.create(
        contract=contract,
        effective_on=effective_on,
        reason=reason,
        letter=letter,
        recorded_by=by,
        recorded_at=now,
    )
    # DOMAIN §7: the documents kept « sept ans suivant la fin » count from the new end (the
    # letter, kept once the contract has ended, has its date already).
    retention_recompute(subject=contract)
    _answer_at_once(by, contract, letter)
    notify(
        to=sorted(set(broker_staff_emails()) | set(supplier_emails(contract))),
        template=TERMINATED_TEMPLATE,
        context={
            "contract": contract,
            "termination": termination,
            "day": effective_on,
            "url": contract_url(contract),
        },
    )
    return termination
