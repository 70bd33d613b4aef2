"""A price request to three providers where one does not respond, from the needs to the package
handed to the broker, through /api/v1/services only (issue 12, Done when): the emails are read
back from the real SMTP server on loopback; no provider's message names another provider; the
published answers do not name the asker; the responses stay sealed until the deadline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from courtier.audit.models import AuditEvent
from courtier.documents.models import Document
from courtier.pricerequests import messages
from courtier.pricerequests.models import HandoffPackage, ServiceFile
from tests.acquisitions.test_api import Api, errors
from tests.factories import make_person, pdf_bytes
from tests.pricerequests import factories
from tests.pricerequests.factories import CUTOFF_ON, DEADLINE_AT, DEADLINE_ON, NEEDS, SENT_AT

URL = "/api/v1/services"


def _names(providers) -> set[str]:
    return {p.name for p in providers.values()}


@pytest.mark.django_db(transaction=True)
def test_a_request_to_three_providers_one_silent_goes_from_needs_to_the_handoff(
    orgs, people, mailbox
):
    providers = factories.qualify_providers(orgs)
    reps = {"F": people["provider_rep"], **factories.provider_people(providers)}
    reps["G"] = make_person(providers["G"], "provider_rep", "rep-g")
    client = Api(people["client_procurement"], URL)  # Ministère A, subject to the RCTI
    broker = Api(people["broker_agent"], URL)
    api = {letter: Api(rep, URL) for letter, rep in reps.items() if letter != "I"}

    with time_machine.travel(SENT_AT - timedelta(days=3), tick=False):
        file = client.post("/files", {"title": "Sécurité et migration"}, status=201)
        path = f"/files/{file['id']}"
        client.patch(f"{path}/needs", NEEDS)
        client.post(f"{path}/transitions", {"action": "submit_needs"})
        detail = client.put(
            f"{path}/qualifications", {"codes": ["cyber", "migration"], "scope_confirmed": True}
        )
        assert [q["scope_description"] for q in detail["qualifications"]] == [
            "Portée : conseil en cybersécurité infonuagique.",
            "Portée : migration vers l'infonuagique.",
        ]
        detail = client.post(f"{path}/transitions", {"action": "confirm_scope"})
        # 002 §3.3.1: every provider qualified in both, preselected with its contacts.
        assert [e["provider"]["name"] for e in detail["shortlist"]] == [
            "Prestataire F",
            "Prestataire G",
            "Prestataire H",
        ]
        assert all(e["included"] and e["contacts"] for e in detail["shortlist"])
        request = client.get(f"{path}/request")
        client.patch(
            f"{path}/request",
            {
                "sections": {s["code"]: f"Contenu : {s['title']}." for s in request["sections"]},
                "criteria": factories.CRITERIA,
                "documents_asked": factories.DOCUMENTS_ASKED,
                "summary": "Analyse de sécurité et plan de migration.",
                "estimated_cents": 15_000_000,
            },
        )
        # Sending before the broker's validation is refused, nothing sent.
        body = client.post(
            f"{path}/request/send",
            {"deadline_on": DEADLINE_ON.isoformat(), "question_cutoff_on": CUTOFF_ON.isoformat()},
            status=422,
        )
        assert errors(body)["action"] == str(messages.SEND_BEFORE_VALIDATION)
        client.post(f"{path}/request/submit")
        queue = broker.get("/validation-queue")
        assert [q["reference"] for q in queue] == [file["reference"]]
        broker.post(f"{path}/request/approve")
    mailbox.messages.clear()

    with time_machine.travel(SENT_AT, tick=False):
        sent = client.post(
            f"{path}/request/send",
            {"deadline_on": DEADLINE_ON.isoformat(), "question_cutoff_on": CUTOFF_ON.isoformat()},
        )
        assert sent["state"] == "sent"
        assert sent["business_days_left"] == 10
        # Each provider emailed alone: its own contacts and representatives, no other name.
        by_provider = {}
        for letter in ("F", "G", "H"):
            received = mailbox.to(
                f"contact-{letter.lower()}-{providers[letter].pk}@prestataire.example"
            )
            assert len(received) == 1
            message = received[0]
            assert reps[letter].email in message["X-Envelope-To"]
            others = _names(providers) - {providers[letter].name}
            text = mailbox.body(message)
            assert not any(name in text or name in message["X-Envelope-To"] for name in others)
            pdf = [
                p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"
            ]
            assert len(pdf) == 1 and pdf[0].get_content().startswith(b"%PDF")
            by_provider[letter] = message
        assert len(mailbox.messages) == 3
        # The request's PDF is kept in the store, the file's choice support.
        assert Document.objects.filter(type="price_request").count() == 1

        inbox = {letter: api[letter].get("/solicitations")["items"] for letter in api}
        assert all(len(items) == 1 for items in inbox.values())
        mine = {letter: inbox[letter][0]["id"] for letter in inbox}
        # No extension, ever (002 §3.3.3).
        body = client.post(f"{path}/request/extend", {"deadline_on": "2026-10-27"}, status=422)
        assert errors(body)["deadline_on"] == str(messages.NO_EXTENSION)

        question = api["F"].post(
            f"/solicitations/{mine['F']}/questions",
            {"text": "Combien de serveurs Windows ?"},
            status=201,
        )
        mailbox.messages.clear()
        client.post(f"/questions/{question['id']}/answer", {"answer": "Trente-deux."})
        assert len(mailbox.messages) == 3  # published to every solicited provider at once
        for message in mailbox.messages:
            assert "Prestataire F" not in mailbox.body(message)
            assert "Trente-deux." in mailbox.body(message)
        seen_by_g = api["G"].get(f"/solicitations/{mine['G']}")
        assert [q["answer"] for q in seen_by_g["questions"]] == ["Trente-deux."]
        pseudonym = seen_by_g["questions"][0]["asked_by"]
        assert re.fullmatch(r"Prestataire [A-C]", pseudonym)
        asker = api["F"].get(f"/solicitations/{mine['F']}")["pseudonym"]
        assert pseudonym == f"Prestataire {asker}"
        assert "Prestataire F" not in str(seen_by_g) and "Prestataire H" not in str(seen_by_g)

    with time_machine.travel(SENT_AT + timedelta(days=2), tick=False):
        for letter, rate in (("F", 12_000), ("G", 15_000)):
            api[letter].put(
                f"/solicitations/{mine[letter]}/response",
                {
                    "lines": [
                        {"activity": "Analyse de sécurité", "rate_cents": rate, "hours": "80"},
                        {"activity": "Plan de migration", "rate_cents": rate, "hours": "20,5"},
                    ],
                    "criteria_answers": {"experience": "Trois migrations."},
                },
            )
            api[letter].post(
                f"/solicitations/{mine[letter]}/response/documents",
                {
                    "asked": factories.DOCUMENTS_ASKED[0],
                    "document": SimpleUploadedFile("cv.pdf", pdf_bytes(f"cv {letter}")),
                },
                form=True,
            )
            response = api[letter].post(f"/solicitations/{mine[letter]}/response/submit")
            assert response["total_cents"] == rate * 80 + rate * 205 // 10
        # Sealed until the deadline: the client cannot open them.
        body = client.get(f"{path}/responses", status=422)
        assert errors(body)["responses"] == str(messages.SEALED)
        body = client.get(f"/responses/{response['id']}", status=422)
        assert errors(body)["responses"] == str(messages.SEALED)
        assert client.get(f"{path}/request")["responses_received"] == 2

    with time_machine.travel(DEADLINE_AT + timedelta(seconds=1), tick=False):
        body = api["H"].post(f"/solicitations/{mine['H']}/response/submit", status=422)
        assert errors(body)["response"] == str(messages.DEADLINE_PASSED)
        mailbox.messages.clear()
        client.post(f"{path}/transitions", {"action": "open_responses"})
        # The silent provider is asked for its non-participation questionnaire, alone.
        asked = mailbox.to(f"contact-h-{providers['H'].pk}@prestataire.example")
        assert len(asked) == 1 and len(mailbox.messages) == 1
        responses = client.get(f"{path}/responses")
        assert [r["provider"]["name"] for r in responses] == ["Prestataire F", "Prestataire G"]
        api["H"].post(
            f"/solicitations/{mine['H']}/non-participation",
            {"reasons": ["workload", "deadline"], "comment": "Équipe occupée jusqu'en janvier."},
        )
        for r in responses:
            client.post(f"/responses/{r['id']}/completeness", {"complete": True})
        # A criterion the request did not declare cannot weigh in the choice.
        body = client.post(
            f"{path}/choice",
            {"response_id": responses[1]["id"], "criteria": ["prix_local"], "justification": "…"},
            status=422,
        )
        assert "prix_local" in errors(body)["criteria"]
        choice = client.post(f"{path}/choice", {"response_id": responses[0]["id"]})
        assert choice["is_lowest"] and not choice["head_authorisation_required"]
        finance = Api(people["client_finance"], URL)
        finance.post(
            f"{path}/financial-authorisation",
            {
                "amount_cents": responses[0]["total_cents"],
                "authorised_on": "2026-10-20",
                "authorised_by_name": "Directrice des finances",
            },
            status=201,
        )
        mailbox.messages.clear()
        client.post(f"{path}/transitions", {"action": "hand_off"})
        assert mailbox.to(people["broker_agent"].email)

    handoff = broker.get(f"{path}/handoff")
    package = handoff["content"]
    assert handoff["provider"]["name"] == "Prestataire F"
    assert handoff["total_cents"] == responses[0]["total_cents"]
    assert [s["pseudonym"] for s in package["solicited"]] == ["A", "B", "C"]
    assert {s["name"] for s in package["solicited"]} == {
        "Prestataire F",
        "Prestataire G",
        "Prestataire H",
    }
    assert package["non_participation"][0]["reasons"] == ["workload", "deadline"]
    assert package["request"]["template_version"] == 1
    assert package["financial_authorisation"]["amount_cents"] == responses[0]["total_cents"]
    assert handoff["request_document_id"] is not None
    assert ServiceFile.objects.get(pk=file["id"]).state == "handed_off"
    assert HandoffPackage.objects.count() == 1
    assert AuditEvent.objects.filter(action="price_request.send").count() == 1
