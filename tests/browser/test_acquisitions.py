"""Issue 4 in a real Chromium, on the demo data: the Ministère de l'Enseignement supérieur's
procurement officer walks an acquisition file through steps 1 to 4 in the pages (questionnaire,
consumption plan, the Catalogue's offers, the compliant list, the scenarios with their chart,
the lowest-priced choice and its financial authorisation), then the broker's agent convenes the
startup meeting and freezes the strategy (step 5). The progress bar is checked at every step."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.acquisitions.models import AcquisitionFile, StartupMeeting
from courtier.demo.loaders import DEMO_PASSWORD, load_demo
from tests.browser.actions import sign_in

pytestmark = pytest.mark.browser

STEPS = {
    1: "1. Définir les besoins",
    2: "2. Consulter le Catalogue",
    3: "3. Établir la liste des solutions conformes",
    4: "4. Déterminer le choix le plus avantageux",
    5: "5. Conclure un contrat spécifique",
}


def expect_step(page: Page, number: int) -> None:
    """The progress bar marks step ``number`` as the current one, the earlier ones done."""
    progress = page.get_by_role("navigation", name="Progression du dossier")
    current = progress.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text(STEPS[number])
    expect(progress).to_contain_text(f"Étape {number} sur 5")
    expect(progress.locator("progress")).to_have_attribute("value", str(number - 1))
    expect(progress.get_by_text("terminée", exact=True)).to_have_count(number - 1)


def answer_the_questionnaire(page: Page) -> None:
    form = page.locator("#questionnaire")
    form.get_by_label("Volet du Catalogue recherché").select_option(label="Courriel")
    form.get_by_label("Durée désirée (mois, renouvellements compris)").fill("12")
    form.get_by_label("Budget disponible ($)").fill("25 000,00")
    start = timezone.localdate() + timedelta(days=90)
    form.get_by_label("Début prévu du contrat").fill(start.isoformat())
    for box in form.locator("textarea").all():
        box.fill("Décrit dans le dossier de projet du ministère.")
    form.get_by_label("Devrez-vous recourir à un prestataire de services").select_option(
        label="Non"
    )
    form.get_by_role("button", name="Enregistrer le questionnaire").click()
    expect(page.get_by_role("status")).to_contain_text("Questionnaire enregistré.")


def add_the_users_line(page: Page) -> None:
    plan = page.locator("#plan")
    plan.get_by_label("Code").fill("utilisateurs")
    plan.get_by_label(re.compile(r"^Besoin")).fill("Boîtes de courriel du personnel")
    plan.get_by_label("Nature").select_option(label="Consommation")
    plan.get_by_label("Unité").select_option(label="par utilisateur par mois")
    plan.get_by_label("Quantité initiale").fill("100")
    plan.get_by_label("Croissance par mois").fill("5")
    plan.get_by_label("Plafond").fill("150")
    plan.get_by_role("button", name="Ajouter la ligne").click()
    table = page.get_by_role("table", name="Plan de consommation")
    expect(table).to_contain_text("Boîtes de courriel du personnel")
    expect(table).to_contain_text("de 100 à 150 (maximum 150)")


def test_a_client_walks_the_five_steps_and_the_broker_freezes_the_strategy(page, db):
    load_demo()
    sign_in(page, "acquisitions@mes.example", DEMO_PASSWORD)

    # Step 1: a new file, its questionnaire and its consumption plan.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Dossiers d'acquisition"
    ).click()
    page.get_by_role("link", name="Nouveau dossier").click()
    page.get_by_label("Titre du dossier").fill("Courriel infonuagique du ministère")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Courriel infonuagique du ministère"
    )
    file = AcquisitionFile.objects.get(title="Courriel infonuagique du ministère")
    expect_step(page, 1)
    # Moving on too early names what is missing.
    page.get_by_role("button", name="Passer à la consultation du Catalogue").click()
    expect(page.get_by_role("alert")).to_contain_text("Ajoutez au moins une ligne")
    expect(page.locator("#id_duration_months")).to_have_attribute("aria-invalid", "true")
    answer_the_questionnaire(page)
    add_the_users_line(page)
    page.get_by_role("button", name="Passer à la consultation du Catalogue").click()

    # Step 2: the Catalogue's offers of the "courriel" category.
    expect_step(page, 2)
    page.get_by_role("button", name="Chercher dans le Catalogue").click()
    expect(page.get_by_role("status")).to_contain_text("offres du Catalogue ajoutées")
    offers = page.locator("#offres table tbody tr")
    expect(offers.first).to_contain_text("Boîtes de courriel du personnel → Abonnement de base")
    listed = offers.count()
    assert listed >= 2
    page.get_by_role("button", name="Établir la liste des solutions").click()

    # Step 3: every automatic requirement is met by the offers found; the list is closed.
    expect_step(page, 3)
    grid = page.get_by_role("table", name="Grille de conformité : offres × exigences")
    expect(grid.locator("tbody tr")).to_have_count(listed)
    expect(grid.get_by_text("Satisfaite")).to_have_count(listed)
    page.get_by_role("button", name="Passer au calcul des scénarios").click()

    # Step 4: scenarios, their chart and table, the lowest-priced choice, the financial
    # authorisation prefilled with its total, then the choice confirmed.
    expect_step(page, 4)
    page.get_by_role("button", name="Calculer les scénarios").click()
    table = page.get_by_role("table", name="Comparaison des scénarios")
    expect(table).to_be_visible()
    lowest = table.locator("tbody tr").filter(has_text="Plus bas prix")
    expect(lowest).to_have_count(1)
    expect(lowest.locator("td").first).to_have_text("1")
    chart = page.get_by_role("img", name="Coût cumulatif de chaque scénario au fil des mois")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(table.locator("tbody tr").count())
    expect(page.get_by_role("link", name="Comparaison (XLSX)")).to_be_visible()
    expect(page.get_by_role("link", name="Comparaison (PDF)")).to_be_visible()

    first_choice = page.get_by_role("radio").first
    expect(first_choice).to_have_accessible_name(re.compile(r"^1\. "))
    first_choice.check()
    page.get_by_role("button", name="Retenir ce scénario").click()
    expect(page.get_by_role("status")).to_contain_text("Scénario retenu")
    chosen = file.scenarios.get(chosen=True)
    assert chosen.is_lowest
    amount = page.get_by_label("Montant autorisé ($)")
    expect(amount).to_have_value(f"{chosen.total_cents // 100},{chosen.total_cents % 100:02d}")
    page.get_by_label("Autorisé par").fill("Isabelle Gauthier")
    page.get_by_role("button", name="Consigner l'autorisation financière").click()
    expect(page.get_by_role("status")).to_contain_text("Autorisation financière consignée")
    page.get_by_role("button", name="Confirmer le choix").click()

    # Step 5 for the client: the prerequisites are met, the 30-day estimate is shown.
    expect_step(page, 5)
    expect(page.locator("#prerequis")).to_contain_text("Tous les préalables sont remplis")
    expect(page.locator("#prerequis")).to_contain_text("Contrat signé au plus tôt le")
    expect(page.get_by_role("button", name="Convoquer la rencontre de démarrage")).to_have_count(0)
    page.get_by_role("button", name="Se déconnecter").click()

    # Step 5 for the broker's agent: the meeting, its agenda, then the frozen strategy.
    sign_in(page, "agent@courtier.example", DEMO_PASSWORD)
    page.goto(f"/acquisitions/{file.pk}/")
    expect_step(page, 5)
    when = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Date et heure de la rencontre").fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Autres invités (facultatif)").fill(
        "Sophie Côté <acquisitions@mes.example> client\n"
        "Marc Fortin <representant@nuagique.example> fournisseur\n"
        "Mathieu Gagnon <agent@courtier.example> courtier"
    )
    page.get_by_role("button", name="Convoquer la rencontre de démarrage").click()
    expect(page.get_by_role("status")).to_contain_text("Rencontre de démarrage convoquée")
    expect(page.locator("#rencontre pre")).to_contain_text(file.reference)
    # The strategy is frozen after the meeting: the test moves the meeting into the past in
    # the database (the live server runs on the real clock, and the page itself refuses a
    # meeting in the past), instead of waiting three days.
    StartupMeeting.objects.filter(file=file).update(
        scheduled_for=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    page.get_by_role("button", name="Figer la stratégie").click()

    expect(page.get_by_role("status")).to_contain_text("Stratégie d'acquisition figée")
    progress = page.get_by_role("navigation", name="Progression du dossier")
    expect(progress).to_contain_text("Les cinq étapes sont terminées")
    expect(progress.get_by_text("terminée", exact=True)).to_have_count(5)
    expect(progress.locator("progress")).to_have_attribute("value", "5")
    strategy = page.locator("#strategie")
    expect(strategy).to_contain_text(chosen.supplier.name)
    expect(strategy.get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"^/catalogue/fiches/\d+/$")
    )
    file.refresh_from_db()
    assert file.state == "frozen"
    assert file.strategy.total_cents == chosen.total_cents


def test_a_file_shows_one_step_at_a_time_and_back_returns_to_the_step_seen_before(page, db):
    """Issue 10, point 2: the current step open with its forms, the earlier ones summarised
    (opened on demand), each step at its own URL so that Back works."""
    load_demo()
    person = User.objects.get(email="acquisitions@mes.example")
    file = next(
        f
        for f in AcquisitionFile.objects.filter(
            state__in=["catalogue", "compliance", "choice"]
        ).order_by("pk")
        if permissions.can_change(person, f)
    )
    current = file.step
    sign_in(page, "acquisitions@mes.example", DEMO_PASSWORD)
    page.goto(f"/acquisitions/{file.pk}/")
    expect(page.locator(f"#etape-{current}")).to_have_attribute("data-open", "true")
    expect(page.locator(f"#etape-{current} form >> visible=true").first).to_be_visible()
    # No other step shows a form: the steps done are folded, the later ones list what misses.
    others = page.locator(f"section.workflow-step:not(#etape-{current}) form >> visible=true")
    expect(others).to_have_count(0)
    expect(page.locator(f"#etape-{current + 1}")).to_contain_text("à venir")

    # An earlier step's summary opens on demand.
    summary = page.locator("#etape-1 details.step-details")
    expect(summary.locator("#plan")).not_to_be_visible()
    page.locator("#etape-1 details.step-details > summary").click()
    expect(summary).to_have_attribute("open", "")
    expect(summary.locator("#plan")).to_be_visible()

    # Each step has its URL: open step 1, then Back returns to the current step and Forward
    # to step 1 again.
    progress = page.get_by_role("navigation", name="Progression du dossier")
    progress.get_by_role("link", name=STEPS[1]).click()
    expect(page).to_have_url(re.compile(rf"/acquisitions/{file.pk}/etape-1/$"))
    expect(page.locator("#etape-1")).to_have_attribute("data-open", "true")
    expect(page.locator(f"#etape-{current} details.step-details")).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/acquisitions/{file.pk}/$"))
    expect(page.locator(f"#etape-{current}")).to_have_attribute("data-open", "true")
    page.go_forward()
    expect(page).to_have_url(re.compile(rf"/acquisitions/{file.pk}/etape-1/$"))
    expect(page.locator("#etape-1")).to_have_attribute("data-open", "true")
