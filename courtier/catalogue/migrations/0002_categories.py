"""The Catalogue's categories (volets), as DOMAIN §2 lists them (004 §2.3; 002 §1.2)."""

from django.db import migrations

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
    ("pgi", "specialised", "Progiciel de gestion intégré (PGI)", "Integrated management software (ERP)"),
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
    ("centre-contact", "contact_centre", "Solutions de centre de contact", "Contact-centre solutions"),
    ("ngq-azure-stack-hub", "government_cloud", "NGQ – Azure Stack Hub", "GQC – Azure Stack Hub"),
    (
        "ngq-vmware",
        "government_cloud",
        "NGQ – VMware Cloud Foundation",
        "GQC – VMware Cloud Foundation",
    ),
    ("ngq-stockage-objet", "government_cloud", "NGQ – Stockage objet S3", "GQC – S3 object storage"),
]


def load(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    for position, (code, family, name, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={"family": family, "name": name, "name_en": name_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
