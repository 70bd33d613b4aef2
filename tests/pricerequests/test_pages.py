"""The pages of service acquisitions through the client (issue 12 §10): a client walks a file to
the broker's validation, the broker returns then approves it, the client sends it; a refused form
comes back with 422 and its French message, a replayed form does nothing twice, an attempt to
extend the deadline is refused; a provider answers in its inbox; the page never shows a
response before the opening."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from courtier.audit.models import AuditEvent
from courtier.calendar import selectors as calendar
from courtier.pricerequests import messages
from courtier.pricerequests.models import PriceRequest, ServiceFile, ServiceResponse, Solicitation
from tests.helpers import shared_world
from tests.pricerequests import factories

shared, world, orgs, people = shared_world(factories.qualify_providers)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _file(people, step: str) -> ServiceFile:
    return factories.file_at(
        people["client_procurement"],
        people["client_procurement"].memberships.first().organisation,
        step,
        broker=people["broker_agent"],
    )


def test_a_client_walks_its_file_to_the_broker_in_the_pages(client, people, orgs):
    client.force_login(people["client_procurement"])
    page = client.get("/services/")
    assert page.status_code == 200 and "Nouveau dossier" in _text(page)
    created = client.post(
        "/services/nouveau/", {"title": "Audit de sécurité", "client": orgs["client"].pk}
    )
    file = ServiceFile.objects.get(title="Audit de sécurité")
    # Moving on too early names each need still unanswered (002 §3.1).
    early = client.post(f"/services/{file.pk}/etape/", {"action": "submit_needs"})
    assert early.status_code == 422
    assert "Échéancier du projet : Réponse requise pour passer à l'étape 2" in _text(early)
    assert created["Location"] == f"/services/{file.pk}/"
    refused = client.post(
        f"/services/{file.pk}/besoins/", {"title": "Audit", "duration_months": "48"}
    )
    assert refused.status_code == 422
    assert "36" in _text(refused)
    client.post(f"/services/{file.pk}/besoins/", {"title": "Audit de sécurité", **factories.NEEDS})
    client.post(f"/services/{file.pk}/etape/", {"action": "submit_needs"})
    page = client.get(f"/services/{file.pk}/")
    assert "Portée : conseil en cybersécurité infonuagique." in _text(page)
    missing = client.post(f"/services/{file.pk}/etape/", {"action": "confirm_scope"})
    assert missing.status_code == 422
    assert "Choisissez au moins une qualification" in _text(missing)
    client.post(
        f"/services/{file.pk}/qualifications/",
        {"codes": ["cyber", "migration"], "scope_confirmed": "on"},
    )
    client.post(f"/services/{file.pk}/etape/", {"action": "confirm_scope"})
    page = _text(client.get(f"/services/{file.pk}/"))
    assert "Prestataire F" in page and "Prestataire I" not in page
    # Leaving a provider out needs a written reason.
    provider = orgs["provider_other"].pk
    refused = client.post(f"/services/{file.pk}/ecarter/", {"provider": provider, "reason": ""})
    assert refused.status_code == 422
    assert str(messages.EXCLUSION_REASON_REQUIRED) in _text(refused) or "obligatoire" in _text(
        refused
    )
    request = PriceRequest.objects.get(file=file)
    sections = {f"section_{s['code']}": "Texte." for s in request.template.sections}
    body = {
        **sections,
        "summary": "Audit de sécurité de 40 serveurs.",
        "estimated": "150 000,00",
        "documents_asked": "Curriculum vitæ",
        "criterion_0": "Bilan carbone des déplacements",
        "environmental_0": "on",
    }
    client.post(f"/services/{file.pk}/soumettre/", body)
    request.refresh_from_db()
    assert request.state == "submitted" and request.estimated_cents == 15_000_000
    assert request.criteria == [
        {
            "code": "bilan-carbone-des-deplacements",
            "label": "Bilan carbone des déplacements",
            "environmental": True,
        }
    ]
    # The client cannot send what the broker has not validated, even by a crafted POST.
    refused = client.post(
        f"/services/{file.pk}/envoyer/",
        {"deadline_on": "2031-01-20", "question_cutoff_on": "2031-01-10"},
    )
    assert refused.status_code == 422
    assert "validée par le Courtier" in _text(refused)


def test_the_broker_returns_with_a_comment_then_approves(client, people):
    file = _file(people, "submitted")
    client.force_login(people["broker_agent"])
    queue = _text(client.get("/services/validation/"))
    assert file.reference in queue and "Portée : migration vers l'infonuagique." in queue
    refused = client.post(f"/services/validation/{file.request.pk}/retourner/", {"comment": ""})
    assert refused.status_code == 422
    client.post(
        f"/services/validation/{file.request.pk}/retourner/", {"comment": "Préciser la portée."}
    )
    assert PriceRequest.objects.get(pk=file.request.pk).state == "returned"
    client.force_login(people["client_procurement"])
    assert "Préciser la portée." in _text(client.get(f"/services/{file.pk}/"))


def test_sending_checks_the_deadline_and_a_replayed_form_sends_once(client, people, mailbox):
    file = _file(people, "approved")
    client.force_login(people["client_procurement"])
    today = timezone.localdate()
    too_long = {
        "deadline_on": calendar.business_days_after(today, 16).isoformat(),
        "question_cutoff_on": calendar.business_days_after(today, 3).isoformat(),
    }
    refused = client.post(f"/services/{file.pk}/envoyer/", too_long)
    assert refused.status_code == 422 and "au plus 15 jours ouvrables" in _text(refused)
    body = {
        "deadline_on": calendar.business_days_after(today, 12).isoformat(),
        "question_cutoff_on": calendar.business_days_after(today, 3).isoformat(),
        "_form_token": "s" * 32,
    }
    first = client.post(f"/services/{file.pk}/envoyer/", body)
    again = client.post(f"/services/{file.pk}/envoyer/", body)
    assert (first.status_code, again.status_code) == (302, 303)
    assert AuditEvent.objects.filter(action="price_request.send").count() == 1
    assert Solicitation.objects.filter(request=file.request).count() == 3
    page = _text(client.get(f"/services/{file.pk}/"))
    assert "12 jours ouvrables restants" in page
    # No extension through the pages either.
    refused = client.post(f"/services/{file.pk}/prolonger/", body | {"_form_token": "x" * 32})
    assert refused.status_code == 422 and "Aucune prolongation" in _text(refused)


def test_a_provider_sees_its_request_and_asks_a_question_and_the_client_sees_no_price(
    client, people, orgs
):
    file = _file(people, "sent_now")
    mine = Solicitation.objects.get(request=file.request, provider=orgs["provider"])
    other = Solicitation.objects.get(request=file.request, provider=orgs["provider_other"])
    client.force_login(people["provider_rep"])
    inbox = _text(client.get("/services/demandes-recues/"))
    assert file.reference in inbox
    assert client.get(f"/services/demandes-recues/{other.pk}/").status_code == 404
    page = _text(client.get(f"/services/demandes-recues/{mine.pk}/"))
    assert "Prestataire G" not in page and "Prestataire H" not in page
    refused = client.post(f"/services/demandes-recues/{mine.pk}/question/", {"text": ""})
    assert refused.status_code == 422
    client.post(f"/services/demandes-recues/{mine.pk}/question/", {"text": "Combien de serveurs ?"})
    client.post(
        f"/services/demandes-recues/{mine.pk}/enregistrer/",
        {"activity_0": "Analyse", "rate_0": "120,00", "hours_0": "10"},
    )
    assert ServiceResponse.objects.get(solicitation=mine).total_cents == 120_000
    client.force_login(people["client_procurement"])
    page = _text(client.get(f"/services/{file.pk}/"))
    assert "Combien de serveurs ?" in page
    assert "1 200,00" not in page  # a draft, and sealed anyway


def test_after_the_deadline_a_provider_cannot_respond_and_returns_its_questionnaire(
    client, people, orgs
):
    file = _file(people, "sent")
    mine = Solicitation.objects.get(request=file.request, provider=orgs["provider"])
    with time_machine.travel(factories.DEADLINE_AT + timedelta(seconds=1), tick=False):
        client.force_login(people["provider_rep"])
        page = _text(client.get(f"/services/demandes-recues/{mine.pk}/"))
        assert "Déposer ma réponse" not in page
        refused = client.post(
            f"/services/demandes-recues/{mine.pk}/enregistrer/",
            {"activity_0": "Analyse", "rate_0": "120,00", "hours_0": "10"},
        )
        assert refused.status_code == 422 and "date limite de réponse est passée" in _text(refused)
        client.force_login(people["client_procurement"])
        client.post(f"/services/{file.pk}/etape/", {"action": "open_responses"})
        client.force_login(people["provider_rep"])
        page = _text(client.get(f"/services/demandes-recues/{mine.pk}/"))
        assert "Questionnaire de non-participation" in page
        client.post(
            f"/services/demandes-recues/{mine.pk}/non-participation/",
            {"reasons": ["workload"], "comment": "Équipe occupée."},
        )
        assert (
            mine.non_participation.__class__.objects.get(pk=mine.non_participation.pk).state
            == "returned"
        )


@pytest.mark.parametrize("who", ["broker_agent", "client_procurement"])
def test_the_file_page_shows_each_step(client, people, who):
    client.force_login(people[who])
    for step in ("needs", "catalogue", "solicitation", "submitted", "sent"):
        file = _file(people, step)
        assert client.get(f"/services/{file.pk}/").status_code == 200


def test_a_validated_request_can_be_taken_back_from_its_page_before_sending(client, people):
    file = _file(people, "approved")
    client.force_login(people["client_procurement"])
    assert "Corriger la demande avant l'envoi" in _text(client.get(f"/services/{file.pk}/"))
    done = client.post(f"/services/{file.pk}/reprendre/")
    assert done.status_code == 302
    assert PriceRequest.objects.get(pk=file.request.pk).state == "draft"
    again = client.post(f"/services/{file.pk}/reprendre/")
    assert again.status_code == 422  # a draft is not validated: nothing to take back
