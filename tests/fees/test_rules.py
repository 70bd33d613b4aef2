"""The pure rules of the fees (DOMAIN §6; 004 §4.3, 002 §4.2, §4.5, 001 §9): the fee a grid
charges (brackets, rates, half-up rounding), the GST and QST shown separately, the numbers and
due dates, the checks of a report line, the invoice's moves. No database."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.fees import rules
from courtier.fees.rules import ContractFacts, GridLine, GridProblem, LineProblem, ReportLine

GRID = [
    GridLine("contract", 0, 10_000_000, flat_cents=100_000),
    GridLine("contract", 10_000_000, None, flat_cents=250_000, rate_bp=10),
    GridLine("amendment", flat_cents=50_000),
    GridLine("quarterly", rate_bp=150),
]


@pytest.mark.parametrize(
    ("subtotal", "gst", "qst", "total"),
    [
        (100_000, 5_000, 9_975, 114_975),  # 1,000.00 $ → 50.00 + 99.75 = 1,149.75 $ (DOMAIN §6)
        (1, 0, 0, 1),  # 0.05 ¢ and 0.09975 ¢ round down
        (10, 1, 1, 12),  # 0.5 ¢ rounds up (half-up); 0.9975 ¢ → 1 ¢
        (2_005, 100, 200, 2_305),  # 100.25 ¢ → 100 ¢; 199.99875 ¢ → 200 ¢
        (12_345, 617, 1_231, 14_193),  # 617.25 → 617; 1,231.41 → 1,231
        (19_999, 1_000, 1_995, 22_994),  # 999.95 → 1,000; 1,994.90 → 1,995
    ],
)
def test_the_gst_and_the_qst_are_each_computed_on_the_subtotal_and_rounded_half_up(
    subtotal, gst, qst, total
):
    taxes = rules.taxes(subtotal)
    assert (taxes.gst_cents, taxes.qst_cents, taxes.total_cents) == (gst, qst, total)


@pytest.mark.parametrize(
    ("fee_type", "amount", "fee"),
    [
        ("contract", 0, 100_000),
        ("contract", 9_999_999, 100_000),  # just under the bracket's upper bound
        ("contract", 10_000_000, 260_000),  # the next bracket: 2,500 $ + 0.10 % of 100,000 $
        ("contract", 12_345_678, 262_346),  # 0.10 % of 123,456.78 $ = 123.45678 $ → 123.46 $
        ("amendment", 0, 50_000),
        ("quarterly", 1_333_333, 20_000),  # 1.5 % of 13,333.33 $ = 199.99995 $ → 200.00 $
        ("quarterly", 33, 0),  # 0.495 ¢ rounds down to 0
        ("quarterly", 34, 1),  # 0.51 ¢ rounds up
    ],
)
def test_the_fee_is_the_flat_part_plus_the_rate_of_the_amount_s_bracket(fee_type, amount, fee):
    assert rules.fee_cents(GRID, fee_type, amount) == fee


def test_a_grid_without_a_type_of_fee_charges_none_so_its_model_does_not_apply():
    """DOMAIN §6: the grid in force decides the model (quarterly, 004 §4.3, or per contract)."""
    old_model = [GridLine("quarterly", rate_bp=150)]
    assert rules.fee_cents(old_model, "contract", 1_000_000) is None
    assert not rules.applies(old_model, "contract") and rules.applies(old_model, "quarterly")


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([], GridProblem.EMPTY),
        ([GridLine("contract", 100, None, flat_cents=1)], GridProblem.START),
        ([GridLine("contract", 0, 100, flat_cents=1)], GridProblem.OPEN_END),
        (
            [GridLine("contract", 0, 100, flat_cents=1), GridLine("contract", 200, None, 1)],
            GridProblem.GAP,
        ),
        (
            [GridLine("contract", 0, 300, flat_cents=1), GridLine("contract", 200, None, 1)],
            GridProblem.GAP,
        ),
        ([GridLine("contract", 0, 0, flat_cents=1)], GridProblem.BOUNDS),
        ([GridLine("quarterly", rate_bp=10_001)], GridProblem.RATE),
        ([GridLine("quarterly", flat_cents=-1, rate_bp=1)], GridProblem.NEGATIVE),
        ([GridLine("amendment")], GridProblem.NOTHING),
    ],
)
def test_a_grid_covers_every_amount_once_per_type(lines, problem):
    found = rules.grid_problems(lines)
    assert problem in set().union(*found.values())


def test_a_well_made_grid_has_no_problem():
    assert rules.grid_problems(GRID) == {}


def test_numbers_name_the_series_the_fiscal_year_and_a_five_digit_sequence():
    assert rules.number("F", "2026-2027", 42) == "F-2026-2027-00042"
    assert rules.number("NC", "2027-2028", 1) == "NC-2027-2028-00001"


@pytest.mark.parametrize(
    ("sequences", "gapless"),
    [([1, 2, 3], True), ([3, 1, 2], True), ([1, 3], False), ([1, 2, 2], False), ([], True)],
)
def test_the_numbers_of_a_year_run_without_gap_or_duplicate(sequences, gapless):
    assert rules.gapless(sequences) is gapless


def test_an_invoice_is_payable_within_30_days_and_overdue_the_day_after():
    """001 §9.3."""
    due = rules.due_on(date(2026, 12, 4))
    assert due == date(2027, 1, 3)
    assert not rules.is_overdue(due, date(2027, 1, 3)) and rules.is_overdue(due, date(2027, 1, 4))


FACTS = {
    "C-1": ContractFacts(supplier_id=1, client_id=10, client_name="Ministère A", signed=True),
    "C-2": ContractFacts(supplier_id=2, client_id=10, client_name="Ministère A", signed=True),
    "C-3": ContractFacts(supplier_id=1, client_id=10, client_name="Ministère A", signed=False),
}
Q4 = {"quarter_start": date(2027, 1, 1), "quarter_end": date(2027, 3, 31)}


@pytest.mark.parametrize(
    ("line", "problems"),
    [
        (ReportLine("C-1", "Ministère A", "F1", date(2027, 3, 31), 100), []),
        (ReportLine("C-1", "  ministère   a ", "F1", date(2027, 1, 1), 100), []),
        (
            ReportLine("C-1", "Ministère A", "F1", date(2027, 4, 1), 100),
            [LineProblem.OUTSIDE_QUARTER],
        ),
        (
            ReportLine("C-1", "Ministère A", "F1", date(2026, 12, 31), 100),
            [LineProblem.OUTSIDE_QUARTER],
        ),
        (
            ReportLine("C-2", "Ministère A", "F1", date(2027, 2, 1), 100),
            [LineProblem.OTHER_SUPPLIER],
        ),
        (
            ReportLine("C-9", "Ministère A", "F1", date(2027, 2, 1), 100),
            [LineProblem.CONTRACT_UNKNOWN],
        ),
        (
            ReportLine("C-3", "Ministère A", "F1", date(2027, 2, 1), 100),
            [LineProblem.CONTRACT_NOT_SIGNED],
        ),
        (
            ReportLine("C-1", "Organisme B", "F1", date(2027, 2, 1), 100),
            [LineProblem.CLIENT_MISMATCH],
        ),
        (ReportLine("C-1", "Ministère A", "F1", date(2027, 2, 1), 0), [LineProblem.AMOUNT]),
        (ReportLine("C-1", "Ministère A", "F1", date(2027, 2, 1), -5), [LineProblem.AMOUNT]),
        (
            ReportLine("C-1", "Ministère A", "", None, None),
            [LineProblem.MISSING, LineProblem.AMOUNT],
        ),
    ],
)
def test_a_report_line_is_the_supplier_s_contract_its_client_paid_inside_the_quarter(
    line, problems
):
    """004 §4.3: an acquisition is an invoice the client paid in the quarter."""
    assert rules.line_problems(line, supplier_id=1, contracts=FACTS, **Q4) == problems


def test_the_same_supplier_invoice_twice_in_a_report_is_named_at_its_repetition():
    line = ReportLine("C-1", "Ministère A", "F1", date(2027, 2, 1), 100)
    other = ReportLine("C-1", "Ministère A", "F2", date(2027, 2, 1), 100)
    assert rules.duplicate_invoices([line, other, line]) == {3}


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        ("issued", "mark_overdue", "overdue"),
        ("issued", "settle", "paid"),
        ("overdue", "settle", "paid"),
        ("issued", "credit", "credited"),
        ("overdue", "credit", "credited"),
    ],
)
def test_the_invoice_s_moves(state, action, target):
    moves = {(t.source, t.action): t.target for t in rules.TRANSITIONS}
    assert moves[(state, action)] == target


def test_a_paid_or_credited_invoice_makes_no_more_move():
    assert not [t for t in rules.TRANSITIONS if t.source in ("paid", "credited")]
