"""Proposals to a supplier sheet and their review, through the pages (issue 3, point 3; DOMAIN
§2): the supplier edits its proposal section by section and submits it; the broker sees a
side-by-side diff, sends it back with a comment or publishes a dated version. Who may see
proposals: broker reviewers all, a supplier only its own, clients none."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from courtier.audit.models import AuditEvent
from courtier.catalogue.messages import (
    CODE_FORMAT,
    CONTENT_PROBLEMS,
    DRAFT_NOT_EDITABLE,
    NOTHING_CHANGED,
    PRICE_LIST_NO_LINE,
)
from courtier.catalogue.models import Offer, PriceList, SheetDraft, SheetVersion
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.files.models import StoredFile
from tests.catalogue.factories import content, line, offer, publish
from tests.factories import make_person, pdf_bytes
from tests.helpers import page_text

TZ = ZoneInfo("America/Toronto")
NOVEMBER = datetime(2026, 11, 2, 10, tzinfo=TZ)
DECEMBER = datetime(2026, 12, 1, 10, tzinfo=TZ)

OFFER_FORM = {
    "name": "Courriel infonuagique",
    "category": "courriel",
    "status": "qualified",
    "description": "Courriel et calendrier.",
    "training_languages": ["fr"],
    "training_material": "Guides en français.",
    "technical_assistance": "De 8 h à 17 h.",
    "trial_terms": "30 unités pendant 60 jours.",
    "data_centres": ["MTL"],
}


@pytest.fixture
def clock():
    with time_machine.travel(NOVEMBER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def in_force(orgs, clock):
    """Fournisseur D's sheet as published in November; the clock then moves to December."""
    version = publish(
        orgs["supplier"],
        content(offer("MAIL", "Courriel infonuagique")),
        prices={("MAIL", date(2026, 11, 2)): [line("BASE", 450)]},
    )
    clock.move_to(DECEMBER)
    return version


def start(client, supplier) -> SheetDraft:
    response = client.post(f"/catalogue/fournisseurs/{supplier.pk}/proposer/")
    assert response.status_code == 302
    draft = SheetDraft.objects.get(supplier=supplier, status="draft")
    assert response["Location"] == f"/catalogue/propositions/{draft.pk}/"
    return draft


def draft_for(supplier, sheet=None) -> SheetDraft:
    draft = sheet_draft_create(by=None, supplier=supplier)
    if sheet is not None:
        sheet_draft_update(by=None, draft=draft, content=sheet)
    return draft


def test_the_whole_review_flow_through_the_pages(
    client, people, orgs, in_force, mailbox, run_on_commit
):
    supplier_rep, agent = people["supplier_rep"], people["broker_agent"]
    client.force_login(supplier_rep)
    draft = start(client, orgs["supplier"])
    url = f"/catalogue/propositions/{draft.pk}/"

    # The supplier renames its offer, adds a component, a data centre and a document.
    response = client.post(f"{url}offres/0/", {**OFFER_FORM, "name": "Courriel du théâtre"})
    assert response.status_code == 302
    response = client.post(
        f"{url}offres/0/composantes/ajouter/",
        {"code": "ARCHIVE", "name": "Archivage légal", "kind": "additional", "description": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}centres/ajouter/",
        {
            "code": "QC2",
            "city": "Québec",
            "province": "qc",
            "country": "ca",
            "role": "recovery",
            "personal_information_authorised": "on",
            "authorised_since": "2026-06-01",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}documents/ajouter/",
        {
            "code": "NS",
            "kind": "service_levels",
            "title": "Niveaux de service",
            "file": SimpleUploadedFile("niveaux.pdf", pdf_bytes("niveaux de service")),
        },
    )
    assert response.status_code == 302
    stored = StoredFile.objects.get(name="niveaux.pdf")
    draft.refresh_from_db()
    assert draft.content["offers"][0]["name"] == "Courriel du théâtre"
    assert draft.content["data_centres"][-1] == {
        "code": "QC2",
        "city": "Québec",
        "province": "QC",
        "country": "CA",
        "role": "recovery",
        "personal_information_authorised": True,
        "authorised_since": "2026-06-01",
    }
    assert draft.content["documents"][0]["file_sha256"] == stored.sha256
    download = f"/catalogue/fichiers/{stored.sha256}/"
    assert client.get(download).status_code == 200  # listed in its own proposal
    assert (
        AuditEvent.objects.filter(action="sheet_draft.updated", object_id=str(draft.pk)).count()
        == 4
    )

    # It proposes a price change for December, by hand.
    prices = {
        "effective_from": "2026-12-01",
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "2",
        **line_form(0, "BASE", "4,75"),
        **line_form(1, "ARCHIVE", "1,5"),
    }
    response = client.post(f"{url}offres/0/prix/", prices)
    assert response.status_code == 302, page_text(response)
    price_list = PriceList.objects.get(draft=draft)
    assert sorted(price_list.lines.values_list("component_code", "unit_price_cents")) == [
        ("ARCHIVE", 150),
        ("BASE", 475),
    ]

    with run_on_commit():
        response = client.post(f"{url}soumettre/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert mailbox.to(agent.email)

    # The broker reviews it side by side; clients cannot fetch the proposal's files.
    client.force_login(people["client_procurement"])
    assert client.get(download).status_code == 404
    client.force_login(agent)
    queue = page_text(client.get("/catalogue/propositions/"))
    assert "Fournisseur D" in queue and "Soumis au Courtier" in queue
    text = page_text(client.get(url))
    assert "côte à côte avec la version en vigueur" in text
    assert "<del>Courriel infonuagique</del>" in text
    assert "<ins>Courriel du théâtre</ins>" in text
    assert "Archivage légal" in text
    assert "<del>4,50 $</del>" in text and "<ins>4,75 $</ins>" in text
    assert "Niveaux de service" in text

    # Sending it back needs a comment.
    response = client.post(f"{url}renvoyer/", {"comment": "  "})
    assert response.status_code == 422
    assert "Expliquez au fournisseur ce qu'il doit corriger." in page_text(response)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    with run_on_commit():
        response = client.post(f"{url}renvoyer/", {"comment": "Précisez le banc d'essai."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "returned"
    (message,) = mailbox.to(supplier_rep.email)
    assert "Précisez le banc d'essai." in mailbox.body(message)

    # The supplier corrects and resubmits.
    client.force_login(supplier_rep)
    assert "Précisez le banc d'essai." in page_text(client.get(url))
    response = client.post(
        f"{url}offres/0/",
        {**OFFER_FORM, "name": "Courriel du théâtre", "trial_terms": "30 unités, 60 jours."},
    )
    assert response.status_code == 302
    assert client.post(f"{url}soumettre/").status_code == 302

    # The broker publishes: a version named with the date; the offers are in the search.
    client.force_login(agent)
    response = client.post(f"{url}publier/")
    version = SheetVersion.objects.get(supplier=orgs["supplier"], number=2)
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/fiches/{version.pk}/"
    assert version.name == "Fiche Fournisseur D – 2026-12-01"
    assert AuditEvent.objects.filter(
        action="sheet_version.published", object_id=str(version.pk)
    ).exists()
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/catalogue/", {"q": "theatre"}))
    assert "Courriel du théâtre" in text
    text = page_text(client.get(f"/catalogue/fiches/{version.pk}/"))
    assert "<ins>Courriel du théâtre</ins>" in text
    mail = Offer.objects.get(code="MAIL")
    assert "Archivage légal" in page_text(client.get(f"/catalogue/offres/{mail.pk}/"))
    assert client.get(download).status_code == 200  # now in a published version


def line_form(i: int, component: str, price: str) -> dict[str, str]:
    return {
        f"lignes-{i}-component_code": component,
        f"lignes-{i}-unit": "user_month",
        f"lignes-{i}-unit_price": price,
        f"lignes-{i}-billing_frequency": "monthly",
        f"lignes-{i}-tier_min_quantity": "0",
        f"lignes-{i}-minimum_quantity": "0",
        f"lignes-{i}-minimum_term_months": "0",
        f"lignes-{i}-may_decrease": "on",
        f"lignes-{i}-max_yearly_increase": "0",
    }


def test_a_duplicate_code_is_refused_in_french_and_nothing_is_written(
    client, people, orgs, in_force
):
    draft = draft_for(orgs["supplier"])
    before = copy.deepcopy(draft.content)
    client.force_login(people["supplier_rep"])
    response = client.post(
        f"/catalogue/propositions/{draft.pk}/offres/ajouter/", {**OFFER_FORM, "code": "MAIL"}
    )
    assert response.status_code == 422
    text = page_text(response)
    assert "Le formulaire contient des erreurs" in text
    assert "Code : Ce code est déjà utilisé dans cette section." in text
    draft.refresh_from_db()
    assert draft.content == before
    assert not AuditEvent.objects.filter(
        action="sheet_draft.updated", object_id=str(draft.pk)
    ).exists()


def test_a_form_with_bad_input_shows_french_errors(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    response = client.post(
        f"/catalogue/propositions/{draft.pk}/centres/ajouter/",
        {"code": "X Y", "city": "", "country": "Canada", "role": "primary"},
    )
    assert response.status_code == 422
    text = page_text(response)
    assert str(CODE_FORMAT) in text
    assert "Ville : Ce champ est obligatoire." in text
    response = client.post(
        f"/catalogue/propositions/{draft.pk}/centres/ajouter/",
        {
            "code": "NY",
            "city": "New York",
            "country": "US",
            "role": "primary",
            "personal_information_authorised": "on",
        },
    )
    assert response.status_code == 422
    assert str(CONTENT_PROBLEMS["authorised_needs_date"]) in page_text(response)
    draft.refresh_from_db()
    assert len(draft.content["data_centres"]) == 3


def test_removing_a_data_centre_an_offer_uses_names_the_offer(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    response = client.post(f"/catalogue/propositions/{draft.pk}/centres/0/retirer/")
    assert response.status_code == 422
    text = page_text(response)
    assert (
        "Offres « MAIL » › Centres de données : "
        "Le centre de données « MTL » n'est pas décrit dans la fiche."
    ) in text
    draft.refresh_from_db()
    assert draft.content["data_centres"][0]["code"] == "MTL"


def test_an_item_is_removed_from_the_proposal(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    response = client.post(f"/catalogue/propositions/{draft.pk}/contacts/0/retirer/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["contacts"] == []
    response = client.post(f"/catalogue/propositions/{draft.pk}/offres/0/composantes/2/retirer/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [c["code"] for c in draft.content["offers"][0]["components"]] == ["BASE", "STOCK"]
    assert client.post(f"/catalogue/propositions/{draft.pk}/contacts/9/retirer/").status_code == 404
    assert client.post(f"/catalogue/propositions/{draft.pk}/inconnue/0/retirer/").status_code == 404


def test_a_price_list_on_another_day_than_the_first_business_day_is_refused(
    client, people, orgs, in_force
):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    page = client.get(f"/catalogue/propositions/{draft.pk}/offres/0/prix/")
    assert page.status_code == 200
    assert 'value="2026-12-01"' in page_text(page)  # today is the first business day
    response = client.post(
        f"/catalogue/propositions/{draft.pk}/offres/0/prix/",
        {
            "effective_from": "2026-12-15",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "1",
            **line_form(0, "BASE", "4,75"),
        },
    )
    assert response.status_code == 422
    assert (
        "Les prix ne peuvent changer que le premier jour ouvrable d'un mois : le 2026-12-15 "
        "n'en est pas un (le premier jour ouvrable de ce mois est le 2026-12-01)."
    ) in page_text(response)
    assert not PriceList.objects.filter(draft=draft).exists()
    response = client.post(
        f"/catalogue/propositions/{draft.pk}/offres/0/prix/",
        {
            "effective_from": "2026-12-01",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "1",
            **line_form(0, "BASE", ""),
        },
    )
    assert response.status_code == 422
    assert str(PRICE_LIST_NO_LINE) in page_text(response)


def test_publishing_a_proposal_that_changes_nothing_is_refused(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["broker_admin"])
    response = client.post(f"/catalogue/propositions/{draft.pk}/publier/")
    assert response.status_code == 422
    assert str(NOTHING_CHANGED) in page_text(response)
    assert SheetVersion.objects.count() == 1


def test_a_supplier_abandons_its_proposal(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    assert client.post(f"/catalogue/propositions/{draft.pk}/abandonner/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "abandoned"
    assert "Proposer une modification" in page_text(client.get("/catalogue/propositions/"))


def test_starting_a_second_proposal_opens_the_first(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    response = client.post(f"/catalogue/fournisseurs/{orgs['supplier'].pk}/proposer/")
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/propositions/{draft.pk}/"
    assert SheetDraft.objects.filter(supplier=orgs["supplier"], status="draft").count() == 1


def test_the_queue_lists_submitted_proposals_first(client, people, orgs, in_force):
    waiting = draft_for(orgs["supplier"])
    sheet_draft_submit(by=None, draft=waiting)
    publish(orgs["supplier_other"], content(offer("E1", "Offre E")))
    in_progress = draft_for(orgs["supplier_other"])
    client.force_login(people["broker_agent"])
    text = page_text(client.get("/catalogue/propositions/"))
    assert text.index(f"/catalogue/propositions/{waiting.pk}/") < text.index(
        f"/catalogue/propositions/{in_progress.pk}/"
    )


def test_clients_never_see_proposals(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["client_procurement"])
    assert client.get(f"/catalogue/propositions/{draft.pk}/").status_code == 404
    assert client.get("/catalogue/propositions/").status_code == 403
    assert client.post(f"/catalogue/propositions/{draft.pk}/publier/").status_code == 404


def test_a_supplier_sees_only_its_own_proposals(client, people, orgs, in_force):
    mine = draft_for(orgs["supplier"])
    theirs = draft_for(orgs["supplier_other"])
    client.force_login(people["supplier_rep"])
    text = page_text(client.get("/catalogue/propositions/"))
    assert f"/catalogue/propositions/{mine.pk}/" in text
    assert f"/catalogue/propositions/{theirs.pk}/" not in text
    assert client.get(f"/catalogue/propositions/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/catalogue/propositions/{theirs.pk}/contacts/0/retirer/").status_code == 404
    )
    client.force_login(make_person(orgs["supplier_other"], "supplier_rep"))
    assert client.get(f"/catalogue/propositions/{mine.pk}/").status_code == 404


def test_a_supplier_neither_publishes_nor_returns_its_proposal(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    sheet_draft_submit(by=None, draft=draft)
    client.force_login(people["supplier_rep"])
    assert client.post(f"/catalogue/propositions/{draft.pk}/publier/").status_code == 403
    assert (
        client.post(f"/catalogue/propositions/{draft.pk}/renvoyer/", {"comment": "x"}).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_anonymous_people_are_sent_to_the_login_page(client, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    for url in ("/catalogue/propositions/", f"/catalogue/propositions/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")


def test_a_submitted_proposal_is_no_longer_editable(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    sheet_draft_submit(by=None, draft=draft)
    client.force_login(people["supplier_rep"])
    response = client.post(f"/catalogue/propositions/{draft.pk}/contacts/0/retirer/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["contacts"]
    text = page_text(client.get(f"/catalogue/propositions/{draft.pk}/"))
    assert str(DRAFT_NOT_EDITABLE) in text
    assert "Ajouter une offre" not in text


def test_the_summary_and_configurator_link_are_edited(client, people, orgs, in_force):
    draft = draft_for(orgs["supplier"])
    client.force_login(people["supplier_rep"])
    url = f"/catalogue/propositions/{draft.pk}/general/"
    response = client.post(url, {"summary": "Lien", "configurator_url": "pas une adresse"})
    assert response.status_code == 422
    assert "Saisissez une URL valide." in page_text(response)
    response = client.post(url, {"summary": "Lien", "configurator_url": "https://prix.example/"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Lien"
    assert draft.content["configurator_url"] == "https://prix.example/"


def test_the_home_page_points_reviewers_and_suppliers_to_the_proposals_awaiting_them(
    client, people, orgs, in_force
):
    draft = draft_for(orgs["supplier"])
    link = f"/catalogue/propositions/{draft.pk}/"
    client.force_login(people["supplier_rep"])
    text = page_text(client.get("/"))
    assert "Compléter la proposition et la soumettre au Courtier" in text
    assert link in text
    sheet_draft_submit(by=None, draft=draft)
    client.force_login(people["broker_agent"])
    text = page_text(client.get("/"))
    assert "Examiner la proposition : la publier ou la renvoyer" in text
    assert link in text
    client.force_login(people["supplier_rep"])
    assert link not in page_text(client.get("/"))  # now the broker's turn
    client.force_login(people["client_procurement"])
    assert link not in page_text(client.get("/"))
