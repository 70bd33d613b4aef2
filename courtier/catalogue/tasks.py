"""Background work of the Catalogue: the change digest sent after each publication (the price
file's import has its own task, pricefile/tasks.py)."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from courtier.catalogue.models import SheetVersion
from courtier.catalogue.services.subscriptions import subscribers_of
from courtier.core.mail import notify


@task()
def send_change_digest(*, version_id: int) -> int:
    """004 §3.2: each publication sends one digest to each subscriber, with a link to the
    change history. Returns how many people were told."""
    version = SheetVersion.objects.select_related("supplier", "previous").get(pk=version_id)
    people = subscribers_of(version)
    url = reverse("catalogue:version_detail", args=[version.pk])
    sections = version.changes.get("sections", {})
    for person in people:
        notify(
            to=[person.email],
            template="catalogue/email/change_digest",
            context={
                "version": version,
                "url": url,
                "sections": sections,
                "price_changes": len(version.changes.get("prices", [])),
                "person": person,
            },
        )
    return len(people)
