"""French full-text search of offers, ignoring accents and case (issue 3, point 5).

PostgreSQL: the ``unaccent`` extension, an IMMUTABLE wrapper ``courtier_unaccent(text)`` (so that
it may be used in a generated column and an index), a generated stored column
``catalogue_offer.search_vector`` (the offer's name weighted A, its ``search_text`` weighted D,
French configuration: stemming and stop words) and a GIN index on it. ``selectors.offer_search``
queries it with ``to_tsquery('french', courtier_unaccent(...))``.

SQLite: an FTS5 table ``catalogue_offer_fts`` (external content: the rows of catalogue_offer,
tokenizer ``unicode61 remove_diacritics 2``) kept in sync by three triggers.

Both databases: ``catalogue_price_point``, the distinct unit prices of each published price list
with the list's dates (see POSTGRES_POINTS), kept in step by triggers on catalogue_pricelist; the
price-range filter and the price sort read it.

PostgreSQL only, for ``benchmarks/catalogue_search.py``: indexes that let the usual sorts (name,
category, last update) walk the offers in order and stop at the end of the page, and no parallel
workers for scans of the offers and price points.

None of this is a model field or model: Django never selects or writes it. Consequences for later
migrations:
- PostgreSQL refuses to change the type of ``Offer.name`` or ``Offer.search_text`` while the
  generated column uses them: drop ``search_vector`` first and recreate it with
  ``POSTGRES_COLUMN`` and its index.
- On SQLite, Django rebuilds a table for most ALTERs (new table, copy, drop, rename), which drops
  its triggers: after such a migration of ``Offer`` run ``SQLITE_TRIGGERS`` and
  ``SQLITE_REBUILD`` again; of ``PriceList``, ``SQLITE_POINTS_TRIGGERS`` (then empty the points
  and run ``POINTS_FILL``).
"""

from django.db import migrations

POSTGRES_UNACCENT = "CREATE EXTENSION IF NOT EXISTS unaccent"

# The schema holding the extension is looked up at migration time and written into the function,
# so that the function does not depend on the search_path (required for an IMMUTABLE function
# used by a generated column, and for pg_dump/restore).
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION courtier_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$
"""

POSTGRES_COLUMN = """
ALTER TABLE catalogue_offer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french'::regconfig, courtier_unaccent(coalesce(name, ''))), 'A')
    || setweight(
        to_tsvector('french'::regconfig, courtier_unaccent(coalesce(search_text, ''))), 'D'
    )
) STORED
"""

POSTGRES_INDEXES = [
    "CREATE INDEX catalogue_offer_search_vector ON catalogue_offer USING gin (search_vector)",
    # Sorts and filters walk these in order and stop at the end of the page.
    "CREATE INDEX catalogue_offer_name_id ON catalogue_offer (name, id)",
    "CREATE INDEX catalogue_offer_category_name_id ON catalogue_offer (category_id, name, id)",
    "CREATE INDEX catalogue_offer_updated_id ON catalogue_offer (updated_at, id)",
    "CREATE INDEX catalogue_category_position_name ON catalogue_category (position, name, id)",
    # A search reads a page: starting parallel workers costs more than it saves (measured with
    # the benchmark: 50 ms instead of 15 ms for the same plan).
    "ALTER TABLE catalogue_offer SET (parallel_workers = 0)",
]

# Price points: the distinct (unit, unit price) of each published price list, with the list's
# dates copied, so that "a line of this unit in this range in force on D" and "offers by their
# lowest price in force for this unit" read one narrow table and its indexes, without joining
# the lists. Derived data, kept in step by triggers on catalogue_pricelist: a list's lines never
# change once it is published (rules: a published price list is never altered), and publication,
# replacement (effective_until) and discarding are updates of the list row.
# ``is_min``: the lowest price of its unit in its list (one row per list and unit).
POSTGRES_POINTS = [
    """
    CREATE TABLE catalogue_price_point (
        price_list_id bigint NOT NULL,
        offer_id bigint NOT NULL,
        unit varchar(20) NOT NULL,
        unit_price_cents bigint NOT NULL,
        effective_from date NOT NULL,
        effective_until date NULL,
        is_min boolean NOT NULL,
        PRIMARY KEY (price_list_id, unit, unit_price_cents)
    )
    """,
    "CREATE INDEX catalogue_price_point_offer ON catalogue_price_point "
    "(offer_id, unit, unit_price_cents) INCLUDE (effective_from, effective_until)",
    "CREATE INDEX catalogue_price_point_price ON catalogue_price_point "
    "(unit, unit_price_cents) INCLUDE (offer_id, effective_from, effective_until, is_min)",
    "ALTER TABLE catalogue_price_point SET (parallel_workers = 0)",
    """
    CREATE FUNCTION courtier_price_points_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM catalogue_price_point WHERE price_list_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.offer_id IS NOT NULL THEN
            INSERT INTO catalogue_price_point (price_list_id, offer_id, unit, unit_price_cents,
                                               effective_from, effective_until, is_min)
            SELECT NEW.id, NEW.offer_id, p.unit, p.unit_price_cents,
                   NEW.effective_from, NEW.effective_until,
                   p.unit_price_cents = min(p.unit_price_cents) OVER (PARTITION BY p.unit)
            FROM (SELECT DISTINCT unit, unit_price_cents FROM catalogue_priceline
                  WHERE price_list_id = NEW.id) p;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER catalogue_price_point_sync "
    "AFTER INSERT OR UPDATE OR DELETE ON catalogue_pricelist "
    "FOR EACH ROW EXECUTE FUNCTION courtier_price_points_sync()",
    # TRUNCATE (Django's flush between TransactionTestCase tests) fires no row trigger.
    """
    CREATE FUNCTION courtier_price_points_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE catalogue_price_point;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER catalogue_price_point_truncate AFTER TRUNCATE ON catalogue_pricelist "
    "FOR EACH STATEMENT EXECUTE FUNCTION courtier_price_points_truncate()",
]

# Fills the price points from the lists already published (also used by the benchmark after its
# bulk load). Same SQL on both databases.
POINTS_FILL = """
INSERT INTO catalogue_price_point (price_list_id, offer_id, unit, unit_price_cents,
                                   effective_from, effective_until, is_min)
SELECT p.price_list_id, l.offer_id, p.unit, p.unit_price_cents, l.effective_from,
       l.effective_until,
       p.unit_price_cents = min(p.unit_price_cents) OVER (PARTITION BY p.price_list_id, p.unit)
FROM (SELECT DISTINCT price_list_id, unit, unit_price_cents FROM catalogue_priceline) p
JOIN catalogue_pricelist l ON l.id = p.price_list_id
WHERE l.status = 'published' AND l.offer_id IS NOT NULL
"""

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogue_price_point_truncate ON catalogue_pricelist",
    "DROP TRIGGER IF EXISTS catalogue_price_point_sync ON catalogue_pricelist",
    "DROP FUNCTION IF EXISTS courtier_price_points_truncate()",
    "DROP FUNCTION IF EXISTS courtier_price_points_sync()",
    "DROP TABLE IF EXISTS catalogue_price_point",
    "ALTER TABLE catalogue_offer RESET (parallel_workers)",
    "DROP INDEX IF EXISTS catalogue_category_position_name",
    "DROP INDEX IF EXISTS catalogue_offer_updated_id",
    "DROP INDEX IF EXISTS catalogue_offer_category_name_id",
    "DROP INDEX IF EXISTS catalogue_offer_name_id",
    "DROP INDEX IF EXISTS catalogue_offer_search_vector",
    "ALTER TABLE catalogue_offer DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS courtier_unaccent(text)",
]

SQLITE_TABLE = """
CREATE VIRTUAL TABLE catalogue_offer_fts USING fts5(
    name, search_text,
    content = 'catalogue_offer', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
)
"""

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS catalogue_offer_fts_insert AFTER INSERT ON catalogue_offer
    BEGIN
        INSERT INTO catalogue_offer_fts (rowid, name, search_text)
        VALUES (new.id, new.name, new.search_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS catalogue_offer_fts_delete AFTER DELETE ON catalogue_offer
    BEGIN
        INSERT INTO catalogue_offer_fts (catalogue_offer_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS catalogue_offer_fts_update
    AFTER UPDATE OF name, search_text ON catalogue_offer
    BEGIN
        INSERT INTO catalogue_offer_fts (catalogue_offer_fts, rowid, name, search_text)
        VALUES ('delete', old.id, old.name, old.search_text);
        INSERT INTO catalogue_offer_fts (rowid, name, search_text)
        VALUES (new.id, new.name, new.search_text);
    END
    """,
]

SQLITE_REBUILD = "INSERT INTO catalogue_offer_fts (catalogue_offer_fts) VALUES ('rebuild')"

_SQLITE_POINTS_INSERT = """
        INSERT INTO catalogue_price_point (price_list_id, offer_id, unit, unit_price_cents,
                                           effective_from, effective_until, is_min)
        SELECT NEW.id, NEW.offer_id, p.unit, p.unit_price_cents,
               NEW.effective_from, NEW.effective_until,
               p.unit_price_cents = min(p.unit_price_cents) OVER (PARTITION BY p.unit)
        FROM (SELECT DISTINCT unit, unit_price_cents FROM catalogue_priceline
              WHERE price_list_id = NEW.id) p
        WHERE NEW.status = 'published' AND NEW.offer_id IS NOT NULL;
"""

SQLITE_POINTS = [
    """
    CREATE TABLE catalogue_price_point (
        price_list_id integer NOT NULL,
        offer_id integer NOT NULL,
        unit varchar(20) NOT NULL,
        unit_price_cents bigint NOT NULL,
        effective_from date NOT NULL,
        effective_until date NULL,
        is_min bool NOT NULL,
        PRIMARY KEY (price_list_id, unit, unit_price_cents)
    )
    """,
    "CREATE INDEX catalogue_price_point_offer ON catalogue_price_point "
    "(offer_id, unit, unit_price_cents)",
    "CREATE INDEX catalogue_price_point_price ON catalogue_price_point (unit, unit_price_cents)",
]

SQLITE_POINTS_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS catalogue_price_point_insert "
    "AFTER INSERT ON catalogue_pricelist BEGIN" + _SQLITE_POINTS_INSERT + "END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_price_point_update "  # noqa: S608 (constant SQL)
    "AFTER UPDATE ON catalogue_pricelist BEGIN "
    "DELETE FROM catalogue_price_point WHERE price_list_id = OLD.id;"
    + _SQLITE_POINTS_INSERT
    + "END",
    "CREATE TRIGGER IF NOT EXISTS catalogue_price_point_delete "
    "AFTER DELETE ON catalogue_pricelist BEGIN "
    "DELETE FROM catalogue_price_point WHERE price_list_id = OLD.id; END",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogue_price_point_insert",
    "DROP TRIGGER IF EXISTS catalogue_price_point_update",
    "DROP TRIGGER IF EXISTS catalogue_price_point_delete",
    "DROP TABLE IF EXISTS catalogue_price_point",
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_insert",
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_delete",
    "DROP TRIGGER IF EXISTS catalogue_offer_fts_update",
    "DROP TABLE IF EXISTS catalogue_offer_fts",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UNACCENT)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
            )
            (schema,) = cursor.fetchone()
        quoted = schema_editor.connection.ops.quote_name(schema)
        schema_editor.execute(POSTGRES_FUNCTION.format(schema=quoted))
        schema_editor.execute(POSTGRES_COLUMN)
        for statement in POSTGRES_INDEXES + POSTGRES_POINTS:
            schema_editor.execute(statement)
        schema_editor.execute(POINTS_FILL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
        schema_editor.execute(SQLITE_REBUILD)
        for statement in SQLITE_POINTS + SQLITE_POINTS_TRIGGERS:
            schema_editor.execute(statement)
        schema_editor.execute(POINTS_FILL)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_categories")]
    operations = [migrations.RunPython(forwards, backwards)]
