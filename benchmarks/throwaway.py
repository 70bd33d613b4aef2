"""What both benchmarks share: a throwaway PostgreSQL database next to the one DATABASE_URL
names (created, migrated by the caller, dropped at the end), and Django set up on it."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlparse, urlunparse

SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")


def fail(message: str) -> int:
    """Print why the benchmark cannot run; exit status 2."""
    print(message, file=sys.stderr)
    return 2


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/" + name))


def admin(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def check_target(url: str, name: str, script: str) -> str | None:
    """Why ``url``/``name`` cannot host the benchmark, or None: it needs PostgreSQL and a
    database of its own, never the one named in the URL."""
    if urlparse(url).scheme not in SCHEMES:
        return (
            "This benchmark needs PostgreSQL: set DATABASE_URL to a PostgreSQL server, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
            f"python3 benchmarks/{script}\n"
            "(it creates and drops its own database; the one named in the URL is not touched)."
        )
    original = urlparse(url).path.lstrip("/")
    if not name.replace("_", "").isalnum() or name in {original, "test", "postgres"}:
        return f"Refusing to use the database {name!r}: choose a throwaway name."
    return None


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtier.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    import django

    django.setup()
