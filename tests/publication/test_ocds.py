"""The OCDS 1.1.5 release package of concluded contracts (issue 14, point 6): pure, no database.

The package is validated offline against the vendored schemas (courtier/publication/schemas/):
the release schema is registered under its public URL in a `referencing.Registry` whose
retrieval refuses everything, so nothing is ever fetched from the network.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

import courtier.publication
from courtier.publication import ocds
from courtier.publication.ocds import (
    Amendment,
    ConcludedContract,
    ConsumptionEntry,
    EntryKind,
    Item,
    Kind,
    Organisation,
    Termination,
)

SCHEMAS = Path(courtier.publication.__file__).parent / "schemas"
PREFIX = "ocds-xxxxxx"
URI = "https://courtier.example.gouv.qc.ca/api/v1/publication/ocds.json"
BROKER = Organisation(id="org-1", name="Centre d'acquisitions gouvernementales")
OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$")
# People of the generated world (signatories, requesters): none of them may be published.
PEOPLE = ["Marie Tremblay", "Jean Gagnon", "Sophie Roy", "Luc Côté", "Nadia Bouchard"]
CLIENTS = ["Ministère de la Cybersécurité et du Numérique", "Société de l'assurance automobile"]
SUPPLIERS = ["Nuage Boréal inc.", "Services TI Laurentides ltée", "Infogérance Fleuve S.E.N.C."]


def _refuse(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    package_schema = _load("release-package-schema.json")
    release_schema = _load("release-schema.json")
    registry = Registry(retrieve=_refuse).with_resources(
        [
            (release_schema["id"], DRAFT4.create_resource(release_schema)),
            (package_schema["id"], DRAFT4.create_resource(package_schema)),
        ]
    )
    Draft4Validator.check_schema(package_schema)
    Draft4Validator.check_schema(release_schema)
    return Draft4Validator(
        package_schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _errors(validator: Draft4Validator, package: dict) -> list[str]:
    # Validate what is published: the JSON text, read back with exact decimals.
    document = json.loads(ocds.dumps(package), parse_float=Decimal)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _generated_contracts(seed: int, count: int = 8) -> list[ConcludedContract]:
    """Contracts as the platform would know them: some amended, terminated or consumed."""
    rng = random.Random(seed)
    clients = [Organisation(id=f"org-{10 + i}", name=name) for i, name in enumerate(CLIENTS)]
    suppliers = [
        Organisation(
            id=f"org-{20 + i}",
            name=name,
            identifier_scheme="CA-QC-NEQ" if i == 0 else None,
            identifier_id="1234567890" if i == 0 else None,
        )
        for i, name in enumerate(SUPPLIERS)
    ]
    contracts = []
    for n in range(count):
        kind = rng.choice([Kind.SOLUTIONS, Kind.SERVICES])
        start = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
        months = rng.choice([12, 24, 36])
        end = start + timedelta(days=30 * months)
        cents = rng.randrange(1_000_00, 5_000_000_00)
        if kind is Kind.SOLUTIONS:
            items = tuple(
                Item(
                    id=f"offre-{rng.randrange(100, 999)}-{i}",
                    description=f"Composante {i + 1} de l'offre infonuagique",
                    quantity=Decimal(rng.randrange(1, 500)) / 4,
                    unit="mois-utilisateur",
                    unspsc=rng.choice(["43230000", "81162000"]),
                )
                for i in range(rng.randrange(1, 4))
            )
        else:
            items = (
                Item(
                    id=f"qualification-{rng.randrange(1, 40)}",
                    description="Architecte de solutions, niveau sénior",
                    quantity=rng.randrange(100, 2000),
                    unit="heure",
                    unspsc="81160000",
                ),
            )
        amendments = []
        signed = start
        for number in range(1, rng.randrange(0, 4) + 1):
            signed += timedelta(days=rng.randrange(20, 90))
            more = rng.randrange(0, 500_000_00)
            cents_after = cents + more * number
            amendments.append(
                Amendment(
                    number=number,
                    signed_on=signed,
                    rationale="Besoin additionnel de capacité en cours de contrat",
                    changes=("Montant total autorisé augmenté", "Durée prolongée de 6 mois"),
                    new_authorised_cents=cents_after if more else None,
                    new_end_on=end + timedelta(days=182 * number) if number % 2 else None,
                )
            )
        entries = [
            ConsumptionEntry(
                kind=rng.choice([EntryKind.ORDER, EntryKind.INVOICE]),
                number=f"F-{n}-{i:04d}" if i else f"BC #{n}/1",
                dated_on=start + timedelta(days=15 * (i + 1)),
                amount_cents=rng.randrange(1, 50_000_00),
            )
            for i in range(rng.randrange(0, 5))
        ]
        termination = None
        if n % 3 == 2:
            termination = Termination(
                effective_on=start + timedelta(days=200),
                reason="Résiliation pour manquement aux niveaux de service",
            )
        contracts.append(
            ConcludedContract(
                reference=f"C-2026-{n + 1:04d}",
                title=f"Contrat spécifique {n + 1}",
                kind=kind,
                client=rng.choice(clients),
                supplier=rng.choice(suppliers),
                items=items,
                authorised_cents=cents,
                start_on=start,
                planned_end_on=end,
                concluded_on=start - timedelta(days=rng.randrange(1, 30)),
                amendments=tuple(amendments),
                termination=termination,
                entries=tuple(entries),
            )
        )
    return contracts


def _contract(**changes) -> ConcludedContract:
    values = dict(
        reference="C-2026-0001",
        title="Hébergement infonuagique des systèmes de mission",
        kind=Kind.SOLUTIONS,
        client=Organisation(id="org-10", name=CLIENTS[0]),
        supplier=Organisation(id="org-20", name=SUPPLIERS[0]),
        items=(Item(id="offre-7-1", description="Calcul", quantity=12, unit="mois"),),
        authorised_cents=123_456_78,
        start_on=date(2026, 1, 15),
        planned_end_on=date(2028, 1, 14),
        concluded_on=date(2026, 1, 10),
    )
    values.update(changes)
    return ConcludedContract(**values)


def _package(contracts, **options) -> dict:
    return ocds.build_release_package(contracts, prefix=PREFIX, broker=BROKER, uri=URI, **options)


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


# --- Validity -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 14])
def test_the_package_of_generated_contracts_is_valid_against_the_vendored_schema(validator, seed):
    contracts = _generated_contracts(seed)
    assert any(contract.amendments for contract in contracts)
    assert any(not contract.amendments for contract in contracts)
    assert any(contract.termination for contract in contracts)
    assert any(contract.entries for contract in contracts)

    assert _errors(validator, _package(contracts)) == []


def test_a_contract_amended_consumed_and_terminated_is_valid(validator):
    contract = _contract(
        amendments=(
            Amendment(1, date(2026, 6, 1), "Hausse du volume", ("Montant augmenté",), 150_000_00),
            Amendment(2, date(2026, 9, 1), "Prolongation", (), None, date(2028, 7, 14)),
        ),
        entries=(
            ConsumptionEntry(EntryKind.ORDER, "BC-1", date(2026, 2, 1), 10_000_00),
            ConsumptionEntry(EntryKind.INVOICE, "F-1", date(2026, 3, 1), 9_999_99),
        ),
        termination=Termination(date(2026, 12, 1), "Résiliation d'un commun accord"),
    )

    assert _errors(validator, _package([contract])) == []


def test_the_validator_really_checks_the_releases_through_the_local_registry(validator):
    package = _package([_contract()])
    package["releases"][0]["contracts"][0]["value"]["amount"] = "1234.56"
    package["releases"][0]["date"] = "2026-01-10"

    errors = _errors(validator, package)

    assert any("amount" in error for error in errors)
    assert any("date-time" in error for error in errors)


def test_an_empty_package_with_its_date_is_valid(validator):
    package = _package([], published_at=datetime(2026, 12, 4, 9, tzinfo=ZoneInfo("UTC")))

    assert package["releases"] == []
    assert package["publishedDate"] == "2026-12-04T04:00:00-05:00"
    assert _errors(validator, package) == []


# --- Ids ------------------------------------------------------------------------------------


def test_ids_are_stable_across_two_builds():
    first = ocds.dumps(_package(_generated_contracts(7)))
    second = ocds.dumps(_package(list(reversed(_generated_contracts(7)))))

    assert first == second


def test_the_ocid_is_the_configured_prefix_and_the_contract_reference():
    releases = ocds.build_releases(_contract(), prefix="ocds-a1b2c3", broker=BROKER)

    assert {release["ocid"] for release in releases} == {"ocds-a1b2c3-C-2026-0001"}
    assert releases[0]["id"] == "ocds-a1b2c3-C-2026-0001-conclusion"
    assert ocds.make_ocid(PREFIX, "C-2026-0001") == "ocds-xxxxxx-C-2026-0001"


@pytest.mark.parametrize("prefix", ["", "ocds-", "ocds-ABCDEF", "ocds-1234567", "xyz-abcdef"])
def test_an_invalid_ocid_prefix_is_refused(prefix):
    with pytest.raises(ValueError, match="prefix"):
        ocds.build_releases(_contract(), prefix=prefix, broker=BROKER)


def test_release_ids_are_unique_per_contract_and_never_hold_a_number_sign():
    package = _package(_generated_contracts(5, count=12))
    pairs = [(release["ocid"], release["id"]) for release in package["releases"]]

    assert len(pairs) == len(set(pairs))
    assert all("#" not in release_id for _, release_id in pairs)
    assert any("BC%20%23" in release_id for _, release_id in pairs)


# --- Events and tags ------------------------------------------------------------------------


def test_the_tags_follow_the_events_of_each_contract():
    contract = _contract(
        amendments=(
            Amendment(
                2, date(2026, 9, 1), "Prolongation", ("Durée prolongée",), None, date(2028, 7, 14)
            ),
            Amendment(1, date(2026, 6, 1), "Hausse du volume", ("Montant augmenté",), 150_000_00),
        ),
        entries=(ConsumptionEntry(EntryKind.INVOICE, "F-1", date(2026, 3, 1), 9_999_99),),
        termination=Termination(date(2026, 12, 1), "Manquements répétés"),
    )

    releases = ocds.build_releases(contract, prefix=PREFIX, broker=BROKER)

    assert [
        (release["id"].removeprefix(f"{PREFIX}-C-2026-0001-"), release["tag"])
        for release in releases
    ] == [
        ("conclusion", ["award", "contract"]),
        ("invoice-F-1", ["implementation"]),
        ("amendment-1", ["contractAmendment"]),
        ("amendment-2", ["contractAmendment"]),
        ("termination", ["contractTermination"]),
    ]


def test_the_conclusion_holds_the_award_and_the_contract_with_items_and_value():
    (conclusion,) = ocds.build_releases(_contract(), prefix=PREFIX, broker=BROKER)
    (award,) = conclusion["awards"]
    (contract,) = conclusion["contracts"]

    assert award["suppliers"] == [{"id": "org-20", "name": SUPPLIERS[0]}]
    assert contract["awardID"] == award["id"]
    assert contract["status"] == "active"
    assert contract["value"] == {"amount": Decimal("123456.78"), "currency": "CAD"}
    assert contract["items"] == [
        {
            "id": "offre-7-1",
            "description": "Calcul",
            "quantity": Decimal(12),
            "unit": {"name": "mois"},
        }
    ]
    assert contract["period"] == {
        "startDate": "2026-01-15T00:00:00-05:00",
        "endDate": "2028-01-14T23:59:59-05:00",
    }
    assert contract["dateSigned"] == "2026-01-10T00:00:00-05:00"
    assert conclusion["tender"]["procuringEntity"] == {"id": BROKER.id, "name": BROKER.name}


def test_an_amendment_carries_its_rationale_changes_and_the_new_terms():
    contract = _contract(
        amendments=(
            Amendment(1, date(2026, 6, 1), "Hausse du volume", ("Montant augmenté",), 150_000_00),
            Amendment(
                2, date(2026, 7, 2), "Prolongation", ("Durée +6 mois",), None, date(2028, 7, 14)
            ),
        )
    )

    _, first, second = ocds.build_releases(contract, prefix=PREFIX, broker=BROKER)
    (terms,) = second["contracts"]

    assert first["contracts"][0]["value"]["amount"] == Decimal("150000.00")
    assert terms["value"]["amount"] == Decimal("150000.00")
    assert terms["period"]["endDate"] == "2028-07-14T23:59:59-04:00"
    assert terms["amendments"][-1] == {
        "id": "C-2026-0001-A2",
        "date": "2026-07-02T00:00:00-04:00",
        "rationale": "Prolongation",
        "description": "Durée +6 mois",
        "amendsReleaseID": first["id"],
        "releaseID": second["id"],
    }
    assert [a["rationale"] for a in terms["amendments"]] == ["Hausse du volume", "Prolongation"]


def test_a_termination_marks_the_contract_terminated_with_its_reason():
    contract = _contract(termination=Termination(date(2026, 12, 1), "Manquements répétés"))

    *_, termination = ocds.build_releases(contract, prefix=PREFIX, broker=BROKER)
    (terms,) = termination["contracts"]

    assert termination["tag"] == ["contractTermination"]
    assert terms["status"] == "terminated"
    assert terms["finalStatusDetails"] == "Manquements répétés"
    assert terms["period"]["endDate"] == "2026-12-01T00:00:00-05:00"


def test_consumption_becomes_implementation_transactions_from_the_client_to_the_supplier():
    contract = _contract(
        entries=(ConsumptionEntry(EntryKind.ORDER, "BC-9", date(2026, 2, 1), 10_000_05),)
    )

    _, implementation = ocds.build_releases(contract, prefix=PREFIX, broker=BROKER)
    (transaction,) = implementation["contracts"][0]["implementation"]["transactions"]

    assert transaction == {
        "id": "order-BC-9",
        "date": "2026-02-01T00:00:00-05:00",
        "value": {"amount": Decimal("10000.05"), "currency": "CAD"},
        "payer": {"id": "org-10", "name": CLIENTS[0]},
        "payee": {"id": "org-20", "name": SUPPLIERS[0]},
    }


def test_parties_have_their_roles_and_the_broker_is_the_procuring_entity():
    (conclusion,) = ocds.build_releases(_contract(), prefix=PREFIX, broker=BROKER)

    assert {party["id"]: party["roles"] for party in conclusion["parties"]} == {
        "org-10": ["buyer", "payer"],
        "org-1": ["procuringEntity"],
        "org-20": ["supplier", "payee"],
    }
    assert conclusion["buyer"] == {"id": "org-10", "name": CLIENTS[0]}


def test_the_package_envelope_names_the_publisher_and_the_latest_release_date():
    package = _package(_generated_contracts(3))

    assert package["uri"] == URI
    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": BROKER.name}
    assert package["publishedDate"] == max(
        (release["date"] for release in package["releases"]), key=datetime.fromisoformat
    )


# --- Amounts and dates ----------------------------------------------------------------------


def test_amounts_are_exact_decimals_and_serialised_as_json_numbers():
    package = _package([_contract(authorised_cents=10)])

    assert not any(isinstance(value, float) for value in _walk(package))
    text = ocds.dumps(package)
    assert '"amount": 0.10' in text
    assert '"amount": 0.1,' not in text
    read = json.loads(text, parse_float=Decimal)
    assert read["releases"][0]["contracts"][0]["value"]["amount"] == Decimal("0.10")
    assert json.loads(ocds.dumps(package, indent=2), parse_float=Decimal) == read


def test_amounts_come_from_integer_cents_only():
    assert ocds.amount(123456) == Decimal("1234.56")
    assert ocds.amount(-5) == Decimal("-0.05")
    with pytest.raises(TypeError):
        ocds.amount(12.5)
    with pytest.raises(TypeError):
        _contract(authorised_cents=Decimal("100"))
    with pytest.raises(TypeError):
        ocds.dumps({"amount": 1.5})


def test_dates_bear_the_toronto_offset_in_winter_and_in_summer():
    package = _package(_generated_contracts(2))
    stamps = [
        value
        for value in _walk(package)
        if isinstance(value, str) and value[:2] == "20" and "T" in value
    ]

    assert stamps and all(OFFSET.match(stamp) for stamp in stamps)
    assert ocds.ocds_datetime(date(2026, 1, 15)) == "2026-01-15T00:00:00-05:00"
    assert ocds.ocds_datetime(date(2026, 7, 15)) == "2026-07-15T00:00:00-04:00"
    utc = datetime(2026, 7, 15, 12, 30, 15, 999, tzinfo=ZoneInfo("UTC"))
    assert ocds.ocds_datetime(utc) == "2026-07-15T08:30:15-04:00"
    with pytest.raises(ValueError, match="naive"):
        ocds.ocds_datetime(datetime(2026, 7, 15, 12))


# --- Personal information -------------------------------------------------------------------


def test_no_persons_name_nor_contact_appears_in_the_package():
    text = ocds.dumps(_package(_generated_contracts(11, count=12)))

    for person in PEOPLE:
        assert person not in text
        assert person.split()[1] not in text
    assert "contactPoint" not in text
    assert "@" not in text


def test_only_organisations_are_named_in_the_parties():
    package = _package(_generated_contracts(4))
    organisations = {BROKER.name, *CLIENTS, *SUPPLIERS}

    for release in package["releases"]:
        for party in release["parties"]:
            assert set(party) <= {"id", "name", "identifier", "roles"}
            assert party["name"] in organisations
    names = {
        value["name"]
        for value in _walk(package)
        if isinstance(value, dict) and "name" in value and "roles" not in value and "id" in value
    }
    assert names <= organisations


def test_emails_and_phone_numbers_typed_in_free_text_are_removed():
    contract = _contract(
        amendments=(
            Amendment(
                1,
                date(2026, 6, 1),
                "Demande transmise par courriel (dir.ti@mcn.gouv.qc.ca, 418 555-0199)",
                ("Voir le 1-800-555-0123",),
                200_000_00,
            ),
        ),
        termination=Termination(date(2026, 12, 1), "Avis envoyé à avis@fournisseur.ca"),
    )

    text = ocds.dumps(_package([contract]))

    assert "@" not in text
    assert "555" not in text
    assert text.count(ocds.REDACTED) == 4
