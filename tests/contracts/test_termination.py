"""The termination of a contract (DOMAIN §7: « lettre de résiliation et documents liés », kept
seven years after the end and transmitted to the broker « dès que la résiliation est
effective »): the client's people record it with their letter (a PDF), the contract ends on the
effective date, its documents' disposal dates move with that end, and the broker and the
supplier are emailed. One concluded contract for the module (``forced``)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import Contract, ContractState, EntryKind, Termination
from courtier.contracts.services.consumption import entry_record
from courtier.contracts.services.termination import contract_terminate
from courtier.documents import subjects
from courtier.documents.models import Document, TransmissionRequest, TransmissionStatus
from tests.contracts.factories import forced
from tests.contracts.test_consumption import concluded_contract
from tests.files import samples
from tests.helpers import shared_world

EFFECTIVE = date(2027, 9, 30)

shared, world, orgs, people = shared_world(concluded_contract)


@pytest.fixture
def contract(world) -> Contract:
    return Contract.objects.get(pk=world[2].pk)


def terminate(by, contract, **kw):
    values = {
        "effective_on": EFFECTIVE,
        "reason": "Manquements répétés aux niveaux de service",
        "content": samples.pdf("lettre de résiliation"),
        "name": "resiliation.pdf",
    }
    return contract_terminate(by=by, contract=contract, **(values | kw))


def written() -> tuple[int, int, int]:
    return Termination.objects.count(), AuditEvent.objects.count(), Document.objects.count()


def test_the_letter_is_kept_the_contract_ends_on_the_effective_date_and_reaches_the_broker(
    contract, people
):
    """DOMAIN §7: the termination letter is kept as a termination document and owed to the
    broker at once: the obligation it opens is answered with the letter itself."""
    termination = terminate(people["client_procurement"], contract)
    contract.refresh_from_db()
    assert contract.state == ContractState.TERMINATED
    assert contract.ended_on == EFFECTIVE
    letter = termination.letter
    assert (letter.type, letter.subject) == ("termination", contract)
    assert letter.disposal_on == EFFECTIVE + relativedelta(years=7)
    [owed] = TransmissionRequest.objects.filter(
        subject_type=subjects.content_type(contract), subject_id=contract.pk, type="termination"
    )
    assert (owed.status, owed.document, owed.due_on) == (
        TransmissionStatus.ANSWERED,
        letter,
        EFFECTIVE,
    )
    event = AuditEvent.objects.get(action="contract.terminate", object_id=str(contract.pk))
    assert event.before == {"state": ContractState.CONCLUDED}
    assert event.after == {"state": ContractState.TERMINATED, "ended_on": "2027-09-30"}


def test_the_contracts_documents_are_kept_seven_years_from_the_new_end(contract, people):
    """DOMAIN §7: « 7 ans suivant la fin du contrat » counts from the termination's effective
    date once the contract is terminated, not from its planned end."""
    entry = entry_record(
        by=people["client_finance"],
        contract=contract,
        kind=EntryKind.INVOICE,
        number="F-1",
        dated_on=date(2027, 7, 1),
        amount_cents=100_00,
        content=samples.pdf("facture"),
        name="facture.pdf",
    )
    assert entry.document.disposal_on == contract.ends_on + relativedelta(years=7)
    terminate(people["client_procurement"], contract)
    entry.document.refresh_from_db()
    assert entry.document.disposal_on == EFFECTIVE + relativedelta(years=7)


def test_the_broker_and_the_supplier_are_emailed(contract, people, mailbox, run_on_commit):
    """DOMAIN §7 (the broker is told at once) and the supplier, the other party."""
    with run_on_commit():
        terminate(people["client_procurement"], contract)
    for key in ("broker_agent", "broker_admin", "provider_rep"):
        [message] = [m for m in mailbox.to(people[key].email) if "résilié" in str(m["Subject"])]
        assert contract.reference in str(message["Subject"])
        assert "30 septembre 2027" in str(message["Subject"])
        assert "Manquements répétés" in mailbox.body(message)
    assert not mailbox.to(people["client_procurement"].email)


@pytest.mark.parametrize(
    ("state"),
    [ContractState.CLIENT_SIGNED, ContractState.ENDED, ContractState.TERMINATED],
)
def test_only_a_concluded_or_in_force_contract_is_terminated(contract, people, state):
    """002 §4.4: only a signed contract binds the parties; an ended one has nothing left."""
    forced(contract, state)
    before = written()
    with pytest.raises(ValidationError) as refused:
        terminate(people["client_procurement"], contract)
    assert refused.value.message_dict == {"state": [str(messages.NOT_TERMINABLE)]}
    assert written() == before


def test_a_contract_in_force_is_terminated_too(contract, people):
    """002 §4.4: a contract in force ends at the effective date like a concluded one."""
    forced(contract, ContractState.IN_FORCE)
    assert terminate(people["client_procurement"], contract).effective_on == EFFECTIVE


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"effective_on": date(2027, 5, 31)}, "effective_on", messages.EFFECTIVE_BEFORE_START),
        ({"effective_on": date(2030, 1, 1)}, "effective_on", messages.EFFECTIVE_AFTER_END),
        ({"effective_on": None}, "effective_on", messages.REQUIRED),
        ({"reason": "  "}, "reason", messages.REQUIRED),
        ({"content": None}, "letter", messages.LETTER_REQUIRED),
        (
            {"content": samples.ooxml("docx"), "name": "lettre.docx"},
            "letter",
            messages.LETTER_NOT_PDF,
        ),
    ],
    ids=["before-start", "after-end", "no-date", "no-reason", "no-letter", "a-docx"],
)
def test_each_refusal_names_its_field_and_writes_nothing(contract, people, values, field, message):
    """The effective date lies between the contract's start and its planned end; the reason
    is given; the letter is a PDF (DOMAIN §7)."""
    before = written()
    with pytest.raises(ValidationError) as refused:
        terminate(people["client_procurement"], contract, **values)
    assert refused.value.message_dict[field] == [str(message)]
    assert written() == before
    contract.refresh_from_db()
    assert contract.state == ContractState.CONCLUDED


def test_a_letter_whose_bytes_are_not_a_pdf_is_refused_naming_it(contract, people):
    """DOMAIN §7: the letter is a PDF, typed from its bytes (files.inspection), never its name."""
    with pytest.raises(ValidationError) as refused:
        terminate(people["client_procurement"], contract, content=samples.ooxml("docx"))
    assert "resiliation.pdf" in refused.value.message_dict["letter"][0]


@pytest.mark.parametrize(
    "key", ["broker_agent", "provider_rep", "client_signatory", "group_procurement"]
)
def test_only_the_clients_people_terminate(contract, people, key):
    """002 §4.4: the client manages its contract; the broker and the supplier are told."""
    with pytest.raises(PermissionDenied):
        terminate(people[key], contract)
