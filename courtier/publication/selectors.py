"""Reads of what is published after the contract: the concluded contracts a person sees on the
client's side, a contract's SEAO sheet with what the client enters in SEAO (002 §4.1), the
sheets still to publish, the contact consents, and the list of concluded contracts with its
approximate sizes and the contacts the clients consented to name (002 §4.7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.accounts.rules import Perm
from courtier.catalogue.models import Qualification
from courtier.contracts import rules as contract_rules
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.publication import policies, rules
from courtier.publication.models import ContactConsent, SeaoSheet

# 002 §4.7: « les contrats conclus »: signed by both parties, whatever became of them since.
CONCLUDED_STATES = (
    ContractState.CONCLUDED,
    ContractState.IN_FORCE,
    ContractState.ENDED,
    ContractState.TERMINATED,
)


def publication_contracts(user: Any) -> QuerySet[Contract]:
    """The concluded contracts whose publication page ``user`` sees: the broker's staff every
    one, a client body's people their body's (never a supplier's or provider's people)."""
    contracts = permissions.scope(
        user,
        Contract.objects.filter(state__in=CONCLUDED_STATES).select_related("client", "supplier"),
    )
    g = permissions.grants(user)
    if not g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        contracts = contracts.filter(client_id__in=g.organisations_with(Perm.BROWSE_CATALOGUE))
    return contracts


def contract_for(user: Any, pk: int) -> Contract:
    found = publication_contracts(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def rcti_contract_for(user: Any, pk: int) -> Contract:
    """A contract with a SEAO sheet: its client is subject to the RCTI (002 §4.1); 404 else."""
    contract = contract_for(user, pk)
    if not contract.subject_to_rcti:
        raise Http404
    return contract


def sheet_of(contract: Contract) -> SeaoSheet:
    """The contract's sheet, or a blank one not saved yet (made by the first change)."""
    return SeaoSheet.objects.filter(contract=contract).first() or SeaoSheet(contract=contract)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    ticked: bool


@dataclass(frozen=True)
class SheetView:
    """What the client enters in SEAO (002 §4.1): fixed by the kind, chosen by the client, and
    the amounts and dates of the contract (the current amount with its signed amendments)."""

    contract: Contract
    sheet: SeaoSheet
    nature: str
    classification: str
    disposition: str
    allowed_codes: list[tuple[str, str]]
    chosen_codes: list[tuple[str, str]]
    authorised_cents: int
    current_cents: int
    concluded_on: date | None
    start_on: date
    ends_on: date
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def amended(self) -> bool:
        return self.current_cents != self.authorised_cents

    @property
    def missing(self) -> list[str]:
        return [item.label for item in self.checklist if not item.ticked]


def sheet_view(contract: Contract, sheet: SeaoSheet | None = None) -> SheetView:
    sheet = sheet or sheet_of(contract)
    kind = contract.kind
    allowed = rules.UNSPSC.get(kind, {})
    ticked = set(sheet.checklist or [])
    return SheetView(
        contract=contract,
        sheet=sheet,
        nature=rules.NATURE[kind],
        classification=rules.CLASSIFICATION[kind],
        disposition=rules.LEGAL_DISPOSITION[kind],
        allowed_codes=sorted(allowed.items()),
        chosen_codes=[(c, allowed.get(c, "")) for c in sheet.unspsc_codes or []],
        authorised_cents=contract.authorised_cents,
        current_cents=contract_selectors.current_terms(contract).authorised_cents,
        concluded_on=contract.concluded_on,
        start_on=contract.start_on,
        ends_on=contract.ends_on,
        checklist=[ChecklistItem(k, label, k in ticked) for k, label in rules.CHECKLIST],
    )


def sheets_to_publish(user: Any, client_ids: Any = None) -> list[Contract]:
    """002 §4.1: the concluded contracts of RCTI clients whose sheet is not marked published,
    oldest conclusion first; only the bodies in ``client_ids`` when given."""
    contracts = (
        publication_contracts(user)
        .filter(subject_to_rcti=True)
        .exclude(seao_sheet__published_on__isnull=False)
    )
    if client_ids is not None:
        contracts = contracts.filter(client_id__in=list(client_ids))
    return list(contracts.order_by("concluded_on", "pk"))


# --- contact consents -------------------------------------------------------------------------


def consent_in_force(contract: Contract) -> ContactConsent | None:
    return (
        ContactConsent.objects.filter(contract=contract, revoked_at__isnull=True)
        .select_related("contact", "given_by")
        .first()
    )


def consent_history(contract: Contract) -> list[ContactConsent]:
    return list(
        ContactConsent.objects.filter(contract=contract).select_related(
            "contact", "given_by", "revoked_by"
        )
    )


def client_people(contract: Contract) -> QuerySet[User]:
    """Who may be named as the contact: a person of the client body (002 §4.7)."""
    return (
        User.objects.filter(is_active=True, memberships__organisation_id=contract.client_id)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


# --- the list of concluded contracts (002 §4.7) -------------------------------------------------


@dataclass(frozen=True)
class ConcludedRow:
    contract: Contract
    kind_label: str
    items: list[str]  # the solutions (offers) or the qualifications
    bracket: str  # never the amount
    start_on: date
    months: int
    contact_name: str  # only with the client's consent in force, else ""
    contact_email: str


def _codes(contract: Contract) -> list[str]:
    """The qualifications of a services contract: its own, then those signed amendments added
    services of (002 §4.5)."""
    codes = [str(q) for q in (contract.basis or {}).get("qualifications") or []]
    codes += [
        str(change["qualification"])
        for amendment in contract.signed_list  # type: ignore[attr-defined]
        for change in amendment.changes or []
        if change.get("kind") == contract_rules.ChangeKind.SERVICES and change.get("qualification")
    ]
    return list(dict.fromkeys(codes))


def _items(contract: Contract, qualifications: dict[str, str]) -> list[str]:
    """002 §4.7: « les solutions visées ou les qualifications visées par le contrat »."""
    if contract.kind == contract_rules.Kind.SOLUTIONS:
        names = (
            str(o.get("name") or o.get("code") or o.get("offer") or "")
            for o in (contract.basis or {}).get("offers") or []
        )
        return list(dict.fromkeys(name for name in names if name))
    return [qualifications.get(code, code) for code in _codes(contract)]


def _row(contract: Contract, qualifications: dict[str, str]) -> ConcludedRow:
    terms = contract_selectors.original_terms(contract)
    for amendment in contract.signed_list:  # type: ignore[attr-defined]  # in order (002 §4.5)
        terms = contract_rules.apply_changes(terms, amendment.number, amendment.changes)
    consent = contract.consents_in_force[0] if contract.consents_in_force else None  # type: ignore[attr-defined]
    shown = rules.contact_shown(consent is not None, consent is not None and not consent.in_force)
    return ConcludedRow(
        contract=contract,
        kind_label=str(contract.get_kind_display()),
        items=_items(contract, qualifications),
        bracket=rules.amount_bracket(terms.authorised_cents),
        start_on=contract.start_on,
        months=terms.months,
        contact_name=str(consent.contact) if shown else "",
        contact_email=consent.contact.email if shown else "",
    )


@dataclass(frozen=True)
class ConcludedFilters:
    client: int | None = None
    supplier: int | None = None
    kind: str | None = None


def concluded_contracts(user: Any, filters: ConcludedFilters | None = None) -> QuerySet[Contract]:
    """Every concluded contract, of every client (002 §4.7: published to the subscribed
    clients), newest start first; 403 for whoever is not a reader of the Catalogue."""
    if not policies.may_read_concluded(user):
        raise PermissionDenied
    filters = filters or ConcludedFilters()
    contracts = Contract.objects.filter(state__in=CONCLUDED_STATES).select_related(
        "client", "supplier"
    )
    if filters.client:
        contracts = contracts.filter(client_id=filters.client)
    if filters.supplier:
        contracts = contracts.filter(supplier_id=filters.supplier)
    if filters.kind:
        contracts = contracts.filter(kind=filters.kind)
    return contracts.order_by("-start_on", "-pk")


def concluded_rows(contracts: QuerySet[Contract]) -> list[ConcludedRow]:
    """The rows of the list for ``contracts`` (a queryset, sliced or not), in four queries; the
    contact person only while the client's consent is in force (002 §4.7)."""
    contracts = list(
        contracts.prefetch_related(
            Prefetch(
                "amendments",
                queryset=Amendment.objects.filter(state=AmendmentState.SIGNED).order_by("number"),
                to_attr="signed_list",
            ),
            Prefetch(
                "contact_consents",
                queryset=ContactConsent.objects.filter(revoked_at__isnull=True).select_related(
                    "contact"
                ),
                to_attr="consents_in_force",
            ),
        )
    )
    codes = {
        code for c in contracts if c.kind == contract_rules.Kind.SERVICES for code in _codes(c)
    }
    qualifications = (
        dict(Qualification.objects.filter(code__in=codes).values_list("code", "name"))
        if codes
        else {}
    )
    return [_row(c, qualifications) for c in contracts]


def concluded_parties(contracts: QuerySet[Contract]) -> tuple[list[Any], list[Any]]:
    """The clients and the suppliers or providers of the concluded contracts (the filters)."""
    clients = {c.client_id: c.client for c in contracts}
    suppliers = {c.supplier_id: c.supplier for c in contracts}
    return (
        sorted(clients.values(), key=lambda o: o.name),
        sorted(suppliers.values(), key=lambda o: o.name),
    )
