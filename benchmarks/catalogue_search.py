#!/usr/bin/env python3
"""Benchmark of the Catalogue search (issue 3, "done when").

Builds a catalogue of 100,000 offers and 2,000,000 price lines in a throwaway PostgreSQL
database, runs 200 mixed searches (text, filters, price ranges, combinations, sorts) through the
code path of the API -- ``selectors.offer_search``, the first page of 25 read as the API's
WindowPagination reads it (``core.pagination.page_window``: the rows plus one for ``has_more``),
each row turned into the API's ``OfferOut`` schema -- and, in the same run,
replays the SQL those searches sent straight through the driver (bare SQL). Prints p50 and p95 of
both and the ratio p95(ORM) / p95(bare SQL). Targets: p95 <= 50 ms, ratio <= 2.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python3 benchmarks/catalogue_search.py
    ... --offers 10000 --lines 200000 --searches 50     # a quicker run

``DATABASE_URL`` only says which server to use: the script creates its own database
(``courtier_bench_search`` unless ``--database``), migrates it, loads it with COPY (not through
the publication service, but with ``search_text`` and the hosting flags computed exactly as
publication computes them: rules.search_text, rules.hosting) and drops it at the end (``--keep``
keeps it). It never touches the database named in ``DATABASE_URL``.

Each search runs once untimed (warming the caches and recording its SQL), then ``--repeat``
times (ORM and bare SQL alternately); the figures are the median of each search's repeats.
The ORM side starts each search as a new request would: the person's memberships are read again.

The API counts nothing (an exact count reads every match and costs more than the page), so
neither is the default run. ``--count exact`` adds ``queryset.count()`` (what ninja's
LimitOffsetPagination would do); ``--count bounded`` adds ``selectors.count_at_most(queryset,
1000)``.

Exit status: 0 when both targets hold, 1 otherwise, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

from throwaway import admin, check_target, fail, setup_django, with_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 50.0
TARGET_RATIO = 2.0
PAGE_SIZE = 25

# --- vocabulary (French, with accents, as suppliers write it) ----------------------------------

PRODUCTS = [
    "Courriel",
    "Visioconférence",
    "Clavardage",
    "Téléphonie",
    "Sauvegarde",
    "Stockage",
    "Sécurité",
    "Analytique",
    "Gestion documentaire",
    "Portail",
    "Formulaires",
    "Sondage",
    "Tableur",
    "Présentation",
    "Agenda",
    "Coffre-fort",
    "Pare-feu",
    "Identité",
    "Archivage",
    "Signature électronique",
    "Téléconférence",
    "Messagerie",
    "Réseau social",
    "Traitement de texte",
    "Plateforme collaborative",
    "Infrastructure",
    "Ordinateur central",
    "Centre de contact",
    "Intranet",
    "Paie",
    "Ressources humaines",
    "Comptabilité",
    "Approvisionnement",
    "Billetterie",
    "Théâtre virtuel",
    "Bibliothèque numérique",
    "Cartographie",
    "Surveillance",
    "Journalisation",
    "Chiffrement",
]
QUALIFIERS = [
    "Pro",
    "Entreprise",
    "Éducation",
    "Santé",
    "Municipal",
    "Gouvernement",
    "Plus",
    "Essentiel",
    "Avancé",
    "Nuage",
    "Hybride",
    "Québec",
    "Express",
    "Intégral",
    "Élite",
    "Léger",
    "Souverain",
    "Régional",
]
# Descriptions are put together from these pieces (one opening, one to three features, one
# hosting sentence, one service sentence), so that words are spread the way they are in real
# sheets: a few in most offers ("solution", "infonuagique"), most in a small part.
OPENINGS = [
    "Solution infonuagique de {p} pour les organismes publics.",
    "Service de {p} offert en mode logiciel-service.",
    "Plateforme de {p} gérée par le fournisseur.",
    "Outil de {p} pour les équipes de travail.",
    "Offre de {p} adaptée au réseau de l'éducation et de la santé.",
    "{P} clé en main, sans installation sur les postes.",
]
FEATURES = [
    "Authentification multifacteur et authentification unique.",
    "Chiffrement des données au repos et en transit.",
    "Migration des données existantes incluse.",
    "Tableaux de bord et rapports de conformité.",
    "Journalisation des accès et piste d'audit.",
    "Recherche plein texte dans les contenus.",
    "Application mobile pour Android et iOS.",
    "Sous-titrage automatique en français.",
    "Signature électronique des documents.",
    "Gestion fine des droits par groupe.",
    "Intégration aux annuaires existants.",
    "Conservation légale et archivage.",
    "Sauvegardes quotidiennes conservées trente jours.",
    "Diffusion d'événements en direct.",
    "Centre d'appels omnicanal.",
    "Coédition de documents en temps réel.",
    "Formulaires dynamiques et flux d'approbation.",
    "Cartes interactives et géolocalisation.",
    "Réservation de salles et de ressources.",
    "Détection des menaces par apprentissage automatique.",
    "Interface accessible conforme aux standards gouvernementaux.",
    "Connecteurs pour les progiciels de gestion intégrés.",
    "Clavardage, appels vidéo et partage d'écran.",
    "Stockage d'objets compatible S3.",
    "Billetterie et gestion des inscriptions.",
    "Paie, ressources humaines et comptabilité.",
    "Bibliothèque de gabarits prêts à l'emploi.",
    "Surveillance du rendement en continu.",
    "Tests d'intrusion annuels par un tiers.",
    "Catalogue de services libre-service.",
]
HOSTING = [
    "Données hébergées au Québec.",
    "Données hébergées au Canada.",
    "Centres de données au Canada et aux États-Unis.",
    "Hébergement en Europe avec relève au Canada.",
]
SERVICE = [
    "Soutien en français du lundi au vendredi.",
    "Soutien technique en tout temps.",
    "Formation en ligne incluse.",
    "Accompagnement au démarrage inclus.",
    "Gestionnaire de compte attitré.",
]
COMPONENT_POOL = [
    "Licence de base",
    "Licence avancée",
    "Licence pour employés de première ligne",
    "Stockage additionnel",
    "Archivage prolongé",
    "Assistance technique prioritaire",
    "Heures de formation",
    "Migration des boîtes aux lettres",
    "Migration des fichiers",
    "Transition à la sortie",
    "Extraction des données",
    "Numéro de téléphone",
    "Salle de réunion virtuelle",
    "Instance dédiée",
    "Environnement de test",
    "Module d'analyse",
    "Module de rapports",
    "Connecteur d'annuaire",
    "Protection avancée contre les menaces",
    "Coffre-fort de clés",
    "Adresse IP publique",
    "Sauvegarde hors site",
    "Licence d'agent",
    "Minutes d'appel",
    "Gigaoctets de transfert",
]
SYLLABLES = [
    "bo",
    "ré",
    "al",
    "lau",
    "ren",
    "ti",
    "de",
    "nor",
    "dik",
    "é",
    "ra",
    "ble",
    "cu",
    "mu",
    "lus",
    "fjor",
    "ou",
    "ta",
    "gas",
    "pé",
    "si",
    "ma",
    "ri",
    "ci",
    "ab",
    "bi",
    "es",
    "tri",
    "sa",
    "gue",
    "nay",
    "char",
    "le",
    "voix",
    "nu",
    "na",
    "vik",
    "xo",
    "zen",
    "qua",
    "tek",
    "lo",
    "gi",
    "ca",
    "vo",
    "lt",
    "ix",
    "on",
    "ar",
    "sys",
]
SUFFIXES = ["inc.", "ltée", "S.E.N.C.", "Canada", "Québec", "Solutions", "Technologies"]
LOCATIONS = [
    # city, province, country
    ("Montréal", "QC", "CA"),
    ("Québec", "QC", "CA"),
    ("Sherbrooke", "QC", "CA"),
    ("Toronto", "ON", "CA"),
    ("Ottawa", "ON", "CA"),
    ("Vancouver", "BC", "CA"),
    ("Ashburn", "VA", "US"),
    ("Boydton", "VA", "US"),
    ("Portland", "OR", "US"),
    ("Dublin", "", "IE"),
    ("Paris", "IDF", "FR"),
    ("Francfort", "HE", "DE"),
]
# Main unit of an offer's base inclusion, with weights and a typical price in cents.
UNITS = [
    ("user_month", 50, 1200),
    ("user_year", 10, 12000),
    ("gb_month", 12, 8),
    ("instance_month", 10, 25000),
    ("vcpu_month", 6, 3500),
    ("hour", 6, 12000),
    ("fixed", 6, 500000),
]


# --- setup ------------------------------------------------------------------------------------


def months_back(day: date, n: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - n
    return index // 12, index % 12 + 1


# --- building the catalogue -------------------------------------------------------------------


def build(n_offers: int, n_lines: int, seed: int) -> dict[str, Any]:
    """Load the catalogue with COPY. Returns what the searches pick from."""
    from django.db import connection, transaction
    from django.utils import timezone

    from courtier.accounts.models import Membership, Organisation, Role, User
    from courtier.calendar.rules import first_business_day_of_month
    from courtier.catalogue import rules
    from courtier.catalogue.models import Category, DataCentre, SheetVersion

    rng = random.Random(seed)
    started = time.perf_counter()
    today = timezone.localdate()
    categories = list(Category.objects.order_by("position").values_list("pk", "code", "name"))
    n_suppliers = max(5, n_offers // 200)
    lines_per_offer = max(4, n_lines // n_offers)
    with transaction.atomic():
        client = Organisation.objects.create(
            kind="client", name="Ministère du banc d'essai", eligibility_category="lcop_4"
        )
        reader = User.objects.create_user(email="lecteur@banc.example", password=None)
        Membership.objects.create(user=reader, organisation=client, role=Role.CLIENT_PROCUREMENT)
        brands = []
        while len(brands) < n_suppliers:
            brand = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            if brand not in brands:
                brands.append(brand)
        suppliers = Organisation.objects.bulk_create(
            Organisation(kind="supplier", name=f"{brand} {rng.choice(SUFFIXES)} ({i})")
            for i, brand in enumerate(brands)
        )
        supplier_user = User.objects.create_user(email="fournisseur@banc.example", password=None)
        Membership.objects.create(
            user=supplier_user, organisation=suppliers[0], role=Role.SUPPLIER_REP
        )
        versions = SheetVersion.objects.bulk_create(
            SheetVersion(
                supplier=s,
                number=1,
                published_on=today - timedelta(days=400),
                name=rules.version_name(s.name, today - timedelta(days=400)),
                content=rules.empty_content(),
                changes={},
            )
            for s in suppliers
        )
        centres: dict[int, list[tuple[DataCentre, dict[str, Any]]]] = {}
        rows = []
        for s in suppliers:
            picked = rng.sample(
                LOCATIONS[:6] if rng.random() < 0.5 else LOCATIONS, rng.randint(1, 4)
            )
            for i, (city, province, country) in enumerate(picked):
                authorised = country == "CA" and rng.random() < 0.85
                dc = DataCentre(
                    supplier=s,
                    code=f"DC{i}",
                    city=city,
                    province=province,
                    country=country,
                    role="primary" if i == 0 else "recovery",
                    personal_information_authorised=authorised,
                    authorised_since=date(2024, 4, 2) if authorised else None,
                )
                rows.append(dc)
                centres.setdefault(s.pk, []).append(
                    (
                        dc,
                        {
                            "country": country,
                            "province": province,
                            "personal_information_authorised": authorised,
                        },
                    )
                )
        DataCentre.objects.bulk_create(rows)

        # Price-list dates: first business days of past, current and next months.
        def fbd(n: int) -> date:
            return first_business_day_of_month(*months_back(today, n))

        current = fbd(0) if fbd(0) <= today else fbd(1)
        dates = [fbd(18), fbd(12), fbd(6), current, fbd(-1)]

        raw = connection.connection
        offer_rows, m2m_rows, list_rows, line_rows = [], [], [], []
        words_seen: dict[str, int] = {}
        units_per_offer: list[str] = []
        list_id = line_id = 0
        unit_names = [u[0] for u in UNITS]
        unit_weights = [u[1] for u in UNITS]
        typical = {u[0]: u[2] for u in UNITS}
        for offer_id in range(1, n_offers + 1):
            supplier = suppliers[(offer_id * 7919) % n_suppliers]
            version = versions[(offer_id * 7919) % n_suppliers]
            cat_pk, _, cat_name = categories[rng.randrange(len(categories))]
            product = rng.choice(PRODUCTS)
            brand = brands[(offer_id * 7919) % n_suppliers]
            name = f"{brand} {product} {rng.choice(QUALIFIERS)}"
            opening = rng.choice(OPENINGS).format(p=product.lower(), P=product)
            description = " ".join(
                [
                    opening,
                    *rng.sample(FEATURES, rng.randint(1, 3)),
                    rng.choice(HOSTING),
                    rng.choice(SERVICE),
                ]
            )
            components = rng.sample(COMPONENT_POOL, rng.randint(2, 5))
            status = rng.choices(["qualified", "under_analysis", "withdrawn"], weights=[80, 12, 8])[
                0
            ]
            languages = rng.choices([",fr,", ",fr,en,", ",en,"], weights=[60, 35, 5])[0]
            own = centres[supplier.pk]
            used = rng.sample(own, rng.randint(1, min(3, len(own))))
            flags = rules.hosting([c for _, c in used])
            search_text = rules.search_text(
                name,
                description,
                supplier.name,
                cat_name,
                *components,
            )
            for word in set(search_text.split()):
                words_seen[word] = words_seen.get(word, 0) + 1
            updated = timezone.now() - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            offer_rows.append(
                (
                    offer_id,
                    supplier.pk,
                    f"O{offer_id}",
                    name,
                    cat_pk,
                    status,
                    description,
                    languages,
                    search_text,
                    flags.canada_only,
                    flags.quebec_only,
                    flags.personal_information_authorised,
                    version.pk,
                    updated,
                )
            )
            for dc, _ in used:
                m2m_rows.append((offer_id, dc.pk))
            unit = rng.choices(unit_names, weights=unit_weights)[0]
            units_per_offer.append(unit)
            base = max(1, int(rng.lognormvariate(0, 0.6) * typical[unit]))
            # Four lists: three past ones (superseded) and the current one, or a future one.
            has_future = rng.random() < 0.3
            offer_dates = dates[1:] if has_future else dates[:4]
            per_list = [lines_per_offer // 4] * 4
            per_list[-1] += lines_per_offer - sum(per_list)
            for k, effective_from in enumerate(offer_dates):
                list_id += 1
                until = offer_dates[k + 1] if k + 1 < len(offer_dates) else None
                count = per_list[k]
                list_rows.append(
                    (
                        list_id,
                        offer_id,
                        supplier.pk,
                        f"O{offer_id}",
                        effective_from,
                        until,
                        "published",
                        version.pk,
                        count,
                    )
                )
                price = max(1, int(base * (1 + 0.04 * k) * rng.uniform(0.9, 1.1)))
                for j in range(count):
                    line_id += 1
                    if j < count - 2:  # base inclusion, by volume tier
                        component, line_unit, tier = (
                            "BASE",
                            unit,
                            [0, 100, 1000, 5000, 10000][j % 5],
                        )
                        cents = max(1, int(price * (1 - 0.05 * (j % 5))))
                    elif j == count - 2:
                        component, line_unit, tier = "STOCK", "gb_month", 0
                        cents = rng.randint(2, 40)
                    else:
                        component, line_unit, tier = "SUPPORT", "hour", 0
                        cents = rng.randint(8000, 20000)
                    if component == "BASE" and j >= 5:
                        component = f"BASE{j // 5}"
                    line_rows.append(
                        (
                            line_id,
                            list_id,
                            offer_id,
                            component,
                            line_unit,
                            cents,
                            "monthly",
                            tier,
                            0,
                            0,
                            False,
                            True,
                            300,
                        )
                    )
            if len(line_rows) >= 200_000:
                _copy_lists_and_lines(raw, list_rows, line_rows, offer_rows, m2m_rows)
                offer_rows, m2m_rows, list_rows, line_rows = [], [], [], []
        _copy_lists_and_lines(raw, list_rows, line_rows, offer_rows, m2m_rows)
        with connection.cursor() as cursor:
            # The triggers fired when the lists were loaded, before their lines: fill the
            # price points the way migration 0003 does for existing lists.
            cursor.execute("DELETE FROM catalogue_price_point")
            cursor.execute(import_module("courtier.catalogue.migrations.0003_search").POINTS_FILL)
            for table in ("catalogue_offer", "catalogue_pricelist", "catalogue_priceline"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM catalogue_offer")
        (offers,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM catalogue_priceline")
        (lines,) = cursor.fetchone()
    print(
        f"Catalogue built: {offers:,} offers, {lines:,} price lines, {n_suppliers} suppliers "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return {
        "reader": reader,
        "supplier_user": supplier_user,
        "suppliers": [s.pk for s in suppliers],
        "categories": [c[1] for c in categories],
        "words": word_buckets(words_seen, n_offers),
        "today": today,
    }


def word_buckets(document_frequency: dict[str, int], n_offers: int) -> dict[str, list[str]]:
    """Words people could type, by the share of offers holding them: broad (over 10 %),
    medium (0.5 to 10 %), rare (under 0.5 %)."""
    buckets: dict[str, list[str]] = {"broad": [], "medium": [], "rare": []}
    for word, count in sorted(document_frequency.items()):
        if len(word) <= 3 or not word.isalpha():
            continue
        share = count / n_offers
        bucket = "broad" if share > 0.10 else "medium" if share >= 0.005 else "rare"
        buckets[bucket].append(word)
    return buckets


def _copy_lists_and_lines(raw, list_rows, line_rows, offer_rows, m2m_rows) -> None:
    with raw.cursor() as cursor:
        if offer_rows:
            with cursor.copy(
                "COPY catalogue_offer (id, supplier_id, code, name, category_id, status, "
                "description, training_languages, search_text, hosted_in_canada_only, "
                "hosted_in_quebec_only, personal_information_authorised, version_id, updated_at) "
                "FROM STDIN"
            ) as copy:
                for row in offer_rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY catalogue_offer_data_centres (offer_id, datacentre_id) FROM STDIN"
            ) as copy:
                for row in m2m_rows:
                    copy.write_row(row)
        with cursor.copy(
            "COPY catalogue_pricelist (id, offer_id, supplier_id, offer_code, effective_from, "
            "effective_until, status, version_id, line_count) FROM STDIN"
        ) as copy:
            for row in list_rows:
                copy.write_row(row)
        with cursor.copy(
            "COPY catalogue_priceline (id, price_list_id, offer_id, component_code, unit, "
            "unit_price_cents, billing_frequency, tier_min_quantity, minimum_quantity, "
            "minimum_term_months, all_units_from_signature, may_decrease, max_yearly_increase_bp) "
            "FROM STDIN"
        ) as copy:
            for row in line_rows:
                copy.write_row(row)


# --- the searches -----------------------------------------------------------------------------


@dataclass
class Search:
    kind: str
    filters: Any
    supplier_user: bool = False
    orm_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)
    found: int = 0


def make_searches(n: int, data: dict[str, Any], seed: int) -> list[Search]:
    from courtier.catalogue.selectors import OfferFilters

    rng = random.Random(seed + 1)
    words = data["words"]
    broad, medium, rare = words["broad"], words["medium"], words["rare"] or words["medium"]
    units = {u[0]: u[2] for u in UNITS}
    sorts = ["name", "-name", "supplier", "category", "-updated", "price", "-price", "relevance"]

    def price_range() -> dict[str, Any]:
        unit = rng.choice(list(units))
        low = Decimal(units[unit]) / 100 * Decimal(str(round(rng.uniform(0.3, 1.2), 2)))
        high = low * Decimal(str(round(rng.uniform(1.2, 3), 2)))
        return {"unit": unit, "price_min": low.quantize(Decimal("0.01")), "price_max": high}

    def hosting() -> dict[str, Any]:
        return rng.choice(
            [
                {"canada_only": True},
                {"quebec_only": True},
                {"personal_information": True},
                {"country": "CA"},
                {"country": "US"},
                {"country": "CA", "province": "ON"},
                {"province": "QC"},
            ]
        )

    def text() -> str:
        pick = rng.random()
        if pick < 0.10:
            return rng.choice(broad)
        if pick < 0.50:
            return rng.choice(medium)
        if pick < 0.70:
            return rng.choice(rare)
        if pick < 0.85:  # a word being typed
            word = rng.choice(medium)
            return word[: rng.randint(4, max(4, len(word) - 1))]
        if pick < 0.95:
            return f"{rng.choice(medium)} {rng.choice(medium)}"
        return rng.choice(PRODUCTS).upper()  # accents and upper case as typed

    kinds = [
        ("text", 25),
        ("text+filter", 15),
        ("filter", 15),
        ("price range", 12),
        ("combination", 10),
        ("sorted", 15),
        ("text+sorted", 5),
        ("supplier's own", 3),
    ]
    searches = []
    for _ in range(n):
        kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
        values: dict[str, Any] = {}
        if kind in ("text", "text+filter", "text+sorted", "combination"):
            values["q"] = text()
        if kind in ("text+filter", "filter", "combination"):
            choice = rng.random()
            if choice < 0.3:
                values["category"] = rng.choice(data["categories"])
            elif choice < 0.4:
                values["supplier"] = rng.choice(data["suppliers"])
            elif choice < 0.5:
                values["status"] = rng.choice(["qualified", "under_analysis", "withdrawn"])
            elif choice < 0.6:
                values["training_language"] = "en"
            else:
                values.update(hosting())
        if kind == "combination":
            values.update(hosting())
            values.update(price_range())
            if rng.random() < 0.5:
                values["category"] = rng.choice(data["categories"])
        if kind == "price range":
            values.update(price_range())
            if rng.random() < 0.3:
                values["sort"] = "price"
        if kind in ("sorted", "text+sorted"):
            values["sort"] = rng.choice(sorts)
            if values["sort"] in ("price", "-price"):
                values.setdefault("unit", rng.choice(list(units)))
            if kind == "sorted" and rng.random() < 0.5:
                values.update(hosting())
        searches.append(
            Search(
                kind=kind,
                filters=OfferFilters(**values),
                supplier_user=kind == "supplier's own",
            )
        )
    return searches


def api_call(user: Any, filters: Any, count_mode: str) -> int:
    """What the API's list operation (``GET /api/v1/catalogue/offers``) does: the search, a page
    read through ``page_window`` (the rows plus one, for ``has_more``, as WindowPagination does)
    and each row turned into the operation's response schema. ``count_mode`` "exact" adds an
    exact count, "bounded" a count that stops at 1,000 (neither is what the API does: it counts
    nothing)."""
    from courtier.accounts import permissions
    from courtier.catalogue.api.schemas import OfferOut
    from courtier.catalogue.selectors import count_at_most, offer_search
    from courtier.core.pagination import page_window

    permissions.forget(user)  # a new request reads the person's memberships again
    offers = offer_search(user, filters)
    count = 0
    if count_mode == "exact":
        count = offers.count()
    elif count_mode == "bounded":
        count = count_at_most(offers, 1000)
    window = page_window(offers, limit=PAGE_SIZE, offset=0)
    items = [OfferOut.from_orm(o).dict() for o in window["items"]]
    return count or len(items)


def run(searches: list[Search], data: dict[str, Any], repeat: int, count_mode: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = connection.connection
    # First pass: warm the caches and record the SQL each search sends.
    for search in searches:
        user = data["supplier_user"] if search.supplier_user else data["reader"]
        with CaptureQueriesContext(connection) as captured:
            search.found = api_call(user, search.filters, count_mode)
        search.sql = [q["sql"] for q in captured.captured_queries]
    for _ in range(repeat):
        for i, search in enumerate(searches):
            user = data["supplier_user"] if search.supplier_user else data["reader"]
            order = (0, 1) if i % 2 else (1, 0)  # alternate which one runs first
            for which in order:
                start = time.perf_counter()
                if which == 0:
                    api_call(user, search.filters, count_mode)
                    search.orm_ms.append((time.perf_counter() - start) * 1000)
                else:
                    with raw.cursor() as cursor:
                        for sql in search.sql:
                            cursor.execute(sql)
                            cursor.fetchall()
                    search.bare_ms.append((time.perf_counter() - start) * 1000)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def describe(search: Search) -> str:
    from dataclasses import fields

    from courtier.catalogue.selectors import OfferFilters

    default = OfferFilters()
    parts = [
        f"{f.name}={getattr(search.filters, f.name)!r}"
        for f in fields(OfferFilters)
        if getattr(search.filters, f.name) != getattr(default, f.name)
    ]
    return f"[{search.kind}] " + (", ".join(parts) or "(no filter)")


def report(searches: list[Search], count_mode: str) -> bool:
    orm = [statistics.median(s.orm_ms) for s in searches]
    bare = [statistics.median(s.bare_ms) for s in searches]
    p50_orm, p95_orm = percentile(orm, 50), percentile(orm, 95)
    p50_bare, p95_bare = percentile(bare, 50), percentile(bare, 95)
    ratio = p95_orm / p95_bare if p95_bare else float("inf")
    what = {
        "none": "first page of 25",
        "bounded": "first page of 25 + count up to 1,000",
        "exact": "first page of 25 + exact count",
    }[count_mode]
    print(f"\n{len(searches)} searches ({what}), median of the repeats per search:")
    print(f"  API code path (offer_search):  p50 {p50_orm:7.2f} ms   p95 {p95_orm:7.2f} ms")
    print(f"  bare SQL (same statements):    p50 {p50_bare:7.2f} ms   p95 {p95_bare:7.2f} ms")
    print(f"  ratio p95 ORM / p95 bare SQL:  {ratio:.2f}")
    print("\nBy kind (count, p95 ORM ms):")
    for kind in sorted({s.kind for s in searches}):
        mine = [statistics.median(s.orm_ms) for s in searches if s.kind == kind]
        print(f"  {kind:16} {len(mine):4}  {percentile(mine, 95):7.2f}")
    print("\nSlowest searches (ORM ms, bare ms, rows found):")
    for s in sorted(searches, key=lambda s: -statistics.median(s.orm_ms))[:8]:
        print(
            f"  {statistics.median(s.orm_ms):7.2f} {statistics.median(s.bare_ms):7.2f} "
            f"{s.found:7}  {describe(s)}"
        )
    ok_p95, ok_ratio = p95_orm <= TARGET_P95_MS, ratio <= TARGET_RATIO
    print(
        f"\np95 {p95_orm:.2f} ms <= {TARGET_P95_MS:.0f} ms: {'PASS' if ok_p95 else 'FAIL'}; "
        f"ratio {ratio:.2f} <= {TARGET_RATIO:.0f}: {'PASS' if ok_ratio else 'FAIL'}"
    )
    print("PASS" if ok_p95 and ok_ratio else "FAIL")
    return ok_p95 and ok_ratio


def explain(searches: list[Search], n: int) -> None:
    """EXPLAIN ANALYZE of the n slowest searches (for tuning)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for s in sorted(searches, key=lambda s: -statistics.median(s.orm_ms))[:n]:
            print("\n" + describe(s))
            for sql in s.sql:
                if "catalogue_offer" not in sql:
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(row[0] for row in cursor.fetchall()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each search")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--database", default="courtier_bench_search")
    parser.add_argument(
        "--count",
        choices=["none", "bounded", "exact"],
        default="none",
        help="also time a count of the results: none (default), up to 1,000, or exact",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="search a database kept before")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN the N slowest")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    name = args.database
    problem = check_target(url, name, "catalogue_search.py")
    if problem:
        return fail(problem)
    bench_url = with_database(url, name)
    if not args.reuse:
        admin(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url
    setup_django()
    from django.core.management import call_command
    from django.db import connections

    ok = False
    try:
        if args.reuse:
            data = reuse_data()
        else:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"Database {name} migrated in {time.perf_counter() - started:.0f} s")
            data = build(args.offers, args.lines, args.seed)
        print(
            "Words to search: "
            + ", ".join(f"{len(v)} {k}" for k, v in data["words"].items())
            + " (share of offers: over 10 %, 0.5 to 10 %, under 0.5 %)"
        )
        searches = make_searches(args.searches, data, args.seed)
        run(searches, data, args.repeat, args.count)
        ok = report(searches, args.count)
        if args.explain:
            explain(searches, args.explain)
    finally:
        connections.close_all()
        if not args.keep:
            admin(url, f'DROP DATABASE IF EXISTS "{name}"')
            print(f"Database {name} dropped.")
    return 0 if ok else 1


def reuse_data() -> dict[str, Any]:
    from django.utils import timezone

    from courtier.accounts.models import Organisation, User
    from courtier.catalogue.models import Category, Offer

    words: dict[str, int] = {}
    sample = list(Offer.objects.order_by("pk").values_list("search_text", flat=True)[:10000])
    for text in sample:
        for word in set(text.split()):
            words[word] = words.get(word, 0) + 1
    return {
        "reader": User.objects.get(email="lecteur@banc.example"),
        "supplier_user": User.objects.get(email="fournisseur@banc.example"),
        "suppliers": list(
            Organisation.objects.filter(kind="supplier").order_by("pk").values_list("pk", flat=True)
        ),
        "categories": list(Category.objects.order_by("position").values_list("code", flat=True)),
        "words": word_buckets(words, len(sample)),
        "today": timezone.localdate(),
    }


if __name__ == "__main__":
    sys.exit(main())
