"""Shared fixtures: a real SMTP server on loopback, organisations and one person per role."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.factories import build_orgs, build_people

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(scope="session", autouse=True)
def session_settings(tmp_path_factory):
    """For every test and for the worlds built once for a module or a class: passwords hashed
    with MD5 (speed only: Argon2 takes about 0.1 s a password), and stored files kept in a
    temporary folder, never in ./var (kept by content, a file written once serves every test);
    so is the broker's local stamp certificate (documents/signing.py), made once a session."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        VAR_DIR=tmp_path_factory.mktemp("var"),
        COURTIER_SIGNING_PKCS12="",
    ):
        yield


@pytest.fixture(autouse=True)
def mailbox(smtp_server, settings):
    """Every test sends its mail to the real SMTP server on loopback and reads it back.
    Tasks run in-process; test_tasks.py runs them through the database queue and its worker."""
    controller, inbox = smtp_server
    settings.TASKS = IMMEDIATE_TASKS
    # Tests send many requests from one address; tests/core/test_throttle.py sets real limits.
    settings.THROTTLE_RATES = {scope: (10_000, 60) for scope in settings.THROTTLE_RATES}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    inbox.messages.clear()
    return inbox


@pytest.fixture
def orgs(db):
    """The broker, two client bodies (one subject to the RCTI), a group purchaser, two
    suppliers and two providers: 'own' and 'other' organisations for every kind."""
    return build_orgs()


@pytest.fixture
def people(orgs):
    """One person per role (see factories.PEOPLE), each in its own kind of organisation."""
    return build_people(orgs)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (queued emails) inside the test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
