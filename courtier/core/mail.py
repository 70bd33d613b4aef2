"""Notifications by email, sent by the task worker once the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> int:
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def notify(
    *, to: list[str], template: str, context: dict[str, object], language: str = "fr-ca"
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` now (in ``language``) and queue
    the email for after the commit: a rolled-back change sends nothing."""
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
    transaction.on_commit(
        lambda: send_email.enqueue(to=sorted(set(to)), subject=subject, text=text)
    )
