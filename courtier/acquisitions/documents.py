"""The documents an acquisition file produces and keeps as its choice support (DOMAIN §7; issue 4,
point 7): the needs (step 1), the compliant list and the suppliers' questions (step 3), the
scenario comparison (step 4, XLSX and PDF), the startup meeting's agenda and the frozen strategy
(step 5, 002 §2.5).

Pure reads of the objects passed in: nothing here writes (services keep what these return with
``file_document_keep``). Always in French (the file's record), whatever the reader's language:
dates as AAAA-MM-JJ or « 1er décembre 2026 », amounts in the fr-CA style « 12 345,67 $ » through
the Catalogue's single money formatter.

XLSX: openpyxl, the style of catalogue/exports.py (amounts are numbers with a money format, dates
are dates) and its guard against formula injection on every text cell. PDF: fpdf2's core fonts
(Helvetica, no font file to ship): they cover Latin-1 only, so every text goes through
``_latin1``, which writes the few French typographic characters outside it in plain ASCII.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate
from typing import Any, ParamSpec, TypeVar

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF, FontFace, XPos, YPos

from courtier.acquisitions import rules
from courtier.acquisitions.models import (
    QUESTION_LABELS,
    AcquisitionFile,
    AcquisitionStrategy,
    FileState,
    Location,
    NeedKind,
    Scenario,
    ScenarioRun,
    StartupMeeting,
    Verdict,
)
from courtier.catalogue.models import Component, Offer, SheetVersion, Unit
from courtier.core.formatting import long_date, money, quantity
from courtier.core.xlsx import XLSX_CONTENT_TYPE, Money, append_row, new_workbook, set_widths
from courtier.core.xlsx import workbook_bytes as _workbook_bytes

__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "Rendered",
    "agenda_pdf",
    "agenda_text",
    "comparison_pdf",
    "comparison_xlsx",
    "compliance_xlsx",
    "money",
    "needs_pdf",
    "questions_pdf",
    "strategy_pdf",
]

FRENCH = "fr-ca"
PDF_CONTENT_TYPE = "application/pdf"
MAX_CHART_SCENARIOS = 8

# Sheet names of the comparison workbook (issue 4, point 7: the choice-support document).
SHEET_COMPARISON = _("Comparaison")
SHEET_MONTHLY = _("Mois par mois")
SHEET_DETAIL = _("Détail")
SHEET_PLAN = _("Plan")
SHEET_SHARES = _("Parts des membres")
SHEET_COMPLIANCE = _("Conformité")
SHEET_REQUIREMENTS = _("Exigences")

YES = _("Oui")
NO = _("Non")
NOT_ANSWERED = _("(sans réponse)")
NOT_SET = _("(non précisé)")
LINE_KIND_LABELS = {
    "usage": _("Selon le plan de consommation"),
    "minimum_term": _("Durée minimale : mois restants dus"),
}
# A line item bills a year (or the contract, upfront) at its peak quantity; graduated tiers
# make its amount differ from quantity x price: the headers say which quantity and which price.
QUANTITY_HEADER = _("Quantité (pointe)")
PRICE_HEADER = _("Prix unitaire (1er palier)")
ROLE_LABELS = {
    "client": _("Client"),
    "supplier": _("Fournisseur"),
    "broker": _("Courtier"),
    "partner": _("Partenaire du fournisseur"),
}


@dataclass(frozen=True)
class Rendered:
    """A generated document, ready for ``services.file_document_keep``."""

    title: str
    name: str
    content: bytes
    content_type: str


P = ParamSpec("P")
R = TypeVar("R")


def _in_french(func: Callable[P, R]) -> Callable[P, R]:
    """The file's documents are written in French whatever the reader's language."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(FRENCH):
            return func(*args, **kwargs)

    return wrapper


# --- small formatting helpers ---------------------------------------------------------------


def _iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _moment(value: datetime | None) -> str:
    """« 2026-11-22 10:05 », in America/Toronto."""
    return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _yes_no(value: bool) -> str:
    return str(YES if value else NO)


def _unit(unit: str) -> str:
    return str(dict(Unit.choices).get(unit, unit))


def _need_kind(kind: str) -> str:
    return str(dict(NeedKind.choices).get(kind, kind))


def _month_label(start: date | None, index: int) -> str:
    """Contract month ``index`` (0 = month of signature) as « 1 » or « 1 (2027-01) »."""
    if start is None:
        return str(index + 1)
    months = start.year * 12 + start.month - 1 + index
    return f"{index + 1} ({months // 12:04d}-{months % 12 + 1:02d})"


def _offer_label(offer: Offer) -> str:
    return f"{offer.name} ({offer.code})"


def _scenario_label(scenario: Scenario) -> str:
    rank = f"{scenario.rank}. " if scenario.rank else "— "
    return f"{rank}{scenario.supplier.name}"


def _answer(value: object) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return str(NOT_ANSWERED)
    return str(value).strip()


# --- PDF (fpdf2, core fonts) -----------------------------------------------------------------

# Characters French text uses that Latin-1 (the core fonts' encoding) lacks.
_LATIN1_REPLACEMENTS = str.maketrans(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u2014": "-",  # —
        "\u2013": "-",  # –
        "\u2026": "...",  # …
        "\u0153": "oe",  # œ
        "\u0152": "OE",  # Œ
        "\u20ac": "EUR",  # €
        "\u202f": " ",  # narrow no-break space (French thousands and « : »)
        "\u2009": " ",  # thin space
        "\u2192": "->",  # →
        "\u2264": "<=",  # ≤
        "\u2265": ">=",  # ≥
        "\u2022": "-",  # •
    }
)


def _latin1(text: str) -> str:
    """``text`` as the core fonts can draw it: French typography outside Latin-1 in ASCII, and
    any other character a question mark (a supplier's name never breaks a document)."""
    return text.translate(_LATIN1_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    """An A4 document with a running header (title, file reference) and numbered pages."""

    def __init__(self, title: str, reference: str, *, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.doc_title = title
        self.reference = reference
        self.generated = timezone.localtime()
        self.set_title(_latin1(title))
        self.set_author("Courtier en infonuagique")
        self.set_creation_date(self.generated)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        self.add_page()

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(_latin1(text))

    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.reference} - {self.doc_title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        generated = str(_("Produit le {moment}")).format(moment=_moment(self.generated))
        self.cell(0, 5, generated, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # building blocks

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 8, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font("Helvetica", "", 11)
            self.multi_cell(0, 6, subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(2)
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def paragraph(self, text: str, *, bold: bool = False, size: int = 10) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.multi_cell(0, 5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def facts(self, rows: Iterable[tuple[str, str]]) -> None:
        """Label: value pairs, the label in bold."""
        width = self.epw * 0.35
        for label, value in rows:
            self.set_font("Helvetica", "B", 10)
            if self.will_page_break(10):
                self.add_page()
            y, page = self.get_y(), self.page_no()
            self.multi_cell(width, 5, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            label_bottom = self.get_y()
            self.set_font("Helvetica", "", 10)
            self.set_xy(self.l_margin + width, y)
            self.multi_cell(0, 5, value or "-", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if self.page_no() == page and self.get_y() < label_bottom:
                self.set_y(label_bottom)
        self.set_font("Helvetica", "", 10)

    def grid(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        widths: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: int = 9,
    ) -> None:
        """A table with bold, repeated headings; ``align`` holds "L" or "R" per column."""
        self.set_font("Helvetica", "", size)
        aligns = tuple(align) if align else ("LEFT",) * len(headers)
        aligns = tuple("RIGHT" if a == "R" else "LEFT" if a == "L" else a for a in aligns)
        with self.table(
            col_widths=tuple(widths) if widths else None,
            text_align=aligns,
            line_height=self.font_size * 1.6,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
            padding=1,
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.ln(2)
        self.set_font("Helvetica", "", 10)

    def content(self) -> bytes:
        return bytes(self.output())


def _pdf(title: str, name: str, pdf: _Pdf) -> Rendered:
    return Rendered(title=title, name=name, content=pdf.content(), content_type=PDF_CONTENT_TYPE)


def _file_facts(file: AcquisitionFile) -> list[tuple[str, str]]:
    client = file.client
    return [
        (str(_("Dossier")), f"{file.reference} - {file.title}"),
        (str(_("Organisme client")), client.name),
        (
            str(_("Assujetti au RCTI")),
            _yes_no(client.subject_to_rcti),
        ),
    ]


def _month_tables(
    pdf: _Pdf,
    start: date | None,
    months: int,
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    per_table: int = 6,
) -> None:
    """Quantities month by month: one row per contract month, one column per series (in
    groups of ``per_table`` columns so a page stays readable)."""
    for first in range(0, len(series), per_table):
        chunk = series[first : first + per_table]
        headers = [str(_("Mois")), *(label for label, _values in chunk)]
        rows = [
            [
                _month_label(start, m),
                *(quantity(values[m]) if m < len(values) else "" for _l, values in chunk),
            ]
            for m in range(months)
        ]
        month_width = 28 if start else 14
        rest = (pdf.epw - month_width) / max(len(chunk), 1)
        pdf.grid(
            headers,
            rows,
            widths=[month_width, *([rest] * len(chunk))],
            align=["L", *(["R"] * len(chunk))],
        )


# --- step 1: the needs ------------------------------------------------------------------------


@_in_french
def needs_pdf(file: AcquisitionFile) -> Rendered:
    """The step-1 questionnaire with its answers and the consumption plan (DOMAIN §3.1; 002
    §2.1), kept when the needs are submitted."""
    title = str(_("Définition des besoins"))
    pdf = _Pdf(title, file.reference)
    pdf.title_block(title, f"{file.reference} - {file.title}")
    location = str(dict(Location.choices).get(file.location, file.location))
    efvp = rules.efvp_required(file.personal_information)
    pdf.facts(
        [
            *_file_facts(file),
            (str(_("Achat regroupé")), _yes_no(file.is_group_purchase)),
            (str(_("Étape")), str(dict(FileState.choices).get(file.state, file.state))),
            (str(_("Volet recherché")), file.category.name if file.category_id else str(NOT_SET)),
            (
                str(_("Durée désirée, renouvellements compris")),
                str(_("{n} mois")).format(n=file.duration_months)
                if file.duration_months
                else str(NOT_SET),
            ),
            (
                str(_("Budget disponible")),
                money(file.budget_cents) if file.budget_cents else str(NOT_SET),
            ),
            (
                str(_("Début prévu du contrat")),
                long_date(file.planned_start) if file.planned_start else str(NOT_SET),
            ),
            (str(_("Localisation des données")), location),
            (
                str(_("Renseignements personnels en cause")),
                _yes_no(file.personal_information),
            ),
            (
                str(_("Renseignements personnels communiqués hors Québec")),
                _yes_no(file.pi_outside_quebec),
            ),
            (
                str(_("EFVP requise")),
                _yes_no(efvp)
                + (
                    " - " + str(_("avant tout contrat (art. 70.1 de la Loi sur l'accès)"))
                    if rules.efvp_blocks_contract(file.personal_information, file.pi_outside_quebec)
                    else ""
                ),
            ),
            (
                str(_("Partenaire du fournisseur")),
                file.supplier_partner or str(NOT_SET),
            ),
        ]
    )
    pdf.heading(str(_("Questionnaire")))
    answers = file.answers if isinstance(file.answers, dict) else {}
    for number, question in enumerate(rules.QUESTIONS, start=1):
        label = str(QUESTION_LABELS.get(question.code, question.code))
        required = "" if question.required else " " + str(_("(facultatif)"))
        pdf.paragraph(f"{number}. {label}{required}", bold=True)
        pdf.paragraph(_answer(answers.get(question.code)))
        pdf.ln(1)
    needs = list(file.needs.prefetch_related("members__member"))
    pdf.heading(str(_("Plan de consommation")))
    if not needs:
        pdf.paragraph(str(_("Aucune ligne au plan de consommation.")))
    else:
        pdf.grid(
            [
                str(_("Code")),
                str(_("Besoin")),
                str(_("Nature")),
                str(_("Unité")),
                str(_("Premier mois")),
                str(_("Pointe")),
                str(_("Dernier mois")),
            ],
            [
                [
                    n.code,
                    n.label,
                    _need_kind(n.kind),
                    _unit(n.unit),
                    str(n.quantities[0]) if n.quantities else "",
                    str(max(n.quantities)) if n.quantities else "",
                    str(n.quantities[-1]) if n.quantities else "",
                ]
                for n in needs
            ],
            widths=[22, 50, 30, 32, 16, 14, 16],
            align=["L", "L", "L", "L", "R", "R", "R"],
        )
        if file.duration_months:
            pdf.paragraph(str(_("Quantités par mois du contrat")), bold=True)
            _month_tables(
                pdf,
                file.planned_start,
                file.duration_months,
                [(n.code, n.quantities) for n in needs],
            )
        if file.is_group_purchase:
            pdf.heading(str(_("Consommation des organismes membres")))
            rows = [
                [
                    n.code,
                    row.member.name,
                    str(row.quantities[0]) if row.quantities else "",
                    str(max(row.quantities)) if row.quantities else "",
                    str(row.quantities[-1]) if row.quantities else "",
                ]
                for n in needs
                for row in n.members.all()
            ]
            if rows:
                pdf.grid(
                    [
                        str(_("Besoin")),
                        str(_("Organisme membre")),
                        str(_("Premier mois")),
                        str(_("Pointe")),
                        str(_("Dernier mois")),
                    ],
                    rows,
                    widths=[30, 80, 24, 22, 24],
                    align=["L", "L", "R", "R", "R"],
                )
            else:
                pdf.paragraph(str(_("Aucun organisme membre n'a encore indiqué sa consommation.")))
    return _pdf(title, f"{file.reference}-besoins.pdf", pdf)


# --- XLSX (openpyxl) ----------------------------------------------------------------------------


def _xlsx(title: str, name: str, workbook: Any) -> Rendered:
    return Rendered(
        title=title, name=name, content=_workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE
    )


def _xlsx_header(sheet: Any, title: str, rows: Sequence[tuple[str, Any]]) -> None:
    append_row(sheet, [title], bold=True)
    for label, value in rows:
        append_row(sheet, [label, value])
    sheet.append([])


# --- steps 2-3: the compliant list and the questions --------------------------------------------


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


# --- step 4: the comparison of scenarios --------------------------------------------------------


@dataclass(frozen=True)
class _RunData:
    file: AcquisitionFile
    run: ScenarioRun
    scenarios: list[Scenario]
    offers: dict[str, Offer]  # offer key (pk as text) -> offer
    components: dict[tuple[str, str], str]  # (offer key, component code) -> name
    needs: dict[str, Any]  # need code -> NeedLine (labels); may lack a since-removed need
    lowest: Scenario | None
    chosen: Scenario | None

    def offers_of(self, scenario: Scenario) -> str:
        return "; ".join(_offer_label(o) for o in scenario.offers.all())

    def need_label(self, code: str) -> str:
        need = self.needs.get(code)
        return need.label if need is not None else code

    def missing(self, scenario: Scenario) -> str:
        return "; ".join(self.need_label(code) for code in scenario.missing_needs)


def _run_data(run: ScenarioRun) -> _RunData:
    file = AcquisitionFile.objects.select_related("client", "category").get(pk=run.file_id)
    scenarios = list(
        run.scenarios.select_related("supplier")
        .prefetch_related("offers")
        .order_by("rank", "supplier__name", "pk")
    )
    # Complete scenarios by rank first, then the incomplete ones (rank NULL sorts first in
    # PostgreSQL and last in SQLite: order here, the same on both).
    scenarios.sort(key=lambda s: (s.rank is None, s.rank or 0, s.supplier.name, s.pk))
    offer_ids = {o.pk for s in scenarios for o in s.offers.all()}
    offers = {str(o.pk): o for s in scenarios for o in s.offers.all()}
    components = {
        (str(offer_id), code): name
        for offer_id, code, name in Component.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "code", "name"
        )
    }
    return _RunData(
        file=file,
        run=run,
        scenarios=scenarios,
        offers=offers,
        components=components,
        needs={n.code: n for n in file.needs.all()},
        lowest=next((s for s in scenarios if s.is_lowest), None),
        chosen=next((s for s in scenarios if s.chosen), None),
    )


def _run_facts(data: _RunData) -> list[tuple[str, Any]]:
    file, run = data.file, data.run
    return [
        (str(_("Dossier")), f"{file.reference} - {file.title}"),
        (str(_("Organisme client")), file.client.name),
        (str(_("Durée")), str(_("{n} mois")).format(n=run.months)),
        (str(_("Début prévu du contrat")), _iso(file.planned_start) or str(NOT_SET)),
        (str(_("Prix en vigueur le")), run.prices_on),
        (str(_("Calcul n°")), run.number),
        (str(_("Calculé le")), _moment(run.computed_at)),
        (
            str(_("Scénario du plus bas prix")),
            f"{data.lowest.supplier.name} - {money(data.lowest.total_cents)}"
            if data.lowest
            else str(_("aucun scénario complet")),
        ),
        (
            str(_("Scénario choisi")),
            f"{data.chosen.supplier.name} - {money(data.chosen.total_cents)}"
            if data.chosen
            else str(_("aucun pour l'instant")),
        ),
    ]


def _difference(data: _RunData, scenario: Scenario) -> int | None:
    if not scenario.complete or data.lowest is None:
        return None
    return scenario.total_cents - data.lowest.total_cents


def _item_rows(data: _RunData, scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's line items in billing order, with the names a reader needs."""
    items = sorted(
        scenario.line_items,
        key=lambda i: (i["billed_month"], i["offer_key"], i["component_code"], i["kind"]),
    )
    rows = []
    for item in items:
        offer = data.offers.get(str(item["offer_key"]))
        rows.append(
            {
                "offer": offer.name if offer else str(item["offer_key"]),
                "component": data.components.get(
                    (str(item["offer_key"]), item["component_code"]), item["component_code"]
                ),
                "component_code": item["component_code"],
                "need": data.need_label(item["need"]),
                "kind": str(LINE_KIND_LABELS.get(item["kind"], item["kind"])),
                "year": item["year"] + 1,
                "billed_month": item["billed_month"] + 1,
                "months": item["months"],
                "quantity": item["quantity"],
                "unit_price_cents": item["unit_price_cents"],
                "amount_cents": item["amount_cents"],
            }
        )
    return rows


@_in_french
def comparison_xlsx(run: ScenarioRun) -> Rendered:
    """The choice-support workbook of one run (002 §2.4.1; issue 4, point 7): the ranking, the
    amounts month by month and cumulated, every line item, and the plan that was priced."""
    data = _run_data(run)
    file = data.file
    title = str(_("Comparaison des scénarios, calcul n° {number} (XLSX)")).format(number=run.number)
    workbook = new_workbook()

    sheet = workbook.create_sheet(str(SHEET_COMPARISON))
    _xlsx_header(sheet, str(_("Comparaison des scénarios d'acquisition")), _run_facts(data))
    append_row(
        sheet,
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offres")),
            str(_("Total")),
            str(_("Écart avec le plus bas prix")),
            str(_("Plus bas prix")),
            str(_("Choisi")),
            str(_("Couvre tous les besoins")),
            str(_("Besoins non couverts")),
        ],
        bold=True,
    )
    top = sheet.max_row
    for scenario in data.scenarios:
        difference = _difference(data, scenario)
        append_row(
            sheet,
            [
                scenario.rank,
                scenario.supplier.name,
                data.offers_of(scenario),
                Money(scenario.total_cents),
                None if difference is None else Money(difference),
                _yes_no(scenario.is_lowest),
                _yes_no(scenario.chosen),
                _yes_no(scenario.complete),
                data.missing(scenario),
            ],
        )
    sheet.freeze_panes = sheet.cell(row=top + 1, column=3)
    set_widths(sheet, [28, 32, 50, 16, 18, 12, 10, 14, 40])

    monthly = workbook.create_sheet(str(SHEET_MONTHLY))
    labels = [_scenario_label(s) for s in data.scenarios]
    append_row(
        monthly,
        [
            str(_("Mois")),
            *(str(_("Mensuel - {s}")).format(s=label) for label in labels),
            *(str(_("Cumulatif - {s}")).format(s=label) for label in labels),
        ],
        bold=True,
    )
    cumulative = [list(accumulate(s.monthly_cents)) for s in data.scenarios]
    for m in range(run.months):
        append_row(
            monthly,
            [
                _month_label(file.planned_start, m),
                *(
                    Money(s.monthly_cents[m]) if m < len(s.monthly_cents) else None
                    for s in data.scenarios
                ),
                *(Money(c[m]) if m < len(c) else None for c in cumulative),
            ],
        )
    append_row(
        monthly,
        [
            str(_("Total")),
            *(Money(s.total_cents) for s in data.scenarios),
            *(Money(c[-1]) if c else None for c in cumulative),
        ],
        bold=True,
    )
    monthly.freeze_panes = "B2"
    set_widths(monthly, [16, *([22] * (2 * len(data.scenarios)))])

    detail = workbook.create_sheet(str(SHEET_DETAIL))
    append_row(
        detail,
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offre")),
            str(_("Composante")),
            str(_("Code")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Année du contrat")),
            str(_("Mois facturé")),
            str(_("Mois couverts")),
            str(QUANTITY_HEADER),
            str(PRICE_HEADER),
            str(_("Montant")),
        ],
        bold=True,
    )
    for scenario in data.scenarios:
        for item in _item_rows(data, scenario):
            append_row(
                detail,
                [
                    scenario.rank,
                    scenario.supplier.name,
                    item["offer"],
                    item["component"],
                    item["component_code"],
                    item["need"],
                    item["kind"],
                    item["year"],
                    item["billed_month"],
                    item["months"],
                    item["quantity"],
                    Money(item["unit_price_cents"]),
                    Money(item["amount_cents"]),
                ],
            )
    detail.freeze_panes = "C2"
    set_widths(detail, [8, 30, 32, 32, 14, 30, 26, 10, 10, 10, 10, 14, 16])

    plan = workbook.create_sheet(str(SHEET_PLAN))
    append_row(
        plan,
        [
            str(_("Code")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Unité")),
            *(_month_label(file.planned_start, m) for m in range(run.months)),
        ],
        bold=True,
    )
    members = run.plan.get("members") or {}
    member_names = _organisation_names(members.keys())
    for code, quantities in (run.plan.get("needs") or {}).items():
        need = data.needs.get(code)
        append_row(
            plan,
            [
                code,
                data.need_label(code),
                _need_kind(need.kind) if need else "",
                _unit(need.unit) if need else "",
                *quantities,
            ],
        )
        for member, needs in members.items():
            if code in needs:
                append_row(
                    plan,
                    ["", f"  {member_names.get(member, member)}", "", "", *needs[code]],
                )
    plan.freeze_panes = "E2"
    set_widths(plan, [16, 34, 24, 22, *([14] * run.months)])

    if any(s.member_shares for s in data.scenarios):
        shares = workbook.create_sheet(str(SHEET_SHARES))
        member_ids = sorted({m for s in data.scenarios for m in (s.member_shares or {})})
        names = _organisation_names(member_ids)
        append_row(
            shares,
            [str(_("Scénario")), *(names.get(m, m) for m in member_ids), str(_("Total"))],
            bold=True,
        )
        for scenario in data.scenarios:
            values = scenario.member_shares or {}
            append_row(
                shares,
                [
                    _scenario_label(scenario),
                    *(Money(values[m]) if m in values else None for m in member_ids),
                    Money(scenario.total_cents),
                ],
            )
        set_widths(shares, [32, *([22] * len(member_ids)), 18])
    return _xlsx(title, f"{file.reference}-comparaison-{run.number}.xlsx", workbook)


def _organisation_names(ids: Iterable[object]) -> dict[str, str]:
    from courtier.accounts.models import Organisation

    wanted = [int(i) for i in ids if str(i).isdigit()]
    return {
        str(pk): name
        for pk, name in Organisation.objects.filter(pk__in=wanted).values_list("pk", "name")
    }


# Okabe-Ito colours (readable by colour-blind readers), dashed for the second four.
_CHART_COLOURS = (
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (230, 159, 0),
    (0, 0, 0),
    (117, 112, 179),
)


def _nice_step(value: int) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten) at least ``value``, in cents."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = int(factor * power)
        if step >= value:
            return step
    return 10 * power  # pragma: no cover - the loop always returns


def _chart_scenarios(data: _RunData) -> list[Scenario]:
    """At most 8 scenarios, the best ranked first; the chosen one is always drawn."""
    drawn = [s for s in data.scenarios if s.monthly_cents][:MAX_CHART_SCENARIOS]
    if data.chosen is not None and data.chosen not in drawn:
        drawn = [*drawn[: MAX_CHART_SCENARIOS - 1], data.chosen]
    return drawn


def _chart(pdf: _Pdf, data: _RunData) -> None:
    """Cumulative cost of each scenario over the contract months: one polyline per scenario and
    a legend (issue 4, point 7)."""
    drawn = _chart_scenarios(data)
    if not drawn:
        return
    months = data.run.months
    series = [[0, *accumulate(s.monthly_cents)] for s in drawn]
    top_value = max(max(values) for values in series)
    step = _nice_step(max(1, -(-top_value // 4)))
    top = step * 4
    if pdf.will_page_break(150):
        pdf.add_page()
    pdf.heading(str(_("Coût cumulatif par scénario")))
    left, width, height = pdf.l_margin + 32, pdf.epw - 36, 85
    y0 = pdf.get_y() + 2
    bottom = y0 + height

    def x(month: float) -> float:
        return left + width * month / months

    def y(cents: int) -> float:
        return bottom - height * cents / top

    pdf.set_font("Helvetica", "", 7)
    pdf.set_line_width(0.1)
    pdf.set_draw_color(200, 200, 200)
    for i in range(5):
        value = step * i
        pdf.line(left, y(value), left + width, y(value))
        pdf.set_xy(pdf.l_margin, y(value) - 2)
        pdf.cell(30, 4, money(value), align="R")
    tick = 1 if months <= 12 else 3 if months <= 24 else 6
    for month in range(0, months + 1, tick):
        pdf.line(x(month), bottom, x(month), bottom + 1.5)
        pdf.set_xy(x(month) - 5, bottom + 1.5)
        pdf.cell(10, 4, str(month), align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(left, y0, left, bottom)
    pdf.line(left, bottom, left + width, bottom)
    pdf.set_xy(left, bottom + 6)
    pdf.cell(width, 4, str(_("Mois du contrat")), align="C")

    pdf.set_line_width(0.6)
    for index, values in enumerate(series):
        pdf.set_draw_color(*_CHART_COLOURS[index])
        if index >= 4:
            pdf.set_dash_pattern(dash=2, gap=1)
        pdf.polyline([(x(m), y(v)) for m, v in enumerate(values)])
        pdf.set_dash_pattern()

    legend_y = bottom + 12
    pdf.set_font("Helvetica", "", 8)
    column_width = pdf.epw / 2
    for index, scenario in enumerate(drawn):
        col, line = index % 2, index // 2
        lx = pdf.l_margin + col * column_width
        ly = legend_y + line * 5
        pdf.set_draw_color(*_CHART_COLOURS[index])
        if index >= 4:
            pdf.set_dash_pattern(dash=2, gap=1)
        pdf.line(lx, ly + 2, lx + 10, ly + 2)
        pdf.set_dash_pattern()
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("choisi")))
        if not scenario.complete:
            notes.append(str(_("incomplet")))
        suffix = f" ({', '.join(notes)})" if notes else ""
        pdf.set_xy(lx + 12, ly)
        pdf.cell(
            column_width - 14,
            4,
            f"{_scenario_label(scenario)} - {money(scenario.total_cents)}{suffix}",
        )
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, legend_y + ((len(drawn) + 1) // 2) * 5 + 2)
    hidden = len([s for s in data.scenarios if s.monthly_cents]) - len(drawn)
    if hidden > 0:
        pdf.paragraph(
            str(_("{n} autre(s) scénario(s) non illustré(s) : voir le tableau.")).format(n=hidden),
            size=8,
        )
    pdf.set_font("Helvetica", "", 10)


def _items_table(pdf: _Pdf, data: _RunData, scenario: Scenario) -> None:
    rows = [
        [
            item["offer"],
            item["component"],
            item["need"],
            item["kind"],
            str(item["year"]),
            str(item["billed_month"]),
            str(item["months"]),
            quantity(item["quantity"]),
            money(item["unit_price_cents"]),
            money(item["amount_cents"]),
        ]
        for item in _item_rows(data, scenario)
    ]
    rows.append(["", "", "", str(_("Total")), "", "", "", "", "", money(scenario.total_cents)])
    pdf.grid(
        [
            str(_("Offre")),
            str(_("Composante")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Année")),
            str(_("Mois facturé")),
            str(_("Mois")),
            str(QUANTITY_HEADER),
            str(PRICE_HEADER),
            str(_("Montant")),
        ],
        rows,
        widths=[38, 38, 34, 30, 12, 16, 12, 18, 26, 30],
        align=["L", "L", "L", "L", "R", "R", "R", "R", "R", "R"],
        size=8,
    )


@_in_french
def comparison_pdf(run: ScenarioRun) -> Rendered:
    """The choice-support document of one run (002 §2.4.1; issue 4, point 7): its facts, the
    ranking, the cumulative-cost chart and the detail of the lowest and the chosen scenario."""
    data = _run_data(run)
    file = data.file
    title = str(_("Comparaison des scénarios, calcul n° {number} (PDF)")).format(number=run.number)
    heading = str(_("Comparaison des scénarios d'acquisition"))
    pdf = _Pdf(heading, file.reference, landscape=True)
    pdf.title_block(heading, f"{file.reference} - {file.title}")
    pdf.facts(
        [(label, _iso(v) if isinstance(v, date) else str(v)) for label, v in _run_facts(data)]
    )
    pdf.paragraph(
        str(
            _(
                "Article 48 du RCTI (002, section 2.4.3) : le scénario du plus bas prix peut être "
                "retenu sans autre autorisation; tout autre choix d'un organisme assujetti exige "
                "l'autorisation préalable du dirigeant d'organisme."
            )
        ),
        size=8,
    )
    pdf.heading(str(_("Classement")))
    rows = []
    for scenario in data.scenarios:
        difference = _difference(data, scenario)
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("Plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("Choisi")))
        if not scenario.complete:
            notes.append(str(_("Incomplet : {needs}")).format(needs=data.missing(scenario)))
        rows.append(
            [
                str(scenario.rank or "-"),
                scenario.supplier.name,
                data.offers_of(scenario),
                money(scenario.total_cents),
                "" if difference is None else money(difference),
                "; ".join(notes),
            ]
        )
    pdf.grid(
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offres")),
            str(_("Total")),
            str(_("Écart")),
            str(_("Remarques")),
        ],
        rows,
        widths=[14, 55, 80, 34, 34, 50],
        align=["R", "L", "L", "R", "R", "L"],
    )
    _chart(pdf, data)
    detailed = [s for s in (data.lowest, data.chosen) if s is not None]
    for scenario in dict.fromkeys(detailed):
        labels = []
        if scenario.is_lowest:
            labels.append(str(_("plus bas prix")))
        if scenario.chosen:
            labels.append(str(_("choisi")))
        pdf.add_page()
        pdf.heading(
            str(_("Détail du scénario {label} ({notes})")).format(
                label=_scenario_label(scenario), notes=", ".join(labels)
            )
        )
        pdf.paragraph(data.offers_of(scenario))
        _items_table(pdf, data, scenario)
    return _pdf(title, f"{file.reference}-comparaison-{run.number}.pdf", pdf)


# --- step 5: the startup meeting and the frozen strategy (002 §2.5) ---------------------------


def _spread(quantities: Sequence[int], kind: str = rules.NeedKind.USAGE) -> str:
    """How a need's quantities spread over the contract: the first, peak and last month of a
    consumption; the months of a one-time entry or exit activity."""
    if not quantities:
        return ""
    if kind in (rules.NeedKind.ENTRY, rules.NeedKind.EXIT):
        return "; ".join(
            str(_("{q} au mois {m}")).format(q=quantity(q), m=m)
            for m, q in enumerate(quantities, start=1)
            if q
        )
    return str(_("{first} au 1er mois, {peak} au plus, {last} au dernier mois")).format(
        first=quantity(quantities[0]),
        peak=quantity(max(quantities)),
        last=quantity(quantities[-1]),
    )


def _agenda_sections(
    file: AcquisitionFile, meeting: StartupMeeting, chosen: Scenario | None
) -> tuple[str, list[tuple[str, list[str]]]]:
    """The agenda as (title, [(section heading, lines)]): the objectives, participants and next
    steps of 002 §2.5."""
    title = str(_("Ordre du jour - Rencontre de démarrage"))
    when = timezone.localtime(meeting.scheduled_for)
    contact = file.startup_contact_on or timezone.localdate()
    needs = {n.code: n for n in file.needs.all()}
    offers = list(chosen.offers.all().order_by("name")) if chosen else []
    mappings = {c.offer_id: c.mapping for c in file.candidates.filter(offer__in=offers)}
    supplier = chosen.supplier.name if chosen else str(_("à confirmer"))
    partner = file.supplier_partner

    facts = [
        str(_("Dossier : {reference} - {title}")).format(
            reference=file.reference, title=file.title
        ),
        str(_("Organisme client : {name}")).format(name=file.client.name),
        str(_("Fournisseur retenu : {name}")).format(name=supplier)
        + (" " + str(_("(partenaire : {name})")).format(name=partner) if partner else ""),
        str(_("Date : {day}, {hour} (heure de l'Est)")).format(
            day=long_date(when.date(), with_weekday=True), hour=when.strftime("%H h %M")
        ),
        str(_("Rencontre par visioconférence convoquée par le Courtier.")),
    ]
    participants = [
        f"- {p.get('name', '')} ({p.get('email', '')}), "
        f"{ROLE_LABELS.get(p.get('role', ''), p.get('role', ''))}"
        for p in meeting.participants or []
    ]

    strategy = [
        str(_("1. Valider la stratégie d'acquisition déterminée par le client :")),
        "   - "
        + str(_("durée du contrat : {n} mois, renouvellements compris")).format(
            n=file.duration_months or "?"
        ),
    ]
    if offers:
        strategy.append("   - " + str(_("solutions retenues :")))
        for offer in offers:
            strategy.append(f"     - {_offer_label(offer)}")
        strategy.append(
            "   - " + str(_("composantes, quantités et leur répartition sur la durée :"))
        )
        for offer in offers:
            for need_code, component in sorted(mappings.get(offer.pk, {}).items()):
                need = needs.get(need_code)
                if need is None:
                    continue
                strategy.append(
                    f"     - {offer.code} / {component} : {need.label} "
                    f"({_unit(need.unit)}) - {_spread(need.quantities, need.kind)}"
                )
    else:
        strategy.append("   - " + str(_("solutions retenues : à confirmer")))
    strategy.append(
        "   - "
        + str(_("montant total estimé : {amount}")).format(
            amount=money(chosen.total_cents) if chosen else str(_("à confirmer"))
        )
    )
    objectives = [
        *strategy,
        str(
            _(
                "2. Passer en revue les conditions du fournisseur ayant une incidence financière "
                "ou sur la durée du contrat (modalités de prix et de facturation, quantités "
                "minimales, durée minimale, hausses annuelles)."
            )
        ),
        str(_("3. Organiser le travail des intervenants pour la préparation du contrat.")),
    ]
    steps = [
        str(_("1. Le client valide l'admissibilité administrative du fournisseur.")),
        str(
            _(
                "2. Le Courtier prépare le contrat à partir du gabarit de contrat spécifique, avec "
                "l'annexe modificative et les conditions du fournisseur; le fournisseur complète "
                "les documents prévus à ses conditions contractuelles."
            )
        ),
        str(
            _(
                "3. Le Courtier assemble les documents contractuels et les transmet au client "
                "pour validation."
            )
        ),
        str(
            _(
                "4. La version finale, portant le sceau de validation du Courtier, est transmise "
                "au client pour signature."
            )
        ),
        str(
            _(
                "5. Le client fait signer le contrat par sa hiérarchie, puis le transmet au "
                "fournisseur, qui le signe et le retourne au client."
            )
        ),
        str(
            _(
                "6. Le client transmet au Courtier le contrat signé par les parties et le "
                "formulaire d'engagement de responsabilité signé dans les 5 jours ouvrables "
                "suivant la signature."
            )
        ),
    ]
    schedule = [
        str(
            _(
                "Prévoir au moins {days} jours entre le contact de démarrage du Courtier "
                "({contact}) et un contrat signé par le fournisseur : au plus tôt le {earliest}."
            )
        ).format(
            days=rules.STARTUP_TO_SIGNED_CONTRACT_DAYS,
            contact=long_date(contact),
            earliest=long_date(rules.earliest_signed_contract(contact)),
        )
    ]
    sections = [
        ("", facts),
        (str(_("Participants")), participants or [str(_("(à préciser)"))]),
        (str(_("Objectifs de la rencontre")), objectives),
        (str(_("Prochaines étapes")), steps),
        (str(_("Échéancier")), schedule),
    ]
    return title, sections


@_in_french
def agenda_text(file: AcquisitionFile, meeting: StartupMeeting, chosen: Scenario | None) -> str:
    """The startup meeting's agenda as plain text (002 §2.5), kept on the meeting and sent to
    its participants."""
    title, sections = _agenda_sections(file, meeting, chosen)
    parts = [title, "=" * len(title)]
    for heading, lines in sections:
        if heading:
            parts += ["", heading, "-" * len(heading)]
        else:
            parts.append("")
        parts += lines
    return "\n".join(parts) + "\n"


@_in_french
def agenda_pdf(file: AcquisitionFile, meeting: StartupMeeting) -> Rendered:
    """The agenda as a PDF, kept with the file's documents."""
    chosen = file.scenarios.filter(chosen=True).select_related("supplier").first()
    title, sections = _agenda_sections(file, meeting, chosen)
    pdf = _Pdf(title, file.reference)
    pdf.title_block(title, f"{file.reference} - {file.title}")
    for heading, lines in sections:
        if heading:
            pdf.heading(heading)
        for line in lines:
            pdf.paragraph(line)
    return _pdf(
        str(_("Ordre du jour de la rencontre de démarrage du {day}")).format(
            day=_iso(meeting.scheduled_for)
        ),
        f"{file.reference}-ordre-du-jour.pdf",
        pdf,
    )


@_in_french
def strategy_pdf(strategy: AcquisitionStrategy) -> Rendered:
    """The acquisition strategy frozen after the startup meeting and handed to contract
    preparation (002 §2.5): supplier, offers and their sheet versions, components and quantities
    over time, duration, total and its monthly spread."""
    file = AcquisitionFile.objects.select_related("client").get(pk=strategy.file_id)
    content = strategy.content
    title = str(_("Stratégie d'acquisition figée"))
    pdf = _Pdf(title, file.reference)
    pdf.title_block(title, f"{file.reference} - {file.title}")
    start = file.planned_start
    pdf.facts(
        [
            *_file_facts(file),
            (str(_("Fournisseur")), str(content.get("supplier_name", ""))),
            (
                str(_("Partenaire du fournisseur")),
                str(content.get("supplier_partner") or str(NOT_SET)),
            ),
            (str(_("Durée")), str(_("{n} mois")).format(n=strategy.duration_months)),
            (str(_("Début prévu du contrat")), _iso(start) or str(NOT_SET)),
            (str(_("Montant total estimé")), money(strategy.total_cents)),
            (
                str(_("Scénario du plus bas prix")),
                _yes_no(bool(content.get("is_lowest"))),
            ),
            (str(_("Figée le")), f"{_moment(strategy.frozen_at)} ({strategy.frozen_by})"),
        ]
    )
    offers = content.get("offers") or []
    versions = dict(
        SheetVersion.objects.filter(
            pk__in=[o.get("sheet_version") for o in offers if o.get("sheet_version")]
        ).values_list("pk", "name")
    )
    pdf.heading(str(_("Solutions retenues")))
    pdf.grid(
        [str(_("Offre")), str(_("Code")), str(_("Version de la fiche"))],
        [
            [
                str(o.get("name", "")),
                str(o.get("code", "")),
                versions.get(o.get("sheet_version"), ""),
            ]
            for o in offers
        ],
        widths=[70, 30, 80],
    )
    pdf.heading(str(_("Composantes et quantités")))
    components = [(o, c) for o in offers for c in o.get("components") or []]
    kinds = dict(file.needs.values_list("code", "kind"))
    pdf.grid(
        [
            str(_("Offre")),
            str(_("Composante")),
            str(_("Besoin")),
            str(_("Unité")),
            str(_("Répartition")),
        ],
        [
            [
                str(o.get("code", "")),
                str(c.get("component", "")),
                str(c.get("label", "")),
                _unit(str(c.get("unit", ""))),
                _spread(c.get("quantities") or [], kinds.get(c.get("need"), rules.NeedKind.USAGE)),
            ]
            for o, c in components
        ],
        widths=[26, 24, 40, 30, 60],
    )
    if components and strategy.duration_months:
        pdf.paragraph(str(_("Quantités par mois du contrat")), bold=True)
        _month_tables(
            pdf,
            start,
            strategy.duration_months,
            [
                (f"{o.get('code', '')}/{c.get('component', '')}", c.get("quantities") or [])
                for o, c in components
            ],
        )
    monthly = content.get("monthly_cents") or []
    if monthly:
        pdf.heading(str(_("Montants par mois")))
        pdf.grid(
            [str(_("Mois")), str(_("Montant")), str(_("Cumulatif"))],
            [
                [_month_label(start, m), money(amount), money(total)]
                for m, (amount, total) in enumerate(zip(monthly, accumulate(monthly), strict=True))
            ],
            widths=[40, 50, 50],
            align=["L", "R", "R"],
        )
    shares = content.get("member_shares") or {}
    if shares:
        names = _organisation_names(shares.keys())
        pdf.heading(str(_("Parts des organismes membres")))
        pdf.grid(
            [str(_("Organisme membre")), str(_("Montant"))],
            [[names.get(str(m), str(m)), money(cents)] for m, cents in shares.items()],
            widths=[110, 50],
            align=["L", "R"],
        )
    return _pdf(title, f"{file.reference}-strategie.pdf", pdf)
