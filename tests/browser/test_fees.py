"""Issue 15 §2 in a real Chromium: Fournisseur D's representative files its quarterly
acquisition report (004 §4.3). A CSV whose second line names another supplier's contract and a
payment date outside the quarter is refused whole, every bad line named in French and nothing
written; the same invoice typed in the form's rows is accepted as version 1 of its report. The
form meets WCAG 2.1 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from courtier.catalogue.categories import ensure_categories
from courtier.catalogue.models import Category
from courtier.contracts.models import Contract
from courtier.fees import messages
from courtier.fees.models import AcquisitionLine, AcquisitionReport
from tests.browser.actions import sign_in
from tests.factories import build_orgs, build_people
from tests.fees import factories as f

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
QUARTER = "/frais/rapports/2026/3/deposer/"  # T3 2026-2027: October to December 2026


def test_a_supplier_files_its_report_refused_whole_then_accepted(page, tmp_path):
    ensure_categories(Category)  # made by a migration, gone once a live-server test flushed
    orgs = build_orgs()
    people = build_people(orgs)
    made = f.world(orgs)
    old, new = Contract.objects.get(pk=made["old"]), Contract.objects.get(pk=made["new"])
    bad = tmp_path / "rapport.csv"
    bad.write_text(
        "contrat;client;facture;payee_le;montant\n"
        f"{new.reference};{new.client.name};D-1001;2026-10-20;1 250,00\n"
        f"{old.reference};{old.client.name};D-1002;2027-01-04;300,00\n",
        encoding="utf-8",
    )

    sign_in(page, people["supplier_rep"].email)
    page.goto(QUARTER)
    expect(page.get_by_role("heading", level=1)).to_contain_text("T3 2026-2027")
    results = Axe().run(page, options=WCAG_21_AA)
    assert [v["id"] for v in results.response["violations"]] == []

    page.locator("#rapport_csv_file").set_input_files(str(bad))
    page.get_by_role("button", name="Déposer le rapport").click()
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text(str(messages.REPORT_REFUSED))
    expect(alert).to_contain_text(f"ligne 2 : le contrat {old.reference} n'est pas le vôtre")
    expect(alert).to_contain_text("ligne 2 : payée le 2027-01-04, hors du trimestre")
    assert not AcquisitionReport.objects.exists() and not AcquisitionLine.objects.exists()

    page.get_by_label("Ligne 1 : numéro du contrat").fill(new.reference)
    page.get_by_label("Ligne 1 : organisme client").fill(new.client.name)
    page.get_by_label("Ligne 1 : facture du fournisseur").fill("D-1001")
    page.get_by_label("Ligne 1 : payée le").fill("2026-10-20")
    page.get_by_label("Ligne 1 : montant payé avant taxes ($)").fill("1 250,00")
    page.get_by_role("button", name="Déposer le rapport").click()

    report = AcquisitionReport.objects.get()
    page.wait_for_url(f"**/frais/rapports/{report.pk}/")
    assert (report.version, report.total_cents) == (1, 125_000)
    expect(page.get_by_role("table").first).to_contain_text("D-1001")
