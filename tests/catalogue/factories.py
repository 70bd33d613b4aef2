"""Catalogue test data: a sheet's content, and a sheet published through the real services
(publication is what every Catalogue feature reads, so tests build it the way users do)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_update,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices

MONTHLY_USER = {
    "unit": "user_month",
    "billing_frequency": "monthly",
}


def offer(code: str, name: str, category: str = "courriel", **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "category": category,
        "status": "qualified",
        "description": fields.pop("description", f"Description de {name}."),
        "training_languages": fields.pop("training_languages", ["fr"]),
        "training_material": "Guides et vidéos en français.",
        "technical_assistance": "Du lundi au vendredi, de 8 h à 17 h.",
        "trial_terms": "30 unités pendant 60 jours, sans frais.",
        "data_centres": fields.pop("data_centres", ["MTL"]),
        "components": fields.pop(
            "components",
            [
                {"code": "BASE", "name": "Licence de base", "kind": "base", "description": ""},
                {
                    "code": "STOCK",
                    "name": "Stockage additionnel",
                    "kind": "additional",
                    "description": "",
                },
                {
                    "code": "ENTREE",
                    "name": "Migration des boîtes",
                    "kind": "entry",
                    "description": "",
                },
            ],
        ),
        **fields,
    }


def data_centre(code: str, city: str, province: str, country: str, **fields: Any) -> dict[str, Any]:
    authorised = fields.pop("personal_information_authorised", country == "CA")
    return {
        "code": code,
        "city": city,
        "province": province,
        "country": country,
        "role": fields.pop("role", "primary"),
        "personal_information_authorised": authorised,
        "authorised_since": fields.pop("authorised_since", "2024-04-02" if authorised else None),
        **fields,
    }


def content(*offers: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {
        "configurator_url": sections.pop("configurator_url", ""),
        "offers": list(offers) or [offer("MAIL", "Courriel infonuagique")],
        "data_centres": sections.pop(
            "data_centres",
            [
                data_centre("MTL", "Montréal", "QC", "CA"),
                data_centre("TOR", "Toronto", "ON", "CA", role="recovery"),
                data_centre("VA", "Ashburn", "VA", "US"),
            ],
        ),
        "security_answers": sections.pop(
            "security_answers",
            [{"code": "CHIFFREMENT", "requirement": "Chiffrement au repos", "answer": "AES-256"}],
        ),
        "documents": sections.pop("documents", []),
        "contacts": sections.pop(
            "contacts",
            [
                {
                    "code": "COM",
                    "kind": "commercial",
                    "name": "Julie Tremblay",
                    "email": "julie@fournisseur.example",
                    "phone": "418 555-0101",
                }
            ],
        ),
    }


def line(component: str, cents: int, **fields: Any) -> dict[str, Any]:
    return {"component_code": component, "unit_price_cents": cents, **MONTHLY_USER, **fields}


def publish(
    supplier,
    sheet: dict[str, Any],
    *,
    by=None,
    prices: dict[tuple[str, date], list[dict[str, Any]]] | None = None,
):
    """Propose ``sheet`` (and ``prices``: (offer code, effective date) -> lines) for
    ``supplier`` and publish it; returns the new SheetVersion."""
    draft = sheet_draft_create(by=by, supplier=supplier)
    sheet_draft_update(by=by, draft=draft, content=copy.deepcopy(sheet))
    for (offer_code, effective_from), lines in (prices or {}).items():
        sheet_draft_set_prices(
            by=by, draft=draft, offer_code=offer_code, effective_from=effective_from, lines=lines
        )
    return sheet_draft_publish(by=by, draft=draft)
