"""Importing a supplier's price file into its proposed sheet (issue 3 §4; layout in
docs/fichier-de-prix.md; rows checked by checker.py).

How an import runs (``price_import_run``), so that memory does not grow with the file:
1. The file is read one row at a time; each row is checked (checker.RowChecker) and the good
   ones are written, in batches, to a temporary staging table of this database connection
   (PostgreSQL: ``COPY ... FROM STDIN``; SQLite: ``executemany``). Between batches the import's
   progress is saved (``rows_done``), committed at once so the page can show it.
2. If no row was refused, one transaction locks the draft, replaces its proposed price lists for
   the same offers and dates, and copies the staged rows into ``catalogue_priceline`` with one
   ``INSERT ... SELECT``. The lines' unique constraint finds duplicate rows; only then are they
   looked up (with their line numbers) in the staging table by SQL. Nothing is imported when any
   row is bad: every problem is reported with its line, column and reason (the first
   ``MAX_ERRORS`` kept, all counted).
3. With ``publish=True`` (command line) the draft is published in the same transaction, so the
   prices and the new sheet version appear together or not at all.
"""

from __future__ import annotations

import contextlib
import heapq
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.services import audit_event_record
from courtier.calendar import selectors as calendar
from courtier.catalogue import rules
from courtier.catalogue.messages import (
    DRAFT_CHANGED,
    DRAFT_NOT_EDITABLE,
    PROBLEM_MESSAGES,
    UNEXPECTED,
)
from courtier.catalogue.models import (
    ImportStatus,
    Offer,
    PriceImport,
    PriceLine,
    PriceList,
    PriceListStatus,
    SheetDraft,
)
from courtier.catalogue.pricefile import checker, reader
from courtier.catalogue.pricefile.layout import FileProblem, Problem, RowProblem
from courtier.catalogue.pricefile.limits import sheet_limits
from courtier.catalogue.pricefile.messages import LIMIT_MESSAGES
from courtier.catalogue.pricefile.staging import Staging
from courtier.catalogue.services.drafts import sheet_draft_publish
from courtier.files.models import StoredFile

# At most this many problems are kept for display; all of them are counted.
MAX_ERRORS = 1000
BATCH_ROWS = 10_000  # rows written to the staging table at a time
PROGRESS_SECONDS = 0.5  # at most two progress updates a second
LINE_COLUMNS = (
    "component_code",
    "unit",
    "unit_price_cents",
    "billing_frequency",
    "tier_min_quantity",
    "minimum_quantity",
    "minimum_term_months",
    "all_units_from_signature",
    "may_decrease",
    "max_yearly_increase_bp",
)


def problem_message(problem: RowProblem) -> str:
    params = {"value": "", "column": problem.column, **problem.params}
    template = PROBLEM_MESSAGES.get(problem.problem) or LIMIT_MESSAGES[problem.problem]
    return str(template % params)


def _error(problem: RowProblem) -> dict[str, Any]:
    return {"line": problem.line, "column": problem.column, "message": problem_message(problem)}


# Told (rows read, rows expected) as the file is read, then (rows, rows, writing=True) once the
# lines are being written.
Progress = Callable[..., None]


# --- running an import ------------------------------------------------------------------------


class Refused(Exception):
    """The file is refused: nothing was imported. ``errors`` are the first MAX_ERRORS
    problems as {line, column, message}; ``count`` how many there are in all."""

    def __init__(self, problems: list[RowProblem], count: int | None = None) -> None:
        errors = [_error(p) for p in problems[:MAX_ERRORS]]
        super().__init__(f"{count or len(errors)} problems")
        self.errors = errors
        self.count = len(problems) if count is None else count

    @classmethod
    def because(cls, *messages: Any) -> Refused:
        """A refusal that is not about a row: the draft, or its publication."""
        refused = cls([])
        refused.errors = [{"line": 0, "column": "", "message": str(m)} for m in messages]
        refused.count = len(messages)
        return refused


@dataclass
class _Checked:
    """What the first pass learned about the file (nothing that grows with its rows)."""

    rows: int  # data rows read (blank rows skipped)
    lists: dict[tuple[str, str], int]  # (offer code, ISO date) -> lines
    pairs: set[tuple[str, str]]  # (offer code, component code) used
    problems: list[RowProblem]  # the first MAX_ERRORS
    problem_count: int


def _offers_of(content: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    return {
        offer["code"]: frozenset(c["code"] for c in offer.get("components") or [])
        for offer in content.get("offers", [])
        if isinstance(offer, Mapping) and "code" in offer
    }


@contextlib.contextmanager
def _open(stored: StoredFile) -> Iterator[IO[bytes]]:
    handle = stored.file.storage.open(stored.file.name, "rb")
    try:
        yield getattr(handle, "file", handle)
    finally:
        handle.close()


class _Tracker:
    """Saves the import's progress (committed at once: the first pass runs outside any
    transaction) and tells the caller (the command's progress bar)."""

    def __init__(self, price_import: PriceImport, size: int, progress: Progress | None) -> None:
        self.price_import = price_import
        self.size = max(size, 1)
        self.progress = progress
        self.saved_at = 0.0

    def update(
        self, rows: int, total: int | None, position: int | None, *, final: bool = False
    ) -> None:
        if total is None:  # a CSV file: estimated from the bytes read so far
            total = round(rows * self.size / position) if position else rows
        total = max(total, rows)
        now = time.monotonic()
        if final or now - self.saved_at >= PROGRESS_SECONDS:
            self.saved_at = now
            PriceImport.objects.filter(pk=self.price_import.pk).update(
                rows_done=rows, rows_total=total, progress_at=timezone.now()
            )
        if self.progress is not None:
            self.progress(rows, total)

    def writing(self, rows: int) -> None:
        if self.progress is not None:
            self.progress(rows, rows, writing=True)


def _first_pass(
    stream: IO[bytes],
    staging: Staging,
    offers: Mapping[str, frozenset[str]],
    tracker: _Tracker,
) -> _Checked:
    try:
        source = reader.open_rows(stream, sheet_limits())
        rows = iter(source.rows)
        first = next(rows, None)
        if first is None:
            raise Refused([RowProblem(0, "", Problem.EMPTY_FILE)])
        header, problems = checker.read_header(first[1])
        if problems:
            raise Refused(problems)
        row_checker = checker.RowChecker(
            header, offers=offers, today=timezone.localdate(), closures=calendar.closure_days()
        )
        checked = _Checked(0, {}, set(), [], 0)
        batch: list[Any] = []
        lists, pairs, postgres = checked.lists, checked.pairs, staging.postgres
        for line, cells in rows:
            if postgres:  # the row as COPY text: no conversion left to do
                row, key, row_problems = row_checker.check_copy(line, cells)
            else:
                row, row_problems = row_checker.check(line, cells)
                key = (row.offer_code, row.effective_from, row.component_code) if row else None
            if row is not None:
                batch.append(row)
                offer, day, component = key
                lists[offer, day] = lists.get((offer, day), 0) + 1
                pairs.add((offer, component))
            elif row_problems is None:
                continue  # a blank row
            else:
                checked.problem_count += len(row_problems)
                room = MAX_ERRORS - len(checked.problems)
                checked.problems += row_problems[: max(room, 0)]
            checked.rows += 1
            if checked.rows % BATCH_ROWS == 0:  # bad rows move the progress too
                if batch:
                    staging.write(batch)
                    batch.clear()
                tracker.update(checked.rows, source.total, source.position())
        if batch:
            staging.write(batch)
    except FileProblem as exc:
        raise Refused([exc.problem]) from None
    if checked.rows == 0 and not checked.problems:
        raise Refused([RowProblem(0, "", Problem.EMPTY_FILE)])
    tracker.update(checked.rows, checked.rows, None, final=True)
    return checked


def _merge(
    first: list[RowProblem], second: list[RowProblem]
) -> list[RowProblem]:  # both in line order
    merged = heapq.merge(first, second, key=lambda p: p.line)
    return [p for _, p in zip(range(MAX_ERRORS), merged, strict=False)]


def _write(
    *,
    by: User | None,
    price_import: PriceImport,
    staging: Staging,
    checked: _Checked,
    offers: Mapping[str, frozenset[str]],
    publish: bool,
) -> None:
    """The second step: one transaction replaces the draft's lists and copies the lines."""
    draft = (
        SheetDraft.objects.select_for_update()
        .select_related("supplier")
        .get(pk=price_import.draft_id)
    )
    if draft.status not in rules.EDITABLE_DRAFT_STATES:
        raise Refused.because(DRAFT_NOT_EDITABLE)
    now_offers = _offers_of(draft.content)
    if now_offers != offers and any(
        component not in now_offers.get(offer, ()) for offer, component in checked.pairs
    ):
        raise Refused.because(DRAFT_CHANGED)
    supplier = draft.supplier
    codes = sorted({offer for offer, _ in checked.lists})
    offer_ids = dict(
        Offer.objects.filter(supplier=supplier, code__in=codes).values_list("code", "pk")
    )
    keys = sorted(checked.lists)
    replaced = PriceList.objects.filter(
        draft=draft, status=PriceListStatus.DRAFT, offer_code__in=codes
    ).filter(effective_from__in=sorted({day for _, day in keys}))
    replaced_ids = [
        pk
        for pk, code, day in replaced.values_list("pk", "offer_code", "effective_from")
        if (code, day.isoformat()) in checked.lists
    ]
    PriceLine.objects.filter(price_list_id__in=replaced_ids).delete()
    PriceList.objects.filter(pk__in=replaced_ids).delete()
    created = PriceList.objects.bulk_create(
        PriceList(
            offer_id=offer_ids.get(code),
            supplier=supplier,
            offer_code=code,
            effective_from=date.fromisoformat(day),
            status=PriceListStatus.DRAFT,
            draft=draft,
            line_count=checked.lists[(code, day)],
        )
        for code, day in keys
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {staging.lists}")  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {staging.lists} VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(pl.offer_code, pl.effective_from.isoformat(), pl.pk, pl.offer_id) for pl in created],
        )
        columns = ", ".join(LINE_COLUMNS)
        selected = ", ".join(f"s.{c}" for c in LINE_COLUMNS)
        try:
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO catalogue_priceline (price_list_id, offer_id, {columns}) "  # noqa: S608
                    f"SELECT l.price_list_id, l.offer_id, {selected} FROM {staging.table} s "
                    f"JOIN {staging.lists} l ON l.offer_code = s.offer_code "
                    "AND l.effective_from = s.effective_from"
                )
        except IntegrityError:
            duplicates, count = staging.duplicates(MAX_ERRORS)
            if not duplicates:
                raise
            raise Refused(duplicates, count) from None
    lines = sum(checked.lists.values())
    price_import.status = ImportStatus.SUCCEEDED
    price_import.rows_done = price_import.rows_total = checked.rows
    price_import.lines_imported = lines
    price_import.errors, price_import.error_count = [], 0
    price_import.finished_at = timezone.now()
    price_import.save()
    audit_event_record(
        actor=by,
        action="price_import.succeeded",
        obj=price_import,
        organisation=supplier,
        after={
            "draft": draft.pk,
            "file": price_import.file.name,
            "sha256": price_import.file.sha256,
            "lines": lines,
            "price_lists": [
                {
                    "offer": pl.offer_code,
                    "effective_from": pl.effective_from.isoformat(),
                    "lines": pl.line_count,
                }
                for pl in created
            ],
            "replaced_price_lists": len(replaced_ids),
        },
    )
    if publish:
        try:
            sheet_draft_publish(by=by, draft=draft)
        except ValidationError as exc:
            raise Refused.because(*exc.messages) from None


def record_failure(by: User | None, price_import: PriceImport, refused: Refused, rows: int) -> None:
    price_import.status = ImportStatus.FAILED
    price_import.errors = refused.errors
    price_import.error_count = refused.count
    price_import.lines_imported = 0
    price_import.rows_done = rows
    price_import.rows_total = max(price_import.rows_total, rows)
    price_import.finished_at = timezone.now()
    price_import.save()
    audit_event_record(
        actor=by,
        action="price_import.failed",
        obj=price_import,
        organisation=price_import.draft.supplier,
        after={
            "draft": price_import.draft_id,
            "file": price_import.file.name,
            "sha256": price_import.file.sha256,
            "errors": refused.count,
            "first_errors": price_import.errors[:10],
        },
    )


def price_import_run(
    *, import_id: int, publish: bool = False, progress: Progress | None = None
) -> PriceImport:
    """Check the file row by row and, if every row is good, write its price lists into the
    draft (and publish it with ``publish=True``). Returns the import, succeeded or refused."""
    price_import = PriceImport.objects.select_related("draft__supplier", "file", "created_by").get(
        pk=import_id
    )
    if price_import.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
        return price_import  # already done (a task may be delivered twice)
    by = price_import.created_by
    now = timezone.now()
    PriceImport.objects.filter(pk=import_id).update(
        status=ImportStatus.RUNNING, started_at=now, progress_at=now
    )
    price_import.status = ImportStatus.RUNNING
    price_import.started_at = price_import.progress_at = now
    offers = _offers_of(price_import.draft.content)
    tracker = _Tracker(price_import, price_import.file.size, progress)
    staging = Staging(import_id)
    rows = 0
    try:
        staging.create()
        try:
            if price_import.draft.status not in rules.EDITABLE_DRAFT_STATES:
                raise Refused.because(DRAFT_NOT_EDITABLE)
            with _open(price_import.file) as stream:
                checked = _first_pass(stream, staging, offers, tracker)
            rows = checked.rows
            if checked.problem_count:
                duplicates, count = staging.duplicates(MAX_ERRORS)
                raise Refused(_merge(checked.problems, duplicates), checked.problem_count + count)
            tracker.writing(rows)
            with transaction.atomic():
                _write(
                    by=by,
                    price_import=price_import,
                    staging=staging,
                    checked=checked,
                    offers=offers,
                    publish=publish,
                )
        except Refused as refused:
            with transaction.atomic():
                record_failure(by, price_import, refused, rows)
    except Exception:
        with transaction.atomic():
            record_failure(by, price_import, Refused.because(UNEXPECTED), rows)
        raise
    finally:
        staging.drop()
    price_import.refresh_from_db()
    return price_import
