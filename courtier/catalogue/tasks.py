"""Background work of the Catalogue: the change digest sent after each publication, and the
import of uploaded price files."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from courtier.core.mail import notify


@task()
def send_change_digest(*, version_id: int) -> int:
    """004 §3.2: each publication sends one digest to each subscriber, with a link to the
    change history. Returns how many people were told."""
    from courtier.catalogue import services
    from courtier.catalogue.models import SheetVersion

    version = SheetVersion.objects.select_related("supplier", "previous").get(pk=version_id)
    people = services.subscribers_of(version)
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


@task()
def run_price_import(*, import_id: int) -> str:
    """Check and import an uploaded price file (issue 3 §4); the page polls its progress.
    Returns the import's final status."""
    from courtier.catalogue import importing

    return importing.price_import_run(import_id=import_id).status
