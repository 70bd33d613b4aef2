"""The publication pages through the Django test client (002 §4.1, §4.7): a contract's
publication page with its SEAO sheet and forms, its printable sheet, the sheets to publish, and
the list of concluded contracts with its CSV and XLSX exports, read back (csv, openpyxl)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courtier.contracts.models import Contract
from courtier.publication import listing, messages, rules
from courtier.publication.models import ContactConsent, SeaoSheet
from courtier.publication.services import consents
from tests.factories import make_person
from tests.helpers import page_text, shared_world
from tests.publication import factories
from tests.publication.factories import TODAY

shared, world, orgs, people = shared_world(factories.build)


@pytest.fixture
def contracts(world) -> dict[str, Contract]:
    return world[2]


@pytest.fixture(autouse=True)
def clock():
    with factories.today():
        yield


def signed_in(client, person):
    client.force_login(person)
    return client


@pytest.fixture
def base(client):
    """The publication URLs' prefix, read from the URL configuration."""
    return reverse("publication:concluded_list")


# --- the contract's publication page ------------------------------------------------------------


def test_the_client_sees_the_sheet_with_its_fixed_fields_and_its_forms(client, contracts, people):
    contract = contracts["solutions"]
    response = signed_in(client, people["client_procurement"]).get(
        reverse("publication:contract", args=[contract.pk])
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "Approvisionnement (biens)" in text and rules.CLASSIFICATION["solutions"] in text
    assert rules.LEGAL_DISPOSITION["solutions"] in text
    assert 'name="unspsc_codes" value="43230000"' in text
    assert 'name="unspsc_codes" value="81160000"' not in text
    assert "Marquer publiée dans SEAO" in text


def test_the_client_fills_the_sheet_ticks_the_list_and_marks_it_published(
    client, contracts, people
):
    contract = contracts["services"]
    signed_in(client, people["client_head"])
    action = lambda op: reverse("publication:contract_action", args=[contract.pk, op])  # noqa: E731

    steps = [
        client.post(action("fiche"), {"unspsc_codes": ["81160000"]}),
        client.post(action("liste"), {"checklist": list(rules.CHECKLIST_KEYS)}),
        client.post(action("publier"), {"published_on": "2027-06-01", "notice_number": "A-1"}),
    ]

    assert [r.status_code for r in steps] == [302, 302, 302]
    sheet = SeaoSheet.objects.get(contract=contract)
    assert sheet.is_published and sheet.notice_number == "A-1"
    text = page_text(client.get(reverse("publication:contract", args=[contract.pk])))
    assert "Publié dans SEAO le" in text and "Marquer publiée dans SEAO" not in text


def test_a_code_of_the_other_nature_is_shown_at_the_field(client, contracts, people):
    contract = contracts["solutions"]
    response = signed_in(client, people["client_procurement"]).post(
        reverse("publication:contract_action", args=[contract.pk, "publier"]),
        {"published_on": TODAY.isoformat()},
    )

    assert response.status_code == 422
    assert str(messages.CHECKLIST_INCOMPLETE) in page_text(response)
    assert not SeaoSheet.objects.filter(contract=contract).exists()


def test_the_page_of_a_client_not_subject_to_the_rcti_has_no_sheet(client, contracts, people, orgs):
    contract = factories.not_rcti(contracts["services"], orgs)
    client.force_login(people["broker_agent"])

    page = client.get(reverse("publication:contract", args=[contract.pk]))
    printable = client.get(reverse("publication:sheet_print", args=[contract.pk]))

    assert page.status_code == 200 and 'id="seao"' not in page_text(page)
    assert printable.status_code == 404


def test_the_printable_sheet_shows_what_to_enter_in_seao(client, contracts, people):
    response = signed_in(client, people["broker_auditor"]).get(
        reverse("publication:sheet_print", args=[contracts["services"].pk])
    )

    assert response.status_code == 200
    assert "S4" in page_text(response) and "81160000" in page_text(response)


def test_the_supplier_never_sees_the_publication_page(client, contracts, people):
    response = signed_in(client, people["supplier_rep"]).get(
        reverse("publication:contract", args=[contracts["solutions"].pk])
    )

    assert response.status_code == 404


def test_the_client_gives_and_revokes_its_consent_from_the_page(client, contracts, people):
    contract = contracts["solutions"]
    signed_in(client, people["client_procurement"])
    action = lambda op: reverse("publication:contract_action", args=[contract.pk, op])  # noqa: E731

    given = client.post(action("consentir"), {"contact": people["client_head"].pk})
    page = page_text(client.get(reverse("publication:contract", args=[contract.pk])))
    revoked = client.post(action("revoquer"))

    assert (given.status_code, revoked.status_code) == (302, 302)
    assert people["client_head"].email in page
    assert ContactConsent.objects.get(contract=contract).revoked_at is not None


def test_the_sheets_to_publish_are_listed_for_the_client(client, contracts, people):
    ok = signed_in(client, people["client_finance"]).get(reverse("publication:sheets_to_publish"))
    client.force_login(people["provider_rep"])
    refused = client.get(reverse("publication:sheets_to_publish"))

    assert ok.status_code == 200 and contracts["solutions"].reference in page_text(ok)
    assert refused.status_code == 403


# --- the list of concluded contracts (002 §4.7) -------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in_and_suppliers_are_refused(client, base, people):
    anonymous = client.get(base)
    suppliers = [
        signed_in(client, people[who]).get(base).status_code
        for who in ("supplier_rep", "provider_rep")
    ]
    exports = [client.get(f"{base}export.{fmt}").status_code for fmt in listing.FORMATS]

    assert anonymous.status_code == 302 and "connexion" in anonymous["Location"]
    assert suppliers == [403, 403] and exports == [403, 403]


def test_another_clients_people_read_the_list_without_the_amount(client, base, contracts, orgs):
    Contract.objects.filter(pk=contracts["services"].pk).update(authorised_cents=123_456_78)
    other = make_person(orgs["client_other"], "client_procurement", "lectrice")

    text = page_text(signed_in(client, other).get(base))

    assert orgs["client"].name in text and "100 000 $ à 500 000 $" in text
    assert "123 456" not in text and "123456" not in text


def test_the_list_names_the_contact_only_with_the_consent(client, base, contracts, people):
    contract, head = contracts["solutions"], people["client_head"]
    signed_in(client, people["broker_agent"])

    before = page_text(client.get(base))
    consents.contact_consent_give(
        by=people["client_procurement"], contract=contract, contact_id=head.pk
    )
    during = page_text(client.get(base))
    consents.contact_consent_revoke(by=people["client_procurement"], contract=contract)
    after = page_text(client.get(base))

    assert head.email not in before and head.email in during and head.email not in after


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_reads_back_with_the_same_columns(client, base, contracts, people, orgs):
    consents.contact_consent_give(
        by=people["client_procurement"],
        contract=contracts["solutions"],
        contact_id=people["client_head"].pk,
    )

    response = signed_in(client, people["client_signatory"]).get(f"{base}export.csv")

    assert response.status_code == 200 and response["Content-Type"] == listing.CSV_CONTENT_TYPE
    assert 'filename="contrats-conclus-2027-07-05.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(response.content)
    assert header == [str(c.header) for c in listing.COLUMNS]
    by_supplier = {row[1]: row for row in rows}
    solutions = by_supplier[contracts["solutions"].supplier.name]
    assert solutions[0] == orgs["client"].name
    assert solutions[5] == contracts["solutions"].start_on.isoformat()
    assert solutions[6] == str(contracts["solutions"].duration_months)
    assert solutions[8] == people["client_head"].email
    assert by_supplier[contracts["services"].supplier.name][7:] == ["", ""]


def test_the_xlsx_export_opens_with_openpyxl(client, base, contracts, people):
    response = signed_in(client, people["broker_auditor"]).get(f"{base}export.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[str(listing.SHEET)]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == [str(c.header) for c in listing.COLUMNS]
    assert sorted(row[1] for row in rows) == sorted(c.supplier.name for c in contracts.values())
    assert all(row[7] in (None, "") for row in rows)


def test_the_filters_apply_to_the_list_and_its_exports(client, base, contracts, people):
    signed_in(client, people["client_procurement"])

    page = page_text(client.get(base, {"nature": "services"}))
    exported = csv_rows(client.get(f"{base}export.csv", {"nature": "services"}).content)

    assert contracts["services"].supplier.name in page
    assert [row[1] for row in exported[1:]] == [contracts["services"].supplier.name]


def test_an_unknown_export_format_is_404(client, base, people):
    assert signed_in(client, people["broker_agent"]).get(f"{base}export.pdf").status_code == 404


# --- the link from the contract page ----------------------------------------------------------


def test_the_contract_page_links_to_its_seao_sheet_for_the_client_and_the_broker(
    client, contracts, people
):
    from courtier.core import related

    contract = contracts["solutions"]
    url = reverse("publication:contract", args=[contract.pk])
    links = {
        who: [link for link in related.links_for(contract, people[who]) if link.url == url]
        for who in ("client_procurement", "broker_auditor", "supplier_rep")
    }
    page = page_text(
        signed_in(client, people["client_signatory"]).get(
            reverse("contracts:detail", args=[contract.pk])
        )
    )

    assert [link.detail for link in links["client_procurement"]] == ["À publier dans SEAO"]
    assert [link.label for link in links["broker_auditor"]] == ["Fiche de publication SEAO"]
    assert links["supplier_rep"] == []
    assert url in page and "Fiche de publication SEAO" in page
