"""The demo Catalogue (`courtier demo`), checked on the demo loaded once for
tests/demo/test_after_contract.py (tests/demo/loaded.py: Monday 2026-11-16 at 10:00): believable,
loaded through the services (so the audit chain holds), relative to today, and idempotent.
tests/catalogue/test_demo.py runs the demo command itself, twice, on another day."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from courtier.accounts.models import Organisation
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.calendar import selectors as calendar
from courtier.catalogue import rules
from courtier.catalogue.models import (
    Component,
    DataCentre,
    FrameworkAgreement,
    Offer,
    PriceLine,
    PriceList,
    ProviderQualification,
    Qualification,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
    SupportingDocumentVersion,
)
from courtier.catalogue.selectors import OfferFilters, in_force_lines, offer_search
from courtier.demo.loaders import load_demo
from tests.demo.loaded import MONDAY, TORONTO

MODELS = (
    Organisation,
    FrameworkAgreement,
    SheetDraft,
    SheetVersion,
    Offer,
    Component,
    DataCentre,
    PriceList,
    PriceLine,
    Qualification,
    ProviderQualification,
    SupportingDocument,
    SupportingDocumentVersion,
    Subscription,
    AuditEvent,
)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.usefixtures("loaded")
class TestTheDemoCatalogue:
    def test_the_demo_has_about_ten_suppliers_and_sixty_offers(self):
        suppliers = Organisation.objects.filter(kind="supplier")
        assert suppliers.count() == 10
        assert all(s.sheet_versions.exists() for s in suppliers)
        assert 55 <= Offer.objects.count() <= 65
        assert FrameworkAgreement.objects.filter(organisation__kind="supplier").count() == 10
        assert set(FrameworkAgreement.objects.values_list("number", flat=True)) >= {
            f"EC-2024-{n:03d}" for n in range(1, 11)
        }
        families = set(Offer.objects.values_list("category__family", flat=True))
        assert families == {"collaboration", "specialised", "contact_centre", "government_cloud"}
        collaboration = set(
            Offer.objects.filter(category__family="collaboration").values_list(
                "category__code", flat=True
            )
        )
        assert len(collaboration) == 10  # every collaboration category has an offer

    def test_the_demo_has_every_status_kind_and_language(self):
        assert set(Offer.objects.values_list("status", flat=True)) == {
            "qualified",
            "under_analysis",
            "withdrawn",
        }
        assert set(Component.objects.values_list("kind", flat=True)) == {
            k.value for k in rules.ComponentKind
        }
        assert set(Offer.objects.values_list("training_languages", flat=True)) == {
            ",fr,",
            ",fr,en,",
        }

    def test_the_demo_has_data_centres_in_quebec_ontario_the_us_and_europe(self):
        places = set(DataCentre.objects.values_list("country", "province"))
        assert {("CA", "QC"), ("CA", "ON")} <= places
        assert "US" in {country for country, _ in places}
        assert {"IE", "FR", "DE"} <= {country for country, _ in places}
        authorised = DataCentre.objects.filter(personal_information_authorised=True)
        assert authorised.exists() and all(dc.authorised_since for dc in authorised)
        assert DataCentre.objects.filter(personal_information_authorised=False).exists()
        assert Offer.objects.filter(hosted_in_quebec_only=True).exists()
        assert Offer.objects.filter(hosted_in_canada_only=False).exists()

    def test_several_suppliers_have_versions_with_price_changes_line_by_line(self):
        with_history = [
            s for s in Organisation.objects.filter(kind="supplier") if s.sheet_versions.count() >= 2
        ]
        assert len(with_history) >= 5
        assert max(s.sheet_versions.count() for s in with_history) == 4
        changed = [
            row
            for version in SheetVersion.objects.filter(previous__isnull=False)
            for row in version.changes["prices"]
            if row["change"] == "changed"
        ]
        assert len({row["offer"] for row in changed}) >= 5
        assert any(row["terms"] == ["unit_price_cents"] for row in changed)
        # A version with other changes only, between two price days.
        assert SheetVersion.objects.filter(previous__isnull=False, changes__prices=[]).exists()

    def test_the_versions_are_dated_on_the_days_they_were_published(self):
        today = MONDAY.date()  # 2026-11-16, after November's first business day (the 2nd)
        firsts = {calendar.first_business_day_of_month(2026, m) for m in (8, 9, 10, 11)}
        days = set(SheetVersion.objects.values_list("published_on", flat=True))
        assert firsts <= days
        assert max(days) == today
        assert min(days) == date(2026, 8, 3)
        for version in SheetVersion.objects.all():
            assert version.name == rules.version_name(version.supplier.name, version.published_on)
            if version.previous:
                assert version.previous.published_on <= version.published_on
        # Every published list starts on a first business day and replaced ones are closed.
        for price_list in PriceList.objects.filter(status="published"):
            assert price_list.effective_from in firsts
        replaced = PriceList.objects.filter(status="published", effective_until__isnull=False)
        assert replaced.exists()

    def test_the_demo_prices_are_in_force_today_and_searchable(self, django_user_model):
        today = MONDAY.date()
        in_force = in_force_lines(today)
        live = Offer.objects.exclude(status="withdrawn")
        # Every offer still in the Catalogue has prices in force (withdrawn ones keep theirs).
        assert set(in_force.values_list("offer_id", flat=True)) >= set(
            live.values_list("pk", flat=True)
        )
        client = django_user_model.objects.get(email="acquisitions@mes.example")
        found = offer_search(client, OfferFilters(q="theatre"), today=today)
        assert [o.code for o in found] == ["SX-BILLETTERIE"]
        pupils = {o.code for o in offer_search(client, OfferFilters(q="ELEVE"), today=today)}
        assert {"SB-FORMULAIRES", "IL-COURRIEL"} <= pupils
        security = {o.code for o in offer_search(client, OfferFilters(q="securite"), today=today)}
        assert {"CS-SOC", "CS-SENSIBILISATION"} <= security

    def test_the_review_queue_has_a_submitted_and_a_returned_proposal(self):
        submitted = SheetDraft.objects.get(status="submitted")
        assert submitted.supplier.name == "Nuagique Québec inc."
        assert submitted.created_by.email == "representant@nuagique.example"
        assert {pl.effective_from for pl in submitted.price_lists.all()} == {date(2026, 12, 1)}
        returned = SheetDraft.objects.get(status="returned")
        assert returned.review_comment

    def test_every_other_supplier_s_representative_has_a_proposal_in_progress(self):
        """Something awaits each supplier's people on their home page (issue 10 §9)."""
        drafts = SheetDraft.objects.filter(status="draft").select_related("supplier", "created_by")
        assert len(drafts) == 8
        for draft in drafts:
            assert draft.summary
            assert draft.created_by.memberships.filter(
                organisation=draft.supplier, role="supplier_rep"
            ).exists()
        busy = {d.supplier_id for d in SheetDraft.objects.filter(version__isnull=True)}
        assert busy == set(
            Organisation.objects.filter(kind="supplier").values_list("pk", flat=True)
        )

    def test_the_example_price_file_imports_into_the_demo(self, tmp_path):
        """Issue 10 §7: docs/exemples/prix-exemple.csv (and its XLSX twin) name offers and
        components of the demo's Catalogue, so `courtier import-prices` takes it as it is."""
        example = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "prix-exemple.csv"
        supplier = Organisation.objects.get(name="Infonuage Laurentides inc.")
        draft = SheetDraft.objects.get(supplier=supplier, status="draft")
        for path in (example, example.with_suffix(".xlsx")):
            out, err = io.StringIO(), io.StringIO()
            call_command(
                "import-prices",
                str(path),
                "--supplier",
                supplier.name,
                "--as",
                "representant@laurentides.example",
                stdout=out,
                stderr=err,
            )
            assert (
                f"12 lignes de prix importées dans la proposition n° {draft.pk}" in out.getvalue()
            )
        lists = PriceList.objects.filter(draft=draft)
        assert set(lists.values_list("offer__code", flat=True)) == {"IL-COURRIEL", "IL-DEPOT"}
        assert PriceLine.objects.filter(price_list__draft=draft).count() == 12

    def test_qualifications_documents_and_subscriptions(self):
        assert set(Qualification.objects.values_list("name", flat=True)) == {
            "Architecture infonuagique",
            "Migration vers l'infonuagique",
        }
        assert all(q.scope_description for q in Qualification.objects.all())
        assert ProviderQualification.objects.count() == 3
        assert FrameworkAgreement.objects.filter(organisation__kind="provider").count() == 2
        kinds = set(SupportingDocument.objects.values_list("kind", flat=True))
        assert kinds >= {
            "contract_template",
            "amendment_template",
            "commitment_form",
            "privacy_principles",
            "price_request_template",
            "evaluation_guide",
            "process_schedule",
        }
        assert SupportingDocumentVersion.objects.filter(number=2).exists()
        version = SupportingDocumentVersion.objects.first()
        assert version.file.file.read().startswith(b"%PDF-1.4")
        assert Subscription.objects.filter(user__email="acquisitions@mes.example").count() == 2

    def test_everything_was_recorded_in_an_intact_audit_chain(self):
        checked, problem = verify_chain()
        assert problem is None
        assert checked == AuditEvent.objects.count()
        assert AuditEvent.objects.filter(action="sheet_version.published").count() == (
            SheetVersion.objects.count()
        )

    def test_the_demo_records_have_a_document_due_and_one_held(self, capsys):
        """DOMAIN §7: `courtier retention --dry-run` and `verify-documents` on the demo."""
        call_command("retention", "--dry-run", "--date", MONDAY.date().isoformat())
        call_command("verify-documents")
        out = capsys.readouterr().out
        due, held = out.split("retenu(s) par un blocage juridique")
        assert "1 document(s) à éliminer" in due
        assert "Attestation d'assurance responsabilité civile 2019" in due
        assert "Rapport d'audit SOC 2 de type II (2019)" in held
        from courtier.documents.models import DocumentVersion

        # Every kept file is in the store, the Catalogue's too (issue 11 §1).
        kept = DocumentVersion.objects.filter(stored__isnull=False)
        assert set(kept.values_list("document__type", flat=True)) >= {
            "catalogue_supporting",
            "sheet_document",
        }
        assert f"{kept.count()} versions vérifiées, 0 problème(s)." in out

    def test_loading_the_demo_again_changes_nothing(self):
        before = counts()
        with time_machine.travel(datetime(2026, 11, 16, 15, tzinfo=TORONTO), tick=False):
            load_demo()
        assert counts() == before
