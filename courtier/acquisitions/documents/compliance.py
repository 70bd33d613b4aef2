"""Steps 2-3: the compliant list (XLSX, 002 §2.3.1) and the suppliers' questions with their
answers (PDF, 004 §3.3.2, template ``acquisitions/documents/questions.html``), kept when the
compliant list is closed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.acquisitions.documents.common import (
    NOT_ANSWERED,
    Rendered,
    _in_french,
    _moment,
    _pdf,
    _xlsx,
    _xlsx_header,
    _yes_no,
)
from courtier.acquisitions.models import AcquisitionFile, Verdict
from courtier.core.xlsx import append_row, new_workbook, set_widths

SHEET_COMPLIANCE = _("Conformité")
SHEET_REQUIREMENTS = _("Exigences")
# A question's state in the PDF (004 §3.3.2: taken in charge within 3 business days).
QUESTION_LATE_ANSWER = _("Réponse en retard")
QUESTION_ANSWERED = _("Répondue dans le délai")
QUESTION_OVERDUE = _("EN RETARD : sans réponse après l'échéance")
QUESTION_WAITING = _("En attente de réponse")


@_in_french
def compliance_xlsx(file: AcquisitionFile) -> Rendered:
    """Every candidate offer against every requirement, with the client's notes (002 §2.3.1),
    kept when the compliant list is closed."""
    title = str(_("Liste des solutions conformes"))
    requirements = list(file.requirements.all())
    candidates = list(
        file.candidates.select_related("offer__supplier", "version_seen").prefetch_related(
            "records"
        )
    )
    verdicts = dict(Verdict.choices)
    workbook = new_workbook()
    sheet = workbook.create_sheet(str(SHEET_COMPLIANCE))
    _xlsx_header(
        sheet,
        f"{title} - {file.reference}",
        [
            (str(_("Dossier")), f"{file.reference} - {file.title}"),
            (str(_("Organisme client")), file.client.name),
            (str(_("Catalogue consulté le")), _moment(file.looked_at)),
            (str(_("Produit le")), timezone.localdate()),
        ],
    )
    headers = [
        str(_("Fournisseur")),
        str(_("Offre")),
        str(_("Code")),
        str(_("Version de la fiche consultée")),
        str(_("Consultée le")),
    ]
    for requirement in requirements:
        automatic = " " + str(_("(automatique)")) if requirement.is_automatic else ""
        headers += [f"{requirement.label}{automatic}", f"{requirement.label} - {_('note')}"]
    headers.append(str(_("Conforme")))
    append_row(sheet, headers, bold=True)
    table_top = sheet.max_row
    for candidate in candidates:
        records = {r.requirement_id: r for r in candidate.records.all()}
        row: list[Any] = [
            candidate.offer.supplier.name,
            candidate.offer.name,
            candidate.offer.code,
            candidate.version_seen.name,
            _moment(candidate.looked_at),
        ]
        for requirement in requirements:
            record = records.get(requirement.pk)
            verdict = record.verdict if record else Verdict.UNKNOWN
            row += [str(verdicts.get(verdict, verdict)), record.note if record else ""]
        row.append(
            _yes_no(rules.is_compliant([r.verdict for r in records.values()]))
            if len(records) >= len(requirements)
            else _yes_no(False)
        )
        append_row(sheet, row)
    sheet.freeze_panes = sheet.cell(row=table_top + 1, column=3)
    set_widths(sheet, [30, 35, 16, 40, 17, *([18, 30] * len(requirements)), 10])

    listing = workbook.create_sheet(str(SHEET_REQUIREMENTS))
    append_row(listing, [str(_("N°")), str(_("Exigence")), str(_("Nature"))], bold=True)
    for number, requirement in enumerate(requirements, start=1):
        append_row(listing, [number, requirement.label, str(requirement.get_kind_display())])
    set_widths(listing, [6, 60, 45])
    return _xlsx(title, f"{file.reference}-conformite.xlsx", workbook)


@_in_french
def questions_pdf(file: AcquisitionFile) -> Rendered:
    """The written questions to suppliers with their answers, dates, due dates and late flags
    (004 §3.3.2: the supplier takes charge within 3 business days; template
    ``acquisitions/documents/questions.html``)."""
    title = str(_("Questions et réponses des fournisseurs"))
    today = timezone.localdate()
    questions = list(file.questions.select_related("supplier", "offer", "asked_by", "answered_by"))
    entries = []
    for question in questions:
        answered = question.answered_at is not None
        late = (
            timezone.localtime(question.answered_at).date() > question.due_on
            if answered
            else rules.question_overdue(question.due_on, False, today)
        )
        status = (
            QUESTION_LATE_ANSWER
            if answered and late
            else QUESTION_ANSWERED
            if answered
            else QUESTION_OVERDUE
            if late
            else QUESTION_WAITING
        )
        entries.append({"question": question, "answered": answered, "status": str(status)})
    context = {
        "file": file,
        "entries": entries,
        "unanswered": sum(1 for q in questions if q.answered_at is None),
        "not_answered": str(NOT_ANSWERED),
    }
    return _pdf(
        title,
        f"{file.reference}-questions.pdf",
        "questions.html",
        context,
        heading=title,
        reference=file.reference,
    )
