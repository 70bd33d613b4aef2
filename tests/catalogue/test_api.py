"""The Catalogue through /api/v1/catalogue (issue 3 §8): reading the published Catalogue, the
supplier's proposals and the broker's review, prices, subscriptions and supporting documents.
Everything is built through the real services, on a frozen clock (prices change on the first
business day of a month: Monday 2026-11-02, Tuesday 2026-12-01)."""

from __future__ import annotations

import copy
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from courtier.accounts.services import api_token_create
from courtier.audit.models import AuditEvent
from courtier.catalogue import rules
from courtier.catalogue.api.content import (
    SheetComponent,
    SheetContact,
    SheetContent,
    SheetDataCentre,
    SheetDocument,
    SheetOffer,
    SheetSecurityAnswer,
)
from courtier.catalogue.messages import (
    CONTENT_PROBLEMS,
    COUNTRY_FORMAT,
    DRAFT_ALREADY_OPEN,
    EMAIL_INVALID,
    NOT_A_LIST,
    PRICE_FORMAT,
    PRICE_IN_THE_PAST,
    PRICE_LIST_EMPTY,
    PRICE_NEEDS_UNIT,
    PRICE_NOT_FIRST_BUSINESS_DAY,
    PRICE_RANGE_ORDER,
    PROVINCE_NEEDS_COUNTRY,
    RETURN_COMMENT_REQUIRED,
    SUBSCRIPTION_EXISTS,
    TRANSITION_REFUSED,
    UNKNOWN_FIELD,
    UNKNOWN_SUPPLIER,
)
from courtier.catalogue.models import Offer, PriceList, SheetDraft, SheetVersion, Subscription
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.catalogue.services.subscriptions import subscription_create
from courtier.core.apifields import NUL_CHARACTER
from tests.catalogue.factories import content, line, offer, publish
from tests.helpers import shared_world

TORONTO = ZoneInfo("America/Toronto")
NOV_2 = date(2026, 11, 2)  # Monday: first business day of November 2026
DEC_1 = date(2026, 12, 1)  # Tuesday: first business day of December 2026
URL = "/api/v1/catalogue"


def call(client, method: str, path: str, data=None, **extra):
    kwargs = {"content_type": "application/json"} if method in {"post", "put"} else {}
    return getattr(client, method)(f"{URL}{path}", data, **kwargs, **extra)


def errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def sheet(mail_name: str = "Courriel infonuagique") -> dict:
    return content(
        offer("MAIL", mail_name),
        offer(
            "SONDAGE",
            "Sondages en ligne",
            category="sondage",
            data_centres=["VA"],
            training_languages=["fr", "en"],
        ),
    )


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=TORONTO), tick=False) as traveller:
        yield traveller


def publish_versions(orgs) -> SimpleNamespace:
    """Supplier D: version 1 on Nov 2 with November prices, version 2 on Nov 16 renaming the
    mail offer and raising its base price from Dec 1. Supplier E: one version."""
    supplier = orgs["supplier"]
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=TORONTO), tick=False) as clock:
        v1 = publish(
            supplier,
            sheet(),
            prices={("MAIL", NOV_2): [line("BASE", 650), line("STOCK", 25, unit="gb_month")]},
        )
        other = publish(
            orgs["supplier_other"], content(offer("VISIO", "Visioconférence", "visioconference"))
        )
        clock.move_to(datetime(2026, 11, 16, 9, tzinfo=TORONTO))
        v2 = publish(
            supplier,
            sheet("Courriel infonuagique Pro"),
            prices={("MAIL", DEC_1): [line("BASE", 700), line("STOCK", 25, unit="gb_month")]},
        )
    return SimpleNamespace(
        supplier=supplier,
        v1=v1,
        v2=v2,
        other=other,
        mail=Offer.objects.get(supplier=supplier, code="MAIL"),
        visio=Offer.objects.get(code="VISIO"),
    )


# Built once for the module; each test runs in a savepoint of it and gets copies of its objects.
shared, world, orgs, people = shared_world(publish_versions)


@pytest.fixture
def catalogue(world, clock):
    """The published versions (see ``publish_versions``). Today: Nov 16."""
    clock.move_to(datetime(2026, 11, 16, 9, tzinfo=TORONTO))
    return world[2]


@pytest.fixture
def as_(client, people):
    def login(who: str):
        client.force_login(people[who])
        return client

    return login


# --- reading the Catalogue ------------------------------------------------------------------


def test_categories_are_listed_for_signed_in_people_only(client, as_, db):
    response = call(client, "get", "/categories")
    assert response.status_code == 401
    assert response.json() == {"message": "Authentification requise.", "errors": []}
    codes = [c["code"] for c in call(as_("client_head"), "get", "/categories").json()]
    assert codes[0] == "courriel" and "ngq-stockage-objet" in codes


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["MAIL", "SONDAGE", "VISIO"]),
        ("category=sondage", ["SONDAGE"]),
        ("status=qualified&sort=-name", ["VISIO", "SONDAGE", "MAIL"]),
        ("country=us", ["SONDAGE"]),
        ("country=CA&province=qc", ["MAIL", "VISIO"]),
        ("canada_only=true", ["MAIL", "VISIO"]),
        ("personal_information=true", ["MAIL", "VISIO"]),
        ("training_language=en", ["SONDAGE"]),
        ("unit=user_month&price_min=6.00&price_max=6.50", ["MAIL"]),
        ("unit=user_month&price_max=6.49", []),
        ("q=sondages", ["SONDAGE"]),
    ],
)
def test_the_search_applies_each_filter(as_, catalogue, query, expected):
    response = call(as_("client_procurement"), "get", f"/offers?{query}")
    assert response.status_code == 200, response.content
    assert sorted(o["code"] for o in response.json()["items"]) == sorted(expected)
    if query.startswith("status"):
        assert [o["code"] for o in response.json()["items"]] == expected


def test_the_search_filters_by_supplier_and_paginates(as_, catalogue):
    client = as_("client_procurement")
    first = call(client, "get", f"/offers?supplier={catalogue.supplier.pk}&limit=1").json()
    assert (first["limit"], first["offset"], first["has_more"]) == (1, 0, True)
    assert "count" not in first  # a page, without counting every match
    page = call(client, "get", f"/offers?supplier={catalogue.supplier.pk}&limit=1&offset=1").json()
    assert (page["offset"], page["has_more"]) == (1, False)
    assert [o["code"] for o in page["items"]] == ["SONDAGE"]
    item = page["items"][0]
    assert item["supplier"] == {"id": catalogue.supplier.pk, "name": "Fournisseur D"}
    assert item["category"] == {"code": "sondage", "name": "Sondage"}
    assert item["training_languages"] == ["fr", "en"]
    assert item["version_id"] == catalogue.v2.pk


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("category=inconnu", "category", "Ce volet n'existe pas : « inconnu »."),
        ("status=perdue", "status", "Valeur non permise."),
        ("unit=litre", "unit", "Valeur non permise."),
        ("sort=prix", "sort", "Valeur non permise."),
        ("training_language=de", "training_language", "Valeur non permise."),
        ("price_min=abc", "price_min", str(PRICE_FORMAT)),
        ("price_min=1.234", "price_min", str(PRICE_FORMAT)),
        ("price_min=-1", "price_min", "La valeur doit être au moins 0."),
        ("unit=user_month&price_min=5&price_max=1", "price_max", str(PRICE_RANGE_ORDER)),
        ("price_max=1", "unit", str(PRICE_NEEDS_UNIT)),
        ("unit=user_month&price_max=1,50", "price_max", str(PRICE_FORMAT)),
        ("province=QC", "province", str(PROVINCE_NEEDS_COUNTRY)),
        ("country=C1", "country", str(COUNTRY_FORMAT)),
        ("canada_only=peut-etre", "canada_only", "Saisissez vrai ou faux."),
        ("limit=0", "limit", "La valeur doit être au moins 1."),
        ("category=a%00b", "category", str(NUL_CHARACTER)),
    ],
)
def test_the_search_refuses_a_bad_filter_naming_it(as_, catalogue, query, field, message):
    found = errors(call(as_("client_procurement"), "get", f"/offers?{query}"))
    assert list(found) == [field]
    assert found[field].startswith(message)


def test_the_search_refuses_an_organisation_that_is_not_a_supplier(as_, catalogue, orgs):
    found = errors(call(as_("client_head"), "get", f"/offers?supplier={orgs['client'].pk}"))
    assert found == {"supplier": str(UNKNOWN_SUPPLIER)}


def test_a_supplier_finds_only_its_own_offers(as_, catalogue):
    items = call(as_("supplier_rep"), "get", "/offers").json()["items"]
    assert sorted(o["code"] for o in items) == ["MAIL", "SONDAGE"]
    assert call(as_("provider_rep"), "get", "/offers").json()["items"] == []


def test_an_offer_shows_its_sheet_details_and_its_prices_in_force_and_scheduled(as_, catalogue):
    response = call(as_("client_procurement"), "get", f"/offers/{catalogue.mail.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Courriel infonuagique Pro"
    assert body["version"] == {
        "id": catalogue.v2.pk,
        "name": "Fiche Fournisseur D – 2026-11-16",
        "published_on": "2026-11-16",
    }
    assert body["trial_terms"] == "30 unités pendant 60 jours, sans frais."
    assert [(c["code"], c["kind"]) for c in body["components"]] == [
        ("BASE", "base"),
        ("ENTREE", "entry"),
        ("STOCK", "additional"),
    ] or sorted(c["code"] for c in body["components"]) == ["BASE", "ENTREE", "STOCK"]
    assert {(d["city"], d["country"]) for d in body["data_centres"]} == {("Montréal", "CA")}
    assert body["hosted_in_quebec_only"] is True
    lists = body["price_lists"]
    assert [(pl["effective_from"], pl["effective_until"], pl["in_force"]) for pl in lists] == [
        ("2026-11-02", "2026-12-01", True),
        ("2026-12-01", None, False),
    ]
    base = next(li for li in lists[1]["lines"] if li["component_code"] == "BASE")
    assert base["unit_price_cents"] == 700
    assert base["unit_price"] == "7.00"
    assert base["unit"] == "user_month"
    assert lists[0]["version_id"] == catalogue.v1.pk


def test_an_offer_of_another_supplier_is_not_found(as_, catalogue):
    assert call(as_("supplier_rep"), "get", f"/offers/{catalogue.mail.pk}").status_code == 200
    assert call(as_("supplier_rep"), "get", f"/offers/{catalogue.visio.pk}").status_code == 404
    assert call(as_("provider_rep"), "get", f"/offers/{catalogue.mail.pk}").status_code == 404


def test_a_sheet_lists_its_versions_and_a_version_shows_its_dated_name_and_changes(as_, catalogue):
    client = as_("client_procurement")
    listed = call(client, "get", f"/suppliers/{catalogue.supplier.pk}/versions").json()
    assert [(v["number"], v["name"]) for v in listed["items"]] == [
        (2, "Fiche Fournisseur D – 2026-11-16"),
        (1, "Fiche Fournisseur D – 2026-11-02"),
    ]
    body = call(client, "get", f"/versions/{catalogue.v2.pk}").json()
    assert body["previous_id"] == catalogue.v1.pk
    assert body["content"]["offers"][0]["name"] == "Courriel infonuagique Pro"
    changed = body["changes"]["sections"]["offers"]["changed"]
    assert [c["code"] for c in changed] == ["MAIL"]
    assert {
        "field": "name",
        "before": "Courriel infonuagique",
        "after": "Courriel infonuagique Pro",
    } in changed[0]["fields"]
    base = next(p for p in body["changes"]["prices"] if p["component"] == "BASE")
    assert base["change"] == "changed" and base["terms"] == ["unit_price_cents"]
    assert (base["before"]["unit_price_cents"], base["after"]["unit_price_cents"]) == (650, 700)
    assert [pl["effective_from"] for pl in body["price_lists"]] == ["2026-12-01"]


def test_a_supplier_cannot_read_another_suppliers_versions(as_, catalogue):
    client = as_("supplier_rep")
    assert call(client, "get", f"/versions/{catalogue.other.pk}").status_code == 404
    other = catalogue.other.supplier_id
    assert call(client, "get", f"/suppliers/{other}/versions").status_code == 404
    own = call(client, "get", f"/suppliers/{catalogue.supplier.pk}/versions")
    assert own.json()["count"] == 2


def test_it_tells_what_changed_in_some_offers_since_a_date(as_, catalogue):
    client = as_("client_procurement")
    ids = f"{catalogue.mail.pk},{catalogue.visio.pk},{catalogue.mail.pk + 100}"
    body = call(client, "get", f"/changes?offers={ids}&since=2026-11-02").json()
    assert [(o["code"], [v["id"] for v in o["versions"]]) for o in body] == [
        ("MAIL", [catalogue.v2.pk]),
        ("VISIO", []),
    ]
    version = body[0]["versions"][0]
    assert version["name"] == "Fiche Fournisseur D – 2026-11-16"
    assert version["diff_url"] == f"/catalogue/fiches/{catalogue.v2.pk}/"
    assert {(p["component"], p["change"]) for p in version["price_changes"]} == {
        ("BASE", "changed")
    }
    since_october = call(client, "get", f"/changes?offers={ids}&since=2026-10-31").json()
    assert [len(o["versions"]) for o in since_october] == [2, 1]


def test_a_supplier_is_told_only_of_its_own_offers_changes(as_, catalogue):
    ids = f"{catalogue.mail.pk},{catalogue.visio.pk}"
    body = call(as_("supplier_rep"), "get", f"/changes?offers={ids}&since=2026-10-31").json()
    assert [o["code"] for o in body] == ["MAIL"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offers=1,deux&since=2026-11-01", "offers"),
        ("offers=0&since=2026-11-01", "offers"),
        (f"offers={'9' * 5000}&since=2026-11-01", "offers"),
        ("offers=&since=2026-11-01", "offers"),
        ("offers=1&since=hier", "since"),
        ("since=2026-11-01", "offers"),
    ],
)
def test_it_refuses_a_bad_question_about_changes(as_, catalogue, query, field):
    assert list(errors(call(as_("client_head"), "get", f"/changes?{query}"))) == [field]


# --- proposals ----------------------------------------------------------------------------------


def test_a_supplier_starts_a_proposal_from_the_sheet_in_force(as_, catalogue, people):
    response = call(as_("supplier_rep"), "post", "/drafts", {"supplier": catalogue.supplier.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    draft = SheetDraft.objects.get(pk=body["id"])
    assert draft.created_by == people["supplier_rep"]
    assert body["base_version_id"] == catalogue.v2.pk
    assert body["content"]["offers"][0]["code"] == "MAIL"
    assert body["change_count"] == 0 and body["outdated"] is False
    assert AuditEvent.objects.filter(action="sheet_draft.created", object_id=str(draft.pk)).exists()


def test_a_second_open_proposal_is_refused(as_, catalogue):
    client = as_("supplier_rep")
    call(client, "post", "/drafts", {"supplier": catalogue.supplier.pk})
    found = errors(call(client, "post", "/drafts", {"supplier": catalogue.supplier.pk}))
    assert found == {"supplier": str(DRAFT_ALREADY_OPEN)}
    assert SheetDraft.objects.filter(status="draft").count() == 1


def _draft(supplier, by=None) -> SheetDraft:
    return sheet_draft_create(by=by, supplier=supplier)


def test_a_supplier_replaces_the_content_and_sees_the_diff(as_, catalogue, people):
    draft = _draft(catalogue.supplier)
    new = sheet("Courriel infonuagique Pro")
    new["offers"][1]["status"] = "withdrawn"
    new["contacts"] = []
    response = call(
        as_("supplier_rep"), "put", f"/drafts/{draft.pk}", {**new, "summary": "Retrait du sondage"}
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.summary == "Retrait du sondage"
    assert draft.content["offers"][1]["status"] == "withdrawn"
    assert draft.content["contacts"] == []
    sections = response.json()["changes"]["sections"]
    assert sections["offers"]["changed"][0]["fields"] == [
        {"field": "status", "before": "qualified", "after": "withdrawn"}
    ]
    assert [r["code"] for r in sections["contacts"]["removed"]] == ["COM"]
    event = AuditEvent.objects.get(action="sheet_draft.updated", object_id=str(draft.pk))
    assert event.actor_id == people["supplier_rep"].pk


def test_the_content_read_back_can_be_sent_again_without_changing_anything(as_, catalogue):
    draft = _draft(catalogue.supplier)
    client = as_("supplier_rep")
    body = call(client, "get", f"/drafts/{draft.pk}").json()
    response = call(client, "put", f"/drafts/{draft.pk}", body["content"])
    assert response.status_code == 200, response.content
    assert response.json()["change_count"] == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda c: c["offers"][0].update(category="jardinage"),
            "offers[0].category",
            "Cette valeur n'est pas permise : « jardinage ».",
        ),
        (
            lambda c: c["offers"][1].update(code="MAIL"),
            "offers[1].code",
            str(CONTENT_PROBLEMS[rules.ContentProblem.DUPLICATE_CODE]),
        ),
        (
            lambda c: c["offers"][0]["components"][1].update(code="BASE"),
            "offers[0].components[1].code",
            str(CONTENT_PROBLEMS[rules.ContentProblem.DUPLICATE_CODE]),
        ),
        (
            lambda c: c["offers"][0]["components"][1].update(couleur="bleu"),
            "offers[0].components[1].couleur",
            str(UNKNOWN_FIELD),
        ),
        (
            lambda c: c["offers"][0]["components"][1].pop("name"),
            "offers[0].components[1].name",
            "Ce champ est obligatoire.",
        ),
        (
            lambda c: c["offers"][0].update(components="BASE"),
            "offers[0].components",
            str(NOT_A_LIST),
        ),
        (
            lambda c: c["data_centres"][0].update(country="Canada"),
            "data_centres[0].country",
            str(COUNTRY_FORMAT),
        ),
        (
            lambda c: c["offers"][0].update(status="perdue"),
            "offers[0].status",
            "Valeur non permise.",
        ),
        (
            lambda c: c["offers"][0].update(data_centres=["MTL", "PARIS"]),
            "offers[0].data_centres",
            "Le centre de données « PARIS » n'est pas décrit dans la fiche.",
        ),
        (lambda c: c.update(couleur="bleu"), "couleur", str(UNKNOWN_FIELD)),
        (
            lambda c: c["offers"][0].update(name="Cour\x00riel"),
            "offers[0].name",
            str(NUL_CHARACTER),
        ),
    ],
)
def test_bad_content_is_refused_naming_the_field_and_nothing_is_written(
    as_, catalogue, change, field, message
):
    draft = _draft(catalogue.supplier)
    before = copy.deepcopy(draft.content)
    events = AuditEvent.objects.count()
    body = sheet()
    change(body)
    found = errors(call(as_("supplier_rep"), "put", f"/drafts/{draft.pk}", body))
    assert field in found, found
    assert found[field].startswith(message)
    draft.refresh_from_db()
    assert draft.content == before
    assert AuditEvent.objects.count() == events


def test_every_problem_of_a_content_is_named_at_once(as_, catalogue):
    draft = _draft(catalogue.supplier)
    body = sheet()
    body["offers"][0]["couleur"] = "bleu"
    body["contacts"][0]["email"] = "pas-un-courriel"
    found = errors(call(as_("supplier_rep"), "put", f"/drafts/{draft.pk}", body))
    assert found == {
        "offers[0].couleur": str(UNKNOWN_FIELD),
        "contacts[0].email": str(EMAIL_INVALID),
    }


def test_the_api_keeps_its_limits_to_requests_and_shows_what_was_published_as_it_is(as_, catalogue):
    draft = _draft(catalogue.supplier)
    body = sheet()
    body["offers"][0]["description"] = "x" * 20001
    body["data_centres"][0]["country"] = "ca"
    client = as_("supplier_rep")
    found = errors(call(client, "put", f"/drafts/{draft.pk}", body))
    assert found == {"offers[0].description": "Au plus 20000 caractères."}
    body["offers"][0]["description"] = "Courriel."
    assert call(client, "put", f"/drafts/{draft.pk}", body).status_code == 200
    draft.refresh_from_db()
    assert draft.content["data_centres"][0]["country"] == "CA"
    # Written by another way (a page), within the services' rules only: shown unchanged.
    sheet_draft_update(
        by=None,
        draft=draft,
        content={**draft.content, "contacts": [{**body["contacts"][0], "email": "à voir"}]},
    )
    shown = call(client, "get", f"/drafts/{draft.pk}")
    assert shown.status_code == 200
    assert shown.json()["content"]["contacts"][0]["email"] == "à voir"


def test_the_content_schema_has_every_field_of_a_sheet_and_no_other():
    assert set(SheetContent.model_fields) == set(rules.SHEET_FIELDS)
    schemas = {
        "offers": SheetOffer,
        "data_centres": SheetDataCentre,
        "security_answers": SheetSecurityAnswer,
        "documents": SheetDocument,
        "contacts": SheetContact,
    }
    for section, schema in schemas.items():
        assert set(schema.model_fields) == set(rules.SECTION_FIELDS[section]), section
    assert set(SheetComponent.model_fields) == set(rules.COMPONENT_FIELDS)


# --- prices -----------------------------------------------------------------------------------


def test_a_supplier_proposes_a_price_list(as_, catalogue, people):
    draft = _draft(catalogue.supplier)
    response = call(
        as_("supplier_rep"),
        "put",
        f"/drafts/{draft.pk}/prices",
        {
            "offer_code": "MAIL",
            "effective_from": "2026-12-01",
            "lines": [
                line("BASE", 725),
                line("BASE", 690, tier_min_quantity=1000, max_yearly_increase_bp=350),
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["line_count"] == 2
    assert [(li["tier_min_quantity"], li["unit_price"]) for li in body["lines"]] == [
        (0, "7.25"),
        (1000, "6.90"),
    ]
    price_list = PriceList.objects.get(pk=body["id"])
    assert price_list.draft == draft
    assert price_list.lines.get(tier_min_quantity=1000).max_yearly_increase_bp == 350
    event = AuditEvent.objects.get(action="price_list.proposed", object_id=str(price_list.pk))
    assert event.actor_id == people["supplier_rep"].pk
    diff = call(as_("supplier_rep"), "get", f"/drafts/{draft.pk}").json()["changes"]["prices"]
    assert {(p["component"], p["tier_min_quantity"], p["change"]) for p in diff} == {
        ("BASE", 0, "changed"),
        ("BASE", 1000, "added"),
        ("STOCK", 0, "removed"),
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"effective_from": "2026-12-02"},
            "effective_from",
            PRICE_NOT_FIRST_BUSINESS_DAY % {"day": "2026-12-02", "first": "2026-12-01"},
        ),
        (
            {"effective_from": "2026-11-02"},
            "effective_from",
            PRICE_IN_THE_PAST % {"day": "2026-11-02"},
        ),
        ({"effective_from": "2026-12-32"}, "effective_from", "Saisissez une date valide"),
        ({"offer_code": "NOPE"}, "offer_code", "L'offre « NOPE » ne figure pas"),
        (
            {"lines": [line("BASE", 700), line("BASE", 650)]},
            "lines[1]",
            "La composante « BASE » a deux prix pour le palier à partir de 0.",
        ),
        ({"lines": [line("AUTRE", 700)]}, "lines[0].component_code", "La composante « AUTRE »"),
        ({"lines": []}, "lines", str(PRICE_LIST_EMPTY)),
        ({"lines": [line("BASE", -1)]}, "lines[0].unit_price_cents", "La valeur doit être au"),
        ({"lines": [line("BASE", 7.5)]}, "lines[0].unit_price_cents", "Saisissez un nombre"),
        ({"lines": [line("BASE", 700, devise="USD")]}, "lines[0].devise", "Ce champ n'existe"),
        ({"lines": [line("BASE", 700, unit="litre")]}, "lines[0].unit", "Valeur non permise"),
        ({"effective_from": "2200-12-01"}, "effective_from", "Indiquez une date entre le 1er"),
    ],
)
def test_a_bad_price_list_is_refused_naming_the_field_and_nothing_is_written(
    as_, catalogue, body, field, message
):
    draft = _draft(catalogue.supplier)
    events = AuditEvent.objects.count()
    payload = {"offer_code": "MAIL", "effective_from": "2026-12-01", "lines": [line("BASE", 700)]}
    found = errors(
        call(as_("supplier_rep"), "put", f"/drafts/{draft.pk}/prices", {**payload, **body})
    )
    assert list(found) == [field]
    assert found[field].startswith(str(message)), found
    assert not PriceList.objects.filter(draft=draft).exists()
    assert AuditEvent.objects.count() == events


# --- who sees and does what ---------------------------------------------------------------------


def test_a_supplier_sees_only_its_own_proposals(as_, catalogue):
    own = _draft(catalogue.supplier)
    other = _draft(catalogue.other.supplier)
    client = as_("supplier_rep")
    assert [d["id"] for d in call(client, "get", "/drafts?status=draft").json()["items"]] == [
        own.pk
    ]
    assert {d["supplier"]["id"] for d in call(client, "get", "/drafts").json()["items"]} == {
        catalogue.supplier.pk
    }
    assert call(client, "get", f"/drafts/{other.pk}").status_code == 404
    assert call(client, "put", f"/drafts/{other.pk}", sheet()).status_code == 404
    assert call(client, "post", f"/drafts/{other.pk}/submit").status_code == 404
    found = call(client, "post", "/drafts", {"supplier": catalogue.other.supplier_id})
    assert found.status_code == 404
    listed = call(as_("broker_agent"), "get", "/drafts?status=draft").json()["items"]
    assert {d["id"] for d in listed} == {own.pk, other.pk}


@pytest.mark.parametrize("who", ["client_procurement", "provider_rep"])
def test_clients_and_providers_see_no_proposal(as_, catalogue, who):
    draft = _draft(catalogue.supplier)
    client = as_(who)
    assert call(client, "get", "/drafts").json()["items"] == []
    assert call(client, "get", f"/drafts/{draft.pk}").status_code == 404
    assert call(client, "post", f"/drafts/{draft.pk}/abandon").status_code == 404


def test_anonymous_people_get_401_in_json(client, catalogue):
    draft = _draft(catalogue.supplier)
    for method, path in [
        ("get", "/drafts"),
        ("get", f"/drafts/{draft.pk}"),
        ("post", f"/drafts/{draft.pk}/submit"),
        ("get", "/offers"),
    ]:
        response = call(client, method, path)
        assert response.status_code == 401
        assert response.json()["message"] == "Authentification requise."


def test_a_supplier_cannot_publish_nor_return_its_proposal(as_, catalogue):
    draft = _draft(catalogue.supplier)
    sheet_draft_update(by=None, draft=draft, content=sheet("Nouveau nom"))
    sheet_draft_submit(by=None, draft=draft)
    client = as_("supplier_rep")
    assert call(client, "post", f"/drafts/{draft.pk}/publish").status_code == 403
    response = call(client, "post", f"/drafts/{draft.pk}/return", {"comment": "Non."})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert SheetVersion.objects.filter(supplier=catalogue.supplier).count() == 2


def test_the_broker_auditor_reads_proposals_but_changes_nothing(as_, catalogue):
    draft = _draft(catalogue.supplier)
    client = as_("broker_auditor")
    assert call(client, "get", f"/drafts/{draft.pk}").status_code == 200
    assert call(client, "post", f"/drafts/{draft.pk}/abandon").status_code == 403
    assert call(client, "put", f"/drafts/{draft.pk}", sheet("X")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_token_works_on_the_catalogue_api(client, catalogue, people):
    _token, secret = api_token_create(user=people["supplier_rep"], name="ERP")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = call(client, "post", "/drafts", {"supplier": catalogue.supplier.pk}, **auth)
    assert response.status_code == 201
    listed = call(client, "get", "/drafts?status=draft", **auth).json()["items"]
    assert [d["id"] for d in listed] == [response.json()["id"]]
    assert call(client, "get", "/drafts", HTTP_AUTHORIZATION="Bearer ctr_faux").status_code == 401


# --- the whole review flow --------------------------------------------------------------------


def test_the_review_flow_runs_entirely_through_the_api(client, people, catalogue, clock):
    supplier_id = catalogue.supplier.pk
    client.force_login(people["supplier_rep"])
    draft_id = call(client, "post", "/drafts", {"supplier": supplier_id}).json()["id"]
    new = sheet("Courriel infonuagique Entreprise")
    new["offers"][0]["components"].append(
        {"code": "ARCHIVE", "name": "Archivage", "kind": "additional", "description": ""}
    )
    response = call(client, "put", f"/drafts/{draft_id}", {**new, "summary": "Archivage"})
    assert response.status_code == 200, response.content
    prices = {
        "offer_code": "MAIL",
        "effective_from": "2027-01-04",  # Monday: Friday January 1 is a holiday
        "lines": [line("BASE", 720), line("STOCK", 25, unit="gb_month"), line("ARCHIVE", 150)],
    }
    assert call(client, "put", f"/drafts/{draft_id}/prices", prices).status_code == 200
    submitted = call(client, "post", f"/drafts/{draft_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    client.logout()

    client.force_login(people["broker_agent"])
    review = call(client, "get", f"/drafts/{draft_id}").json()
    assert review["change_count"] == 3  # offer changed, BASE price changed, ARCHIVE price added
    empty = call(client, "post", f"/drafts/{draft_id}/return", {"comment": " "})
    assert errors(empty) == {"comment": str(RETURN_COMMENT_REQUIRED)}
    returned = call(client, "post", f"/drafts/{draft_id}/return", {"comment": "Prix ARCHIVE ?"})
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Prix ARCHIVE ?"
    client.logout()

    client.force_login(people["supplier_rep"])
    prices["lines"][2] = line("ARCHIVE", 125)
    assert call(client, "put", f"/drafts/{draft_id}/prices", prices).status_code == 200
    assert call(client, "post", f"/drafts/{draft_id}/submit").json()["status"] == "submitted"
    client.logout()

    clock.move_to(datetime(2026, 12, 3, 10, tzinfo=TORONTO))
    client.force_login(people["broker_agent"])
    published = call(client, "post", f"/drafts/{draft_id}/publish")
    assert published.status_code == 201, published.content
    version = published.json()
    assert version["name"] == "Fiche Fournisseur D – 2026-12-03"
    assert version["number"] == 3 and version["previous_id"] == catalogue.v2.pk
    detail = call(client, "get", f"/versions/{version['id']}").json()
    prices_changed = {
        (p["component"], p["change"], (p["after"] or {}).get("unit_price_cents"))
        for p in detail["changes"]["prices"]
    }
    assert prices_changed == {("BASE", "changed", 720), ("ARCHIVE", "added", 125)}
    assert call(client, "get", f"/drafts/{draft_id}").json()["version_id"] == version["id"]
    actions = list(
        AuditEvent.objects.filter(object_id=str(draft_id), action__startswith="sheet_draft.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "sheet_draft.created",
        "sheet_draft.updated",
        "sheet_draft.submitted",
        "sheet_draft.returned",
        "sheet_draft.submitted",
        "sheet_draft.published",
    ]
    assert SheetDraft.objects.get(pk=draft_id).status == "published"
    event = AuditEvent.objects.get(action="sheet_version.published", object_id=str(version["id"]))
    assert event.actor_id == people["broker_agent"].pk


def test_a_proposal_can_be_abandoned(as_, catalogue):
    draft = _draft(catalogue.supplier)
    response = call(as_("supplier_rep"), "post", f"/drafts/{draft.pk}/abandon")
    assert response.status_code == 200 and response.json()["status"] == "abandoned"
    again = call(as_("supplier_rep"), "post", f"/drafts/{draft.pk}/abandon")
    assert errors(again) == {"status": str(TRANSITION_REFUSED)}
    assert AuditEvent.objects.filter(action="sheet_draft.abandoned").count() == 1


# --- qualifications, agreements, subscriptions, documents --------------------------------------


@pytest.fixture
def qualified(orgs):
    agreement = framework_agreement_save(
        by=None,
        organisation=orgs["provider"],
        number="EC-2026-01",
        title="Services professionnels en infonuagique",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    other_agreement = framework_agreement_save(
        by=None,
        organisation=orgs["provider_other"],
        number="EC-2026-02",
        title="Services professionnels",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    qualification = qualification_create(
        by=None, code="migration", name="Migration", scope_description="Migrer vers le nuage."
    )
    for provider, deal, contact in [
        (orgs["provider"], agreement, "Anne"),
        (orgs["provider_other"], other_agreement, "Benoît"),
    ]:
        provider_qualify(
            by=None,
            qualification=qualification,
            provider=provider,
            agreement=deal,
            qualified_on=date(2026, 2, 2),
            contact_name=contact,
            contact_email=f"{contact.lower()}@prestataire.example",
        )
    return qualification


def test_qualifications_list_their_providers_with_contacts(as_, qualified, orgs):
    items = call(as_("client_procurement"), "get", "/qualifications").json()["items"]
    assert [q["code"] for q in items] == ["migration"]
    providers = items[0]["providers"]
    assert [(p["provider"]["name"], p["contact_name"]) for p in providers] == [
        ("Prestataire F", "Anne"),
        ("Prestataire G", "Benoît"),
    ]
    assert providers[0]["agreement"]["number"] == "EC-2026-01"
    own = call(as_("provider_rep"), "get", "/qualifications").json()["items"]
    assert [p["contact_name"] for p in own[0]["providers"]] == ["Anne"]


def test_framework_agreements_are_listed_as_each_person_may_see_them(as_, qualified, orgs):
    items = call(as_("client_procurement"), "get", "/agreements").json()["items"]
    assert [a["number"] for a in items] == ["EC-2026-01", "EC-2026-02"]
    assert items[0]["organisation"]["kind"] == "provider"
    assert items[0]["status"] == "in_force"
    own = call(as_("provider_rep"), "get", "/agreements").json()["items"]
    assert [a["number"] for a in own] == ["EC-2026-01"]
    other = orgs["provider_other"].pk
    filtered = call(as_("broker_agent"), "get", f"/agreements?organisation={other}").json()
    assert [a["number"] for a in filtered["items"]] == ["EC-2026-02"]


def test_a_person_subscribes_lists_and_unsubscribes(as_, catalogue, people):
    client = as_("client_procurement")
    created = call(client, "post", "/subscriptions", {"category": "courriel"})
    assert created.status_code == 201, created.content
    assert created.json()["category"] == {"code": "courriel", "name": "Courriel"}
    by_supplier = call(client, "post", "/subscriptions", {"supplier": catalogue.supplier.pk})
    assert by_supplier.json()["supplier"]["name"] == "Fournisseur D"
    assert call(client, "post", "/subscriptions", {}).json()["category"] is None
    assert len(call(client, "get", "/subscriptions").json()) == 3
    assert Subscription.objects.filter(user=people["client_procurement"]).count() == 3
    assert AuditEvent.objects.filter(action="subscription.created").count() == 3
    gone = call(client, "delete", f"/subscriptions/{created.json()['id']}")
    assert gone.status_code == 204
    assert not Subscription.objects.filter(pk=created.json()["id"]).exists()
    assert AuditEvent.objects.filter(action="subscription.deleted").count() == 1
    other = as_("client_head")
    assert call(other, "get", "/subscriptions").json() == []
    assert call(other, "delete", f"/subscriptions/{by_supplier.json()['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ({"category": "jardinage"}, {"category": "Ce volet n'existe pas : « jardinage »."}),
        ({"supplier": 999999}, {"supplier": str(UNKNOWN_SUPPLIER)}),
        ({"category": "courriel"}, {"category": str(SUBSCRIPTION_EXISTS)}),
        ({"category": "tableur", "supplier": 0}, {"supplier": "La valeur doit être au moins 1."}),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(as_, catalogue, people, body, found):
    subscription_create(by=people["client_head"], category=None)
    client = as_("client_head")
    call(client, "post", "/subscriptions", {"category": "courriel"})
    count = Subscription.objects.count()
    assert errors(call(client, "post", "/subscriptions", body)) == found
    assert Subscription.objects.count() == count


def test_a_supplier_cannot_subscribe_to_the_catalogue(as_, catalogue):
    response = call(as_("supplier_rep"), "post", "/subscriptions", {})
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_supporting_documents_are_listed_with_their_versions(as_, db, orgs):
    for notes, data in [("Première version", b"v1"), ("Clause 4 revue", b"v2")]:
        supporting_document_publish(
            by=None,
            kind="contract_template",
            title="Gabarit de contrat",
            file_name="contrat.docx",
            content=data,
            content_type="application/octet-stream",
            notes=notes,
        )
    client = as_("client_procurement")
    items = call(client, "get", "/documents").json()
    assert [d["title"] for d in items] == ["Gabarit de contrat"]
    versions = items[0]["versions"]
    assert [(v["number"], v["notes"]) for v in versions] == [
        (2, "Clause 4 revue"),
        (1, "Première version"),
    ]
    latest = versions[0]["file"]
    assert latest["size"] == 2 and latest["name"] == "contrat.docx"
    assert latest["download_url"] == f"/catalogue/fichiers/{latest['sha256']}/"
    assert b"".join(client.get(latest["download_url"]).streaming_content) == b"v2"
    assert call(as_("supplier_rep"), "get", "/documents").json() == []
