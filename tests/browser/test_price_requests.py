"""Issue 12 in a real Chromium: a solicited provider submits its response in the pages (its
hourly rates, the document asked for, the submission), the responses stay sealed for the client,
then, the deadline past, the client opens them together and sees the provider's price."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from courtier.pricerequests.models import ServiceFile, ServiceResponse
from tests.browser.actions import sign_in
from tests.factories import build_orgs, build_people, pdf_bytes
from tests.pricerequests import factories

pytestmark = pytest.mark.browser


def test_a_provider_submits_its_response_and_the_client_opens_the_responses_after_the_deadline(
    page, tmp_path
):
    orgs = build_orgs()
    people = build_people(orgs)
    factories.qualify_providers(orgs)
    file = factories.file_at(
        people["client_procurement"],
        orgs["client"],
        "sent_now",
        broker=people["broker_agent"],
    )
    deadline = file.request.deadline_at
    solicitation = file.request.solicitations.get(provider=orgs["provider"])

    sign_in(page, people["provider_rep"].email)
    page.get_by_role("link", name="Demandes de prix reçues").first.click()
    page.get_by_role("link", name=f"{file.reference} — {file.title}").click()
    expect(page.get_by_text("jours ouvrables restants")).to_be_visible()
    expect(page.get_by_text("aucune prolongation possible")).to_be_visible()
    page.screenshot(path=str(tmp_path / "solicitation.png"), full_page=True)

    form = page.locator("#formulaire-reponse")
    form.locator("[name=activity_0]").fill("Analyse de sécurité")
    form.locator("[name=rate_0]").fill("120,00")
    form.locator("[name=hours_0]").fill("80")
    form.locator("[name=activity_1]").fill("Plan de migration")
    form.locator("[name=rate_1]").fill("120,00")
    form.locator("[name=hours_1]").fill("20,5")
    form.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("status")).to_contain_text("Réponse enregistrée (brouillon)")
    expect(page.get_by_text("Brouillon enregistré : 12 060,00 $")).to_be_visible()

    cv = tmp_path / "cv.pdf"
    cv.write_bytes(pdf_bytes("cv des ressources"))
    page.get_by_label("Fichier").set_input_files(str(cv))
    page.get_by_role("button", name="Joindre le document").click()
    expect(page.get_by_role("status")).to_contain_text("Document joint à votre réponse.")

    page.locator("#formulaire-reponse").get_by_role("button", name="Déposer ma réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Réponse déposée.")
    expect(page.locator("#reponse")).to_contain_text("12 060,00 $. Elle reste scellée")
    assert ServiceResponse.objects.get(solicitation=solicitation).total_cents == 1_206_000
    page.context.clear_cookies()

    # Before the deadline the client sees a count, never a price nor a name.
    sign_in(page, people["client_procurement"].email)
    page.goto(f"/services/{file.pk}/")
    expect(page.get_by_text("1 réponse reçue, scellée jusqu'à la date limite.")).to_be_visible()
    expect(page.get_by_text("12 060,00 $")).to_have_count(0)
    page.context.clear_cookies()

    with time_machine.travel(deadline + timedelta(hours=1), tick=True):
        sign_in(page, people["client_procurement"].email)
        page.goto(f"/services/{file.pk}/")
        page.get_by_role("button", name="Ouvrir les réponses").click()
        expect(page.get_by_role("status")).to_contain_text("Dossier mis à jour.")
        table = page.get_by_role("table", name="Réponses, du prix le plus bas au plus haut")
        expect(table).to_contain_text("Prestataire F")
        expect(table).to_contain_text("12 060,00 $")
        expect(table.get_by_role("link", name=factories.DOCUMENTS_ASKED[0])).to_be_visible()
        page.screenshot(path=str(tmp_path / "opened.png"), full_page=True)
    assert ServiceFile.objects.get(pk=file.pk).state == "choice"
