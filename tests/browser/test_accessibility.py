"""WCAG 2.1 A and AA checks (axe-core) on the pages people use, as they really render in
Chromium: labels, headings, landmarks, contrast of every colour used (issue 2 §8)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from courtier.accounts.models import Organisation, Role
from courtier.demo.loaders import load_demo
from courtier.documents.models import Document
from tests.browser.actions import sign_in
from tests.factories import make_access_request, make_person

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def test_anonymous_pages_meet_wcag_21_aa(page, db):
    load_demo()
    found = {}
    for path in ["/", "/demande-acces/", "/mot-de-passe/oubli/"]:
        page.goto(path)
        found[path] = violations(page)
    page.goto("/demande-acces/")
    page.get_by_role("button", name="Envoyer la demande").click()  # the page with errors
    found["/demande-acces/ (errors)"] = violations(page)
    assert found == {path: [] for path in found}


def test_the_broker_admins_pages_meet_wcag_21_aa(page, db):
    load_demo()
    broker = Organisation.objects.get(kind="broker")
    admin = make_person(broker, Role.BROKER_ADMIN, "Admin")
    group = Organisation.objects.get(kind="group_purchaser")
    pending = make_access_request(group, role=Role.CLIENT_HEAD)
    held = Document.objects.get(key="demo-record-soc2-2019")  # with its legal hold
    sign_in(page, admin.email)
    found = {}
    for path in [
        "/",
        "/demandes-acces/",
        f"/demandes-acces/{pending.pk}/",
        "/organisations/",
        f"/organisations/{group.pk}/",
        f"/organisations/{group.pk}/modifier/",
        "/organisations/nouvelle/",
        "/calendrier/",
        "/journal/",
        "/journal/1/",
        "/compte/",
        "/documents/registre/",
        "/documents/registre/blocages/",
        f"/documents/registre/{held.pk}/",
        f"/organisations/{held.owner_id}/",
    ]:
        page.goto(path)
        found[path] = violations(page)
    assert found == {path: [] for path in found}


def test_the_catalogue_pages_meet_wcag_21_aa(page, db):
    """Issue 3: search with results, an offer, a sheet, a version's change history, the review
    queue and a proposal's side-by-side diff, the provider table, subscriptions, documents."""
    load_demo()
    from django.urls import reverse

    from courtier.catalogue.models import Offer, SheetDraft, SheetVersion

    broker = Organisation.objects.get(kind="broker")
    agent = make_person(broker, Role.BROKER_AGENT, "Agent")
    offer = Offer.objects.filter(status="qualified").order_by("pk").first()
    version = SheetVersion.objects.filter(number__gt=1).order_by("pk").first()
    draft = SheetDraft.objects.filter(status="submitted").first()
    sign_in(page, agent.email)
    found = {}
    for path in [
        reverse("catalogue:home") + "?q=theatre&hosting=quebec",
        reverse("catalogue:home") + "?price_min=abc",  # the form with an error
        reverse("catalogue:offer_detail", args=[offer.pk]),
        reverse("catalogue:sheet", args=[offer.supplier_id]),
        reverse("catalogue:version_detail", args=[version.pk]),
        reverse("catalogue:draft_queue"),
        reverse("catalogue:draft_detail", args=[draft.pk]),
        reverse("catalogue:price_import_new", args=[draft.pk]),
        reverse("catalogue:providers"),
        reverse("catalogue:subscriptions"),
        reverse("catalogue:documents"),
    ]:
        page.goto(path)
        found[path] = violations(page)
    assert found == {path: [] for path in found}


def test_the_acquisition_pages_meet_wcag_21_aa(page, db):
    """Issue 4: the list and a new file (with its errors), the guided page of a file at each
    step (the refused move of step 1, the compliance grid with its forms, the comparison table
    and its chart with the head's authorisation form, the startup meeting), the forms on their
    own pages, and the suppliers' inbox with its answer form."""
    load_demo()
    from courtier.acquisitions.services import candidates, needs, questions
    from courtier.catalogue.models import Offer
    from courtier.demo.loaders import DEMO_PASSWORD
    from tests.acquisitions.factories import advance, new_file

    mes = Organisation.objects.get(short_name="MES")
    runner = mes.memberships.get(role=Role.CLIENT_PROCUREMENT).user
    empty = needs.file_create(by=runner, client=mes, title="Dossier vide")
    needs = new_file(by=runner, client=mes)
    compliance = advance(new_file(by=runner, client=mes), "compliance", by=runner)
    candidates.requirement_add(by=runner, file=compliance, label="Authentification unique")
    nuagique = Offer.objects.get(code="NQ-COURRIEL")
    questions.question_ask(by=runner, file=compliance, offer=nuagique, text="Archivage légal ?")
    choice = advance(new_file(by=runner, client=mes), "choice", by=runner, choice="other")
    startup = advance(new_file(by=runner, client=mes), "startup", by=runner)
    candidate = compliance.candidates.first()

    found = {}
    sign_in(page, runner.email, DEMO_PASSWORD)
    for path in [
        "/acquisitions/",
        "/acquisitions/nouveau/",
        f"/acquisitions/{needs.pk}/",
        f"/acquisitions/{needs.pk}/plan/ligne/?code=utilisateurs",
        f"/acquisitions/{compliance.pk}/",
        f"/acquisitions/{compliance.pk}/offres/{candidate.pk}/composantes/",
        f"/acquisitions/{choice.pk}/",
        f"/acquisitions/{choice.pk}/etape/go_back/",
        f"/acquisitions/{startup.pk}/",
    ]:
        page.goto(path)
        found[path] = violations(page)
    page.goto("/acquisitions/nouveau/")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    found["/acquisitions/nouveau/ (errors)"] = violations(page)
    page.goto(f"/acquisitions/{empty.pk}/")
    page.get_by_role("button", name="Passer à la consultation du Catalogue").click()
    found["submit_needs (refused)"] = violations(page)

    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "agent@courtier.example", DEMO_PASSWORD)
    for path in [f"/acquisitions/{startup.pk}/", "/acquisitions/questions/"]:
        page.goto(path)
        found[f"{path} (broker)"] = violations(page)
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "representant@nuagique.example", DEMO_PASSWORD)
    page.goto("/acquisitions/questions/")
    found["/acquisitions/questions/ (supplier)"] = violations(page)
    assert found == {path: [] for path in found}
