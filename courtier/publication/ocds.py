"""OCDS 1.1.5 releases of the concluded contracts (issue 14, point 6): pure Python, no Django.

The platform describes each concluded contract as a frozen `ConcludedContract` (organisations
only, never a person); `build_releases` turns it into one OCDS release per event, and
`build_release_package` wraps the releases of many contracts into a release package:

- the conclusion: tags `award` and `contract` (the award, the contract with its items, value
  and period, dated when it was concluded);
- each signed amendment: tag `contractAmendment`, the contract's new value and end, and the
  amendments so far in `contracts[].amendments` (rationale, description of the changes, the
  release it amends);
- each consumption entry (order or invoice): tag `implementation`, one transaction in
  `contracts[].implementation.transactions` (releases are merged by `id` into a record);
- a termination: tag `contractTermination`, `contracts[].status` "terminated".

Ids are derived from the contract reference and the event only (never from a database key or
the build time), so two builds of the same data give the same ids. Amounts are integer cents
turned into `Decimal` (never `float`); `dumps` writes them as exact JSON numbers. Dates carry
the America/Toronto offset. Free text (rationales, reasons, descriptions) is stripped of email
addresses and telephone numbers; the caller must still not put people's names in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

__all__ = [
    "OCDS_VERSION",
    "TORONTO",
    "Amendment",
    "ConcludedContract",
    "ConsumptionEntry",
    "EntryKind",
    "Item",
    "Kind",
    "Organisation",
    "Publisher",
    "Termination",
    "amount",
    "build_release_package",
    "build_releases",
    "dumps",
    "make_ocid",
    "ocds_datetime",
    "redact",
]

OCDS_VERSION = "1.1"  # the package's `version` (major.minor); the schemas are 1.1.5
TORONTO = ZoneInfo("America/Toronto")
LANGUAGE = "fr"
UNSPSC = "UNSPSC"

_PREFIX = re.compile(r"^ocds-[0-9a-z]{6}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
REDACTED = "[retiré]"


class Kind(StrEnum):
    """The nature of a specific contract (contracts.rules.Kind)."""

    SOLUTIONS = "solutions"
    SERVICES = "services"


KIND_LABELS = {
    Kind.SOLUTIONS: "Solutions infonuagiques",
    Kind.SERVICES: "Services professionnels et techniques",
}


class EntryKind(StrEnum):
    """A consumption entry: an order to the supplier or a supplier invoice."""

    ORDER = "order"
    INVOICE = "invoice"


def _check_cents(value: int, what: str, *, positive: bool = True) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be an integer number of cents, not {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{what} must be positive: {value}")


def _check_text(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is required")


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation (client body, supplier or provider, the broker): never a person.

    `id` is the platform's stable identifier of the organisation (e.g. "org-12"), used as the
    party id; `identifier_scheme`/`identifier_id` an official register entry when known."""

    id: str
    name: str
    identifier_scheme: str | None = None
    identifier_id: str | None = None

    def __post_init__(self) -> None:
        _check_text(self.id, "organisation id")
        _check_text(self.name, "organisation name")
        if (self.identifier_scheme is None) != (self.identifier_id is None):
            raise ValueError("identifier_scheme and identifier_id go together")


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes the package (by default the broker)."""

    name: str
    scheme: str | None = None
    uid: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        _check_text(self.name, "publisher name")


@dataclass(frozen=True, slots=True)
class Item:
    """What the contract covers: an offer or a component (solutions) or a qualification
    (services), with its quantity over the contract and, when chosen, its UNSPSC code."""

    id: str
    description: str
    quantity: Decimal | int | None = None
    unit: str | None = None
    unspsc: str | None = None  # e.g. 43230000 / 81162000 (solutions), 81160000 (services)

    def __post_init__(self) -> None:
        _check_text(self.id, "item id")
        _check_text(self.description, "item description")
        if isinstance(self.quantity, float | bool):
            raise TypeError("an item quantity is a Decimal or an int, never a float")
        if self.quantity is not None and self.quantity < 0:
            raise ValueError(f"negative quantity for item {self.id}")


@dataclass(frozen=True, slots=True)
class Amendment:
    """A signed amendment (avenant): its number, signature date, rationale, the changes in
    words, and the contract's new authorised amount and planned end when it changes them."""

    number: int
    signed_on: date
    rationale: str
    changes: tuple[str, ...] = ()
    new_authorised_cents: int | None = None
    new_end_on: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.number, int) or self.number < 1:
            raise ValueError(f"an amendment number is a positive integer: {self.number!r}")
        _check_text(self.rationale, "amendment rationale")
        if self.new_authorised_cents is not None:
            _check_cents(self.new_authorised_cents, "new authorised amount")


@dataclass(frozen=True, slots=True)
class Termination:
    """The termination (résiliation) of a contract: effective date and reason."""

    effective_on: date
    reason: str

    def __post_init__(self) -> None:
        _check_text(self.reason, "termination reason")


@dataclass(frozen=True, slots=True)
class ConsumptionEntry:
    """An order or a supplier invoice against the authorised amount (before taxes)."""

    kind: EntryKind
    number: str
    dated_on: date
    amount_cents: int

    def __post_init__(self) -> None:
        EntryKind(self.kind)
        _check_text(self.number, "entry number")
        _check_cents(self.amount_cents, "entry amount")


@dataclass(frozen=True, slots=True)
class ConcludedContract:
    """A concluded specific contract as the platform knows it (organisations only)."""

    reference: str  # immutable, e.g. "C-2026-0001"
    title: str
    kind: Kind
    client: Organisation
    supplier: Organisation
    items: tuple[Item, ...]
    authorised_cents: int  # the original authorised amount, before taxes
    start_on: date
    planned_end_on: date
    concluded_on: date
    amendments: tuple[Amendment, ...] = ()  # signed ones only
    termination: Termination | None = None
    entries: tuple[ConsumptionEntry, ...] = ()
    currency: str = "CAD"
    description: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.reference, str) or not _REFERENCE.match(self.reference):
            raise ValueError(f"invalid contract reference: {self.reference!r}")
        _check_text(self.title, "contract title")
        Kind(self.kind)
        _check_cents(self.authorised_cents, "authorised amount")
        if not _CURRENCY.match(self.currency):
            raise ValueError(f"invalid currency: {self.currency!r}")
        if self.planned_end_on < self.start_on:
            raise ValueError("the planned end precedes the start")
        if self.client.id == self.supplier.id:
            raise ValueError("the client and the supplier are the same organisation")
        if len({item.id for item in self.items}) != len(self.items):
            raise ValueError("duplicate item ids")
        numbers = [amendment.number for amendment in self.amendments]
        if len(set(numbers)) != len(numbers):
            raise ValueError("duplicate amendment numbers")
        keys = [(entry.kind, entry.number) for entry in self.entries]
        if len(set(keys)) != len(keys):
            raise ValueError("an entry number is recorded once per kind")


# --- Values, dates, ids and text -------------------------------------------------------------


def amount(cents: int) -> Decimal:
    """Integer cents as an exact decimal amount with two places (123456 -> Decimal("1234.56"))."""
    _check_cents(cents, "amount", positive=False)
    return Decimal(cents).scaleb(-2)


def _value(cents: int, currency: str) -> dict[str, Any]:
    return {"amount": amount(cents), "currency": currency}


def ocds_datetime(value: date | datetime, *, end_of_day: bool = False) -> str:
    """ISO 8601 with the America/Toronto offset. A date is its midnight there (or its last
    second with `end_of_day`); an aware datetime is converted; a naive one is refused."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime has no known offset")
        moment = value.astimezone(TORONTO)
    else:
        moment = datetime.combine(value, time(23, 59, 59) if end_of_day else time(), TORONTO)
    return moment.replace(microsecond=0).isoformat()


def make_ocid(prefix: str, reference: str) -> str:
    """The open contracting id: the registered prefix and the contract reference."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"an ocid prefix is 'ocds-' and 6 lowercase letters or digits: {prefix!r}")
    if not _REFERENCE.match(reference):
        raise ValueError(f"invalid contract reference: {reference!r}")
    return f"{prefix}-{reference}"


def _segment(text: str) -> str:
    """A stable, injective id segment (percent-encoded; never a '#')."""
    return quote(text, safe="-._~")


def redact(text: str | None) -> str | None:
    """Free text without email addresses nor telephone numbers."""
    if text is None:
        return None
    return _PHONE.sub(REDACTED, _EMAIL.sub(REDACTED, text))


# --- Releases -------------------------------------------------------------------------------


def _reference(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.id, "name": organisation.name}


def _party(organisation: Organisation, roles: Sequence[str]) -> dict[str, Any]:
    party: dict[str, Any] = {"id": organisation.id, "name": organisation.name}
    if organisation.identifier_scheme is not None:
        party["identifier"] = {
            "scheme": organisation.identifier_scheme,
            "id": organisation.identifier_id,
            "legalName": organisation.name,
        }
    party["roles"] = list(roles)
    return party


def _parties(contract: ConcludedContract, broker: Organisation) -> list[dict[str, Any]]:
    if broker.id in (contract.client.id, contract.supplier.id):
        raise ValueError("the broker is neither the client nor the supplier of a contract")
    return [
        _party(contract.client, ["buyer", "payer"]),
        _party(broker, ["procuringEntity"]),
        _party(contract.supplier, ["supplier", "payee"]),
    ]


def _item(item: Item) -> dict[str, Any]:
    result: dict[str, Any] = {"id": item.id, "description": redact(item.description)}
    if item.unspsc:
        result["classification"] = {"scheme": UNSPSC, "id": item.unspsc}
    if item.quantity is not None:
        result["quantity"] = Decimal(item.quantity)
    if item.unit:
        result["unit"] = {"name": item.unit}
    return result


def _period(start: date, end: date) -> dict[str, str]:
    return {"startDate": ocds_datetime(start), "endDate": ocds_datetime(end, end_of_day=True)}


def _ids(ocid: str) -> dict[str, str]:
    return {"award": f"{ocid}-award", "tender": f"{ocid}-tender"}


def _release(
    ocid: str,
    release_id: str,
    when: date,
    tags: list[str],
    contract: ConcludedContract,
    broker: Organisation,
    contract_part: dict[str, Any],
) -> dict[str, Any]:
    return {
        "ocid": ocid,
        "id": release_id,
        "date": ocds_datetime(when),
        "tag": tags,
        "initiationType": "tender",
        "language": LANGUAGE,
        "parties": _parties(contract, broker),
        "buyer": _reference(contract.client),
        "contracts": [{"id": contract.reference, "awardID": _ids(ocid)["award"], **contract_part}],
    }


def _conclusion_release_id(ocid: str) -> str:
    return f"{ocid}-conclusion"


def _amendment_release_id(ocid: str, number: int) -> str:
    return f"{ocid}-amendment-{number}"


def _entry_release_id(ocid: str, entry: ConsumptionEntry) -> str:
    return f"{ocid}-{EntryKind(entry.kind).value}-{_segment(entry.number)}"


def _termination_release_id(ocid: str) -> str:
    return f"{ocid}-termination"


def build_releases(
    contract: ConcludedContract, *, prefix: str, broker: Organisation
) -> list[dict[str, Any]]:
    """One OCDS release per event of a concluded contract, in chronological order."""
    ocid = make_ocid(prefix, contract.reference)
    ids = _ids(ocid)
    currency = contract.currency
    description = redact(contract.description) or KIND_LABELS[Kind(contract.kind)]
    items = [_item(item) for item in contract.items]
    releases: list[tuple[tuple[date, int, int, str], dict[str, Any]]] = []

    conclusion_id = _conclusion_release_id(ocid)
    conclusion = _release(
        ocid,
        conclusion_id,
        contract.concluded_on,
        ["award", "contract"],
        contract,
        broker,
        {
            "title": contract.title,
            "description": description,
            "status": "active",
            "dateSigned": ocds_datetime(contract.concluded_on),
            "value": _value(contract.authorised_cents, currency),
            "period": _period(contract.start_on, contract.planned_end_on),
            **({"items": items} if items else {}),  # OCDS: at least one item, or none given
        },
    )
    conclusion["tender"] = {
        "id": ids["tender"],
        "title": contract.title,
        "mainProcurementCategory": "services",
        "procuringEntity": _reference(broker),
    }
    conclusion["awards"] = [
        {
            "id": ids["award"],
            "title": contract.title,
            "description": description,
            "status": "active",
            "date": ocds_datetime(contract.concluded_on),
            "value": _value(contract.authorised_cents, currency),
            "suppliers": [_reference(contract.supplier)],
            **({"items": items} if items else {}),
            "contractPeriod": _period(contract.start_on, contract.planned_end_on),
        }
    ]
    releases.append(((contract.concluded_on, 0, 0, conclusion_id), conclusion))

    cents, end_on = contract.authorised_cents, contract.planned_end_on
    previous_id = conclusion_id
    so_far: list[dict[str, Any]] = []
    for amendment in sorted(contract.amendments, key=lambda a: a.number):
        release_id = _amendment_release_id(ocid, amendment.number)
        if amendment.new_authorised_cents is not None:
            cents = amendment.new_authorised_cents
        if amendment.new_end_on is not None:
            end_on = amendment.new_end_on
        if end_on < contract.start_on:
            raise ValueError(f"amendment {amendment.number} ends the contract before its start")
        changes = "; ".join(filter(None, (redact(change) for change in amendment.changes)))
        so_far.append(
            {
                "id": f"{contract.reference}-A{amendment.number}",
                "date": ocds_datetime(amendment.signed_on),
                "rationale": redact(amendment.rationale),
                "description": changes or None,
                "amendsReleaseID": previous_id,
                "releaseID": release_id,
            }
        )
        release = _release(
            ocid,
            release_id,
            amendment.signed_on,
            ["contractAmendment"],
            contract,
            broker,
            {
                "status": "active",
                "value": _value(cents, currency),
                "period": _period(contract.start_on, end_on),
                "amendments": [dict(entry) for entry in so_far],
            },
        )
        releases.append(((amendment.signed_on, 1, amendment.number, release_id), release))
        previous_id = release_id

    for entry in contract.entries:
        release_id = _entry_release_id(ocid, entry)
        transaction = {
            "id": f"{EntryKind(entry.kind).value}-{_segment(entry.number)}",
            "date": ocds_datetime(entry.dated_on),
            "value": _value(entry.amount_cents, currency),
            "payer": _reference(contract.client),
            "payee": _reference(contract.supplier),
        }
        release = _release(
            ocid,
            release_id,
            entry.dated_on,
            ["implementation"],
            contract,
            broker,
            {"implementation": {"transactions": [transaction]}},
        )
        releases.append(((entry.dated_on, 2, 0, release_id), release))

    if contract.termination is not None:
        termination = contract.termination
        release_id = _termination_release_id(ocid)
        release = _release(
            ocid,
            release_id,
            termination.effective_on,
            ["contractTermination"],
            contract,
            broker,
            {
                "status": "terminated",
                "finalStatusDetails": redact(termination.reason),
                "finalStatusDate": ocds_datetime(termination.effective_on),
                "value": _value(cents, currency),
                "period": {
                    "startDate": ocds_datetime(contract.start_on),
                    "endDate": ocds_datetime(termination.effective_on),
                },
            },
        )
        releases.append(((termination.effective_on, 3, 0, release_id), release))

    releases.sort(key=lambda pair: pair[0])
    return [release for _, release in releases]


def build_release_package(
    contracts: Iterable[ConcludedContract],
    *,
    prefix: str,
    broker: Organisation,
    uri: str,
    published_at: datetime | None = None,
    publisher: Publisher | None = None,
    license_uri: str | None = None,
    publication_policy: str | None = None,
) -> dict[str, Any]:
    """An OCDS release package of the releases of `contracts` (sorted by reference).

    `published_at` defaults to the latest release date, so the package of the same data is the
    same whenever it is built (OCDS: an on-demand package bears its data's last change)."""
    ordered = sorted(contracts, key=lambda contract: contract.reference)
    references = [contract.reference for contract in ordered]
    if len(set(references)) != len(references):
        raise ValueError("duplicate contract references")
    releases = [
        release
        for contract in ordered
        for release in build_releases(contract, prefix=prefix, broker=broker)
    ]
    if published_at is not None:
        published = ocds_datetime(published_at)
    elif releases:
        published = max((release["date"] for release in releases), key=datetime.fromisoformat)
    else:
        raise ValueError("an empty package needs its published_at")
    publisher = publisher or Publisher(name=broker.name)
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": {
            key: value
            for key, value in (
                ("name", publisher.name),
                ("scheme", publisher.scheme),
                ("uid", publisher.uid),
                ("uri", publisher.uri),
            )
            if value is not None
        },
    }
    if license_uri is not None:
        package["license"] = license_uri
    if publication_policy is not None:
        package["publicationPolicy"] = publication_policy
    package["releases"] = releases
    return package


# --- Serialisation --------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    text = format(value, "f")
    return "0" if text in ("-0", "-0.00") and value.is_zero() else text


def _encode(value: Any, indent: int | None, level: int) -> str:
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        raise TypeError("floats are never published; use Decimal")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, Mapping):
        parts = [
            f"{json.dumps(str(key), ensure_ascii=False)}: {_encode(item, indent, level + 1)}"
            for key, item in value.items()
        ]
        return _wrap("{", "}", parts, indent, level)
    if isinstance(value, list | tuple):
        return _wrap("[", "]", [_encode(item, indent, level + 1) for item in value], indent, level)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _wrap(opening: str, closing: str, parts: list[str], indent: int | None, level: int) -> str:
    if not parts:
        return opening + closing
    if indent is None:
        return opening + ", ".join(parts) + closing
    inner = "\n" + " " * (indent * (level + 1))
    return opening + inner + ("," + inner).join(parts) + "\n" + " " * (indent * level) + closing


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text in which every Decimal is written as an exact JSON number (1234.56, never
    "1234.56" nor a float's approximation). Read it back with `json.loads(text,
    parse_float=Decimal)` to keep the amounts exact."""
    return _encode(value, indent, 0)
