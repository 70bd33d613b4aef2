"""What the file's documents share: ``Rendered`` (a document ready to keep), the French they are
always written in, the small formatting helpers, the PDF through the one stack (``core.pdf``:
a template under ``acquisitions/documents/`` rendered as PDF/A) and the XLSX helpers.

Dates read « 1er décembre 2026 », amounts in the fr-CA style « 12 345,67 $ » through the one
money formatter (``core.formatting``, the ``courtier_format`` filters in the templates).

XLSX: openpyxl through ``core.xlsx`` (amounts are numbers with a money format, dates are dates,
and every text cell guarded against formula injection).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import Organisation
from courtier.acquisitions.models import AcquisitionFile, NeedKind, Scenario
from courtier.catalogue.models import Offer, Unit
from courtier.core.formatting import long_date, moment, quantity
from courtier.core.pdf import PDF_CONTENT_TYPE, Grid, render_pdf
from courtier.core.xlsx import XLSX_CONTENT_TYPE, append_row
from courtier.core.xlsx import workbook_bytes as _workbook_bytes

FRENCH = "fr-ca"
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


def _pdf(
    title: str,
    name: str,
    template: str,
    context: dict[str, Any],
    *,
    heading: str,
    reference: str,
    landscape: bool = False,
) -> Rendered:
    """``template`` (under ``acquisitions/documents/``) rendered by the one PDF stack
    (``core.pdf``), its running header showing ``heading`` and the file's ``reference``."""
    content = render_pdf(
        f"acquisitions/documents/{template}",
        {**context, "heading": heading},
        title=heading,
        reference=reference,
        landscape=landscape,
    )
    return Rendered(title=title, name=name, content=content, content_type=PDF_CONTENT_TYPE)


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
    start: date | None,
    months: int,
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    per_table: int = 6,
) -> list[Grid]:
    """Quantities month by month: one row per contract month, one column per series (in
    groups of ``per_table`` columns so a page stays readable)."""
    tables = []
    for first in range(0, len(series), per_table):
        chunk = series[first : first + per_table]
        tables.append(
            Grid(
                headers=[str(_("Mois")), *(label for label, _values in chunk)],
                rows=[
                    [
                        _month_label(start, m),
                        *(quantity(values[m]) if m < len(values) else "" for _l, values in chunk),
                    ]
                    for m in range(months)
                ],
                numbers=frozenset(range(1, len(chunk) + 1)),
            )
        )
    return tables


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
