"""The OCDS 1.1.5 publication of the concluded contracts (issue 14 §6): the selectors that read
the contracts from the database and describe each one as an `ocds.ConcludedContract`, and the
release package built from them (`ocds.build_release_package`). Served by
``GET /api/v1/publication/ocds.json`` and written by ``courtier export-ocds``.

What is published:

- every contract of every client that was concluded, whatever it became since: concluded, in
  force, ended or terminated (ContractState; a contract in preparation, in review or being
  signed is not a contract yet and is never published); at the conclusion, its award and the
  contract with its items (the offers' components for solutions, the qualifications for
  services), its authorised amount and its period;
- its **signed** amendments only (a requested, refused or withdrawn one is not part of the
  contract), each with the contract's new amount and end (002 §4.5: the original terms plus the
  signed amendments in order);
- its orders and supplier invoices as implementation transactions (002 §4.4), by their number;
- its termination, if it was terminated.

Personal information is never published (Access Act, art. 53-54): organisations only (the
client body as buyer and payer, the supplier or provider as supplier and payee, the broker as
procuring entity and publisher), by their platform id and name; never a person, a signatory,
an email or a telephone number. The free texts people type may name people, so they are left
out: the client's reason for an amendment and the reason of a termination are not published;
the amendment's rationale is written here from its recorded changes (their kinds and figures),
the termination's from the fact itself. What is kept of other texts (titles, the Catalogue's
offer and component names) goes through `ocds.redact` (emails and telephone numbers removed).

Ids are stable: the ocid is the configured prefix (``OCDS_OCID_PREFIX``) and the contract's
immutable reference; release ids add the event (``-conclusion``, ``-amendment-2``,
``-invoice-F-001``, ``-termination``); items are named by offer and component codes or by
qualification codes. The package's date is its latest release's: the same data gives the same
package on every run. Few queries whatever the number of contracts (prefetched).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from courtier.accounts.models import Organisation, OrganisationKind
from courtier.catalogue.models import Qualification, SheetVersion, Unit
from courtier.contracts import rules
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    ConsumptionEntry,
    Contract,
    ContractKind,
    ContractState,
)
from courtier.core.formatting import money
from courtier.publication import ocds

# Concluded, whatever it became since (ContractState): never one still being prepared or signed.
PUBLISHED_STATES = (
    ContractState.CONCLUDED,
    ContractState.IN_FORCE,
    ContractState.ENDED,
    ContractState.TERMINATED,
)
# 002 §4.1: the UNSPSC code of professional and technical services; a solutions contract's
# (43230000 or 81162000) is the client's choice on its SEAO sheet, so none is given here.
SERVICES_UNSPSC = "81160000"
TERMINATION_TEXT = "Contrat résilié par l'organisme client avant sa fin prévue."
BROKER_FALLBACK = "Courtier"
FILENAME = "courtier-ocds.json"


@dataclass(frozen=True)
class Export:
    """A release package and what it holds."""

    package: dict[str, Any]
    contracts: int
    releases: int

    def text(self, *, indent: int | None = 2) -> str:
        """The package as JSON, amounts exact (`ocds.dumps`)."""
        return ocds.dumps(self.package, indent=indent)


def published_contracts() -> QuerySet[Contract]:
    """The contracts the package publishes, with what it reads of them prefetched: their parties
    and termination (joined), their signed amendments and their entries (one query each)."""
    return (
        Contract.objects.filter(state__in=PUBLISHED_STATES)
        .select_related("client", "supplier", "termination")
        .prefetch_related(
            Prefetch(
                "amendments",
                queryset=Amendment.objects.filter(state=AmendmentState.SIGNED).order_by("number"),
                to_attr="signed_amendments",
            ),
            Prefetch(
                "entries",
                queryset=ConsumptionEntry.objects.order_by("dated_on", "kind", "number"),
                to_attr="published_entries",
            ),
        )
        .order_by("reference")
    )


def broker() -> ocds.Organisation:
    found = Organisation.objects.filter(kind=OrganisationKind.BROKER).first()
    if found is None:  # an installation not set up yet: still a valid (empty) package
        return ocds.Organisation(id="org-courtier", name=BROKER_FALLBACK)
    return organisation(found)


def organisation(org: Organisation) -> ocds.Organisation:
    """An organisation by its platform id and its name (no register identifier is kept)."""
    return ocds.Organisation(id=f"org-{org.pk}", name=org.name)


def _segment(text: Any) -> str:
    return quote(str(text), safe="-._~")


# --- items --------------------------------------------------------------------------------


def _component_names(versions: Mapping[int, SheetVersion], offer: Mapping[str, Any]) -> dict:
    """The Catalogue's names of an offer's components, from the sheet version it was bought on."""
    version = versions.get(offer.get("sheet_version"))  # type: ignore[arg-type]
    if version is None:
        return {}
    return {
        str(component.get("code", "")): str(component.get("name", ""))
        for sheet_offer in version.content.get("offers") or []
        if sheet_offer.get("code") == offer.get("code")
        for component in sheet_offer.get("components") or []
        if isinstance(component, dict)
    }


def _unit(code: Any) -> str | None:
    if not code:
        return None
    if code in Unit.values:
        with translation.override("fr-ca"):
            return str(Unit(code).label).removeprefix("par ")
    return str(code)


def _solutions_items(contract: Contract, versions: Mapping[int, SheetVersion]) -> list[ocds.Item]:
    """002 §2.5: the offers and the components (with their quantities over the contract) the
    frozen strategy named; an offer without components is one item."""
    items: list[ocds.Item] = []
    seen: set[str] = set()
    for offer in (contract.basis or {}).get("offers") or []:
        code, name = str(offer.get("code") or offer.get("offer") or ""), str(offer.get("name", ""))
        names = _component_names(versions, offer)
        components = offer.get("components") or [{}]
        for component in components:
            part = str(component.get("component") or "")
            item_id = f"offre-{_segment(code)}" + (f"-{_segment(part)}" if part else "")
            while item_id in seen:
                item_id += "-bis"
            seen.add(item_id)
            label = names.get(part) or part
            quantities = [int(q or 0) for q in component.get("quantities") or []]
            items.append(
                ocds.Item(
                    id=item_id,
                    description=ocds.redact(f"{name} : {label}" if label else name) or code,
                    quantity=sum(quantities) if quantities else None,
                    unit=_unit(component.get("unit")),
                )
            )
    return items


def _services_items(contract: Contract, qualifications: Mapping[str, str]) -> list[ocds.Item]:
    """002 §3.5: the qualifications of the service file the contract rests on."""
    codes = dict.fromkeys(str(q) for q in (contract.basis or {}).get("qualifications") or [])
    return [
        ocds.Item(
            id=f"qualification-{_segment(code)}",
            description=ocds.redact(qualifications.get(code, code)) or code,
            unspsc=SERVICES_UNSPSC,
        )
        for code in codes
    ]


# --- amendments ---------------------------------------------------------------------------

_KIND_WORDS = {
    rules.ChangeKind.DURATION: "prolongation de la durée",
    rules.ChangeKind.AMOUNT: "hausse du montant total autorisé",
    rules.ChangeKind.COMPONENT: "ajout d'une composante d'une offre du contrat",
    rules.ChangeKind.SERVICES: "ajout de services d'une qualification du contrat",
}


def _change_text(change: Mapping[str, Any], offers: Mapping[int, str], names: Mapping) -> str:
    """One recorded change in words (002 §4.5), from its figures and codes only: a change's own
    free description is never published."""
    what = change.get("kind")
    if what == rules.ChangeKind.DURATION:
        return f"Prolongation de la durée de {int(change.get('months') or 0)} mois"
    if what == rules.ChangeKind.AMOUNT:
        with translation.override("fr-ca"):
            return f"Hausse du montant total autorisé de {money(int(change.get('cents') or 0))}"
    if what == rules.ChangeKind.COMPONENT:
        offer = offers.get(int(change.get("offer") or 0), str(change.get("offer", "")))
        return f"Ajout de la composante {change.get('component', '')} à l'offre {offer}"
    if what == rules.ChangeKind.SERVICES:
        code = str(change.get("qualification", ""))
        return f"Ajout de services de la qualification {names.get(code, code)}"
    return "Autre modification"


def _rationale(number: int, changes: Iterable[Mapping[str, Any]]) -> str:
    kinds = dict.fromkeys(
        _KIND_WORDS.get(change.get("kind"), "autre modification")  # type: ignore[arg-type]
        for change in changes
    )
    listed = ", ".join(kinds) or "modification"
    return f"Avenant n° {number} demandé par l'organisme client : {listed}."


def _amendments(contract: Contract, qualifications: Mapping[str, str]) -> list[ocds.Amendment]:
    """The signed amendments in order, each with the terms it made (002 §4.5: the original terms
    plus the signed amendments in order; `selectors.terms_history` on prefetched rows)."""
    offers = {
        int(o["offer"]): f"{o.get('name', '')} ({o.get('code', '')})"
        for o in (contract.basis or {}).get("offers") or []
        if o.get("offer")
    }
    terms = rules.Terms(months=contract.duration_months, authorised_cents=contract.authorised_cents)
    found: list[ocds.Amendment] = []
    for amendment in contract.signed_amendments:  # type: ignore[attr-defined]
        changes = list(amendment.changes or [])
        after = rules.apply_changes(terms, amendment.number, changes)
        signed_on = amendment.signed_on or timezone.localdate(amendment.updated_at)
        found.append(
            ocds.Amendment(
                number=amendment.number,
                signed_on=signed_on,
                rationale=_rationale(amendment.number, changes),
                changes=tuple(_change_text(c, offers, qualifications) for c in changes),
                new_authorised_cents=after.authorised_cents
                if after.authorised_cents != terms.authorised_cents
                else None,
                new_end_on=rules.end_on(contract.start_on, after.months)
                if after.months != terms.months
                else None,
            )
        )
        terms = after
    return found


# --- contracts ----------------------------------------------------------------------------


def _termination(contract: Contract) -> ocds.Termination | None:
    row = getattr(contract, "termination", None)
    if contract.state != ContractState.TERMINATED or row is None:
        return None
    return ocds.Termination(effective_on=row.effective_on, reason=TERMINATION_TEXT)


def concluded_contract(
    contract: Contract,
    *,
    versions: Mapping[int, SheetVersion],
    qualifications: Mapping[str, str],
) -> ocds.ConcludedContract:
    """One contract of `published_contracts()` as OCDS sees it."""
    solutions = contract.kind == ContractKind.SOLUTIONS
    items = (
        _solutions_items(contract, versions)
        if solutions
        else _services_items(contract, qualifications)
    )
    return ocds.ConcludedContract(
        reference=contract.reference,
        title=ocds.redact(contract.title) or contract.reference,
        kind=ocds.Kind.SOLUTIONS if solutions else ocds.Kind.SERVICES,
        client=organisation(contract.client),
        supplier=organisation(contract.supplier),
        items=tuple(items),
        authorised_cents=contract.authorised_cents,
        start_on=contract.start_on,
        planned_end_on=rules.end_on(contract.start_on, contract.duration_months),
        concluded_on=contract.concluded_on or contract.start_on,
        amendments=tuple(_amendments(contract, qualifications)),
        termination=_termination(contract),
        entries=tuple(
            ocds.ConsumptionEntry(
                kind=ocds.EntryKind(entry.kind),
                number=entry.number,
                dated_on=entry.dated_on,
                amount_cents=entry.amount_cents,
            )
            for entry in contract.published_entries  # type: ignore[attr-defined]
        ),
    )


def concluded_contracts(
    contracts: QuerySet[Contract] | None = None,
) -> list[ocds.ConcludedContract]:
    """Every published contract as an `ocds.ConcludedContract`, by reference; the Catalogue's
    names (sheet versions, qualifications) read once for all of them."""
    rows = list(published_contracts() if contracts is None else contracts)
    version_ids = {
        offer.get("sheet_version")
        for row in rows
        for offer in (row.basis or {}).get("offers") or []
        if offer.get("sheet_version")
    }
    versions = (
        SheetVersion.objects.only("pk", "content").in_bulk(list(version_ids)) if version_ids else {}
    )
    codes = {
        str(code)
        for row in rows
        for code in [
            *((row.basis or {}).get("qualifications") or []),
            *(
                change.get("qualification")
                for amendment in row.signed_amendments  # type: ignore[attr-defined]
                for change in amendment.changes or []
                if change.get("qualification")
            ),
        ]
    }
    qualifications = (
        dict(Qualification.objects.filter(code__in=codes).values_list("code", "name"))
        if codes
        else {}
    )
    return [
        concluded_contract(row, versions=versions, qualifications=qualifications) for row in rows
    ]


def package_uri() -> str:
    return f"{settings.SITE_URL}{reverse('api:publication_ocds')}"


def release_package() -> Export:
    """The release package of every published contract (the ocid prefix from the settings)."""
    contracts = concluded_contracts()
    publisher = broker()
    package = ocds.build_release_package(
        contracts,
        prefix=settings.OCDS_OCID_PREFIX,
        broker=publisher,
        uri=package_uri(),
        # Without any release the package has no data date: it is dated when it is built.
        published_at=None if contracts else timezone.now(),
        publisher=ocds.Publisher(name=publisher.name, uri=settings.SITE_URL),
    )
    return Export(package, len(contracts), len(package["releases"]))
