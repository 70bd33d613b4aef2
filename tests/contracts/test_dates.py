"""The moves the dates make (002 §4.4: the client respects the contract's duration; DOMAIN §7:
seven years after the end), run daily by ``courtier contracts-daily`` on a frozen clock: a
concluded contract enters into force on its start date, a contract in force ends the day after
its planned last day, on that day; nothing moves twice. One concluded contract for the module."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command

from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract, ContractState, EntryKind
from courtier.contracts.services.consumption import entry_record
from courtier.contracts.services.dates import contracts_daily
from tests.acquisitions.factories import at
from tests.contracts.factories import forced
from tests.contracts.test_consumption import concluded_contract
from tests.files import samples
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(concluded_contract)
DAY = timedelta(days=1)


@pytest.fixture
def contract(world) -> Contract:
    return Contract.objects.get(pk=world[2].pk)


def daily_on(day) -> dict[str, list[str]]:
    with at(day, 0, 5, tick=False):
        return contracts_daily()


def test_a_concluded_contract_enters_into_force_on_its_start_date(contract):
    """002 §4.4: the contract binds from its start date: in force that morning, not before."""
    assert daily_on(contract.start_on - DAY) == {"in_force": [], "ended": []}
    assert daily_on(contract.start_on) == {"in_force": [contract.reference], "ended": []}
    contract.refresh_from_db()
    assert contract.state == ContractState.IN_FORCE
    event = AuditEvent.objects.get(action="contract.enter_into_force")
    assert (event.actor, event.object_id) == (None, str(contract.pk))
    assert event.after == {"state": ContractState.IN_FORCE}
    assert daily_on(contract.start_on + DAY) == {"in_force": [], "ended": []}


def test_a_contract_in_force_ends_the_day_after_its_planned_last_day(contract, people):
    """002 §4.4: the contract lasts until its planned last day (``ends_on``, inclusive); it
    ends the next morning on that day, and its documents are kept seven years from it."""
    contract = forced(contract, ContractState.IN_FORCE)
    invoice = entry_record(
        by=people["client_finance"],
        contract=contract,
        kind=EntryKind.INVOICE,
        number="F-1",
        dated_on=contract.start_on,
        amount_cents=100_00,
        content=samples.pdf("facture"),
        name="facture.pdf",
    )
    assert daily_on(contract.ends_on) == {"in_force": [], "ended": []}
    assert daily_on(contract.ends_on + DAY) == {"in_force": [], "ended": [contract.reference]}
    contract.refresh_from_db()
    assert (contract.state, contract.ended_on) == (ContractState.ENDED, contract.ends_on)
    event = AuditEvent.objects.get(action="contract.end")
    assert event.after == {"state": ContractState.ENDED, "ended_on": str(contract.ends_on)}
    invoice.document.refresh_from_db()
    assert invoice.document.disposal_on == contract.ends_on + relativedelta(years=7)
    assert daily_on(contract.ends_on + 2 * DAY) == {"in_force": [], "ended": []}


def test_a_concluded_contract_past_its_end_enters_into_force_and_ends_in_one_run(contract):
    """002 §4.4: a run missed for long makes both moves, in their order, in one run."""
    moved = daily_on(contract.ends_on + DAY)
    assert moved == {"in_force": [contract.reference], "ended": [contract.reference]}
    actions = AuditEvent.objects.filter(action__in=["contract.enter_into_force", "contract.end"])
    assert list(actions.order_by("seq").values_list("action", flat=True)) == [
        "contract.enter_into_force",
        "contract.end",
    ]


@pytest.mark.parametrize("state", [ContractState.TERMINATED, ContractState.CLIENT_SIGNED])
def test_a_terminated_or_unsigned_contract_never_moves_by_date(contract, state):
    """002 §4.4: only a concluded contract enters into force; a terminated one has ended."""
    forced(contract, state)
    assert daily_on(contract.ends_on + DAY) == {"in_force": [], "ended": []}


def test_the_daily_command_reports_what_moved(contract):
    """002 §4.4: `courtier contracts-daily --date AAAA-MM-JJ`, run daily by cron."""
    out = StringIO()
    call_command("contracts-daily", "--date", contract.start_on.isoformat(), stdout=out)
    assert f"1 contrat(s) entré(s) en vigueur : {contract.reference}" in out.getvalue()
    assert "0 contrat(s) arrivé(s) à échéance : -" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("contracts-daily", "--date", "01/06/2027")
