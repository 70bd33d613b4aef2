"""Background work of the document store: a disposal's attestation, rendered after the commit
of the approval (the page never waits for a PDF)."""

from __future__ import annotations

from django_tasks import task

from courtier.documents.services.attestation import disposal_attestation_keep


@task()
def render_disposal_attestation(disposal_id: int) -> int:
    return disposal_attestation_keep(disposal_id=disposal_id)
