"""Consumption against the authorised amount (002 §4.4: the client follows its consumption
against the contract's amount): the orders to the supplier and the supplier's invoices, one at a
time or from a CSV file; an order that would take the orders beyond 100 % of the current
authorised amount is refused until an amendment raises it (002 §4.5); the client's people are
told once when the invoices reach 80 %, then 100 % of it. The order or invoice itself is kept
as a document (DOMAIN §7: seven years after the end, to the broker on request)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from courtier.contracts import messages, rules, selectors
from courtier.contracts.models import ConsumptionEntry, Contract, EntryKind
from courtier.contracts.services.common import (
    _lock,
    _now,
    _record,
    actors_of,
    client_emails,
    contract_url,
)
from courtier.core.formatting import money
from courtier.core.mail import notify
from courtier.documents.services.store import document_keep
from courtier.files.inspection import Kind, UploadRefused, inspect_upload

RECORDED = "consumption.recorded"
IMPORTED = "consumption.imported"
THRESHOLD_REACHED = "contract.threshold_reached"
THRESHOLD_TEMPLATE = "contracts/email/threshold"
# The document type each kind of entry is kept as (DOMAIN §7).
DOCUMENT_TYPES = {EntryKind.ORDER: "supplier_order", EntryKind.INVOICE: "supplier_invoice"}
DOCUMENT_TITLES = {
    EntryKind.ORDER: "Commande n° {number}",
    EntryKind.INVOICE: "Facture n° {number}",
}
# The CSV file: its header, the French words of the kinds, and how many lines it may hold.
CSV_COLUMNS = ("type", "numero", "date", "montant", "description")
CSV_KINDS = {"commande": EntryKind.ORDER, "facture": EntryKind.INVOICE}
CSV_MAX_LINES = 5000
CSV_NAME = "commandes-factures.csv"
NUMBER_LENGTH = 60
DESCRIPTION_LENGTH = 300
_AMOUNT = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")


@dataclass(frozen=True)
class _Entry:
    kind: str
    number: str
    dated_on: date | None
    amount_cents: int
    description: str


def _require_recorder(by: Any, contract: Contract) -> None:
    """002 §4.4: the client's people who run its contract, or the broker's agents."""
    if not actors_of(by, contract) & {rules.Actor.CLIENT, rules.Actor.BROKER}:
        raise PermissionDenied


def _require_signed(contract: Contract) -> None:
    # 002 §4.4: orders and invoices follow a signed contract (concluded or in force).
    if contract.state not in rules.SIGNED_STATES:
        raise ValidationError({"state": messages.NOT_SIGNED})


def _problems(
    contract: Contract,
    entry: _Entry,
    *,
    ordered_cents: int,
    authorised_cents: int,
    taken: set[tuple[str, str]],
) -> dict[str, Any]:
    """What keeps ``entry`` from being recorded, by field: the kind, a number given once per
    contract and kind, a date from the contract's start, a positive amount, and for an order
    the authorised amount (002 §4.4: never beyond 100 % of the orders)."""
    errors: dict[str, Any] = {}
    if entry.kind not in EntryKind.values:
        errors["kind"] = messages.KIND_UNKNOWN
    if not entry.number:
        errors["number"] = messages.REQUIRED
    elif len(entry.number) > NUMBER_LENGTH:
        errors["number"] = str(messages.TEXT_TOO_LONG).format(limit=NUMBER_LENGTH)
    elif (entry.kind, entry.number) in taken:
        errors["number"] = messages.ENTRY_TWICE
    if entry.dated_on is None:
        errors["dated_on"] = messages.REQUIRED
    elif entry.dated_on < contract.start_on:
        errors["dated_on"] = messages.ENTRY_DATE_BEFORE_START
    if len(entry.description) > DESCRIPTION_LENGTH:
        errors["description"] = str(messages.TEXT_TOO_LONG).format(limit=DESCRIPTION_LENGTH)
    if entry.amount_cents <= 0:
        errors["amount_cents"] = messages.ENTRY_AMOUNT_POSITIVE
    elif entry.kind == EntryKind.ORDER and rules.order_exceeds(
        ordered_cents, entry.amount_cents, authorised_cents
    ):
        errors["amount_cents"] = str(messages.ORDER_BEYOND_AUTHORISED).format(
            authorised=money(authorised_cents)
        )
    return errors


def _taken(contract: Contract) -> set[tuple[str, str]]:
    return set(ConsumptionEntry.objects.filter(contract=contract).values_list("kind", "number"))


def _facts(entry: ConsumptionEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "number": entry.number,
        "dated_on": entry.dated_on.isoformat(),
        "amount_cents": entry.amount_cents,
        "description": entry.description,
        "document": entry.document.title if entry.document_id else "",
    }


def _check_file(name: str, content: bytes) -> None:
    """The order or invoice file: the one inspection of every upload (files.inspection: allowed
    types typed from the bytes, size, spoofed extension, macros, archives...)."""
    try:
        inspect_upload(name, io.BytesIO(content))
    except UploadRefused as refused:
        raise ValidationError(
            {"file": ValidationError(refused.message, code=refused.code)}
        ) from None


@transaction.atomic
def entry_record(
    *,
    by: Any,
    contract: Contract,
    kind: str,
    number: str,
    dated_on: date | None,
    amount_cents: int,
    description: str = "",
    content: bytes | None = None,
    name: str = "",
) -> ConsumptionEntry:
    """Record an order to the supplier or a supplier invoice on a concluded or in-force contract
    (002 §4.4), with the order or invoice itself when given; an order beyond 100 % of the current
    authorised amount is refused. Invoices reaching 80 % then 100 % tell the client's people."""
    contract = _lock(contract)
    _require_recorder(by, contract)
    _require_signed(contract)
    errors: dict[str, Any] = {}
    entry = _Entry(
        kind=str(kind or ""),
        number=(number or "").strip(),
        dated_on=dated_on,
        amount_cents=int(amount_cents or 0),
        description=(description or "").strip(),
    )
    ordered, _consumed = selectors.totals(contract)
    authorised = selectors.current_terms(contract).authorised_cents
    errors |= _problems(
        contract, entry, ordered_cents=ordered, authorised_cents=authorised, taken=_taken(contract)
    )
    if content is not None:
        name = (name or "").strip()[:255] or "document"
        try:
            _check_file(name, content)
        except ValidationError as refused:
            errors |= refused.message_dict
    if errors:
        raise ValidationError(errors)
    document = None
    if content is not None:
        document = document_keep(
            by=by,
            subject=contract,
            type=DOCUMENT_TYPES[entry.kind],
            title=DOCUMENT_TITLES[entry.kind].format(number=entry.number),
            name=name,
            content=content,
        )
    created = _create(by, contract, entry, document)
    _record(by, RECORDED, created, contract, None, _facts(created))
    _thresholds(by, contract)
    return created


def _create(by: Any, contract: Contract, entry: _Entry, document: Any = None) -> ConsumptionEntry:
    return ConsumptionEntry.objects.create(
        contract=contract,
        kind=entry.kind,
        number=entry.number,
        dated_on=entry.dated_on,
        amount_cents=entry.amount_cents,
        description=entry.description,
        document=document,
        recorded_by=by,
        recorded_at=_now(),
    )


# --- the CSV import ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    """« Numéro » -> « numero »: a header cell without accents, case or spaces around."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_amount(text: str) -> int | None:
    """« 1 234,56 », « 1234.56 », « 1234 $ » -> cents; None when it is not an amount in dollars
    with at most two decimals."""
    cleaned = re.sub(r"[\s\u00a0\u202f$]", "", text or "")
    match = _AMOUNT.match(cleaned)
    if match is None:
        return None
    try:
        value = Decimal(f"{match.group(1)}.{match.group(2) or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    return int(value * 100)


def parse_date(text: str) -> date | None:
    """AAAA-MM-JJ or JJ/MM/AAAA; None otherwise."""
    text = (text or "").strip()
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None


def _text_of(name: str, content: bytes) -> str:
    """The file's text: the upload's checks (files.inspection: a CSV typed from its bytes, the
    size limit, no NUL byte; the messages name the file), then UTF-8 (with or without its
    byte-order mark) only."""
    try:
        inspect_upload(name, io.BytesIO(content), allowed={Kind.CSV})
    except UploadRefused as refused:
        raise ValidationError(
            {"file": ValidationError(refused.message, code=refused.code)}
        ) from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": messages.CSV_NOT_TEXT}) from None


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's cells and the non-blank lines with their number in the file. The separator
    is the header's: a comma, or a semicolon (what Excel writes in French)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = cells
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= CSV_MAX_LINES:
                raise ValidationError(
                    {"file": str(messages.CSV_TOO_MANY_LINES).format(limit=CSV_MAX_LINES)}
                )
            rows.append((line, cells))
    except csv.Error:  # a cell beyond the csv module's limit, a stray quote at the end...
        raise ValidationError({"file": _line(start, messages.CSV_NOT_TEXT)}) from None
    return header or [], rows


def _line_entry(cells: list[str]) -> tuple[_Entry | None, list[Any]]:
    """One line as an entry, or the problems of its cells."""
    if len(cells) not in (len(CSV_COLUMNS) - 1, len(CSV_COLUMNS)):
        count = str(messages.CSV_COLUMNS).format(count=len(cells), expected=len(CSV_COLUMNS))
        return None, [count]
    kind_text, number, day, amount, *rest = (cell.strip() for cell in cells)
    problems: list[Any] = []
    kind = CSV_KINDS.get(_plain(kind_text))
    if kind is None:
        problems.append(messages.KIND_UNKNOWN)
    dated_on = parse_date(day)
    if dated_on is None:
        problems.append(messages.DATE_INVALID)
    cents = parse_amount(amount)
    if cents is None:
        problems.append(messages.AMOUNT_INVALID)
    if problems:
        return None, problems
    return _Entry(str(kind), number, dated_on, cents or 0, rest[0] if rest else ""), []


def _line(number: int, problem: Any) -> str:
    return str(messages.CSV_LINE).format(line=number, problem=problem)


@transaction.atomic
def entries_import(
    *, by: Any, contract: Contract, content: bytes, name: str = CSV_NAME
) -> list[ConsumptionEntry]:
    """Orders and invoices from a CSV file (header ``type,numero,date,montant,description``;
    « commande » or « facture »; the amount in dollars, a comma or a point before the cents):
    every bad line is named with its number and the whole file refused, or every line is
    recorded (002 §4.4), in the file's order, each checked as ``entry_record`` checks one."""
    contract = _lock(contract)
    _require_recorder(by, contract)
    _require_signed(contract)
    header, rows = _rows(_text_of((name or "").strip()[:255] or CSV_NAME, content))
    if tuple(_plain(cell) for cell in header) not in (CSV_COLUMNS, CSV_COLUMNS[:-1]):
        raise ValidationError(
            {"file": str(messages.CSV_HEADER).format(columns=",".join(CSV_COLUMNS))}
        )
    if not rows:
        raise ValidationError({"file": messages.CSV_EMPTY})
    ordered, _consumed = selectors.totals(contract)
    authorised = selectors.current_terms(contract).authorised_cents
    taken = _taken(contract)
    problems: list[str] = []
    entries: list[_Entry] = []
    for number, cells in rows:
        entry, found = _line_entry(cells)
        if entry is not None:
            keyed = _problems(
                contract, entry, ordered_cents=ordered, authorised_cents=authorised, taken=taken
            )
            found = list(keyed.values())
            taken.add((entry.kind, entry.number))
            if not keyed:
                entries.append(entry)
                if entry.kind == EntryKind.ORDER:
                    ordered += entry.amount_cents
        problems += [_line(number, problem) for problem in found]
    if problems:
        raise ValidationError({"file": problems})
    created = [_create(by, contract, entry) for entry in entries]
    _record(
        by,
        IMPORTED,
        contract,
        contract,
        None,
        {"entries": len(created), "amount_cents": sum(e.amount_cents for e in created)},
    )
    _thresholds(by, contract)
    return created


# --- the 80 % and 100 % thresholds (002 §4.4) -------------------------------------------------


def _thresholds(by: Any, contract: Contract) -> list[int]:
    """The thresholds the invoices reach now against the current authorised amount, each told
    once (``told_80_at``, ``told_100_at``): one email to the client's people names the highest
    reached. ``contract`` is locked by the caller."""
    _ordered, consumed = selectors.totals(contract)
    authorised = selectors.current_terms(contract).authorised_cents
    told = [t for t, at in ((80, contract.told_80_at), (100, contract.told_100_at)) if at]
    crossed = rules.thresholds_crossed(consumed, authorised, told)
    if not crossed:
        return []
    now = _now()
    for threshold in crossed:
        setattr(contract, f"told_{threshold}_at", now)
        _record(
            by,
            THRESHOLD_REACHED,
            contract,
            contract,
            None,
            {"threshold": threshold, "consumed_cents": consumed, "authorised_cents": authorised},
        )
    contract.save(update_fields=[f"told_{t}_at" for t in crossed])
    notify(
        to=client_emails(contract),
        template=THRESHOLD_TEMPLATE,
        context={
            "contract": contract,
            "threshold": max(crossed),
            "consumed_cents": consumed,
            "authorised_cents": authorised,
            "percent_bp": int(rules.percent(consumed, authorised) * 100),
            "url": contract_url(contract),
        },
    )
    return crossed
