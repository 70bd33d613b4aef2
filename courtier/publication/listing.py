"""The columns of the list of concluded contracts (002 §4.7, DOMAIN §5.7), shared by the page,
the CSV and XLSX exports and the API: the client body, the supplier or provider, the solutions or
qualifications, an approximate size (never the amount), the start and the duration, and the
contact person only with the client's consent in force."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.core import csvfile
from courtier.core.csvfile import CSV_CONTENT_TYPE
from courtier.core.xlsx import (
    XLSX_CONTENT_TYPE,
    append_row,
    new_workbook,
    set_widths,
    workbook_bytes,
)
from courtier.publication.selectors import ConcludedRow

FORMATS = ("csv", "xlsx")
FILENAME = "contrats-conclus"
SHEET = _("Contrats conclus")


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[ConcludedRow], str | int | date]
    width: int = 24


COLUMNS = [
    Column(_("Organisme client"), lambda r: r.contract.client.name, 36),
    Column(_("Fournisseur ou prestataire"), lambda r: r.contract.supplier.name, 30),
    Column(_("Nature"), lambda r: r.kind_label, 30),
    Column(_("Solutions ou qualifications"), lambda r: " ; ".join(r.items), 44),
    Column(_("Envergure approximative"), lambda r: r.bracket, 24),
    Column(_("Date de début"), lambda r: r.start_on, 14),
    Column(_("Durée (mois)"), lambda r: r.months, 12),
    Column(_("Personne-ressource"), lambda r: r.contact_name, 28),
    Column(_("Courriel de la personne-ressource"), lambda r: r.contact_email, 32),
]


def filename(fmt: str, day: date | None = None) -> str:
    return f"{FILENAME}-{(day or timezone.localdate()).isoformat()}.{fmt}"


def csv_bytes(rows: Iterable[ConcludedRow]) -> bytes:
    """UTF-8 with a byte-order mark, « ; » separators, CRLF (``core.csvfile``, as the
    Catalogue's exports)."""
    lines = ([c.value(row) for c in COLUMNS] for row in rows)
    return csvfile.csv_bytes([c.header for c in COLUMNS], lines)


def xlsx_bytes(rows: Iterable[ConcludedRow]) -> bytes:
    workbook = new_workbook()
    sheet = workbook.create_sheet(title=str(SHEET)[:31])
    set_widths(sheet, [c.width for c in COLUMNS])
    append_row(sheet, [str(c.header) for c in COLUMNS], bold=True)
    for row in rows:
        append_row(sheet, [c.value(row) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
