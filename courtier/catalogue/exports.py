"""Exports of the summary tables (tableau synthèse) of offers and of service providers per
qualification, in CSV and XLSX (issue 3, point 5; DOMAIN §2; 002 §2.2, §3.2).

CSV (``core.csvfile``): UTF-8 with a byte-order mark (without it Excel reads UTF-8 as
Windows-1252 and garbles the accents), ``;`` as the separator (what Excel expects in French
locales, where the comma is the decimal mark), CRLF line ends, amounts with the language's
decimal mark ("12,50"; "12.50" in English), dates as AAAA-MM-JJ. Streamed row by row
(``StreamingHttpResponse``): memory does not grow with the Catalogue.

XLSX: openpyxl's write-only mode (rows go to disk as they are produced); amounts are numbers with
a money format, dates are dates, text cells are stored as text.

Both: French headers, the same columns, and protection against formula injection: a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so
that no spreadsheet runs it as a formula. The file name carries the date of the export, e.g.
``tableau-synthese-offres-2026-11-22.csv``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.catalogue import selectors
from courtier.catalogue.models import DataCentreRole, Offer, ProviderQualification, Unit
from courtier.catalogue.selectors import OfferFilters
from courtier.core.csvfile import csv_response
from courtier.core.xlsx import XLSX_CONTENT_TYPE, Money, write_only_cell

FORMATS = ("csv", "xlsx")
SPOOL_BYTES = 8 * 1024 * 1024  # an XLSX larger than this is spooled to a temporary file

OFFERS_FILENAME = "tableau-synthese-offres"
PROVIDERS_FILENAME = "tableau-synthese-prestataires"
OFFERS_SHEET = _("Offres")
PROVIDERS_SHEET = _("Prestataires")
YES = _("Oui")
NO = _("Non")
TRAINING_LANGUAGE_LABELS = {"fr": _("Français"), "en": _("Anglais")}


Value = str | int | Money | date | None


@dataclass(frozen=True)
class Column:
    header: Any  # lazy French text
    value: Callable[[Any], Value]
    width: int = 20  # XLSX column width, in characters


def _yes_no(value: bool) -> str:
    return str(YES if value else NO)


def _centres(offer: Offer) -> str:
    roles = dict(DataCentreRole.choices)
    return "; ".join(
        f"{dc.city} ({', '.join(p for p in (dc.province, dc.country) if p)}) – "
        f"{str(roles.get(dc.role, dc.role)).lower()}"
        for dc in offer.data_centres.all()
    )


def _languages(offer: Offer) -> str:
    codes = [c for c in offer.training_languages.split(",") if c]
    return ", ".join(str(TRAINING_LANGUAGE_LABELS.get(c, c)) for c in codes)


def _price(offer: Offer) -> Money | None:
    cents = getattr(offer, "price_from_cents", None)
    return None if cents is None else Money(cents)


def _unit(offer: Offer) -> str:
    unit = getattr(offer, "price_from_unit", None)
    return str(dict(Unit.choices).get(unit, unit or ""))


OFFER_COLUMNS = [
    Column(_("Fournisseur"), lambda o: o.supplier.name, 30),
    Column(_("Offre"), lambda o: o.name, 35),
    Column(_("Code de l'offre"), lambda o: o.code, 15),
    Column(_("Volet"), lambda o: o.category.label, 30),
    Column(_("Statut"), lambda o: str(o.get_status_display()), 14),
    Column(_("Centres de données"), _centres, 50),
    Column(
        _("Hébergement autorisé pour les renseignements personnels"),
        lambda o: _yes_no(o.personal_information_authorised),
        18,
    ),
    Column(_("Hébergement au Canada seulement"), lambda o: _yes_no(o.hosted_in_canada_only), 16),
    Column(_("Hébergement au Québec seulement"), lambda o: _yes_no(o.hosted_in_quebec_only), 16),
    Column(_("Langues du matériel de formation"), _languages, 18),
    Column(_("Prix à partir de"), _price, 14),
    Column(_("Unité du prix"), _unit, 24),
    Column(_("Version de la fiche"), lambda o: o.version.name, 40),
    Column(_("Mise à jour le"), lambda o: timezone.localdate(o.updated_at), 14),
]


def _provider_value(attribute: Callable[[ProviderQualification], Value]) -> Callable[[Any], Value]:
    def value(row: tuple[Any, ProviderQualification | None]) -> Value:
        return attribute(row[1]) if row[1] is not None else None

    return value


PROVIDER_COLUMNS = [
    Column(_("Qualification"), lambda row: row[0].name, 35),
    Column(_("Description des services"), lambda row: row[0].scope_description, 60),
    Column(_("Prestataire"), _provider_value(lambda pq: pq.provider.name), 30),
    Column(_("Entente-cadre"), _provider_value(lambda pq: pq.agreement.number), 18),
    Column(_("Qualifié le"), _provider_value(lambda pq: pq.qualified_on), 14),
    Column(_("Personne-ressource"), _provider_value(lambda pq: pq.contact_name), 25),
    Column(_("Courriel"), _provider_value(lambda pq: pq.contact_email), 30),
    Column(_("Téléphone"), _provider_value(lambda pq: pq.contact_phone), 18),
]


# --- public functions ---------------------------------------------------------------------------


def offers_export(user: Any, filters: OfferFilters, fmt: str) -> HttpResponseBase:
    """The summary table of offers (qualified or under analysis) matching ``filters`` that
    ``user`` may see (selectors.offer_summary), as a CSV or XLSX download."""
    _check_format(fmt)
    offers = (
        selectors.offer_summary(user, filters)
        .select_related("version")
        .defer("version__content", "version__changes")
    )
    rows = offers.iterator(chunk_size=1000)
    return _respond(fmt, OFFERS_FILENAME, OFFERS_SHEET, OFFER_COLUMNS, rows)


def providers_export(user: Any, fmt: str) -> HttpResponseBase:
    """The summary table of service providers per qualification, with their contacts and the
    description of the services of each qualification (selectors.provider_table)."""
    _check_format(fmt)
    rows = [
        (qualification, row)
        for qualification, providers in selectors.provider_table(user)
        for row in (providers or [None])
    ]
    return _respond(fmt, PROVIDERS_FILENAME, PROVIDERS_SHEET, PROVIDER_COLUMNS, rows)


def filename(stem: str, fmt: str, day: date | None = None) -> str:
    return f"{stem}-{(day or timezone.localdate()).isoformat()}.{fmt}"


# --- writing ------------------------------------------------------------------------------------


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def _respond(
    fmt: str, stem: str, sheet: Any, columns: list[Column], rows: Iterable[Any]
) -> HttpResponseBase:
    name = filename(stem, fmt)
    if fmt == "csv":
        lines = ([c.value(row) for c in columns] for row in rows)
        return csv_response(name, [c.header for c in columns], lines, stream=True)
    file = _xlsx_file(str(sheet), columns, rows)
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def _xlsx_file(title: str, columns: list[Column], rows: Iterable[Any]) -> Any:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([write_only_cell(sheet, str(c.header), bold=True) for c in columns])
    for row in rows:
        sheet.append([write_only_cell(sheet, c.value(row)) for c in columns])
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(file)
    file.seek(0)
    return file
