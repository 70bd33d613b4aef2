"""What the publication app adds to the menu and what it awaits (``core.workitems``): the list
of concluded contracts for the Catalogue's readers (002 §4.7), and for the client's people who
run its acquisitions « Publier le contrat au SEAO » for each concluded contract of an RCTI
client whose sheet is not marked published (002 §4.1). Computed, never stored."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.rules import ACQUISITION_RUNNERS, Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.core import navigation, related, workitems
from courtier.core.formatting import long_date
from courtier.core.workitems import WorkItem
from courtier.publication import policies, selectors

KIND_SEAO = gettext_lazy("Publication SEAO")
RELATED_SEAO = gettext_lazy("Fiche de publication SEAO")
RELATED_CONTACT = gettext_lazy("Personne-ressource dans la liste des contrats conclus")

navigation.entry("concluded_contracts", policies.may_read_concluded)
navigation.entry(
    "seao_sheets",
    lambda user: (
        bool(organisations_with_role(user, ACQUISITION_RUNNERS)) if user.is_authenticated else False
    ),
)


@workitems.provider("publication")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    runners = organisations_with_role(user, ACQUISITION_RUNNERS)
    if not runners:
        return []
    return [
        WorkItem(
            key=f"publication.seao:{contract.pk}",
            title=f"{_('Publier le contrat au SEAO')} — {contract.reference}",
            url=reverse("publication:contract", args=[contract.pk]),
            kind=str(KIND_SEAO),
            detail=f"{contract.client.name} — {contract.supplier.name} — {contract.title}",
            organisation=runners[contract.client_id],
        )
        for contract in selectors.sheets_to_publish(user, runners)
    ]


@related.contributor("contracts.contract", "publication")
def contract_links(contract: Any, user: Any) -> list[related.Link]:
    """The contract page's link to its publication page, once it is concluded: its SEAO sheet
    for a client subject to the RCTI (002 §4.1), with its state, else the consent to name a
    contact in the list of concluded contracts (002 §4.7); for the broker's staff and the
    client body's people, never the supplier's (policies)."""
    if not selectors.publication_contracts(user).filter(pk=contract.pk).exists():
        return []
    url = reverse("publication:contract", args=[contract.pk])
    if not contract.subject_to_rcti:
        return [related.Link(str(RELATED_CONTACT), url)]
    sheet = selectors.sheet_of(contract)
    detail = (
        _("Publiée dans SEAO le %(day)s") % {"day": long_date(sheet.published_on)}
        if sheet.is_published
        else _("À publier dans SEAO")
    )
    return [related.Link(str(RELATED_SEAO), url, detail)]
