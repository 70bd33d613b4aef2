"""Signing a contract or an amendment (002 §2.5 steps 8-9, §4.5; DOMAIN §7): the version the
broker stamped is signed as presented, in order (the client's signatories by rank, then the
supplier's), in the platform (a PAdES approval signature added to the stamped chain after the
signer types their password again) or on paper (the signed copy kept beside the stamped version,
or still to come). The last supplier signature concludes the contract (or signs the amendment,
whose changes then apply), and the signed document is owed to the broker within 5 business days
of it: transmitted at once when every signature is in the platform or has its copy, else when the
last copy arrives."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.selectors import broker_staff_emails
from courtier.contracts import messages, policies, rules
from courtier.contracts.models import (
    Amendment,
    ContractSignatory,
    Party,
    Signature,
    SignatureMethod,
)
from courtier.contracts.services import amendments
from courtier.contracts.services.common import (
    _now,
    _record,
    _today,
    client_emails,
    refuse,
    signatory_emails,
    supplier_emails,
)
from courtier.contracts.services.transitions import (
    Instrument,
    amendment_of,
    context_of,
    contract_of,
    file_stem,
    locked,
    prefix_of,
    signatures_of,
    signers_of,
    tell_next_signers,
    workflow_of,
)
from courtier.core.mail import notify
from courtier.documents.models import (
    DocumentVersion,
    TransmissionOrigin,
    TransmissionRequest,
    TransmissionStatus,
)
from courtier.documents.services.store import document_version_add
from courtier.documents.services.transmissions import transmission_owed_by_rule
from courtier.documents.signing import SigningRefused, sign_approval
from courtier.documents.verification import person_name
from courtier.files.inspection import Kind, UploadRefused, inspect_upload

CONCLUDED_TEMPLATE = "contracts/email/concluded"
REASON = "Approuvé et signé pour {organisation} par {name}"  # the PAdES signature's /Reason
ORDER_PROBLEMS = {
    "not_a_signatory": messages.NOT_A_SIGNATORY,
    "already_signed": messages.ALREADY_SIGNED,
    "out_of_order": messages.OUT_OF_ORDER,
}
_ACTOR_OF_PARTY = {Party.CLIENT: rules.Actor.CLIENT_SIGNATORY, Party.SUPPLIER: rules.Actor.SUPPLIER}
_DONE = {Party.CLIENT: rules.Action.SIGN_CLIENT, Party.SUPPLIER: rules.Action.SIGN_SUPPLIER}


# --- reading -----------------------------------------------------------------------------------


def chain_head(instrument: Instrument) -> DocumentVersion | None:
    """The current version of the stamped chain: the last platform signature's copy, else the
    stamped version itself (paper copies are kept beside it, never in it). None before the
    broker's validation."""
    last = (
        signatures_of(instrument)
        .filter(method=SignatureMethod.PLATFORM, version__isnull=False)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return last.version if last is not None else instrument.stamped


def _done(instrument: Instrument) -> bool:
    """Signed by the parties: the contract concluded, the amendment signed."""
    if isinstance(instrument, Amendment):
        return instrument.signed_on is not None
    return instrument.concluded_on is not None


def _copies_in(instrument: Instrument) -> bool:
    """DOMAIN §7: every signature is in the platform or has its signed copy."""
    return not signatures_of(instrument).filter(version__isnull=True).exists()


# --- checks ------------------------------------------------------------------------------------


def _require_seen(by: Any, instrument: Instrument) -> None:
    if not permissions.can_view(by, contract_of(instrument)):
        raise PermissionDenied


def _require_signable(instrument: Instrument) -> None:
    """Only the final version the broker validated is signed (002 §2.3.1)."""
    if instrument.state not in rules.SIGNING_STATES or instrument.stamped_id is None:
        refuse("state", messages.NOT_SIGNABLE)


def _order_problem(signers: list[rules.Signer], signatory: ContractSignatory | None) -> Any:
    """002 §2.5 steps 8-9: the client's signatories by rank, then the supplier's."""
    problem = rules.signature_problem(signers, signatory.pk if signatory is not None else -1)
    return ORDER_PROBLEMS[problem] if problem else None


def _may_record(by: Any, instrument: Instrument, signatory: ContractSignatory) -> bool:
    """A paper signature is recorded by the signatory, or by the client's people (client side)
    or the supplier's representatives (supplier side)."""
    contract = contract_of(instrument)
    if signatory.user_id is not None and signatory.user_id == by.pk:
        return True
    if signatory.party == Party.CLIENT:
        return policies.runs_contract(by, contract)
    return policies.represents_supplier(by, contract)


def _copy_problem(name: str, content: bytes) -> Any:
    """The paper copy is a PDF (files.inspection: typed from its bytes, within the size limit,
    not encrypted or damaged); None when it is one."""
    try:
        inspect_upload(
            name or "copie.pdf",
            io.BytesIO(content),
            allowed={Kind.PDF},
            not_allowed=messages.PAPER_COPY_NOT_PDF,
        )
    except UploadRefused as refused:
        return refused.message
    return None


# --- writes ------------------------------------------------------------------------------------


def _facts(signature: Signature) -> dict[str, Any]:
    signatory = signature.signatory
    return {
        "signatory": signatory.name,
        "party": signatory.party,
        "order": signatory.order,
        "method": signature.method,
        "signed_on": signature.signed_on.isoformat(),
        "version": signature.version.number if signature.version is not None else None,
        "recorded_by": person_name(signature.recorded_by),
    }


def _keep_copy(by: Any, instrument: Instrument, signatory: ContractSignatory, content: bytes):
    return document_version_add(
        by=by,
        document=instrument.document,
        name=f"{file_stem(instrument)}-signature-{signatory.pk}.pdf",
        content=content,
    )


def _owed_request(instrument: Instrument) -> TransmissionRequest | None:
    """What the parties' signature opened and is still owed to the broker for this document."""
    document = instrument.document
    return (
        TransmissionRequest.objects.select_for_update()
        .filter(
            subject_type_id=document.subject_type_id,
            subject_id=document.subject_id,
            type=document.type,
            origin=TransmissionOrigin.RULE,
            status=TransmissionStatus.OPEN,
        )
        .order_by("created_at", "id")
        .first()
    )


def _transmit(by: Any, instrument: Instrument, owed: TransmissionRequest) -> None:
    """DOMAIN §7: the signed document (the contract with its signed commitment form, or the
    amendment) is in the platform: it reaches the broker now, and what was owed is answered.
    (``documents.transmission_answer`` is the client's own answer and asks for its people; the
    last signature is usually the supplier's.)"""
    contract = contract_of(instrument)
    document = instrument.document
    before = {"status": str(TransmissionStatus.OPEN.label)}
    owed.status, owed.document = TransmissionStatus.ANSWERED, document
    owed.answered_by, owed.answered_at = by, _now()
    owed.save(update_fields=["status", "document", "answered_by", "answered_at"])
    after = {
        "status": str(TransmissionStatus.ANSWERED.label),
        "document": document.title,
        "due_on": owed.due_on.isoformat(),
    }
    _record(by, f"{prefix_of(instrument)}.transmitted", instrument, contract, before, after)


def _conclude(by: Any, instrument: Instrument) -> None:
    """The last supplier signature (002 §2.5 step 9): the contract is concluded on the day of
    the last signature, or the amendment signed and its changes applied (002 §4.5); the signed
    document is owed to the broker within 5 business days (DOMAIN §7)."""
    last_on = max(signatures_of(instrument).values_list("signed_on", flat=True))
    values = {"signed_on" if isinstance(instrument, Amendment) else "concluded_on": last_on}
    workflow_of(instrument).run(
        subject=instrument,
        action=rules.Action.SIGN_SUPPLIER,
        by=by,
        acting_as={rules.Actor.SUPPLIER},
        values=values,
    )
    if isinstance(instrument, Amendment):
        amendments.amendment_apply(amendment=instrument, by=by)
    owed = transmission_owed_by_rule(document=instrument.document, event_on=last_on)
    transmitted = owed is not None and _copies_in(instrument)
    if transmitted:
        _transmit(by, instrument, owed)
    contract = contract_of(instrument)
    to = (
        set(client_emails(contract))
        | set(signatory_emails(contract, Party.CLIENT))
        | set(supplier_emails(contract))
        | set(broker_staff_emails())
    )
    notify(
        to=sorted(to),
        template=CONCLUDED_TEMPLATE,
        context=context_of(
            instrument,
            day=last_on,  # the parties' last signature
            transmitted=transmitted,
            owed=owed,  # what is owed to the broker (its due date), None for no client
        ),
    )


def _signed(
    by: Any, instrument: Instrument, signers: list[rules.Signer], signature: Signature
) -> None:
    """After a signature: audited; when its party is done, the workflow's move (sign_client,
    sign_supplier), else the next rank of the same party is asked."""
    contract = contract_of(instrument)
    prefix = prefix_of(instrument)
    _record(by, f"{prefix}.signed", instrument, contract, None, _facts(signature))
    party = signature.signatory.party
    if not rules.party_done(signers, party, signature.signatory_id):
        tell_next_signers(instrument)
        return
    if party == Party.SUPPLIER:
        _conclude(by, instrument)
        return
    workflow_of(instrument).run(
        subject=instrument, action=_DONE[party], by=by, acting_as={_ACTOR_OF_PARTY[party]}
    )
    tell_next_signers(instrument)


# --- the services ------------------------------------------------------------------------------


@transaction.atomic
def instrument_sign(
    *, by: Any, instrument: Instrument, password: str, version_id: Any
) -> Signature:
    """The signatory signs in the platform (002 §2.5 steps 8-9): their password typed again, the
    version they saw the current one of the stamped chain (002 §2.3.1: signed as presented), in
    order; a PAdES approval signature is added to it as a new version of the document."""
    subject = locked(instrument)
    _require_seen(by, subject)
    if not by.check_password(password or ""):
        refuse("password", messages.PASSWORD_WRONG)
    _require_signable(subject)
    contract = contract_of(subject)
    signatory = ContractSignatory.objects.filter(contract=contract, user=by).first()
    signers = signers_of(subject)
    problem = _order_problem(signers, signatory)
    if problem:
        refuse("signatory", problem)
    head = chain_head(subject)
    if str(version_id) != str(head.pk):
        refuse("version", messages.NOT_THE_STAMPED_VERSION)
    organisation = contract.client if signatory.party == Party.CLIENT else contract.supplier
    try:
        pdf = sign_approval(
            head.stored.read_bytes(),
            signer_name=signatory.name,
            reason=REASON.format(organisation=organisation.name, name=signatory.name),
            field=f"Signature{signatory.pk}",
        )
    except SigningRefused as refused:
        raise ValidationError({"version": str(refused)}) from None
    signature = Signature.objects.create(
        contract=contract,
        amendment=amendment_of(subject),
        signatory=signatory,
        method=SignatureMethod.PLATFORM,
        signed_on=_today(),
        signed_at=_now(),
        stamped=subject.stamped,
        version=_keep_copy(by, subject, signatory, pdf),
        recorded_by=by,
    )
    _signed(by, subject, signers, signature)
    return signature


@transaction.atomic
def instrument_paper_signature_record(
    *,
    by: Any,
    instrument: Instrument,
    signatory_id: int,
    signed_on: date,
    content: bytes | None = None,
    name: str = "",
) -> Signature:
    """A signature made on paper (002 §2.5 steps 8-9), in the same order; its copy (a PDF) is
    kept beside the stamped version, or is still to be transmitted (``content=None``: DOMAIN §7,
    within 5 business days of the parties' signature)."""
    subject = locked(instrument)
    _require_seen(by, subject)
    contract = contract_of(subject)
    signatory = ContractSignatory.objects.filter(contract=contract, pk=signatory_id).first()
    if signatory is None:
        refuse("signatory", messages.NOT_A_SIGNATORY)
    if not _may_record(by, subject, signatory):
        raise PermissionDenied
    _require_signable(subject)
    signers = signers_of(subject)
    problem = _order_problem(signers, signatory)
    if problem:
        refuse("signatory", problem)
    errors: dict[str, Any] = {}
    if signed_on > _today():
        errors["signed_on"] = messages.SIGNED_ON_FUTURE
    elif signed_on < timezone.localdate(subject.stamped.created_at):
        errors["signed_on"] = messages.SIGNED_ON_BEFORE_STAMP
    copy_problem = _copy_problem(name, content) if content is not None else None
    if copy_problem:
        errors["content"] = copy_problem
    if errors:
        raise ValidationError(errors)
    signature = Signature.objects.create(
        contract=contract,
        amendment=amendment_of(subject),
        signatory=signatory,
        method=SignatureMethod.PAPER,
        signed_on=signed_on,
        signed_at=_now(),
        stamped=subject.stamped,
        version=_keep_copy(by, subject, signatory, content) if content is not None else None,
        recorded_by=by,
    )
    _signed(by, subject, signers, signature)
    return signature


@transaction.atomic
def signature_copy_add(*, by: Any, signature: Signature, content: bytes, name: str) -> Signature:
    """The paper copy still to come (DOMAIN §7): kept beside the stamped version; once the
    parties have signed and every copy is in, the signed document reaches the broker."""
    row = Signature.objects.select_related("amendment", "contract").get(pk=signature.pk)
    subject = locked(row.amendment or row.contract)
    _require_seen(by, subject)
    row = Signature.objects.select_for_update().select_related("signatory").get(pk=row.pk)
    if not _may_record(by, subject, row.signatory):
        raise PermissionDenied
    if row.version_id is not None:
        refuse("content", messages.SIGNED_COPY_NOT_AWAITED)
    problem = _copy_problem(name, content or b"")
    if problem:
        refuse("content", problem)
    row.version = _keep_copy(by, subject, row.signatory, content)
    row.save(update_fields=["version"])
    after = {"signatory": row.signatory.name, "version": row.version.number}
    action = f"{prefix_of(subject)}.signature_copy_added"
    _record(by, action, subject, contract_of(subject), {"version": None}, after)
    if _done(subject) and _copies_in(subject):
        owed = _owed_request(subject)
        if owed is not None:
            _transmit(by, subject, owed)
    return row
