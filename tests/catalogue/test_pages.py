"""The Catalogue's pages for people (issue 3, points 1, 3, 5, 6, 7, 8): search with filters and
the summary table, the offer page, the supplier sheet and its versions with their side-by-side
change history, the provider table and the broker's forms, subscriptions, supporting documents
and permission-checked downloads. Through the Django test client, on a frozen clock."""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from courtier.audit.models import AuditEvent
from courtier.catalogue.messages import (
    AGREEMENT_DATES,
    PRICE_NEEDS_UNIT,
    PRICE_RANGE_ORDER,
    SUBSCRIPTION_EXISTS,
)
from courtier.catalogue.models import (
    Category,
    FrameworkAgreement,
    Offer,
    ProviderQualification,
    Qualification,
    Subscription,
    SupportingDocumentVersion,
)
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import sheet_draft_create, sheet_draft_publish
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.catalogue.services.subscriptions import subscription_create
from courtier.files.inspection import TYPE_NOT_ALLOWED
from courtier.files.services import stored_file_save
from tests.catalogue.factories import content, data_centre, line, offer, publish
from tests.factories import make_person, pdf_bytes
from tests.files import samples
from tests.helpers import page_text

TZ = ZoneInfo("America/Toronto")
NOVEMBER = datetime(2026, 11, 2, 10, tzinfo=TZ)  # first business day of November 2026
DECEMBER = datetime(2026, 12, 1, 10, tzinfo=TZ)  # first business day of December 2026
JANUARY_FIRST_BUSINESS_DAY = date(2027, 1, 4)  # Jan 1 is a holiday, then a weekend
PDF = pdf_bytes("annexe modificative")


@pytest.fixture
def clock():
    with time_machine.travel(NOVEMBER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def annex(clock):
    return stored_file_save(
        by=None, name="annexe-modificative.pdf", content=PDF, content_type="application/pdf"
    )


@pytest.fixture
def catalogue(orgs, clock, annex):
    """Fournisseur D: two offers (one hosted in Quebec and Ontario, one in the US), prices in
    force from November, its annexe modificative; Fournisseur E: one offer."""
    documents = [
        {
            "code": "ANNEXE",
            "kind": "amending_annex",
            "title": "Annexe modificative 2026",
            "file_sha256": annex.sha256,
            "file_name": "annexe-modificative.pdf",
        }
    ]
    version = publish(
        orgs["supplier"],
        content(
            offer(
                "MAIL",
                "Courriel du théâtre",
                data_centres=["MTL", "TOR"],
                training_languages=["fr", "en"],
            ),
            offer("SONDE", "Sondages en ligne", category="sondage", data_centres=["VA"]),
            configurator_url="https://config.fournisseur-d.example/",
            documents=documents,
        ),
        prices={
            ("MAIL", date(2026, 11, 2)): [
                line("BASE", 450, max_yearly_increase_bp=350),
                line("STOCK", 120, unit="gb_month"),
            ]
        },
    )
    other = publish(
        orgs["supplier_other"],
        content(
            offer("CLAV", "Messagerie instantanée E", category="messagerie-instantanee"),
            data_centres=[data_centre("MTL", "Montréal", "QC", "CA")],
        ),
    )
    return {"version": version, "other": other}


def offer_named(code: str, supplier) -> Offer:
    return Offer.objects.get(code=code, supplier=supplier)


# --- search ---------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_the_login_page(client, db):
    response = client.get("/catalogue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_suppliers_do_not_search_the_catalogue(client, people, catalogue):
    client.force_login(people["supplier_rep"])
    assert client.get("/catalogue/").status_code == 403
    assert client.get("/catalogue/export/offres/?format=csv").status_code == 403


def test_the_home_page_lists_the_offers_in_the_summary_table(client, people, catalogue):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/")
    text = page_text(response)
    assert response.status_code == 200
    assert "Tableau synthèse des offres" in text
    assert "3 offres trouvées" in text
    for name in ("Courriel du théâtre", "Sondages en ligne", "Messagerie instantanée E"):
        assert name in text
    assert 'hx-get="/catalogue/"' in text  # htmx refreshes the results, GET works without it


def test_search_ignores_accents_and_case(client, people, catalogue):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/", {"q": "THEATRE"}))
    assert "1 offre trouvée" in text
    assert "Courriel du théâtre" in text
    assert "Sondages en ligne" not in text


@pytest.mark.parametrize(
    ("params", "found", "absent"),
    [
        ({"category": "sondage"}, ["Sondages en ligne"], ["Courriel du théâtre"]),
        ({"hosting": "canada"}, ["Courriel du théâtre"], ["Sondages en ligne"]),
        ({"hosting": "quebec"}, ["Messagerie instantanée E"], ["Courriel du théâtre"]),
        ({"country": "US"}, ["Sondages en ligne"], ["Messagerie instantanée E"]),
        ({"country": "CA", "province": "ON"}, ["Courriel du théâtre"], ["Sondages en ligne"]),
        ({"personal_information": "on"}, ["Courriel du théâtre"], ["Sondages en ligne"]),
        ({"training_language": "en"}, ["Courriel du théâtre"], ["Sondages en ligne"]),
        (
            {"unit": "user_month", "price_min": "4,00", "price_max": "5"},
            ["Courriel du théâtre"],
            ["Sondages en ligne"],
        ),
        ({"unit": "user_month", "price_max": "4,49"}, [], ["Courriel du théâtre"]),
    ],
)
def test_each_filter_narrows_the_results(client, people, catalogue, params, found, absent):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/", params)
    text = page_text(response)
    assert response.status_code == 200
    assert "form-errors" not in text
    for name in found:
        assert name in text
    for name in absent:
        assert name not in text


def test_the_supplier_filter_and_sorting_work(client, people, orgs, catalogue):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/", {"supplier": orgs["supplier_other"].pk}))
    assert "Messagerie instantanée E" in text
    assert "Courriel du théâtre" not in text
    text = page_text(client.get("/catalogue/", {"sort": "-name"}))
    assert text.index("Sondages en ligne") < text.index("Courriel du théâtre")


def test_an_htmx_request_gets_only_the_results(client, people, catalogue):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/", {"category": "sondage"}, HTTP_HX_REQUEST="true")
    text = page_text(response)
    assert response.status_code == 200
    assert "<html" not in text
    assert "Sondages en ligne" in text
    assert "Courriel du théâtre" not in text


def vary(response) -> set[str]:
    return {h.strip().lower() for h in response.get("Vary", "").split(",")}


def test_the_search_page_and_its_results_never_share_a_cache_entry(client, people, catalogue):
    """Issue 10 point 4: the same address answers the page or only its results, depending on
    HX-Request; ``Vary: HX-Request`` keeps a browser's Back from showing the bare results."""
    client.force_login(people["client_procurement"])
    full = client.get("/catalogue/", {"category": "sondage"})
    partial = client.get("/catalogue/", {"category": "sondage"}, HTTP_HX_REQUEST="true")
    assert "<html" in page_text(full) and "<html" not in page_text(partial)
    assert "hx-request" in vary(full)
    assert "hx-request" in vary(partial)


def test_an_htmx_history_restore_gets_the_whole_page(client, people, catalogue):
    client.force_login(people["client_procurement"])
    response = client.get(
        "/catalogue/",
        {"category": "sondage"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in page_text(response)
    assert "hx-request" in vary(response)


def test_bad_filter_values_are_reported_in_french_and_the_others_still_apply(
    client, people, catalogue
):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/", {"price_min": "abc", "category": "sondage"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in text
    assert "Prix unitaire minimum ($) : Saisissez un nombre." in text
    assert "Sondages en ligne" in text
    assert "Courriel du théâtre" not in text
    response = client.get("/catalogue/", {"supplier": "abc", "status": "nimporte", "page": "x"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)


def test_a_price_range_needs_a_unit_and_a_minimum_below_the_maximum(client, people, catalogue):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/", {"price_min": "3"}))
    assert str(PRICE_NEEDS_UNIT) in text
    text = page_text(
        client.get("/catalogue/", {"unit": "user_month", "price_min": "9", "price_max": "2"})
    )
    assert str(PRICE_RANGE_ORDER) in text


def test_the_summary_table_shows_the_price_from_and_sorts_by_price(client, people, catalogue):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/"))
    assert "Prix à partir de" in text
    assert "4,50 $" in text
    response = client.get("/catalogue/", {"sort": "-price", "unit": "gb_month"})
    assert response.status_code == 200
    text = page_text(response)
    assert '<option value="-price" selected>' in text
    assert "Courriel du théâtre" in text and "1,20 $" in text


def test_withdrawn_offers_are_found_by_their_status(client, people, orgs, catalogue, clock):
    clock.move_to(DECEMBER)
    sheet = copy.deepcopy(catalogue["version"].content)
    sheet["offers"] = [o for o in sheet["offers"] if o["code"] != "SONDE"]
    publish(orgs["supplier"], sheet)
    client.force_login(people["client_procurement"])
    assert "Sondages en ligne" not in page_text(client.get("/catalogue/"))
    text = page_text(client.get("/catalogue/", {"status": "withdrawn"}))
    assert "Sondages en ligne" in text and "Retirée" in text
    sonde = offer_named("SONDE", orgs["supplier"])
    text = page_text(client.get(f"/catalogue/offres/{sonde.pk}/"))
    assert "Cette offre a été retirée du Catalogue" in text


def test_results_are_paginated_by_25(client, people, orgs, clock):
    sheet = content(*(offer(f"O{n:02d}", f"Offre numéro {n:02d}") for n in range(30)))
    publish(orgs["supplier"], sheet)
    client.force_login(people["client_procurement"])
    first = page_text(client.get("/catalogue/"))
    assert "30 offres trouvées" in first
    assert "Offre numéro 24" in first and "Offre numéro 25" not in first
    assert "Page 1 sur 2" in first
    second = page_text(client.get("/catalogue/", {"page": 2}))
    assert "Offre numéro 25" in second and "Offre numéro 24" not in second


def test_the_export_links_carry_the_filters(client, people, catalogue):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/", {"category": "sondage", "page": "1"}))
    assert "/catalogue/export/offres/?category=sondage&format=csv" in text
    assert "/catalogue/export/offres/?category=sondage&format=xlsx" in text


def test_the_offers_export_applies_the_filters(client, people, catalogue):
    client.force_login(people["client_procurement"])
    response = client.get("/catalogue/export/offres/", {"category": "sondage", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Sondages en ligne" in body
    assert "Courriel du théâtre" not in body
    response = client.get("/catalogue/export/offres/", {"format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert client.get("/catalogue/export/offres/", {"format": "pdf"}).status_code == 404


# --- offer, sheet and versions --------------------------------------------------------------


def test_the_offer_page_shows_components_hosting_and_prices(client, people, orgs, catalogue):
    client.force_login(people["client_procurement"])
    mail = offer_named("MAIL", orgs["supplier"])
    text = page_text(client.get(f"/catalogue/offres/{mail.pk}/"))
    assert "Courriel du théâtre" in text
    assert "Fournisseur D" in text
    for heading in (
        "Inclusion au prix de base",
        "Composante additionnelle",
        "Activité de transition à l'entrée",
    ):
        assert heading in text
    assert "Migration des boîtes" in text
    assert "30 unités pendant 60 jours, sans frais." in text
    assert "Français, Anglais" in text
    assert "Montréal" in text and "Toronto" in text and "Relève" in text
    assert "Autorisé depuis le 2 avril 2024" in text
    assert "Prix en vigueur aujourd'hui (depuis le 2 novembre 2026)" in text
    assert "4,50 $" in text and "1,20 $" in text and "3,50 %" in text
    assert "par Go par mois" in text
    assert catalogue["version"].name in text


def test_scheduled_prices_appear_on_the_offer_page(client, people, orgs, catalogue):
    services_draft = sheet_draft_create(by=None, supplier=orgs["supplier"])
    sheet_draft_set_prices(
        by=None,
        draft=services_draft,
        offer_code="MAIL",
        effective_from=JANUARY_FIRST_BUSINESS_DAY,
        lines=[line("BASE", 475)],
    )
    sheet_draft_publish(by=None, draft=services_draft)
    client.force_login(people["client_procurement"])
    text = page_text(client.get(f"/catalogue/offres/{offer_named('MAIL', orgs['supplier']).pk}/"))
    assert "Prix prévus à compter du 4 janvier 2027" in text
    assert "4,75 $" in text
    assert "4,50 $" in text  # still in force today


def test_a_supplier_sees_its_own_offers_and_sheet_but_not_another_suppliers(
    client, people, orgs, catalogue
):
    client.force_login(people["supplier_rep"])
    own = offer_named("MAIL", orgs["supplier"])
    other = offer_named("CLAV", orgs["supplier_other"])
    assert client.get(f"/catalogue/offres/{own.pk}/").status_code == 200
    assert client.get(f"/catalogue/offres/{other.pk}/").status_code == 404
    assert client.get(f"/catalogue/fournisseurs/{orgs['supplier'].pk}/").status_code == 200
    assert client.get(f"/catalogue/fournisseurs/{orgs['supplier_other'].pk}/").status_code == 404
    assert client.get(f"/catalogue/fiches/{catalogue['other'].pk}/").status_code == 404


def test_the_sheet_shows_the_latest_version_and_every_part(client, people, orgs, catalogue):
    framework_agreement_save(
        by=None,
        organisation=orgs["supplier"],
        number="EC-2026-001",
        title="Solutions de collaboration",
        starts_on=date(2026, 1, 1),
        ends_on=date(2029, 12, 31),
    )
    client.force_login(people["client_procurement"])
    text = page_text(client.get(f"/catalogue/fournisseurs/{orgs['supplier'].pk}/"))
    assert "Fiche Fournisseur D – 2026-11-02" in text
    assert "Version 1, publiée le 2 novembre 2026." in text
    assert "EC-2026-001" in text
    assert "https://config.fournisseur-d.example/" in text
    assert "Courriel du théâtre" in text and "Sondages en ligne" in text
    assert "Chiffrement au repos" in text and "AES-256" in text
    assert "Annexe modificative 2026" in text
    assert f"/catalogue/fichiers/{hashlib.sha256(PDF).hexdigest()}/" in text
    assert "Julie Tremblay" in text
    assert "Versions de la fiche" in text
    assert "Proposer une modification" not in text  # clients do not propose


def test_a_sheet_without_any_version_is_hidden_from_clients(client, people, orgs, db):
    client.force_login(people["client_procurement"])
    assert client.get(f"/catalogue/fournisseurs/{orgs['supplier'].pk}/").status_code == 404
    assert client.get(f"/catalogue/fournisseurs/{orgs['client'].pk}/").status_code == 404
    client.force_login(people["supplier_rep"])
    text = page_text(client.get(f"/catalogue/fournisseurs/{orgs['supplier'].pk}/"))
    assert "Ce fournisseur n'a encore aucune fiche publiée au Catalogue." in text
    assert "Commencer une proposition" in text


def test_the_version_page_shows_the_change_history_side_by_side(
    client, people, orgs, catalogue, clock
):
    clock.move_to(DECEMBER)
    changed = content(
        offer(
            "MAIL",
            "Courriel du théâtre Plus",
            data_centres=["MTL", "TOR"],
            training_languages=["fr", "en"],
        ),
        offer("AGENDA", "Agenda partagé", category="plateforme-collaborative"),
        configurator_url="https://config.fournisseur-d.example/",
        documents=catalogue["version"].content["documents"],
    )
    version = publish(
        orgs["supplier"],
        changed,
        prices={
            ("MAIL", date(2026, 12, 1)): [line("BASE", 475), line("STOCK", 120, unit="gb_month")]
        },
    )
    client.force_login(people["client_head"])
    response = client.get(f"/catalogue/fiches/{version.pk}/")
    text = page_text(response)
    assert response.status_code == 200
    assert "Fiche Fournisseur D – 2026-12-01" in text
    assert "Historique des modifications" in text
    assert "Avant" in text and "Après" in text
    assert "<del>Courriel du théâtre</del>" in text
    assert "<ins>Courriel du théâtre Plus</ins>" in text
    assert "Agenda partagé" in text and "Ajout" in text
    assert "Sondages en ligne" in text and "Retrait" in text
    assert "<del>4,50 $</del>" in text and "<ins>4,75 $</ins>" in text
    assert "Prix, ligne par ligne" in text
    assert "Fiche Fournisseur D – 2026-11-02" in text  # link to the previous version


# --- providers, qualifications, agreements ---------------------------------------------------


@pytest.fixture
def qualified(orgs, clock):
    agreement = framework_agreement_save(
        by=None,
        organisation=orgs["provider"],
        number="EC-PS-001",
        title="Services professionnels",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    qualification = qualification_create(
        by=None,
        code="architecture",
        name="Architecture infonuagique",
        scope_description="Conception d'architectures de solutions infonuagiques.",
    )
    provider_qualify(
        by=None,
        qualification=qualification,
        provider=orgs["provider"],
        agreement=agreement,
        qualified_on=date(2026, 2, 1),
        contact_name="Marc Gagnon",
        contact_email="marc@prestataire.example",
    )
    return qualification


def test_the_provider_table_shows_each_qualification_with_its_providers(client, people, qualified):
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/prestataires/"))
    assert "Architecture infonuagique" in text
    assert "Conception d'architectures de solutions infonuagiques." in text
    assert "Prestataire F" in text and "Marc Gagnon" in text and "marc@prestataire.example" in text
    assert "EC-PS-001" in text
    assert "Nouvelle qualification" not in text  # only the broker manages them
    response = client.get("/catalogue/export/prestataires/", {"format": "csv"})
    assert response.status_code == 200
    assert "Marc Gagnon" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_broker_creates_a_qualification_and_qualifies_a_provider(client, people, orgs, clock):
    client.force_login(people["broker_agent"])
    response = client.post(
        "/catalogue/qualifications/nouvelle/",
        {"code": "securite", "name": "Sécurité", "scope_description": "Tests d'intrusion."},
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get(code="securite")
    assert AuditEvent.objects.filter(action="qualification.created").count() == 1
    response = client.post(
        "/catalogue/ententes/nouvelle/",
        {
            "organisation": orgs["provider"].pk,
            "number": "EC-PS-002",
            "title": "Sécurité",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "status": "in_force",
        },
    )
    assert response.status_code == 302
    agreement = FrameworkAgreement.objects.get(number="EC-PS-002")
    response = client.post(
        "/catalogue/prestataires/qualifier/",
        {
            "qualification": qualification.pk,
            "provider": orgs["provider"].pk,
            "agreement": agreement.pk,
            "qualified_on": "2026-03-01",
            "contact_name": "Lise Roy",
            "contact_email": "lise@prestataire.example",
        },
    )
    assert response.status_code == 302
    row = ProviderQualification.objects.get(qualification=qualification)
    assert row.contact_name == "Lise Roy"
    assert AuditEvent.objects.filter(action="provider.qualified", object_id=str(row.pk)).exists()


def test_a_bad_agreement_is_refused_in_french_and_nothing_is_written(client, people, orgs, clock):
    client.force_login(people["broker_admin"])
    response = client.post(
        "/catalogue/ententes/nouvelle/",
        {
            "organisation": orgs["client"].pk,
            "number": "EC-X",
            "title": "Mauvaise",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "status": "in_force",
        },
    )
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in page_text(response)
    response = client.post(
        "/catalogue/ententes/nouvelle/",
        {
            "organisation": orgs["supplier"].pk,
            "number": "EC-X",
            "title": "Mauvaise",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "status": "in_force",
        },
    )
    assert response.status_code == 422
    assert str(AGREEMENT_DATES) in page_text(response)
    assert not FrameworkAgreement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="framework_agreement").exists()


def test_only_the_broker_manages_qualifications(client, people, qualified):
    client.force_login(people["client_procurement"])
    assert client.get("/catalogue/qualifications/nouvelle/").status_code == 403
    client.force_login(people["broker_auditor"])
    assert client.post("/catalogue/prestataires/qualifier/", {}).status_code == 403


# --- subscriptions ----------------------------------------------------------------------------


def test_a_client_subscribes_to_a_category_and_unsubscribes(client, people, orgs, catalogue):
    person = people["client_procurement"]
    client.force_login(person)
    response = client.post(
        "/catalogue/abonnements/",
        {"scope": "category", "category": Category.objects.get(code="courriel").pk},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=person)
    assert subscription.category.code == "courriel"
    assert AuditEvent.objects.filter(action="subscription.created", actor=person).exists()
    text = page_text(client.get("/catalogue/abonnements/"))
    assert "Volet : Courriel" in text
    response = client.post(
        "/catalogue/abonnements/",
        {"scope": "category", "category": Category.objects.get(code="courriel").pk},
    )
    assert response.status_code == 422
    assert str(SUBSCRIPTION_EXISTS) in page_text(response)
    response = client.post(f"/catalogue/abonnements/{subscription.pk}/retirer/")
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert AuditEvent.objects.filter(action="subscription.deleted").exists()


def test_a_subscription_scope_needs_its_category_or_supplier(client, people, catalogue):
    client.force_login(people["client_head"])
    response = client.post("/catalogue/abonnements/", {"scope": "supplier"})
    assert response.status_code == 422
    assert "Choisissez le fournisseur." in page_text(response)
    assert not Subscription.objects.exists()


def test_nobody_removes_someone_elses_subscription(client, people, orgs, catalogue):
    mine = subscription_create(by=people["client_head"], supplier=orgs["supplier"])
    client.force_login(people["client_procurement"])
    assert client.post(f"/catalogue/abonnements/{mine.pk}/retirer/").status_code == 404
    assert Subscription.objects.filter(pk=mine.pk).exists()


# --- supporting documents and downloads -----------------------------------------------------


def test_the_broker_publishes_versions_of_a_supporting_document(client, people, clock):
    client.force_login(people["broker_agent"])
    bodies = {number: samples.ooxml("docx", f"Gabarit v{number}") for number in (1, 2)}
    for number, body in bodies.items():
        response = client.post(
            "/catalogue/documents/",
            {
                "kind": "contract_template",
                "title": "Gabarit de contrat spécifique",
                "description": "",
                "notes": f"Notes de la version {number}",
                "file": SimpleUploadedFile("gabarit.docx", body),
            },
        )
        assert response.status_code == 302
    versions = SupportingDocumentVersion.objects.order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert AuditEvent.objects.filter(action="supporting_document.published").count() == 2
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/documents/"))
    assert "Gabarit de contrat spécifique" in text
    assert text.index("Notes de la version 2") < text.index("Notes de la version 1")
    response = client.get(f"/catalogue/documents/versions/{versions[1].pk}/telecharger/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bodies[2]
    assert response["Content-Disposition"].startswith("attachment")
    assert "gabarit.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "wordprocessingml" in response["Content-Type"]


def test_a_document_with_a_forbidden_extension_is_refused(client, people, clock):
    client.force_login(people["broker_agent"])
    response = client.post(
        "/catalogue/documents/",
        {
            "kind": "user_guide",
            "title": "Guide",
            "file": SimpleUploadedFile("guide.exe", b"MZ"),
        },
    )
    assert response.status_code == 422
    assert str(TYPE_NOT_ALLOWED % {"name": "guide.exe"}) in page_text(response)
    assert not SupportingDocumentVersion.objects.exists()


def test_only_the_broker_publishes_and_suppliers_do_not_see_the_documents(client, people, clock):
    version = supporting_document_publish(
        by=None,
        kind="user_guide",
        title="Guide d'utilisateur",
        file_name="guide.pdf",
        content=pdf_bytes("guide"),
        content_type="application/pdf",
    )
    client.force_login(people["client_procurement"])
    assert client.post("/catalogue/documents/", {}).status_code == 403
    client.force_login(people["supplier_rep"])
    assert client.get("/catalogue/documents/").status_code == 403
    assert client.get(f"/catalogue/documents/versions/{version.pk}/telecharger/").status_code == 404
    assert client.get(f"/catalogue/fichiers/{version.file.sha256}/").status_code == 404


def test_a_sheet_document_is_downloaded_by_those_who_see_the_sheet(
    client, people, orgs, catalogue, annex
):
    url = f"/catalogue/fichiers/{annex.sha256}/"
    client.force_login(people["client_procurement"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "annexe-modificative.pdf" in response["Content-Disposition"]
    client.force_login(people["supplier_rep"])
    assert client.get(url).status_code == 200  # its own sheet
    client.force_login(make_person(orgs["supplier_other"], "supplier_rep"))
    assert client.get(url).status_code == 404
    client.force_login(people["client_procurement"])
    assert client.get("/catalogue/fichiers/" + "0" * 64 + "/").status_code == 404
    assert client.get("/catalogue/fichiers/pas-une-empreinte/").status_code == 404
