"""The moves of a contract and of its amendments before signing (``workflow``; 002 §2.5 steps
5-7, §4.5): the broker sends the assembled documents to the client for validation, the client
approves them or returns them with a comment, the broker validates the final version by
stamping it (DOMAIN §7; 002 §2.3.1: final versions are signed as presented). A contract and an
amendment move the same way: both are an "instrument" here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from courtier.contracts import rules
from courtier.contracts.models import Amendment, Contract, ContractSignatory, Party, Signature
from courtier.contracts.services import generation
from courtier.contracts.services.common import (
    _lock,
    _lock_amendment,
    _require_actor,
    actors_of,
    client_emails,
    contract_url,
    supplier_emails,
)
from courtier.contracts.workflow import AMENDMENT_WORKFLOW, CONTRACT_WORKFLOW
from courtier.core.mail import notify
from courtier.core.workflow import Workflow
from courtier.documents.services.stamps import document_stamp

Instrument = Contract | Amendment
REVIEW_TEMPLATE = "contracts/email/review_asked"
TO_SIGN_TEMPLATE = "contracts/email/to_sign"


# --- an instrument: a contract or one of its amendments ----------------------------------------


def contract_of(instrument: Instrument) -> Contract:
    return instrument.contract if isinstance(instrument, Amendment) else instrument


def amendment_of(instrument: Instrument) -> Amendment | None:
    return instrument if isinstance(instrument, Amendment) else None


def workflow_of(instrument: Instrument) -> Workflow:
    return AMENDMENT_WORKFLOW if isinstance(instrument, Amendment) else CONTRACT_WORKFLOW


def prefix_of(instrument: Instrument) -> str:
    """The audit actions' prefix: ``contract`` or ``amendment``."""
    return "amendment" if isinstance(instrument, Amendment) else "contract"


def locked(instrument: Instrument) -> Instrument:
    """The instrument locked, and its contract with it (an amendment's first, as in
    ``amendments.amendment_apply``)."""
    if isinstance(instrument, Amendment):
        amendment = _lock_amendment(instrument)
        amendment.contract = _lock(amendment.contract)
        return amendment
    return _lock(instrument)


def label_of(instrument: Instrument) -> str:
    """What the broker's stamp says was validated (documents.services.stamps)."""
    contract = contract_of(instrument)
    if isinstance(instrument, Amendment):
        return f"Avenant no {instrument.number} du contrat {contract.reference}"
    return f"Contrat {contract.reference}"


def file_stem(instrument: Instrument) -> str:
    contract = contract_of(instrument)
    if isinstance(instrument, Amendment):
        return f"{contract.reference}-avenant-{instrument.number}"
    return contract.reference


def signatures_of(instrument: Instrument):
    """The signatures made on this instrument (a contract's own, or an amendment's)."""
    return Signature.objects.filter(
        contract=contract_of(instrument), amendment=amendment_of(instrument)
    )


def signers_of(instrument: Instrument) -> list[rules.Signer]:
    """The contract's signatories (an amendment is signed by the same), signed or not yet."""
    signed = set(signatures_of(instrument).values_list("signatory_id", flat=True))
    return [
        rules.Signer(key=s.pk, party=s.party, order=s.order, signed=s.pk in signed)
        for s in ContractSignatory.objects.filter(contract=contract_of(instrument))
    ]


def context_of(instrument: Instrument, **more: Any) -> dict[str, Any]:
    """What every email of these moves is given."""
    contract = contract_of(instrument)
    return {
        "contract": contract,
        "amendment": amendment_of(instrument),
        "url": contract_url(contract),
        **more,
    }


def tell_next_signers(instrument: Instrument) -> None:
    """The signatories whose turn it is (002 §2.5 steps 8-9) are asked to sign; the supplier's
    representatives too once it is the supplier's turn, and the client's people when one of its
    signatories has no account (they record a paper signature)."""
    keys = rules.next_signers(signers_of(instrument))
    if not keys:
        return
    signatories = list(ContractSignatory.objects.filter(pk__in=keys).select_related("user"))
    to = {s.user.email for s in signatories if s.user is not None}
    party = signatories[0].party
    if party == Party.SUPPLIER:
        to |= set(supplier_emails(contract_of(instrument)))
    elif any(s.user is None for s in signatories):
        to |= set(client_emails(contract_of(instrument)))
    notify(
        to=sorted(to),
        template=TO_SIGN_TEMPLATE,
        context=context_of(instrument, party=party, names=[s.name for s in signatories]),
    )


def planning_deadline(contract: Contract) -> date:
    """DOMAIN §3.5 (002 §2.5, §3.5): plan at least 30 days from the startup contact to a signed
    contract: the day it should be signed by, shown on the file."""
    return contract.startup_contact_on + timedelta(days=rules.PLANNING_DAYS)


# --- the moves ---------------------------------------------------------------------------------


def _move(
    by: Any, instrument: Instrument, action: str, actor: str, values: dict[str, Any] | None = None
) -> Instrument:
    """The move ``action`` of the locked instrument, for one who may act as ``actor`` on its
    contract (``PermissionDenied`` for anyone else)."""
    subject = locked(instrument)
    contract = contract_of(subject)
    _require_actor(by, contract, actor)
    workflow_of(subject).run(
        subject=subject,
        action=action,
        by=by,
        acting_as=actors_of(by, contract),
        values=values or {},
    )
    return subject


def _send_for_review(by: Any, instrument: Instrument) -> Instrument:
    """002 §2.5 step 6 (§4.5): the assembled documents go to the client's people."""
    subject = _move(
        by, instrument, rules.Action.SEND_FOR_REVIEW, rules.Actor.BROKER, {"review_comment": ""}
    )
    notify(
        to=client_emails(contract_of(subject)),
        template=REVIEW_TEMPLATE,
        context=context_of(subject),
    )
    return subject


def _approve(by: Any, instrument: Instrument) -> Instrument:
    """002 §2.5 step 7: the client approves the documents (its work item for the broker)."""
    return _move(by, instrument, rules.Action.APPROVE, rules.Actor.CLIENT)


def _return(by: Any, instrument: Instrument, comment: str) -> Instrument:
    """The client returns the documents to the broker with a comment (required)."""
    return _move(
        by,
        instrument,
        rules.Action.RETURN,
        rules.Actor.CLIENT,
        {"review_comment": (comment or "").strip()[: rules.MAX_TEXT_LENGTH]},
    )


def _validate(by: Any, instrument: Instrument) -> Instrument:
    """The broker validates the final version: the latest generated version is stamped with its
    key and registered (DOMAIN §7; 002 §2.3.1), and the first client signatories are asked to
    sign it as presented."""
    subject = _move(by, instrument, rules.Action.VALIDATE, rules.Actor.BROKER)
    validated = document_stamp(
        by=by,
        document=subject.document,
        pdf=generation.current_pdf(subject),  # the latest generated version
        label=label_of(subject),
        name=f"{file_stem(subject)}-valide.pdf",
    )
    subject.stamped = validated.version
    subject.save(update_fields=["stamped"])
    tell_next_signers(subject)
    return subject


@transaction.atomic
def contract_send_for_review(*, by: Any, contract: Contract) -> Contract:
    return _send_for_review(by, contract)


@transaction.atomic
def contract_approve(*, by: Any, contract: Contract) -> Contract:
    return _approve(by, contract)


@transaction.atomic
def contract_return(*, by: Any, contract: Contract, comment: str) -> Contract:
    return _return(by, contract, comment)


@transaction.atomic
def contract_validate(*, by: Any, contract: Contract) -> Contract:
    return _validate(by, contract)


@transaction.atomic
def amendment_send_for_review(*, by: Any, amendment: Amendment) -> Amendment:
    return _send_for_review(by, amendment)


@transaction.atomic
def amendment_approve(*, by: Any, amendment: Amendment) -> Amendment:
    return _approve(by, amendment)


@transaction.atomic
def amendment_return(*, by: Any, amendment: Amendment, comment: str) -> Amendment:
    return _return(by, amendment, comment)


@transaction.atomic
def amendment_validate(*, by: Any, amendment: Amendment) -> Amendment:
    return _validate(by, amendment)
