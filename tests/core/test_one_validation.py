"""One validation for pages and API, and bounded answers (issue 10, point 8): a value the page
refuses, the API refuses too, with the same limits and French message (core.validation), and
no detail answer of the Catalogue carries more than a page of price lines."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError

from courtier.acquisitions import rules
from courtier.acquisitions.messages import ANSWER_TOO_LONG, NEED_CODE_INVALID
from courtier.acquisitions.models import NeedLine
from courtier.acquisitions.services import needs as needs_services
from courtier.audit import rules as audit_rules
from courtier.catalogue.pricefile.layout import Problem, parse_integer, parse_price
from courtier.core import validation
from courtier.core.apierrors import BODY_SURROGATE
from tests.acquisitions.factories import MARCH_1, MONTHS, at
from tests.catalogue import factories as catalogue_factories
from tests.helpers import page_text

# --- pure checks (no database) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "ok"),
    [("postes", True), ("a-1", True), ("é", False), ("٣", False), ("A", False), ("", False)],
)
def test_a_need_code_is_ascii_lower_case_digits_and_hyphens(code, ok):
    # DOMAIN §3.1: the lines of the consumption plan, named in addresses.
    assert rules.need_code_ok(code) is ok


def test_a_need_code_is_at_most_forty_characters():
    assert rules.need_code_ok("a" * rules.MAX_NEED_CODE)
    assert not rules.need_code_ok("a" * (rules.MAX_NEED_CODE + 1))


@pytest.mark.parametrize(
    ("text", "cents"), [("12 345,67 $", 1_234_567), ("12345.67", 1_234_567), ("1,5", 150)]
)
def test_an_amount_in_dollars_becomes_cents(text, cents):
    assert validation.dollars_to_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e308", validation.AMOUNT_INVALID),
        ("NaN", validation.AMOUNT_INVALID),
        ("99999999999999", validation.AMOUNT_TOO_LARGE),
        ("٣,٥٠", validation.NUMBER_ASCII),
        ("10,555", validation.AMOUNT_DECIMALS),
    ],
)
def test_an_amount_that_cannot_be_right_is_refused_with_its_message(text, message):
    with pytest.raises(ValidationError) as refused:
        validation.dollars_to_cents(text)
    assert refused.value.messages == [str(message)]


def test_a_price_file_reads_ascii_digits_only():
    assert parse_price("3,50")[0] == 350
    assert parse_price("٣,٥٠")[1] is Problem.BAD_AMOUNT
    assert parse_integer("٣")[1] is Problem.NOT_AN_INTEGER


@pytest.mark.parametrize(
    ("form", "schema", "field", "limit"),
    [
        ("SecurityAnswerItemForm", "SheetSecurityAnswer", "requirement", "MAX_REQUIREMENT_LENGTH"),
        ("SecurityAnswerItemForm", "SheetSecurityAnswer", "answer", "MAX_TEXT_LENGTH"),
        ("ComponentForm", "SheetComponent", "description", "MAX_TEXT_LENGTH"),
    ],
)
def test_a_sheet_text_has_one_limit_on_the_page_and_in_the_api(form, schema, field, limit):
    """Issue 10 §8: a value the page refuses, the API refuses too (catalogue.rules.MAX_*)."""
    from pydantic import ValidationError as PydanticError

    from courtier.catalogue import forms as catalogue_forms
    from courtier.catalogue import rules as catalogue_rules
    from courtier.catalogue.api import content

    longest = getattr(catalogue_rules, limit)
    page_field = getattr(catalogue_forms, form).base_fields[field]
    assert page_field.max_length == longest
    base = {"code": "x", "name": "Nom", "kind": "base", "requirement": "R", "answer": "A"}
    model = getattr(content, schema)
    allowed = {k: v for k, v in base.items() if k in model.model_fields}
    model.model_validate({**allowed, field: "a" * longest})
    with pytest.raises(PydanticError):
        model.model_validate({**allowed, field: "a" * (longest + 1)})


def test_the_audit_hash_survives_a_lone_surrogate():
    assert len(audit_rules.chain_hash("0" * 64, {"text": "\ud800"})) == 64
    assert audit_rules.chain_hash("0" * 64, {"a": "é"}) != audit_rules.chain_hash(
        "0" * 64, {"a": "e"}
    )


# --- pages and API through the client -------------------------------------------------------------


@pytest.fixture
def runner(client, people, orgs):
    with at(MARCH_1, 9, tick=False):
        client.force_login(people["client_procurement"])
        file = needs_services.file_create(
            by=people["client_procurement"], client=orgs["client"], title="Courriel"
        )
        file = needs_services.file_update_needs(
            by=people["client_procurement"], file=file, duration_months=MONTHS
        )
        yield file


def _json(client, method, path, body):
    call = getattr(client, method)
    return call(path, body if isinstance(body, str) else json.dumps(body), "application/json")


def test_a_need_code_with_an_accent_is_refused_by_the_api_and_the_page(client, runner):
    path = f"/api/v1/acquisitions/files/{runner.pk}/needs/%C3%A9"
    body = {"label": "Postes", "kind": "usage", "unit": "user_month", "quantities": [1] * MONTHS}
    response = _json(client, "put", path, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "code", "message": str(NEED_CODE_INVALID)}]
    page = client.post(
        f"/acquisitions/{runner.pk}/plan/ligne/",
        {"code": "é", "label": "Postes", "kind": "usage", "unit": "user_month", "start": "1"},
    )
    assert page.status_code == 422
    assert str(NEED_CODE_INVALID) in page_text(page)
    assert not NeedLine.objects.filter(file=runner).exists()


def test_a_need_line_stored_with_an_accent_does_not_break_the_files_page(client, runner):
    NeedLine.objects.create(
        file=runner, code="é", label="Ancienne", kind="usage", unit="user_month", position=1
    )
    assert client.get(f"/acquisitions/{runner.pk}/").status_code == 200


def test_a_huge_budget_is_refused_by_the_page_and_the_api_with_one_message(client, runner):
    page = client.post(f"/acquisitions/{runner.pk}/besoins/", {"title": "X", "budget": "1e308"})
    assert page.status_code == 422
    assert str(validation.AMOUNT_INVALID) in page_text(page)
    page = client.post(
        f"/acquisitions/{runner.pk}/besoins/", {"title": "X", "budget": "99999999999999"}
    )
    assert str(validation.AMOUNT_TOO_LARGE) in page_text(page)
    path = f"/api/v1/acquisitions/files/{runner.pk}/needs"
    response = _json(client, "patch", path, {"budget_cents": 10**16})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "budget_cents"


def test_an_answer_is_limited_to_the_same_length_on_the_page_and_in_the_api(client, runner):
    long = "x" * (rules.MAX_ANSWER_LENGTH + 1)
    path = f"/api/v1/acquisitions/files/{runner.pk}/needs"
    response = _json(client, "patch", path, {"answers": {"risks": long}})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "answers", "message": str(ANSWER_TOO_LONG % {"n": rules.MAX_ANSWER_LENGTH})}
    ]
    ok = _json(client, "patch", path, {"answers": {"risks": "x" * rules.MAX_ANSWER_LENGTH}})
    assert ok.status_code == 200


def test_a_lone_surrogate_is_refused_naming_its_field(client, runner):
    path = f"/api/v1/acquisitions/files/{runner.pk}/needs"
    response = _json(
        client, "patch", path, '{"title": "\\ud800", "answers": {"risks": "a\\udfff"}}'
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "answers.risks", "message": str(BODY_SURROGATE)},
        {"field": "title", "message": str(BODY_SURROGATE)},
    ]
    response = _json(client, "post", "/api/v1/tokens", '{"\\ud800": 1}')
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_dates_out_of_range_and_booleans_as_numbers_are_refused_in_french(client, runner):
    path = f"/api/v1/acquisitions/files/{runner.pk}/needs"
    response = _json(
        client, "patch", path, {"planned_start": "0001-01-01", "duration_months": True}
    )
    assert response.status_code == 422
    assert sorted((e["field"], e["message"]) for e in response.json()["errors"]) == [
        ("duration_months", "Saisissez un nombre entier."),
        ("planned_start", str(validation.DATE_OUT_OF_RANGE)),
    ]
    page = client.post(
        f"/acquisitions/{runner.pk}/besoins/", {"title": "X", "planned_start": "9999-12-31"}
    )
    assert page.status_code == 422
    assert str(validation.DATE_OUT_OF_RANGE) in page_text(page)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "patch",
            "/api/v1/acquisitions/files/{pk}/needs",
            {"duration_months": "douze"},
            "duration_months",
        ),
        ("patch", "/api/v1/acquisitions/files/{pk}/needs", {"planned_start": 3}, "planned_start"),
        (
            "patch",
            "/api/v1/acquisitions/files/{pk}/needs",
            {"personal_information": "peut-être"},
            "personal_information",
        ),
        ("post", "/api/v1/acquisitions/files", {"title": 12}, "title"),
        ("post", "/api/v1/acquisitions/files", {"title": "X", "client": 1.5}, "client"),
    ],
)
def test_wrong_types_are_answered_in_french_naming_the_field(
    client, runner, method, path, body, field
):
    response = _json(client, method, path.format(pk=runner.pk), body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"].startswith(("Saisissez", "Valeur"))
    assert "should" not in response.content.decode()


def test_an_unreadable_body_is_explained_in_french(client, runner):
    response = _json(client, "patch", f"/api/v1/acquisitions/files/{runner.pk}/needs", "{nope")
    assert response.status_code == 400
    assert "Cannot parse" not in response.content.decode()
    assert response.json()["errors"][0]["field"] == "body"


def test_unicode_digits_are_no_price_in_the_catalogue_search(client, people, orgs):
    client.force_login(people["client_procurement"])
    response = client.get("/api/v1/catalogue/offers", {"unit": "user_month", "price_min": "٣"})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "price_min",
        "message": str(validation.NUMBER_ASCII),
    }


# --- bounded answers --------------------------------------------------------------------------


@pytest.fixture
def long_price_list(orgs):
    """MAIL with five price lines (tiers), in force on MARCH_1."""
    with at(MARCH_1, 9, tick=False):
        lines = [
            catalogue_factories.line("BASE", 600 + tier, tier_min_quantity=tier)
            for tier in (0, 10, 20, 30, 40)
        ]
        version = catalogue_factories.publish(
            orgs["supplier"],
            catalogue_factories.content(),
            prices={("MAIL", MARCH_1): lines},
        )
        yield version


def test_an_offers_answer_carries_one_page_of_price_lines_and_a_link_to_the_next(
    client, people, long_price_list, settings
):
    settings.CATALOGUE_PRICE_LINES_PAGE_SIZE = 2
    client.force_login(people["client_procurement"])
    offer = long_price_list.supplier.offers.get(code="MAIL")
    with at(MARCH_1, 10, tick=False):
        answer = client.get(f"/api/v1/catalogue/offers/{offer.pk}").json()
        (price_list,) = answer["price_lists"]
        assert price_list["line_count"] == 5
        assert [li["tier_min_quantity"] for li in price_list["lines"]] == [0, 10]
        assert price_list["lines_has_more"] is True
        following = client.get(price_list["lines_next"]).json()["price_lists"][0]
        assert [li["tier_min_quantity"] for li in following["lines"]] == [20, 30]
        last = client.get(following["lines_next"]).json()["price_lists"][0]
        assert [li["tier_min_quantity"] for li in last["lines"]] == [40]
        assert last["lines_next"] is None
        version = client.get(f"/api/v1/catalogue/versions/{long_price_list.pk}").json()
        assert len(version["price_lists"][0]["lines"]) == 2
        assert len(version["changes"]["prices"]) <= 2
        page = client.get(f"/catalogue/offres/{offer.pk}/")
        text = page.content.decode()
        table = re.search(r'<table class="price-list">.*?</table>', text, re.S).group(0)
        assert table.count("<tr>") == 1 + 2  # the header and one page of lines
        assert "Lignes 1 à 2 sur 5." in page_text(page)
        assert "?lignes=2" in text
        second = client.get(f"/catalogue/offres/{offer.pk}/?lignes=3")
        assert "Lignes 5 à 5 sur 5." in page_text(second)


def test_the_version_page_summarises_price_changes_beyond_a_page(
    client, people, long_price_list, settings
):
    settings.CATALOGUE_PRICE_LINES_PAGE_SIZE = 2
    client.force_login(people["client_procurement"])
    with at(MARCH_1, 10, tick=False):
        page = client.get(f"/catalogue/fiches/{long_price_list.pk}/")
        answer = client.get(f"/api/v1/catalogue/versions/{long_price_list.pk}").json()
    total = answer["changes"]["price_change_count"]
    assert total == 5
    assert len(answer["changes"]["prices"]) == 2
    assert "Et 3 autres changements de prix" in page_text(page)


def test_unicode_digits_are_no_price_in_the_catalogue_search_page(client, people, orgs):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/", {"unit": "user_month", "price_min": "٣,٥٠"})
    assert str(validation.NUMBER_ASCII) in page_text(response)


def test_the_api_renders_a_lone_surrogate_it_was_given_as_valid_json():
    from courtier.api import Utf8Renderer

    body = Utf8Renderer().render(None, {"message": "a\ud800", "b": "é"}, response_status=400)
    assert json.loads(body) == {"message": "a\ud800", "b": "é"}
