"""Pure rules of the Catalogue (DOMAIN §2; 004 §3.2): the first-business-day rule for prices,
version names, content validation, the change history, search folding, hosting flags and the
review workflow. No database: every weekday noted in a comment was checked on a calendar."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtier.calendar.rules import first_business_day_of_month
from courtier.catalogue import rules
from courtier.catalogue.rules import ContentProblem, DraftAction, DraftState, PriceDateProblem
from tests.catalogue.factories import content, data_centre, offer

D = date
CATEGORIES = ("courriel", "sondage", "visioconference")
NOT_FIRST = PriceDateProblem.NOT_FIRST_BUSINESS_DAY
PAST = PriceDateProblem.IN_THE_PAST

# --------------------------------------------------------------------------- price dates


@pytest.mark.parametrize(
    ("effective_from", "closures", "expected"),
    [
        # An ordinary month: Tuesday 2026-12-01 is the first business day.
        (D(2026, 12, 1), (), None),
        (D(2026, 12, 2), (), NOT_FIRST),
        # January 1 is a holiday: Thursday 2025-01-02 is the first business day...
        (D(2025, 1, 1), (), NOT_FIRST),
        (D(2025, 1, 2), (), None),
        (D(2025, 1, 3), (), NOT_FIRST),
        # ... unless the broker closes January 2 (Friday 2026-01-02): then Monday the 5th.
        (D(2026, 1, 2), (), None),
        (D(2026, 1, 2), (D(2026, 1, 2),), NOT_FIRST),
        (D(2026, 1, 5), (D(2026, 1, 2),), None),
        (D(2026, 1, 5), (), NOT_FIRST),
        # Friday 2027-01-01 is New Year's Day: Monday the 4th.
        (D(2027, 1, 4), (), None),
        # A month starting on a weekend: Saturday 2026-08-01, Sunday 2026-11-01.
        (D(2026, 8, 1), (), NOT_FIRST),
        (D(2026, 8, 3), (), None),
        (D(2026, 11, 1), (), NOT_FIRST),
        (D(2026, 11, 2), (), None),
        # Easter Monday on Monday 2024-04-01: Tuesday the 2nd.
        (D(2024, 4, 1), (), NOT_FIRST),
        (D(2024, 4, 2), (), None),
        # Sunday 2018-04-01 is Easter, Monday the 2nd Easter Monday: Tuesday the 3rd.
        (D(2018, 4, 2), (), NOT_FIRST),
        (D(2018, 4, 3), (), None),
        # Good Friday on Friday 2067-04-01, weekend, Easter Monday the 4th: Tuesday the 5th.
        (D(2067, 4, 1), (), NOT_FIRST),
        (D(2067, 4, 4), (), NOT_FIRST),
        (D(2067, 4, 5), (), None),
        # Labour Day on Monday 2025-09-01; Canada Day on Wednesday 2026-07-01.
        (D(2025, 9, 1), (), NOT_FIRST),
        (D(2025, 9, 2), (), None),
        (D(2026, 7, 1), (), NOT_FIRST),
        (D(2026, 7, 2), (), None),
        # A closure day on an ordinary first of the month moves the rule to the next day.
        (D(2026, 12, 1), (D(2026, 12, 1),), NOT_FIRST),
        (D(2026, 12, 2), (D(2026, 12, 1),), None),
    ],
)
def test_prices_change_only_on_the_first_business_day_of_a_month(
    effective_from, closures, expected
):
    today = D(2018, 1, 1)  # before every date above: only the calendar rule can refuse
    assert rules.price_date_problem(effective_from, today=today, closures=closures) == expected


@pytest.mark.parametrize(
    ("effective_from", "today", "expected"),
    [
        (D(2026, 11, 2), D(2026, 11, 22), PAST),  # this month's list has already taken effect
        (D(2026, 11, 2), D(2026, 11, 3), PAST),  # even by one day
        (D(2026, 11, 2), D(2026, 11, 2), None),  # published on the day it takes effect
        (D(2026, 12, 1), D(2026, 11, 22), None),  # next month
        (D(2027, 3, 1), D(2026, 11, 22), None),  # months ahead
        # A day that is both wrong and past is refused for the calendar first.
        (D(2026, 11, 3), D(2026, 11, 22), NOT_FIRST),
    ],
)
def test_a_price_list_cannot_take_effect_before_the_day_it_is_published(
    effective_from, today, expected
):
    assert rules.price_date_problem(effective_from, today=today) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_exactly_one_day_per_month_is_accepted_for_a_price_change(day):
    accepted = rules.price_date_problem(day, today=D(1999, 1, 1)) is None
    assert accepted == (day == first_business_day_of_month(day.year, day.month))


# --------------------------------------------------------------------------- version names


@pytest.mark.parametrize(
    ("supplier", "day", "rank", "expected"),
    [
        ("Fournisseur X", D(2026, 12, 1), 1, "Fiche Fournisseur X – 2026-12-01"),
        ("Nuagique Québec inc.", D(2026, 11, 2), 1, "Fiche Nuagique Québec inc. – 2026-11-02"),
        ("Fournisseur X", D(2026, 12, 1), 0, "Fiche Fournisseur X – 2026-12-01"),
        ("Fournisseur X", D(2026, 12, 1), 2, "Fiche Fournisseur X – 2026-12-01 (2)"),
        ("Fournisseur X", D(2026, 12, 1), 3, "Fiche Fournisseur X – 2026-12-01 (3)"),
    ],
)
def test_a_version_is_named_with_its_date_and_its_rank_in_the_day(supplier, day, rank, expected):
    assert rules.version_name(supplier, day, rank) == expected


def test_a_version_name_defaults_to_the_first_of_the_day():
    assert rules.version_name("Fournisseur X", D(2026, 12, 1)) == (
        "Fiche Fournisseur X – 2026-12-01"
    )


# --------------------------------------------------------------------------- content validation


def _problems(sheet: dict[str, Any]) -> set[tuple[str, ContentProblem, str]]:
    return {
        (p.path, p.problem, p.value) for p in rules.content_problems(sheet, categories=CATEGORIES)
    }


def _edit(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """The factory's valid sheet with one value replaced (``path`` of keys and indexes)."""
    sheet = content(
        offer("MAIL", "Courriel infonuagique"),
        offer("SURVEY", "Sondages en ligne", "sondage", data_centres=["MTL", "TOR"]),
    )
    sheet["documents"] = [
        {"code": "ANNEXE", "kind": "amending_annex", "title": "Annexe", "file_sha256": "ab" * 32}
    ]
    target = sheet
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return sheet


_DELETE = object()


def test_the_factory_sheet_is_valid():
    assert _problems(_edit(("configurator_url",), "https://fournisseur.example/config")) == set()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # Unknown fields, at the top, in an item, in a component.
        (("couleur",), "bleu", ("couleur", ContentProblem.UNKNOWN_FIELD, "")),
        (("offers", 0, "prix"), 10, ("offers[0].prix", ContentProblem.UNKNOWN_FIELD, "")),
        (
            ("offers", 1, "components", 2, "prix"),
            10,
            ("offers[1].components[2].prix", ContentProblem.UNKNOWN_FIELD, ""),
        ),
        # Required fields, blank or missing.
        (("offers", 0, "name"), "  ", ("offers[0].name", ContentProblem.REQUIRED, "")),
        (("offers", 1, "status"), _DELETE, ("offers[1].status", ContentProblem.REQUIRED, "")),
        (("data_centres", 2, "city"), "", ("data_centres[2].city", ContentProblem.REQUIRED, "")),
        (("contacts", 0, "email"), None, ("contacts[0].email", ContentProblem.REQUIRED, "")),
        (
            ("security_answers", 0, "answer"),
            "",
            ("security_answers[0].answer", ContentProblem.REQUIRED, ""),
        ),
        (
            ("documents", 0, "file_sha256"),
            "",
            ("documents[0].file_sha256", ContentProblem.REQUIRED, ""),
        ),
        (
            ("offers", 0, "components", 1, "kind"),
            "",
            ("offers[0].components[1].kind", ContentProblem.REQUIRED, ""),
        ),
        # Duplicate codes in a section and among an offer's components.
        (("offers", 1, "code"), "MAIL", ("offers[1].code", ContentProblem.DUPLICATE_CODE, "MAIL")),
        (
            ("data_centres", 1, "code"),
            "MTL",
            ("data_centres[1].code", ContentProblem.DUPLICATE_CODE, "MTL"),
        ),
        (
            ("offers", 0, "components", 2, "code"),
            "BASE",
            ("offers[0].components[2].code", ContentProblem.DUPLICATE_CODE, "BASE"),
        ),
        # Values outside their choices.
        (
            ("offers", 0, "category"),
            "jeux",
            ("offers[0].category", ContentProblem.BAD_CHOICE, "jeux"),
        ),
        (
            ("offers", 0, "status"),
            "approved",
            ("offers[0].status", ContentProblem.BAD_CHOICE, "approved"),
        ),
        (
            ("offers", 0, "training_languages"),
            ["fr", "de"],
            ("offers[0].training_languages", ContentProblem.BAD_CHOICE, "de"),
        ),
        (
            ("offers", 0, "components", 0, "kind"),
            "bonus",
            ("offers[0].components[0].kind", ContentProblem.BAD_CHOICE, "bonus"),
        ),
        (
            ("data_centres", 0, "role"),
            "backup",
            ("data_centres[0].role", ContentProblem.BAD_CHOICE, "backup"),
        ),
        (
            ("data_centres", 0, "country"),
            "Canada",
            ("data_centres[0].country", ContentProblem.BAD_CHOICE, "Canada"),
        ),
        (
            ("documents", 0, "kind"),
            "contract",
            ("documents[0].kind", ContentProblem.BAD_CHOICE, "contract"),
        ),
        (
            ("contacts", 0, "kind"),
            "billing",
            ("contacts[0].kind", ContentProblem.BAD_CHOICE, "billing"),
        ),
        # An offer hosted in a data centre the sheet does not describe.
        (
            ("offers", 1, "data_centres"),
            ["MTL", "PARIS"],
            ("offers[1].data_centres", ContentProblem.UNKNOWN_DATA_CENTRE, "PARIS"),
        ),
        # Authorised for personal information needs the date of the authorisation.
        (
            ("data_centres", 0, "authorised_since"),
            None,
            ("data_centres[0].authorised_since", ContentProblem.AUTHORISED_NEEDS_DATE, ""),
        ),
        (
            ("data_centres", 0, "authorised_since"),
            "2024-13-01",
            ("data_centres[0].authorised_since", ContentProblem.BAD_DATE, "2024-13-01"),
        ),
        # Lists that are not lists.
        (("security_answers",), "aucune", ("security_answers", ContentProblem.NOT_A_LIST, "")),
        (
            ("offers", 0, "components"),
            "BASE",
            ("offers[0].components", ContentProblem.NOT_A_LIST, ""),
        ),
        (("contacts", 0), "Julie", ("contacts[0]", ContentProblem.NOT_A_LIST, "")),
        # Text fields that are not text, and text longer than the Catalogue keeps.
        (("offers", 0, "name"), 42, ("offers[0].name", ContentProblem.NOT_TEXT, "42")),
        (
            ("offers", 0, "code"),
            "X" * 61,
            ("offers[0].code", ContentProblem.TOO_LONG, "60"),
        ),
        (
            ("data_centres", 0, "personal_information_authorised"),
            "oui",
            ("data_centres[0].personal_information_authorised", ContentProblem.BAD_CHOICE, "oui"),
        ),
    ],
)
def test_each_problem_of_a_proposed_sheet_is_named_with_its_path(path, value, expected):
    assert expected in _problems(_edit(path, value))


def test_every_problem_is_reported_at_once():
    sheet = _edit(("offers", 0, "category"), "jeux")
    sheet["offers"][1]["name"] = ""
    sheet["contacts"][0]["kind"] = "billing"
    paths = {p.path for p in rules.content_problems(sheet, categories=CATEGORIES)}
    assert paths == {"offers[0].category", "offers[1].name", "contacts[0].kind"}


def test_a_data_centre_not_authorised_needs_no_date():
    sheet = _edit(("data_centres", 2, "authorised_since"), None)
    assert sheet["data_centres"][2]["personal_information_authorised"] is False
    assert _problems(sheet) == set()


def test_an_empty_sheet_is_valid():
    assert rules.content_problems(rules.empty_content(), categories=CATEGORIES) == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["code", "name", "kind", "components", "data_centres", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*rules.SHEET_FIELDS, "autre"]),
        _json
        | st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "code",
                        "name",
                        "category",
                        "status",
                        "country",
                        "role",
                        "components",
                        "data_centres",
                        "training_languages",
                        "personal_information_authorised",
                        "authorised_since",
                    ]
                ),
                _json,
                max_size=5,
            ),
            max_size=3,
        ),
        max_size=6,
    )
)
def test_any_json_gives_a_list_of_problems_and_never_an_exception(sheet):
    problems = rules.content_problems(sheet, categories=CATEGORIES)
    assert all(isinstance(p, rules.Problem) for p in problems)


# --------------------------------------------------------------------------- change history


def _sheet() -> dict[str, Any]:
    return content(
        offer("MAIL", "Courriel infonuagique"),
        offer("SURVEY", "Sondages en ligne", "sondage"),
    )


def test_the_first_version_lists_everything_as_added():
    after = _sheet()
    changes = rules.sheet_changes(None, after)
    offers = changes["sections"]["offers"]
    assert [e["code"] for e in offers["added"]] == ["MAIL", "SURVEY"]
    assert offers["removed"] == offers["changed"] == []
    assert offers["added"][0]["label"] == "Courriel infonuagique"
    assert offers["added"][0]["item"] == after["offers"][0]
    assert set(changes["sections"]) == {"offers", "data_centres", "security_answers", "contacts"}
    assert changes["prices"] == []


def test_an_offer_added_removed_and_changed_are_each_listed():
    before = _sheet()
    after = copy.deepcopy(before)
    after["offers"] = [
        {**before["offers"][0], "name": "Courriel Pro", "status": "under_analysis"},
        offer("VISIO", "Visioconférence", "visioconference"),
    ]
    offers = rules.sheet_changes(before, after)["sections"]["offers"]
    assert [e["code"] for e in offers["added"]] == ["VISIO"]
    assert [(e["code"], e["label"]) for e in offers["removed"]] == [("SURVEY", "Sondages en ligne")]
    (changed,) = offers["changed"]
    assert changed["code"] == "MAIL" and changed["label"] == "Courriel Pro"
    assert changed["fields"] == [
        {"field": "name", "before": "Courriel infonuagique", "after": "Courriel Pro"},
        {"field": "status", "before": "qualified", "after": "under_analysis"},
    ]
    assert "components" not in changed


def test_component_changes_are_nested_in_their_offer():
    before = _sheet()
    after = copy.deepcopy(before)
    components = after["offers"][0]["components"]
    components[0]["name"] = "Licence Entreprise"  # BASE changed
    del components[1]  # STOCK removed
    components.append({"code": "SORTIE", "name": "Exportation", "kind": "exit", "description": ""})
    offers = rules.sheet_changes(before, after)["sections"]["offers"]
    (changed,) = offers["changed"]
    assert changed["code"] == "MAIL" and changed["fields"] == []
    nested = changed["components"]
    assert [e["code"] for e in nested["added"]] == ["SORTIE"]
    assert [e["code"] for e in nested["removed"]] == ["STOCK"]
    assert nested["changed"] == [
        {
            "code": "BASE",
            "label": "Licence Entreprise",
            "fields": [
                {"field": "name", "before": "Licence de base", "after": "Licence Entreprise"}
            ],
        }
    ]


def test_changes_in_the_other_sections_and_the_configurator_are_listed():
    before = _sheet()
    after = copy.deepcopy(before)
    after["configurator_url"] = "https://fournisseur.example/configurateur"
    after["data_centres"].append(data_centre("DUB", "Dublin", "", "IE"))
    after["data_centres"][1]["personal_information_authorised"] = False
    after["data_centres"][1]["authorised_since"] = None
    after["security_answers"][0]["answer"] = "AES-256, clés gérées par le client"
    after["contacts"] = []
    sections = rules.sheet_changes(before, after)["sections"]
    assert sections["configurator_url"] == {
        "before": "",
        "after": "https://fournisseur.example/configurateur",
    }
    assert [e["code"] for e in sections["data_centres"]["added"]] == ["DUB"]
    (tor,) = sections["data_centres"]["changed"]
    assert tor["code"] == "TOR" and tor["label"] == "Toronto"
    assert [f["field"] for f in tor["fields"]] == [
        "personal_information_authorised",
        "authorised_since",
    ]
    assert sections["security_answers"]["changed"][0]["label"] == "Chiffrement au repos"
    assert [e["code"] for e in sections["contacts"]["removed"]] == ["COM"]
    assert "offers" not in sections


def test_price_changes_are_carried_in_the_change_history():
    rows = [{"offer": "MAIL", "component": "BASE", "change": "added"}]
    changes = rules.sheet_changes(_sheet(), _sheet(), rows)
    assert changes == {"sections": {}, "prices": rows}


@st.composite
def _sheets(draw):
    names = st.text(alphabet="abcdéèà ÉÂ-", min_size=1, max_size=8)
    codes = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=4))
    offers = [
        offer(
            code,
            draw(names),
            draw(st.sampled_from(CATEGORIES)),
            status=draw(st.sampled_from([s.value for s in rules.OfferState])),
            data_centres=[],
            components=[
                {"code": c, "name": draw(names), "kind": "base", "description": ""}
                for c in draw(st.lists(st.sampled_from(["X", "Y"]), unique=True))
            ],
        )
        for code in codes
    ]
    return content(
        *offers,
        configurator_url=draw(st.sampled_from(["", "https://a.example"])),
        data_centres=[],
    ) | ({"offers": []} if not offers else {})


@settings(max_examples=100, deadline=None)
@given(_sheets())
def test_a_sheet_compared_with_itself_has_no_change(sheet):
    changes = rules.sheet_changes(sheet, copy.deepcopy(sheet))
    assert changes == {"sections": {}, "prices": []}
    assert rules.change_count(changes) == 0


@settings(max_examples=100, deadline=None)
@given(_sheets(), _sheets())
def test_what_one_direction_adds_the_other_removes(a, b):
    forward = rules.sheet_changes(a, b)["sections"]
    backward = rules.sheet_changes(b, a)["sections"]
    assert set(forward) == set(backward)
    for name, section in forward.items():
        if name == "configurator_url":
            continue
        assert [e["code"] for e in section["added"]] == [
            e["code"] for e in backward[name]["removed"]
        ]
        assert [e["code"] for e in section["changed"]] == [
            e["code"] for e in backward[name]["changed"]
        ]
    assert rules.change_count(rules.sheet_changes(a, b)) == rules.change_count(
        rules.sheet_changes(b, a)
    )


# --------------------------------------------------------------------------- price changes

TERMS = {
    "unit": "user_month",
    "unit_price_cents": 1200,
    "billing_frequency": "monthly",
    "minimum_quantity": 0,
    "minimum_term_months": 0,
    "all_units_from_signature": False,
    "may_decrease": True,
    "max_yearly_increase_bp": 300,
}


def test_price_changes_list_added_removed_and_changed_lines_and_omit_the_unchanged():
    before = {
        ("MAIL", "BASE", 0): TERMS,
        ("MAIL", "BASE", 1000): {**TERMS, "unit_price_cents": 1100},
        ("MAIL", "STOCK", 0): {**TERMS, "unit": "gb_month", "unit_price_cents": 15},
    }
    after = {
        ("MAIL", "BASE", 0): {**TERMS, "unit_price_cents": 1250, "max_yearly_increase_bp": 350},
        ("MAIL", "BASE", 1000): {**TERMS, "unit_price_cents": 1100},  # unchanged
        ("MAIL", "ENTREE", 0): {**TERMS, "unit": "fixed", "billing_frequency": "upfront"},
    }
    rows = rules.price_changes(before, after, effective_from=D(2026, 12, 1))
    assert [(r["component"], r["tier_min_quantity"], r["change"]) for r in rows] == [
        ("BASE", 0, "changed"),
        ("ENTREE", 0, "added"),
        ("STOCK", 0, "removed"),
    ]
    changed, added, removed = rows
    assert changed["terms"] == ["unit_price_cents", "max_yearly_increase_bp"]
    assert changed["before"]["unit_price_cents"] == 1200
    assert changed["after"]["unit_price_cents"] == 1250
    assert changed["offer"] == "MAIL" and changed["effective_from"] == "2026-12-01"
    assert added["before"] is None and added["terms"] == []
    assert removed["after"] is None and removed["before"]["unit"] == "gb_month"


def test_a_first_price_list_lists_every_line_as_added():
    rows = rules.price_changes({}, {("MAIL", "BASE", 0): TERMS}, effective_from=D(2026, 12, 1))
    assert [r["change"] for r in rows] == ["added"]


@pytest.mark.parametrize("term", rules.PRICE_TERMS)
def test_every_price_term_is_compared(term):
    changed = {**TERMS, term: "autre"}
    rows = rules.price_changes(
        {("MAIL", "BASE", 0): TERMS}, {("MAIL", "BASE", 0): changed}, effective_from=D(2026, 12, 1)
    )
    assert [r["terms"] for r in rows] == [[term]]


def test_change_count_adds_items_of_every_section_the_configurator_and_the_price_lines():
    before = _sheet()
    after = copy.deepcopy(before)
    after["configurator_url"] = "https://a.example"  # 1
    after["offers"][0]["name"] = "Autre nom"  # 1 changed
    after["offers"].append(offer("VISIO", "Visio", "visioconference"))  # 1 added
    after["contacts"] = []  # 1 removed
    prices = [{"change": "changed"}, {"change": "added"}]  # 2
    assert rules.change_count(rules.sheet_changes(before, after, prices)) == 6


def test_component_changes_count_once_with_their_offer():
    before = _sheet()
    after = copy.deepcopy(before)
    after["offers"][0]["components"] = []
    assert rules.change_count(rules.sheet_changes(before, after)) == 1


# --------------------------------------------------------------------------- search text


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Théâtre", "theatre"),
        ("SÉCURITÉ", "securite"),
        ("Élève", "eleve"),
        ("Québec", "quebec"),
        ("Forêt œuvre", "foret œuvre"),
        ("Straße", "strasse"),
        ("ＴＨÉÂＴＲＥ", "theatre"),  # full-width letters
        ("ℌᴬ", "ha"),  # compatibility capitals become lower case too
        ("e\u0301te\u0301", "ete"),  # already decomposed
        ("", ""),
    ],
)
def test_fold_removes_accents_and_case(text, folded):
    assert rules.fold(text) == folded


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_fold_is_idempotent(text):
    once = rules.fold(text)
    assert rules.fold(once) == once


@settings(max_examples=200, deadline=None)
# Latin script, as French text uses it (the Turkish dotless "ı" has no lower-case "I").
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x24F, exclude_characters="ı"))
)
def test_fold_ignores_case(text):
    assert rules.fold(text.upper()) == rules.fold(text.lower()) == rules.fold(text)


def test_search_text_joins_the_folded_parts_and_skips_empty_ones():
    assert rules.search_text("Réservation de salles", "", "Théâtre Ouvert") == (
        "reservation de salles theatre ouvert"
    )


# --------------------------------------------------------------------------- hosting


def _dc(country: str, province: str = "", authorised: bool = False) -> dict[str, Any]:
    return {"country": country, "province": province, "personal_information_authorised": authorised}


@pytest.mark.parametrize(
    ("centres", "canada", "quebec", "authorised"),
    [
        ([], False, False, False),
        ([_dc("CA", "QC", True)], True, True, True),
        ([_dc("CA", "QC"), _dc("CA", "QC")], True, True, False),
        ([_dc("CA", "QC", True), _dc("CA", "ON")], True, False, True),
        ([_dc("CA", "ON")], True, False, False),
        ([_dc("CA", "QC", True), _dc("US", "VA")], False, False, True),
        ([_dc("IE"), _dc("US", "VA")], False, False, False),
        ([_dc("US", "QC")], False, False, False),  # a "QC" outside Canada is not Quebec
        ([_dc("ca", "qc")], True, True, False),  # codes in lower case
    ],
)
def test_hosting_flags_come_from_every_data_centre_of_the_offer(
    centres, canada, quebec, authorised
):
    assert rules.hosting(centres) == rules.Hosting(canada, quebec, authorised)


# --------------------------------------------------------------------------- workflow

S, A = DraftState, DraftAction
# (action, state) -> resulting state, None when refused. Every pair is listed.
TRANSITIONS: dict[tuple[DraftAction, DraftState], DraftState | None] = {
    (A.SUBMIT, S.DRAFT): S.SUBMITTED,
    (A.SUBMIT, S.SUBMITTED): None,
    (A.SUBMIT, S.RETURNED): S.SUBMITTED,
    (A.SUBMIT, S.PUBLISHED): None,
    (A.SUBMIT, S.ABANDONED): None,
    (A.RETURN, S.DRAFT): None,
    (A.RETURN, S.SUBMITTED): S.RETURNED,
    (A.RETURN, S.RETURNED): None,
    (A.RETURN, S.PUBLISHED): None,
    (A.RETURN, S.ABANDONED): None,
    (A.PUBLISH, S.DRAFT): S.PUBLISHED,  # the broker publishes a sheet it prepared itself
    (A.PUBLISH, S.SUBMITTED): S.PUBLISHED,
    (A.PUBLISH, S.RETURNED): None,  # the supplier must resubmit first
    (A.PUBLISH, S.PUBLISHED): None,
    (A.PUBLISH, S.ABANDONED): None,
    (A.ABANDON, S.DRAFT): S.ABANDONED,
    (A.ABANDON, S.SUBMITTED): S.ABANDONED,
    (A.ABANDON, S.RETURNED): S.ABANDONED,
    (A.ABANDON, S.PUBLISHED): None,
    (A.ABANDON, S.ABANDONED): None,
}


def test_the_transition_table_covers_every_action_and_state():
    assert set(TRANSITIONS) == {(a, s) for a in DraftAction for s in DraftState}


@pytest.mark.parametrize(("action", "state"), list(TRANSITIONS))
def test_each_action_leads_to_its_state_or_is_refused(action, state):
    assert rules.next_draft_state(state, action) == TRANSITIONS[action, state]
    assert rules.next_draft_state(str(state), action) == TRANSITIONS[action, state]


def test_published_and_abandoned_proposals_are_closed():
    assert {S.DRAFT, S.SUBMITTED, S.RETURNED} == rules.OPEN_DRAFT_STATES
    assert {S.DRAFT, S.RETURNED} == rules.EDITABLE_DRAFT_STATES


def test_a_price_date_must_be_a_plain_date():
    # A datetime would never match a holiday: the calendar refuses it.
    with pytest.raises(TypeError):
        rules.price_date_problem(datetime(2026, 12, 1, 9), today=D(2026, 11, 1))
