"""The pure rules of acquiring a solution (DOMAIN §3; 002 §2; 004 §3.3.2). No database."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from functools import partial

import pytest

from courtier.acquisitions import rules
from courtier.acquisitions.rules import (
    ChoiceFacts,
    ChoiceProblem,
    NeedLineFacts,
    NeedsFacts,
    NeedsProblem,
    OfferFacts,
    Prerequisite,
    StartupFacts,
    TrialProblem,
    Verdict,
)
from courtier.calendar.rules import business_days_after

ANSWERS = {q.code: "Oui." for q in rules.QUESTIONS}
COMPLETE = NeedsFacts(
    duration_months=12,
    answers=ANSWERS,
    budget_cents=100_000,
    personal_information=False,
    pi_outside_quebec=False,
    planned_start=date(2027, 4, 1),
    category_set=True,
    lines=(NeedLineFacts("utilisateurs", rules.NeedKind.USAGE, [10] * 12),),
)


def needs(**changes) -> dict[str, NeedsProblem]:
    return rules.needs_problems(dataclasses.replace(COMPLETE, **changes))


def one_line(kind: str = rules.NeedKind.USAGE, quantities=None, months: int = 12) -> dict:
    quantities = [10] * months if quantities is None else quantities
    return {"duration_months": months, "lines": (NeedLineFacts("ligne", kind, quantities),)}


# --- step 1: the questionnaire ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "ok"), [(None, False), (0, False), (1, True), (36, True), (37, False)]
)
def test_the_desired_duration_is_1_to_36_months_renewals_included(months, ok):
    assert rules.duration_ok(months) is ok


def test_a_complete_questionnaire_has_no_problem():
    assert rules.needs_problems(COMPLETE) == {}


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"duration_months": 37}, "duration_months", NeedsProblem.DURATION),
        ({"duration_months": None}, "duration_months", NeedsProblem.DURATION),
        ({"category_set": False}, "category", NeedsProblem.CATEGORY),
        ({"budget_cents": None}, "budget_cents", NeedsProblem.BUDGET),
        ({"budget_cents": 0}, "budget_cents", NeedsProblem.BUDGET),
        ({"budget_cents": -1}, "budget_cents", NeedsProblem.BUDGET),
        ({"pi_outside_quebec": True}, "pi_outside_quebec", NeedsProblem.PI_OUTSIDE_WITHOUT_PI),
        ({"planned_start": None}, "planned_start", NeedsProblem.START_DATE),
        ({"lines": ()}, "needs", NeedsProblem.NO_NEED),
    ],
)
def test_each_missing_fact_is_named_by_its_field(changes, field, problem):
    assert needs(**changes) == {field: problem}


@pytest.mark.parametrize("question", [q for q in rules.QUESTIONS if q.required], ids=str)
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_every_required_question_left_blank_is_named(question, blank):
    answers = dict(ANSWERS)
    if blank is None:
        del answers[question.code]
    else:
        answers[question.code] = blank
    assert needs(answers=answers) == {f"answers.{question.code}": NeedsProblem.ANSWER_MISSING}


def test_optional_questions_may_stay_blank_and_false_is_an_answer():
    optional = {q.code for q in rules.QUESTIONS if not q.required}
    assert optional  # the questionnaire has some
    answers = {k: v for k, v in ANSWERS.items() if k not in optional}
    answers["service_provider_needed"] = False
    assert needs(answers=answers) == {}


def test_several_problems_are_named_together():
    assert needs(duration_months=40, budget_cents=None, answers={}).keys() >= {
        "duration_months",
        "budget_cents",
        "answers.risks",
        "answers.service_provider_needed",
    }


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (one_line(quantities=[10] * 11), NeedsProblem.QUANTITIES_LENGTH),
        (one_line(quantities=[10] * 11 + [-1]), NeedsProblem.QUANTITY_RANGE),
        (one_line(quantities=[10] * 11 + [10_000_001]), NeedsProblem.QUANTITY_RANGE),
        (one_line(quantities=[10] * 11 + [1.5]), NeedsProblem.QUANTITY_RANGE),
        (one_line(quantities=[0] * 12), NeedsProblem.EMPTY_NEED),
        (one_line(rules.NeedKind.EXIT, [0] * 10 + [5, 5]), NeedsProblem.EXIT_AFTER_END),
    ],
)
def test_a_consumption_line_is_checked_month_by_month(line, problem):
    assert needs(**line) == {"needs.ligne": problem}


@pytest.mark.parametrize(
    "line",
    [
        one_line(quantities=[0] * 11 + [10_000_000]),
        one_line(rules.NeedKind.EXIT, [0] * 10 + [5, 0]),  # exit done before the end (§5.9)
        one_line(rules.NeedKind.ENTRY, [3] + [0] * 11),
        one_line(months=36),
        one_line(months=1),
    ],
)
def test_valid_consumption_lines_pass(line):
    assert needs(**line) == {}


def test_a_wrong_duration_does_not_also_blame_every_line():
    # Lines cannot be checked against a duration that is itself wrong: only the duration is.
    assert needs(duration_months=37) == {"duration_months": NeedsProblem.DURATION}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10, 2, 5, None), [10, 12, 14, 16, 18]),
        ((10, 5, 5, 20), [10, 15, 20, 20, 20]),
        ((4, -2, 4, None), [4, 2, 0, 0]),
        ((0, 0, 3, None), [0, 0, 0]),
    ],
)
def test_a_growing_consumption_plan_is_capped_and_never_negative(args, expected):
    assert rules.plan_quantities(*args) == expected


@pytest.mark.parametrize(
    ("pi", "outside", "required", "blocks"),
    [
        (False, False, False, False),
        (True, False, True, False),
        (True, True, True, True),
        (False, True, False, False),
    ],
)
def test_personal_information_requires_an_efvp_before_the_contract_when_it_leaves_quebec(
    pi, outside, required, blocks
):
    assert rules.efvp_required(pi) is required
    assert rules.efvp_blocks_contract(pi, outside) is blocks


# --- steps 2-3: automatic requirements, questions, trials ----------------------------------


MONTREAL_ONLY = OfferFacts("courriel", True, True, True)
CANADA = OfferFacts("courriel", True, False, True)
ABROAD = OfferFacts("courriel", False, False, False)


@pytest.mark.parametrize(
    ("kind", "offer", "category", "location", "verdict"),
    [
        ("category", CANADA, "courriel", "anywhere", Verdict.MET),
        ("category", CANADA, "tableur", "anywhere", Verdict.NOT_MET),
        ("location", ABROAD, "courriel", "anywhere", Verdict.MET),
        ("location", CANADA, "courriel", "canada", Verdict.MET),
        ("location", ABROAD, "courriel", "canada", Verdict.NOT_MET),
        ("location", MONTREAL_ONLY, "courriel", "quebec", Verdict.MET),
        ("location", CANADA, "courriel", "quebec", Verdict.NOT_MET),
        ("pi_hosting", CANADA, "courriel", "anywhere", Verdict.MET),
        ("pi_hosting", ABROAD, "courriel", "anywhere", Verdict.NOT_MET),
    ],
)
def test_automatic_requirements_read_the_catalogue(kind, offer, category, location, verdict):
    assert (
        rules.automatic_verdict(kind, offer=offer, category_code=category, location=location)
        == verdict
    )


def test_a_judged_requirement_has_no_automatic_verdict():
    with pytest.raises(ValueError, match="judged by the client"):
        rules.automatic_verdict("judged", offer=CANADA, category_code="courriel", location="")


@pytest.mark.parametrize(
    ("verdicts", "compliant"),
    [
        ([], False),
        (["met"], True),
        (["met", "met"], True),
        (["met", "unknown"], False),
        (["not_met", "met"], False),
    ],
)
def test_an_offer_is_compliant_when_every_requirement_is_met(verdicts, compliant):
    assert rules.is_compliant(verdicts) is compliant


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        # Mon 2027-03-01 -> Tue 2, Wed 3, Thu 4: an ordinary week.
        (date(2027, 3, 1), date(2027, 3, 4)),
        # Fri 2027-03-05 -> Mon 8, Tue 9, Wed 10: the weekend is skipped.
        (date(2027, 3, 5), date(2027, 3, 10)),
        # Wed 2027-06-23 -> Thu 24 is the Fête nationale, so Fri 25, Mon 28, Tue 29.
        (date(2027, 6, 23), date(2027, 6, 29)),
        # Thu 2027-03-25 -> Good Friday 26, the weekend, Easter Monday 29: Tue 30, Wed 31, Thu 1.
        (date(2027, 3, 25), date(2027, 4, 1)),
        # Sat 2027-06-26 (asked on a weekend) -> Mon 28, Tue 29, Wed 30.
        (date(2027, 6, 26), date(2027, 6, 30)),
        # Wed 2027-06-30 -> Thu 1 is Canada Day: Fri 2, Mon 5, Tue 6.
        (date(2027, 6, 30), date(2027, 7, 6)),
    ],
)
def test_a_question_is_due_three_business_days_later(asked, due):
    assert rules.question_due_on(asked, business_days_after) == due


def test_the_due_date_counts_the_calendar_function_it_is_given():
    # The broker's closure days come with the function: a closure on Tue 2027-03-02.
    with_closure = partial(business_days_after, closures={date(2027, 3, 2)})
    assert rules.question_due_on(date(2027, 3, 1), with_closure) == date(2027, 3, 5)


@pytest.mark.parametrize(
    ("today", "answered", "overdue"),
    [
        (date(2027, 6, 29), False, False),  # the due day itself is still on time
        (date(2027, 6, 30), False, True),
        (date(2027, 7, 30), True, False),  # an answer is never overdue, even a late one
    ],
)
def test_a_question_is_overdue_the_day_after_its_due_date_until_answered(today, answered, overdue):
    assert rules.question_overdue(date(2027, 6, 29), answered, today) is overdue


START = date(2027, 3, 1)


def trial(days: int = 30, units: int = 10, other_units: int = 0, attestation: bool = True):
    return rules.trial_problems(
        starts_on=START,
        ends_on=START + timedelta(days=days - 1),
        units=units,
        other_units=other_units,
        attestation=attestation,
    )


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        ({"days": 60}, {}),
        ({"days": 61}, {"ends_on": TrialProblem.TOO_LONG}),
        ({"days": 1}, {}),
        ({"days": 0}, {"ends_on": TrialProblem.ENDS_BEFORE_START}),
        ({"units": 30}, {}),
        ({"units": 31}, {"units": TrialProblem.TOO_MANY_UNITS}),
        ({"units": 0}, {"units": TrialProblem.NO_UNITS}),
        ({"units": 20, "other_units": 10}, {}),
        ({"units": 11, "other_units": 20}, {"units": TrialProblem.TOO_MANY_UNITS}),
        ({"attestation": False}, {"attestation": TrialProblem.ATTESTATION}),
        (
            {"days": 61, "units": 31, "attestation": False},
            {
                "ends_on": TrialProblem.TOO_LONG,
                "units": TrialProblem.TOO_MANY_UNITS,
                "attestation": TrialProblem.ATTESTATION,
            },
        ),
    ],
)
def test_a_trial_lasts_at_most_60_days_with_30_units_of_each_offer(kwargs, problems):
    assert trial(**kwargs) == problems


def test_a_trial_counts_both_of_its_ends():
    assert rules.trial_days(START, START) == 1
    assert rules.latest_trial_end(START) == date(2027, 4, 29)
    assert rules.trial_days(START, rules.latest_trial_end(START)) == rules.MAX_TRIAL_DAYS


# --- step 4: the choice (RCTI art. 48) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lowest", "rcti", "head", "own"),
    [
        (True, True, False, False),
        (False, True, True, False),
        (True, False, False, False),
        (False, False, False, True),
    ],
)
def test_only_a_non_lowest_choice_needs_the_head_or_the_clients_own_rule(lowest, rcti, head, own):
    assert rules.head_authorisation_required(chosen_is_lowest=lowest, subject_to_rcti=rcti) is head
    assert rules.own_rule_required(chosen_is_lowest=lowest, subject_to_rcti=rcti) is own


CHOICE = ChoiceFacts(
    has_choice=True,
    chosen_is_lowest=True,
    chosen_total_cents=96_000,
    subject_to_rcti=True,
    has_head_authorisation=False,
    own_rule="",
    financial_amount_cents=100_000,
    planned_additions_cents=4_000,
)


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"chosen_is_lowest": False}, [ChoiceProblem.HEAD_AUTHORISATION]),
        ({"chosen_is_lowest": False, "has_head_authorisation": True}, []),
        ({"chosen_is_lowest": False, "subject_to_rcti": False}, [ChoiceProblem.OWN_RULE]),
        (
            {"chosen_is_lowest": False, "subject_to_rcti": False, "own_rule": "  "},
            [ChoiceProblem.OWN_RULE],
        ),
        ({"chosen_is_lowest": False, "subject_to_rcti": False, "own_rule": "Art. 12."}, []),
        ({"subject_to_rcti": False}, []),
        ({"financial_amount_cents": None}, [ChoiceProblem.FINANCIAL_AUTHORISATION]),
        ({"financial_amount_cents": 99_999}, [ChoiceProblem.FINANCIAL_AMOUNT]),
        ({"has_choice": False, "financial_amount_cents": None}, [ChoiceProblem.NO_CHOICE]),
        ({"scenarios_stale": True}, [ChoiceProblem.STALE_SCENARIOS]),
        (
            {"chosen_is_lowest": False, "financial_amount_cents": None},
            [ChoiceProblem.HEAD_AUTHORISATION, ChoiceProblem.FINANCIAL_AUTHORISATION],
        ),
    ],
)
def test_what_keeps_the_choice_from_being_confirmed(changes, problems):
    assert rules.choice_problems(dataclasses.replace(CHOICE, **changes)) == problems


def test_the_financial_authorisation_covers_the_total_and_the_planned_additions():
    # 96 000 ¢ chosen + 4 000 ¢ of planned additions = 100 000 ¢ exactly: enough.
    assert rules.choice_problems(CHOICE) == []
    short = dataclasses.replace(CHOICE, planned_additions_cents=4_001)
    assert rules.choice_problems(short) == [ChoiceProblem.FINANCIAL_AMOUNT]


# --- step 5: the startup meeting ---------------------------------------------------------------

READY = StartupFacts(
    supplier_identified=True,
    chosen_offers_compliant=True,
    head_authorisation_required=True,
    has_head_authorisation=True,
    financial_authorisation_covers=True,
    efvp_required=True,
    efvp_done=True,
)


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, []),
        ({"supplier_identified": False}, [Prerequisite.SUPPLIER_IDENTIFIED]),
        ({"chosen_offers_compliant": False}, [Prerequisite.SOLUTIONS_COMPLIANT]),
        ({"has_head_authorisation": False}, [Prerequisite.HEAD_AUTHORISATION]),
        ({"has_head_authorisation": False, "head_authorisation_required": False}, []),
        ({"financial_authorisation_covers": False}, [Prerequisite.FINANCIAL_AUTHORISATION]),
        ({"efvp_done": False}, [Prerequisite.EFVP]),
        ({"efvp_done": False, "efvp_required": False}, []),
        (
            {field.name: False for field in dataclasses.fields(StartupFacts)},
            [
                Prerequisite.SUPPLIER_IDENTIFIED,
                Prerequisite.SOLUTIONS_COMPLIANT,
                Prerequisite.FINANCIAL_AUTHORISATION,
            ],
        ),
        (
            {
                "supplier_identified": False,
                "chosen_offers_compliant": False,
                "has_head_authorisation": False,
                "financial_authorisation_covers": False,
                "efvp_done": False,
            },
            list(Prerequisite),  # every one, in the guide's order
        ),
    ],
)
def test_each_missing_prerequisite_of_the_startup_meeting_is_named(changes, missing):
    assert rules.missing_prerequisites(dataclasses.replace(READY, **changes)) == missing


@pytest.mark.parametrize(
    ("contact", "earliest"),
    [(date(2027, 3, 1), date(2027, 3, 31)), (date(2027, 12, 15), date(2028, 1, 14))],
)
def test_a_signed_contract_is_planned_at_least_30_days_after_the_startup_contact(contact, earliest):
    assert rules.earliest_signed_contract(contact) == earliest


# --- the workflow table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        ("needs", "submit_needs", "catalogue"),
        ("choice", "confirm_choice", "startup"),
        ("startup", "freeze_strategy", "frozen"),
        ("startup", "go_back", "choice"),
        ("compliance", "abandon", "abandoned"),
    ],
)
def test_a_move_is_looked_up_in_the_table(state, action, target):
    assert rules.transition(state, action).target == target


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("needs", "confirm_choice"),
        ("needs", "go_back"),
        ("frozen", "abandon"),
        ("abandoned", "go_back"),
        ("nowhere", "submit_needs"),
        ("needs", "jump"),
    ],
)
def test_a_move_missing_from_the_table_is_none(state, action):
    assert rules.transition(state, action) is None


@pytest.mark.parametrize(
    ("state", "number"),
    [("needs", 1), ("compliance", 3), ("startup", 5), ("frozen", 6), ("abandoned", 0)],
)
def test_each_state_is_a_step_number(state, number):
    assert rules.step_number(state) == number
