"""The demo contracts (`courtier demo`): one contract in each state worth showing for the
Ministère de l'Enseignement supérieur, built through the services (audited, their PDFs rendered,
stamped and signed), the acquisitions demo's frozen strategy left for the broker's queue, and a
second loading that changes nothing."""

from __future__ import annotations

import pytest
from django.test import TestCase

from courtier.accounts.models import User
from courtier.acquisitions import demo as acquisitions_demo
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.contracts import demo, selectors
from courtier.contracts.models import Amendment, ConsumptionEntry, Contract, Signature
from courtier.demo.loaders import load_demo
from courtier.documents.models import ValidatedVersion
from courtier.documents.signing import inspect_pdf
from courtier.fees import demo as fees_demo
from courtier.pricerequests.demo import HANDED_OFF_TITLE
from tests.demo.loaded import MONDAY, demo_loaded, loaded  # noqa: F401 (fixtures)

MODELS = (Contract, Amendment, Signature, ConsumptionEntry, AuditEvent)


def contract_titled(title: str) -> Contract:
    return Contract.objects.select_related("client", "supplier").get(title=title)


def current_bytes(contract_or_amendment) -> bytes:
    with contract_or_amendment.document.current.stored.file.open("rb") as stored:
        return stored.read()


@pytest.mark.usefixtures("loaded")
class TestTheDemoContracts:
    def test_the_ministry_has_a_contract_in_each_state_worth_showing(self):
        # Besides the fees demo's contract concluded under the older grid (tests/fees/).
        states = dict(
            Contract.objects.exclude(title=fees_demo.OLDER_MODEL_TITLE).values_list(
                "title", "state"
            )
        )
        assert states == {
            HANDED_OFF_TITLE: "preparation",
            demo.REVIEW_TITLE: "client_review",
            demo.SIGNING_TITLE: "validated",
            demo.IN_FORCE_TITLE: "in_force",
        }
        assert {c.client.name for c in Contract.objects.select_related("client")} == {
            "Ministère de l'Enseignement supérieur"
        }

    def test_the_services_contract_comes_from_the_handed_off_file_and_awaits_the_broker(self):
        contract = contract_titled(HANDED_OFF_TITLE)
        assert contract.kind == "services" and contract.handoff is not None
        assert contract.supplier.name == "Conseil TI Saint-Laurent inc."
        assert contract.eligibility_confirmed_on is not None
        assert contract.generated_at is not None and contract.document.current.number == 1
        assert sorted(contract.signatories.values_list("party", flat=True)) == [
            "client",
            "supplier",
        ]

    def test_the_demo_frozen_strategy_is_left_without_a_contract_for_the_broker(self):
        strategy = AcquisitionStrategy.objects.get(file__title=acquisitions_demo.FROZEN_TITLE)
        assert not Contract.objects.filter(strategy=strategy).exists()

    def test_the_validated_contract_awaits_the_clients_signatory_on_the_stamped_version(self):
        contract = contract_titled(demo.SIGNING_TITLE)
        assert ValidatedVersion.objects.filter(version=contract.stamped).exists()
        assert contract.document.current == contract.stamped
        signatory = contract.signatories.get(party="client")
        assert signatory.user.email == demo.SIGNATORY
        assert not Signature.objects.filter(contract=contract).exists()

    def test_the_contract_in_force_was_signed_consumed_and_amended(self):
        contract = contract_titled(demo.IN_FORCE_TITLE)
        assert contract.concluded_on is not None and contract.start_on <= MONDAY.date()
        signed = inspect_pdf(current_bytes(contract))
        assert len(signed.signatures) == 3  # the broker's stamp, then the two parties
        assert all(s.intact for s in signed.signatures)
        amendment = contract.amendments.get()
        assert (amendment.number, amendment.state) == (1, "signed")
        assert len(inspect_pdf(current_bytes(amendment)).signatures) == 3
        terms = selectors.current_terms(contract)
        assert terms.months == contract.duration_months + 6
        assert terms.amendments == (1,)
        entries = ConsumptionEntry.objects.filter(contract=contract)
        assert {e.kind for e in entries} == {"order", "invoice"}
        assert all(e.document_id for e in entries)
        used = selectors.consumption(contract, MONDAY.date())
        assert 0 < used.consumed_percent < 80 and used.forecast.month is not None

    def test_every_demo_contract_change_was_audited_and_the_chain_holds(self):
        actions = set(
            AuditEvent.objects.filter(action__startswith="contract.").values_list(
                "action", flat=True
            )
        )
        assert actions >= {
            "contract.created",
            "contract.generated",
            "contract.send_for_review",
            "contract.validate",
            "contract.signed",
            "contract.enter_into_force",
            "contract.amended",
        }
        assert verify_chain()[1] is None

    def test_the_broker_and_the_client_read_every_demo_contract_through_the_api(self, client):
        for email, seen in (
            (demo.BROKER, 5),  # these four and the fees demo's (issue 15)
            (demo.CLIENT, 5),
            ("representant@conseil-ti.example", 1),
        ):
            client.force_login(User.objects.get(email=email))
            listed = client.get("/api/v1/contracts").json()
            assert listed["count"] == seen
            for row in listed["items"]:
                detail = client.get(f"/api/v1/contracts/{row['id']}")
                assert detail.status_code == 200, detail.content
        client.force_login(User.objects.get(email=demo.CLIENT))
        in_force = contract_titled(demo.IN_FORCE_TITLE)
        detail = client.get(f"/api/v1/contracts/{in_force.pk}").json()
        assert detail["terms"]["amendments"] == [1]
        assert detail["amendments"][0]["state"] == "signed"
        assert detail["consumption"]["consumed_cents"] > 0
        signing = contract_titled(demo.SIGNING_TITLE)
        detail = client.get(f"/api/v1/contracts/{signing.pk}").json()
        assert detail["next_signatory_ids"] == [signing.signatories.get(party="client").pk]
        assert detail["document"]["stamped_version_id"] == signing.stamped_id

    def test_loading_twice_changes_nothing(self):
        before = {model.__name__: model.objects.count() for model in MODELS}
        with TestCase.captureOnCommitCallbacks(execute=True):
            load_demo()
        assert {model.__name__: model.objects.count() for model in MODELS} == before
