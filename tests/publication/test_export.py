"""The OCDS 1.1.5 export of generated contracts (issue 14 §6; courtier/publication/export.py): a
solutions contract concluded, amended (one signed amendment), consumed and terminated, and a
services contract in force with its invoice and an amendment still only requested, built through
the contracts' services on one world for the module (``forced`` to concluded and in force, as in
tests/contracts/test_amendments.py). The package validates offline against the vendored schema
(the validator of tests/publication/test_ocds.py), its ids are stable, its ocid prefix is the
setting's, and no person appears in it, even named in a reason."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from courtier.accounts.models import User
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractSignatory,
    ContractState,
    EntryKind,
)
from courtier.contracts.services.amendments import amendment_apply, amendment_request
from courtier.contracts.services.consumption import entry_record
from courtier.contracts.services.termination import contract_terminate
from courtier.publication import export, ocds
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.contracts.test_consumption import people_of
from tests.files import samples
from tests.helpers import shared_world
from tests.publication.test_ocds import _errors, validator  # noqa: F401 (a fixture)

PREFIX = "ocds-crtier"
# Free text typed by the client's people, naming a person with her email and telephone number.
PERSON = "Marie Tremblay"
REASON = f"Demande de {PERSON} (marie.tremblay@mes.gouv.qc.ca, 418 555-0199) : six mois de plus."
TERMINATION_REASON = f"Manquements répétés constatés par {PERSON}, voir marie.tremblay@mes.ca"
SIGNED_ON = date(2027, 7, 2)
EFFECTIVE = date(2027, 9, 30)


def build(orgs) -> dict[str, Contract]:
    """The solutions contract (12 months from 2027-05-30) concluded, ordered and invoiced,
    amended once (6 months, 500 $ more; signed), then terminated; the services contract in force
    (from 2027-06-01), invoiced, with an amendment requested but never signed."""
    people = people_of(orgs)
    with at(date(2027, 3, 1), 10):  # the factories' dates are Quebec's
        solutions = factories.solutions_contract(orgs, people)
        services = factories.services_contract(orgs, people)
    solutions = factories.forced(solutions, ContractState.CONCLUDED)
    services = factories.forced(services, ContractState.IN_FORCE)
    finance, procurement = people["client_finance"], people["client_procurement"]
    for kind, number, day in (
        (EntryKind.ORDER, "BC-1", date(2027, 6, 15)),
        (EntryKind.INVOICE, "F 1/2027", date(2027, 6, 30)),
    ):
        entry_record(
            by=finance,
            contract=solutions,
            kind=kind,
            number=number,
            dated_on=day,
            amount_cents=100_00,
        )
    amendment = amendment_request(
        by=procurement,
        contract=solutions,
        reason=REASON,
        changes=[{"kind": "duration", "months": 6}, {"kind": "amount", "cents": 500_00}],
    )
    # What services.signing does once the parties signed (tests/contracts/test_amendments.py).
    Amendment.objects.filter(pk=amendment.pk).update(
        state=AmendmentState.SIGNED, signed_on=SIGNED_ON
    )
    amendment_apply(amendment=Amendment.objects.get(pk=amendment.pk), by=people["supplier_rep"])
    contract_terminate(
        by=procurement,
        contract=Contract.objects.get(pk=solutions.pk),
        effective_on=EFFECTIVE,
        reason=TERMINATION_REASON,
        content=samples.pdf("lettre de résiliation"),
        name="resiliation.pdf",
    )
    entry_record(
        by=finance,
        contract=services,
        kind=EntryKind.INVOICE,
        number="F-9",
        dated_on=date(2027, 6, 20),
        amount_cents=1_234_56,
    )
    amendment_request(
        by=procurement,
        contract=services,
        reason=REASON,
        changes=[{"kind": "duration", "months": 6}],
    )
    return {
        "solutions": Contract.objects.get(pk=solutions.pk),
        "services": Contract.objects.get(pk=services.pk),
    }


shared, world, orgs, people = shared_world(build)


@pytest.fixture
def contracts(world) -> dict[str, Contract]:
    return world[2]


@pytest.fixture
def package(world) -> dict:
    with override_settings(OCDS_OCID_PREFIX=PREFIX):
        return export.release_package().package


def releases_of(package: dict, contract: Contract) -> list[dict]:
    ocid = ocds.make_ocid(PREFIX, contract.reference)
    return [release for release in package["releases"] if release["ocid"] == ocid]


def short_ids(package: dict, contract: Contract) -> list[tuple[str, list[str]]]:
    ocid = ocds.make_ocid(PREFIX, contract.reference)
    return [(r["id"].removeprefix(f"{ocid}-"), r["tag"]) for r in releases_of(package, contract)]


def test_the_package_of_the_generated_contracts_is_valid_against_the_vendored_schema(
    validator,  # noqa: F811
    package,
):
    assert len(package["releases"]) == 7
    assert _errors(validator, package) == []


def test_the_amended_consumed_and_terminated_contract_has_a_release_per_event(package, contracts):
    assert short_ids(package, contracts["solutions"]) == [
        ("conclusion", ["award", "contract"]),
        ("order-BC-1", ["implementation"]),
        ("invoice-F%201%2F2027", ["implementation"]),
        ("amendment-1", ["contractAmendment"]),
        ("termination", ["contractTermination"]),
    ]


def test_the_signed_amendment_carries_its_rationale_its_changes_and_the_new_terms(
    package, contracts
):
    contract = contracts["solutions"]
    amended = next(r for r in releases_of(package, contract) if r["tag"] == ["contractAmendment"])
    (terms,) = amended["contracts"]
    (amendment,) = terms["amendments"]

    assert amendment["rationale"] == (
        "Avenant n° 1 demandé par l'organisme client : prolongation de la durée, hausse du "
        "montant total autorisé."
    )
    assert amendment["description"].startswith("Prolongation de la durée de 6 mois; Hausse du")
    assert "500,00" in amendment["description"]
    assert amendment["date"] == "2027-07-02T00:00:00-04:00"
    assert amendment["amendsReleaseID"].endswith("-conclusion")
    # 002 §4.5: the original terms plus the signed amendment.
    original = Decimal(contract.authorised_cents).scaleb(-2)  # the original amount
    assert terms["value"]["amount"] == original + Decimal("500.00")
    assert terms["period"]["endDate"].startswith("2028-11-29")  # 18 months from 2027-05-30


def test_the_amount_after_the_amendment_is_the_original_plus_its_change(package, contracts):
    contract = contracts["solutions"]
    conclusion, *_ = releases_of(package, contract)
    amended = next(r for r in releases_of(package, contract) if r["tag"] == ["contractAmendment"])

    before = conclusion["contracts"][0]["value"]["amount"]
    after = amended["contracts"][0]["value"]["amount"]
    assert after - before == Decimal("500.00")


def test_the_termination_is_published_without_its_reason(package, contracts):
    *_, termination = releases_of(package, contracts["solutions"])
    (terms,) = termination["contracts"]

    assert termination["tag"] == ["contractTermination"]
    assert terms["status"] == "terminated"
    assert terms["finalStatusDetails"] == export.TERMINATION_TEXT
    assert terms["period"]["endDate"] == "2027-09-30T00:00:00-04:00"


def test_consumption_entries_are_transactions_from_the_client_to_the_supplier(package, contracts):
    contract = contracts["services"]
    assert short_ids(package, contract) == [
        ("conclusion", ["award", "contract"]),
        ("invoice-F-9", ["implementation"]),
    ]  # its amendment is only requested: not published
    _, invoice = releases_of(package, contract)
    (transaction,) = invoice["contracts"][0]["implementation"]["transactions"]

    assert transaction["value"] == {"amount": Decimal("1234.56"), "currency": "CAD"}
    assert transaction["payer"] == {"id": f"org-{contract.client_id}", "name": contract.client.name}
    assert transaction["payee"]["id"] == f"org-{contract.supplier_id}"


def test_parties_are_the_client_the_supplier_and_the_broker_with_their_roles(
    package, contracts, orgs
):
    contract = contracts["services"]
    conclusion, _ = releases_of(package, contract)

    assert {party["name"]: party["roles"] for party in conclusion["parties"]} == {
        contract.client.name: ["buyer", "payer"],
        orgs["broker"].name: ["procuringEntity"],
        contract.supplier.name: ["supplier", "payee"],
    }
    assert package["publisher"]["name"] == orgs["broker"].name


def test_items_are_the_offers_components_or_the_qualifications(package, contracts):
    solutions, _ = releases_of(package, contracts["solutions"])[:2]
    services, _ = releases_of(package, contracts["services"])
    offers = contracts["solutions"].basis["offers"]

    solution_items = solutions["contracts"][0]["items"]
    assert {item["id"].split("-")[1] for item in solution_items} == {o["code"] for o in offers}
    assert all(item["description"].startswith(offers[0]["name"]) for item in solution_items[:1])
    service_items = services["contracts"][0]["items"]
    assert [item["id"] for item in service_items] == [
        f"qualification-{code}" for code in contracts["services"].basis["qualifications"]
    ]
    assert {item["classification"]["id"] for item in service_items} == {"81160000"}


@pytest.mark.parametrize(
    "state", [ContractState.PREPARATION, ContractState.VALIDATED, ContractState.CLIENT_SIGNED]
)
def test_a_contract_not_concluded_yet_is_not_published(contracts, state):
    factories.forced(contracts["services"], state)

    references = {contract.reference for contract in export.concluded_contracts()}

    assert references == {contracts["solutions"].reference}


def test_an_ended_contract_is_still_published(contracts):
    factories.forced(contracts["services"], ContractState.ENDED)

    assert len(export.concluded_contracts()) == 2


def test_two_exports_are_identical(world):
    assert export.release_package().text() == export.release_package().text()


def test_the_ocid_prefix_is_the_setting(world):
    with override_settings(OCDS_OCID_PREFIX="ocds-a1b2c3"):
        package = export.release_package().package

    assert {release["ocid"][:12] for release in package["releases"]} == {"ocds-a1b2c3-"}
    assert all(r["id"].startswith(r["ocid"]) for r in package["releases"])


def test_no_person_appears_in_the_package_even_named_in_a_reason(package):
    text = ocds.dumps(package)
    people = [
        *(f"{first} {last}" for first, last in User.objects.values_list("first_name", "last_name")),
        *User.objects.values_list("email", flat=True),
        *ContractSignatory.objects.values_list("name", flat=True),
    ]

    assert Amendment.objects.filter(reason=REASON).count() == 2  # the reasons were written
    assert PERSON not in text and "Tremblay" not in text
    assert "@" not in text and "555" not in text
    assert [person for person in people if person and person in text] == []
    assert "contactPoint" not in text


def test_the_export_reads_the_database_in_a_few_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        export.release_package()


# --- the command ------------------------------------------------------------------------------


def test_the_command_writes_the_package_to_a_file_and_says_what_it_holds(
    world,
    tmp_path,
    validator,  # noqa: F811
):
    path = tmp_path / "ocds.json"
    err = io.StringIO()

    call_command("export-ocds", "--output", str(path), stderr=err)

    written = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    assert _errors(validator, written) == []
    assert path.read_text(encoding="utf-8") == export.release_package().text() + "\n"
    assert err.getvalue().strip() == "2 contrat(s) publié(s) en 7 publication(s) OCDS."


def test_the_command_writes_to_the_standard_output_without_a_file(world):
    out = io.StringIO()

    call_command("export-ocds", stdout=out, stderr=io.StringIO())

    assert json.loads(out.getvalue(), parse_float=Decimal)["version"] == "1.1"


@override_settings(OCDS_OCID_PREFIX="courtier")
def test_the_command_refuses_an_ocid_prefix_that_is_not_ocds_and_six_characters(world):
    with pytest.raises(CommandError, match="prefix"):
        call_command("export-ocds", stdout=io.StringIO(), stderr=io.StringIO())
