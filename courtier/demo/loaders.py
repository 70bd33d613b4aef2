"""The demo: each app provides the loader of its own demo data (``<app>/demo.py``: ``load()``);
this package runs them in layer order, in one transaction, and serves the result
(``courtier demo``). Loading twice changes nothing."""

from __future__ import annotations

from django.db import transaction

from courtier.accounts import demo as accounts
from courtier.acquisitions import demo as acquisitions
from courtier.calendar import demo as calendar
from courtier.catalogue import demo as catalogue
from courtier.complaints import demo as complaints
from courtier.contracts import demo as contracts
from courtier.documents import demo as documents
from courtier.evaluations import demo as evaluations
from courtier.exitplans import demo as exitplans
from courtier.pricerequests import demo as pricerequests
from courtier.publication import demo as publication

# Each loader builds on the ones before it: people, closure days, the Catalogue, the records,
# the files, the service acquisitions, the contracts made from them, and last what follows the
# contracts (complaints, evaluations, exit plans, publication).
LOADERS = (
    accounts.load,
    calendar.load,
    catalogue.load,
    documents.load,
    acquisitions.load,
    pricerequests.load,
    contracts.load,
    complaints.load,
    evaluations.load,
    exitplans.load,
    publication.load,
)
DEMO_PASSWORD = accounts.DEMO_PASSWORD
USERS = accounts.USERS


@transaction.atomic
def load_demo() -> list[accounts.DemoUser]:
    """Load every app's demo data; returns the demo accounts (password: DEMO_PASSWORD)."""
    for load in LOADERS:
        load()
    return USERS
