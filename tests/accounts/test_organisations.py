"""The broker registers organisations, their member bodies and their people's roles (DOMAIN §1)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404

from courtier.accounts import rules, services
from courtier.accounts.models import Membership, Organisation
from courtier.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user
from tests.helpers import page_text


@pytest.mark.parametrize(
    ("kind", "category", "rcti", "problems"),
    [
        ("client", "lcop_4", True, {}),
        (
            "client",
            "",
            False,
            {"eligibility_category": rules.OrganisationProblem.ELIGIBILITY_REQUIRED},
        ),
        ("group_purchaser", "", False, {}),
        (
            "supplier",
            "lcop_7",
            False,
            {"eligibility_category": rules.OrganisationProblem.ELIGIBILITY_ONLY_FOR_CLIENTS},
        ),
        (
            "provider",
            "",
            True,
            {"subject_to_rcti": rules.OrganisationProblem.RCTI_ONLY_FOR_CLIENTS},
        ),
    ],
)
def test_only_public_bodies_have_a_category_and_the_rcti(kind, category, rcti, problems):
    assert rules.organisation_problems(kind, category, rcti) == problems


def test_the_admin_creates_an_organisation_and_it_is_audited(people):
    org = services.organisation_create(
        by=people["broker_admin"],
        kind="client",
        name="  Ville   de Québec ",
        eligibility_category="municipal",
    )
    assert org.name == "Ville de Québec"
    event = AuditEvent.objects.get(action="organisation.created", object_id=str(org.pk))
    assert event.after["eligibility_category"] == "municipal"
    assert event.actor_id == people["broker_admin"].pk


def test_names_are_unique_whatever_their_case(people, orgs):
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            by=people["broker_admin"], kind="supplier", name="fournisseur d"
        )
    assert excinfo.value.message_dict == {"name": [str(services.NAME_TAKEN)]}


def test_there_is_only_one_broker(people, orgs):
    with pytest.raises(ValidationError, match="Le Courtier existe déjà"):
        services.organisation_create(by=people["broker_admin"], kind="broker", name="Autre")
    with pytest.raises(IntegrityError):
        Organisation.objects.create(kind="broker", name="Autre courtier")


def test_the_database_refuses_a_client_without_category(db):
    with pytest.raises(IntegrityError):
        Organisation.objects.create(kind="client", name="Sans catégorie")


def test_an_update_is_audited_with_before_and_after(people, orgs):
    client = orgs["client"]
    services.organisation_update(
        by=people["broker_admin"], organisation=client, subject_to_rcti=False, short_name="MA"
    )
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.before["subject_to_rcti"] is True and event.after["subject_to_rcti"] is False
    assert event.after["short_name"] == "MA"


def test_an_update_that_changes_nothing_writes_nothing(people, orgs):
    services.organisation_update(
        by=people["broker_admin"], organisation=orgs["client"], short_name=""
    )
    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_the_broker_cannot_be_deactivated(people, orgs):
    with pytest.raises(ValidationError, match="ne peut pas être désactivé"):
        services.organisation_update(
            by=people["broker_admin"], organisation=orgs["broker"], is_active=False
        )


def test_people_of_a_deactivated_organisation_lose_their_access(client, people, orgs):
    services.organisation_update(
        by=people["broker_admin"], organisation=orgs["supplier"], is_active=False
    )
    client.force_login(people["supplier_rep"])
    assert client.get("/api/v1/organisations").json()["items"] == []


@pytest.mark.parametrize("who", ["broker_agent", "broker_auditor", "client_head"])
def test_only_broker_admins_manage_organisations(people, orgs, who):
    with pytest.raises((PermissionDenied, Http404)):
        services.organisation_update(by=people[who], organisation=orgs["client"], short_name="X")
    orgs["client"].refresh_from_db()
    assert orgs["client"].short_name == ""


def test_member_bodies_are_added_and_removed_with_an_audit_trail(people, orgs):
    admin, group, member = people["broker_admin"], orgs["group"], orgs["client_other"]
    services.organisation_add_member(by=admin, group=group, member=member)
    with pytest.raises(ValidationError, match="déjà membre"):
        services.organisation_add_member(by=admin, group=group, member=member)
    services.organisation_remove_member(by=admin, group=group, member=member)
    with pytest.raises(ValidationError, match="n'est pas membre"):
        services.organisation_remove_member(by=admin, group=group, member=member)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["organisation.member_added", "organisation.member_removed"]
    assert AuditEvent.objects.get(action="organisation.member_removed").after == {"members": []}


def test_only_client_bodies_join_only_group_purchasers(people, orgs):
    admin = people["broker_admin"]
    with pytest.raises(ValidationError, match="ne regroupe que des organismes clients"):
        services.organisation_add_member(by=admin, group=orgs["group"], member=orgs["supplier"])
    with pytest.raises(ValidationError, match="Seul un regroupement"):
        services.organisation_add_member(
            by=admin, group=orgs["client"], member=orgs["client_other"]
        )


def test_a_group_purchasers_people_see_its_member_bodies(client, people, orgs):
    services.organisation_add_member(by=None, group=orgs["group"], member=orgs["client_other"])
    client.force_login(people["group_procurement"])
    assert client.get(f"/organisations/{orgs['client_other'].pk}/").status_code == 200
    names = {
        o["name"] for o in client.get(f"/api/v1/organisations/{orgs['group'].pk}/members").json()
    }
    assert names == {"Organisme B"}
    # ...but not the other way round: a member body does not see the group's other members.
    client.force_login(people["client_head"])
    assert client.get(f"/organisations/{orgs['client_other'].pk}/").status_code == 404


def test_roles_are_granted_by_email_announced_and_revoked(people, orgs, mailbox, run_on_commit):
    admin = people["broker_admin"]
    person = make_user("Jeanne@Test.example")
    with run_on_commit():
        membership = services.membership_grant_by_email(
            by=admin,
            email="jeanne@test.example",
            organisation=orgs["client"],
            role="client_finance",
        )
    assert membership.user == person
    (message,) = mailbox.to(person.email)
    assert "« Responsable des finances » pour Ministère A" in mailbox.body(message)
    with pytest.raises(ValidationError, match="doit d'abord demander un accès"):
        services.membership_grant_by_email(
            by=admin, email="inconnu@test.example", organisation=orgs["client"], role="client_head"
        )
    with pytest.raises(ValidationError, match="n'existe pas pour ce type"):
        services.membership_grant_by_email(
            by=admin, email=person.email, organisation=orgs["supplier"], role="client_head"
        )
    services.membership_revoke(by=admin, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="membership.revoked")
    assert event.before == {
        "user": person.email,
        "organisation_id": orgs["client"].pk,
        "role": "client_finance",
    }


def test_the_last_broker_admin_cannot_lose_the_role(people, orgs):
    admin = people["broker_admin"]
    own = Membership.objects.get(user=admin, role="broker_admin")
    with pytest.raises(ValidationError, match="dernier administrateur"):
        services.membership_revoke(by=admin, membership=own)
    second = make_user()
    services.membership_grant(
        by=admin, user=second, organisation=orgs["broker"], role="broker_admin"
    )
    services.membership_revoke(by=admin, membership=own)
    assert not Membership.objects.filter(pk=own.pk).exists()


# --- pages and API -------------------------------------------------------------------------


def test_the_admin_creates_an_organisation_from_the_page(client, people):
    client.force_login(people["broker_admin"])
    response = client.post("/organisations/nouvelle/", {"kind": "client", "name": "CISSS de Laval"})
    assert response.status_code == 422
    assert str(services.ELIGIBILITY_REQUIRED) in page_text(response)
    assert not Organisation.objects.filter(name="CISSS de Laval").exists()
    response = client.post(
        "/organisations/nouvelle/",
        {"kind": "client", "name": "CISSS de Laval", "eligibility_category": "lcop_7"},
    )
    org = Organisation.objects.get(name="CISSS de Laval")
    assert response["Location"] == f"/organisations/{org.pk}/"


def test_the_edit_form_starts_from_the_current_values(client, people, orgs):
    client.force_login(people["broker_admin"])
    text = page_text(client.get(f"/organisations/{orgs['client'].pk}/modifier/"))
    assert 'value="Ministère A"' in text
    assert re.search(r'<input[^>]*name="subject_to_rcti"[^>]*checked', text)
    assert re.search(r'<input[^>]*name="is_active"[^>]*checked', text)


def test_the_detail_page_grants_and_revokes_roles(client, people, orgs):
    person = make_user("nouvelle@test.example")
    client.force_login(people["broker_admin"])
    url = f"/organisations/{orgs['client'].pk}/"
    response = client.post(f"{url}roles/", {"email": "absent@test.example", "role": "client_head"})
    assert response.status_code == 422
    assert str(services.UNKNOWN_PERSON) in page_text(response)
    response = client.post(f"{url}roles/", {"email": person.email, "role": "client_head"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert "nouvelle@test.example" in page_text(client.get(url))
    client.post(f"/roles/{membership.pk}/retirer/")
    assert not Membership.objects.filter(user=person).exists()


def test_the_api_creates_updates_and_lists_people(client, people, orgs):
    client.force_login(people["broker_admin"])
    response = client.post(
        "/api/v1/organisations",
        {"kind": "supplier", "name": "Nuage X", "subject_to_rcti": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "subject_to_rcti", "message": str(services.RCTI_ONLY_FOR_CLIENTS)}
    ]
    response = client.post(
        "/api/v1/organisations",
        {"kind": "supplier", "name": "Nuage X"},
        content_type="application/json",
    )
    org_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/organisations/{org_id}", {"short_name": "NX"}, content_type="application/json"
    )
    assert response.json()["short_name"] == "NX"
    listed = client.get(f"/api/v1/organisations/{orgs['client'].pk}/memberships").json()
    assert {m["role"] for m in listed} == {
        "client_procurement",
        "client_head",
        "client_finance",
        "client_signatory",
        "auditor",
    }


def test_a_revoked_role_stops_working_at_the_next_request(client, people, orgs):
    # Grants are read per request: a revoked role stops working at the next request.
    person = people["client_finance"]
    client.login(username=person.email, password=PASSWORD)
    assert client.get("/api/v1/organisations").json()["count"] == 1
    services.membership_revoke(by=people["broker_admin"], membership=person.memberships.get())
    assert client.get("/api/v1/organisations").json()["count"] == 0
