"""Retention and transmission rules of kept documents (DOMAIN §7; 002 §4.10), as pure functions:
when a document may be disposed of, and when a document is owed to the broker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta


class Retention(StrEnum):
    """What a type's keeping period counts from (DOMAIN §7, column « keep »)."""

    CONTRACT_DURATION = "contract_duration"  # the whole contract duration: until its end
    AFTER_CONTRACT_END = "after_contract_end"  # N years after the contract ends
    AFTER_CREATION = "after_creation"  # the type's own rule: N years after it was kept
    PERMANENT = "permanent"  # never disposed of (e.g. an attestation of disposal)


@dataclass(frozen=True)
class RetentionRule:
    basis: Retention
    years: int = 0


@dataclass(frozen=True)
class DisposalDate:
    """A document's disposal date, or why it has none yet."""

    on: date | None
    pending: bool  # the event it counts from has not happened (e.g. the contract has not ended)


PERMANENTLY = DisposalDate(None, pending=False)
PENDING = DisposalDate(None, pending=True)


def disposal_date(rule: RetentionRule, *, kept_on: date, contract_end: date | None) -> DisposalDate:
    """DOMAIN §7: « toute la durée du contrat » ends with the contract; « sept ans suivant la fin
    du contrat » counts 7 years from its end; an own rule counts from the day it was kept. Until
    the contract's end is known, the date is pending. A 29 February lands on the 28th."""
    if rule.basis is Retention.PERMANENT:
        return PERMANENTLY
    if rule.basis is Retention.AFTER_CREATION:
        return DisposalDate(kept_on + relativedelta(years=rule.years), pending=False)
    if contract_end is None:
        return PENDING
    years = rule.years if rule.basis is Retention.AFTER_CONTRACT_END else 0
    return DisposalDate(contract_end + relativedelta(years=years), pending=False)


def is_due(when: DisposalDate, today: date) -> bool:
    return when.on is not None and when.on <= today


class Owed(StrEnum):
    """When a document is owed to the broker (DOMAIN §7, column « to the broker »)."""

    ON_REQUEST = "on_request"  # only when the broker asks for it
    WITHIN_BUSINESS_DAYS = "within_business_days"  # N business days after its event (signature)
    AT_ONCE = "at_once"  # as soon as its event happens (termination effective)
    NEVER = "never"  # the broker's own documents, the Catalogue's


@dataclass(frozen=True)
class OwedRule:
    when: Owed
    business_days: int = 0


def owed_due_on(
    rule: OwedRule, event_on: date | None, add_business_days: Callable[[date, int], date]
) -> date | None:
    """The day a document owed on its event is due at the broker: 5 business days after the
    parties' (or the head's) signature, the day termination takes effect (002 §4.10). None for a
    document owed only on request, or whose event has not happened."""
    if event_on is None or rule.when in {Owed.ON_REQUEST, Owed.NEVER}:
        return None
    if rule.when is Owed.AT_ONCE:
        return event_on
    return add_business_days(event_on, rule.business_days)


# --- the verification code of a validated version (DOMAIN §7; 002 §4.5) ----------------------
# Printed on the broker's stamp and typed back by whoever checks a paper or a file: 10 characters
# of an alphabet without the look-alikes (no 0/O, 1/I/L), about 50 bits, shown in groups of 4, 4
# and 2 (« K7QM-42XP-9D »). Letters are read in any case, with or without the hyphens or spaces.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
CODE_GROUPS = (4, 4, 2)


def code_new(pick: Callable[[str], str]) -> str:
    """A new code, each character drawn by ``pick`` (``secrets.choice``) from the alphabet."""
    return code_format("".join(pick(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def code_format(raw: str) -> str:
    """``K7QM42XP9D`` -> ``K7QM-42XP-9D``."""
    parts, start = [], 0
    for size in CODE_GROUPS:
        parts.append(raw[start : start + size])
        start += size
    return "-".join(parts)


def code_read(typed: str) -> str | None:
    """What a person typed, as a stored code; None when it cannot be one."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t\u00a0\u202f")
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return code_format(raw)
