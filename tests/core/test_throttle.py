"""What anonymous people may repeat is limited per address (sign-in, access requests, resets)."""

import pytest

from courtier.accounts.models import AccessRequest
from tests.helpers import page_text


@pytest.fixture
def tight(settings):
    settings.THROTTLE_RATES = {
        "login": (3, 60),
        "access_request": (2, 60),
        "password_reset": (2, 60),
    }


def test_the_fourth_failed_sign_in_in_a_minute_is_refused_in_french(client, people, tight):
    email = people["client_head"].email
    for _ in range(3):
        assert (
            client.post("/connexion/", {"username": email, "password": "faux"}).status_code == 200
        )
    response = client.post(
        "/connexion/", {"username": email, "password": "Mot-de-passe-de-test-2026"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives depuis votre adresse" in page_text(response)
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = client.post(
        "/connexion/",
        {"username": email, "password": "Mot-de-passe-de-test-2026"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_access_requests_are_limited_per_address_on_the_form_and_the_api(client, orgs, tight):
    data = {
        "first_name": "A",
        "last_name": "B",
        "organisation": orgs["client"].pk,
        "role": "client_head",
        "reason": "x",
    }
    for n in range(2):
        response = client.post("/demande-acces/", {**data, "email": f"p{n}@test.example"})
        assert response.status_code == 302
    assert client.post("/demande-acces/", {**data, "email": "p3@test.example"}).status_code == 429
    response = client.post(
        "/api/v1/access-requests",
        {**data, "email": "p4@test.example"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["message"].startswith("Trop de tentatives")
    assert AccessRequest.objects.count() == 2


def test_reading_the_form_is_not_counted(client, db, tight):
    for _ in range(5):
        assert client.get("/demande-acces/").status_code == 200


def test_password_resets_are_limited(client, people, tight):
    for _ in range(2):
        client.post("/mot-de-passe/oubli/", {"email": people["client_head"].email})
    assert client.post("/mot-de-passe/oubli/", {"email": "x@test.example"}).status_code == 429
