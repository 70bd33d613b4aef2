"""``Idempotency-Key`` on the API's writes (issue 10, point 3; courtier.core.replay): the first
successful answer is kept, a replay gets it again without running the operation, the same key
for another request is refused naming the header, and a request without a key runs as before."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from courtier.accounts.services import api_token_create
from courtier.acquisitions.models import AcquisitionFile
from courtier.audit.models import AuditEvent
from courtier.core.models import IdempotentRequest
from courtier.core.replay import (
    IDEMPOTENCY_HEADER,
    KEY_BAD_CHARACTERS,
    KEY_REUSED,
    KEY_TOO_LONG,
    REPLAY_HEADER,
)
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(lambda orgs: None)

FILES = "/api/v1/acquisitions/files"


class Api:
    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.secret = secret

    def post(self, path: str, body: dict, key: str | None = None, **headers: str):
        if key is not None:
            headers[IDEMPOTENCY_HEADER] = key
        return self.client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.secret}", **headers},
        )


@pytest.fixture
def sophie(people):
    """The client's procurement officer, with a personal token."""
    _token, secret = api_token_create(user=people["client_procurement"], name="Intégration")
    return Api(secret)


def files_titled(title: str) -> int:
    return AcquisitionFile.objects.filter(title=title).count()


def only_error(response) -> dict:
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [IDEMPOTENCY_HEADER], body
    return body["errors"][0]


def test_a_replayed_creation_gets_the_same_answer_and_creates_one_file(sophie):
    first = sophie.post(FILES, {"title": "Courriel rejoué"}, key="cle-1")
    events = AuditEvent.objects.count()
    again = sophie.post(FILES, {"title": "Courriel rejoué"}, key="cle-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again[REPLAY_HEADER] == "true"
    assert not first.has_header(REPLAY_HEADER)
    assert files_titled("Courriel rejoué") == 1
    assert AuditEvent.objects.count() == events  # the operation did not run again


def test_the_same_key_with_another_body_is_refused_naming_the_header(sophie):
    assert sophie.post(FILES, {"title": "Premier"}, key="cle-2").status_code == 201
    other = sophie.post(FILES, {"title": "Second"}, key="cle-2")
    assert other.status_code == 422
    assert only_error(other)["message"] == str(KEY_REUSED)
    assert files_titled("Second") == 0


def test_the_same_key_at_another_address_is_refused(sophie):
    assert sophie.post(FILES, {"title": "Premier"}, key="cle-3").status_code == 201
    other = sophie.post(f"{FILES}?x=1", {"title": "Premier"}, key="cle-3")
    assert other.status_code == 422
    assert only_error(other)["message"] == str(KEY_REUSED)
    assert files_titled("Premier") == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("k" * 201, KEY_TOO_LONG % {"n": 200}),
        ("une clé", KEY_BAD_CHARACTERS),
        ("", KEY_BAD_CHARACTERS),
        ('"quoted"', KEY_BAD_CHARACTERS),
    ],
)
def test_a_malformed_key_is_refused_before_anything_runs(sophie, key, message):
    response = sophie.post(FILES, {"title": "Clé invalide"}, key=key)
    assert response.status_code == 422
    assert only_error(response)["message"] == str(message)
    assert files_titled("Clé invalide") == 0


def test_a_key_of_two_hundred_characters_is_accepted(sophie):
    assert sophie.post(FILES, {"title": "Longue clé"}, key="k" * 200).status_code == 201


def test_a_refused_request_keeps_nothing_and_the_key_serves_the_corrected_one(sophie):
    refused = sophie.post(FILES, {"title": ""}, key="cle-4")
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.filter(key="cle-4").exists()
    corrected = sophie.post(FILES, {"title": "Corrigé"}, key="cle-4")
    assert corrected.status_code == 201
    assert files_titled("Corrigé") == 1


def test_without_a_key_each_request_runs(sophie):
    for _attempt in range(2):
        assert sophie.post(FILES, {"title": "Sans clé"}).status_code == 201
    assert files_titled("Sans clé") == 2
    assert not IdempotentRequest.objects.exists()


def test_another_token_with_the_same_key_is_its_own_request(sophie, people):
    assert sophie.post(FILES, {"title": "Jeton A"}, key="cle-5").status_code == 201
    _token, secret = api_token_create(user=people["client_procurement"], name="Autre")
    other = Api(secret).post(FILES, {"title": "Jeton B"}, key="cle-5")
    assert other.status_code == 201
    assert files_titled("Jeton B") == 1


def test_a_signed_in_person_may_send_a_key_too(people):
    client = Client(enforce_csrf_checks=False)
    client.force_login(people["client_procurement"])
    send = lambda: client.post(  # noqa: E731
        FILES,
        json.dumps({"title": "Par la session"}),
        content_type="application/json",
        headers={IDEMPOTENCY_HEADER: "session-1"},
    )
    first, again = send(), send()
    assert first.status_code == again.status_code == 201
    assert again[REPLAY_HEADER] == "true"
    assert files_titled("Par la session") == 1


def test_kept_answers_older_than_a_day_are_purged(sophie):
    from django.utils import timezone

    from courtier.core.replay import KEPT_FOR, purge_expired

    sophie.post(FILES, {"title": "Ancien"}, key="cle-6")
    IdempotentRequest.objects.update(created_at=timezone.now() - KEPT_FOR - timedelta(seconds=1))
    assert purge_expired() == 1
    assert not IdempotentRequest.objects.exists()
