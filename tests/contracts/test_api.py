"""Contracts through /api/v1/contracts (issue 13, Done when: the demo acquisition's frozen
strategy becomes a concluded contract, is amended, consumed to 85 % with the 80 % email received
by the SMTP server on loopback, and terminated, through the API only), then the API's refusals:
422 naming the request's fields, 404 for a contract one may not see, 403 for a move one may not
make, and replays of a write under the same Idempotency-Key.

The end-to-end test loads the demo and uses nothing but the API, with the demo people's own
personal tokens (a session for the signatory, who holds no token), on a frozen clock that moves
forward with the story."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from courtier.accounts.models import User
from courtier.acquisitions.demo import FROZEN_TITLE
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from courtier.contracts import messages
from courtier.contracts.models import Contract, Signature
from courtier.documents.models import DocumentVersion
from courtier.documents.signing import inspect_pdf
from tests.acquisitions.test_api import (  # noqa: F401 (demo is a fixture)
    Api,
    demo,
    errors,
    person,
    upload,
)
from tests.contracts import factories
from tests.factories import PASSWORD

TORONTO = ZoneInfo("America/Toronto")
URL = "/api/v1/contracts"
DEMO_PASSWORD = "Courtier-demo-2026"  # courtier.accounts.demo.DEMO_PASSWORD


def contracts(user) -> Api:
    return Api(user, URL)


def version_bytes(version_id: int) -> bytes:
    with DocumentVersion.objects.get(pk=version_id).stored.file.open("rb") as stored:
        return stored.read()


def signed_through(api: Api, path: str, version_id: int) -> dict:
    return api.post(
        f"{path}/sign", {"password": DEMO_PASSWORD, "version_id": version_id}, status=201
    )


# --- the Done-when story ------------------------------------------------------------------------


# Transactional: each request commits, so the PDF its change called for is rendered (the
# immediate task backend) and the email it sent is delivered before the next request.
@pytest.mark.django_db(transaction=True)
def test_the_demo_frozen_strategy_becomes_a_contract_amended_consumed_and_terminated(
    demo,  # noqa: F811
    mailbox,
):
    mathieu = contracts(person("agent@courtier.example"))  # the broker's agent
    sophie = contracts(person("acquisitions@mes.example"))  # procurement, MES
    pierre = contracts(person("signataire@mes.example"))  # the authorised signatory (a session)
    first_event = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    # The broker's queue: the demo's frozen strategy awaits its contract (002 §2.5).
    sources = mathieu.get("/sources")
    source = next(s for s in sources if s["title"] == FROZEN_TITLE)
    assert source["kind"] == "solutions" and source["handoff_id"] is None
    sophie.get("/sources", status=403)
    sophie.post("", {"strategy_id": source["strategy_id"]}, status=403)

    # Made from the frozen strategy, never by hand: its supplier, duration and total.
    key = {"HTTP_IDEMPOTENCY_KEY": "contrat-formulaires-1"}
    made = mathieu.client.post(
        URL,
        {"strategy_id": source["strategy_id"]},
        content_type="application/json",
        **mathieu.headers,
        **key,
    )
    assert made.status_code == 201, made.content
    replayed = mathieu.client.post(
        URL,
        {"strategy_id": source["strategy_id"]},
        content_type="application/json",
        **mathieu.headers,
        **key,
    )
    assert (replayed.status_code, replayed["Idempotent-Replayed"]) == (201, "true")
    assert replayed.json() == made.json()
    contract = made.json()
    assert Contract.objects.filter(strategy_id=source["strategy_id"]).count() == 1
    again = mathieu.post("", {"strategy_id": source["strategy_id"]}, status=422)
    assert errors(again) == {"source": str(messages.SOURCE_TAKEN)}
    assert (contract["state"], contract["kind"], contract["title"]) == (
        "preparation",
        "solutions",
        FROZEN_TITLE,
    )
    assert contract["supplier"] == source["supplier"]
    assert contract["authorised_cents"] == source["total_cents"]
    assert contract["duration_months"] == source["duration_months"]
    assert set(contract["problems"]) >= {"eligibility_confirmed_on", "signatories", "document"}
    path = f"/{contract['id']}"
    assert FROZEN_TITLE not in [s["title"] for s in mathieu.get("/sources")]

    # The broker prepares it: the price terms, the client's confirmation of the supplier's
    # eligibility (step 4), the signatories in order (step 8), then generates it.
    sophie.patch(path, {"price_terms": "Mensuel."}, status=403)
    mathieu.patch(path, {"price_terms": "Facturation mensuelle à terme échu."})
    mathieu.post(f"{path}/eligibility", {"confirmed_on": "2026-11-23", "note": "Par courriel."})
    # The chosen supplier's demo representative signs for it.
    supplier_rep = User.objects.get(memberships__organisation_id=contract["supplier"]["id"])
    refused = mathieu.put(
        f"{path}/signatories",
        {"signatories": [{"party": "client", "user_id": supplier_rep.pk}]},
        status=422,
    )
    assert "signatories" in errors(refused)
    contract = mathieu.put(
        f"{path}/signatories",
        {
            "signatories": [
                {
                    "party": "client",
                    "order": 1,
                    "user_id": person("signataire@mes.example").pk,
                    "title": "Sous-ministre adjoint",
                },
                {"party": "supplier", "order": 1, "user_id": supplier_rep.pk},
            ]
        },
    )
    assert [s["party"] for s in contract["signatories"]] == ["client", "supplier"]
    assert set(contract["problems"]) == {"document"}
    refused = mathieu.post(f"{path}/send-for-review", status=422)
    assert errors(refused) == {"document": str(messages.NO_DOCUMENT)}
    mathieu.post(f"{path}/generate", status=202)
    contract = mathieu.get(path)
    assert contract["generated_at"] and contract["problems"] == {}
    assert len(contract["document"]["versions"]) == 1

    # To the client, who approves it (steps 6-7); the broker validates it with its stamp.
    mailbox.messages.clear()
    assert mathieu.post(f"{path}/send-for-review")["state"] == "client_review"
    assert mailbox.to("acquisitions@mes.example")
    pierre.post(f"{path}/approve", status=403)
    assert sophie.post(f"{path}/approve")["state"] == "approved"
    contract = mathieu.post(f"{path}/validate")
    assert contract["state"] == "validated"
    stamped = contract["document"]["stamped_version_id"]
    assert stamped == contract["document"]["current_version_id"]
    assert contract["document"]["stamp_code"]
    assert contract["next_signatory_ids"] == [contract["signatories"][0]["id"]]

    # The client's signatory signs first, re-entering the password, on the stamped version.
    marc = contracts(supplier_rep)
    refused = marc.post(
        f"{path}/sign", {"password": DEMO_PASSWORD, "version_id": stamped}, status=422
    )
    assert errors(refused) == {"signatory": str(messages.OUT_OF_ORDER)}
    refused = pierre.post(
        f"{path}/sign", {"password": "pas-le-bon", "version_id": stamped}, status=422
    )
    assert errors(refused) == {"password": str(messages.PASSWORD_WRONG)}
    first_version = contract["document"]["versions"][0]["id"]
    refused = pierre.post(
        f"{path}/sign", {"password": DEMO_PASSWORD, "version_id": first_version}, status=422
    )
    assert errors(refused) == {"version": str(messages.NOT_THE_STAMPED_VERSION)}
    signature = signed_through(pierre, path, stamped)
    assert (signature["method"], signature["party"]) == ("platform", "client")
    contract = sophie.get(path)
    assert contract["state"] == "client_signed"
    signed_copy = contract["document"]["current_version_id"]
    assert signed_copy != stamped

    # Then the supplier: the contract is concluded (step 9).
    signed_through(marc, path, signed_copy)
    contract = sophie.get(path)
    assert contract["state"] == "concluded" and contract["concluded_on"] == "2026-11-24"
    assert (
        len(inspect_pdf(version_bytes(contract["document"]["current_version_id"])).signatures) >= 3
    )
    assert Signature.objects.filter(contract_id=contract["id"], amendment=None).count() == 2
    original_end = contract["ends_on"]
    authorised = contract["authorised_cents"]

    # The amendment (002 §4.5): never beyond 36 months in all; six months and more money.
    demo.move_to(datetime(2027, 1, 12, 10, tzinfo=TORONTO))
    pierre = contracts(person("signataire@mes.example"))  # November's session has expired
    refused = sophie.post(
        f"{path}/amendments",
        {"reason": "Prolonger.", "changes": [{"kind": "duration", "months": 36}]},
        status=422,
    )
    assert errors(refused) == {"changes": str(messages.CHANGE_PROBLEMS["too_long"])}
    more = authorised // 4
    amendment = sophie.post(
        f"{path}/amendments",
        {
            "reason": "Les formulaires s'étendent aux écoles du réseau.",
            "changes": [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": more}],
        },
        status=201,
    )
    assert (amendment["number"], amendment["state"]) == (1, "requested")
    a_path = f"/amendments/{amendment['id']}"
    sophie.post(f"{a_path}/prepare", {"fee_cents": 50_000}, status=403)
    assert mathieu.post(f"{a_path}/prepare", {"fee_cents": 50_000})["state"] == "preparation"
    mathieu.post(f"{a_path}/generate", status=202)
    assert mathieu.post(f"{a_path}/send-for-review")["state"] == "client_review"
    assert sophie.post(f"{a_path}/approve")["state"] == "approved"
    amendment = mathieu.post(f"{a_path}/validate")
    assert amendment["state"] == "validated" and amendment["document"]["stamp_code"]
    signed_through(pierre, a_path, amendment["document"]["stamped_version_id"])
    amendment = sophie.get(a_path)
    assert amendment["state"] == "client_signed"
    signed_through(marc, a_path, amendment["document"]["current_version_id"])
    amendment = sophie.get(a_path)
    assert amendment["state"] == "signed" and amendment["signed_on"] == "2027-01-12"
    contract = sophie.get(path)
    assert contract["terms"]["months"] == contract["duration_months"] + 6
    assert contract["terms"]["authorised_cents"] == authorised + more
    assert contract["ends_on"] > original_end

    # Consumption (002 §4.4): orders within the authorised amount, invoices to 85 %; the
    # client's people are told at 80 %, once, by email.
    new_authorised = authorised + more
    refused = sophie.post(
        f"{path}/entries",
        {
            "kind": "order",
            "number": "BC-TROP",
            "dated_on": "2027-01-12",
            "amount_cents": new_authorised + 1,
        },
        form=True,
        status=422,
    )
    assert list(errors(refused)) == ["amount_cents"]
    sophie.post(
        f"{path}/entries",
        {
            "kind": "order",
            "number": "BC-001",
            "dated_on": "2027-01-12",
            "amount_cents": new_authorised,
            "description": "Commande de l'ensemble du contrat",
            "document": upload("bc-001.pdf"),
        },
        form=True,
        status=201,
    )
    mailbox.messages.clear()
    invoice = sophie.post(
        f"{path}/entries",
        {
            "kind": "invoice",
            "number": "F-001",
            "dated_on": "2027-01-12",
            "amount_cents": new_authorised * 70 // 100,
        },
        form=True,
        status=201,
    )
    assert invoice["kind"] == "invoice" and invoice["document_id"] is None
    assert mailbox.messages == []  # 70 %: nobody is told yet
    sophie.post(
        f"{path}/entries",
        {
            "kind": "invoice",
            "number": "F-002",
            "dated_on": "2027-01-12",
            "amount_cents": new_authorised * 85 // 100 - new_authorised * 70 // 100,
        },
        form=True,
        status=201,
    )
    told = mailbox.to("acquisitions@mes.example")
    assert len(told) == 1 and "80" in mailbox.body(told[0])
    used = sophie.get(f"{path}/consumption")
    assert used["summary"]["consumed_percent"] == "85.0"
    assert used["summary"]["told_80_at"] and used["summary"]["told_100_at"] is None
    assert [e["number"] for e in used["entries"]] == ["BC-001", "F-001", "F-002"]

    # The client terminates it with its letter (DOMAIN §7: transmitted to the broker at once).
    mathieu.post(
        f"{path}/termination",
        {"effective_on": "2027-03-31", "reason": "X", "letter": upload("lettre.pdf")},
        form=True,
        status=403,
    )
    contract = sophie.post(
        f"{path}/termination",
        {
            "effective_on": "2027-03-31",
            "reason": "Le ministère regroupe ses formulaires sur une autre plateforme.",
            "letter": upload("lettre-de-resiliation.pdf"),
        },
        form=True,
        status=201,
    )
    assert (contract["state"], contract["ended_on"]) == ("terminated", "2027-03-31")
    assert contract["termination"]["letter_document_id"]

    # Every step was audited, and the audit chain still holds.
    actions = set(
        AuditEvent.objects.filter(seq__gt=first_event or 0).values_list("action", flat=True)
    )
    assert actions >= {
        "contract.created",
        "contract.eligibility_confirmed",
        "contract.signatories_set",
        "contract.generated",
        "contract.send_for_review",
        "contract.approve",
        "contract.validate",
        "contract.signed",
        "contract.sign_client",
        "contract.sign_supplier",
        "contract.transmitted",
        "amendment.requested",
        "amendment.signed",
        "contract.amended",
        "consumption.recorded",
        "contract.threshold_reached",
        "contract.terminate",
    }
    assert verify_chain()[1] is None


# --- refusals -------------------------------------------------------------------------------------
# (Each test builds its own world: a module-wide one would still be open, uncommitted, while the
# transactional test above loads the demo.)


@pytest.fixture
def prepared(orgs, people):
    from tests.acquisitions.factories import at

    with at(date(2027, 3, 1), 10):
        yield factories.solutions_contract(orgs, people)


def test_a_contract_one_may_not_see_is_404_and_a_move_one_may_not_make_403(people, prepared):
    other_body = contracts(people["group_procurement"])
    other_body.get(f"/{prepared.pk}", status=404)
    other_body.post(f"/{prepared.pk}/generate", status=404)
    procurement = contracts(people["client_procurement"])
    assert procurement.get(f"/{prepared.pk}")["reference"] == prepared.reference
    procurement.post(f"/{prepared.pk}/generate", status=403)
    procurement.post(f"/{prepared.pk}/eligibility", {"confirmed_on": "2027-02-27"}, status=403)
    supplier = contracts(factories.supplier_signer(prepared))
    assert supplier.get("")["count"] >= 1


def test_refused_inputs_are_422_naming_their_field(people, prepared):
    broker = contracts(people["broker_agent"])
    body = broker.post("", {}, status=422)
    assert errors(body) == {"source": str(messages.SOURCE_REQUIRED)}
    body = broker.post("", {"strategy_id": 2**40}, status=422)
    assert errors(body) == {"strategy_id": str(messages.STRATEGY_NOT_FROZEN)}
    body = broker.patch(f"/{prepared.pk}", {"duration_months": 37}, status=422)
    assert list(errors(body)) == ["duration_months"]
    body = broker.put(
        f"/{prepared.pk}/signatories", {"signatories": [{"party": "témoin"}]}, status=422
    )
    assert list(errors(body)) == ["signatories.0.party"]
    body = broker.post(f"/{prepared.pk}/eligibility", {"confirmed_on": "2099-01-01"}, status=422)
    assert list(errors(body)) == ["eligibility_confirmed_on"]
    body = broker.post(f"/{prepared.pk}/eligibility", {"confirmed": "2027-01-01"}, status=422)
    assert set(errors(body)) == {"confirmed_on", "confirmed"}


def test_a_write_replayed_under_the_same_key_runs_once(people, prepared):
    broker = contracts(people["broker_agent"])
    events = AuditEvent.objects.filter(action="contract.updated").count()
    answers = [
        broker.client.patch(
            f"{URL}/{prepared.pk}",
            {"price_terms": "Trimestriel."},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="conditions-1",
            **broker.headers,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="contract.updated").count() == events + 1
    other = broker.client.patch(
        f"{URL}/{prepared.pk}",
        {"price_terms": "Annuel."},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="conditions-1",
        **broker.headers,
    )
    assert other.status_code == 422
    assert [e["field"] for e in other.json()["errors"]] == ["Idempotency-Key"]


@pytest.fixture
def validated(orgs, people, prepared):
    """The prepared contract generated (its rendering run here), approved and stamped."""
    from courtier.contracts.services import transitions
    from courtier.contracts.services.rendering import contract_document_keep

    broker = people["broker_agent"]
    contract_document_keep(contract_id=prepared.pk, by_id=broker.pk)
    transitions.contract_send_for_review(by=broker, contract=prepared)
    transitions.contract_approve(by=people["client_procurement"], contract=prepared)
    transitions.contract_validate(by=broker, contract=prepared)
    return Contract.objects.get(pk=prepared.pk)


def test_a_paper_signature_is_recorded_with_its_copy_to_follow_then_the_copy_joined(
    people, validated
):
    procurement = contracts(people["client_procurement"])
    path = f"/{validated.pk}"
    signatory = validated.signatories.get(party="client")
    not_a_pdf = upload("copie.pdf", b"pas un PDF")
    body = procurement.post(
        f"{path}/paper-signatures",
        {"signatory_id": signatory.pk, "signed_on": "2027-03-01", "document": not_a_pdf},
        form=True,
        status=422,
    )
    assert list(errors(body)) == ["document"]
    signature = procurement.post(
        f"{path}/paper-signatures",
        {"signatory_id": signatory.pk, "signed_on": "2027-03-01"},
        form=True,
        status=201,
    )
    assert (signature["method"], signature["copy_awaited"]) == ("paper", True)
    again = procurement.post(
        f"{path}/paper-signatures",
        {"signatory_id": signatory.pk, "signed_on": "2027-03-01"},
        form=True,
        status=422,
    )
    assert errors(again) == {"signatory_id": str(messages.ALREADY_SIGNED)}
    contract = procurement.get(path)
    assert contract["state"] == "client_signed"
    supplier = contracts(factories.supplier_signer(validated))
    supplier.post(
        f"{path}/sign",
        {"password": PASSWORD, "version_id": contract["document"]["current_version_id"]},
        status=201,
    )
    assert procurement.get(path)["state"] == "concluded"
    joined = procurement.post(
        f"/signatures/{signature['id']}/copy",
        {"document": upload("copie-signee.pdf")},
        form=True,
    )
    assert joined["copy_awaited"] is False and joined["version_id"]
    body = procurement.post(
        f"/signatures/{signature['id']}/copy",
        {"document": upload("encore.pdf")},
        form=True,
        status=422,
    )
    assert errors(body) == {"document": str(messages.SIGNED_COPY_NOT_AWAITED)}


def test_a_csv_file_of_orders_and_invoices_is_refused_whole_naming_each_bad_line(people, prepared):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = factories.forced(prepared, "concluded")
    finance = contracts(people["client_finance"])
    start = contract.start_on.isoformat()

    def csv(text: str) -> dict:
        return {"file": SimpleUploadedFile("entrees.csv", text.encode(), content_type="text/csv")}

    header = "type,numero,date,montant,description\n"
    bad = header + f"commande,BC-1,{start},1000,Commande\nlivraison,X-1,{start},10,?\n"
    body = finance.post(f"/{contract.pk}/entries/import", csv(bad), form=True, status=422)
    assert list(errors(body)) == ["file"] and "3" in errors(body)["file"]
    good = header + f'commande,BC-1,{start},"500,50",Commande\nfacture,F-1,{start},250.25,\n'
    entries = finance.post(f"/{contract.pk}/entries/import", csv(good), form=True, status=201)
    assert [(e["kind"], e["amount_cents"]) for e in entries] == [
        ("order", 50_050),
        ("invoice", 25_025),
    ]
    used = finance.get(f"/{contract.pk}/consumption")
    assert (used["summary"]["ordered_cents"], used["summary"]["consumed_cents"]) == (
        50_050,
        25_025,
    )
