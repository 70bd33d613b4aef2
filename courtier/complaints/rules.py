"""Feedback and complaints to the broker (DOMAIN §5.6, §5.10; 002 §4.6): the categories of a
client's feedback or complaint and what each is linked to, the moves of a complaint as a table,
who sees it, and the flag on a dispute that persists or repeats. Pure: stdlib only, no ORM; the
values of the enums are those of the models' TextChoices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# DOMAIN §5.10 (002 §4.10 table: « informer le Courtier si le différend persiste ou se répète »)
# with DOMAIN §8's « 30 days (... dispute settlement ...) », from 001 §10 a): a dispute is
# settled « au plus tard dans les 30 jours de sa réception ». One still open after that persists.
DISPUTE_SETTLEMENT_DAYS = 30
# DOMAIN §5.10 « repeats »: a second dispute of the same client with the same supplier within a
# year (interpreted: the seeds give no window; a year is the annual evaluation cycle, 002 §4.8.1).
DISPUTE_REPEAT_COUNT = 2
DISPUTE_REPEAT_WINDOW_DAYS = 365


# --- categories and links (DOMAIN §5.6; 002 §4.6) ---------------------------------------------


class Category(StrEnum):
    # Feedback to improve the Catalogue (002 §4.6, first five bullets).
    DOCUMENTS = "documents"  # « Améliorer les documents relatifs au processus d'acquisition »
    CATALOGUE_DATA = "catalogue_data"  # « Corriger une information inexacte au Catalogue »
    CONDITIONS = "conditions"  # « Améliorer les conditions contractuelles »
    SECURITY = "security"  # « Améliorer les exigences de sécurité »
    NEW_CATEGORY = "new_category"  # « Proposer un nouveau volet d'offres infonuagiques »
    # Complaints about a supplier or provider (002 §4.6, sixth bullet).
    DISPUTE = "dispute"  # « litige »
    REFUSAL_TO_SIGN = "refusal_to_sign"  # « refus de signer un contrat »
    TERMINATION = "termination"  # « résiliation »
    BREACH = "breach"  # « non-respect des conditions du contrat spécifique et de l'entente-cadre »
    # Complaints about a solution (002 §4.6, seventh bullet).
    UNAVAILABILITY = "unavailability"  # « non-disponibilité prolongée »
    PERFORMANCE = "performance"  # « problèmes de performance récurrents »


class Group(StrEnum):
    FEEDBACK = "feedback"
    SUPPLIER_COMPLAINT = "supplier_complaint"
    SOLUTION_COMPLAINT = "solution_complaint"


class Link(StrEnum):
    CONTRACT = "contract"
    OFFER = "offer"
    SUPPLIER = "supplier"


C, L = Category, Link
# DOMAIN §5.6 (002 §4.6): the three groups of the guide's bullets.
GROUPS: Mapping[str, str] = {
    **{c: Group.FEEDBACK for c in (C.DOCUMENTS, C.CATALOGUE_DATA, C.CONDITIONS)},
    **{c: Group.FEEDBACK for c in (C.SECURITY, C.NEW_CATEGORY)},
    **{c: Group.SUPPLIER_COMPLAINT for c in (C.DISPUTE, C.REFUSAL_TO_SIGN)},
    **{c: Group.SUPPLIER_COMPLAINT for c in (C.TERMINATION, C.BREACH)},
    **{c: Group.SOLUTION_COMPLAINT for c in (C.UNAVAILABILITY, C.PERFORMANCE)},
}


@dataclass(frozen=True)
class LinkRule:
    required: frozenset[str] = frozenset()  # every one of these is given
    one_of: frozenset[str] = frozenset()  # at least one of these is given (when not empty)
    allowed: frozenset[str] = frozenset()  # the links it may carry (required ones included)


def _rule(
    required: Iterable[str] = (), one_of: Iterable[str] = (), optional: Iterable[str] = ()
) -> LinkRule:
    must, some = frozenset(required), frozenset(one_of)
    return LinkRule(must, some, must | some | frozenset(optional))


# DOMAIN §5.6 (issue 14: "linked to a contract, an offer or a supplier where it applies"), read as:
LINK_RULES: Mapping[str, LinkRule] = {
    C.DOCUMENTS: _rule(),  # the process documents are the broker's, not a party's
    C.CATALOGUE_DATA: _rule(one_of=(L.OFFER, L.SUPPLIER)),  # the inaccurate offer or sheet
    C.CONDITIONS: _rule(optional=(L.CONTRACT,)),  # conditions of the agreement, maybe as lived
    C.SECURITY: _rule(optional=(L.OFFER,)),
    C.NEW_CATEGORY: _rule(),
    # 002 §4.10 table: a dispute « concernant l'interprétation du contrat spécifique ».
    C.DISPUTE: _rule(required=(L.SUPPLIER, L.CONTRACT)),
    C.REFUSAL_TO_SIGN: _rule(required=(L.SUPPLIER, L.CONTRACT)),  # the contract left unsigned
    C.TERMINATION: _rule(required=(L.SUPPLIER, L.CONTRACT)),
    # « ... et de l'entente-cadre »: a breach of the framework agreement may have no contract.
    C.BREACH: _rule(required=(L.SUPPLIER,), optional=(L.CONTRACT,)),
    # A solution misbehaves under a contract or during a trial (DOMAIN §3.3): no contract then.
    C.UNAVAILABILITY: _rule(required=(L.OFFER,), optional=(L.CONTRACT, L.SUPPLIER)),
    C.PERFORMANCE: _rule(required=(L.OFFER,), optional=(L.CONTRACT, L.SUPPLIER)),
}


def is_complaint(category: str) -> bool:
    """DOMAIN §5.6: the supplier and solution bullets are complaints; the rest is feedback."""
    return GROUPS[category] != Group.FEEDBACK


@dataclass(frozen=True)
class Links:
    """What a feedback or complaint points at (ids), and what the caller read of them to check
    they agree: the contract's supplier and offers, the offer's supplier."""

    contract: int | None = None
    offer: int | None = None
    supplier: int | None = None
    contract_supplier: int | None = None
    contract_offers: frozenset[int] | None = None
    offer_supplier: int | None = None


def link_problems(category: str, links: Links) -> list[str]:
    """The reasons (keys) these links do not fit ``category`` (DOMAIN §5.6): a required link
    missing, a link it does not carry, or links that disagree (another supplier's contract or
    offer, an offer outside the contract). Empty when they fit."""
    rule = LINK_RULES.get(category)
    if rule is None:
        return ["unknown_category"]
    values = {L.CONTRACT: links.contract, L.OFFER: links.offer, L.SUPPLIER: links.supplier}
    given = {link for link, value in values.items() if value is not None}
    problems = [f"{link}_required" for link in sorted(rule.required - given)]
    if rule.one_of and not rule.one_of & given:
        problems.append("_or_".join(sorted(rule.one_of)) + "_required")
    problems += [f"{link}_not_allowed" for link in sorted(given - rule.allowed)]
    if problems:
        return problems
    suppliers = {
        s
        for s in (
            links.supplier,
            links.contract_supplier if links.contract is not None else None,
            links.offer_supplier if links.offer is not None else None,
        )
        if s is not None
    }
    if len(suppliers) > 1:
        problems.append("supplier_mismatch")
    if (
        links.contract is not None
        and links.offer is not None
        and links.contract_offers is not None
        and links.offer not in links.contract_offers
    ):
        problems.append("offer_not_in_contract")
    return problems


def concerned_supplier(links: Links) -> int | None:
    """DOMAIN §5.6: the supplier or provider a complaint is about (named, or that of its contract
    or offer): whose standing it counts in (issue 14 §2)."""
    for supplier in (links.supplier, links.contract_supplier, links.offer_supplier):
        if supplier is not None:
            return supplier
    return None


# --- the moves of a feedback or complaint (issue 14 §1; 002 §4.6) -----------------------------


class State(StrEnum):
    OPEN = "open"  # sent by the client
    ASSIGNED = "assigned"  # a broker's person handles it
    ANSWERED = "answered"  # the broker answered the client
    CLOSED = "closed"


class Action(StrEnum):
    ASSIGN = "assign"
    ANSWER = "answer"
    CLOSE = "close"


class Actor(StrEnum):
    BROKER = "broker"
    CLIENT = "client"
    SUPPLIER = "supplier"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    actor: str


S, A = State, Action
# Issue 14 §1: « The broker assigns, answers and closes it; the client sees its status ».
COMPLAINT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.OPEN, A.ASSIGN, S.ASSIGNED, Actor.BROKER),
    Transition(S.ASSIGNED, A.ASSIGN, S.ASSIGNED, Actor.BROKER),  # handed to another person
    Transition(S.ASSIGNED, A.ANSWER, S.ANSWERED, Actor.BROKER),
    Transition(S.ANSWERED, A.ANSWER, S.ANSWERED, Actor.BROKER),  # a further answer
    Transition(S.ANSWERED, A.CLOSE, S.CLOSED, Actor.BROKER),
)
# Issue 14 §2: a supplier's standing counts its complaints not closed yet.
OPEN_STATES = frozenset({S.OPEN, S.ASSIGNED, S.ANSWERED})


def target(state: str, action: str, actor: str) -> str | None:
    """Issue 14 §1 (002 §4.6): the state ``action`` by ``actor`` leads to from ``state``;
    ``None`` when not a move."""
    for t in COMPLAINT_TRANSITIONS:
        if (t.source, t.action, t.actor) == (state, action, actor):
            return t.target
    return None


def may_see(viewer: str, *, viewer_organisation: int | None, client_organisation: int) -> bool:
    """Issue 14 §1 (DOMAIN §1): the broker sees every one; a client only its own organisation's;
    a supplier or provider none, not even one about itself."""
    if viewer == Actor.BROKER:
        return True
    if viewer == Actor.CLIENT:
        return viewer_organisation == client_organisation
    return False


# --- disputes that persist or repeat (DOMAIN §5.10; 002 §4.10 table) ---------------------------


@dataclass(frozen=True)
class Dispute:
    key: int  # the complaint's id
    client: int  # the client organisation
    supplier: int
    received_on: date
    settled_on: date | None = None


class DisputeFlag(StrEnum):
    PERSISTS = "persists"
    REPEATS = "repeats"


def dispute_flags(dispute: Dispute, others: Iterable[Dispute], today: date) -> list[str]:
    """DOMAIN §5.10: why a dispute is flagged to the broker. It persists when not settled
    ``DISPUTE_SETTLEMENT_DAYS`` after its receipt (settled late counts too); it repeats when the
    same client had ``DISPUTE_REPEAT_COUNT`` disputes (this one included) with the same supplier
    within ``DISPUTE_REPEAT_WINDOW_DAYS`` before it."""
    flags: list[str] = []
    limit = dispute.received_on + timedelta(days=DISPUTE_SETTLEMENT_DAYS)
    settled = dispute.settled_on
    if (settled is None and today > limit) or (settled is not None and settled > limit):
        flags.append(DisputeFlag.PERSISTS)
    since = dispute.received_on - timedelta(days=DISPUTE_REPEAT_WINDOW_DAYS)
    earlier = [
        d
        for d in others
        if d.key != dispute.key
        and (d.client, d.supplier) == (dispute.client, dispute.supplier)
        and since <= d.received_on <= dispute.received_on
    ]
    if 1 + len(earlier) >= DISPUTE_REPEAT_COUNT:
        flags.append(DisputeFlag.REPEATS)
    return flags
