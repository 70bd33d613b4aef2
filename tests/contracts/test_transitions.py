"""The moves of a contract and of an amendment before signing, through the services on a real
database (002 §2.5 steps 5-7, §4.5; DOMAIN §7): sent by the broker to the client's people, who
approve or return it with a comment; validated by the broker, who stamps the latest generated
version (a registered PAdES certification the verification recognises); each refusal names its
reason and each move is audited, the emails read back from the SMTP server on loopback. One world
for the module: a solutions contract in preparation, a services contract concluded with an
amendment in preparation, each with its PDF in place (the generation has its own tests)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractState,
    Party,
)
from courtier.contracts.services import amendments, transitions
from courtier.contracts.services.transitions import contract_of
from courtier.documents import signing
from courtier.documents.models import ValidatedVersion
from courtier.documents.services.store import document_keep
from courtier.documents.verification import Status, verify_pdf
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.factories import pdf_bytes
from tests.helpers import shared_world

BUILT_ON = date(2027, 3, 1)  # the factories' dates are Quebec's (tests/contracts/test_amendments)
EXTEND = [{"kind": "duration", "months": 6}]


# --- helpers the signing tests share -------------------------------------------------------------


def people_of(orgs) -> dict[str, User]:
    """The people ``shared_world`` made for ``orgs``, by key (their first name)."""
    return {
        u.first_name: u
        for u in User.objects.filter(memberships__organisation__in=list(orgs.values()))
    }


def generated(instrument: Contract | Amendment, by: User) -> Contract | Amendment:
    """What the generation does, in place: the instrument's PDF kept (a real one-page PDF, its
    bottom free for the stamp) as its document, generated now."""
    kind = "signed_amendment" if isinstance(instrument, Amendment) else "signed_contract"
    document = document_keep(
        by=by,
        subject=contract_of(instrument),
        type=kind,
        title=f"Document {instrument}",
        name="document.pdf",
        content=pdf_bytes(f"{kind} {instrument.pk}"),
    )
    model = type(instrument)
    at_ = max(timezone.now(), instrument.updated_at)
    model.objects.filter(pk=instrument.pk).update(document=document, generated_at=at_)
    return model.objects.get(pk=instrument.pk)


def reviewed(instrument: Contract | Amendment, people: dict[str, User]) -> Any:
    """Sent for review by the broker and approved by the client's people."""
    broker, client = people["broker_agent"], people["client_procurement"]
    if isinstance(instrument, Amendment):
        transitions.amendment_send_for_review(by=broker, amendment=instrument)
        transitions.amendment_approve(by=client, amendment=instrument)
    else:
        transitions.contract_send_for_review(by=broker, contract=instrument)
        transitions.contract_approve(by=client, contract=instrument)
    return type(instrument).objects.get(pk=instrument.pk)


def validated(instrument: Contract | Amendment, people: dict[str, User]) -> Any:
    instrument = reviewed(instrument, people)
    if isinstance(instrument, Amendment):
        transitions.amendment_validate(by=people["broker_agent"], amendment=instrument)
    else:
        transitions.contract_validate(by=people["broker_agent"], contract=instrument)
    return type(instrument).objects.get(pk=instrument.pk)


def two_client_ranks(contract: Contract, people: dict[str, User]) -> Contract:
    """The client's signatory, then its head (002 §2.5 step 8: its hierarchy), then the
    supplier's representative."""
    return factories.prepared(
        contract,
        people,
        signatories=[
            {"party": Party.CLIENT, "order": 1, "user_id": people["client_signatory"].pk},
            {"party": Party.CLIENT, "order": 2, "user_id": people["client_head"].pk},
            {
                "party": Party.SUPPLIER,
                "order": 1,
                "user_id": factories.supplier_signer(contract).pk,
            },
        ],
    )


def amendment_in_preparation(contract: Contract, people: dict[str, User]) -> Amendment:
    amendment = amendments.amendment_request(
        by=people["client_procurement"],
        contract=contract,
        reason="Six mois de plus.",
        changes=EXTEND,
    )
    amendments.amendment_prepare(by=people["broker_agent"], amendment=amendment, fee_cents=500_00)
    return generated(Amendment.objects.get(pk=amendment.pk), people["broker_agent"])


def actions_on(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type=f"contracts.{type(obj).__name__.lower()}", object_id=str(obj.pk)
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- this module's world ---------------------------------------------------------------------


def build(orgs) -> dict[str, Any]:
    people = people_of(orgs)
    signing.broker_certificate()  # made on the real clock: valid whatever the tests' clock
    with at(BUILT_ON, 10):
        contract = generated(
            two_client_ranks(factories.solutions_contract(orgs, people, ready=False), people),
            people["broker_agent"],
        )
        concluded = factories.forced(
            factories.services_contract(orgs, people), ContractState.CONCLUDED
        )
        amendment = amendment_in_preparation(concluded, people)
    return {"contract": contract, "amendment": amendment}


shared, world, orgs, people = shared_world(build)


@pytest.fixture(autouse=True)
def clock():
    with at(BUILT_ON + timedelta(days=1), 10):
        yield


@pytest.fixture
def contract(world) -> Contract:
    return Contract.objects.get(pk=world[2]["contract"].pk)


@pytest.fixture
def amendment(world) -> Amendment:
    return Amendment.objects.get(pk=world[2]["amendment"].pk)


# --- the contract ----------------------------------------------------------------------------


def test_the_broker_sends_the_prepared_contract_to_the_clients_people(
    contract, people, mailbox, run_on_commit
):
    """002 §2.5 step 6: the assembled documents go to the client for validation; audited, and
    its acquisitions and finance officers are told."""
    with run_on_commit():
        transitions.contract_send_for_review(by=people["broker_agent"], contract=contract)
    contract.refresh_from_db()
    assert contract.state == ContractState.CLIENT_REVIEW
    assert actions_on(contract)[-1] == "contract.send_for_review"
    for key in ("client_procurement", "client_finance"):
        [message] = mailbox.to(people[key].email)
        assert contract.reference in str(message["Subject"])
        assert f"/contrats/{contract.pk}/" in mailbox.body(message)
    assert not mailbox.to(people["client_signatory"].email)


def test_a_contract_without_its_generated_documents_is_not_sent(contract, people):
    """002 §2.5 step 6: what goes to the client is the generated contract, and the current one."""
    Contract.objects.filter(pk=contract.pk).update(document=None)
    with pytest.raises(ValidationError) as refused:
        transitions.contract_send_for_review(by=people["broker_agent"], contract=contract)
    assert refused.value.message_dict["document"] == [str(messages.NO_DOCUMENT)]
    Contract.objects.filter(pk=contract.pk).update(
        document=contract.document, updated_at=contract.generated_at + timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as refused:
        transitions.contract_send_for_review(by=people["broker_agent"], contract=contract)
    assert refused.value.message_dict["document"] == [str(messages.DOCUMENT_STALE)]


def test_only_the_broker_sends_and_only_the_clients_people_approve(contract, people):
    """002 §2.5 steps 6-7: each move has its actor; anyone else is refused (403)."""
    with pytest.raises(PermissionDenied):
        transitions.contract_send_for_review(by=people["client_procurement"], contract=contract)
    transitions.contract_send_for_review(by=people["broker_agent"], contract=contract)
    for key in ("broker_agent", "supplier_rep", "client_signatory"):
        with pytest.raises(PermissionDenied):
            transitions.contract_approve(by=people[key], contract=contract)
    assert Contract.objects.get(pk=contract.pk).state == ContractState.CLIENT_REVIEW


def test_the_client_returns_the_contract_with_a_comment_only(contract, people):
    """002 §2.5 step 7: the client returns the documents to the broker saying what to correct;
    the comment is kept and audited, and cleared when the contract is sent again."""
    broker, client = people["broker_agent"], people["client_procurement"]
    transitions.contract_send_for_review(by=broker, contract=contract)
    with pytest.raises(ValidationError) as refused:
        transitions.contract_return(by=client, contract=contract, comment="  ")
    assert refused.value.message_dict["review_comment"] == [str(messages.COMMENT_REQUIRED)]
    transitions.contract_return(by=client, contract=contract, comment="Annexe B incomplète.")
    contract.refresh_from_db()
    assert (contract.state, contract.review_comment) == (
        ContractState.PREPARATION,
        "Annexe B incomplète.",
    )
    event = AuditEvent.objects.filter(action="contract.return").latest("seq")
    assert event.after == {"state": "preparation", "review_comment": "Annexe B incomplète."}
    transitions.contract_send_for_review(by=broker, contract=contract)
    assert Contract.objects.get(pk=contract.pk).review_comment == ""


def test_the_broker_validates_only_an_approved_contract(contract, people):
    """002 §2.5 step 7: the final version is validated once the client approved it."""
    transitions.contract_send_for_review(by=people["broker_agent"], contract=contract)
    with pytest.raises(ValidationError) as refused:
        transitions.contract_validate(by=people["broker_agent"], contract=contract)
    assert refused.value.message_dict["action"] == [str(messages.TRANSITION_REFUSED)]
    assert not ValidatedVersion.objects.exists()


def test_validating_stamps_the_generated_version_and_asks_the_first_signatory(
    contract, people, mailbox, run_on_commit
):
    """DOMAIN §7, 002 §2.3.1: the broker's stamp certifies the latest generated version, kept as
    a new version and registered under « Contrat <numéro> »; the verification recognises it; the
    client's first signatory (not the second rank yet) is asked to sign."""
    contract = reviewed(contract, people)
    generated_version = contract.document.current
    with run_on_commit():
        transitions.contract_validate(by=people["broker_agent"], contract=contract)
    contract.refresh_from_db()
    assert contract.state == ContractState.VALIDATED
    assert contract.stamped.number == generated_version.number + 1
    registered = contract.stamped.validation
    assert registered.label == f"Contrat {contract.reference}"
    with contract.stamped.stored.file.open("rb") as handle:
        assert verify_pdf(handle.read()).status == Status.VALIDATED
    assert actions_on(contract)[-3:] == [
        "contract.send_for_review",
        "contract.approve",
        "contract.validate",
    ]
    [message] = mailbox.to(people["client_signatory"].email)
    assert contract.reference in str(message["Subject"])
    assert not mailbox.to(people["client_head"].email)


def test_the_planning_deadline_is_30_days_after_the_startup_contact(contract):
    """DOMAIN §3.5 (002 §2.5): at least 30 days from the startup contact to a signed contract."""
    assert transitions.planning_deadline(contract) == contract.startup_contact_on + timedelta(30)


# --- the amendment ---------------------------------------------------------------------------


def test_an_amendment_goes_to_review_back_and_to_validation_like_a_contract(
    amendment, people, mailbox, run_on_commit
):
    """002 §4.5: the amendment is prepared by the broker, validated by the client (or returned
    with a comment), then validated and stamped by the broker as « Avenant no 1 du contrat … »."""
    broker, client = people["broker_agent"], people["client_procurement"]
    with run_on_commit():
        transitions.amendment_send_for_review(by=broker, amendment=amendment)
    [message] = mailbox.to(client.email)
    assert "Avenant no 1" in str(message["Subject"])
    transitions.amendment_return(by=client, amendment=amendment, comment="Le motif est à revoir.")
    assert Amendment.objects.get(pk=amendment.pk).state == AmendmentState.PREPARATION
    with pytest.raises(PermissionDenied):
        transitions.amendment_validate(by=client, amendment=amendment)
    stamped = validated(Amendment.objects.get(pk=amendment.pk), people)
    assert stamped.state == AmendmentState.VALIDATED
    label = f"Avenant no 1 du contrat {stamped.contract.reference}"
    assert stamped.stamped.validation.label == label
    assert actions_on(stamped)[-5:] == [
        "amendment.send_for_review",
        "amendment.return",
        "amendment.send_for_review",
        "amendment.approve",
        "amendment.validate",
    ]
