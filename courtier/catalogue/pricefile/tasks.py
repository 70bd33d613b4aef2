"""The background import of an uploaded price file (issue 3 §4)."""

from __future__ import annotations

from django_tasks import task

from courtier.catalogue.pricefile.importing import price_import_run


@task()
def run_price_import(*, import_id: int) -> str:
    """Check and import an uploaded price file (issue 3 §4); the page polls its progress.
    Returns the import's final status."""
    return price_import_run(import_id=import_id).status
