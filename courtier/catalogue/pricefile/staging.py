"""The staging table of a price import (pricefile/importing.py): a temporary table of the
database connection that holds the checked rows of one import between its two passes, so that
memory does not grow with the file. PostgreSQL fills it with ``COPY ... FROM STDIN``, SQLite
with ``executemany``; duplicate rows are found there by SQL."""

from __future__ import annotations

from typing import Any

from django.db import connection

from courtier.catalogue.pricefile.layout import PriceRow, Problem, RowProblem

STAGED_COLUMNS = PriceRow._fields


class Staging:
    """A temporary table of this connection holding the checked rows of one import. Its name
    (and the one of its companion table of price lists) is built from the import's integer id,
    never from input: the SQL below may put it in the text of the query."""

    def __init__(self, import_id: int) -> None:
        self.table = f"price_import_stage_{int(import_id)}"
        self.lists = f"price_import_lists_{int(import_id)}"
        self.postgres = connection.vendor == "postgresql"

    def create(self) -> None:
        date_type = "date" if self.postgres else "text"
        self.drop()
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} ("
                "line integer NOT NULL, offer_code varchar(60) NOT NULL, "
                f"effective_from {date_type} NOT NULL, component_code varchar(60) NOT NULL, "
                "unit varchar(20) NOT NULL, unit_price_cents bigint NOT NULL, "
                "billing_frequency varchar(20) NOT NULL, tier_min_quantity integer NOT NULL, "
                "minimum_quantity integer NOT NULL, minimum_term_months smallint NOT NULL, "
                "all_units_from_signature boolean NOT NULL, may_decrease boolean NOT NULL, "
                "max_yearly_increase_bp integer NOT NULL)"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.lists} (offer_code varchar(60) NOT NULL, "
                f"effective_from {date_type} NOT NULL, price_list_id bigint NOT NULL, "
                "offer_id bigint NULL)"
            )

    def write(self, rows: list[Any]) -> None:
        """Rows as PriceRow (SQLite) or as lines of COPY text (PostgreSQL)."""
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {self.table} FROM STDIN") as copy:
                    copy.write("".join(rows))
            else:
                marks = ", ".join(["%s"] * len(STAGED_COLUMNS))
                cursor.executemany(f"INSERT INTO {self.table} VALUES ({marks})", rows)  # noqa: S608

    def duplicates(self, limit: int) -> tuple[list[RowProblem], int]:
        """Rows repeating an earlier row's offer, component, date and tier: the first
        ``limit`` in line order, and how many there are."""
        key = "offer_code, effective_from, component_code, tier_min_quantity"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT line, first_line, offer_code, effective_from, component_code, "  # noqa: S608
                "tier_min_quantity, COUNT(*) OVER () FROM ("
                f"SELECT line, {key}, MIN(line) OVER (PARTITION BY {key}) AS first_line "
                f"FROM {self.table}) AS d WHERE line <> first_line ORDER BY line LIMIT %s",
                [limit],
            )
            rows = cursor.fetchall()
        problems = [
            RowProblem(
                line,
                "palier_min",
                Problem.DUPLICATE,
                {
                    "first": first,
                    "offer": offer,
                    "day": day,
                    "component": component,
                    "tier": tier,
                },
            )
            for line, first, offer, day, component, tier, _count in rows
        ]
        return problems, (rows[0][-1] if rows else 0)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in (self.table, self.lists):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
