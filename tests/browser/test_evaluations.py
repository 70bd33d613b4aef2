"""Issue 14 §2 in a real Chromium (« Done when »: a client filling in an evaluation grid): the
Ministère A's procurement officer follows the work item of its annual evaluation request from
its dashboard, scores each weighted criterion with a comment, is told in French which criterion
still lacks a score when it sends the grid incomplete, then sends it complete and sees it
transmitted with its weighted score, the form gone. The page meets WCAG 2.1 AA."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from courtier.evaluations import messages
from courtier.evaluations.models import EvaluationRequest, RequestState
from tests.browser.actions import sign_in
from tests.evaluations.factories import campaign_made
from tests.factories import build_orgs, build_people

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def test_the_client_fills_in_the_weighted_grid_and_sends_it_to_the_broker(page):
    orgs = build_orgs()
    people = build_people(orgs)
    campaign = campaign_made(orgs, people["broker_agent"], ("client",))
    request = campaign.requests.get()

    sign_in(page, people["client_procurement"].email)
    page.get_by_role("link", name=re.compile("Remplir la grille d'évaluation")).first.click()
    page.wait_for_url(f"**/evaluations/demandes/{request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fournisseur D")

    results = Axe().run(page, options=WCAG_21_AA)
    assert [v["id"] for v in results.response["violations"]] == []

    page.get_by_label("Qualité du service (50 %)").select_option("4")
    page.get_by_label("Commentaire — Qualité du service").fill("Service stable toute l'année.")
    page.get_by_role("button", name="Transmettre au Courtier").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        str(messages.SCORE_PROBLEMS["score_missing"])
    )
    assert EvaluationRequest.objects.get(pk=request.pk).state == RequestState.OPEN

    # The page came back with what was chosen: the two scores left are given.
    expect(page.get_by_label("Qualité du service (50 %)")).to_have_value("4")
    page.get_by_label("Respect des délais (30 %)").select_option("3")
    page.get_by_label("Communication (20 %)").select_option("5")
    page.get_by_label("Commentaire général").fill("Bonne collaboration dans l'ensemble.")
    page.get_by_role("button", name="Transmettre au Courtier").click()

    expect(page.get_by_role("status")).to_contain_text("Évaluation transmise au Courtier")
    expect(page.get_by_text("Note pondérée : 3,90")).to_be_visible()
    expect(page.get_by_role("button", name="Transmettre au Courtier")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("Service stable toute l'année.")
    done = EvaluationRequest.objects.get(pk=request.pk)
    assert (
        done.state == RequestState.SUBMITTED and done.submitted_by == people["client_procurement"]
    )
