"""The pages of specific contracts (issue 13): the broker makes a contract from a handed-off
package in its preparation queue (a replayed form makes one), prepares it (refusals in French at
the field and in the summary), the client returns or approves it, the signatory signs the
stamped version with its password and the page names the next signer; consumption draws its
chart with its table; an amendment is asked and prepared; each action is shown only to who may
do it. The world (contracts at several states, each generated once) is built once."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import TestCase, override_settings

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts import messages
from courtier.contracts.models import (
    Amendment,
    ConsumptionEntry,
    Contract,
    ContractState,
    Signature,
)
from courtier.contracts.services import generation, signing, transitions
from courtier.pricerequests.models import HandoffPackage
from tests.acquisitions.factories import at
from tests.conftest import IMMEDIATE_TASKS
from tests.contracts import factories
from tests.factories import PASSWORD, PEOPLE
from tests.helpers import page_text, shared_world

TODAY = date(2027, 3, 1)


def _people(orgs) -> dict[str, User]:
    users = User.objects.filter(memberships__organisation__in=orgs.values()).distinct()
    return {u.first_name: u for u in users if u.first_name in PEOPLE}


def _after_commit(call) -> None:
    """Run ``call`` and what it queued after the commit (the PDF's rendering), in-process."""
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        call()


def validated(contract: Contract, people: dict[str, User]) -> Contract:
    """``contract`` generated, sent, approved by the client and stamped by the broker."""
    broker, client = people["broker_agent"], people["client_procurement"]
    _after_commit(lambda: generation.contract_generate(by=broker, contract=contract))
    _after_commit(lambda: transitions.contract_send_for_review(by=broker, contract=contract))
    _after_commit(lambda: transitions.contract_approve(by=client, contract=contract))
    _after_commit(lambda: transitions.contract_validate(by=broker, contract=contract))
    return Contract.objects.get(pk=contract.pk)


def build(orgs):
    people = _people(orgs)
    with at(TODAY, 10):
        solutions = factories.solutions_contract(orgs, people)
        package = factories.handoff_package(orgs, people)
        validated(solutions, people)
    return {"solutions": solutions.pk, "package": package.pk}


shared, world, orgs, people = shared_world(build)


@pytest.fixture
def made(world):
    return world[2]


@pytest.fixture(autouse=True)
def _clock():
    with at(TODAY, 11):
        yield


def _solutions(made) -> Contract:
    return Contract.objects.get(pk=made["solutions"])


def _services(people, made) -> Contract:
    """The package's contract, in preparation (made through the service, not the page)."""
    from courtier.contracts.services import creation

    package = HandoffPackage.objects.get(pk=made["package"])
    contract = creation.contract_create(
        by=people["broker_agent"], handoff=package, start_on=date(2027, 6, 1)
    )
    return factories.prepared(contract, people)


def test_the_broker_makes_a_contract_from_the_queue_and_a_replayed_form_makes_one(
    client, people, made
):
    client.force_login(people["broker_agent"])
    queue = page_text(client.get("/contrats/preparation/"))
    package = HandoffPackage.objects.get(pk=made["package"])
    assert package.file.reference in queue and "Préparer le contrat" in queue
    body = {
        "source": f"handoff:{package.pk}",
        "start_on": "2027-06-01",
        "_form_token": "c" * 32,
    }
    first = client.post("/contrats/nouveau/", body)
    again = client.post("/contrats/nouveau/", body)
    contract = Contract.objects.get(handoff=package)
    assert (first.status_code, again.status_code) == (302, 303)
    assert first["Location"] == f"/contrats/{contract.pk}/"
    assert AuditEvent.objects.filter(action="contract.created").count() == 2  # + the world's
    # Without the replay token, the second attempt is refused in French.
    refused = client.post("/contrats/nouveau/", body | {"_form_token": "d" * 32})
    assert refused.status_code == 422 and str(messages.SOURCE_TAKEN) in page_text(refused)
    assert package.file.reference not in page_text(client.get("/contrats/preparation/"))


def test_nobody_but_the_broker_sees_the_queue(client, people):
    for who in ("client_procurement", "supplier_rep", "broker_auditor"):
        client.force_login(people[who])
        assert client.get("/contrats/preparation/").status_code == 403


def test_preparation_forms_refuse_in_french_at_the_field_and_in_the_summary(client, people, made):
    contract = _services(people, made)
    client.force_login(people["broker_agent"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Enregistrer les conditions" in page and "Générez d'abord le contrat" in page
    refused = client.post(
        f"/contrats/{contract.pk}/conditions/",
        {
            "title": "Audit",
            "start_on": "2027-06-01",
            "duration_months": "48",
            "authorised": "1000,00",
        },
    )
    text = page_text(refused)
    assert refused.status_code == 422
    assert "Le formulaire contient des erreurs" in text and "36" in text
    early = client.post(f"/contrats/{contract.pk}/transmettre/")
    assert early.status_code == 422
    assert str(messages.NO_DOCUMENT) in page_text(early)
    assert "Votre demande n'a pas été faite" in page_text(early)
    done = client.post(
        f"/contrats/{contract.pk}/conditions/",
        {
            "title": "Audit de sécurité",
            "start_on": "2027-06-01",
            "duration_months": "12",
            "authorised": "150 000,00",
            "price_terms": "Facturation mensuelle.",
        },
    )
    assert done.status_code == 302
    contract.refresh_from_db()
    assert (contract.duration_months, contract.authorised_cents) == (12, 15_000_000)
    future = client.post(
        f"/contrats/{contract.pk}/admissibilite/", {"eligibility_confirmed_on": "2031-01-01"}
    )
    assert future.status_code == 422 and str(messages.SIGNED_ON_FUTURE) in page_text(future)
    # The signatories in order: the client's authorised signatory in the platform, then the
    # provider's on paper (a name); a person of another party is refused.
    body = {"party_0": "client", "order_0": "1", "user_0": people["client_signatory"].pk}
    wrong = client.post(
        f"/contrats/{contract.pk}/signataires/",
        body | {"party_1": "supplier", "user_1": people["client_head"].pk},
    )
    assert wrong.status_code == 422
    assert "Sélectionnez un choix valide" in page_text(wrong) or str(
        messages.SIGNATORY_USER_WRONG
    ) in page_text(wrong)
    done = client.post(
        f"/contrats/{contract.pk}/signataires/",
        body | {"party_1": "supplier", "order_1": "1", "name_1": "Représentant F"},
    )
    assert done.status_code == 302
    assert [(s.party, s.name) for s in contract.signatories.order_by("party")] == [
        ("client", people["client_signatory"].get_full_name()),
        ("supplier", "Représentant F"),
    ]


def test_the_client_sees_no_preparation_form_and_returns_with_a_comment(client, people, made):
    contract = _services(people, made)
    broker = people["broker_agent"]
    _after_commit(lambda: generation.contract_generate(by=broker, contract=contract))
    _after_commit(lambda: transitions.contract_send_for_review(by=broker, contract=contract))
    client.force_login(people["client_signatory"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Approuver les documents" not in page and "Enregistrer les conditions" not in page
    client.force_login(people["client_procurement"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Approuver les documents" in page and "Enregistrer les conditions" not in page
    assert "Valider les documents contractuels" in page  # what it awaits, from whom
    refused = client.post(f"/contrats/{contract.pk}/retourner/", {"comment": ""})
    assert refused.status_code == 422 and "obligatoire" in page_text(refused)
    client.post(f"/contrats/{contract.pk}/retourner/", {"comment": "Préciser l'objet."})
    contract.refresh_from_db()
    assert contract.state == ContractState.PREPARATION
    client.force_login(broker)
    assert "Préciser l'objet." in page_text(client.get(f"/contrats/{contract.pk}/"))


def test_the_signatory_signs_the_stamped_version_with_its_password(client, people, made):
    contract = _solutions(made)
    head = signing.chain_head(contract)
    client.force_login(factories.supplier_signer(contract))  # not its turn yet
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert contract.reference in page and "Votre mot de passe" not in page
    client.force_login(people["client_signatory"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Votre mot de passe" in page and "Version finale validée" in page
    assert contract.stamped.validation.code in page  # the verification code
    # The stamped version reaches its signatory, who may not read the confidential document
    # through the document store.
    download = client.get(f"/contrats/{contract.pk}/versions/{head.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    wrong = client.post(
        f"/contrats/{contract.pk}/signer/", {"version": head.pk, "password": "pas le bon"}
    )
    assert wrong.status_code == 422 and str(messages.PASSWORD_WRONG) in page_text(wrong)
    done = client.post(
        f"/contrats/{contract.pk}/signer/", {"version": head.pk, "password": PASSWORD}
    )
    assert done.status_code == 302
    assert Signature.objects.filter(contract=contract).count() == 1
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Signé le" in page and "Votre mot de passe" not in page
    supplier = factories.supplier_signer(contract)
    assert f"En attente : Signer le contrat — {supplier.get_full_name()}" in page


def test_a_stranger_never_reads_a_contract_nor_its_versions(client, people, orgs, made):
    contract = _solutions(made)
    head = signing.chain_head(contract)
    client.force_login(people["provider_rep"])
    assert client.get(f"/contrats/{contract.pk}/").status_code == 404
    assert client.get(f"/contrats/{contract.pk}/versions/{head.pk}/").status_code == 404
    assert (
        client.post(f"/contrats/{contract.pk}/signer/", {"password": PASSWORD}).status_code == 404
    )


def test_consumption_draws_its_chart_with_a_table_and_refuses_an_order_beyond_100(
    client, people, made
):
    contract = factories.forced(_solutions(made), ContractState.IN_FORCE)
    client.force_login(people["client_procurement"])
    done = client.post(
        f"/contrats/{contract.pk}/commande-facture/",
        {
            "kind": "invoice",
            "number": "F-1",
            "dated_on": contract.start_on.isoformat(),
            "amount": "1000,00",
        },
    )
    assert done.status_code == 302
    assert ConsumptionEntry.objects.filter(contract=contract).count() == 1
    refused = client.post(
        f"/contrats/{contract.pk}/commande-facture/",
        {
            "kind": "order",
            "number": "C-1",
            "dated_on": contract.start_on.isoformat(),
            "amount": str(contract.authorised_cents),  # in dollars: a hundred times too much
        },
    )
    assert refused.status_code == 422 and "au-delà de 100 %" in page_text(refused)
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert '<svg viewBox="0 0' in page and 'role="img"' in page
    assert "Le graphique en tableau" in page and "1\xa0000,00 $" in page
    client.force_login(people["supplier_rep"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Enregistrer une commande ou une facture" not in page and "Résilier" not in page


def test_an_amendment_is_asked_then_prepared_with_its_fee(client, people, made):
    contract = factories.forced(_solutions(made), ContractState.CONCLUDED)
    client.force_login(people["client_procurement"])
    too_long = client.post(
        f"/contrats/{contract.pk}/avenant/", {"reason": "Prolonger.", "months": "36"}
    )
    assert too_long.status_code == 422
    assert "trois ans" in page_text(too_long)
    asked = client.post(
        f"/contrats/{contract.pk}/avenant/", {"reason": "Prolonger.", "months": "6"}
    )
    assert asked.status_code == 302
    amendment = Amendment.objects.get(contract=contract)
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Prolongation de 6 mois" in page and "En attente : Préparer l'avenant — Courtier" in page
    assert "Frais de gestion de l'avenant ($)" not in page  # the broker's form
    client.force_login(people["broker_agent"])
    assert "Frais de gestion de l'avenant ($)" in page_text(client.get(f"/contrats/{contract.pk}/"))
    done = client.post(f"/contrats/{contract.pk}/avenants/1/preparer/", {"fee": "250,00"})
    assert done.status_code == 302
    amendment.refresh_from_db()
    assert (amendment.state, amendment.fee_cents) == ("preparation", 25_000)


def test_the_list_filters_by_state_in_place(client, people, made):
    client.force_login(people["client_procurement"])
    contract = _solutions(made)
    page = page_text(client.get("/contrats/"))
    assert contract.reference in page and 'hx-get="/contrats/"' in page
    part = client.get("/contrats/?etat=preparation", headers={"HX-Request": "true"})
    assert "<html" not in part.content.decode() and contract.reference not in page_text(part)
    client.force_login(people["provider_rep"])
    assert contract.reference not in page_text(client.get("/contrats/"))


def _posted(client, url: str, body: dict | None = None):
    """A page's POST, with what it queued after the commit (the PDF's rendering) run."""
    with override_settings(TASKS=IMMEDIATE_TASKS), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, body or {})
    assert response.status_code == 302, page_text(response)
    return response


def test_a_contract_goes_from_preparation_to_concluded_through_its_pages(client, people, made):
    """002 §2.5 steps 5-9: generated, sent, approved, stamped, signed by the client then the
    supplier; once concluded, the page shows what is owed to the broker (DOMAIN §7)."""
    contract = _services(people, made)
    url = f"/contrats/{contract.pk}/"
    client.force_login(people["broker_agent"])
    _posted(client, url + "generer/")
    page = page_text(client.get(url))
    assert "Version générée" in page and "Générez d'abord" not in page
    _posted(client, url + "transmettre/")
    client.force_login(people["client_procurement"])
    _posted(client, url + "approuver/")
    client.force_login(people["broker_agent"])
    assert "Valider et apposer le cachet du Courtier" in page_text(client.get(url))
    _posted(client, url + "valider/")
    contract.refresh_from_db()
    assert contract.state == ContractState.VALIDATED
    for signer in (people["client_signatory"], factories.supplier_signer(contract)):
        client.force_login(signer)
        head = signing.chain_head(Contract.objects.get(pk=contract.pk))
        _posted(client, url + "signer/", {"version": head.pk, "password": PASSWORD})
    contract.refresh_from_db()
    assert contract.state == ContractState.CONCLUDED
    client.force_login(people["client_procurement"])
    page = page_text(client.get(url))
    assert "Transmission au Courtier" in page and "Contrat spécifique signé" in page
    assert "Conclu le" in page and "Demander un avenant" in page
    assert page.count("Signé le") >= 2


def test_a_paper_signature_is_recorded_then_its_copy_deposited(client, people, made):
    """002 §2.5 step 8 on paper; DOMAIN §7: the copy is owed to the broker until it is in."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    contract = _solutions(made)
    url = f"/contrats/{contract.pk}/"
    client.force_login(people["client_procurement"])
    page = page_text(client.get(url))
    assert "Consigner une signature faite sur papier" in page and "Votre mot de passe" not in page
    row = contract.signatories.get(party="client")
    future = client.post(
        url + "signature-papier/", {"signatory": row.pk, "signed_on": "2031-01-01"}
    )
    assert future.status_code == 422 and str(messages.SIGNED_ON_FUTURE) in page_text(future)
    client.post(url + "signature-papier/", {"signatory": row.pk, "signed_on": TODAY.isoformat()})
    signature = Signature.objects.get(contract=contract)
    assert signature.version_id is None
    page = page_text(client.get(url))
    assert "copie signée à transmettre" in page and "Copies signées à transmettre" in page
    copy = SimpleUploadedFile("signee.pdf", pdf_bytes("copie signée"))
    done = client.post(url + "copie/", {"signature": signature.pk, "document": copy})
    assert done.status_code == 302
    signature.refresh_from_db()
    assert signature.version_id is not None
    assert "copie signée à transmettre" not in page_text(client.get(url))


def test_an_amendment_is_signed_through_the_pages_and_the_terms_show_it(client, people, made):
    """002 §4.5: asked, prepared with its fee, generated, approved, stamped and signed in order
    like the contract; then the contract's terms show the original and the amended ones."""
    contract = factories.forced(_solutions(made), ContractState.IN_FORCE)
    url = f"/contrats/{contract.pk}/"
    amendment_url = url + "avenants/1/"
    client.force_login(people["client_procurement"])
    _posted(client, url + "avenant/", {"reason": "Prolonger la migration.", "months": "3"})
    client.force_login(people["broker_agent"])
    _posted(client, amendment_url + "preparer/", {"fee": "250,00"})
    _posted(client, amendment_url + "generer/")
    _posted(client, amendment_url + "transmettre/")
    client.force_login(people["client_procurement"])
    refused = client.post(amendment_url + "retourner/", {"comment": ""})
    assert refused.status_code == 422
    _posted(client, amendment_url + "approuver/")
    client.force_login(people["broker_agent"])
    _posted(client, amendment_url + "valider/")
    for signer in (people["client_signatory"], factories.supplier_signer(contract)):
        client.force_login(signer)
        amendment = Amendment.objects.get(contract=contract)
        assert "Votre signature" in page_text(client.get(url))
        head = signing.chain_head(amendment)
        _posted(client, amendment_url + "signer/", {"version": head.pk, "password": PASSWORD})
    assert Amendment.objects.get(contract=contract).state == "signed"
    page = page_text(client.get(url))
    assert "Avenant 1, signé le" in page and "Conditions d'origine" in page
    assert f"{contract.duration_months + 3} mois" in page


def test_orders_and_invoices_are_imported_and_the_contract_terminated(client, people, made):
    """002 §4.4: a CSV file, every bad line named or all recorded; DOMAIN §7: the termination
    letter is kept and transmitted at once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    contract = factories.forced(_solutions(made), ContractState.IN_FORCE)
    url = f"/contrats/{contract.pk}/"
    start = contract.start_on.isoformat()
    header = "type,numero,date,montant,description\n"

    def csv(text: str) -> SimpleUploadedFile:
        return SimpleUploadedFile("factures.csv", (header + text).encode(), "text/csv")

    client.force_login(people["client_finance"])
    bad = client.post(url + "importer/", {"file": csv(f"facture,F-1,{start},abc,Mois 1\n")})
    assert bad.status_code == 422 and "Ligne 2" in page_text(bad)
    assert not ConsumptionEntry.objects.filter(contract=contract).exists()
    good = f"commande,C-1,{start},500.00,Mois 1\nfacture,F-1,{start},250,50,Mois 1\n"
    _posted(client, url + "importer/", {"file": csv(good.replace("250,50", '"250,50"'))})
    assert ConsumptionEntry.objects.filter(contract=contract).count() == 2
    letter = SimpleUploadedFile("lettre.pdf", pdf_bytes("lettre de résiliation"))
    _posted(
        client,
        url + "resilier/",
        {"effective_on": start, "reason": "Besoin disparu.", "letter": letter},
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.TERMINATED
    page = page_text(client.get(url))
    assert "Résilié à compter du" in page and "Résilier le contrat" not in page


def test_a_services_contract_asks_for_activities_under_its_qualifications(client, people, made):
    """002 §4.5: services added must fall within the contract's qualifications."""
    contract = factories.forced(_services(people, made), ContractState.IN_FORCE)
    client.force_login(people["client_procurement"])
    page = page_text(client.get(f"/contrats/{contract.pk}/"))
    assert "Qualification du contrat" in page and "Offre du contrat" not in page
    outside = client.post(
        f"/contrats/{contract.pk}/avenant/",
        {"reason": "Plus d'analyse.", "qualification": "inconnue", "activity": "Analyse"},
    )
    assert outside.status_code == 422
    done = client.post(
        f"/contrats/{contract.pk}/avenant/",
        {"reason": "Plus d'analyse.", "qualification": "cyber", "activity": "Analyse de code"},
    )
    assert done.status_code == 302
    assert "Ajout de l'activité « Analyse de code »" in page_text(
        client.get(f"/contrats/{contract.pk}/")
    )


def test_the_page_waits_for_the_pdf_in_place_while_it_is_rendered(client, people, made):
    """A page never waits for a PDF (rendered after the commit): after « Générer », the
    documents part asks again (htmx) until the new version is there."""
    contract = _services(people, made)
    client.force_login(people["broker_agent"])
    asked = client.post(f"/contrats/{contract.pk}/generer/")  # the rendering not run yet
    assert asked["Location"] == f"/contrats/{contract.pk}/?generation#documents-contrat"
    fragment = f"/contrats/{contract.pk}/?generation&partie=documents"
    part = page_text(client.get(fragment, headers={"HX-Request": "true"}))
    assert 'hx-trigger="every 2s"' in part and "en cours" in part and "<html" not in part
    _after_commit(
        lambda: generation.contract_generate(by=people["broker_agent"], contract=contract)
    )
    part = page_text(client.get(fragment, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in part and "Version générée" in part
