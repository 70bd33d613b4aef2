"""Notifications by email, sent by the task worker once the transaction commits."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Engine
from django.utils import translation
from django_tasks import task


@functools.cache
def _text_engine() -> Engine:
    """The project's template engine with autoescape off: a subject or a text body is plain
    text, where « L'Œuvre & fils » must not become « L&#x27;Œuvre &amp; fils »."""
    default = Engine.get_default()
    return Engine(
        dirs=default.dirs,
        loaders=default.loaders,
        debug=default.debug,
        string_if_invalid=default.string_if_invalid,
        file_charset=default.file_charset,
        libraries=default.libraries,
        builtins=[b for b in default.builtins if b not in Engine.default_builtins],
        autoescape=False,
    )


def _render_text(template_name: str, context: dict[str, object]) -> str:
    return _text_engine().render_to_string(template_name, context)


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: list[list[str]] | None = None,
) -> int:
    """``attachments``: [file name, text content, MIME type] each (JSON-safe for the queue)."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    return message.send()


def render_message(
    template: str, context: dict[str, object], language: str = "fr-ca"
) -> tuple[str, str]:
    """The subject (one line) and the text of ``<template>_subject.txt`` and ``<template>.txt``,
    in ``language``, with the site's address: what an email says, for ``notify`` and for a task
    that sends its own (with binary attachments)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        return subject, _render_text(f"{template}.txt", context)


def notify(
    *,
    to: list[str],
    template: str,
    context: dict[str, object],
    language: str = "fr-ca",
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` now (in ``language``) and queue
    the email for after the commit: a rolled-back change sends nothing."""
    if not to:
        return
    subject, text = render_message(template, context, language)
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=sorted(set(to)),
            subject=subject,
            text=text,
            attachments=[list(a) for a in attachments or []],
        )
    )
