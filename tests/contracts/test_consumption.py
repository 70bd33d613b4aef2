"""Consumption against the authorised amount (002 §4.4: the client follows its consumption against
the contract's amount): orders refused beyond 100 % of the current authorised amount until a
signed amendment raises it (002 §4.5), the client's people told once at 80 % and once at 100 % of
the invoices (by the real SMTP server on loopback), the CSV import checked like every upload
(files.inspection) with every bad line named and the whole file refused. One concluded contract
for the module (``forced``: the signing path has its own tests)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    ConsumptionEntry,
    Contract,
    ContractState,
    EntryKind,
)
from courtier.contracts.services.consumption import entries_import, entry_record
from courtier.core.formatting import money
from courtier.documents.models import Document
from tests.acquisitions.factories import at
from tests.contracts.factories import forced, services_contract
from tests.factories import PEOPLE
from tests.files import samples
from tests.helpers import shared_world

DAY = date(2027, 6, 15)  # after the contract's start (2027-06-01)


def people_of(orgs) -> dict[str, User]:
    """The people ``shared_world`` made for ``orgs``, by key (one person per role and org)."""
    return {
        key: User.objects.get(memberships__organisation=orgs[org], memberships__role=role)
        for key, (org, role) in PEOPLE.items()
    }


def concluded_contract(orgs) -> Contract:
    """A services contract of the Ministère A with Prestataire F, forced to concluded. Made at
    noon in Quebec: ``factories.prepared`` confirms eligibility on ``created_at.date()`` (UTC),
    a day after Quebec's date in the evening."""
    with at(timezone.localdate(), 12):
        return forced(services_contract(orgs, people_of(orgs)), ContractState.CONCLUDED)


shared, world, orgs, people = shared_world(concluded_contract)


@pytest.fixture
def contract(world) -> Contract:
    return Contract.objects.get(pk=world[2].pk)


def record(by, contract, kind=EntryKind.ORDER, cents=100_00, number="C-1", **kw):
    return entry_record(
        by=by, contract=contract, kind=kind, number=number, dated_on=DAY, amount_cents=cents, **kw
    )


def written(contract) -> tuple[int, int, int]:
    """What a refusal must leave as it was: entries, audit events, documents."""
    return (
        ConsumptionEntry.objects.filter(contract=contract).count(),
        AuditEvent.objects.count(),
        Document.objects.count(),
    )


def signed_amendment(contract, by, cents: int) -> Amendment:
    """A signed amendment raising the authorised amount (its signing has its own tests): the
    current terms read it (selectors.current_terms)."""
    return Amendment.objects.create(
        contract=contract,
        number=1,
        state=AmendmentState.SIGNED,
        reason="Hausse du volume",
        changes=[{"kind": "amount", "cents": cents}],
        requested_by=by,
        signed_on=DAY,
    )


def csv_of(*lines: str) -> bytes:
    return ("\n".join(("type,numero,date,montant,description", *lines)) + "\n").encode()


# --- orders against the authorised amount -----------------------------------------------------


def test_an_order_of_exactly_the_authorised_amount_is_recorded(contract, people):
    """002 §4.4: 100 % of the authorised amount may be ordered, not a cent more."""
    entry = record(people["client_procurement"], contract, cents=contract.authorised_cents)
    assert entry.amount_cents == contract.authorised_cents
    event = AuditEvent.objects.get(action="consumption.recorded", object_id=str(entry.pk))
    assert event.after["kind"] == EntryKind.ORDER
    assert event.after["amount_cents"] == contract.authorised_cents


def test_an_order_beyond_the_authorised_amount_is_refused_and_nothing_is_written(contract, people):
    """002 §4.4, §4.5: an order taking the orders beyond 100 % waits for an amendment."""
    client = people["client_procurement"]
    record(client, contract, cents=contract.authorised_cents - 100)
    before = written(contract)
    with pytest.raises(ValidationError) as refused:
        record(client, contract, cents=101, number="C-2", content=samples.pdf(), name="c.pdf")
    assert refused.value.message_dict["amount_cents"] == [
        str(messages.ORDER_BEYOND_AUTHORISED).format(authorised=money(contract.authorised_cents))
    ]
    assert written(contract) == before


def test_the_refused_order_is_accepted_once_a_signed_amendment_raises_the_amount(contract, people):
    """002 §4.5: the amendment's higher amount is the contract's current authorised amount."""
    client = people["client_procurement"]
    record(client, contract, cents=contract.authorised_cents)
    with pytest.raises(ValidationError):
        record(client, contract, cents=500_00, number="C-2")
    signed_amendment(contract, client, 500_00)
    assert record(client, contract, cents=500_00, number="C-2").pk


def test_the_brokers_agent_records_too_an_outsider_never(contract, people):
    """002 §4.4: the client's people (or the broker for them) follow the consumption; the
    supplier and another client only see or nothing."""
    assert record(people["broker_agent"], contract).recorded_by == people["broker_agent"]
    for outsider in ("provider_rep", "client_auditor", "group_procurement"):
        with pytest.raises(PermissionDenied):
            record(people[outsider], contract, number=f"X-{outsider}")


def test_orders_and_invoices_are_recorded_only_on_a_signed_contract(contract, people):
    """002 §4.4: consumption follows a concluded or in-force contract."""
    for state in (ContractState.CLIENT_SIGNED, ContractState.TERMINATED):
        forced(contract, state)
        with pytest.raises(ValidationError) as refused:
            record(people["client_procurement"], contract)
        assert refused.value.message_dict == {"state": [str(messages.NOT_SIGNED)]}
    forced(contract, ContractState.IN_FORCE)
    assert record(people["client_procurement"], contract).pk


def test_each_field_is_checked_with_its_french_message(contract, people):
    """002 §4.4: a number once per contract and kind, a date from the start, a positive
    amount, a known kind; the file goes through the upload checks."""
    client = people["client_procurement"]
    record(client, contract, number="F-1", kind=EntryKind.INVOICE)
    with pytest.raises(ValidationError) as refused:
        entry_record(
            by=client,
            contract=contract,
            kind=EntryKind.INVOICE,
            number="F-1",
            dated_on=date(2027, 5, 31),
            amount_cents=0,
            content=b"MZ\x90\x00 not a document",
            name="facture.pdf",
        )
    errors = refused.value.message_dict
    assert errors["number"] == [str(messages.ENTRY_TWICE)]
    assert errors["dated_on"] == [str(messages.ENTRY_DATE_BEFORE_START)]
    assert errors["amount_cents"] == [str(messages.ENTRY_AMOUNT_POSITIVE)]
    assert "facture.pdf" in errors["file"][0]
    with pytest.raises(ValidationError) as refused:
        record(client, contract, kind="credit", number="Z-1")
    assert refused.value.message_dict["kind"] == [str(messages.KIND_UNKNOWN)]


def test_the_invoice_itself_is_kept_as_a_supplier_invoice_document(contract, people):
    """DOMAIN §7: supplier invoices are kept seven years after the end, owed on request."""
    entry = record(
        people["client_finance"],
        contract,
        kind=EntryKind.INVOICE,
        number="F-7",
        content=samples.pdf("facture"),
        name="facture-7.pdf",
    )
    assert entry.document.type == "supplier_invoice"
    assert entry.document.title == "Facture n° F-7"
    assert entry.document.subject == contract
    assert entry.document.disposal_on == contract.ends_on + relativedelta(years=7)


# --- the 80 % and 100 % emails ----------------------------------------------------------------


def test_invoices_reaching_80_then_100_percent_email_the_clients_people_once_each(
    contract, people, mailbox, run_on_commit
):
    """002 §4.4: the client's people are told once at 80 % of the authorised amount invoiced,
    once at 100 %; a second invoice above 80 % tells nobody again."""
    client, whole = people["client_procurement"], contract.authorised_cents
    told = [people["client_procurement"].email, people["client_finance"].email]
    with run_on_commit():
        record(client, contract, EntryKind.INVOICE, whole * 79 // 100, "F-1")
    assert mailbox.messages == []
    with run_on_commit():
        record(client, contract, EntryKind.INVOICE, whole * 81 // 100 - whole * 79 // 100, "F-2")
    [message] = mailbox.messages
    assert sorted(message["To"].split(", ")) == sorted(told)
    assert f"{contract.reference}" in str(message["Subject"])
    assert "80 %" in str(message["Subject"])
    assert money(whole) in mailbox.body(message)
    with run_on_commit():
        record(client, contract, EntryKind.INVOICE, whole // 100, "F-3")
    assert len(mailbox.messages) == 1
    with run_on_commit():
        record(client, contract, EntryKind.INVOICE, whole, "F-4")
    [_eighty, hundred] = mailbox.messages
    assert "100 %" in str(hundred["Subject"])
    with run_on_commit():
        record(client, contract, EntryKind.INVOICE, 100, "F-5")
    assert len(mailbox.messages) == 2
    reached = AuditEvent.objects.filter(action="contract.threshold_reached").order_by("seq")
    assert [e.after["threshold"] for e in reached] == [80, 100]
    contract.refresh_from_db()
    assert contract.told_80_at is not None and contract.told_100_at is not None


def test_orders_alone_tell_nobody(contract, people, mailbox, run_on_commit):
    """002 §4.4: the thresholds count the supplier's invoices (what is consumed), not orders."""
    with run_on_commit():
        record(people["client_procurement"], contract, cents=contract.authorised_cents)
    assert mailbox.messages == []


# --- the CSV import ---------------------------------------------------------------------------


def test_a_good_csv_file_records_every_line_in_one_go(contract, people):
    """002 §4.4: the orders and invoices of a file, comma or point before the cents; a file in
    Excel's French layout (semicolons) reads the same."""
    client = people["client_procurement"]
    created = entries_import(
        by=client,
        contract=contract,
        content=csv_of(
            'commande,C-10,2027-06-02,"1 200,50",Licences',
            "Facture,F-10,15/06/2027,1200.5,",
            "facture,F-11,2027-06-20,99,Soutien",
        ),
    )
    assert [(e.kind, e.number, e.amount_cents) for e in created] == [
        (EntryKind.ORDER, "C-10", 120050),
        (EntryKind.INVOICE, "F-10", 120050),
        (EntryKind.INVOICE, "F-11", 9900),
    ]
    assert created[1].dated_on == date(2027, 6, 15)
    event = AuditEvent.objects.get(action="consumption.imported")
    assert event.after == {"entries": 3, "amount_cents": 120050 + 120050 + 9900}
    semicolons = "type;numéro;date;montant;description\ncommande;C-11;2027-07-01;10,25;\n"
    [entry] = entries_import(by=client, contract=contract, content=semicolons.encode())
    assert entry.amount_cents == 1025


def test_every_bad_line_is_named_and_nothing_is_written(contract, people):
    """002 §4.4: the whole file is refused, each bad line named with its number and reason."""
    client = people["client_procurement"]
    record(client, contract, kind=EntryKind.INVOICE, number="F-1")
    before = written(contract)
    beyond = contract.authorised_cents // 100 + 1
    content = csv_of(
        "commande,C-1,2027-06-02,10,ok",  # line 2: fine
        "avoir,A-1,2027-06-02,10,",  # 3: unknown kind
        "facture,F-1,2027-06-02,10,",  # 4: recorded already
        "commande,C-2,2027-06-31,10,",  # 5: no such day
        'commande,C-3,2027-06-02,"12,345",',  # 6: three decimals
        "commande,C-1,2027-06-02,10,",  # 7: twice in the file
        f"commande,C-4,2027-06-02,{beyond},",  # 8: beyond 100 %
        "commande,C-5,2027-05-01,10,",  # 9: before the start
        "commande,C-6",  # 10: columns missing
    )
    with pytest.raises(ValidationError) as refused:
        entries_import(by=client, contract=contract, content=content)

    def line(n, problem):
        return str(messages.CSV_LINE).format(line=n, problem=problem)

    assert refused.value.message_dict["file"] == [
        line(3, messages.KIND_UNKNOWN),
        line(4, messages.ENTRY_TWICE),
        line(5, messages.DATE_INVALID),
        line(6, messages.AMOUNT_INVALID),
        line(7, messages.ENTRY_TWICE),
        line(
            8,
            str(messages.ORDER_BEYOND_AUTHORISED).format(
                authorised=money(contract.authorised_cents)
            ),
        ),
        line(9, messages.ENTRY_DATE_BEFORE_START),
        line(10, str(messages.CSV_COLUMNS).format(count=2, expected=5)),
    ]
    assert written(contract) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("type,numéro,date,montant\ncommande,C-1,2027-06-02,Régie\n".encode("cp1252"), "UTF-8"),
        (samples.pdf(), "fichier"),
        (b"", "vide"),
        (b"kind,number,date,amount\norder,C-1,2027-06-02,10\n", "en-tête"),
        (b"type,numero,date,montant,description\n\n", "aucune ligne"),
    ],
    ids=["windows-1252", "a-pdf", "empty", "english-header", "no-line"],
)
def test_a_file_that_is_not_a_readable_csv_is_refused_whole(contract, people, content, expected):
    """The checks of every upload (files.inspection: typed from the bytes, not empty), then
    UTF-8, the header, at least one line."""
    before = written(contract)
    with pytest.raises(ValidationError) as refused:
        entries_import(by=people["client_procurement"], contract=contract, content=content)
    assert expected in " ".join(refused.value.message_dict["file"])
    assert written(contract) == before


def test_an_imported_file_reaching_80_percent_emails_once(contract, people, mailbox, run_on_commit):
    """002 §4.4: an import is checked against the thresholds once, like one invoice."""
    cents = contract.authorised_cents * 43 // 100
    dollars = f"{cents // 100}.{cents % 100:02d}"
    content = csv_of(f"facture,F-1,2027-06-02,{dollars},", f"facture,F-2,2027-06-03,{dollars},")
    with run_on_commit():
        entries_import(by=people["client_procurement"], contract=contract, content=content)
    [message] = mailbox.messages
    assert "80 %" in str(message["Subject"])


def test_a_file_beyond_the_line_limit_is_refused_whole(contract, people, monkeypatch):
    """002 §4.4: like every import (the price file's caps), a file has a bounded number of lines."""
    monkeypatch.setattr("courtier.contracts.services.consumption.CSV_MAX_LINES", 2)
    content = csv_of(*(f"facture,F-{n},2027-06-02,1," for n in range(3)))
    with pytest.raises(ValidationError) as refused:
        entries_import(by=people["client_procurement"], contract=contract, content=content)
    assert refused.value.message_dict["file"] == [str(messages.CSV_TOO_MANY_LINES).format(limit=2)]
