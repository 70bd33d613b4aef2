"""One error format for every 4xx of the API (issue 2 §7)."""

import pytest
from django.test import Client

from courtier.core.apierrors import pydantic_errors, validation_errors


def test_an_unknown_api_address_answers_404_in_json(client, people):
    client.force_login(people["client_head"])
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.json() == {"message": "Introuvable.", "errors": []}


def test_a_wrong_method_answers_405_in_json_and_keeps_allow(client, people):
    client.force_login(people["client_head"])
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["message"] == "Méthode non permise pour cette adresse."
    assert "GET" in response["Allow"]


def test_a_missing_csrf_token_is_explained_in_french(people):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["supplier_rep"])
    response = csrf_client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["message"].startswith("Jeton CSRF absent ou invalide")


def test_api_answers_are_utf8_json(client, orgs):
    response = client.post("/api/v1/access-requests", {}, content_type="application/json")
    assert "Données invalides." in response.content.decode("utf-8")


def test_a_bad_query_parameter_is_named(client, people):
    client.force_login(people["client_head"])
    response = client.get("/api/v1/calendar/days/2026-06-23?n=-1")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "n", "message": "La valeur doit être au moins 0."}
    ]
    response = client.get("/api/v1/calendar/days/2026-02-30")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "day"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            {"type": "missing", "loc": ("body", "payload", "email")},
            ("email", "Ce champ est obligatoire."),
        ),
        (
            {
                "type": "string_too_long",
                "loc": ("body", "payload", "name"),
                "ctx": {"max_length": 5},
            },
            ("name", "Au plus 5 caractères."),
        ),
        ({"type": "int_parsing", "loc": ("query", "n")}, ("n", "Saisissez un nombre entier.")),
        (
            {
                "type": "value_error",
                "loc": ("body", "payload", "email"),
                "ctx": {"error": ValueError("Mauvais")},
            },
            ("email", "Mauvais"),
        ),
        (
            {"type": "json_invalid", "loc": ("body",)},
            ("__all__", "Le corps de la requête n'est pas du JSON valide."),
        ),
    ],
)
def test_pydantic_errors_are_translated_and_located(error, expected):
    (out,) = pydantic_errors([error])
    assert (out["field"], out["message"]) == expected


def test_service_errors_keep_their_field_names():
    from django.core.exceptions import ValidationError

    assert validation_errors(ValidationError({"role": "Non."})) == [
        {"field": "role", "message": "Non."}
    ]
    assert validation_errors(ValidationError("Global.")) == [
        {"field": "__all__", "message": "Global."}
    ]


def test_an_empty_body_is_named(client, db):
    response = client.post("/api/v1/access-requests", "", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "Le corps de la requête (JSON) est vide."}
    ]


def test_the_openapi_schema_is_served_to_token_holders_and_refused_to_strangers(client, people):
    from courtier.accounts.services import api_token_create

    _token, secret = api_token_create(user=people["supplier_rep"], name="ERP")
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert "/api/v1/access-requests" in response.json()["paths"]
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer ctr_forged")
    assert response.status_code == 401
    assert response.json() == {"message": "Authentification requise.", "errors": []}


def test_the_api_docs_load_every_asset_locally(client, people):
    import re

    client.force_login(people["client_head"])
    html = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in a for a in assets)
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []
