"""Demo Catalogue: ten suppliers with about sixty offers, their sheets published in dated
versions over the last months (prices changing on first business days, other changes in
between), a proposal waiting for review and one sent back, a proposal in progress at every
other supplier (opened by its representative: something awaits them), two qualifications with
their providers, the supporting documents and a couple of subscriptions (DOMAIN §2; 004 §3.2).

Everything goes through the services, so the audit trail records it. Dates are relative to
today: the history starts on the first business day three months ago. Loading twice changes
nothing (each part is skipped when it is already there)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts import services as account_services
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.calendar import selectors as calendar
from courtier.catalogue.categories import ensure_categories
from courtier.catalogue.models import (
    Category,
    FrameworkAgreement,
    ProviderQualification,
    Qualification,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
)
from courtier.catalogue.selectors import latest_version
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.catalogue.services.subscriptions import subscription_create
from courtier.files.services import stored_file_save

BROKER_ADMIN = "admin@courtier.example"
BROKER_AGENT = "agent@courtier.example"
SUPPLIER_REP = "representant@nuagique.example"
CLIENT = "acquisitions@mes.example"
AGREEMENT_START = date(2024, 4, 1)
AGREEMENT_END = date(2028, 3, 31)

USER_UNITS = ("user_month", "user_year")
TRIAL = (
    "Banc d'essai gratuit et sans engagement : au plus 30 unités pendant 60 jours, sans "
    "renseignements personnels ni confidentiels."
)

# --- what the suppliers offer ---------------------------------------------------------------


@dataclass(frozen=True)
class Off:
    """One offer: its code, name, category, base unit and price (cents), description, data
    centres, training languages, status and additional components (code, name, unit, cents).
    ``held`` offers join the sheet later, with an "add" step."""

    code: str
    name: str
    category: str
    unit: str
    cents: int
    description: str
    centres: tuple[str, ...]
    languages: tuple[str, ...] = ("fr",)
    status: str = "qualified"
    extras: tuple[tuple[str, str, str, int], ...] = ()
    held: bool = False


@dataclass(frozen=True)
class DC:
    code: str
    city: str
    province: str
    country: str
    role: str = "primary"
    authorised_since: str | None = None  # ISO date; None: not authorised for personal info


@dataclass(frozen=True)
class Supplier:
    name: str
    number: str  # framework agreement
    domain: str
    certification: str
    centres: tuple[DC, ...]
    offers: tuple[Off, ...]
    # Steps after the first publication: (day key, actions). Day keys: "f0".."f3" (first
    # business days, oldest first), "mid1"/"mid2" (two weeks after f1/f2), "today".
    start: str
    steps: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...] = ()
    configurator_url: str = ""
    contacts: tuple[tuple[str, str, str], ...] = field(default=())  # (technical, commercial)


NUAGIQUE = "Nuagique Québec inc."
BOREALES = "Solutions Boréales Infonuagiques ltée"
LAURENTIDES = "Infonuage Laurentides inc."
BOREAL_LOGICIELS = "Boréal Logiciels inc."
SENTINELLE = "Cybersentinelle Québec inc."
SONDAXO = "Sondaxo inc."
VISION = "Vision Collaborative Amérique inc."
CONTACT_PLUS = "Contact Plus Québec inc."
ATLANTIQUE = "Données Atlantique ltée"
PATRIMOINE = "Patrimoine Numérique Canada inc."
NEW_SUPPLIERS = [
    BOREAL_LOGICIELS,
    SENTINELLE,
    SONDAXO,
    VISION,
    CONTACT_PLUS,
    ATLANTIQUE,
    PATRIMOINE,
]
FR_EN = ("fr", "en")

SUPPLIERS: tuple[Supplier, ...] = (
    Supplier(
        NUAGIQUE,
        "EC-2024-001",
        "nuagique.example",
        "ISO/IEC 27001:2022; SOC 2 type II en cours d'audit.",
        (
            DC("MTL1", "Montréal", "QC", "CA", "primary", "2024-05-01"),
            DC("QC1", "Québec", "QC", "CA", "recovery", "2024-05-01"),
        ),
        (
            Off(
                "NQ-COURRIEL",
                "Courriel Nuagique Affaires",
                "courriel",
                "user_month",
                650,
                "Messagerie électronique avec calendrier partagé, carnet d'adresses et "
                "protection contre l'hameçonnage et les pourriels. Boîtes de 50 Go.",
                ("MTL1", "QC1"),
                extras=(
                    ("ARCHIVE", "Archivage légal (10 ans)", "user_month", 200),
                    ("STOCK", "Stockage additionnel de boîte", "gb_month", 8),
                ),
            ),
            Off(
                "NQ-TEXTE",
                "Rédaction Nuagique",
                "traitement-texte",
                "user_month",
                450,
                "Traitement de texte en ligne avec coédition en temps réel, suivi des "
                "modifications et correcteur français intégré.",
                ("MTL1", "QC1"),
            ),
            Off(
                "NQ-TABLEUR",
                "Calcul Nuagique",
                "tableur",
                "user_month",
                450,
                "Tableur en ligne compatible avec les formats ouverts (ODS) et XLSX, coédition "
                "et tableaux croisés dynamiques.",
                ("MTL1", "QC1"),
            ),
            Off(
                "NQ-PRESENT",
                "Présentation Nuagique",
                "presentation",
                "user_month",
                400,
                "Création de présentations en ligne, modèles aux couleurs de l'organisation et "
                "diffusion en direct.",
                ("MTL1", "QC1"),
            ),
            Off(
                "NQ-PLATEFORME",
                "Espace collaboratif Nuagique",
                "plateforme-collaborative",
                "user_month",
                1250,
                "Plateforme multifonction : équipes, documents, wikis, tâches et intranet. "
                "Gestion sécurisée des accès externes.",
                ("MTL1", "QC1"),
                FR_EN,
                extras=(
                    ("INVITES", "Accès invités externes (bloc de 100)", "instance_month", 2500),
                ),
            ),
            Off(
                "NQ-CLAVARDAGE",
                "Clavardage Nuagique",
                "messagerie-instantanee",
                "user_month",
                200,
                "Messagerie instantanée, présence et appels audio entre collègues.",
                ("MTL1",),
                status="under_analysis",
            ),
            Off(
                "NQ-FICHIERS",
                "Coffre Nuagique",
                "partage-fichiers",
                "user_month",
                500,
                "Partage et synchronisation de fichiers chiffrés de bout en bout, conservation "
                "des versions pendant 180 jours.",
                ("MTL1", "QC1"),
                extras=(("STOCK", "Stockage additionnel", "tb_month", 1800),),
                held=True,
            ),
        ),
        start="f0",
        steps=(
            ("f1", (("add", "NQ-FICHIERS"), ("price", "NQ-COURRIEL", 1.04))),
            (
                "mid1",
                (
                    ("security", "CERTIFICATION", "ISO/IEC 27001:2022 et SOC 2 type II."),
                    ("contact", "TECH", "514 555-0142"),
                ),
            ),
            (
                "f3",
                (
                    ("status", "NQ-CLAVARDAGE", "qualified"),
                    ("price", "NQ-TEXTE", 1.035),
                    ("tier", "NQ-PLATEFORME", 1000, 0.92),
                ),
            ),
        ),
        configurator_url="https://configurateur.nuagique.example/",
        contacts=("Marc Fortin", "Annie Lévesque"),
    ),
    Supplier(
        BOREALES,
        "EC-2024-002",
        "boreales.example",
        "ISO/IEC 27001:2022, ISO/IEC 27017 et ISO/IEC 27018.",
        (
            DC("TOR", "Toronto", "ON", "CA", "primary", "2024-09-03"),
            DC("MTL", "Montréal", "QC", "CA", "recovery", "2024-09-03"),
            DC("ASH", "Ashburn", "VA", "US"),
        ),
        (
            Off(
                "SB-VISIO",
                "Boréale Visio",
                "visioconference",
                "user_month",
                900,
                "Visioconférence de poste de travail jusqu'à 300 participants, sous-titrage en "
                "français, salles d'attente et enregistrement infonuagique.",
                ("TOR", "MTL"),
                FR_EN,
            ),
            Off(
                "SB-WEBINAIRE",
                "Boréale Webinaires",
                "visioconference",
                "instance_month",
                15000,
                "Diffusion de webinaires jusqu'à 1 000 participants avec inscription et sondages "
                "en direct.",
                ("ASH", "TOR"),
                FR_EN,
            ),
            Off(
                "SB-SOCIAL",
                "Boréale Communauté",
                "reseau-social",
                "user_month",
                300,
                "Réseau social d'entreprise : fils d'actualité, communautés de pratique, "
                "mentions et balados internes.",
                ("TOR", "MTL"),
            ),
            Off(
                "SB-SONDAGE",
                "Boréale Sondages",
                "sondage",
                "user_year",
                12000,
                "Questionnaires et sondages en ligne accessibles (WCAG 2.1 AA), logique "
                "conditionnelle et tableaux de résultats.",
                ("ASH",),
                FR_EN,
            ),
            Off(
                "SB-FORMULAIRES",
                "Boréale Formulaires",
                "sondage",
                "user_month",
                350,
                "Formulaires intelligents pour les inscriptions, les demandes de service et les "
                "autorisations parentales. Élève, parent ou personnel : un lien suffit.",
                ("TOR", "MTL"),
            ),
            Off(
                "SB-CLAVARDAGE",
                "Boréale Clavardage",
                "messagerie-instantanee",
                "user_month",
                250,
                "Clavardage d'équipe, canaux thématiques et partage d'écran.",
                ("TOR",),
                FR_EN,
            ),
        ),
        start="f0",
        steps=(
            ("f2", (("price", "SB-VISIO", 1.055), ("remove", "SB-WEBINAIRE"))),
            ("f3", (("price", "SB-SONDAGE", 1.03),)),
        ),
        configurator_url="https://boreales.example/configurateur",
        contacts=("Olivier Nadeau", "Karine Simard"),
    ),
    Supplier(
        LAURENTIDES,
        "EC-2024-003",
        "laurentides.example",
        "ISO/IEC 27001:2022.",
        (
            DC("LAV", "Laval", "QC", "CA", "primary", "2024-06-03"),
            DC("OTT", "Ottawa", "ON", "CA", "recovery", "2024-06-03"),
        ),
        (
            Off(
                "IL-DEPOT",
                "Dépôt Laurentides",
                "partage-fichiers",
                "tb_month",
                2200,
                "Stockage et partage de fichiers pour les équipes, synchronisation des postes, "
                "liens de partage protégés par mot de passe.",
                ("LAV", "OTT"),
            ),
            Off(
                "IL-SAUVEGARDE",
                "Sauvegarde Laurentides 365",
                "partage-fichiers",
                "user_month",
                300,
                "Sauvegarde des courriels, calendriers et fichiers des suites infonuagiques, "
                "restauration granulaire en libre-service.",
                ("LAV", "OTT"),
            ),
            Off(
                "IL-TRANSFERT",
                "Transfert sécurisé Laurentides",
                "partage-fichiers",
                "user_month",
                150,
                "Envoi de fichiers volumineux (jusqu'à 100 Go) avec accusé de réception et "
                "expiration automatique des liens.",
                ("LAV",),
            ),
            Off(
                "IL-COURRIEL",
                "Courriel Laurentides Éducation",
                "courriel",
                "user_month",
                300,
                "Courriel pour le réseau de l'éducation : comptes d'élèves et de personnel, "
                "filtres adaptés aux écoles, création des comptes à la rentrée.",
                ("LAV", "OTT"),
            ),
            Off(
                "IL-SONDAGE",
                "Sondages Laurentides",
                "sondage",
                "user_month",
                150,
                "Sondages de satisfaction et consultations publiques, diffusion par courriel ou "
                "par code QR.",
                ("LAV",),
            ),
            Off(
                "IL-ARCHIVES",
                "Archives numériques Laurentides",
                "partage-fichiers",
                "tb_month",
                900,
                "Conservation à long terme conforme au calendrier de conservation, gel "
                "juridique et destruction attestée.",
                ("LAV", "OTT"),
                status="under_analysis",
            ),
        ),
        start="f1",
        steps=(
            (
                "f3",
                (("tier", "IL-DEPOT", 50, 0.9), ("status", "IL-ARCHIVES", "qualified")),
            ),
        ),
        contacts=("Sylvain Paquette", "Mélanie Bergeron"),
    ),
    Supplier(
        BOREAL_LOGICIELS,
        "EC-2024-004",
        "boreal-logiciels.example",
        "SOC 1 type II et SOC 2 type II.",
        (
            DC("DRU", "Drummondville", "QC", "CA", "primary", "2025-01-06"),
            DC("COR", "Cornwall", "ON", "CA", "recovery", "2025-01-06"),
        ),
        (
            Off(
                "BL-FINANCES",
                "Boréal PGI Finances",
                "pgi",
                "user_month",
                8500,
                "Comptabilité, budgets par exercice financier (1er avril au 31 mars), comptes "
                "fournisseurs et immobilisations.",
                ("DRU", "COR"),
            ),
            Off(
                "BL-RH",
                "Boréal PGI Ressources humaines",
                "pgi",
                "user_month",
                6500,
                "Dossiers des employés, gestion des absences, des horaires et des compétences.",
                ("DRU", "COR"),
            ),
            Off(
                "BL-PAIE",
                "Boréal Paie",
                "pgi",
                "user_month",
                4200,
                "Paie des employés de la fonction publique et parapublique, relevés et "
                "déclarations gouvernementales.",
                ("DRU", "COR"),
            ),
            Off(
                "BL-APPRO",
                "Boréal PGI Approvisionnement",
                "pgi",
                "user_month",
                5500,
                "Demandes d'achat, bons de commande, suivi des contrats et des ententes.",
                ("DRU", "COR"),
            ),
            Off(
                "BL-BI",
                "Boréal Tableaux de bord",
                "pgi",
                "user_month",
                2500,
                "Indicateurs de gestion et tableaux de bord alimentés par les modules du PGI.",
                ("DRU",),
                FR_EN,
            ),
            Off(
                "BL-IDENTITES",
                "Boréal Gestion des identités",
                "cybersecurite",
                "user_month",
                400,
                "Authentification unique et multifacteur, gestion du cycle de vie des identités "
                "et des accès.",
                ("DRU", "COR"),
            ),
        ),
        start="f0",
        steps=(("f2", (("price", "BL-FINANCES", 1.025),)),),
        contacts=("François Lapointe", "Nathalie Dubé"),
    ),
    Supplier(
        SENTINELLE,
        "EC-2024-005",
        "cybersentinelle.example",
        "ISO/IEC 27001:2022; centre des opérations certifié SOC 2 type II.",
        (
            DC("MTL", "Montréal", "QC", "CA", "primary", "2024-11-01"),
            DC("DUB", "Dublin", "", "IE", "recovery"),
        ),
        (
            Off(
                "CS-SOC",
                "Sentinelle Centre des opérations de sécurité",
                "cybersecurite",
                "user_month",
                1800,
                "Surveillance de la sécurité 24/7 par un centre des opérations de sécurité "
                "québécois, détection et réponse gérées.",
                ("MTL", "DUB"),
                FR_EN,
            ),
            Off(
                "CS-EDR",
                "Sentinelle Protection des postes",
                "cybersecurite",
                "user_month",
                700,
                "Détection et réponse sur les postes de travail et les serveurs (EDR), "
                "isolement à distance.",
                ("MTL",),
            ),
            Off(
                "CS-COURRIEL",
                "Sentinelle Courriel sécurisé",
                "cybersecurite",
                "user_month",
                250,
                "Filtrage avancé des courriels : hameçonnage, pièces jointes malveillantes, bac "
                "à sable.",
                ("MTL",),
            ),
            Off(
                "CS-SENSIBILISATION",
                "Sentinelle Sensibilisation",
                "cybersecurite",
                "user_year",
                2400,
                "Formation de sensibilisation à la sécurité de l'information et campagnes "
                "d'hameçonnage simulé, en français.",
                ("MTL",),
            ),
            Off(
                "CS-COFFRE",
                "Sentinelle Coffre-fort de mots de passe",
                "cybersecurite",
                "user_month",
                350,
                "Gestionnaire de mots de passe d'équipe avec partage contrôlé et journalisation.",
                ("MTL", "DUB"),
            ),
            Off(
                "CS-VULN",
                "Sentinelle Gestion des vulnérabilités",
                "cybersecurite",
                "instance_month",
                90000,
                "Balayages continus des vulnérabilités, priorisation et suivi des correctifs.",
                ("MTL",),
                status="under_analysis",
            ),
        ),
        start="f3",
        contacts=("Rachid Benali", "Émilie Gosselin"),
    ),
    Supplier(
        SONDAXO,
        "EC-2024-006",
        "sondaxo.example",
        "ISO/IEC 27001:2022.",
        (
            DC("MTL", "Montréal", "QC", "CA", "primary", "2025-03-03"),
            DC("PAR", "Paris", "Île-de-France", "FR", "recovery"),
        ),
        (
            Off(
                "SX-QUESTIONNAIRES",
                "Sondaxo Questionnaires",
                "sondage",
                "user_year",
                18000,
                "Questionnaires en ligne, panels et analyses statistiques; modèles prêts à "
                "l'emploi pour les consultations citoyennes.",
                ("MTL", "PAR"),
                FR_EN,
            ),
            Off(
                "SX-BILLETTERIE",
                "Sondaxo Billetterie et réservations",
                "sondage",
                "instance_month",
                25000,
                "Réservation de places pour les salles de spectacle et de théâtre municipales, "
                "sondages de satisfaction après chaque représentation.",
                ("MTL",),
            ),
            Off(
                "SX-INSCRIPTIONS",
                "Sondaxo Inscriptions",
                "sondage",
                "instance_month",
                12000,
                "Inscriptions aux activités de loisirs, camps de jour et cours; paiement en "
                "ligne sécurisé.",
                ("MTL",),
            ),
            Off(
                "SX-VOTE",
                "Sondaxo Votes électroniques",
                "sondage",
                "fixed",
                150000,
                "Votes et élections internes sécurisés : conseils d'établissement, comités et "
                "assemblées.",
                ("MTL",),
            ),
            Off(
                "SX-EVALUATION",
                "Sondaxo Évaluation des cours",
                "sondage",
                "user_year",
                9000,
                "Évaluation de l'enseignement par les étudiants et les élèves, rapports par "
                "programme et par établissement.",
                ("MTL", "PAR"),
                FR_EN,
            ),
            Off(
                "SX-PANEL",
                "Sondaxo Panels citoyens",
                "sondage",
                "instance_month",
                30000,
                "Recrutement et animation de panels citoyens représentatifs, sondages "
                "longitudinaux.",
                ("MTL",),
                held=True,
            ),
        ),
        start="f1",
        steps=(
            ("f2", (("add", "SX-PANEL"), ("price", "SX-BILLETTERIE", 1.04))),
            (
                "mid2",
                (
                    (
                        "describe",
                        "SX-BILLETTERIE",
                        "Réservation de places pour les salles de spectacle et de théâtre "
                        "municipales, abonnements de saison et sondages de satisfaction après "
                        "chaque représentation.",
                    ),
                    ("contact", "COM", "418 555-0177"),
                ),
            ),
        ),
        configurator_url="https://sondaxo.example/tarifs",
        contacts=("Luc Ouellet", "Catherine Roy"),
    ),
    Supplier(
        VISION,
        "EC-2024-007",
        "visioncollab.example",
        "SOC 2 type II, ISO/IEC 27001:2022 et FedRAMP Moderate.",
        (
            DC("QUI", "Quincy", "WA", "US"),
            DC("COL", "Columbus", "OH", "US", "recovery"),
            DC("TOR", "Toronto", "ON", "CA"),
        ),
        (
            Off(
                "VC-REUNIONS",
                "VisionMeet Réunions",
                "visioconference",
                "user_month",
                1100,
                "Réunions vidéo jusqu'à 500 participants, traduction simultanée et tableaux "
                "blancs intégrés.",
                ("QUI", "COL"),
                FR_EN,
            ),
            Off(
                "VC-REUNIONS-CA",
                "VisionMeet Réunions — hébergement canadien",
                "visioconference",
                "user_month",
                1350,
                "Même service que VisionMeet Réunions, données hébergées au Canada.",
                ("TOR",),
                FR_EN,
            ),
            Off(
                "VC-WEBDIFFUSION",
                "VisionMeet Webdiffusion",
                "visioconference",
                "instance_month",
                45000,
                "Webdiffusion d'événements jusqu'à 10 000 spectateurs avec questions du public.",
                ("QUI", "COL"),
                FR_EN,
            ),
            Off(
                "VC-CHAT",
                "VisionChat",
                "messagerie-instantanee",
                "user_month",
                350,
                "Messagerie instantanée d'entreprise et intégrations avec les outils de bureau.",
                ("QUI", "COL"),
                FR_EN,
            ),
            Off(
                "VC-MAIL",
                "VisionMail",
                "courriel",
                "user_month",
                500,
                "Courriel et calendrier d'entreprise, boîtes de 100 Go.",
                ("QUI", "COL"),
                FR_EN,
            ),
            Off(
                "VC-TABLEAU",
                "VisionBoard Tableau blanc",
                "plateforme-collaborative",
                "user_month",
                600,
                "Tableau blanc collaboratif infini, gabarits d'ateliers et votes.",
                ("QUI",),
                FR_EN,
            ),
        ),
        start="f0",
        steps=(
            (
                "f2",
                (("price", "VC-REUNIONS-CA", 0.97), ("status", "VC-TABLEAU", "withdrawn")),
            ),
        ),
        contacts=("Jennifer Walsh", "Patrick Gendron"),
    ),
    Supplier(
        CONTACT_PLUS,
        "EC-2024-008",
        "contactplus.example",
        "ISO/IEC 27001:2022 et PCI DSS niveau 1.",
        (
            DC("MTL", "Montréal", "QC", "CA", "primary", "2024-10-01"),
            DC("TOR", "Toronto", "ON", "CA", "recovery", "2024-10-01"),
        ),
        (
            Off(
                "CP-CENTRE",
                "Contact Plus Centre de contact omnicanal",
                "centre-contact",
                "user_month",
                9500,
                "Téléphonie, clavardage, courriel et messagerie texte dans une seule file "
                "d'attente, enregistrement des appels.",
                ("MTL", "TOR"),
                FR_EN,
            ),
            Off(
                "CP-RVI",
                "Contact Plus Réponse vocale interactive",
                "centre-contact",
                "instance_month",
                40000,
                "Réponse vocale interactive en français et en anglais, rappel automatique.",
                ("MTL", "TOR"),
                FR_EN,
            ),
            Off(
                "CP-QUALITE",
                "Contact Plus Qualité et analytique",
                "centre-contact",
                "user_month",
                2500,
                "Évaluation de la qualité des interactions et analytique de la parole en "
                "français québécois.",
                ("MTL",),
            ),
            Off(
                "CP-AGENT",
                "Contact Plus Agent conversationnel",
                "centre-contact",
                "instance_month",
                60000,
                "Agent conversationnel pour les questions fréquentes, transfert à un agent.",
                ("MTL",),
                status="under_analysis",
            ),
            Off(
                "CP-SONDAGE",
                "Contact Plus Sondages après appel",
                "sondage",
                "user_month",
                200,
                "Sondage de satisfaction automatique à la fin de chaque appel ou clavardage.",
                ("MTL", "TOR"),
            ),
        ),
        start="f2",
        steps=(("today", (("contact", "TECH", "819 555-0133"),)),),
        contacts=("Vincent Tremblay", "Sarah Girard"),
    ),
    Supplier(
        ATLANTIQUE,
        "EC-2024-009",
        "atlantique.example",
        "ISO/IEC 27001:2022, ISO/IEC 27017 et SOC 2 type II.",
        (
            DC("QC", "Québec", "QC", "CA", "primary", "2024-04-02"),
            DC("HFX", "Halifax", "NS", "CA", "recovery", "2024-04-02"),
            DC("FRA", "Francfort", "Hesse", "DE"),
        ),
        (
            Off(
                "DA-STOCKAGE",
                "Atlantique Stockage objet S3",
                "ngq-stockage-objet",
                "tb_month",
                2300,
                "Stockage objet compatible S3 hébergé au Québec, immuabilité (WORM) et "
                "réplication entre centres.",
                ("QC", "HFX"),
            ),
            Off(
                "DA-VM",
                "Atlantique Machines virtuelles",
                "fondations-infrastructure",
                "vcpu_month",
                2800,
                "Machines virtuelles à la demande, réseaux privés et pare-feu gérés.",
                ("QC", "HFX"),
                FR_EN,
            ),
            Off(
                "DA-SAUVEGARDE",
                "Atlantique Sauvegarde et relève",
                "fondations-infrastructure",
                "tb_month",
                4000,
                "Sauvegarde des serveurs et plan de relève après sinistre avec essais annuels.",
                ("QC", "HFX"),
            ),
            Off(
                "DA-CONTENEURS",
                "Atlantique Conteneurs gérés",
                "fondations-infrastructure",
                "vcpu_month",
                3200,
                "Grappes Kubernetes gérées, registre d'images et mises à jour sans interruption.",
                ("QC",),
                FR_EN,
            ),
            Off(
                "DA-DIFFUSION",
                "Atlantique Diffusion de contenu",
                "fondations-infrastructure",
                "gb_month",
                5,
                "Réseau de diffusion de contenu pour les sites Web publics, protection contre "
                "les dénis de service.",
                ("QC", "FRA"),
                FR_EN,
            ),
            Off(
                "DA-VMWARE",
                "Atlantique VMware Cloud Foundation",
                "ngq-vmware",
                "vcpu_month",
                3500,
                "Environnement VMware Cloud Foundation dédié pour le nuage gouvernemental.",
                ("QC", "HFX"),
            ),
        ),
        start="f0",
        contacts=("Jacques Arsenault", "Lise Cormier"),
    ),
    Supplier(
        PATRIMOINE,
        "EC-2024-010",
        "patrimoine-numerique.example",
        "ISO/IEC 27001:2022.",
        (
            DC("GAT", "Gatineau", "QC", "CA", "primary", "2024-07-02"),
            DC("OTT", "Ottawa", "ON", "CA", "recovery", "2024-07-02"),
        ),
        (
            Off(
                "PN-CENTRAL",
                "Patrimoine Hébergement d'ordinateur central",
                "systemes-patrimoniaux",
                "instance_month",
                2500000,
                "Hébergement et exploitation d'applications sur ordinateur central (z/OS), "
                "traitement par lots de nuit.",
                ("GAT", "OTT"),
            ),
            Off(
                "PN-EMULATION",
                "Patrimoine Émulation d'ordinateur central",
                "systemes-patrimoniaux",
                "instance_month",
                1200000,
                "Réhébergement d'applications COBOL et CICS sur une plateforme d'émulation.",
                ("GAT", "OTT"),
            ),
            Off(
                "PN-ARCHIVAGE",
                "Patrimoine Archivage des données patrimoniales",
                "systemes-patrimoniaux",
                "tb_month",
                6000,
                "Conservation et consultation des données des systèmes retirés.",
                ("GAT",),
            ),
            Off(
                "PN-BANDES",
                "Patrimoine Bibliothèque de bandes virtuelle",
                "systemes-patrimoniaux",
                "tb_month",
                3500,
                "Bibliothèque de bandes virtuelle pour les sauvegardes de l'ordinateur central.",
                ("GAT", "OTT"),
            ),
            Off(
                "PN-IMPRESSION",
                "Patrimoine Impression et mise sous pli",
                "systemes-patrimoniaux",
                "fixed",
                350000,
                "Impression de masse, mise sous pli et postage des avis et relevés.",
                ("GAT",),
                status="under_analysis",
            ),
        ),
        start="f1",
        contacts=("Robert Lalonde", "Diane Charbonneau"),
    ),
)

# A proposal waiting in the broker's review queue, and one sent back to its supplier.
SUBMITTED_OFFER = Off(
    "NQ-SIGNATURE",
    "Signature électronique Nuagique",
    "plateforme-collaborative",
    "user_month",
    800,
    "Signature électronique de documents avec vérification d'identité et piste d'audit.",
    ("MTL1", "QC1"),
    FR_EN,
)
RETURNED_OFFER = Off(
    "BL-IMMO",
    "Boréal Gestion immobilière",
    "pgi",
    "user_month",
    3000,
    "Gestion des baux, des espaces et de l'entretien des immeubles.",
    (),
)
RETURN_COMMENT = (
    "Indiquez les centres de données de l'offre « Boréal Gestion immobilière » et joignez sa "
    "grille de prix avant de soumettre de nouveau."
)

SECURITY = (
    (
        "CHIFFREMENT-REPOS",
        "Chiffrement des données au repos",
        "AES-256; clés gérées dans un module matériel de sécurité (HSM) au Canada.",
    ),
    ("CHIFFREMENT-TRANSIT", "Chiffrement des données en transit", "TLS 1.2 ou plus récent."),
    (
        "AUTHENTIFICATION",
        "Authentification multifacteur et fédération d'identités",
        "Multifacteur obligatoire pour les administrateurs; SAML 2.0 et OpenID Connect.",
    ),
    (
        "JOURNALISATION",
        "Journalisation et conservation des journaux",
        "Journaux d'audit conservés 12 mois, exportables vers le SIEM du client.",
    ),
    (
        "INCIDENTS",
        "Avis d'incident de sécurité",
        "Avis au client dans les 24 heures suivant la confirmation d'un incident.",
    ),
    (
        "DESTRUCTION",
        "Destruction des données en fin de contrat",
        "Destruction attestée dans les 60 jours suivant la fin du contrat.",
    ),
)

QUALIFICATIONS = (
    (
        "architecture-infonuagique",
        "Architecture infonuagique",
        "Conception d'architectures infonuagiques sécuritaires et de leurs zones d'accueil : "
        "analyse de l'existant, architecture cible, sécurité, réseau, identités, gouvernance "
        "des coûts et feuille de route. Exclut l'acquisition des solutions elles-mêmes.",
    ),
    (
        "migration-infonuagique",
        "Migration vers l'infonuagique",
        "Planification et réalisation de la migration d'applications et de données vers des "
        "solutions infonuagiques qualifiées : inventaire, stratégie par application, essais, "
        "bascule et soutien post-migration, y compris les activités de transition à la sortie.",
    ),
)
# (provider name, agreement number, qualification codes, contact name, email, phone)
PROVIDERS = (
    (
        "Conseil TI Saint-Laurent inc.",
        "EC-2024-101",
        ("architecture-infonuagique", "migration-infonuagique"),
        "Chantal Bélanger",
        "representant@conseil-ti.example",
        "418 555-0160",
    ),
    (
        "Expertise Numérique Capitale inc.",
        "EC-2024-102",
        ("migration-infonuagique",),
        "Hugo Desjardins",
        "soumissions@expertise-capitale.example",
        "418 555-0188",
    ),
)

# (kind, title, versions: [(notes, lines of text)])
DOCUMENTS = (
    (
        "contract_template",
        "Gabarit de contrat spécifique",
        [
            ("Première version.", ["Objet du contrat", "Durée : au plus 3 ans", "Annexes"]),
            (
                "Clause 7 (sécurité) précisée.",
                ["Objet du contrat", "Durée : au plus 3 ans", "Clause 7 : sécurité", "Annexes"],
            ),
        ],
    ),
    (
        "amendment_template",
        "Gabarit d'avenant",
        [("Première version.", ["Objet de l'avenant", "Modifications", "Signatures"])],
    ),
    (
        "commitment_form",
        "Formulaire d'engagement de responsabilité en matière de gestion contractuelle",
        [("Première version.", ["Engagements de l'organisme public", "Signature"])],
    ),
    (
        "privacy_principles",
        "Fiche des principes d'équivalence en protection des renseignements personnels",
        [("Première version.", ["Les 11 principes", "Centres de données autorisés"])],
    ),
    (
        "price_request_template",
        "Gabarit de demande de prix",
        [
            ("Première version.", ["Besoin", "Portée", "Mode de rémunération", "Échéancier"]),
            (
                "Section des indicateurs environnementaux ajoutée.",
                ["Besoin", "Portée", "Mode de rémunération", "Échéancier", "Indicateurs"],
            ),
        ],
    ),
    (
        "evaluation_guide",
        "Guide et grille d'évaluation du rendement",
        [("Première version.", ["Critères", "Grille de notation", "Rapport"])],
    ),
    (
        "process_schedule",
        "Échéancier des processus d'acquisition",
        [("Première version.", ["Solutions : 5 étapes", "Services : 5 étapes", "30 jours"])],
    ),
)


# --- loading ------------------------------------------------------------------------------


def load() -> None:
    """Load the demo Catalogue (called by courtier.demo.load_demo, inside its transaction,
    once the organisations, people and closure days exist)."""
    admin = User.objects.get(email=BROKER_ADMIN)
    agent = User.objects.get(email=BROKER_AGENT)
    orgs = _organisations()
    days = _days(timezone.localdate())
    ensure_categories(Category)
    categories = {c.code: c for c in Category.objects.all()}
    for supplier in SUPPLIERS:
        organisation = orgs[supplier.name]
        if not FrameworkAgreement.objects.filter(number=supplier.number).exists():
            codes = sorted({o.category for o in supplier.offers})
            framework_agreement_save(
                by=admin,
                organisation=organisation,
                number=supplier.number,
                title=f"Solutions infonuagiques — {supplier.name}",
                starts_on=AGREEMENT_START,
                ends_on=AGREEMENT_END,
                categories=[categories[c] for c in codes],
            )
        if not SheetVersion.objects.filter(supplier=organisation).exists():
            _history(supplier, organisation, agent, days)
    _open_proposals(orgs, agent, days)
    _drafts_in_progress(orgs)
    _qualifications(admin)
    _documents(admin)
    _subscriptions(orgs, categories)


def _organisations() -> dict[str, Organisation]:
    names = [s.name for s in SUPPLIERS]
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    for name in NEW_SUPPLIERS:
        if name not in orgs:
            orgs[name] = account_services.organisation_create(
                by=None, kind=OrganisationKind.SUPPLIER, name=name
            )
    return orgs


def _days(today: date) -> dict[str, date]:
    """The first business days of the last four months (f0 oldest, f3 the latest one not after
    today), two weeks after f1 and f2, today, and the next first business day."""
    firsts: list[date] = []
    year, month = today.year, today.month
    while len(firsts) < 4:
        first = calendar.first_business_day_of_month(year, month)
        if first <= today:
            firsts.append(first)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    year, month = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
    upcoming = calendar.first_business_day_of_month(year, month)
    days = {f"f{i}": day for i, day in enumerate(firsts)}
    days |= {"mid1": firsts[1] + timedelta(days=14), "mid2": firsts[2] + timedelta(days=14)}
    return days | {"today": today, "next": upcoming}


def _round5(cents: float) -> int:
    return round(cents / 5) * 5


def _components(offer: Off) -> list[dict[str, Any]]:
    bilingual = "en" in offer.languages
    return [
        {
            "code": "BASE",
            "name": "Abonnement de base",
            "kind": "base",
            "description": "Inclusions au prix de base : le service décrit, son hébergement, "
            "ses mises à jour et sa sauvegarde quotidienne.",
        },
        *(
            {"code": code, "name": name, "kind": "additional", "description": ""}
            for code, name, _unit, _cents in offer.extras
        ),
        {
            "code": "ENTREE",
            "name": "Mise en service et migration des données",
            "kind": "entry",
            "description": "Configuration initiale, importation des données existantes et essais "
            "d'acceptation.",
        },
        {
            "code": "SORTIE",
            "name": "Exportation des données et transition à la sortie",
            "kind": "exit",
            "description": "Exportation complète dans des formats ouverts et destruction attestée "
            "des données.",
        },
        {
            "code": "FORMATION",
            "name": "Matériel de formation en ligne",
            "kind": "training",
            "description": "Guides, vidéos et webinaires en français"
            + (" et en anglais." if bilingual else "."),
        },
        {
            "code": "ASSISTANCE",
            "name": "Assistance technique prioritaire",
            "kind": "assistance",
            "description": "Centre d'assistance en français, 24 heures sur 24, 7 jours sur 7.",
        },
    ]


def _offer_content(offer: Off, status: str | None = None) -> dict[str, Any]:
    bilingual = "en" in offer.languages
    return {
        "code": offer.code,
        "name": offer.name,
        "category": offer.category,
        "status": status or offer.status,
        "description": offer.description,
        "training_languages": list(offer.languages),
        "training_material": "Guides et vidéos en français"
        + (" et en anglais." if bilingual else "."),
        "technical_assistance": "Du lundi au vendredi, de 8 h à 18 h (heure de l'Est); "
        "urgences 24 heures sur 24.",
        "trial_terms": TRIAL,
        "data_centres": list(offer.centres),
        "components": _components(offer),
    }


def _line(component: str, unit: str, cents: int, **terms: Any) -> dict[str, Any]:
    return {
        "component_code": component,
        "unit": unit,
        "unit_price_cents": cents,
        "billing_frequency": "yearly" if unit == "user_year" else "monthly",
        "tier_min_quantity": 0,
        "minimum_quantity": 0,
        "minimum_term_months": 0,
        "all_units_from_signature": False,
        "may_decrease": True,
        "max_yearly_increase_bp": 300,
    } | terms


def _prices(offer: Off) -> list[dict[str, Any]]:
    """The offer's first price list: base price (with a volume tier for per-user prices),
    additional components, entry and exit activities, training and assistance."""
    per_user = offer.unit in USER_UNITS
    base = _line(
        "BASE",
        offer.unit,
        offer.cents,
        minimum_quantity=25 if per_user else 1,
        minimum_term_months=12,
        may_decrease=per_user,
        all_units_from_signature=not per_user,
    )
    if offer.unit == "fixed" and offer.cents < 200000:  # a one-time service, e.g. a vote
        base["billing_frequency"] = "upfront"
    lines = [base]
    if per_user:
        lines.append(_line("BASE", offer.unit, _round5(offer.cents * 0.92), tier_min_quantity=500))
    lines += [_line(code, unit, cents) for code, _name, unit, cents in offer.extras]
    entry = min(max(150000, offer.cents * 40), 2500000) if per_user else 250000
    upfront = {"billing_frequency": "upfront"}
    lines += [
        _line("ENTREE", "fixed", entry, **upfront),
        _line("SORTIE", "fixed", 150000, **upfront),
        _line("FORMATION", "fixed", 0, **upfront),
        _line("ASSISTANCE", offer.unit, _round5(offer.cents * 0.12))
        if per_user
        else _line("ASSISTANCE", "fixed", 50000),
    ]
    return lines


def _sheet(supplier: Supplier) -> dict[str, Any]:
    technical, commercial = supplier.contacts
    return {
        "configurator_url": supplier.configurator_url,
        "offers": [_offer_content(o) for o in supplier.offers if not o.held],
        "data_centres": [
            {
                "code": dc.code,
                "city": dc.city,
                "province": dc.province,
                "country": dc.country,
                "role": dc.role,
                "personal_information_authorised": dc.authorised_since is not None,
                "authorised_since": dc.authorised_since,
            }
            for dc in supplier.centres
        ],
        "security_answers": [
            {"code": code, "requirement": requirement, "answer": answer}
            for code, requirement, answer in SECURITY
        ]
        + [
            {
                "code": "CERTIFICATION",
                "requirement": "Certifications de sécurité",
                "answer": supplier.certification,
            }
        ],
        "documents": _sheet_documents(supplier),
        "contacts": [
            {
                "code": "TECH",
                "kind": "technical",
                "name": technical,
                "email": f"soutien@{supplier.domain}",
                "phone": "514 555-0100",
            },
            {
                "code": "COM",
                "kind": "commercial",
                "name": commercial,
                "email": f"ventes@{supplier.domain}",
                "phone": "418 555-0100",
            },
        ],
    }


def _sheet_documents(supplier: Supplier) -> list[dict[str, Any]]:
    documents = []
    for code, kind, title in (
        ("ANNEXE", "amending_annex", "Annexe modificative"),
        ("CONDITIONS", "supplier_conditions", "Conditions du fournisseur"),
        ("NIVEAUX", "service_levels", "Niveaux de service (disponibilité de 99,9 %)"),
    ):
        name = f"{code.lower()}-{supplier.domain.split('.')[0]}.pdf"
        stored = stored_file_save(
            by=None,
            name=name,
            content=pdf(f"{title} — {supplier.name}", [f"Entente-cadre {supplier.number}"]),
            content_type="application/pdf",
        )
        documents.append(
            {
                "code": code,
                "kind": kind,
                "title": title,
                "file_sha256": stored.sha256,
                "file_name": name,
            }
        )
    return documents


def _find(items: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next(item for item in items if item["code"] == code)


def _history(supplier: Supplier, organisation: Organisation, agent: User, days: dict) -> None:
    """Publish the supplier's versions in date order, as the broker would have."""
    held = {o.code: o for o in supplier.offers if o.held}
    sheet = _sheet(supplier)
    prices = {o.code: _prices(o) for o in supplier.offers if not o.held}
    _publish(organisation, agent, sheet, prices, days[supplier.start])
    for key, step in supplier.steps:
        day = days[key]
        sheet = copy.deepcopy(sheet)
        changed: dict[str, list[dict[str, Any]]] = {}
        for action, *args in step:
            if action == "add":
                offer = held[args[0]]
                sheet["offers"].append(_offer_content(offer))
                prices[offer.code] = changed[offer.code] = _prices(offer)
            elif action == "remove":
                sheet["offers"] = [o for o in sheet["offers"] if o["code"] != args[0]]
            elif action == "status":
                _find(sheet["offers"], args[0])["status"] = args[1]
            elif action == "describe":
                _find(sheet["offers"], args[0])["description"] = args[1]
            elif action == "contact":
                _find(sheet["contacts"], args[0])["phone"] = args[1]
            elif action == "security":
                _find(sheet["security_answers"], args[0])["answer"] = args[1]
            elif action == "price":  # the base price and the assistance change together
                code, factor = args
                lines = copy.deepcopy(prices[code])
                for line in lines:
                    if line["component_code"] in ("BASE", "ASSISTANCE"):
                        line["unit_price_cents"] = _round5(line["unit_price_cents"] * factor)
                prices[code] = changed[code] = lines
            elif action == "tier":  # a new volume tier on the base price
                code, quantity, factor = args
                lines = copy.deepcopy(prices[code])
                base = lines[0]
                lines.append(
                    {
                        **base,
                        "tier_min_quantity": quantity,
                        "unit_price_cents": _round5(base["unit_price_cents"] * factor),
                    }
                )
                prices[code] = changed[code] = lines
            else:  # pragma: no cover - a typo in the data above
                raise ValueError(action)
        _publish(organisation, agent, sheet, changed, day)


def _publish(
    organisation: Organisation,
    agent: User,
    sheet: dict[str, Any],
    prices: dict[str, list[dict[str, Any]]],
    day: date,
) -> SheetVersion:
    draft = sheet_draft_create(by=agent, supplier=organisation)
    draft = sheet_draft_update(by=agent, draft=draft, content=sheet)
    for code, lines in prices.items():
        sheet_draft_set_prices(
            by=agent, draft=draft, offer_code=code, effective_from=day, lines=lines, today=day
        )
    return sheet_draft_publish(by=agent, draft=draft, today=day)


def _open_proposals(orgs: dict[str, Organisation], agent: User, days: dict) -> None:
    """Nuagique's representative proposes a new offer and new prices for next month (waiting
    for review); Boréal Logiciels' proposal was sent back with a comment."""
    nuagique = orgs[NUAGIQUE]
    if not SheetDraft.objects.filter(supplier=nuagique, version__isnull=True).exists():
        rep = User.objects.get(email=SUPPLIER_REP)
        version = latest_version(nuagique)
        draft = sheet_draft_create(
            by=rep,
            supplier=nuagique,
            summary="Ajout de la signature électronique et nouveaux prix des présentations.",
        )
        sheet = copy.deepcopy(version.content)
        sheet["offers"].append(_offer_content(SUBMITTED_OFFER))
        draft = sheet_draft_update(by=rep, draft=draft, content=sheet)
        present = next(o for o in SUPPLIERS[0].offers if o.code == "NQ-PRESENT")
        lines = _prices(present)
        for line in lines:
            if line["component_code"] == "BASE":
                line["unit_price_cents"] = _round5(line["unit_price_cents"] * 1.05)
        for code, price_lines in (
            ("NQ-SIGNATURE", _prices(SUBMITTED_OFFER)),
            ("NQ-PRESENT", lines),
        ):
            sheet_draft_set_prices(
                by=rep, draft=draft, offer_code=code, effective_from=days["next"], lines=price_lines
            )
        sheet_draft_submit(by=rep, draft=draft)
    boreal = orgs[BOREAL_LOGICIELS]
    if not SheetDraft.objects.filter(supplier=boreal, version__isnull=True).exists():
        version = latest_version(boreal)
        draft = sheet_draft_create(
            by=None, supplier=boreal, summary="Ajout du module de gestion immobilière."
        )
        sheet = copy.deepcopy(version.content)
        sheet["offers"].append(_offer_content(RETURNED_OFFER))
        draft = sheet_draft_update(by=None, draft=draft, content=sheet)
        draft = sheet_draft_submit(by=None, draft=draft)
        sheet_draft_return(by=agent, draft=draft, comment=RETURN_COMMENT)


# What each other supplier's representative is preparing (an open draft awaits them).
DRAFT_SUMMARIES = {
    BOREALES: "Mise à jour des niveaux de service de la visioconférence.",
    LAURENTIDES: "Nouveau palier de prix pour le dépôt de fichiers.",
    SENTINELLE: "Ajout d'un centre de données de relève au Québec.",
    SONDAXO: "Révision des prix de la billetterie.",
    VISION: "Réponses de sécurité mises à jour (SOC 2 type II).",
    CONTACT_PLUS: "Ajout de l'anglais comme langue de formation.",
    ATLANTIQUE: "Nouvelle offre de stockage d'archives à froid.",
    PATRIMOINE: "Coordonnées de la nouvelle équipe de soutien.",
}


def _drafts_in_progress(orgs: dict[str, Organisation]) -> None:
    """Every supplier without a proposal under way gets a draft its representative opened."""
    reps = {u.organisation: u.email for u in accounts_demo.USERS}
    for name, summary in DRAFT_SUMMARIES.items():
        supplier = orgs[name]
        if SheetDraft.objects.filter(supplier=supplier, version__isnull=True).exists():
            continue
        sheet_draft_create(
            by=User.objects.get(email=reps[name]), supplier=supplier, summary=summary
        )


def _qualifications(admin: User) -> None:
    qualifications = {q.code: q for q in Qualification.objects.all()}
    for code, name, scope in QUALIFICATIONS:
        if code not in qualifications:
            qualifications[code] = qualification_create(
                by=admin, code=code, name=name, scope_description=scope
            )
    for name, number, codes, contact, email, phone in PROVIDERS:
        provider = Organisation.objects.get(name=name, kind=OrganisationKind.PROVIDER)
        agreement = FrameworkAgreement.objects.filter(number=number).first()
        if agreement is None:
            agreement = framework_agreement_save(
                by=admin,
                organisation=provider,
                number=number,
                title=f"Services professionnels en infonuagique — {name}",
                starts_on=AGREEMENT_START,
                ends_on=AGREEMENT_END,
            )
        for code in codes:
            qualification = qualifications[code]
            if not ProviderQualification.objects.filter(
                qualification=qualification, provider=provider
            ).exists():
                provider_qualify(
                    by=admin,
                    qualification=qualification,
                    provider=provider,
                    agreement=agreement,
                    qualified_on=date(2024, 6, 3),
                    contact_name=contact,
                    contact_email=email,
                    contact_phone=phone,
                )


def _documents(admin: User) -> None:
    for kind, title, versions in DOCUMENTS:
        if SupportingDocument.objects.filter(title=title).exists():
            continue
        for number, (notes, lines) in enumerate(versions, start=1):
            supporting_document_publish(
                by=admin,
                kind=kind,
                title=title,
                file_name=f"{kind.replace('_', '-')}-v{number}.pdf",
                content=pdf(f"{title} (version {number})", lines),
                content_type="application/pdf",
                notes=notes,
            )


def _subscriptions(orgs: dict[str, Organisation], categories: dict[str, Category]) -> None:
    client = User.objects.get(email=CLIENT)
    for scope in ({"category": categories["courriel"]}, {"supplier": orgs[NUAGIQUE]}):
        if not Subscription.objects.filter(user=client, **scope).exists():
            subscription_create(by=client, **scope)


# --- small PDF files ------------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF showing ``title`` and ``lines`` (Helvetica, WinAnsi: French accents)."""
    ops = ["BT", "/F1 16 Tf", "72 740 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        ops += [f"({_pdf_text(line)}) Tj", "0 -16 Td"]
    stream = "\n".join([*ops, "ET"]).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
