"""Signing contracts and amendments through the services on a real database (002 §2.5 steps
8-9, §2.3.1, §4.5; DOMAIN §7): the stamped version signed as presented, in order (the client's
signatories by rank, then the supplier), in the platform after typing the password again (a PAdES
approval signature the verification still recognises) or on paper (a PDF copy, or one still to
come); the last supplier signature concludes the contract (or signs the amendment, whose changes
apply) and opens what is owed to the broker within 5 business days, answered at once when every
signature is in, else when the last copy arrives. Refusals write nothing; every signature and
move is audited; the emails are read back from the SMTP server on loopback. One world for the
module: a solutions contract validated for signing (two client ranks, then the supplier), and a
concluded services contract with a validated amendment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractSignatory,
    ContractState,
    Party,
    Signature,
    SignatureMethod,
)
from courtier.contracts.services import amendments, signing
from courtier.documents import signing as pades
from courtier.documents.models import DocumentVersion, TransmissionRequest, TransmissionStatus
from courtier.documents.verification import Status, verify_pdf
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.contracts.test_transitions import (
    BUILT_ON,
    actions_on,
    amendment_in_preparation,
    generated,
    people_of,
    two_client_ranks,
    validated,
)
from tests.factories import PASSWORD, pdf_bytes
from tests.files import samples
from tests.helpers import shared_world


def build(orgs) -> dict[str, Contract | Amendment]:
    people = people_of(orgs)
    pades.broker_certificate()  # made on the real clock: valid whatever the tests' clock
    with at(BUILT_ON, 10):
        contract = two_client_ranks(factories.solutions_contract(orgs, people, ready=False), people)
        contract = validated(generated(contract, people["broker_agent"]), people)
        concluded = factories.forced(
            factories.services_contract(orgs, people), ContractState.CONCLUDED
        )
        amendment = validated(amendment_in_preparation(concluded, people), people)
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


def signatory(instrument, party: str, order: int = 1) -> ContractSignatory:
    contract = getattr(instrument, "contract", instrument)
    return ContractSignatory.objects.get(contract=contract, party=party, order=order)


def supplier_person(instrument):
    return signatory(instrument, Party.SUPPLIER).user


def sign(instrument, by, password: str = PASSWORD, version_id=None) -> Signature:
    """``by`` signs in the platform the version the page showed: the stamped chain's head."""
    fresh = type(instrument).objects.get(pk=instrument.pk)
    head = signing.chain_head(fresh)
    return signing.instrument_sign(
        by=by,
        instrument=fresh,
        password=password,
        version_id=head.pk if version_id is None else version_id,
    )


def paper(instrument, by, party: str, signed_on: date, content=None, order: int = 1, name=""):
    return signing.instrument_paper_signature_record(
        by=by,
        instrument=type(instrument).objects.get(pk=instrument.pk),
        signatory_id=signatory(instrument, party, order).pk,
        signed_on=signed_on,
        content=content,
        name=name,
    )


def written() -> tuple[int, int, int]:
    """What a refusal must leave as it was: signatures, audit events, document versions."""
    return Signature.objects.count(), AuditEvent.objects.count(), DocumentVersion.objects.count()


def refused(field: str, call, *args, **kwargs) -> list[str]:
    before = written()
    with pytest.raises(ValidationError) as error:
        call(*args, **kwargs)
    assert written() == before
    return error.value.message_dict[field]


def owed(instrument) -> TransmissionRequest:
    return TransmissionRequest.objects.get(
        type=instrument.document.type, subject_id=instrument.document.subject_id
    )


def pdf_of(version: DocumentVersion) -> bytes:
    with version.stored.file.open("rb") as handle:
        return handle.read()


# --- in the platform, in order -----------------------------------------------------------------


def test_the_client_signs_by_rank_then_the_supplier_and_the_contract_is_concluded(
    contract, people, mailbox, run_on_commit
):
    """002 §2.5 steps 8-9, DOMAIN §7: the client's signatory, then its head, then the supplier
    sign the stamped version in the platform; each is asked in turn; the last signature
    concludes the contract, whose signed PDF (all in the platform) reaches the broker at once;
    every step audited; everyone told; the signed PDF is still the validated version."""
    supplier = supplier_person(contract)
    with run_on_commit():
        first = sign(contract, people["client_signatory"])
    assert Contract.objects.get(pk=contract.pk).state == ContractState.VALIDATED
    assert (first.method, first.stamped, first.signed_on) == (
        SignatureMethod.PLATFORM,
        contract.stamped,
        BUILT_ON + timedelta(days=1),
    )
    [asked] = mailbox.to(people["client_head"].email)
    assert "à signer" in str(asked["Subject"])
    assert not mailbox.to(supplier.email)
    with run_on_commit():
        sign(contract, people["client_head"])
    assert Contract.objects.get(pk=contract.pk).state == ContractState.CLIENT_SIGNED
    assert len(mailbox.to(supplier.email)) == 1
    with run_on_commit():
        last = sign(contract, supplier)
    contract.refresh_from_db()
    assert (contract.state, contract.concluded_on) == (ContractState.CONCLUDED, last.signed_on)
    answered = owed(contract)
    assert (answered.status, answered.document) == (TransmissionStatus.ANSWERED, contract.document)
    assert answered.due_on > contract.concluded_on
    assert actions_on(contract)[-6:] == [
        "contract.signed",
        "contract.signed",
        "contract.sign_client",
        "contract.signed",
        "contract.sign_supplier",
        "contract.transmitted",
    ]
    event = AuditEvent.objects.filter(action="contract.signed").latest("seq")
    assert event.after["method"] == "platform"
    assert event.after["version"] == last.version.number
    for person in (people["client_procurement"], people["broker_agent"], supplier):
        concluded = [m for m in mailbox.to(person.email) if "conclu" in str(m["Subject"])]
        assert len(concluded) == 1
        assert "transmis au Courtier" in mailbox.body(concluded[0])
    checked = verify_pdf(pdf_of(last.version))
    assert checked.status == Status.VALIDATED_SIGNED
    assert checked.validated.version == contract.stamped
    assert len(checked.signatures) == 3


def test_signatures_out_of_order_are_refused(contract, people):
    """002 §2.5 steps 8-9: the supplier signs after the client, the client's second rank after
    its first."""
    for who in (supplier_person(contract), people["client_head"]):
        problem = refused("signatory", sign, contract, who)
        assert problem == [str(messages.OUT_OF_ORDER)]


def test_a_signatory_signs_once(contract, people):
    """002 §2.5 step 8: one signature per signatory."""
    sign(contract, people["client_signatory"])
    problem = refused("signatory", sign, contract, people["client_signatory"])
    assert problem == [str(messages.ALREADY_SIGNED)]


def test_only_the_designated_signatories_sign(contract, people):
    """002 §2.5 step 8: the client's officer who is not a designated signatory is refused; a
    person who does not even see the contract is refused outright (403)."""
    problem = refused("signatory", sign, contract, people["client_procurement"])
    assert problem == [str(messages.NOT_A_SIGNATORY)]
    with pytest.raises(PermissionDenied):
        sign(contract, people["group_procurement"])


def test_a_wrong_password_is_refused_with_nothing_written(contract, people):
    """002 §2.5 (signature électronique): signing asks the signer to confirm their identity."""
    problem = refused("password", sign, contract, people["client_signatory"], "pas le bon")
    assert problem == [str(messages.PASSWORD_WRONG)]


def test_only_the_current_version_of_the_stamped_chain_is_signed(contract, people):
    """002 §2.3.1: final versions are signed as presented: neither the generated draft, nor a
    stamped version another signature has moved past, nor anything else."""
    draft = contract.document.versions.get(number=contract.stamped.number - 1)
    for version_id in (draft.pk, "n'importe quoi"):
        problem = refused(
            "version", sign, contract, people["client_signatory"], PASSWORD, version_id
        )
        assert problem == [str(messages.NOT_THE_STAMPED_VERSION)]
    sign(contract, people["client_signatory"])
    problem = refused(
        "version", sign, contract, people["client_head"], PASSWORD, contract.stamped.pk
    )
    assert problem == [str(messages.NOT_THE_STAMPED_VERSION)]


# --- on paper ----------------------------------------------------------------------------------


def test_a_paper_copy_that_is_not_a_pdf_is_refused(contract, people):
    """DOMAIN §7: the signed copy is kept as a PDF."""
    problem = refused(
        "content",
        paper,
        contract,
        people["client_procurement"],
        Party.CLIENT,
        BUILT_ON + timedelta(days=1),
        content=samples.ooxml("docx"),
        name="copie.docx",
    )
    assert problem == [str(messages.PAPER_COPY_NOT_PDF)]


def test_a_paper_signature_is_dated_between_the_stamp_and_today(contract, people):
    """002 §2.5 step 8: the version signed is the one the broker validated, on a day that came."""
    for day, message in (
        (BUILT_ON + timedelta(days=2), messages.SIGNED_ON_FUTURE),
        (BUILT_ON - timedelta(days=1), messages.SIGNED_ON_BEFORE_STAMP),
    ):
        problem = refused(
            "signed_on", paper, contract, people["client_procurement"], Party.CLIENT, day
        )
        assert problem == [str(message)]


def test_a_paper_signature_is_recorded_by_its_side_only(contract, people):
    """002 §2.5 step 8: the client's people record the client's paper signatures; the supplier's
    representative does not."""
    with pytest.raises(PermissionDenied):
        paper(contract, supplier_person(contract), Party.CLIENT, BUILT_ON)


def test_a_copy_still_to_come_keeps_the_transmission_open_5_business_days_then_answers_it(
    contract, people, mailbox, run_on_commit
):
    """DOMAIN §7 (002 §4.10): signed on Tuesday 2027-06-22, the signed contract is due at the
    broker 5 business days later, Thursday 24 June (Fête nationale) skipped: Wednesday
    2027-06-30. Open while the supplier's paper copy is missing; answered when it is added."""
    supplier = supplier_person(contract)
    with at(date(2027, 6, 22), 10):
        client = paper(
            contract,
            people["client_procurement"],
            Party.CLIENT,
            date(2027, 6, 21),
            content=pdf_bytes("copie signée du client"),
            name="copie.pdf",
        )
        assert client.version is not None and client.version != contract.stamped
        sign(contract, people["client_head"])
        with run_on_commit():
            last = paper(contract, supplier, Party.SUPPLIER, date(2027, 6, 22))
        contract.refresh_from_db()
        assert last.version is None
        assert (contract.state, contract.concluded_on) == (
            ContractState.CONCLUDED,
            date(2027, 6, 22),
        )
        open_ = owed(contract)
        assert (open_.status, open_.due_on) == (TransmissionStatus.OPEN, date(2027, 6, 30))
        [told] = [m for m in mailbox.to(supplier.email) if "conclu" in str(m["Subject"])]
        assert "30 juin 2027" in mailbox.body(told)
        assert "contract.transmitted" not in actions_on(contract)
        signing.signature_copy_add(
            by=supplier, signature=last, content=pdf_bytes("copie du fournisseur"), name="f.pdf"
        )
    answered = owed(contract)
    assert (answered.status, answered.document) == (TransmissionStatus.ANSWERED, contract.document)
    assert actions_on(contract)[-2:] == ["contract.signature_copy_added", "contract.transmitted"]
    last.refresh_from_db()
    problem = refused(
        "content",
        signing.signature_copy_add,
        by=supplier,
        signature=last,
        content=pdf_bytes("encore"),
        name="g.pdf",
    )
    assert problem == [str(messages.SIGNED_COPY_NOT_AWAITED)]


# --- an amendment ------------------------------------------------------------------------------


def test_an_amendment_signed_by_the_parties_applies_and_reaches_the_broker(
    amendment, people, mailbox, run_on_commit
):
    """002 §4.5: the amendment is signed like the contract (the client, then the supplier); once
    signed, its changes are part of the contract (its end moves six months) and the signed
    amendment reaches the broker at once (DOMAIN §7)."""
    contract = amendment.contract
    ends_on = contract.ends_on
    sign(amendment, people["client_signatory"])
    assert Amendment.objects.get(pk=amendment.pk).state == AmendmentState.CLIENT_SIGNED
    with run_on_commit():
        last = sign(amendment, supplier_person(amendment))
    amendment.refresh_from_db()
    assert (amendment.state, amendment.signed_on) == (AmendmentState.SIGNED, last.signed_on)
    assert actions_on(amendment)[-5:] == [
        "amendment.signed",
        "amendment.sign_client",
        "amendment.signed",
        "amendment.sign_supplier",
        "amendment.transmitted",
    ]
    assert owed(amendment).status == TransmissionStatus.ANSWERED
    assert Signature.objects.filter(amendment=amendment).count() == 2
    assert not Signature.objects.filter(contract=contract, amendment=None).exists()
    if hasattr(amendments, "amendment_apply"):
        contract.refresh_from_db()
        assert contract.ends_on > ends_on
        assert actions_on(contract)[-1] == "contract.amended"
    [told] = [
        m for m in mailbox.to(people["client_procurement"].email) if "Avenant" in str(m["Subject"])
    ]
    assert "signé par les parties" in str(told["Subject"])


def test_only_a_validated_final_version_is_signed(amendment, people):
    """002 §2.3.1: what is signed is the final version the broker stamped; a concluded contract
    (never stamped here) has nothing left to sign."""
    problem = refused("state", sign, amendment.contract, people["client_signatory"], PASSWORD, 0)
    assert problem == [str(messages.NOT_SIGNABLE)]
