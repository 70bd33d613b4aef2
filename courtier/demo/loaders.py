"""The demo: each app provides the loader of its own demo data (``<app>/demo.py``: ``load()``);
this package runs them in layer order, in one transaction, and serves the result
(``courtier demo``). Loading twice changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from courtier.accounts import demo as accounts
from courtier.accounts.models import User
from courtier.acquisitions import demo as acquisitions
from courtier.calendar import demo as calendar
from courtier.catalogue import demo as catalogue
from courtier.complaints import demo as complaints
from courtier.contracts import demo as contracts
from courtier.contracts.models import Contract
from courtier.documents import demo as documents
from courtier.evaluations import demo as evaluations
from courtier.exitplans import demo as exitplans
from courtier.fees import demo as fees
from courtier.pricerequests import demo as pricerequests
from courtier.publication import demo as publication
from courtier.publication.models import SeaoSheet


def fees_contracts_published() -> None:
    """The SEAO sheets of the contracts the fees demo concluded under the older grid
    (``fees.demo.OLDER_MODEL_TITLE``, ``FORMS_TITLE``; the MES is subject to the RCTI), filled
    in and published as the publication demo does its own (fees and publication are sibling
    apps: the demo joins them). Skipped once published."""
    client = User.objects.get(email=publication.CLIENT)
    for contract in Contract.objects.filter(
        title__in=(fees.OLDER_MODEL_TITLE, fees.FORMS_TITLE), concluded_on__isnull=False
    ):
        if not SeaoSheet.objects.filter(contract=contract, published_on__isnull=False).exists():
            publication._published_sheet(client, contract, timezone.localdate())


# Each loader builds on the ones before it: people, closure days, the Catalogue, the records,
# the files, the service acquisitions, the contracts made from them, and last what follows the
# contracts (complaints, evaluations, exit plans, publication) and the broker's fees.
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
    fees.load,
    fees_contracts_published,
)
DEMO_PASSWORD = accounts.DEMO_PASSWORD
USERS = accounts.USERS


@transaction.atomic
def load_demo() -> list[accounts.DemoUser]:
    """Load every app's demo data; returns the demo accounts (password: DEMO_PASSWORD)."""
    for load in LOADERS:
        load()
    return USERS
