"""What a person sees in a real Chromium: the French login page and the language switch, a broker
agent deciding access requests, and the errors of the access-request form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courtier.accounts.models import AccessRequest, AccessRequestStatus, Membership, Role
from courtier.audit.models import AuditEvent
from tests.browser.actions import sign_in
from tests.factories import make_access_request, make_organisation, make_person

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/courtier-dashboard.png"
REQUIRED = "Ce champ est obligatoire."


def test_anonymous_people_get_a_french_login_page_and_can_switch_to_english(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_label("Courriel", exact=True)).to_be_visible()
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_visible()

    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch_back = page.get_by_role("banner").get_by_role("button", name="Français")
    expect(switch_back).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_have_count(0)

    switch_back.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_role("banner").get_by_role("button", name="English")).to_be_visible()


def test_a_broker_agent_signs_in_then_refuses_and_approves_access_requests(page, mailbox):
    broker = make_organisation("broker", name="Courtier (navigateur)")
    agent = make_person(broker, Role.BROKER_AGENT, "Mathilde")
    cegep = make_organisation("client", name="Cégep de Lévis")
    to_refuse = make_access_request(
        cegep,
        first_name="Robert",
        last_name="Lapointe",
        email="r.lapointe@cegep-levis.example",
        reason="Je veux voir les prix.",
    )
    to_approve = make_access_request(
        cegep,
        first_name="Anne",
        last_name="Dubé",
        email="a.dube@cegep-levis.example",
        role=Role.CLIENT_FINANCE,
        reason="Suivi budgétaire des contrats infonuagiques du cégep.",
    )
    mailbox.messages.clear()

    sign_in(page, agent.email)
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Tableau de bord")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Mathilde")
    to_do = page.get_by_role("region", name="Ce qui m'attend")
    expect(to_do).to_contain_text("Décider de la demande d'accès : Robert Lapointe")
    expect(to_do).to_contain_text("Décider de la demande d'accès : Anne Dubé")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Refuse the first request, with a reason.
    nav.get_by_role("link", name="Demandes d'accès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes d'accès")
    queue = page.get_by_role("table")
    expect(queue).to_contain_text("Robert Lapointe")
    expect(queue).to_contain_text("Anne Dubé")
    queue.get_by_role("link", name="Robert Lapointe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande d'accès de Robert Lapointe")
    expect(page.locator("dl")).to_contain_text("Je veux voir les prix.")
    page.get_by_label("Motif du refus").fill("Le rôle demandé ne correspond pas à vos fonctions.")
    page.get_by_role("button", name="Refuser la demande").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Demande refusée : Robert Lapointe en a été informée par courriel."
    )
    expect(page.get_by_role("table")).not_to_contain_text("Robert Lapointe")

    to_refuse.refresh_from_db()
    assert to_refuse.status == AccessRequestStatus.REFUSED
    assert to_refuse.decided_by == agent
    assert to_refuse.refusal_reason == "Le rôle demandé ne correspond pas à vos fonctions."
    assert not Membership.objects.filter(user__email=to_refuse.email).exists()
    refusal = mailbox.to(to_refuse.email)
    assert len(refusal) == 1
    assert "Le rôle demandé ne correspond pas à vos fonctions." in mailbox.body(refusal[0])

    # Approve the second one.
    page.get_by_role("table").get_by_role("link", name="Anne Dubé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande d'accès de Anne Dubé")
    page.get_by_role("button", name="Approuver la demande").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Demande approuvée : Anne Dubé a reçu un courriel pour activer son compte."
    )
    expect(page.get_by_text("Aucune demande dans cet état.")).to_be_visible()

    to_approve.refresh_from_db()
    assert to_approve.status == AccessRequestStatus.APPROVED
    assert to_approve.decided_by == agent
    membership = Membership.objects.get(user__email="a.dube@cegep-levis.example")
    assert (membership.organisation, membership.role) == (cegep, Role.CLIENT_FINANCE)
    assert to_approve.user == membership.user
    assert len(mailbox.to(to_approve.email)) == 1


def test_the_access_request_form_sent_empty_shows_french_errors_and_writes_nothing(page, mailbox):
    make_organisation("client", name="Ville de Lévis", eligibility_category="municipal")
    events_before = AuditEvent.objects.count()

    page.goto("/")
    page.get_by_role("link", name="Demander un accès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander un accès")
    page.get_by_role("button", name="Envoyer la demande").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # courtier.js takes the focus to the summary
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Le formulaire contient des erreurs.")
    fields = {
        "id_first_name": "Prénom",
        "id_last_name": "Nom",
        "id_email": "Courriel professionnel",
        "id_organisation": "Organisation",
        "id_role": "Rôle demandé",
        "id_reason": "Motif de la demande",
    }
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(fields))
    for field_id, label in fields.items():
        control = page.get_by_label(label, exact=False).and_(page.locator(f"#{field_id}"))
        expect(control).to_have_attribute("aria-invalid", "true")
        # The message sits right before the control and is tied to it for screen readers.
        error = page.locator(f"#{field_id}_error")
        expect(error).to_have_text(REQUIRED)
        expect(control.locator("xpath=preceding-sibling::*[1]")).to_have_id(f"{field_id}_error")
        expect(control).to_have_attribute("aria-describedby", re.compile(rf"\b{field_id}_error\b"))
        link = summary.locator(f'a[href="#{field_id}"]')
        expect(link).to_contain_text(f"{label} : {REQUIRED}")
        link.focus()
        expect(link).to_be_focused()

    # Following a link of the summary takes the keyboard to the field at fault.
    summary.locator('a[href="#id_reason"]').press("Enter")
    expect(page.locator("#id_reason")).to_be_focused()
    summary.locator('a[href="#id_first_name"]').click()
    expect(page.locator("#id_first_name")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/demande-acces/#id_first_name$"))

    assert AccessRequest.objects.count() == 0
    assert AuditEvent.objects.count() == events_before
    assert mailbox.messages == []
