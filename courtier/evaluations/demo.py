"""Demo performance evaluations (issue 14 §2; 002 §4.8): version 1 of the grid (five weighted
criteria, scored 1 to 5), published by Mathieu Gagnon (agent@courtier.example) a month ago, and
the annual campaign of Boréale (``accounts.demo`` « Solutions Boréales Infonuagiques ltée »,
the supplier of the contract in force ``contracts.demo.IN_FORCE_TITLE``) opened a week ago,
due in 15 business days (never on a holiday or a weekend): the Ministère de l'Enseignement
supérieur's request is open, with a work item for its people who run its acquisitions
(acquisitions@mes.example fills the grid in). Made only through the services (every move
audited), each on its day on a clock set back (``acquisitions.demo._on``). Loading twice changes
nothing: the grid is published when there is none, the campaign opened when Boréale has none for
the year."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions.demo import _on
from courtier.calendar import selectors as calendar
from courtier.contracts.demo import IN_FORCE_TITLE
from courtier.contracts.models import Contract, ContractState
from courtier.evaluations.models import Campaign
from courtier.evaluations.services import campaigns, grid

BROKER = "agent@courtier.example"
GRID_DAYS_AGO = 30
OPENED_DAYS_AGO = 7
DUE_IN_BUSINESS_DAYS = 15  # three weeks, Quebec holidays and closure days skipped
# 002 §4.8.2: « le gabarit de grille » (not in the seeds): what a broker's grid would weigh.
CRITERIA = [
    {"key": "qualite", "label": "Qualité des services et des livrables", "weight": "30"},
    {
        "key": "disponibilite",
        "label": "Disponibilité et performance de la solution",
        "weight": "20",
    },
    {"key": "engagements", "label": "Respect des délais et des engagements", "weight": "20"},
    {"key": "soutien", "label": "Gestion des incidents et soutien", "weight": "15"},
    {"key": "communication", "label": "Communication et collaboration", "weight": "15"},
]
GRID_NOTE = "Grille annuelle de rétroaction sur le rendement des fournisseurs."


def _at(day: date, hour: int = 10) -> Any:
    return _on(timezone.make_aware(datetime.combine(day, time(hour))))


def load() -> None:
    """Load the demo evaluations (called by courtier.demo.load_demo after contracts.load)."""
    broker = User.objects.get(email=BROKER)
    mes = Organisation.objects.get(name=accounts_demo.MES)
    today = timezone.localdate()
    if grid.current_grid() is None:
        with _at(today - timedelta(days=GRID_DAYS_AGO)):
            grid.grid_version_publish(by=broker, criteria=CRITERIA, note=GRID_NOTE)
    contract = Contract.objects.filter(
        client=mes, title=IN_FORCE_TITLE, state=ContractState.IN_FORCE
    ).first()
    if contract is None:
        return
    opened_on = today - timedelta(days=OPENED_DAYS_AGO)
    if Campaign.objects.filter(supplier=contract.supplier, year=opened_on.year).exists():
        return
    with _at(opened_on, 9):
        campaigns.campaign_open(
            by=broker,
            supplier=contract.supplier,
            year=opened_on.year,
            due_on=calendar.business_days_after(today, DUE_IN_BUSINESS_DAYS),
        )
