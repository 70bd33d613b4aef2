"""Exports of the summary tables (tableau synthèse) of offers and of providers per qualification,
read back from the CSV and the XLSX (issue 3, point 5)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from courtier.catalogue import exports
from courtier.catalogue.selectors import OfferFilters, offer_summary, provider_table
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from tests.catalogue.factories import content, data_centre, line, offer, publish
from tests.factories import make_organisation

TZ = ZoneInfo("America/Toronto")
DEC_1 = date(2025, 12, 1)
TODAY = datetime(2025, 12, 10, 10, tzinfo=TZ)

OFFER_HEADERS = [
    "Fournisseur",
    "Offre",
    "Code de l'offre",
    "Volet",
    "Statut",
    "Centres de données",
    "Hébergement autorisé pour les renseignements personnels",
    "Hébergement au Canada seulement",
    "Hébergement au Québec seulement",
    "Langues du matériel de formation",
    "Prix à partir de",
    "Unité du prix",
    "Version de la fiche",
    "Mise à jour le",
]
PROVIDER_HEADERS = [
    "Qualification",
    "Description des services",
    "Prestataire",
    "Entente-cadre",
    "Qualifié le",
    "Personne-ressource",
    "Courriel",
    "Téléphone",
]


@pytest.fixture
def catalogue(orgs):
    with time_machine.travel(datetime(2025, 12, 1, 9, tzinfo=TZ)):
        publish(
            orgs["supplier"],
            content(
                offer(
                    "THEATRE",
                    "Théâtre numérique",
                    "visioconference",
                    training_languages=["fr", "en"],
                    data_centres=["MTL", "TOR"],
                ),
                offer("EVIL", '=HYPERLINK("http://x";"clic")', "courriel", data_centres=["VA"]),
                offer("OLD", "Ancienne offre", "courriel", status="under_analysis"),
                data_centres=[
                    data_centre("MTL", "Montréal", "QC", "CA"),
                    data_centre("TOR", "Toronto", "ON", "CA", role="recovery"),
                    data_centre("VA", "@Ashburn", "VA", "US"),
                ],
            ),
            prices={
                # The base inclusion gives the "price from", even if an add-on is cheaper.
                ("THEATRE", DEC_1): [
                    line("BASE", 1250),
                    line("BASE", 1100, tier_min_quantity=500),
                    line("STOCK", 30, unit="gb_month"),
                ],
                ("EVIL", DEC_1): [line("STOCK", 40, unit="gb_month")],
            },
        )
    with time_machine.travel(datetime(2025, 12, 2, 9, tzinfo=TZ)):
        # OLD leaves the sheet: withdrawn, so not in the summary table.
        publish(
            orgs["supplier"],
            content(
                offer(
                    "THEATRE",
                    "Théâtre numérique",
                    "visioconference",
                    training_languages=["fr", "en"],
                    data_centres=["MTL", "TOR"],
                ),
                offer("EVIL", '=HYPERLINK("http://x";"clic")', "courriel", data_centres=["VA"]),
                data_centres=[
                    data_centre("MTL", "Montréal", "QC", "CA"),
                    data_centre("TOR", "Toronto", "ON", "CA", role="recovery"),
                    data_centre("VA", "@Ashburn", "VA", "US"),
                ],
            ),
        )
        publish(
            orgs["supplier_other"],
            content(offer("SONDAGE", "Sondage express", "sondage", status="under_analysis")),
        )
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def providers(orgs):
    design = qualification_create(
        by=None, code="architecture", name="Architecture", scope_description="Conception de TI."
    )
    qualification_create(
        by=None, code="vide", name="Zéro prestataire", scope_description="-Aucun pour l'instant."
    )
    for key, contact, phone in (
        ("provider", "Léa Gagnon", "+1 418 555-0100"),
        ("provider_other", "Marc Roy", ""),
    ):
        agreement = framework_agreement_save(
            by=None,
            organisation=orgs[key],
            number=f"EC-{key}",
            title="Services professionnels",
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
        )
        provider_qualify(
            by=None,
            qualification=design,
            provider=orgs[key],
            agreement=agreement,
            qualified_on=date(2025, 3, 3),
            contact_name=contact,
            contact_email=f"{key}@prestataire.example",
            contact_phone=phone,
        )
    return design


def body(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- offers --------------------------------------------------------------------------------------


def test_the_offer_summary_has_current_offers_with_their_price_from(catalogue, people):
    offers = offer_summary(people["client_procurement"], OfferFilters())
    rows = {o.code: (o.price_from_cents, o.price_from_unit) for o in offers}
    assert rows == {
        "THEATRE": (1100, "user_month"),
        "EVIL": (40, "gb_month"),
        "SONDAGE": (None, None),
    }


def test_the_offer_summary_gives_the_price_in_the_chosen_unit(catalogue, people):
    # A unit keeps the offers priced in it (SONDAGE has no price).
    offers = offer_summary(people["client_procurement"], OfferFilters(unit="gb_month"))
    assert {o.code: o.price_from_cents for o in offers} == {"THEATRE": 30, "EVIL": 40}


def test_it_exports_the_offers_as_csv_for_excel(catalogue, people):
    response = exports.offers_export(people["client_procurement"], OfferFilters(), "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="tableau-synthese-offres-2025-12-10.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == OFFER_HEADERS
    assert len(rows) == 4
    theatre = dict(zip(OFFER_HEADERS, next(r for r in rows if r[2] == "THEATRE"), strict=True))
    assert theatre == {
        "Fournisseur": "Fournisseur D",
        "Offre": "Théâtre numérique",
        "Code de l'offre": "THEATRE",
        "Volet": "Visioconférence par le biais de postes de travail",
        "Statut": "Qualifiée",
        "Centres de données": "Montréal (QC, CA) – principal; Toronto (ON, CA) – relève",
        "Hébergement autorisé pour les renseignements personnels": "Oui",
        "Hébergement au Canada seulement": "Oui",
        "Hébergement au Québec seulement": "Non",
        "Langues du matériel de formation": "Français, Anglais",
        "Prix à partir de": "11,00",
        "Unité du prix": "par utilisateur par mois",
        "Version de la fiche": "Fiche Fournisseur D – 2025-12-02",
        "Mise à jour le": "2025-12-02",
    }
    sondage = next(r for r in rows if r[2] == "SONDAGE")
    assert sondage[4] == "En analyse"
    assert sondage[10] == ""


def test_it_neutralises_formulas_in_the_csv(catalogue, people):
    rows = read_csv(exports.offers_export(people["broker_agent"], OfferFilters(), "csv"))
    evil = next(r for r in rows if r[2] == "EVIL")
    assert evil[1] == '\'=HYPERLINK("http://x";"clic")'
    assert evil[5] == "'@Ashburn (VA, US) – principal"
    assert evil[10] == "0,40"


def test_it_exports_the_offers_as_xlsx(catalogue, people):
    response = exports.offers_export(people["client_procurement"], OfferFilters(), "xlsx")
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "tableau-synthese-offres-2025-12-10.xlsx" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0] == OFFER_HEADERS
    assert len(rows) == 4
    theatre = next(r for r in rows if r[2] == "THEATRE")
    assert theatre[1] == "Théâtre numérique"
    assert theatre[10] == 11  # a number, with a money format
    assert theatre[13] == datetime(2025, 12, 2)
    evil = next(r for r in rows if r[2] == "EVIL")
    assert evil[1] == '\'=HYPERLINK("http://x";"clic")'
    assert evil[10] == Decimal("0.4") or evil[10] == 0.4


def test_the_xlsx_holds_no_formula(catalogue, people):
    response = exports.offers_export(people["client_procurement"], OfferFilters(), "xlsx")
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_it_exports_only_what_the_filters_keep(catalogue, people):
    filters = OfferFilters(q="theatre")
    rows = read_csv(exports.offers_export(people["client_procurement"], filters, "csv"))
    assert [r[2] for r in rows[1:]] == ["THEATRE"]


def test_a_supplier_exports_only_its_own_offers(catalogue, people):
    rows = read_csv(exports.offers_export(people["supplier_rep"], OfferFilters(), "csv"))
    assert sorted(r[2] for r in rows[1:]) == ["EVIL", "THEATRE"]


def test_an_anonymous_person_exports_headers_only(catalogue):
    assert read_csv(exports.offers_export(AnonymousUser(), OfferFilters(), "csv")) == [
        OFFER_HEADERS
    ]
    assert read_xlsx(exports.offers_export(AnonymousUser(), OfferFilters(), "xlsx")) == [
        OFFER_HEADERS
    ]


def test_it_refuses_an_unknown_format(catalogue, people):
    with pytest.raises(Http404):
        exports.offers_export(people["client_procurement"], OfferFilters(), "pdf")
    with pytest.raises(Http404):
        exports.providers_export(people["client_procurement"], "json")


# --- providers -----------------------------------------------------------------------------------


def test_the_provider_table_groups_providers_by_qualification(providers, people):
    table = provider_table(people["client_procurement"])
    assert [(q.name, [pq.provider.name for pq in rows]) for q, rows in table] == [
        ("Architecture", ["Prestataire F", "Prestataire G"]),
        ("Zéro prestataire", []),
    ]


def test_a_provider_sees_only_its_own_qualifications(providers, people):
    table = provider_table(people["provider_rep"])
    assert [(q.name, [pq.provider.name for pq in rows]) for q, rows in table] == [
        ("Architecture", ["Prestataire F"])
    ]


def test_an_anonymous_person_sees_no_provider(providers):
    assert provider_table(AnonymousUser()) == []


def test_it_exports_the_providers_as_csv(providers, people):
    response = exports.providers_export(people["client_procurement"], "csv")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="tableau-synthese-prestataires-{timezone.localdate()}.csv"'
    )
    rows = read_csv(response)
    assert rows == [
        PROVIDER_HEADERS,
        [
            "Architecture",
            "Conception de TI.",
            "Prestataire F",
            "EC-provider",
            "2025-03-03",
            "Léa Gagnon",
            "provider@prestataire.example",
            "'+1 418 555-0100",
        ],
        [
            "Architecture",
            "Conception de TI.",
            "Prestataire G",
            "EC-provider_other",
            "2025-03-03",
            "Marc Roy",
            "provider_other@prestataire.example",
            "",
        ],
        ["Zéro prestataire", "'-Aucun pour l'instant.", "", "", "", "", "", ""],
    ]


def test_it_exports_the_providers_as_xlsx(providers, people):
    rows = read_xlsx(exports.providers_export(people["client_procurement"], "xlsx"))
    assert rows[0] == PROVIDER_HEADERS
    assert rows[1][:5] == [
        "Architecture",
        "Conception de TI.",
        "Prestataire F",
        "EC-provider",
        datetime(2025, 3, 3),
    ]
    assert rows[1][7] == "'+1 418 555-0100"
    assert rows[3][:2] == ["Zéro prestataire", "'-Aucun pour l'instant."]
    assert not any(rows[3][2:])


def test_it_exports_text_with_control_characters_to_xlsx(providers, orgs, people):
    qualification_create(by=None, code="bizarre", name="Nom\x07 étrange\x1b", scope_description="x")
    rows = read_xlsx(exports.providers_export(people["client_procurement"], "xlsx"))
    assert ["Nom étrange", "x"] in [r[:2] for r in rows]


def test_it_keeps_a_large_export_streaming(orgs, people):
    other = make_organisation("supplier", name="Fournisseur volumineux")
    sheet = content(*(offer(f"O{i}", f"Offre {i}", "courriel") for i in range(60)))
    with time_machine.travel(datetime(2025, 12, 1, 9, tzinfo=TZ)):
        publish(other, sheet)
    response = exports.offers_export(people["broker_agent"], OfferFilters(), "csv")
    chunks = list(response.streaming_content)
    assert len(chunks) == 61  # one chunk per line: nothing is gathered in memory first
