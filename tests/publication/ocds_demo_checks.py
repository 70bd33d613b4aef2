"""The OCDS 1.1.5 export of the demo data (issue 14 §6, « Done when »), run on the demo loaded once
by tests/demo/test_after_contract.py: its package validates offline against the
vendored schema, publishes the ministry's contract in force with its signed amendment and its
orders and invoices and nothing of the contracts still being prepared or signed, names none of
the demo's people, and `courtier export-ocds --output FILE` writes it."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from courtier.accounts.models import User
from courtier.contracts import demo as contracts_demo
from courtier.contracts.models import ConsumptionEntry, Contract, ContractSignatory
from courtier.publication import export, ocds
from tests.publication.test_ocds import _errors, validator  # noqa: F401 (a fixture)


@pytest.fixture
def in_force(loaded) -> Contract:
    return Contract.objects.get(title=contracts_demo.IN_FORCE_TITLE)


@pytest.mark.usefixtures("loaded")
class TestTheOcdsExportOfTheDemo:
    def test_the_package_is_valid_against_the_vendored_schema(self, validator):  # noqa: F811
        package = export.release_package().package

        assert package["releases"]
        assert _errors(validator, package) == []

    def test_only_the_concluded_contracts_are_published(self, in_force):
        published = {contract.reference for contract in export.concluded_contracts()}

        assert in_force.reference in published
        assert published == set(
            Contract.objects.filter(state__in=export.PUBLISHED_STATES).values_list(
                "reference", flat=True
            )
        )
        assert not published & set(
            Contract.objects.exclude(state__in=export.PUBLISHED_STATES).values_list(
                "reference", flat=True
            )
        )

    def test_the_contract_in_force_has_its_amendment_and_its_orders_and_invoices(self, in_force):
        package = export.release_package().package
        ocid = ocds.make_ocid(settings.OCDS_OCID_PREFIX, in_force.reference)
        releases = [r for r in package["releases"] if r["ocid"] == ocid]
        tags = [r["tag"] for r in releases]

        assert tags[0] == ["award", "contract"]
        assert tags.count(["contractAmendment"]) == 1
        assert (
            tags.count(["implementation"])
            == ConsumptionEntry.objects.filter(contract=in_force).count()
        )
        amended = next(r for r in releases if r["tag"] == ["contractAmendment"])
        (amendment,) = amended["contracts"][0]["amendments"]
        assert amendment["rationale"].startswith("Avenant n° 1")
        assert "Prolongation de la durée de 6 mois" in amendment["description"]
        assert "contractTermination" not in {tag for r in releases for tag in r["tag"]}

    def test_none_of_the_demo_people_appears(self):
        text = export.release_package().text()
        people = [
            *(f"{f} {last}" for f, last in User.objects.values_list("first_name", "last_name")),
            *User.objects.values_list("email", flat=True),
            *ContractSignatory.objects.values_list("name", flat=True),
        ]

        assert "@" not in text
        assert [person for person in people if person.strip() and person in text] == []

    def test_the_command_writes_a_valid_package(self, tmp_path, validator):  # noqa: F811
        path = tmp_path / "demo-ocds.json"
        err = io.StringIO()

        call_command("export-ocds", f"--output={path}", stderr=err)

        written = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        assert _errors(validator, written) == []
        count = len(export.concluded_contracts())
        assert err.getvalue().startswith(f"{count} contrat(s) publié(s) en ")
