"""Access requests: asked anonymously, decided by a broker agent, told by email (issue 2 §3)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from courtier.accounts import services
from courtier.accounts.models import AccessRequest, Membership, User
from courtier.audit.models import AuditEvent
from courtier.audit.selectors import verify_chain
from tests.helpers import page_text

VALID = {
    "first_name": "Louise",
    "last_name": "Tremblay",
    "email": "Louise.Tremblay@Ministere.example",
    "role": "client_procurement",
    "reason": "Acquisition d'une solution de courriel.",
}


def submit(orgs, **overrides):
    data = {**VALID, "organisation_id": orgs["client"].pk, **overrides}
    return services.access_request_create(**data)


def test_a_request_is_stored_pending_audited_and_announced_to_broker_deciders(
    orgs, people, mailbox, run_on_commit
):
    with run_on_commit():
        request = submit(orgs)
    assert request.status == "pending"
    assert request.email == "louise.tremblay@ministere.example"
    event = AuditEvent.objects.get(action="access_request.submitted")
    assert event.object_id == str(request.pk)
    assert event.organisation_id == orgs["client"].pk
    assert event.after["status"] == "pending"
    assert event.actor_id is None
    assert event.actor_label == "louise.tremblay@ministere.example (sans compte)"
    deciders = {people["broker_admin"].email, people["broker_agent"].email}
    receipt, message = mailbox.messages
    assert receipt["X-Envelope-To"] == request.email
    assert receipt["Subject"].strip() == "Courtier : nous avons reçu votre demande d'accès"
    assert "aucun compte n'est créé sans l'approbation" in mailbox.body(receipt)
    assert set(message["X-Envelope-To"].split(", ")) == deciders
    assert message["Subject"].strip() == "Nouvelle demande d'accès : Louise Tremblay (Ministère A)"
    assert f"/demandes-acces/{request.pk}/" in mailbox.body(message)


def test_it_refuses_a_role_that_the_organisation_kind_cannot_hold(orgs):
    with pytest.raises(ValidationError) as excinfo:
        submit(orgs, role="supplier_rep")
    assert excinfo.value.message_dict == {"role": [str(services.ROLE_NOT_FOR_KIND)]}
    assert not AccessRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_second_pending_request_for_the_same_role(orgs):
    submit(orgs)
    with pytest.raises(ValidationError) as excinfo:
        submit(orgs, email="louise.tremblay@ministere.example")
    assert excinfo.value.message_dict == {"email": [str(services.REQUEST_ALREADY_PENDING)]}
    assert AccessRequest.objects.count() == 1


def test_it_refuses_an_unknown_or_inactive_organisation(orgs):
    with pytest.raises(ValidationError, match="n'existe pas"):
        submit(orgs, organisation_id=999999)
    orgs["client"].is_active = False
    orgs["client"].save()
    with pytest.raises(ValidationError, match="n'est pas active"):
        submit(orgs)


def test_approval_creates_the_account_and_role_and_mails_a_working_password_link(
    orgs, people, mailbox, run_on_commit, client
):
    request = submit(orgs)
    with run_on_commit():
        services.access_request_approve(by=people["broker_agent"], access_request=request)
    request.refresh_from_db()
    assert request.status == "approved"
    assert request.decided_by == people["broker_agent"]
    user = User.objects.get(email=VALID["email"].lower())
    assert request.user == user
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, organisation=orgs["client"], role="client_procurement"
    ).exists()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert (
        actions[-4:]
        == [
            "access_request.submitted",
            "user.created",
            "membership.granted",
            "access_request.approved",
        ][-4:]
    )
    approved = AuditEvent.objects.get(action="access_request.approved")
    assert approved.before["status"] == "pending"
    assert approved.after["status"] == "approved"
    assert approved.actor_id == people["broker_agent"].pk

    (message,) = mailbox.to(user.email)
    assert message["Subject"].strip() == "Courtier : votre demande d'accès est approuvée"
    link = re.search(r"http://\S+/mot-de-passe/nouveau/\S+/", mailbox.body(message)).group(0)
    path = link.split("8000", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "Un-mot-de-passe-solide-2026",
            "new_password2": "Un-mot-de-passe-solide-2026",
        },
    )
    assert response.status_code == 302
    assert client.login(username=user.email, password="Un-mot-de-passe-solide-2026")
    assert AuditEvent.objects.get(action="user.password_changed").after == {"how": "reset"}
    assert verify_chain()[1] is None


def test_approval_of_an_existing_person_adds_the_role_without_a_password_link(
    orgs, people, mailbox, run_on_commit
):
    existing = people["client_head"]
    request = submit(orgs, email=existing.email)
    with run_on_commit():
        services.access_request_approve(by=people["broker_admin"], access_request=request)
    assert existing.memberships.filter(role="client_procurement").exists()
    (message,) = mailbox.to(existing.email)
    assert "mot-de-passe/nouveau" not in mailbox.body(message)


def test_refusal_needs_a_reason_and_mails_it(orgs, people, mailbox, run_on_commit):
    request = submit(orgs)
    with pytest.raises(ValidationError) as excinfo:
        services.access_request_refuse(
            by=people["broker_agent"], access_request=request, reason="  "
        )
    assert excinfo.value.message_dict == {"reason": [str(services.REFUSAL_REASON_REQUIRED)]}
    with run_on_commit():
        services.access_request_refuse(
            by=people["broker_agent"], access_request=request, reason="Organisation non admissible."
        )
    request.refresh_from_db()
    assert request.status == "refused"
    assert not User.objects.filter(email=request.email).exists()
    (message,) = mailbox.to(request.email)
    assert message["Subject"].strip() == "Courtier : votre demande d'accès est refusée"
    assert "Organisation non admissible." in mailbox.body(message)
    event = AuditEvent.objects.get(action="access_request.refused")
    assert event.after["refusal_reason"] == "Organisation non admissible."


def test_a_decided_request_cannot_be_decided_again(orgs, people):
    request = submit(orgs)
    services.access_request_refuse(by=people["broker_agent"], access_request=request, reason="Non.")
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.access_request_approve(by=people["broker_agent"], access_request=request)


@pytest.mark.parametrize("who", ["broker_auditor", "client_head", "supplier_rep"])
def test_only_broker_admins_and_agents_decide(orgs, people, who):
    request = submit(orgs)
    with pytest.raises((PermissionDenied, Http404)):
        services.access_request_approve(by=people[who], access_request=request)
    request.refresh_from_db()
    assert request.status == "pending"


# --- the form ------------------------------------------------------------------------------


def test_the_form_shows_french_errors_and_writes_nothing(client, orgs):
    response = client.post("/demande-acces/", {"email": "pas-un-courriel"})
    assert response.status_code == 422
    html = page_text(response)
    assert "Le formulaire contient des erreurs" in html
    # First and last name, organisation, role, reason: beside each field and in the summary.
    assert html.count("Ce champ est obligatoire.") == 2 * 5
    assert "Saisissez une adresse de courriel valide." in html
    assert not AccessRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_form_shows_the_service_error_on_the_role_field(client, orgs):
    data = {**VALID, "organisation": orgs["supplier"].pk}
    response = client.post("/demande-acces/", data)
    assert response.status_code == 422
    assert str(services.ROLE_NOT_FOR_KIND) in page_text(response)
    assert not AccessRequest.objects.exists()


def test_the_form_sends_the_request_and_confirms(client, orgs):
    response = client.post("/demande-acces/", {**VALID, "organisation": orgs["client"].pk})
    assert response.status_code == 302
    assert response["Location"] == "/demande-acces/envoyee/"
    assert AccessRequest.objects.get().organisation == orgs["client"]


# --- the approval queue page ---------------------------------------------------------------


def test_the_queue_lists_pending_requests_and_the_agent_refuses_one(client, orgs, people):
    request = submit(orgs)
    client.force_login(people["broker_agent"])
    response = client.get("/demandes-acces/")
    assert "Louise Tremblay" in page_text(response)
    response = client.post(f"/demandes-acces/{request.pk}/refuser/", {"reason": ""})
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in page_text(response)
    request.refresh_from_db()
    assert request.status == "pending"
    response = client.post(f"/demandes-acces/{request.pk}/refuser/", {"reason": "Doublon."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "refused"


def test_the_agent_approves_from_the_page(client, orgs, people):
    request = submit(orgs)
    client.force_login(people["broker_agent"])
    response = client.post(f"/demandes-acces/{request.pk}/approuver/", follow=True)
    assert "Demande approuvée" in page_text(response)
    request.refresh_from_db()
    assert request.status == "approved"


# --- the API -------------------------------------------------------------------------------


def test_the_api_answers_422_naming_each_bad_field_and_writes_nothing(client, orgs):
    response = client.post(
        "/api/v1/access-requests",
        {"first_name": "", "email": "nope", "organisation": orgs["client"].pk, "role": "roi"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Données invalides."
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["first_name"] == "Ce champ est obligatoire."
    assert fields["last_name"] == "Ce champ est obligatoire."
    assert fields["email"] == "Saisissez une adresse courriel valide."
    assert fields["role"].startswith("Valeur non permise.")
    assert fields["reason"] == "Ce champ est obligatoire."
    assert not AccessRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_api_answers_422_for_a_rule_broken_in_the_service(client, orgs):
    data = {**VALID, "organisation": orgs["supplier"].pk}
    response = client.post("/api/v1/access-requests", data, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "role", "message": str(services.ROLE_NOT_FOR_KIND)}
    ]
    assert not AccessRequest.objects.exists()


def test_the_api_answers_422_for_a_body_that_is_not_json(client, orgs):
    response = client.post("/api/v1/access-requests", "{", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "message" in response.json()
    assert not AccessRequest.objects.exists()


def test_the_api_accepts_a_valid_request_anonymously(client, orgs):
    data = {**VALID, "organisation": orgs["client"].pk}
    response = client.post("/api/v1/access-requests", data, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert set(response.json()) == {"id", "status", "created_at"}  # nothing else leaks


def test_the_api_lets_an_agent_approve_and_refuse(client, orgs, people):
    first = submit(orgs)
    second = submit(orgs, email="autre@ministere.example")
    client.force_login(people["broker_agent"])
    listed = client.get("/api/v1/access-requests?status=pending").json()
    assert {r["id"] for r in listed["items"]} == {first.pk, second.pk}
    assert client.post(f"/api/v1/access-requests/{first.pk}/approve").json()["status"] == "approved"
    response = client.post(
        f"/api/v1/access-requests/{second.pk}/refuse",
        {"reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    response = client.post(
        f"/api/v1/access-requests/{second.pk}/refuse",
        {"reason": "Doublon."},
        content_type="application/json",
    )
    assert response.json()["status"] == "refused"
    again = client.post(f"/api/v1/access-requests/{first.pk}/approve")
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "status", "message": str(services.REQUEST_ALREADY_DECIDED)}
    ]


def test_only_a_broker_admin_grants_a_role_inside_the_broker(orgs, people, client):
    request = submit(orgs, organisation_id=orgs["broker"].pk, role="broker_agent")
    with pytest.raises(PermissionDenied, match="Seul un administrateur du Courtier"):
        services.access_request_approve(by=people["broker_agent"], access_request=request)
    client.force_login(people["broker_agent"])
    response = client.post(f"/api/v1/access-requests/{request.pk}/approve")
    assert response.status_code == 403
    assert response.json()["message"] == str(services.BROKER_ROLE_NEEDS_ADMIN)
    response = client.post(f"/demandes-acces/{request.pk}/approuver/")
    assert response.status_code == 403
    assert str(services.BROKER_ROLE_NEEDS_ADMIN) in page_text(response)
    request.refresh_from_db()
    assert request.status == "pending"
    services.access_request_approve(by=people["broker_admin"], access_request=request)
    request.refresh_from_db()
    assert request.status == "approved"


def test_the_queue_tabs_filter_by_status(client, orgs, people):
    pending = submit(orgs)
    refused = submit(orgs, email="refusee@ministere.example")
    services.access_request_refuse(by=people["broker_agent"], access_request=refused, reason="Non.")
    client.force_login(people["broker_agent"])
    assert pending.email in page_text(client.get("/demandes-acces/"))
    assert refused.email not in page_text(client.get("/demandes-acces/"))
    text = page_text(client.get("/demandes-acces/?etat=refused"))
    assert refused.email in text and pending.email not in text
    assert "Refusées" in text


def test_the_anonymous_form_does_not_reveal_who_already_has_a_role(orgs, people, client):
    holder = people["client_head"]
    data = {
        **VALID,
        "email": holder.email,
        "organisation": orgs["client"].pk,
        "role": "client_head",
    }
    response = client.post("/api/v1/access-requests", data, content_type="application/json")
    assert response.status_code == 201  # the same answer as for anyone else
    request = AccessRequest.objects.get(email=holder.email)
    services.access_request_approve(by=people["broker_agent"], access_request=request)
    assert holder.memberships.filter(role="client_head").count() == 1
    request.refresh_from_db()
    assert request.status == "approved"
