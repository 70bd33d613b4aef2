"""Pages: French first, English available, request ids, demo data."""

from django.core.management import call_command

from courtier.accounts.models import AccessRequest, Membership, Organisation, User
from courtier.audit.selectors import verify_chain
from courtier.demo.loaders import DEMO_PASSWORD, USERS
from tests.helpers import page_text


def test_pages_are_french_by_default_and_english_on_request(client, db):
    assert 'lang="fr-CA"' in page_text(client.get("/"))
    response = client.post("/langue/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = page_text(client.get("/"))
    assert 'lang="en"' in text
    assert "Sign in" in text
    assert "Request access" in text


def test_every_response_carries_a_request_id(client, db):
    assert len(client.get("/")["X-Request-ID"]) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="abc-12345678")["X-Request-ID"] == "abc-12345678"
    # A malformed id is replaced, never echoed.
    assert client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_anonymous_people_are_sent_to_the_login_page(client, db):
    response = client.get("/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/organisations/"


def test_the_login_form_signs_in_and_shows_the_dashboard(client, people):
    user = people["client_head"]
    response = client.post(
        "/connexion/", {"username": user.email, "password": "Mot-de-passe-de-test-2026"}
    )
    assert response.status_code == 302
    text = page_text(client.get("/"))
    assert "Tableau de bord" in text
    assert "Dirigeant d'organisme" in text
    assert "Assujetti au RCTI" in text  # Ministère A is subject to the RCTI


def test_a_wrong_password_gets_a_french_message(client, people):
    response = client.post(
        "/connexion/", {"username": people["client_head"].email, "password": "non"}
    )
    assert response.status_code == 200
    assert "Courriel ou mot de passe incorrect." in page_text(response)


def test_the_broker_home_page_lists_a_pending_access_request_awaiting_it(client, people, orgs):
    AccessRequest.objects.create(
        first_name="A",
        last_name="B",
        email="a@test.example",
        organisation=orgs["client"],
        role="client_head",
        reason="x",
    )
    client.force_login(people["broker_agent"])
    text = page_text(client.get("/"))
    assert "Ce qui m'attend" in text
    assert "Décider de la demande d'accès : A B" in text


def test_password_reset_mails_a_link(client, people, mailbox, run_on_commit):
    with run_on_commit():
        response = client.post("/mot-de-passe/oubli/", {"email": people["client_head"].email})
    assert response.status_code == 302
    (message,) = mailbox.to(people["client_head"].email)
    assert "/mot-de-passe/nouveau/" in mailbox.body(message)


def test_demo_loads_twice_without_duplicating_anything(db, capsys):
    call_command("demo", "--no-serve")
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AccessRequest.objects.count(),
    )
    call_command("demo", "--no-serve")
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AccessRequest.objects.count(),
    )
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for person in USERS:
        assert person.email in out
        assert User.objects.get(email=person.email).check_password(DEMO_PASSWORD)
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count("broker") == 1
    assert kinds.count("supplier") == 10  # 3 from the accounts demo, 7 from the Catalogue's
    assert kinds.count("provider") == 2
    assert kinds.count("group_purchaser") == 1
    clients = Organisation.objects.filter(kind="client")
    assert (
        clients.filter(subject_to_rcti=True).exists()
        and clients.filter(subject_to_rcti=False).exists()
    )
    assert Organisation.objects.get(kind="group_purchaser").members.count() == 3
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "broker_admin",
        "broker_agent",
        "auditor",
        "client_procurement",
        "client_head",
        "client_finance",
        "client_signatory",
        "supplier_rep",
        "provider_rep",
    }
    assert verify_chain()[1] is None


def test_people_sign_in_whatever_the_case_of_their_address(client, people):
    email = people["client_head"].email.upper()
    assert client.login(username=email, password="Mot-de-passe-de-test-2026")


def test_the_password_reset_mail_goes_through_the_task_queue(
    client, people, mailbox, settings, run_on_commit
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with run_on_commit():
        client.post("/mot-de-passe/oubli/", {"email": people["client_head"].email})
    assert DBTaskResult.objects.count() == 1
    assert mailbox.messages == []


def test_pages_allow_only_their_own_scripts_and_styles(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_changing_ones_password_is_audited_without_the_password(client, people):
    from courtier.audit.models import AuditEvent

    user = people["client_head"]
    client.force_login(user)
    response = client.post(
        "/mot-de-passe/changer/",
        {
            "old_password": "Mot-de-passe-de-test-2026",
            "new_password1": "Tout-nouveau-secret-2026",
            "new_password2": "Tout-nouveau-secret-2026",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor_id == user.pk
    assert event.after == {"how": "change"}
    assert client.get("/").status_code == 200  # still signed in (session hash updated)
    user.refresh_from_db()
    assert user.check_password("Tout-nouveau-secret-2026")


def test_a_weak_new_password_is_refused_in_french(client, people):
    client.force_login(people["client_head"])
    response = client.post(
        "/mot-de-passe/changer/",
        {
            "old_password": "Mot-de-passe-de-test-2026",
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court." in page_text(response)
