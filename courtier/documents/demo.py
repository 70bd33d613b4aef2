"""The demo's records (DOMAIN §7): two documents a supplier sent the broker in 2019, kept seven
years (sheet documents): one is due for disposal, the other is kept by a legal hold; so
`courtier retention --dry-run`, the broker's records page and its work item have something to
show. Called by ``courtier.demo``; loading twice changes nothing (keys and one hold)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.core.pdf import PDF_CONTENT_TYPE, render_pdf
from courtier.documents.models import Document, LegalHold
from courtier.documents.services.disposal import legal_hold_place
from courtier.documents.services.store import document_keep

TORONTO = ZoneInfo("America/Toronto")
SUPPLIER = accounts_demo.SUPPLIERS[0]  # Nuagique Québec inc.
BROKER_AGENT = "agent@courtier.example"
HOLD_REASON = (
    "Différend sur la facturation de 2019 : conserver jusqu'au règlement (demande de la "
    "Direction des affaires juridiques)."
)
# (key, title, kept on, paragraphs)
RECORDS = (
    (
        "demo-record-insurance-2019",
        "Attestation d'assurance responsabilité civile 2019",
        datetime(2019, 3, 15, 10, 0, tzinfo=TORONTO),
        ["Couverture de 5 000 000 $ par sinistre, du 1er avril 2019 au 31 mars 2020."],
    ),
    (
        "demo-record-soc2-2019",
        "Rapport d'audit SOC 2 de type II (2019)",
        datetime(2019, 10, 1, 10, 0, tzinfo=TORONTO),
        ["Période couverte : du 1er octobre 2018 au 30 septembre 2019. Aucune exception."],
    ),
)


def _record(supplier: Organisation, key: str, title: str, kept_at: datetime, paragraphs):
    if (kept := Document.objects.filter(key=key).first()) is not None:
        return kept
    with time_machine.travel(kept_at, tick=False):  # kept then: its seven years count from it
        content = render_pdf(
            "documents/pdf/record.html",
            {"heading": title, "facts": [("Fournisseur", supplier.name)], "paragraphs": paragraphs},
            title=title,
            reference=supplier.name,
        )
        return document_keep(
            by=None,
            subject=supplier,
            type="sheet_document",
            title=title,
            name=f"{key}.pdf",
            content=content,
            content_type=PDF_CONTENT_TYPE,
            key=key,
        )


def load() -> None:
    supplier = Organisation.objects.get(name=SUPPLIER)
    agent = User.objects.get(email=BROKER_AGENT)
    kept = [_record(supplier, *record) for record in RECORDS]
    held = kept[1]
    on_it = LegalHold.objects.filter(
        subject_type=ContentType.objects.get_for_model(Document), subject_id=held.pk
    )
    if not on_it.exists():
        legal_hold_place(by=agent, subject=held, reason=HOLD_REASON)
