"""Personal API tokens: stored hashed, revocable, with an expiry (issue 2 §7)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courtier.accounts import services
from courtier.accounts.models import ApiToken
from courtier.audit.models import AuditEvent
from courtier.core.apifields import NUL_CHARACTER
from tests.helpers import page_text


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_only_the_hash_of_a_token_is_stored(people):
    token, secret = services.api_token_create(user=people["supplier_rep"], name="ERP", days=30)
    assert secret.startswith(f"ctr_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.key_hash == services.hash_token(secret)
    event = AuditEvent.objects.get(action="api_token.created")
    assert secret not in str(event.after)


def test_a_token_authenticates_its_owner_on_the_api(client, people):
    _token, secret = services.api_token_create(user=people["supplier_rep"], name="ERP")
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == people["supplier_rep"].email
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("secret", ["", "ctr_nope", "ctr_abcd1234_forged", "Basic abc"])
def test_an_unknown_token_gets_401_in_the_error_format(client, people, secret):
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401
    assert response.json() == {"message": "Authentification requise.", "errors": []}


def test_a_revoked_token_no_longer_works_and_revoking_is_audited(client, people):
    owner = people["client_procurement"]
    token, secret = services.api_token_create(user=owner, name="Finances")
    services.api_token_revoke(by=owner, token=token)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.before["revoked_at"] is None
    assert event.after["revoked_at"] is not None
    with pytest.raises(ValidationError, match="déjà révoqué"):
        services.api_token_revoke(by=owner, token=token)


def test_a_token_stops_working_when_it_expires(client, people):
    _token, secret = services.api_token_create(user=people["supplier_rep"], name="ERP", days=1)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_a_token_of_a_deactivated_person_does_not_work(client, people):
    owner = people["supplier_rep"]
    _token, secret = services.api_token_create(user=owner, name="ERP")
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


@pytest.mark.parametrize("days", [0, 366])
def test_it_refuses_a_lifetime_outside_1_to_365_days(people, days):
    with pytest.raises(ValidationError) as excinfo:
        services.api_token_create(user=people["supplier_rep"], name="ERP", days=days)
    assert "days" in excinfo.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_role_without_api_access_cannot_create_a_token(people):
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=people["client_head"], name="ERP")


def test_a_person_cannot_revoke_someone_elses_token(client, people):
    token, _secret = services.api_token_create(user=people["supplier_rep"], name="ERP")
    client.force_login(people["provider_rep"])
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_account_page_shows_a_new_secret_once(client, people):
    client.force_login(people["supplier_rep"])
    response = client.post("/compte/", {"name": "Intégration", "days": 30}, follow=True)
    assert response.redirect_chain == [("/compte/", 302)]
    token = ApiToken.objects.get()
    assert f"ctr_{token.prefix}_" in page_text(response)
    again = client.get("/compte/")
    assert f"ctr_{token.prefix}_…" in page_text(again)
    assert services.hash_token("x") not in page_text(again)
    assert page_text(again).count(f"ctr_{token.prefix}_") == 1


def test_the_account_page_shows_french_errors_for_a_bad_token_form(client, people):
    client.force_login(people["supplier_rep"])
    response = client.post("/compte/", {"name": "", "days": 999})
    assert response.status_code == 422
    text = page_text(response)
    assert "Ce champ est obligatoire." in text
    assert "Assurez-vous que cette valeur est inférieure ou égale à 365." in text
    assert not ApiToken.objects.exists()


def test_the_api_creates_a_token_and_shows_the_secret_once(client, people):
    client.force_login(people["supplier_rep"])
    response = client.post(
        "/api/v1/tokens", {"name": "ERP", "days": 10}, content_type="application/json"
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    listed = client.get("/api/v1/tokens").json()
    assert "secret" not in listed[0]
    client.logout()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200


def test_session_requests_to_the_api_need_the_csrf_token(people):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["supplier_rep"])
    response = csrf_client.post("/api/v1/tokens", {"name": "ERP"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_name_with_a_nul_character_is_refused_on_its_field(client, people):
    """PostgreSQL stores no NUL character: the API says so (422), it never fails (500)."""
    client.force_login(people["client_procurement"])
    response = client.post("/api/v1/tokens", {"name": "Jeton\x00"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "message": str(NUL_CHARACTER)}]
    assert not ApiToken.objects.filter(user=people["client_procurement"]).exists()


def test_the_account_page_links_to_the_api_documentation(client, people):
    client.force_login(people["supplier_rep"])
    response = client.get("/compte/")
    assert 'href="/api/v1/docs"' in response.content.decode()
    assert "Documentation de l'API" in page_text(response)
    assert client.get("/api/v1/docs").status_code == 200  # the link leads somewhere
