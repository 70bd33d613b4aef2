"""Issue 13 in a real Chromium: the client's authorised signatory opens the contract the broker
validated, reads the stamped version (its verification code shown), types its password again
and signs (002 §2.5 step 8; 002 §2.3.1: signed as presented); the page then shows the signature
and names the supplier's signatory as the next to sign. The page meets WCAG 2.1 AA."""

from __future__ import annotations

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from courtier.contracts.models import Contract, Signature
from courtier.contracts.services import generation, signing, transitions
from tests.browser.actions import sign_in
from tests.conftest import IMMEDIATE_TASKS
from tests.contracts import factories
from tests.factories import PASSWORD, build_orgs, build_people

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _validated(orgs, people) -> Contract:
    """A services contract generated, approved by the client and stamped by the broker (each
    step committed: the PDF renders after its commit, in-process)."""
    broker, client = people["broker_agent"], people["client_procurement"]
    contract = factories.services_contract(orgs, people, start_on=date(2027, 6, 1))
    generation.contract_generate(by=broker, contract=contract)
    transitions.contract_send_for_review(by=broker, contract=contract)
    transitions.contract_approve(by=client, contract=contract)
    transitions.contract_validate(by=broker, contract=contract)
    return Contract.objects.get(pk=contract.pk)


def test_the_client_signatory_reads_the_stamped_version_and_signs_with_its_password(
    page, settings, tmp_path
):
    settings.TASKS = IMMEDIATE_TASKS
    orgs = build_orgs()
    people = build_people(orgs)
    # The broker's stamp runs here, beside the browser's event loop (documents.signing).
    contract = _validated(orgs, people)
    stamped = signing.chain_head(contract)
    supplier = factories.supplier_signer(contract)
    signatory = people["client_signatory"]

    sign_in(page, signatory.email)
    page.get_by_role("link", name="Contrats").first.click()
    page.get_by_role("link", name=contract.reference).click()
    expect(page.locator("#attente")).to_contain_text(signatory.get_full_name())
    versions = page.get_by_role("table", name="Versions du contrat : générées, validée, signées")
    expect(versions).to_contain_text("Version finale validée (cachet du Courtier)")
    expect(page.get_by_text(stamped.validation.code)).to_be_visible()

    # The version to sign is there to read (its signatory reads what it signs).
    href = page.get_by_role("link", name="Lire la version à signer (PDF)").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    results = Axe().run(page, options=WCAG_21_AA)
    assert [v["id"] for v in results.response["violations"]] == []

    section = page.locator("#signer")
    section.get_by_label("Votre mot de passe").fill("pas le bon")
    section.get_by_role("button", name="Signer").click()
    expect(page.get_by_role("alert").first).to_contain_text("Mot de passe incorrect")
    assert not Signature.objects.filter(contract=contract).exists()

    page.locator("#signer").get_by_label("Votre mot de passe").fill(PASSWORD)
    page.locator("#signer").get_by_role("button", name="Signer").click()
    expect(page.get_by_role("status")).to_contain_text("Signature apposée")
    signatures = page.get_by_role("table", name="Signataires, dans l'ordre")
    expect(signatures.get_by_role("row", name=signatory.get_full_name())).to_contain_text(
        "Signé le"
    )
    expect(page.locator("#attente")).to_contain_text(supplier.get_full_name())
    expect(page.locator("#etat")).to_have_text("Signé par le client")
    expect(page.locator("#signer")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "signed.png"), full_page=True)
    assert Signature.objects.get(contract=contract).signatory.user == signatory


def test_the_broker_preparation_pages_and_the_consumption_chart_meet_wcag_21_aa(page, settings):
    """The preparation queue, a contract in preparation with its forms (the broker's view), and
    a contract in force with its consumption chart and table (the client's view)."""
    from courtier.contracts.models import ContractState
    from courtier.contracts.services import consumption

    orgs = build_orgs()
    people = build_people(orgs)
    contract = factories.services_contract(orgs, people, start_on=date(2027, 6, 1))
    found = {}
    sign_in(page, people["broker_agent"].email)
    for path in ["/contrats/preparation/", f"/contrats/{contract.pk}/"]:
        page.goto(path)
        found[path] = [v["id"] for v in Axe().run(page, options=WCAG_21_AA).response["violations"]]
    page.context.clear_cookies()
    in_force = factories.forced(contract, ContractState.IN_FORCE)
    consumption.entry_record(
        by=people["client_procurement"],
        contract=in_force,
        kind="invoice",
        number="F-1",
        dated_on=in_force.start_on,
        amount_cents=100_000,
    )
    sign_in(page, people["client_procurement"].email)
    page.goto(f"/contrats/{in_force.pk}/")
    expect(page.get_by_role("img", name="Commandes et consommation cumulées")).to_be_visible()
    found["in force"] = [
        v["id"] for v in Axe().run(page, options=WCAG_21_AA).response["violations"]
    ]
    assert found == {key: [] for key in found}
