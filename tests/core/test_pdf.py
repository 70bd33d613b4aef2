"""The one PDF stack (issue 11, point 2; DOMAIN §7): a template rendered by WeasyPrint as
PDF/A-3b, A4, French, with the title and reference on every page, « Page N de M » and « Produit
le … » in the footer, and no resource fetched from outside the document."""

from __future__ import annotations

import io
import re
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pikepdf
import pytest
import time_machine
from django.utils import translation
from pypdf import PdfReader

from courtier.core.pdf import AUTHOR, PDF_VARIANT, ResourceRefused, render_pdf

TZ = ZoneInfo("America/Toronto")
TITLE = "Attestation d’essai — œuvre"
REFERENCE = "ACQ-2026-0042"
PNG_1PX = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SAMPLE = """{% extends "core/pdf/base.html" %}{% load courtier_format %}
{% block content %}<h1>{{ pdf.title }}</h1>
<p>Montant : {{ amount|money }}</p><p>Le {{ day|long_date }}, {{ count|quantity }} boîtes.</p>
{% for n in pages %}<section style="break-before: page">Section {{ n }}</section>{% endfor %}
{{ extra|safe }}{% endblock %}"""


def assert_pdfa(content: bytes, *, title: str | None = None) -> None:
    """``content`` is a PDF/A-3b document as a validator reads its structure: XMP declaring
    part 3 and conformance B, an sRGB output intent with its ICC profile, every font embedded,
    no encryption, French as its language, the broker as author (and ``title``)."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert not pdf.is_encrypted
        assert "/Encrypt" not in pdf.trailer
        meta = pdf.open_metadata(set_pikepdf_as_editor=False)
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert len(intent.DestOutputProfile.read_bytes()) > 0
        assert str(pdf.Root.Lang) == "fr-CA"
        assert str(pdf.docinfo.Author) == str(AUTHOR)
        assert meta["dc:creator"] == [str(AUTHOR)]
        if title is not None:
            assert str(pdf.docinfo.Title) == meta["dc:title"] == title
        fonts = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        ]
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                font = font.DescendantFonts[0]
            assert font.Subtype != "/Type3"
            descriptor = font.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            assert "DejaVu" in str(font.BaseFont)


def page_texts(content: bytes) -> list[str]:
    return [
        re.sub(r"\s+", " ", page.extract_text().replace("\xa0", " ").replace("\u202f", " "))
        for page in PdfReader(io.BytesIO(content)).pages
    ]


@pytest.fixture
def sample(settings, tmp_path):
    """A template of the tests (``tests/sample.html``) extending the stack's base."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "sample.html").write_text(SAMPLE, encoding="utf-8")
    engine = {**settings.TEMPLATES[0], "DIRS": [tmp_path]}
    settings.TEMPLATES = [engine]

    def render(**context) -> bytes:
        context = {"amount": 1_234_567, "day": date(2026, 12, 1), "count": 1150, **context}
        return render_pdf("tests/sample.html", context, title=TITLE, reference=REFERENCE)

    return render


def test_a_rendered_document_is_pdf_a(sample):
    assert PDF_VARIANT == "pdf/a-3b"
    content = sample(extra=f'<img src="{PNG_1PX}" alt="">')  # data: URIs are the document's own
    assert content.startswith(b"%PDF-1.7")
    assert_pdfa(content, title=TITLE)


def test_every_page_carries_the_title_the_reference_and_its_number(sample):
    with time_machine.travel(datetime(2026, 11, 16, 10, 5, tzinfo=TZ), tick=False):
        pages = page_texts(sample(pages=[1, 2]))
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert TITLE in text
        assert REFERENCE in text
        assert f"Page {number} de 3" in text
        assert "Produit le 16 novembre 2026 à 10 h 05" in text
    assert "Section 2" in pages[2]


def test_money_dates_and_quantities_are_french_canadian_whatever_the_language(sample):
    with translation.override("en"):
        [text] = page_texts(sample())
    assert "Montant : 12 345,67 $" in text
    assert "Le 1er décembre 2026, 1 150 boîtes." in text
    assert "Page 1 de 1" in text


def test_a_landscape_document_is_a4_landscape(settings, sample):
    portrait = PdfReader(io.BytesIO(sample())).pages[0].mediabox
    content = render_pdf(
        "tests/sample.html",
        {"amount": 0, "day": None, "count": 0},
        title=TITLE,
        reference=REFERENCE,
        landscape=True,
    )
    landscape = PdfReader(io.BytesIO(content)).pages[0].mediabox
    assert (round(portrait.width), round(portrait.height)) == (595, 842)  # A4 in points
    assert (round(landscape.width), round(landscape.height)) == (842, 595)


@pytest.fixture
def web_server():
    """A web server on loopback counting the requests it receives."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "extra",
    [
        '<img src="{url}/logo.png" alt="">',
        '<link rel="stylesheet" href="{url}/style.css">',
        '<div style="background: url({url}/fond.png)">x</div>',
        '<img src="file:///etc/hostname" alt="">',
    ],
)
def test_a_document_refuses_to_fetch_anything_outside_itself(sample, web_server, extra):
    url, requests = web_server
    with pytest.raises(ResourceRefused, match="ne va chercher aucune ressource externe"):
        sample(extra=extra.format(url=url))
    assert requests == []  # refused before any connection
