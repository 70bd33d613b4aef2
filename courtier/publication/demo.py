"""Demo publication (issue 14 §4-5): the SEAO sheet of the Ministère de l'Enseignement
supérieur's contract in force with Boréale (``contracts.demo.IN_FORCE_TITLE``; the MES is
subject to the RCTI), filled in by its procurement officer (acquisitions@mes.example) on the
days after the conclusion: the « logiciel-service » UNSPSC code, every item of the checklist
ticked, marked published three days after the conclusion with its notice number; and the MES's
consent to name its head of organisation (dirigeant@mes.example) as the contact of the contract
in the list of concluded contracts. Only through the services (every move audited), each on its
day on a clock set back (``acquisitions.demo._on``). Loading twice changes nothing: each story
is skipped when the sheet is published or a consent exists already."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions.demo import _on
from courtier.contracts.demo import IN_FORCE_TITLE
from courtier.contracts.models import Contract
from courtier.publication import rules
from courtier.publication.models import ContactConsent, SeaoSheet
from courtier.publication.services import consents, seao

CLIENT = "acquisitions@mes.example"
CONTACT = "dirigeant@mes.example"
UNSPSC_CODES = ["81162000"]  # 002 §4.1.1: « Logiciel-service » for a subscription
NOTICE_NUMBER = "1789012"
PUBLISHED_DAYS_AFTER = 3


def _at(day: date, hour: int = 10) -> Any:
    return _on(timezone.make_aware(datetime.combine(day, time(hour))))


def load() -> None:
    """Load the demo publication (called by courtier.demo.load_demo after contracts.load)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    contract = Contract.objects.filter(client=mes, title=IN_FORCE_TITLE).first()
    if contract is None or contract.concluded_on is None:
        return
    client = User.objects.get(email=CLIENT)
    today = timezone.localdate()
    if not SeaoSheet.objects.filter(contract=contract, published_on__isnull=False).exists():
        _published_sheet(client, contract, today)
    if not ContactConsent.objects.filter(contract=contract).exists():
        with _at(min(contract.concluded_on + timedelta(days=PUBLISHED_DAYS_AFTER + 1), today)):
            consents.contact_consent_give(
                by=client, contract=contract, contact_id=User.objects.get(email=CONTACT).pk
            )


def _published_sheet(client: User, contract: Contract, today: date) -> None:
    """Filled in the day after the conclusion, published in SEAO two days later."""
    concluded = contract.concluded_on
    with _at(min(concluded + timedelta(days=1), today)):
        seao.seao_sheet_update(by=client, contract=contract, unspsc_codes=UNSPSC_CODES)
        seao.seao_checklist_tick(by=client, contract=contract, ticked=rules.CHECKLIST_KEYS)
    published_on = min(concluded + timedelta(days=PUBLISHED_DAYS_AFTER), today)
    with _at(published_on, 14):
        seao.seao_sheet_publish(
            by=client, contract=contract, published_on=published_on, notice_number=NOTICE_NUMBER
        )
