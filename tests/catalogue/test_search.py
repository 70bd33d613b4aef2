"""Offer search: French full text ignoring accents and case, each filter, sorting, who sees what
(issue 3, point 5). Runs on SQLite (FTS5) and on PostgreSQL (French text search + unaccent)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from courtier.catalogue.models import Offer
from courtier.catalogue.selectors import OfferFilters, offer_search, query_words
from tests.catalogue.factories import content, data_centre, line, offer, publish
from tests.factories import make_organisation
from tests.helpers import shared_world

TZ = ZoneInfo("America/Toronto")
DEC_1 = date(2025, 12, 1)  # first business day of December 2025 (a Monday)
JAN_2 = date(2026, 1, 2)  # first business day of January 2026 (January 1 is a holiday)
FEB_2 = date(2026, 2, 2)  # first business day of February 2026
SEARCH_DAY = datetime(2026, 1, 15, 10, tzinfo=TZ)


def at(day: date):
    return time_machine.travel(datetime.combine(day, datetime.min.time(), TZ).replace(hour=9))


def codes(queryset) -> list[str]:
    return [o.code for o in queryset]


def publish_sheets(orgs) -> None:
    """Two suppliers' sheets. Prices of THEATRE: 15 $ from Dec 1 replaced by 25 $ from Jan 2;
    MAIL: 9 $ from Dec 1 and 5 $ from Feb 2 (not in force yet on Jan 15)."""
    d_sheet = content(
        offer(
            "THEATRE",
            "Théâtre numérique",
            "visioconference",
            description="Diffusion de spectacles en direct.",
            training_languages=["fr", "en"],
            data_centres=["MTL"],
        ),
        offer("MAIL", "Courriel infonuagique", "courriel", data_centres=["MTL", "TOR"]),
        offer(
            "SONDAGE",
            "Sondage express",
            "sondage",
            status="under_analysis",
            training_languages=["en"],
            data_centres=["VA"],
        ),
    )
    with at(DEC_1):
        publish(
            orgs["supplier"],
            d_sheet,
            prices={
                ("THEATRE", DEC_1): [line("BASE", 1500)],
                ("MAIL", DEC_1): [
                    line("BASE", 900),
                    line("STOCK", 25, unit="gb_month"),
                ],
                ("MAIL", FEB_2): [line("BASE", 500), line("STOCK", 25, unit="gb_month")],
            },
        )
        publish(
            orgs["supplier_other"],
            content(
                offer("STOCKAGE", "Stockage objet", "partage-fichiers", data_centres=["PAR"]),
                offer(
                    "EQUIPE",
                    "Messagerie d'équipe",
                    "messagerie-instantanee",
                    data_centres=["QCC"],
                    description="Clavardage et courriels courts.",
                ),
                data_centres=[
                    data_centre("PAR", "Paris", "IDF", "FR"),
                    data_centre("QCC", "Québec", "QC", "CA"),
                ],
            ),
            prices={
                ("STOCKAGE", DEC_1): [line("BASE", 3, unit="gb_month")],
                ("EQUIPE", DEC_1): [line("BASE", 1200)],
            },
        )
    with at(JAN_2):
        publish(orgs["supplier"], d_sheet, prices={("THEATRE", JAN_2): [line("BASE", 2500)]})


# Built once for the module (the searches only read it); each test runs in a savepoint of it.
shared, world, orgs, people = shared_world(publish_sheets)


@pytest.fixture
def catalogue(world):
    """The two sheets, searched on Jan 15."""
    with time_machine.travel(SEARCH_DAY):
        yield


def search(user, **filters) -> list[str]:
    return codes(offer_search(user, OfferFilters(**filters)))


@pytest.fixture
def reader(people):
    return people["client_procurement"]


# --- full text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["theatre", "théâtre", "THÉÂTRE", "Theatre", "théatre"])
def test_it_finds_an_offer_whatever_the_accents_and_case(catalogue, reader, q):
    assert search(reader, q=q) == ["THEATRE"]


def test_it_finds_accented_text_from_a_plain_query_in_the_description(catalogue, reader):
    assert search(reader, q="spectacles direct") == ["THEATRE"]


def test_it_matches_the_last_word_as_a_prefix_while_typing(catalogue, reader):
    assert search(reader, q="thea") == ["THEATRE"]
    assert search(reader, q="messagerie d'equi") == ["EQUIPE"]


def test_it_requires_every_word(catalogue, reader):
    assert search(reader, q="courriel infonuagique") == ["MAIL"]
    assert search(reader, q="courriel theatre") == []


def test_it_finds_the_singular_from_a_plural(catalogue, reader):
    # MAIL is in the "Courriel" category, EQUIPE's description says "courriels".
    assert set(search(reader, q="courriels")) == {"MAIL", "EQUIPE"}


def test_it_finds_offers_by_supplier_and_category_names(catalogue, reader):
    assert len(search(reader, q="fournisseur")) == 5
    assert search(reader, q="visioconférence") == ["THEATRE"]


def test_it_ranks_the_name_above_the_description_when_sorting_by_relevance(catalogue, reader):
    # "courriel" is in MAIL's name and category, and in EQUIPE's description only.
    assert search(reader, q="courriel", sort="relevance") == ["MAIL", "EQUIPE"]
    assert search(reader, q="courriel") == ["MAIL", "EQUIPE"]  # by name: "C" < "M"
    assert search(reader, q="courriel", sort="-name") == ["EQUIPE", "MAIL"]
    assert search(reader, sort="relevance") == search(reader, sort="name")  # nothing to rank


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stemming: PostgreSQL")
def test_it_stems_french_words_on_postgresql(catalogue, reader):
    assert search(reader, q="diffusions spectacle") == ["THEATRE"]


HOSTILE = [
    '"',
    '""',
    '"théâtre',
    "*",
    "**",
    "thea*",
    "OR",
    "theatre OR",
    "OR theatre",
    "AND NOT",
    "NEAR(",
    "NEAR(theatre courriel, 2)",
    "'",
    "l'",
    "''theatre''",
    "-",
    "-theatre",
    "theatre -",
    "(",
    ")",
    "((theatre)",
    "theatre)",
    "{}[]^:~",
    "a & b | !c <-> d:*",
    "\\",
    "%_",
    "\x00",
    "😀",
    "日本語",
    "ǅ",
    "x" * 5000,
    " ".join(["mot"] * 500),
    "é" * 3000,
]


def test_it_never_fails_on_hostile_query_strings(catalogue, reader):
    for q in HOSTILE:
        for sort in ("name", "relevance", "price"):
            offers = offer_search(reader, OfferFilters(q=q, sort=sort, unit="user_month"))
            list(offers[:25])
            offers.count()


def test_it_keeps_hostile_queries_meaningful(catalogue, reader):
    assert search(reader, q='"théâtre') == ["THEATRE"]
    assert search(reader, q="theatre(") == ["THEATRE"]
    assert search(reader, q="NEAR(theatre") == []  # "near" is a word like any other
    assert search(reader, q="((theatre)") == ["THEATRE"]


def test_it_ignores_a_query_without_words(catalogue, reader):
    assert len(search(reader, q='" * ( -')) == 5


def test_it_cuts_queries_into_folded_words():
    assert query_words("Théâtre  d'ÉTÉ, «NEAR(» x*") == ["theatre", "d", "ete", "near", "x"]
    assert len(query_words(" ".join(["mot"] * 100))) == 12


def test_it_finds_an_offer_renamed_by_a_later_version(catalogue, orgs, reader):
    sheet = content(offer("THEATRE", "Scène virtuelle", "visioconference", data_centres=["MTL"]))
    publish(orgs["supplier"], sheet)
    assert search(reader, q="scene") == ["THEATRE"]
    assert search(reader, q="théâtre") == []


# --- filters -----------------------------------------------------------------------------------


def test_it_filters_by_category(catalogue, reader):
    assert search(reader, category="courriel") == ["MAIL"]


def test_it_filters_by_supplier(catalogue, orgs, reader):
    assert search(reader, supplier=orgs["supplier_other"].pk) == ["EQUIPE", "STOCKAGE"]


def test_it_filters_by_status(catalogue, orgs, reader):
    assert search(reader, status="under_analysis") == ["SONDAGE"]
    publish(orgs["supplier"], content(offer("MAIL", "Courriel infonuagique", "courriel")))
    assert set(search(reader, status="withdrawn")) == {"THEATRE", "SONDAGE"}


def test_it_filters_by_data_centre_country(catalogue, reader):
    assert search(reader, country="us") == ["SONDAGE"]
    assert search(reader, country="CA") == ["MAIL", "EQUIPE", "THEATRE"]


def test_it_filters_by_data_centre_province(catalogue, reader):
    assert search(reader, country="CA", province="ON") == ["MAIL"]
    assert search(reader, province="qc") == ["MAIL", "EQUIPE", "THEATRE"]


def test_it_filters_offers_hosted_in_canada_only(catalogue, reader):
    assert search(reader, canada_only=True) == ["MAIL", "EQUIPE", "THEATRE"]


def test_it_filters_offers_hosted_in_quebec_only(catalogue, reader):
    assert search(reader, quebec_only=True) == ["EQUIPE", "THEATRE"]


def test_it_filters_offers_with_hosting_authorised_for_personal_information(catalogue, reader):
    assert search(reader, personal_information=True) == ["MAIL", "EQUIPE", "THEATRE"]


def test_it_filters_by_training_language(catalogue, reader):
    assert search(reader, training_language="en") == ["SONDAGE", "THEATRE"]
    assert search(reader, training_language="fr") == ["MAIL", "EQUIPE", "STOCKAGE", "THEATRE"]


def test_it_filters_by_a_price_range_in_a_unit(catalogue, reader):
    assert search(reader, unit="user_month", price_min=Decimal("8"), price_max=Decimal("13")) == [
        "MAIL",
        "EQUIPE",
    ]
    assert search(reader, unit="gb_month", price_max=Decimal("0.10")) == ["STOCKAGE"]
    assert search(reader, unit="gb_month", price_min=Decimal("0.25")) == ["MAIL"]


def test_it_ignores_a_price_list_not_in_force_yet(catalogue, reader):
    assert search(reader, unit="user_month", price_max=Decimal("6")) == []
    with time_machine.travel(datetime(2026, 2, 2, 9, tzinfo=TZ)):
        assert search(reader, unit="user_month", price_max=Decimal("6")) == ["MAIL"]


def test_it_ignores_a_superseded_price_list(catalogue, reader):
    assert search(reader, unit="user_month", price_min=14, price_max=16) == []
    assert search(reader, unit="user_month", price_min=24, price_max=26) == ["THEATRE"]
    on_dec_15 = offer_search(
        reader,
        OfferFilters(unit="user_month", price_min=14, price_max=16),
        today=date(2025, 12, 15),
    )
    assert codes(on_dec_15) == ["THEATRE"]


def test_it_filters_the_offers_priced_in_a_unit(catalogue, reader):
    assert search(reader, unit="gb_month") == ["MAIL", "STOCKAGE"]
    assert search(reader, unit="hour") == []


def test_a_price_range_without_unit_looks_at_every_unit(catalogue, reader):
    assert search(reader, price_max=Decimal("0.30")) == ["MAIL", "STOCKAGE"]


def test_it_includes_both_ends_of_a_price_range(catalogue, reader):
    assert search(reader, unit="user_month", price_min=Decimal("9.00"), price_max=9) == ["MAIL"]


def test_it_combines_filters_and_text(catalogue, reader):
    found = search(reader, q="courriel", canada_only=True, unit="user_month", price_max=10)
    assert found == ["MAIL"]
    assert search(reader, q="courriel", quebec_only=True) == ["EQUIPE"]


# --- sorting -----------------------------------------------------------------------------------


def test_it_sorts_by_name_either_way(catalogue, reader):
    assert search(reader, sort="name") == ["MAIL", "EQUIPE", "SONDAGE", "STOCKAGE", "THEATRE"]
    assert search(reader, sort="-name") == ["THEATRE", "STOCKAGE", "SONDAGE", "EQUIPE", "MAIL"]


def test_it_sorts_by_supplier_then_name(catalogue, reader):
    assert search(reader, sort="supplier") == ["MAIL", "SONDAGE", "THEATRE", "EQUIPE", "STOCKAGE"]


def test_it_sorts_by_category_in_the_catalogue_order(catalogue, reader):
    # courriel, visioconference, messagerie-instantanee, partage-fichiers, sondage
    assert search(reader, sort="category") == ["MAIL", "THEATRE", "EQUIPE", "STOCKAGE", "SONDAGE"]


def test_it_sorts_the_offers_priced_in_a_unit_by_their_price_in_force(catalogue, reader):
    offers = offer_search(reader, OfferFilters(sort="price", unit="user_month"))
    assert [(o.code, o.price_cents) for o in offers] == [
        ("MAIL", 900),
        ("EQUIPE", 1200),
        ("THEATRE", 2500),
    ]
    assert offers.count() == 3
    assert search(reader, sort="-price", unit="user_month") == ["THEATRE", "EQUIPE", "MAIL"]
    assert search(reader, sort="price", unit="gb_month") == ["STOCKAGE", "MAIL"]


def test_it_sorts_by_the_lowest_tier_of_the_price_in_force(catalogue, orgs, reader):
    sheet = content(
        offer("STOCKAGE", "Stockage objet", "partage-fichiers", data_centres=["PAR"]),
        data_centres=[data_centre("PAR", "Paris", "IDF", "FR")],
    )
    prices = [
        line("BASE", 3, unit="gb_month"),
        line("BASE", 1, unit="gb_month", tier_min_quantity=1000),
    ]
    with time_machine.travel(datetime(2026, 2, 2, 9, tzinfo=TZ)):
        publish(orgs["supplier_other"], sheet, prices={("STOCKAGE", FEB_2): prices})
        offers = offer_search(reader, OfferFilters(sort="price", unit="gb_month"))
        assert [(o.code, o.price_cents) for o in offers] == [("STOCKAGE", 1), ("MAIL", 25)]
    offers = offer_search(reader, OfferFilters(sort="price", unit="gb_month"))
    assert [(o.code, o.price_cents) for o in offers] == [("STOCKAGE", 3), ("MAIL", 25)]


def test_it_sorts_by_name_when_the_price_sort_has_no_unit(catalogue, reader):
    assert search(reader, sort="price") == search(reader, sort="name")


def test_the_price_sort_keeps_the_price_range(catalogue, reader):
    found = search(reader, sort="price", unit="user_month", price_min=10)
    assert found == ["EQUIPE", "THEATRE"]


def test_it_sorts_by_last_update(catalogue, orgs, reader):
    with time_machine.travel(datetime(2026, 1, 20, 9, tzinfo=TZ)):
        publish(orgs["supplier_other"], content(offer("STOCKAGE", "Stockage objet S3", "courriel")))
    # A publication updates every offer of the sheet (STOCKAGE changed, EQUIPE withdrawn).
    assert set(search(reader, sort="-updated")[:2]) == {"STOCKAGE", "EQUIPE"}
    assert set(search(reader, sort="updated")[-2:]) == {"STOCKAGE", "EQUIPE"}
    assert search(reader, sort="updated")[:3] == ["THEATRE", "MAIL", "SONDAGE"]  # on January 2


def test_it_falls_back_to_the_name_for_an_unknown_sort(catalogue, reader):
    assert search(reader, sort="; DROP TABLE") == search(reader, sort="name")


def test_it_pages_by_slicing(catalogue, reader):
    offers = offer_search(reader, OfferFilters(sort="name"))
    assert codes(offers[:2]) == ["MAIL", "EQUIPE"]
    assert codes(offers[2:4]) == ["SONDAGE", "STOCKAGE"]
    assert offers.count() == 5


# --- who sees what -----------------------------------------------------------------------------


def test_a_supplier_sees_only_its_own_offers(catalogue, people):
    assert search(people["supplier_rep"]) == ["MAIL", "SONDAGE", "THEATRE"]
    assert search(people["supplier_rep"], q="messagerie") == []


def test_the_broker_sees_every_offer(catalogue, people):
    assert len(search(people["broker_agent"])) == 5


def test_a_provider_sees_no_offer(catalogue, people):
    assert search(people["provider_rep"]) == []


def test_an_anonymous_person_sees_nothing(catalogue):
    assert search(AnonymousUser(), q="theatre") == []
    assert search(None) == []


def test_the_search_stays_correct_inside_a_subquery(catalogue, reader):
    for filters, expected in (
        (OfferFilters(q="théâtre"), ["THEATRE"]),
        (OfferFilters(q="théâtre", sort="relevance"), ["THEATRE"]),
        (OfferFilters(unit="user_month", price_min=20), ["THEATRE"]),
        (OfferFilters(unit="gb_month", sort="price"), ["MAIL", "STOCKAGE"]),
    ):
        ids = offer_search(reader, filters).values("pk")
        found = Offer.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True)
        assert list(found) == expected


def test_price_points_follow_the_price_lists(catalogue, orgs):
    """The derived table read by price filters and sorts (migration 0003) stays in step."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.code, p.unit, p.unit_price_cents, p.effective_from, p.effective_until, "
            "p.is_min FROM catalogue_price_point p JOIN catalogue_offer o ON o.id = p.offer_id "
            "WHERE o.code = 'THEATRE'"
        )
        rows = sorted(
            (code, unit, cents, str(start), str(end) if end else None, bool(is_min))
            for code, unit, cents, start, end, is_min in cursor.fetchall()
        )
    assert rows == [
        ("THEATRE", "user_month", 1500, "2025-12-01", "2026-01-02", True),
        ("THEATRE", "user_month", 2500, "2026-01-02", None, True),
    ]


def test_it_sorts_by_category_position_when_ids_do_not_follow_it(catalogue, reader):
    from courtier.catalogue.models import Category

    # A category added later but placed first.
    first = Category.objects.create(
        code="nouveau", family="collaboration", name="Nouveau", name_en="New", position=0
    )
    sheet = content(
        offer("NEUF", "Offre neuve", "nouveau", data_centres=["PAR"]),
        data_centres=[data_centre("PAR", "Paris", "IDF", "FR")],
    )
    publish(make_organisation("supplier", name="Fournisseur H"), sheet)
    assert first.pk > Category.objects.get(code="courriel").pk
    assert search(reader, sort="category")[:3] == ["NEUF", "MAIL", "THEATRE"]


def test_price_points_leave_with_their_price_lists(catalogue):
    """Django empties tables between transactional tests: TRUNCATE on PostgreSQL (which fires no
    row trigger), DELETE on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalogue_price_point")
        assert cursor.fetchone()[0] > 0
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute("TRUNCATE catalogue_priceline, catalogue_pricelist")
        else:
            cursor.execute("DELETE FROM catalogue_priceline")
            cursor.execute("DELETE FROM catalogue_pricelist")
        cursor.execute("SELECT count(*) FROM catalogue_price_point")
        assert cursor.fetchone()[0] == 0


def test_it_counts_matches_up_to_a_bound(catalogue, reader):
    from courtier.catalogue.selectors import count_at_most

    assert count_at_most(offer_search(reader, OfferFilters()), 100) == 5
    assert count_at_most(offer_search(reader, OfferFilters()), 3) == 4  # "more than 3"
    priced = offer_search(reader, OfferFilters(unit="user_month", sort="price"))
    assert count_at_most(priced, 2) == 3
