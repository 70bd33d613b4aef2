"""Who downloads the OCDS release package (issue 14 §6): every signed-in person or token holder
(the package is open data: no organisation's own rows, nothing personal), anyone when
OCDS_PUBLIC_DOWNLOAD is on, nobody anonymous otherwise (401, as the rest of the API). The matrix
row (``API``; no page: ``PAGES = []``) is counted by tests/test_permission_matrix.py."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import override_settings

from courtier.accounts import services as accounts
from courtier.publication import export
from courtier.publication.api import ocds as ocds_api
from tests.test_permission_matrix import (  # noqa: F401 (class_people is a fixture)
    Route,
    World,
    _check,
    class_people,
    everyone,
    fixed,
)

URL = "/api/v1/publication/ocds.json"

PAGES: list[Route] = []
API = [Route(f"GET {URL}", "get", fixed(URL), everyone, 401)]


@pytest.mark.django_db
class TestAccessToTheOcdsPackage:
    @pytest.fixture
    def world(self, class_people):  # noqa: F811
        return World(*class_people)

    @pytest.mark.parametrize("route", API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)


def test_anonymous_people_get_401_while_the_public_download_is_off(client, db):
    response = client.get(URL)

    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


@override_settings(OCDS_PUBLIC_DOWNLOAD=True)
def test_anyone_downloads_the_package_once_the_public_download_is_on(client, orgs):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="{export.FILENAME}"'
    package = json.loads(response.content, parse_float=Decimal)
    assert package["releases"] == [] and package["publisher"]["name"] == orgs["broker"].name


def test_a_signed_in_person_and_a_token_holder_download_the_same_package(client, people):
    client.force_login(people["supplier_rep"])
    by_session = client.get(URL)
    client.logout()
    _token, secret = accounts.api_token_create(user=people["client_finance"], name="OCDS", days=5)
    by_token = client.get(URL, headers={"Authorization": f"Bearer {secret}"})

    assert (by_session.status_code, by_token.status_code) == (200, 200)
    assert json.loads(by_session.content)["uri"].endswith(URL)
    assert by_token.json()["version"] == "1.1"


def test_a_wrong_token_is_401(client, db):
    assert client.get(URL, headers={"Authorization": "Bearer ctr_faux"}).status_code == 401


def test_the_operation_is_documented_with_its_json_answer_and_its_three_ways_in():
    """Read on the router's operation (the whole schema, with every app's, is checked by
    tests/test_permission_matrix.py::test_every_api_operation_is_in_the_matrix)."""
    (operation,) = ocds_api.router.path_operations["/ocds.json"].operations

    assert "application/json" in operation.openapi_extra["responses"][200]["content"]
    assert [type(auth).__name__ for auth in operation.auth_callbacks] == [
        "TokenAuth",
        "SessionAuth",
        "function",
    ]
