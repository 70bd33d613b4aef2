"""What the file's documents share: ``Rendered`` (a document ready to keep), the French they are
always written in, the small formatting helpers, the A4 PDF with its running header, and the
XLSX helpers.

Dates read AAAA-MM-JJ or « 1er décembre 2026 », amounts in the fr-CA style « 12 345,67 $ »
through the one money formatter (``core.formatting``).

XLSX: openpyxl through ``core.xlsx`` (amounts are numbers with a money format, dates are dates,
and every text cell guarded against formula injection). PDF: fpdf2's core fonts (Helvetica, no
font file to ship): they cover Latin-1 only, so every text goes through ``_latin1``, which
writes the few French typographic characters outside it in plain ASCII.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF, FontFace, XPos, YPos

from courtier.accounts.models import Organisation
from courtier.acquisitions.models import AcquisitionFile, NeedKind, Scenario
from courtier.catalogue.models import Offer, Unit
from courtier.core.formatting import long_date, moment, quantity
from courtier.core.xlsx import XLSX_CONTENT_TYPE, append_row
from courtier.core.xlsx import workbook_bytes as _workbook_bytes

FRENCH = "fr-ca"
PDF_CONTENT_TYPE = "application/pdf"
YES = _("Oui")
NO = _("Non")
NOT_ANSWERED = _("(sans réponse)")
NOT_SET = _("(non précisé)")


@dataclass(frozen=True)
class Rendered:
    """A generated document, ready for ``services.documents.file_document_keep``."""

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


def _iso(value: date | datetime | None) -> str:
    """« 1er décembre 2026 »: the one date format of every page and document (a moment is read
    on the Quebec clock). The name stays for its callers; the XLSX cells keep real dates."""
    return long_date(value)


def _moment(value: datetime | None) -> str:
    """« 22 novembre 2026 à 10 h 05 », in America/Toronto."""
    return moment(value)


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


def _xlsx(title: str, name: str, workbook: Any) -> Rendered:
    return Rendered(
        title=title, name=name, content=_workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE
    )


def _xlsx_header(sheet: Any, title: str, rows: Sequence[tuple[str, Any]]) -> None:
    append_row(sheet, [title], bold=True)
    for label, value in rows:
        append_row(sheet, [label, value])
    sheet.append([])


def _organisation_names(ids: Iterable[object]) -> dict[str, str]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    return {
        str(pk): name
        for pk, name in Organisation.objects.filter(pk__in=wanted).values_list("pk", "name")
    }
