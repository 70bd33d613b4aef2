"""Retention and transmission rules (DOMAIN §7; 002 §4.10), without a database."""

from datetime import date, timedelta

import pytest

from courtier.documents import rules, types
from courtier.documents.rules import DisposalDate, Owed, OwedRule, Retention, RetentionRule

KEPT = date(2026, 3, 2)
END = date(2028, 2, 29)


@pytest.mark.parametrize(
    ("rule", "contract_end", "expected"),
    [
        (RetentionRule(Retention.CONTRACT_DURATION), END, DisposalDate(END, pending=False)),
        (
            RetentionRule(Retention.AFTER_CONTRACT_END, 7),
            END,
            DisposalDate(date(2035, 2, 28), pending=False),  # 29 February lands on the 28th
        ),
        (RetentionRule(Retention.CONTRACT_DURATION), None, rules.PENDING),
        (RetentionRule(Retention.AFTER_CONTRACT_END, 7), None, rules.PENDING),
        (
            RetentionRule(Retention.AFTER_CREATION, 7),
            None,
            DisposalDate(date(2033, 3, 2), pending=False),
        ),
        (RetentionRule(Retention.PERMANENT), END, rules.PERMANENTLY),
    ],
)
def test_a_disposal_date_follows_the_types_rule(rule, contract_end, expected):
    assert rules.disposal_date(rule, kept_on=KEPT, contract_end=contract_end) == expected


def test_the_date_moves_when_the_contracts_end_moves():
    rule = types.get("signed_contract").retention
    first = rules.disposal_date(rule, kept_on=KEPT, contract_end=date(2029, 3, 31))
    moved = rules.disposal_date(rule, kept_on=KEPT, contract_end=date(2030, 3, 31))
    assert (first.on, moved.on) == (date(2036, 3, 31), date(2037, 3, 31))


@pytest.mark.parametrize(
    ("when", "today", "due"),
    [
        (DisposalDate(date(2026, 5, 1), False), date(2026, 5, 1), True),
        (DisposalDate(date(2026, 5, 1), False), date(2026, 4, 30), False),
        (rules.PENDING, date(2099, 1, 1), False),
        (rules.PERMANENTLY, date(2099, 1, 1), False),
    ],
)
def test_a_document_is_due_on_its_disposal_date(when, today, due):
    assert rules.is_due(when, today) is due


def _weekdays_after(day: date, n: int) -> date:
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


@pytest.mark.parametrize(
    ("rule", "event_on", "due_on"),
    [
        # Signed on a Thursday: due 5 business days later, the next Thursday (002 §4.10).
        (OwedRule(Owed.WITHIN_BUSINESS_DAYS, 5), date(2026, 12, 3), date(2026, 12, 10)),
        (OwedRule(Owed.AT_ONCE), date(2026, 12, 3), date(2026, 12, 3)),
        (OwedRule(Owed.ON_REQUEST), date(2026, 12, 3), None),
        (OwedRule(Owed.NEVER), date(2026, 12, 3), None),
        (OwedRule(Owed.WITHIN_BUSINESS_DAYS, 5), None, None),
    ],
)
def test_a_document_owed_on_its_event_has_its_due_date(rule, event_on, due_on):
    assert rules.owed_due_on(rule, event_on, _weekdays_after) == due_on


@pytest.mark.parametrize(
    ("code", "basis", "owed"),
    [
        ("needs", Retention.CONTRACT_DURATION, Owed.ON_REQUEST),
        ("justification", Retention.AFTER_CONTRACT_END, Owed.ON_REQUEST),
        ("signed_contract", Retention.AFTER_CONTRACT_END, Owed.WITHIN_BUSINESS_DAYS),
        ("signed_amendment", Retention.AFTER_CONTRACT_END, Owed.WITHIN_BUSINESS_DAYS),
        ("performance_report", Retention.AFTER_CONTRACT_END, Owed.WITHIN_BUSINESS_DAYS),
        ("termination", Retention.AFTER_CONTRACT_END, Owed.AT_ONCE),
        ("supplier_invoice", Retention.AFTER_CONTRACT_END, Owed.ON_REQUEST),
        ("dispute", Retention.AFTER_CONTRACT_END, Owed.ON_REQUEST),
        ("disposal_attestation", Retention.PERMANENT, Owed.NEVER),
    ],
)
def test_the_registry_holds_the_table_of_domain_section_7(code, basis, owed):
    kind = types.get(code)
    assert (kind.retention.basis, kind.owed.when) == (basis, owed)
    if basis is Retention.AFTER_CONTRACT_END:
        assert kind.retention.years == 7
