"""A page form replayed (Back then submit, a double click) creates nothing twice (issue 10,
point 3): every form carries a one-time token (courtier.core.replay), a second submission with it
is sent where the first led, with a French message; a refused one keeps it usable; another
person's use of it is their own submission; posts without one run as before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courtier.accounts.models import AccessRequest
from courtier.acquisitions.models import AcquisitionFile, SupplierQuestion
from courtier.acquisitions.services import needs as needs_services
from courtier.core.models import FormSubmission
from courtier.core.replay import FORM_ALREADY_SENT, FORM_TOKEN_FIELD, KEPT_FOR, purge_expired
from tests.acquisitions.factories import file_at, published_before_nine
from tests.factories import make_person
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(published_before_nine)

NEW_FILE = "/acquisitions/nouveau/"
TOKEN = re.compile(rf'name="{FORM_TOKEN_FIELD}" value="([A-Za-z0-9_-]+)"')


@pytest.fixture
def offers(world):
    return world[2]


@pytest.fixture
def runner(people, client):
    """The client's procurement officer, signed in."""
    client.force_login(people["client_procurement"])
    return people["client_procurement"]


def token_of(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert found, "the page's form carries no one-time token"
    return found[0]


def files_titled(title: str) -> int:
    return AcquisitionFile.objects.filter(title=title).count()


def test_every_form_that_posts_carries_a_fresh_one_time_token(client, runner):
    first, second = client.get(NEW_FILE), client.get(NEW_FILE)
    html = first.content.decode()
    # Every {% csrf_token %} writes one: the new file's form, the language switch, the logout.
    assert html.count(f'name="{FORM_TOKEN_FIELD}"') == html.count('name="csrfmiddlewaretoken"')
    assert html.count(f'name="{FORM_TOKEN_FIELD}"') >= 2
    assert token_of(first) != token_of(second)


def test_a_new_file_sent_twice_with_its_token_is_created_once(client, runner):
    token = token_of(client.get(NEW_FILE))
    data = {"title": "Courriel envoyé deux fois", FORM_TOKEN_FIELD: token}

    first = client.post(NEW_FILE, data)
    assert first.status_code == 302
    again = client.post(NEW_FILE, data)

    assert files_titled("Courriel envoyé deux fois") == 1
    assert again.status_code == 303
    assert again["Location"] == first["Location"]  # where the first submission led
    assert str(FORM_ALREADY_SENT) in page_text(client.get(again["Location"]))


def test_a_question_sent_twice_reaches_the_supplier_once(
    client, orgs, people, offers, runner, mailbox, run_on_commit
):
    file = file_at("compliance", by=runner, client=orgs["client"], broker=people["broker_agent"])
    rep = make_person(orgs["supplier_other"], "supplier_rep")
    page = client.get(f"/acquisitions/{file.pk}/")
    data = {
        "offer": offers["NUAGE"].pk,
        "text": "Offrez-vous l'archivage légal ?",
        FORM_TOKEN_FIELD: token_of(page),
    }
    for _attempt in range(2):
        with run_on_commit():
            client.post(f"/acquisitions/{file.pk}/questions/", data)

    assert SupplierQuestion.objects.filter(file=file).count() == 1
    assert len(mailbox.to(rep.email)) == 1


def test_a_refused_submission_keeps_its_token_usable(client, runner):
    token = token_of(client.get(NEW_FILE))

    refused = client.post(NEW_FILE, {"title": "", FORM_TOKEN_FIELD: token})
    assert refused.status_code == 422
    assert not FormSubmission.objects.filter(token=token).exists()

    corrected = client.post(NEW_FILE, {"title": "Courriel corrigé", FORM_TOKEN_FIELD: token})
    assert corrected.status_code == 302
    assert files_titled("Courriel corrigé") == 1


def test_someone_else_cannot_replay_a_persons_token(client, orgs, people, runner):
    token = token_of(client.get(NEW_FILE))
    first = client.post(NEW_FILE, {"title": "Courriel de A", FORM_TOKEN_FIELD: token})
    assert first.status_code == 302

    colleague = make_person(orgs["client"], "client_procurement", key="collegue")
    other = Client()
    other.force_login(colleague)
    theirs = other.post(NEW_FILE, {"title": "Courriel de B", FORM_TOKEN_FIELD: token})

    # Their own submission: run, and not sent to where the first person's led.
    assert theirs.status_code == 302
    assert theirs["Location"] != first["Location"]
    assert files_titled("Courriel de B") == 1
    assert FormSubmission.objects.filter(token=token).count() == 2


def test_a_signed_out_request_sent_twice_from_one_browser_is_recorded_once(client, orgs):
    """The access request (signed out): the token is bound to the browser's CSRF cookie."""
    token = token_of(client.get("/demande-acces/"))
    assert client.cookies.get("csrftoken")
    data = {
        "first_name": "Léa",
        "last_name": "Tremblay",
        "email": "lea.tremblay@example.com",
        "organisation": orgs["client"].pk,
        "role": "client_procurement",
        "reason": "Acquisition d'une solution de courriel.",
        FORM_TOKEN_FIELD: token,
    }
    first = client.post("/demande-acces/", data)
    assert first.status_code == 302
    again = client.post("/demande-acces/", data)
    assert again.status_code == 303
    assert AccessRequest.objects.filter(email="lea.tremblay@example.com").count() == 1

    # Another browser (its own CSRF cookie) with the same token: its own submission.
    other = Client()
    other.get("/demande-acces/")
    assert other.post("/demande-acces/", data).status_code != 303


def test_posts_without_a_token_run_as_before(client, runner):
    for _attempt in range(2):
        assert client.post(NEW_FILE, {"title": "Courriel sans jeton"}).status_code == 302
    assert files_titled("Courriel sans jeton") == 2
    assert not FormSubmission.objects.exists()


def test_a_replay_under_htmx_reloads_the_whole_page(client, runner):
    token = token_of(client.get(NEW_FILE))
    data = {"title": "Courriel htmx", FORM_TOKEN_FIELD: token}
    first = client.post(NEW_FILE, data)
    again = client.post(NEW_FILE, data, headers={"HX-Request": "true"})
    assert again["HX-Redirect"] == first["Location"]
    assert files_titled("Courriel htmx") == 1


def test_submissions_older_than_a_day_are_purged(runner):
    old = FormSubmission.objects.create(owner="u:1", token="a" * 32, location="/")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - KEPT_FOR - timedelta(minutes=1)
    )
    recent = FormSubmission.objects.create(owner="u:1", token="b" * 32, location="/")
    assert purge_expired() == 1
    assert list(FormSubmission.objects.all()) == [recent]


def test_a_second_click_while_the_first_is_still_running_creates_nothing(
    client, runner, monkeypatch
):
    """A double click: the second request arrives while the first is inside its view. The
    token was claimed first, in the transaction of the view's writes, so the second sees the
    claim and is not run (on separate connections it waits for the first commit, then sees it).
    """
    token = token_of(client.get(NEW_FILE))
    data = {"title": "Courriel double clic", FORM_TOKEN_FIELD: token}
    create = needs_services.file_create
    second: list = []

    def create_while_clicked_again(**kwargs):
        if not second:
            second.append(client.post(NEW_FILE, data))
        return create(**kwargs)

    monkeypatch.setattr(needs_services, "file_create", create_while_clicked_again)
    first = client.post(NEW_FILE, data)

    assert first.status_code == 302
    assert second[0].status_code == 303
    assert files_titled("Courriel double clic") == 1


def test_the_same_token_with_something_changed_after_back_is_a_new_submission(client, runner):
    """Back, then a change on purpose: the restored token comes with other content."""
    token = token_of(client.get(NEW_FILE))
    assert client.post(NEW_FILE, {"title": "Premier", FORM_TOKEN_FIELD: token}).status_code == 302
    changed = client.post(NEW_FILE, {"title": "Second", FORM_TOKEN_FIELD: token})
    assert changed.status_code == 302
    assert files_titled("Premier") == files_titled("Second") == 1
