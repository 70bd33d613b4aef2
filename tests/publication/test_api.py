"""The SEAO sheet and concluded-contracts API (/api/v1/publication; 002 §4.1, §4.7) through the
Django test client: the sheet read and filled in to its publication, 4xx naming the field on bad
input, the list with its brackets and its contacts only with the consent, the consents given and
revoked, and the documented schemas."""

from __future__ import annotations

import pytest

from courtier.api import api
from courtier.contracts.models import Contract
from courtier.publication import messages, rules
from courtier.publication.models import SeaoSheet
from tests.helpers import shared_world
from tests.publication import factories

shared, world, orgs, people = shared_world(factories.build)
SEAO = "/api/v1/publication/seao"
LIST = "/api/v1/publication/concluded-contracts"


@pytest.fixture
def contracts(world) -> dict[str, Contract]:
    return world[2]


@pytest.fixture(autouse=True)
def clock():
    with factories.today():
        yield


def as_(client, person):
    client.force_login(person)
    return client


def send(client, method: str, url: str, body: dict | None = None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


# --- the SEAO sheet -----------------------------------------------------------------------------


def test_the_sheet_is_read_with_what_to_enter_in_seao(client, contracts, people):
    response = as_(client, people["client_auditor"]).get(f"{SEAO}/{contracts['solutions'].pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["nature"] == "Approvisionnement (biens)" and body["classification"][:2] == "G8"
    assert [c["code"] for c in body["allowed_unspsc"]] == ["43230000", "81162000"]
    assert body["legal_disposition"] == rules.LEGAL_DISPOSITION["solutions"]
    assert body["authorised_cents"] == contracts["solutions"].authorised_cents
    assert body["published"] is False and body["missing"] == list(rules.CHECKLIST_KEYS)


def test_the_client_fills_in_and_publishes_the_sheet(client, contracts, people):
    url = f"{SEAO}/{contracts['services'].pk}"
    as_(client, people["client_procurement"])

    answers = [
        send(client, "put", url, {"unspsc_codes": ["81160000"], "responsible_indicator": "Vert"}),
        send(client, "put", f"{url}/checklist", {"checklist": list(rules.CHECKLIST_KEYS)}),
        send(client, "post", f"{url}/publish", {"published_on": "2027-06-01"}),
        send(client, "post", f"{url}/publish", {"published_on": "2027-06-01"}),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 200]
    body = answers[-1].json()
    assert body["published"] is True and body["published_on"] == "2027-06-01"
    assert body["unspsc_codes"] == [
        {"code": "81160000", "label": rules.UNSPSC["services"]["81160000"]}
    ]
    assert SeaoSheet.objects.get().published_by == people["client_procurement"]
    pending = client.get(SEAO).json()
    assert [p["contract_id"] for p in pending] == [contracts["solutions"].pk]


def test_a_wrong_code_is_422_naming_the_field(client, contracts, people):
    response = send(
        as_(client, people["client_procurement"]),
        "put",
        f"{SEAO}/{contracts['solutions'].pk}",
        {"unspsc_codes": ["81160000"]},
    )

    assert response.status_code == 422
    assert fields(response) == {"unspsc_codes": str(messages.UNSPSC_NOT_ALLOWED)}


def test_a_bad_body_is_422_naming_the_field(client, contracts, people):
    url = f"{SEAO}/{contracts['solutions'].pk}"
    as_(client, people["client_procurement"])

    no_date = send(client, "post", f"{url}/publish", {"published_on": "demain"})
    unknown = send(client, "put", url, {"unspsc_codes": ["43230000"], "codes": []})
    too_long = send(
        client, "put", url, {"unspsc_codes": ["43230000"], "responsible_indicator": "x" * 201}
    )

    assert (no_date.status_code, unknown.status_code, too_long.status_code) == (422, 422, 422)
    assert "published_on" in fields(no_date)
    assert "codes" in fields(unknown)
    assert "responsible_indicator" in fields(too_long)


def test_publishing_too_early_names_each_missing_field(client, contracts, people):
    response = send(
        as_(client, people["client_head"]),
        "post",
        f"{SEAO}/{contracts['solutions'].pk}/publish",
        {"published_on": "2027-07-06"},
    )

    assert response.status_code == 422
    assert fields(response) == {
        "unspsc_codes": str(messages.UNSPSC_REQUIRED),
        "checklist": str(messages.CHECKLIST_INCOMPLETE),
        "published_on": str(messages.DATE_IN_FUTURE),
    }


def test_a_client_not_subject_to_the_rcti_has_no_sheet_and_suppliers_see_none(
    client, contracts, people, orgs
):
    contract = factories.not_rcti(contracts["services"], orgs)
    as_(client, people["broker_admin"])
    broker = client.get(f"{SEAO}/{contract.pk}")
    as_(client, people["supplier_rep"])
    supplier = client.get(f"{SEAO}/{contracts['solutions'].pk}")

    assert (broker.status_code, supplier.status_code) == (404, 404)
    assert client.get(SEAO).json() == []


def test_who_sees_the_sheet_but_does_not_run_the_acquisitions_gets_403(client, contracts, people):
    response = send(
        as_(client, people["client_signatory"]),
        "put",
        f"{SEAO}/{contracts['solutions'].pk}",
        {"unspsc_codes": ["43230000"]},
    )

    assert response.status_code == 403


# --- the list and the consents ------------------------------------------------------------------


def test_the_list_gives_brackets_and_the_contact_only_with_the_consent(client, contracts, people):
    contract = contracts["solutions"]
    consent_url = f"{LIST}/{contract.pk}/consents"
    head = people["client_head"]
    as_(client, people["client_procurement"])

    before = client.get(LIST).json()
    given = send(client, "post", consent_url, {"contact_id": head.pk})
    during = client.get(LIST).json()
    revoked = send(client, "post", f"{consent_url}/revoke")
    after = client.get(LIST).json()

    row = lambda page: next(r for r in page["items"] if r["contract_id"] == contract.pk)  # noqa: E731
    assert before["count"] == 2 and row(before)["contact_email"] == ""
    assert row(before)["amount_bracket"] == rules.amount_bracket(contract.authorised_cents)
    assert "authorised_cents" not in row(before)
    assert given.status_code == 201 and given.json()["in_force"]["contact"]["id"] == head.pk
    assert row(during)["contact_email"] == head.email
    assert revoked.status_code == 200 and revoked.json()["in_force"] is None
    assert len(revoked.json()["history"]) == 1 and row(after)["contact_name"] == ""


def test_the_list_is_filtered_and_paged(client, contracts, people):
    as_(client, people["broker_agent"])

    services = client.get(LIST, {"kind": "services"}).json()
    first = client.get(LIST, {"limit": 1}).json()
    bad = client.get(LIST, {"limit": 0, "kind": "biens"})

    assert [r["contract_id"] for r in services["items"]] == [contracts["services"].pk]
    assert (first["count"], len(first["items"])) == (2, 1)
    assert bad.status_code == 422 and {"limit", "kind"} <= set(fields(bad))


def test_suppliers_may_not_read_the_list_and_anonymous_people_get_401(client, people):
    anonymous = client.get(LIST)
    supplier = as_(client, people["provider_rep"]).get(LIST)

    assert (anonymous.status_code, supplier.status_code) == (401, 403)


def test_a_contact_outside_the_client_is_422_on_contact_id(client, contracts, people):
    response = send(
        as_(client, people["client_finance"]),
        "post",
        f"{LIST}/{contracts['solutions'].pk}/consents",
        {"contact_id": people["supplier_rep"].pk},
    )

    assert response.status_code == 422
    assert fields(response) == {"contact_id": str(messages.CONTACT_NOT_OF_CLIENT)}


def test_the_operations_are_documented_under_unique_schema_names():
    schema = api.get_openapi_schema()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/publication/")]
    names = schema["components"]["schemas"]

    assert len(paths) == 8
    assert {"SeaoSheetOut", "SeaoSheetIn", "ConcludedPageOut", "ConcludedConsentIn"} <= set(names)
