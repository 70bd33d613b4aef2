"""The API's contract: openapi.json is the committed snapshot docs/openapi.json (so that a change
to the API shows in review), every schema has a name of its own, and the 400 and 414 answers
every operation documents are the ones it gives, in French.

After an intended change to the API: ``courtier export_openapi_schema --api courtier.api.api
--sorted --indent 2 --output docs/openapi.json``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.utils import translation
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from courtier.api import api
from courtier.core.apierrors import BODY_UNREADABLE, MAX_URL_LENGTH, status_message

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def current_schema() -> dict:
    with translation.override("fr-ca"):
        return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_openapi_json_is_the_committed_snapshot():
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current_schema() == snapshot, (
        "The API changed: review it, then regenerate docs/openapi.json (see this module's "
        "docstring)."
    )


def test_every_schema_of_the_api_has_a_name_of_its_own():
    """ninja names a component after its class: two classes of one name would share one."""
    names = Counter(
        cls.__name__ for cls in _subclasses(Schema) if cls.__module__.startswith("courtier.")
    )
    assert {name: n for name, n in names.items() if n > 1} == {}


def test_every_operation_documents_400_and_414():
    schema = current_schema()
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not {"400", "414"} <= set(operation["responses"])
    ]
    assert undocumented == []


def test_an_unreadable_body_is_a_400_in_french(client, people):
    client.force_login(people["client_procurement"])
    response = client.post("/api/v1/acquisitions/files", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "message": str(status_message(400)),
        "errors": [{"field": "body", "message": str(BODY_UNREADABLE)}],
    }


def test_an_address_longer_than_the_api_reads_is_a_414_in_french(client, people):
    client.force_login(people["broker_agent"])
    response = client.get("/api/v1/catalogue/offers?q=" + "a" * MAX_URL_LENGTH)
    assert response.status_code == 414
    assert response.json() == {"message": str(status_message(414)), "errors": []}
    assert client.get("/api/v1/catalogue/offers?q=courriel").status_code == 200
