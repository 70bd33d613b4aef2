"""Background work of the fees, after the commit of the change that calls for it: the PDF of an
invoice or a credit note, the published grid's PDF (a page never waits for a PDF)."""

from __future__ import annotations

from django_tasks import task

from courtier.fees.services import rendering


@task()
def invoice_document_render(invoice_id: int) -> int | None:
    return rendering.invoice_document_keep(invoice_id)


@task()
def grid_document_publish(grid_id: int, by_id: int | None) -> int | None:
    return rendering.grid_document_publish(grid_id, by_id)
