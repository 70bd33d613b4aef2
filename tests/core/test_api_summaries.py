"""Every operation of the API is summed up in French in its live schema (the docs at
/api/v1/docs show these summaries), never in django-ninja's default: the function's name."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_user

# Words of django-ninja's default summaries (function names) and of English phrases; none of
# them is a French word.
ENGLISH = {
    "the", "of", "and", "for", "with", "my", "list", "detail", "create", "update", "add",
    "remove", "delete", "approve", "refuse", "get", "set", "request", "member", "membership",
    "file", "files", "token", "tokens", "search", "answer", "choose", "download", "day", "days",
}  # fmt: skip


@pytest.fixture
def operations(client, db):
    client.force_login(make_user())  # the schema is for signed-in people
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in response.json()["paths"].items()
        for method, operation in methods.items()
    ]


def test_the_schema_lists_the_operations(operations):
    assert len(operations) > 50


def test_every_operation_is_summed_up_in_french(operations):
    english = {}
    for name, operation in operations:
        summary = operation.get("summary", "")
        words = set(re.findall(r"[a-z]+", summary.lower()))
        default = "_".join(summary.lower().split())  # ninja's default: the function's name
        if not summary or words & ENGLISH or operation["operationId"].endswith(default):
            english[name] = summary
    assert english == {}
