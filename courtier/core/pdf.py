"""The one PDF stack (issue 11, point 2): a Django HTML template rendered by WeasyPrint as an
archival PDF (PDF/A-3b), A4, in DejaVu Sans, always in French (fr-CA), with the document's title
and reference in the running header of every page and « Produit le … » and « Page 1 de 3 » in
its footer.

PDF/A-3b rather than 2b: the two impose the same rules on what is drawn (every font embedded,
an sRGB output intent, XMP metadata, no encryption, no external content); PDF/A-3 alone lets a
later document (an invoice, a contract) carry its source data as an attachment without leaving
PDF/A. The documents of today attach nothing.

A document never reaches the network nor the disk: the URL fetcher serves ``data:`` URIs only
and stops the rendering on anything else (``ResourceRefused``). Fonts and the print stylesheet
are loaded once per process. Rendering takes about 0.15 to 0.2 s a page: it runs in a task after
the commit, never in a request (docs/architecture.md, "A request").

Templates extend ``core/pdf/base.html`` and fill its ``content`` block; they format money and
dates with the ``courtier_format`` filters (``money``, ``long_date``, ``moment``, ``quantity``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from courtier.core.formatting import moment

FRENCH = "fr-ca"
LANG = "fr-CA"
PDF_CONTENT_TYPE = "application/pdf"
PDF_VARIANT = "pdf/a-3b"
AUTHOR = _("Courtier en infonuagique et en technologies spécialisées")
PRODUCED = _("Produit le {moment}")
PAGE_NUMBER = _("Page {page} de {pages}")
RESOURCE_REFUSED = _("Un document PDF ne va chercher aucune ressource externe : {url}")
STYLESHEET = Path(__file__).parent / "templates" / "core" / "pdf" / "print.css"
BASE_TEMPLATE = "core/pdf/base.html"


class ResourceRefused(Exception):
    """A template asked for a resource outside the document (a URL, a file)."""


class _DataOnly(URLFetcher):
    """Serves ``data:`` URIs; refuses every other URL (http, https, file...) before opening
    it. ``fail_on_errors`` turns the refusal into a stop of the rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            raise ValueError(str(RESOURCE_REFUSED).format(url=url))
        return super().fetch(url, headers)


@dataclass(frozen=True)
class PdfPage:
    """What ``core/pdf/base.html`` reads: the running header and footer, the page's size."""

    title: str
    reference: str
    produced: datetime
    landscape: bool

    @property
    def author(self) -> str:
        return str(AUTHOR)

    @property
    def lang(self) -> str:
        return LANG

    @property
    def produced_line(self) -> str:
        return str(PRODUCED).format(moment=moment(self.produced))

    @property
    def page_number(self) -> SafeString:
        """« Page <n> de <m> », the numbers drawn by the stylesheet's page counters."""
        return format_html(
            str(PAGE_NUMBER),
            page=mark_safe('<span class="page"></span>'),
            pages=mark_safe('<span class="pages"></span>'),
        )


@dataclass(frozen=True)
class Grid:
    """A table of a document (``core/pdf/grid.html``): its headings and rows of text,
    ``numbers`` the columns aligned right, ``total`` when the last row sums up the others."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    numbers: frozenset[int] = frozenset()
    total: bool = False

    def heads(self) -> list[tuple[str, bool]]:
        return [(str(v), i in self.numbers) for i, v in enumerate(self.headers)]

    def cells(self) -> list[list[tuple[str, bool]]]:
        return [[(str(v), i in self.numbers) for i, v in enumerate(row)] for row in self.rows]


@functools.cache
def _fonts() -> FontConfiguration:
    """Fontconfig read once per process (DejaVu Sans: Debian's fonts-dejavu-core)."""
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=_fonts())


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    title: str,
    reference: str,
    landscape: bool = False,
) -> bytes:
    """``template_name`` (extending ``core/pdf/base.html``) as a PDF/A-3b document, in French:
    ``title`` is its metadata title and, with ``reference``, its running header."""
    with translation.override(FRENCH):
        page = PdfPage(
            title=str(title),
            reference=str(reference),
            produced=timezone.localtime(),
            landscape=landscape,
        )
        html = render_to_string(template_name, {**context, "pdf": page})
        document = HTML(string=html, url_fetcher=_DataOnly())
        try:
            content = document.write_pdf(
                stylesheets=[_stylesheet()],
                font_config=_fonts(),
                pdf_variant=PDF_VARIANT,
                pdf_identifier=True,
            )
        except FatalURLFetchingError as error:
            raise ResourceRefused(str(error.__cause__ or error)) from error
    assert content is not None  # no target given: the bytes
    return content
