"""The contract's and the amendment's PDF from the broker's versioned template (002 §2.5 steps
5-6, §3.5, §4.5): asked for by a broker agent while in preparation, rendered after the commit by
the task, kept as a new version of the instrument's document and audited; French PDF/A with its
annexes and its amounts in figures and in words. The world (a solutions contract, a services
contract and an amendment, each rendered once) is built once for the module."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from pypdf import PdfReader

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.contracts.services import generation, rendering
from courtier.contracts.services.creation import TEMPLATE_VERSION
from courtier.contracts.words import amount_in_words, number_in_words
from courtier.documents.models import Document, TransmissionRequest
from courtier.documents.signing import STAMP_HEIGHT_MM
from tests.acquisitions.factories import at
from tests.conftest import IMMEDIATE_TASKS
from tests.contracts import factories
from tests.core.test_pdf import assert_pdfa, page_texts
from tests.factories import PEOPLE
from tests.helpers import shared_world

REASON = "Prolonger le service le temps de la migration vers la nouvelle plateforme."
BOTTOM_MARGIN_MM = 16  # core/pdf/print.css: the running footer sits in it
CHANGES = [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": 123456}]


def _people(orgs) -> dict[str, User]:
    """The people shared_world made for these organisations (factories.build_people: one per
    role, named after it)."""
    users = User.objects.filter(memberships__organisation__in=orgs.values()).distinct()
    return {u.first_name: u for u in users if u.first_name in PEOPLE}


def _generated(render) -> None:
    """Run what ``render`` queued after the commit, the tasks in-process."""
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        render()


def _bytes(instrument) -> bytes:
    return generation.current_pdf(type(instrument).objects.get(pk=instrument.pk))


def build(orgs):
    people = _people(orgs)
    broker = people["broker_agent"]
    with at(date(2027, 3, 1), 10):
        solutions = factories.solutions_contract(orgs, people)
        services = factories.services_contract(orgs, people)
        _generated(lambda: generation.contract_generate(by=broker, contract=solutions))
        _generated(lambda: generation.contract_generate(by=broker, contract=services))
        # The amendment helper's services are tested in test_amendments.py: here the amendment
        # is put in preparation on a contract put in force directly (factories.forced).
        concluded = factories.forced(services, ContractState.IN_FORCE)
        amendment = Amendment.objects.create(
            contract=concluded,
            number=1,
            state=AmendmentState.PREPARATION,
            reason=REASON,
            changes=CHANGES,
            fee_cents=25000,
            requested_by=people["client_procurement"],
        )
        _generated(lambda: generation.amendment_generate(by=broker, amendment=amendment))
    return {
        "solutions": (solutions.pk, _bytes(solutions)),
        "services": (services.pk, _bytes(services)),
        "amendment": (amendment.pk, _bytes(amendment)),
    }


shared, world, orgs, people = shared_world(build)


def _text(content: bytes) -> str:
    """The document's text, a word hyphenated at a line's end read whole again."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(page_texts(content)))


def _pdf(world, key: str) -> str:
    return _text(world[2][key][1])


def _last_page_lines(content: bytes) -> list[tuple[float, str]]:
    """The text drawn on the last page, each piece with its baseline's height above the page's
    bottom edge, in millimetres."""
    lines: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # points, from the bottom
            lines.append((y * 25.4 / 72, text))

    PdfReader(io.BytesIO(content)).pages[-1].extract_text(visitor_text=visit)
    return lines


def _contract(world, key: str) -> Contract:
    return Contract.objects.get(pk=world[2][key][0])


# --- amounts in words (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "words"),
    [
        (123456, "mille deux cent trente-quatre dollars et cinquante-six cents"),
        (100, "un dollar"),
        (200, "deux dollars"),
        (0, "zéro dollar"),
        (1, "un cent"),
        (56, "cinquante-six cents"),
        (2101, "vingt et un dollars et un cent"),
        (8000, "quatre-vingts dollars"),
        (9600000, "quatre-vingt-seize mille dollars"),
        (20000000, "deux cent mille dollars"),
        (100000000, "un million de dollars"),
        (300000000, "trois millions de dollars"),
        (150000000, "un million cinq cent mille dollars"),
        (200000000000, "deux milliards de dollars"),
    ],
)
def test_an_amount_reads_in_french_words_with_the_cents_after_the_dollars(cents, words):
    assert amount_in_words(cents) == words


@pytest.mark.parametrize("value", [-1, -100])
def test_a_negative_amount_has_no_words(value):
    with pytest.raises(ValueError):
        amount_in_words(value)
    with pytest.raises(ValueError):
        number_in_words(value)


@pytest.mark.parametrize(
    ("monthly", "months", "total", "schedule"),
    [
        ([8000] * 3, 3, 24000, [8000, 8000, 8000]),  # the strategy's amounts
        ([100, 200, 300], 3, 600, [100, 200, 300]),
        ([8000] * 3, 4, 24000, [6000, 6000, 6000, 6000]),  # duration changed since
        ([8000] * 3, 3, 25000, [8333, 8333, 8334]),  # total changed: the leftover last
        (None, 2, 1200001, [600000, 600001]),  # a services contract: spread evenly
    ],
)
def test_the_schedule_is_the_strategys_months_while_they_make_up_the_terms(
    monthly, months, total, schedule
):
    """002 §2.5: the total and its spread over the duration."""
    assert rendering.monthly_schedule(monthly, months, total) == schedule
    assert sum(schedule) == total


# --- the solutions contract's PDF ---------------------------------------------------------------


def test_the_contract_is_a_french_pdfa_titled_with_its_reference(world):
    contract = _contract(world, "solutions")
    assert_pdfa(world[2]["solutions"][1], title=f"Contrat spécifique {contract.reference}")


def test_the_contract_names_its_template_version_on_every_page(world):
    contract = _contract(world, "solutions")
    assert contract.template_version == TEMPLATE_VERSION
    pages = page_texts(world[2]["solutions"][1])
    assert all(f"{contract.reference} — gabarit {TEMPLATE_VERSION}" in page for page in pages)
    assert f"Gabarit du Courtier version {TEMPLATE_VERSION}" in pages[0]


def test_the_contract_states_its_amount_in_figures_and_in_words(world):
    """The authorised total (960 $ here: 12 months of 80 $) and the schedule's total."""
    text = _pdf(world, "solutions")
    assert "960,00 $ (neuf cent soixante dollars)" in text
    assert "Total de l'échéancier : 960,00 $ (neuf cent soixante dollars)." in text


def test_the_contract_has_its_four_annexes_in_order(world):
    text = _pdf(world, "solutions")
    headings = [
        "Annexe A — Annexe modificative",
        "Annexe B — Conditions du fournisseur",
        "Annexe C — Échéancier de consommation",
        "Annexe D — Formulaire d'engagement de responsabilité en matière de gestion contractuelle",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_the_supplier_conditions_list_the_sheet_versions_offers_components_and_quantities(world):
    """002 §2.5: the sheet versions the frozen strategy rests on, with what it froze."""
    contract = _contract(world, "solutions")
    text = _pdf(world, "solutions")
    offer = contract.basis["offers"][0]
    annex_b = text[text.index("Annexe B") : text.index("Annexe C —")]
    assert "Fiche Fournisseur E – 2027-03-01" in annex_b
    assert f"{offer['name']} {offer['code']}" in annex_b
    assert "Boîtes de courriel" in annex_b and "par utilisateur par mois" in annex_b
    assert "Quantités par mois du contrat" in annex_b and "NUAGE/BASE" in annex_b


def test_the_schedule_shows_the_strategys_monthly_amounts(world):
    contract = _contract(world, "solutions")
    text = _pdf(world, "solutions")
    annex_c = text[text.index("Annexe C —") : text.index("Annexe D —")]
    assert "Les montants mensuels de la stratégie d'acquisition figée." in annex_c
    assert "1 — mai 2027 80,00 $ 80,00 $" in annex_c
    assert "12 — avril 2028 80,00 $ 960,00 $" in annex_c
    assert contract.duration_months == 12


def test_the_commitment_form_ends_with_the_clients_signature_block(world):
    contract = _contract(world, "solutions")
    (signatory,) = contract.signatories.filter(party="client")
    last = page_texts(world[2]["solutions"][1])[-1]
    assert last.startswith("Annexe D — Formulaire d'engagement de responsabilité")
    assert f"Signataire 1 : {signatory.name} Signature : ____" in last


@pytest.mark.parametrize("key", ["solutions", "services", "amendment"])
def test_the_last_page_leaves_the_stamps_height_free_above_its_footer(world, key):
    """documents.signing: the stamp goes at the bottom right of the last page."""
    lines = _last_page_lines(world[2][key][1])
    body = [(y, text) for y, text in lines if y > BOTTOM_MARGIN_MM]  # the footer is below
    lowest, text = min(body)
    assert lowest >= BOTTOM_MARGIN_MM + STAMP_HEIGHT_MM
    assert text.startswith("Espace réservé au cachet de validation du Courtier")


def test_the_contract_names_both_parties_signatories(world):
    contract = _contract(world, "solutions")
    text = _pdf(world, "solutions")
    body = text[: text.index("Annexe A —")]
    for signatory in contract.signatories.all():
        assert signatory.name in body
    assert f"Pour le fournisseur : {contract.supplier.name}" in body


# --- the services contract's PDF --------------------------------------------------------------


def test_a_services_contract_lists_its_qualifications_and_the_chosen_response(world):
    """002 §3.5: the file's qualifications and the response the client chose."""
    text = _pdf(world, "services")
    annex_b = text[text.index("Annexe B") : text.index("Annexe C —")]
    assert "Qualifications" in annex_b and "cyber" in annex_b and "migration" in annex_b
    assert "Mode de rémunération Taux horaire" in annex_b
    assert "Analyse de sécurité 120,00 $ 100 12 000,00 $" in annex_b
    assert "Prix de la réponse 12 000,00 $ (douze mille dollars)" in annex_b
    assert "Pour le prestataire de services : Prestataire F" in text


def test_a_services_contract_spreads_its_total_evenly_over_its_months(world):
    text = _pdf(world, "services")
    annex_c = text[text.index("Annexe C —") : text.index("Annexe D —")]
    assert "réparti également sur la durée du contrat" in annex_c
    assert "1 — juin 2027 1 000,00 $ 1 000,00 $" in annex_c
    assert "Total 12 000,00 $" in annex_c
    assert_pdfa(world[2]["services"][1])


# --- the amendment's PDF ----------------------------------------------------------------------


def test_the_amendment_states_its_number_reason_changes_terms_and_fee(world):
    """002 §4.5: the reason, the changes, the terms before and after, the management fee."""
    amendment = Amendment.objects.select_related("contract").get(pk=world[2]["amendment"][0])
    reference = amendment.contract.reference
    content = world[2]["amendment"][1]
    assert_pdfa(content, title=f"Avenant n° 1 au contrat spécifique {reference}")
    text = _text(content)
    assert "Avenant n° 1" in text and REASON in text
    assert "Prolongation de la durée de 6 mois" in text
    assert (
        "Hausse du montant total autorisé de 1 234,56 $ (mille deux cent trente-quatre dollars "
        "et cinquante-six cents)" in text
    )
    assert "Durée totale 12 mois 18 mois" in text
    assert "Fin prévue 31 mai 2028 30 novembre 2028" in text
    assert "12 000,00 $ (douze mille dollars) 13 234,56 $" in text
    assert "250,00 $ (deux cent cinquante dollars)" in text
    assert f"{reference}-A1 — gabarit {TEMPLATE_VERSION}" in text


def test_the_amendment_is_kept_with_the_contracts_documents_and_audited(world):
    amendment = Amendment.objects.select_related("contract", "document").get(
        pk=world[2]["amendment"][0]
    )
    document = amendment.document
    assert document.type == "signed_amendment"
    assert (document.subject_id, document.owner_id) == (
        amendment.contract_id,
        amendment.contract.client_id,
    )
    assert amendment.generated_at is not None
    event = AuditEvent.objects.get(action="amendment.generated")
    assert event.after == {
        "version": 1,
        "sha256": document.current.sha256,
        "template_version": TEMPLATE_VERSION,
    }


# --- keeping, versions and audit --------------------------------------------------------------


def test_the_first_generation_keeps_the_contracts_document_and_audits_it(world, people):
    contract = _contract(world, "solutions")
    document = Document.objects.get(pk=contract.document_id)
    version = generation.current_version(contract)
    assert document.type == "signed_contract" and version.number == 1
    # Owed to the broker from the signature (DOMAIN §7), not from the first draft.
    assert not TransmissionRequest.objects.filter(type="signed_contract").exists()
    assert version.content_type == "application/pdf"
    assert contract.generated_at is not None and contract.generated_at >= contract.updated_at
    event = AuditEvent.objects.get(action="contract.generated", object_id=str(contract.pk))
    assert event.actor_id == people["broker_agent"].pk
    assert event.before is None
    assert event.after == {
        "version": 1,
        "sha256": version.sha256,
        "template_version": TEMPLATE_VERSION,
    }


def test_generating_again_adds_a_version_and_leaves_updated_at_alone(world, people):
    contract = _contract(world, "solutions")
    first, updated_at = generation.current_version(contract), contract.updated_at
    with at(date(2027, 3, 2), 10):
        _generated(
            lambda: generation.contract_generate(by=people["broker_agent"], contract=contract)
        )
    contract.refresh_from_db()
    second = generation.current_version(contract)
    assert (first.number, second.number) == (1, 2)
    assert second.document_id == first.document_id and second.sha256 != first.sha256
    assert generation.current_pdf(contract).startswith(b"%PDF")
    assert contract.updated_at == updated_at
    event = AuditEvent.objects.filter(action="contract.generated").latest("seq")
    assert (event.before, event.after["version"]) == ({"version": 1}, 2)


def test_a_request_a_later_rendering_covers_keeps_nothing_more(world, people):
    """The task run twice for the same request (a retry) keeps one version."""
    contract = _contract(world, "services")
    Contract.objects.filter(pk=contract.pk).update(state=ContractState.PREPARATION)
    asked_at = (contract.generated_at - timedelta(seconds=1)).isoformat()
    by = people["broker_agent"].pk
    kept = rendering.contract_document_keep(contract_id=contract.pk, by_id=by, asked_at=asked_at)
    assert kept is None
    assert generation.current_version(contract).number == 1


@pytest.mark.parametrize("who", ["client_procurement", "client_signatory", "supplier_rep"])
def test_only_a_broker_agent_generates(world, people, who):
    contract = _contract(world, "solutions")
    amendment = Amendment.objects.get(pk=world[2]["amendment"][0])
    with pytest.raises(PermissionDenied):
        generation.contract_generate(by=people[who], contract=contract)
    with pytest.raises(PermissionDenied):
        generation.amendment_generate(by=people[who], amendment=amendment)


def test_the_suppliers_own_signatory_may_not_generate(world):
    contract = _contract(world, "solutions")
    with pytest.raises(PermissionDenied):
        generation.contract_generate(by=factories.supplier_signer(contract), contract=contract)


@pytest.mark.parametrize("state", [ContractState.CLIENT_REVIEW, ContractState.IN_FORCE])
def test_only_a_contract_in_preparation_is_generated(world, people, state):
    contract = factories.forced(_contract(world, "solutions"), state)
    with pytest.raises(ValidationError) as refused:
        generation.contract_generate(by=people["broker_agent"], contract=contract)
    assert refused.value.message_dict == {"state": [str(messages.NOT_GENERABLE)]}


def test_only_an_amendment_in_preparation_is_generated(world, people):
    amendment = Amendment.objects.get(pk=world[2]["amendment"][0])
    Amendment.objects.filter(pk=amendment.pk).update(state=AmendmentState.CLIENT_REVIEW)
    with pytest.raises(ValidationError) as refused:
        generation.amendment_generate(by=people["broker_agent"], amendment=amendment)
    assert refused.value.message_dict == {"state": [str(messages.AMENDMENT_NOT_GENERABLE)]}


def test_a_contract_that_left_preparation_before_its_rendering_is_not_rendered(world, people):
    contract = factories.forced(_contract(world, "solutions"), ContractState.CLIENT_REVIEW)
    kept = rendering.contract_document_keep(
        contract_id=contract.pk, by_id=people["broker_agent"].pk
    )
    assert kept is None and generation.current_version(contract).number == 1


def test_a_contract_never_generated_has_no_current_version(world, people):
    contract = _contract(world, "solutions")
    Contract.objects.filter(pk=contract.pk).update(document=None)
    contract.refresh_from_db()
    assert generation.current_version(contract) is None
    with pytest.raises(ValidationError) as refused:
        generation.current_pdf(contract)
    assert refused.value.message_dict == {"document": [str(messages.NO_DOCUMENT)]}
