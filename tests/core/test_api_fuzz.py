"""Every API operation, fed with generated input (schemathesis), answers without a server error
and within its documented schema: bad input always gets a clear 4xx (DEVELOPERS: bad input)."""

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from courtier.accounts.services import api_token_create
from courtier.api import api
from courtier.calendar.selectors import first_business_day_of_month
from courtier.catalogue.services.drafts import sheet_draft_create
from tests.catalogue.factories import content, line, publish
from tests.factories import build_orgs, build_people
from tests.helpers import world_kept_for

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def in_test_transaction():
    """As Django's test client does: the WSGI app must not close the test's connection."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The people, a published sheet with next month's prices and an open proposal (so that
    generated identifiers, 1, 2..., reach real Catalogue rows) and the broker admin's token,
    built once for every operation (each runs in a savepoint of it): every operation is
    allowed to the broker admin, so generated input reaches the rules."""
    with world_kept_for(django_db_blocker):
        orgs = build_orgs()
        people = build_people(orgs)
        today = timezone.localdate()
        month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        first = first_business_day_of_month(month.year, month.month)
        publish(orgs["supplier"], content(), prices={("MAIL", first): [line("BASE", 650)]})
        sheet_draft_create(by=None, supplier=orgs["supplier"])
        _token, secret = api_token_create(user=people["broker_admin"], name="fuzz")
        yield {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def bearer(fuzz_world, db, in_test_transaction):
    return fuzz_world


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,  # the same inputs on every run: CI never fails by chance
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail(case, bearer):
    response = case.call(headers=bearer)
    assert response.status_code < 500, response.text
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert isinstance(body["message"], str) and body["message"]
        assert all({"field", "message"} <= set(e) for e in body["errors"])
    case.validate_response(
        response,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.content_type_conformance,
        ],
    )
