"""Keeping the file's documents (DOMAIN §7: the choice support): those a person joins (a trial
report, the head's signed authorisation, the EFVP) and those the file generates (the needs, the
compliant list, the questions, the comparison, the agenda, the strategy).

A generated document is rendered after the commit of the change that produced it, by the task
``acquisitions.tasks.render_file_document`` (a page never waits for a PDF): the service queues
it with a key of its own making, and a task run twice with that key keeps one document.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from courtier.accounts.models import User
from courtier.acquisitions.documents.common import Rendered
from courtier.acquisitions.documents.comparison import comparison_xlsx
from courtier.acquisitions.documents.comparison_pdf import comparison_pdf
from courtier.acquisitions.documents.compliance import compliance_xlsx, questions_pdf
from courtier.acquisitions.documents.needs import needs_pdf
from courtier.acquisitions.documents.startup import agenda_pdf, strategy_pdf
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    DocumentKind,
    ScenarioRun,
    StartupMeeting,
)
from courtier.acquisitions.services.common import _lock
from courtier.documents.models import Document
from courtier.documents.services.store import document_keep


def file_document_keep(
    *,
    by: User | None,
    file: AcquisitionFile,
    kind: str,
    title: str,
    name: str,
    content: bytes,
    content_type: str,
    key: str = "",
) -> Document:
    """Keep a document the file produced or received in the document store (DOMAIN §7: the
    choice support), its type the ``kind``, owned by the file's client; ``key`` names a
    generated one (blank for a document a person joins). The store audits it."""
    return document_keep(
        by=by,
        subject=file,
        type=kind,
        title=title,
        name=name,
        content=content,
        content_type=content_type,
        key=key,
    )


def _run(file: AcquisitionFile, source_id: int | None) -> ScenarioRun | None:
    return file.runs.filter(pk=source_id).first()


def _comparison_xlsx(file: AcquisitionFile, source_id: int | None) -> Rendered | None:
    run = _run(file, source_id)
    return comparison_xlsx(run) if run is not None else None


def _comparison_pdf(file: AcquisitionFile, source_id: int | None) -> Rendered | None:
    run = _run(file, source_id)
    return comparison_pdf(run) if run is not None else None


def _agenda(file: AcquisitionFile, source_id: int | None) -> Rendered | None:
    # A meeting convened again replaces the row: the new one has its own agenda to render.
    meeting = StartupMeeting.objects.filter(pk=source_id, file=file).first()
    return agenda_pdf(file, meeting) if meeting is not None else None


def _strategy(file: AcquisitionFile, source_id: int | None) -> Rendered | None:
    strategy = AcquisitionStrategy.objects.filter(pk=source_id, file=file).first()
    return strategy_pdf(strategy) if strategy is not None else None


# Kind -> how to render it from the file and the id of what it was made from (a run, a meeting,
# a strategy); None when that is gone.
RENDERERS: dict[str, Callable[[AcquisitionFile, int | None], Rendered | None]] = {
    DocumentKind.NEEDS: lambda file, _source: needs_pdf(file),
    DocumentKind.COMPLIANCE: lambda file, _source: compliance_xlsx(file),
    DocumentKind.QUESTIONS: lambda file, _source: questions_pdf(file),
    DocumentKind.COMPARISON_XLSX: _comparison_xlsx,
    DocumentKind.COMPARISON_PDF: _comparison_pdf,
    DocumentKind.AGENDA: _agenda,
    DocumentKind.STRATEGY: _strategy,
}


def generated_document_keep(
    *, kind: str, file_id: int, source_id: int | None, by_id: int | None, key: str
) -> int | None:
    """Render a generated document of the file and keep it, in a transaction of its own, as the
    person whose action produced it; the id of the document kept (the one kept already when a
    run with the same ``key`` came first), or None when there is nothing left to render."""
    kept = Document.objects.filter(key=key).values_list("pk", flat=True).first()
    if kept is not None:
        return kept
    file = AcquisitionFile.objects.select_related("client", "category").filter(pk=file_id).first()
    if file is None:
        return None
    # Rendered before the transaction: the file stays free for its people meanwhile.
    rendered = RENDERERS[kind](file, source_id)
    if rendered is None:
        return None
    with transaction.atomic():
        locked = _lock(file)  # one keeper at a time: the second finds the first's document
        kept = Document.objects.filter(key=key).values_list("pk", flat=True).first()
        if kept is not None:
            return kept
        by = User.objects.filter(pk=by_id).first() if by_id is not None else None
        document = file_document_keep(
            by=by,
            file=locked,
            kind=kind,
            title=rendered.title,
            name=rendered.name,
            content=rendered.content,
            content_type=rendered.content_type,
            key=key,
        )
    return document.pk
