"""What anonymous people may repeat is limited: failed sign-ins per account and per address
(pages and admin alike), access requests and password resets per address."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from courtier import settings as project_settings
from courtier.accounts.models import AccessRequest
from courtier.core.throttle import TOO_MANY, TOO_MANY_FOR_ACCOUNT
from tests.factories import PASSWORD, make_user
from tests.helpers import page_text

T0 = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def tight(settings):
    settings.THROTTLE_RATES = {
        "login": (3, 60),
        "access_request": (2, 60),
        "password_reset": (2, 60),
    }


@pytest.fixture
def real_rates(settings):
    """The project's own limits (the shared fixtures raise them for every other test)."""
    settings.THROTTLE_RATES = dict(project_settings.THROTTLE_RATES)


def sign_in(email, password=PASSWORD, *, address="10.0.0.1", path="/connexion/"):
    """One sign-in from a fresh browser at ``address``: the response and whether it worked."""
    browser = Client(REMOTE_ADDR=address)
    response = browser.post(path, {"username": email, "password": password})
    return response, "_auth_user_id" in browser.session


def test_the_project_allows_ten_failed_sign_ins_per_fifteen_minutes():
    # README, « Rôles et permissions »: 10 failures per 15 minutes, per account and address.
    assert project_settings.THROTTLE_RATES["login"] == (10, 15 * 60)


def test_ten_colleagues_signing_in_behind_one_address_leave_the_eleventh_free(db, real_rates):
    colleagues = [make_user() for _ in range(11)]
    for colleague in colleagues:
        response, signed_in = sign_in(colleague.email)
        assert (response.status_code, signed_in) == (302, True)


def test_ten_wrong_passwords_lock_the_account_from_any_address_for_fifteen_minutes(db, real_rates):
    target, other = make_user(), make_user()
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(10):  # each from its own address: only the account's count reaches 10
            assert sign_in(target.email, "faux", address=f"10.0.1.{n}")[0].status_code == 200
        response, signed_in = sign_in(target.email, address="10.0.2.1")
        assert (response.status_code, signed_in) == (429, False)
        assert str(TOO_MANY_FOR_ACCOUNT) in page_text(response)
        assert sign_in(other.email, address="10.0.2.1")[1]  # the address itself is free
        clock.shift(timedelta(minutes=10))  # refused attempts do not push the lock back
        assert sign_in(target.email, address="10.0.2.2")[0].status_code == 429
        clock.shift(timedelta(minutes=5) - timedelta(seconds=1))
        assert sign_in(target.email, address="10.0.2.3")[0].status_code == 429
        clock.shift(timedelta(seconds=2))
        assert sign_in(target.email, address="10.0.2.4")[1]


def test_ten_failures_from_one_address_lock_that_address_for_fifteen_minutes(db, real_rates):
    person = make_user()
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(10):  # ten different accounts: only the address's count reaches 10
            assert sign_in(f"inconnu{n}@test.example", "faux")[0].status_code == 200
        response, signed_in = sign_in(person.email)
        assert (response.status_code, signed_in) == (429, False)
        assert str(TOO_MANY) in page_text(response)
        assert sign_in(person.email, address="10.0.9.9")[1]  # the account itself is free
        clock.shift(timedelta(minutes=15) - timedelta(seconds=1))
        assert sign_in(person.email)[0].status_code == 429
        clock.shift(timedelta(seconds=2))
        assert sign_in(person.email)[1]


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(db, real_rates):
    person = make_user()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(9):
            sign_in(person.email, "faux")
        clock.shift(timedelta(minutes=15, seconds=1))  # the window of the first failure ended
        sign_in(person.email, "faux")
        assert sign_in(person.email)[1]


def test_the_admin_sign_in_goes_through_the_same_throttle(db, real_rates):
    admin = make_user(is_staff=True, is_superuser=True)
    for n in range(10):
        response, _signed_in = sign_in(
            admin.email, "faux", address=f"10.0.3.{n}", path="/admin/login/"
        )
        assert response.status_code == 200
    response, signed_in = sign_in(admin.email, address="10.0.4.1", path="/admin/login/")
    assert (response.status_code, signed_in) == (429, False)
    # One count for both doors: the pages' sign-in refuses this account too.
    assert sign_in(admin.email, address="10.0.4.2")[0].status_code == 429


def test_failures_at_the_admin_sign_in_lock_the_address_for_the_pages_too(db, real_rates):
    person = make_user()
    for n in range(10):
        sign_in(f"inconnu{n}@test.example", "faux", path="/admin/login/")
    assert sign_in(person.email)[0].status_code == 429


def test_the_fourth_failed_sign_in_in_a_minute_is_refused_in_french(client, people, tight):
    email = people["client_head"].email
    for _ in range(3):
        assert (
            client.post("/connexion/", {"username": email, "password": "faux"}).status_code == 200
        )
    response = client.post("/connexion/", {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives depuis votre adresse" in page_text(response)
    assert "_auth_user_id" not in client.session


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
