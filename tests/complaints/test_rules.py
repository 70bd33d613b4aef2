"""The pure rules of feedback and complaints (courtier/complaints/rules.py), without a database:
the categories and their links, the moves of a complaint and who sees it, the dispute that
persists or repeats (DOMAIN §5.6, §5.10; 002 §4.6)."""

from __future__ import annotations

from datetime import date

import pytest

from courtier.complaints import rules
from courtier.complaints.rules import (
    Action,
    Actor,
    Category,
    Dispute,
    Group,
    Links,
    State,
)

# --- categories and links (DOMAIN §5.6; 002 §4.6) ------------------------------------------------


@pytest.mark.parametrize(
    ("category", "group"),
    [
        (Category.DOCUMENTS, Group.FEEDBACK),
        (Category.CATALOGUE_DATA, Group.FEEDBACK),
        (Category.CONDITIONS, Group.FEEDBACK),
        (Category.SECURITY, Group.FEEDBACK),
        (Category.NEW_CATEGORY, Group.FEEDBACK),
        (Category.DISPUTE, Group.SUPPLIER_COMPLAINT),
        (Category.REFUSAL_TO_SIGN, Group.SUPPLIER_COMPLAINT),
        (Category.TERMINATION, Group.SUPPLIER_COMPLAINT),
        (Category.BREACH, Group.SUPPLIER_COMPLAINT),
        (Category.UNAVAILABILITY, Group.SOLUTION_COMPLAINT),
        (Category.PERFORMANCE, Group.SOLUTION_COMPLAINT),
    ],
)
def test_each_category_of_the_guide_belongs_to_its_group(category, group):
    """002 §4.6: five kinds of feedback, then complaints about a supplier or a solution."""
    assert rules.GROUPS[category] == group
    assert rules.is_complaint(category) is (group != Group.FEEDBACK)


def test_every_category_has_a_group_and_a_link_rule():
    assert set(rules.GROUPS) == set(Category) == set(rules.LINK_RULES)


@pytest.mark.parametrize(
    ("category", "links", "problems"),
    [
        (Category.DOCUMENTS, Links(), []),
        (Category.DOCUMENTS, Links(contract=1), ["contract_not_allowed"]),
        (Category.NEW_CATEGORY, Links(), []),
        (Category.NEW_CATEGORY, Links(supplier=7), ["supplier_not_allowed"]),
        (Category.CATALOGUE_DATA, Links(), ["offer_or_supplier_required"]),
        (Category.CATALOGUE_DATA, Links(offer=3), []),
        (Category.CATALOGUE_DATA, Links(supplier=7), []),  # a provider's sheet: no offer
        (Category.CONDITIONS, Links(), []),
        (Category.CONDITIONS, Links(contract=1), []),
        (Category.CONDITIONS, Links(offer=3), ["offer_not_allowed"]),
        (Category.SECURITY, Links(offer=3), []),
        (Category.SECURITY, Links(), []),
        (Category.DISPUTE, Links(contract=1, supplier=7), []),
        (Category.DISPUTE, Links(supplier=7), ["contract_required"]),
        (Category.DISPUTE, Links(), ["contract_required", "supplier_required"]),
        (Category.REFUSAL_TO_SIGN, Links(contract=1, supplier=7), []),
        (Category.REFUSAL_TO_SIGN, Links(contract=1), ["supplier_required"]),
        (Category.TERMINATION, Links(contract=1, supplier=7), []),
        (Category.TERMINATION, Links(contract=1, supplier=7, offer=3), ["offer_not_allowed"]),
        (Category.BREACH, Links(supplier=7), []),  # of the framework agreement: no contract
        (Category.BREACH, Links(supplier=7, contract=1), []),
        (Category.BREACH, Links(contract=1), ["supplier_required"]),
        (Category.UNAVAILABILITY, Links(offer=3), []),  # during a trial: no contract
        (Category.UNAVAILABILITY, Links(offer=3, contract=1, supplier=7), []),
        (Category.UNAVAILABILITY, Links(contract=1), ["offer_required"]),
        (Category.PERFORMANCE, Links(offer=3, contract=1), []),
        (Category.PERFORMANCE, Links(supplier=7), ["offer_required"]),
        ("praise", Links(), ["unknown_category"]),
    ],
)
def test_each_category_is_linked_to_what_it_is_about(category, links, problems):
    """DOMAIN §5.6: linked to a contract, an offer or a supplier where it applies."""
    assert rules.link_problems(category, links) == problems


@pytest.mark.parametrize(
    ("category", "links", "problems"),
    [
        (Category.DISPUTE, Links(contract=1, supplier=7, contract_supplier=7), []),
        (
            Category.DISPUTE,
            Links(contract=1, supplier=7, contract_supplier=8),
            ["supplier_mismatch"],
        ),
        (
            Category.PERFORMANCE,
            Links(offer=3, supplier=7, offer_supplier=8),
            ["supplier_mismatch"],
        ),
        (
            Category.PERFORMANCE,
            Links(offer=3, contract=1, contract_offers=frozenset({3, 4})),
            [],
        ),
        (
            Category.PERFORMANCE,
            Links(offer=9, contract=1, contract_offers=frozenset({3, 4})),
            ["offer_not_in_contract"],
        ),
    ],
)
def test_the_links_of_a_complaint_agree_with_each_other(category, links, problems):
    """Another supplier's contract or offer, or an offer outside the contract, is refused."""
    assert rules.link_problems(category, links) == problems


@pytest.mark.parametrize(
    ("links", "supplier"),
    [
        (Links(supplier=7), 7),
        (Links(contract=1, contract_supplier=8), 8),
        (Links(offer=3, offer_supplier=9), 9),
        (Links(), None),
    ],
)
def test_the_supplier_concerned_is_the_one_named_or_that_of_the_contract_or_offer(links, supplier):
    assert rules.concerned_supplier(links) == supplier


# --- the moves of a complaint (issue 14 §1) ------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "actor", "reached"),
    [
        (State.OPEN, Action.ASSIGN, Actor.BROKER, State.ASSIGNED),
        (State.ASSIGNED, Action.ASSIGN, Actor.BROKER, State.ASSIGNED),  # to another person
        (State.ASSIGNED, Action.ANSWER, Actor.BROKER, State.ANSWERED),
        (State.ANSWERED, Action.ANSWER, Actor.BROKER, State.ANSWERED),
        (State.ANSWERED, Action.CLOSE, Actor.BROKER, State.CLOSED),
        (State.OPEN, Action.ANSWER, Actor.BROKER, None),  # assigned first
        (State.OPEN, Action.CLOSE, Actor.BROKER, None),
        (State.ASSIGNED, Action.CLOSE, Actor.BROKER, None),  # answered first
        (State.CLOSED, Action.ASSIGN, Actor.BROKER, None),
        (State.OPEN, Action.ASSIGN, Actor.CLIENT, None),
        (State.ANSWERED, Action.CLOSE, Actor.CLIENT, None),
        (State.ASSIGNED, Action.ANSWER, Actor.SUPPLIER, None),
    ],
)
def test_only_the_broker_assigns_answers_and_closes_in_that_order(state, action, actor, reached):
    assert rules.target(state, action, actor) == reached


def test_every_move_is_the_broker_s_and_a_closed_complaint_does_not_move():
    assert {t.actor for t in rules.COMPLAINT_TRANSITIONS} == {Actor.BROKER}
    assert all(t.source != State.CLOSED for t in rules.COMPLAINT_TRANSITIONS)
    assert set(State) - {State.CLOSED} == rules.OPEN_STATES


@pytest.mark.parametrize(
    ("viewer", "organisation", "sees"),
    [
        (Actor.BROKER, None, True),
        (Actor.CLIENT, 10, True),  # the client that sent it
        (Actor.CLIENT, 11, False),  # another client
        (Actor.SUPPLIER, 7, False),  # the supplier concerned, never
        (Actor.SUPPLIER, 10, False),
    ],
)
def test_a_complaint_is_seen_by_the_broker_and_its_client_only(viewer, organisation, sees):
    assert rules.may_see(viewer, viewer_organisation=organisation, client_organisation=10) is sees


# --- disputes that persist or repeat (DOMAIN §5.10) ----------------------------------------------

RECEIVED = date(2027, 3, 1)


@pytest.mark.parametrize(
    ("settled_on", "today", "flags"),
    [
        (None, date(2027, 3, 31), []),  # the 30th day: still in time
        (None, date(2027, 4, 1), ["persists"]),
        (date(2027, 3, 31), date(2027, 5, 1), []),
        (date(2027, 4, 1), date(2027, 5, 1), ["persists"]),  # settled, but late
    ],
)
def test_a_dispute_not_settled_within_30_days_persists(settled_on, today, flags):
    """DOMAIN §8 and 001 §10 a): a dispute is settled within 30 days of its receipt."""
    dispute = Dispute(1, client=10, supplier=7, received_on=RECEIVED, settled_on=settled_on)
    assert rules.dispute_flags(dispute, [dispute], today) == flags


@pytest.mark.parametrize(
    ("other", "flags"),
    [
        (Dispute(2, client=10, supplier=7, received_on=date(2026, 3, 1)), ["repeats"]),
        (Dispute(2, client=10, supplier=7, received_on=date(2026, 2, 28)), []),  # over a year
        (Dispute(2, client=11, supplier=7, received_on=date(2027, 1, 1)), []),  # another client
        (Dispute(2, client=10, supplier=8, received_on=date(2027, 1, 1)), []),  # another supplier
        (Dispute(2, client=10, supplier=7, received_on=date(2027, 4, 1)), []),  # a later one
        (Dispute(1, client=10, supplier=7, received_on=RECEIVED), []),  # itself, read again
    ],
)
def test_a_second_dispute_with_the_same_supplier_within_a_year_repeats(other, flags):
    dispute = Dispute(1, client=10, supplier=7, received_on=RECEIVED, settled_on=RECEIVED)
    assert rules.dispute_flags(dispute, [dispute, other], date(2027, 3, 2)) == flags


def test_a_dispute_may_both_persist_and_repeat():
    earlier = Dispute(1, client=10, supplier=7, received_on=date(2027, 1, 5))
    dispute = Dispute(2, client=10, supplier=7, received_on=RECEIVED)
    assert rules.dispute_flags(dispute, [earlier], date(2027, 6, 1)) == ["persists", "repeats"]
