"""The Catalogue's categories (volets), as DOMAIN §2 lists them (004 §2.3; 002 §1.2). Loaded by
migration 0002 and ensured again by ``courtier demo`` (a flushed test database loses them)."""

from __future__ import annotations

from typing import Any

CATEGORIES = [
    # (code, family, French name, English name)
    ("courriel", "collaboration", "Courriel", "Email"),
    ("reseau-social", "collaboration", "Réseau social d'entreprise", "Enterprise social network"),
    (
        "visioconference",
        "collaboration",
        "Visioconférence par le biais de postes de travail",
        "Desktop videoconference",
    ),
    ("traitement-texte", "collaboration", "Traitement de texte", "Word processing"),
    ("tableur", "collaboration", "Tableur", "Spreadsheet"),
    ("presentation", "collaboration", "Présentation", "Presentation"),
    (
        "plateforme-collaborative",
        "collaboration",
        "Plateforme collaborative multifonctions",
        "Multi-function collaborative platform",
    ),
    ("messagerie-instantanee", "collaboration", "Messagerie instantanée", "Instant messaging"),
    (
        "partage-fichiers",
        "collaboration",
        "Partage et synchronisation de fichiers",
        "File sharing and sync",
    ),
    ("sondage", "collaboration", "Sondage", "Survey"),
    (
        "pgi",
        "specialised",
        "Progiciel de gestion intégré (PGI)",
        "Integrated management software (ERP)",
    ),
    ("cybersecurite", "specialised", "Cybersécurité", "Cybersecurity"),
    (
        "fondations-infrastructure",
        "specialised",
        "Fondations des infrastructures technologiques",
        "Technology-infrastructure foundations",
    ),
    (
        "systemes-patrimoniaux",
        "specialised",
        "Systèmes patrimoniaux (ordinateurs centraux)",
        "Legacy mainframe systems",
    ),
    (
        "centre-contact",
        "contact_centre",
        "Solutions de centre de contact",
        "Contact-centre solutions",
    ),
    ("ngq-azure-stack-hub", "government_cloud", "NGQ – Azure Stack Hub", "GQC – Azure Stack Hub"),
    (
        "ngq-vmware",
        "government_cloud",
        "NGQ – VMware Cloud Foundation",
        "GQC – VMware Cloud Foundation",
    ),
    (
        "ngq-stockage-objet",
        "government_cloud",
        "NGQ – Stockage objet S3",
        "GQC – S3 object storage",
    ),
]


def ensure_categories(category_model: Any) -> None:
    """Create or update every category (``category_model``: the model, or a migration's
    historical model)."""
    for position, (code, family, name, name_en) in enumerate(CATEGORIES, start=1):
        category_model.objects.update_or_create(
            code=code,
            defaults={"family": family, "name": name, "name_en": name_en, "position": position},
        )
