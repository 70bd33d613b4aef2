#!/usr/bin/env python3
"""Benchmark of the price-file import (issue 3 §4, "done when").

Generates a price file of 1,000,000 lines (CSV, French decimal commas, as suppliers write it)
for a supplier with 100 offers of 20 components, and imports it into the supplier's draft
through the service the page and the command use (``uploads.price_import_create`` then
``importing.price_import_run``), in a separate process so that its peak memory can be measured
(``ru_maxrss``). In the same run it feeds the equivalent rows straight to PostgreSQL
(``COPY catalogue_priceline ... FROM STDIN``, text format, from a file prepared beforehand, in one
transaction, commit included) into the same empty table: the raw COPY. Prints lines per second,
times, the ratio raw COPY time / import time, and the import's peak memory.
Targets: ratio >= 0.5, peak memory < 300 MB.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python3 benchmarks/price_import.py
    ... --lines 100000        # a quicker run

``DATABASE_URL`` only says which server to use: the script creates its own database
(``courtier_bench_import`` unless ``--database``), migrates it, and drops it at the end
(``--keep`` keeps it). It never touches the database named in ``DATABASE_URL``.

Exit status: 0 when both targets hold, 1 otherwise, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from throwaway import admin, check_target, fail, setup_django, with_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.5
TARGET_MEMORY_MB = 300
OFFERS = 100
COMPONENTS = 20
UNITS = ["user_month", "gb_month", "instance_month", "vcpu_month", "hour"]
FREQUENCIES = ["mensuelle", "annuelle", "unique"]
HEADER = [
    "offre",
    "composante",
    "date_effet",
    "unite",
    "prix_unitaire",
    "frequence_facturation",
    "palier_min",
    "quantite_minimale",
    "duree_minimale_mois",
    "toutes_unites_des_signature",
    "diminution_permise",
    "hausse_annuelle_max",
]
LINE_COLUMNS = (
    "price_list_id, offer_id, component_code, unit, unit_price_cents, billing_frequency, "
    "tier_min_quantity, minimum_quantity, minimum_term_months, all_units_from_signature, "
    "may_decrease, max_yearly_increase_bp"
)


def grouped(n: float) -> str:
    return f"{n:,.0f}"


# --- the data -------------------------------------------------------------------------------------


def offer_code(o: int) -> str:
    return f"OFFRE{o:03d}"


def component_code(c: int) -> str:
    return f"COMP{c:02d}"


def sheet_content() -> dict[str, Any]:
    from courtier.catalogue import rules

    kinds = [k.value for k in rules.ComponentKind]
    return {
        **rules.empty_content(),
        "data_centres": [
            {
                "code": "MTL",
                "city": "Montréal",
                "province": "QC",
                "country": "CA",
                "role": "primary",
                "personal_information_authorised": True,
                "authorised_since": "2024-04-02",
            }
        ],
        "offers": [
            {
                "code": offer_code(o),
                "name": f"Offre de banc d'essai {o}",
                "category": "courriel",
                "status": "qualified",
                "data_centres": ["MTL"],
                "components": [
                    {
                        "code": component_code(c),
                        "name": f"Composante {c}",
                        "kind": kinds[c % len(kinds)],
                        "description": "",
                    }
                    for c in range(COMPONENTS)
                ],
            }
            for o in range(OFFERS)
        ],
    }


def rows(lines: int, effective_from: date):
    """(offer index, component code, unit, cents, frequency, tier, min qty, months, all units,
    may decrease, basis points): one row per volume tier, every component of every offer."""
    tiers = -(-lines // (OFFERS * COMPONENTS))
    n = 0
    for o in range(OFFERS):
        for c in range(COMPONENTS):
            unit = UNITS[(o + c) % len(UNITS)]
            for t in range(tiers):
                if n == lines:
                    return
                n += 1
                cents = 5000 - t * 3 + c * 11 + o
                yield (
                    o,
                    component_code(c),
                    unit,
                    max(cents, 1),
                    FREQUENCIES[c % len(FREQUENCIES)],
                    t * 100,
                    (o + c) % 50,
                    12 * (c % 4),
                    c % 7 == 0,
                    c % 5 != 0,
                    250 + (c % 4) * 50,
                )


def write_files(
    lines: int, effective_from: date, list_ids: dict[int, int], folder: Path
) -> tuple[Path, Path]:
    """The supplier's CSV file and, for the raw COPY, the same rows in COPY's text format."""
    price_file = folder / "prix.csv"
    copy_file = folder / "copy.tsv"
    day = effective_from.isoformat()
    yes_no = {True: "oui", False: "non"}
    with (
        price_file.open("w", encoding="utf-8", newline="") as out,
        copy_file.open("w", encoding="utf-8") as raw,
    ):
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for o, comp, unit, cents, freq, tier, qty, months, all_units, decrease, bp in rows(
            lines, effective_from
        ):
            writer.writerow(
                [
                    offer_code(o),
                    comp,
                    day,
                    unit,
                    f"{cents // 100},{cents % 100:02d}",
                    freq,
                    tier,
                    qty,
                    months,
                    yes_no[all_units],
                    yes_no[decrease],
                    f"{bp // 100},{bp % 100:02d}",
                ]
            )
            billing = {"mensuelle": "monthly", "annuelle": "yearly", "unique": "upfront"}[freq]
            raw.write(
                f"{list_ids[o]}\t\\N\t{comp}\t{unit}\t{cents}\t{billing}\t{tier}\t{qty}\t{months}"
                f"\t{'t' if all_units else 'f'}\t{'t' if decrease else 'f'}\t{bp}\n"
            )
    return price_file, copy_file


# --- the two measurements ---------------------------------------------------------------------


def checkpoint() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def raw_copy(copy_file: Path) -> float:
    """COPY the prepared rows into catalogue_priceline in one transaction; seconds, commit
    included (the foreign keys are checked at commit, as for the import)."""
    from django.db import connection, transaction

    checkpoint()
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(f"COPY catalogue_priceline ({LINE_COLUMNS}) FROM STDIN") as copy,
        copy_file.open("rb") as data,
    ):
        for block in iter(lambda: data.read(1 << 20), b""):
            copy.write(block)
    return time.perf_counter() - started


def child(import_id: int) -> int:
    """Runs in its own process: the import alone, its time and its peak memory."""
    setup_django()
    from courtier.catalogue.pricefile import importing

    marks: dict[str, float] = {}

    def progress(done: int, total: int, writing: bool = False) -> None:
        if writing:
            marks["checked"] = time.perf_counter()

    started = time.perf_counter()
    result = importing.price_import_run(import_id=import_id, progress=progress)
    ended = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": ended - started,
                "checked_seconds": marks.get("checked", ended) - started,
                "status": result.status,
                "lines": result.lines_imported,
                "errors": result.errors[:5],
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--database", default="courtier_bench_import")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        return child(args.child)

    url = os.environ.get("DATABASE_URL", "")
    name = args.database
    problem = check_target(url, name, "price_import.py")
    if problem:
        return fail(problem)
    if args.lines < 1:
        return fail("--lines must be at least 1.")
    admin(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="courtier-bench-import-"))
    os.environ["DATABASE_URL"] = with_database(url, name)
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["COURTIER_VAR_DIR"] = str(folder / "var")
    setup_django()
    from django.db import connections

    ok = False
    try:
        ok = measure(args.lines, folder)
    finally:
        connections.close_all()
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        folder.rmdir()
        if not args.keep:
            admin(url, f'DROP DATABASE IF EXISTS "{name}"')
            print(f"Database {name} dropped.")
    return 0 if ok else 1


def measure(lines: int, folder: Path) -> bool:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from courtier.accounts.models import Organisation
    from courtier.calendar import selectors as calendar
    from courtier.catalogue.models import PriceLine, PriceList
    from courtier.catalogue.pricefile import uploads
    from courtier.catalogue.services import drafts

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Database migrated in {time.perf_counter() - started:.0f} s")
    today = timezone.localdate()
    month = today.year * 12 + today.month  # next month: always in the future
    effective_from = calendar.first_business_day_of_month(month // 12, month % 12 + 1)
    supplier = Organisation.objects.create(kind="supplier", name="Fournisseur du banc d'essai")
    draft = drafts.sheet_draft_create(by=None, supplier=supplier)
    draft = drafts.sheet_draft_update(by=None, draft=draft, content=sheet_content())
    # The raw COPY's rows go into lists of their own (set aside, so no constraint applies).
    baseline = {
        o: PriceList.objects.create(
            supplier=supplier,
            offer_code=offer_code(o),
            effective_from=effective_from,
            status="discarded",
        ).pk
        for o in range(OFFERS)
    }
    started = time.perf_counter()
    price_file, copy_file = write_files(lines, effective_from, baseline, folder)
    size_mb = price_file.stat().st_size / 1e6
    print(
        f"Generated {grouped(lines)} lines ({size_mb:.1f} MB CSV) in "
        f"{time.perf_counter() - started:.0f} s"
    )

    copy_seconds = raw_copy(copy_file)
    assert PriceLine.objects.count() == lines
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE catalogue_priceline")
    PriceList.objects.filter(pk__in=baseline.values()).delete()
    copy_file.unlink()
    print(f"Raw COPY:  {copy_seconds:7.2f} s  {grouped(lines / copy_seconds):>9} lines/s")

    started = time.perf_counter()
    with price_file.open("rb") as stream:
        created = uploads.price_import_create(
            by=None, draft=draft, name=price_file.name, stream=stream, in_background=False
        )
    store_seconds = time.perf_counter() - started
    checkpoint()
    connections_close()  # the import runs in its own process and connection
    process = subprocess.run(
        [sys.executable, __file__, "--child", str(created.pk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        print(process.stdout, process.stderr, file=sys.stderr)
        raise SystemExit("The import process failed.")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    if result["status"] != "succeeded" or result["lines"] != lines:
        print(json.dumps(result, indent=2, ensure_ascii=False), file=sys.stderr)
        raise SystemExit("The import did not import every line.")
    assert PriceLine.objects.filter(price_list__draft=draft).count() == lines
    seconds = result["seconds"]
    ratio = copy_seconds / seconds
    memory_mb = result["maxrss_kb"] / 1024
    print(
        f"Import:    {seconds:7.2f} s  {grouped(lines / seconds):>9} lines/s  "
        f"(checking and staging {result['checked_seconds']:.2f} s, writing "
        f"{seconds - result['checked_seconds']:.2f} s; storing the file before: "
        f"{store_seconds:.2f} s)"
    )
    ratio_ok = ratio >= TARGET_RATIO
    memory_ok = memory_mb < TARGET_MEMORY_MB
    print(
        f"Ratio raw COPY time / import time: {ratio:.2f} "
        f"(target >= {TARGET_RATIO}) {'PASS' if ratio_ok else 'FAIL'}"
    )
    print(
        f"Peak memory of the import process: {memory_mb:.0f} MB "
        f"(target < {TARGET_MEMORY_MB} MB) {'PASS' if memory_ok else 'FAIL'}"
    )
    return ratio_ok and memory_ok


def connections_close() -> None:
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
