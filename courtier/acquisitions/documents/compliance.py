"""Steps 2-3: the compliant list (XLSX, 002 §2.3.1) and the suppliers' questions with their
answers (PDF, 004 §3.3.2), kept when the compliant list is closed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.acquisitions.documents.common import (
    NOT_ANSWERED,
    Rendered,
    _file_facts,
    _in_french,
    _iso,
    _moment,
    _Pdf,
    _pdf,
    _xlsx,
    _xlsx_header,
    _yes_no,
)
from courtier.acquisitions.models import AcquisitionFile, Verdict
from courtier.core.xlsx import append_row, new_workbook, set_widths

SHEET_COMPLIANCE = _("Conformité")
SHEET_REQUIREMENTS = _("Exigences")


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
    (004 §3.3.2: the supplier takes charge within 3 business days)."""
    title = str(_("Questions et réponses des fournisseurs"))
    today = timezone.localdate()
    questions = list(file.questions.select_related("supplier", "offer", "asked_by", "answered_by"))
    pdf = _Pdf(title, file.reference)
    pdf.title_block(title, f"{file.reference} - {file.title}")
    pdf.facts(
        [
            *_file_facts(file),
            (str(_("Questions")), str(len(questions))),
            (
                str(_("Sans réponse")),
                str(sum(1 for q in questions if q.answered_at is None)),
            ),
        ]
    )
    pdf.paragraph(
        str(
            _(
                "Le fournisseur doit prendre en charge une demande dans les 3 jours ouvrables "
                "(jours fériés du Québec et fermetures du Courtier exclus)."
            )
        ),
        size=9,
    )
    if not questions:
        pdf.heading(str(_("Aucune question n'a été posée.")))
    for number, question in enumerate(questions, start=1):
        answered = question.answered_at is not None
        late = (
            timezone.localtime(question.answered_at).date() > question.due_on
            if answered
            else rules.question_overdue(question.due_on, False, today)
        )
        status = (
            str(_("Réponse en retard"))
            if answered and late
            else str(_("Répondue dans le délai"))
            if answered
            else str(_("EN RETARD : sans réponse après l'échéance"))
            if late
            else str(_("En attente de réponse"))
        )
        offer = f" - {question.offer.name}" if question.offer_id else ""
        pdf.heading(f"{number}. {question.supplier.name}{offer}")
        pdf.facts(
            [
                (str(_("Posée le")), f"{_moment(question.asked_at)} ({question.asked_by})"),
                (str(_("Réponse attendue au plus tard le")), _iso(question.due_on)),
                (
                    str(_("Répondue le")),
                    f"{_moment(question.answered_at)} ({question.answered_by})"
                    if answered
                    else "-",
                ),
                (str(_("État")), status),
            ]
        )
        pdf.paragraph(str(_("Question")), bold=True)
        pdf.paragraph(question.text)
        pdf.paragraph(str(_("Réponse")), bold=True)
        pdf.paragraph(question.answer if answered else str(NOT_ANSWERED))
    return _pdf(title, f"{file.reference}-questions.pdf", pdf)
