"""Background work of accounts: the daily email of what awaits each person
(``services.digests_send``; `courtier send-digests` runs it from cron)."""

from __future__ import annotations

from django_tasks import task

from courtier.accounts.services import digests_send


@task()
def send_digests() -> int:
    """Each active person's digest of the day, once a day; returns how many were queued."""
    return digests_send()
