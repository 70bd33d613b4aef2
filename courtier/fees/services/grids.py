"""The broker's fee grid (issue 15 §1; 001 §9.1: tariffs may change without notice): its admin
prepares a new version (its lines checked: every amount covered once per type of fee), then
publishes it from an effective date, today or later. A published grid never changes, and no
invoice issued under an earlier grid changes with it; its PDF is rendered after the commit and
published among the Catalogue's supporting documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from courtier.fees import messages, rules
from courtier.fees.models import FeeGrid, FeeGridLine, FeeType, GridState
from courtier.fees.services.common import record, require_grid_keeper

PROBLEM_MESSAGES = {
    rules.GridProblem.EMPTY: messages.GRID_EMPTY,
    rules.GridProblem.NEGATIVE: messages.LINE_NEGATIVE,
    rules.GridProblem.RATE: messages.LINE_RATE,
    rules.GridProblem.BOUNDS: messages.LINE_BOUNDS,
    rules.GridProblem.START: messages.LINE_START,
    rules.GridProblem.GAP: messages.LINE_GAP,
    rules.GridProblem.OPEN_END: messages.LINE_OPEN_END,
    rules.GridProblem.NOTHING: messages.LINE_NOTHING,
    rules.GridProblem.TOO_MANY: messages.GRID_TOO_MANY,
}


def snapshot(grid: FeeGrid) -> dict[str, Any]:
    return {
        "version": grid.version,
        "effective_on": grid.effective_on.isoformat(),
        "state": grid.state,
        "notes": grid.notes,
        "lines": [
            f"{line.fee_type} [{line.from_cents}, {line.to_cents or '∞'}) "
            f"{line.flat_cents} ¢ + {line.rate_bp} pb"
            for line in grid.lines.all()
        ],
    }


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    return int(value)


def _checked_lines(given: Iterable[Mapping[str, Any]]) -> list[rules.GridLine]:
    """The grid's lines from dicts (fee_type, from_cents, to_cents, flat_cents, rate_bp),
    refused with one message per problem under « lines »."""
    lines: list[rules.GridLine] = []
    problems: list[str] = []
    for n, row in enumerate(given, start=1):
        fee_type = str(row.get("fee_type") or "")
        if fee_type not in FeeType.values:
            problems.append(f"{n} : {messages.FEE_TYPE_INVALID}")
            continue
        try:
            lines.append(
                rules.GridLine(
                    fee_type=fee_type,
                    from_cents=_int(row.get("from_cents")) or 0,
                    to_cents=_int(row.get("to_cents")),
                    flat_cents=_int(row.get("flat_cents")) or 0,
                    rate_bp=_int(row.get("rate_bp")) or 0,
                )
            )
        except (TypeError, ValueError):
            problems.append(f"{n} : {messages.AMOUNT_INVALID}")
    if not problems:
        labels = dict(FeeType.choices)
        for fee_type, found in sorted(rules.grid_problems(lines).items()):
            for problem in sorted(found):
                message = str(PROBLEM_MESSAGES[problem]).format(limit=rules.MAX_LINES_PER_GRID)
                problems.append(f"{labels[fee_type]} : {message}" if fee_type else message)
    if problems:
        raise ValidationError({"lines": problems})
    return lines


def _write_lines(grid: FeeGrid, lines: list[rules.GridLine]) -> None:
    grid.lines.all().delete()
    FeeGridLine.objects.bulk_create(
        FeeGridLine(
            grid=grid,
            fee_type=line.fee_type,
            from_cents=line.from_cents,
            to_cents=line.to_cents,
            flat_cents=line.flat_cents,
            rate_bp=line.rate_bp,
        )
        for line in lines
    )


def _check_effective(effective_on: date | None, today: date) -> None:
    if effective_on is None or effective_on < today:
        raise ValidationError({"effective_on": messages.GRID_EFFECTIVE_PAST})


@transaction.atomic
def fee_grid_create(
    *,
    by: Any,
    effective_on: date,
    lines: Iterable[Mapping[str, Any]],
    notes: str = "",
    today: date | None = None,
) -> FeeGrid:
    """A new version of the grid, in preparation (its lines checked now)."""
    if by is not None:
        require_grid_keeper(by)
    today = today or timezone.localdate()
    _check_effective(effective_on, today)
    checked = _checked_lines(lines)
    # The versions are numbered under a lock of the table's last row (one at a time).
    last = FeeGrid.objects.select_for_update().order_by("-version").first()
    version = (last.version if last else 0) + 1
    grid = FeeGrid.objects.create(
        version=version, effective_on=effective_on, notes=notes.strip(), created_by=by
    )
    _write_lines(grid, checked)
    record(by, "fee_grid.created", grid, None, None, snapshot(grid))
    return grid


def _lock(grid: FeeGrid) -> FeeGrid:
    return FeeGrid.objects.select_for_update().get(pk=grid.pk)


@transaction.atomic
def fee_grid_update(
    *,
    by: Any,
    grid: FeeGrid,
    effective_on: date,
    lines: Iterable[Mapping[str, Any]],
    notes: str = "",
    today: date | None = None,
) -> FeeGrid:
    """A grid in preparation changes; a published one never does (a new version instead)."""
    require_grid_keeper(by)
    locked = _lock(grid)
    if locked.state != GridState.DRAFT:
        raise ValidationError({"grid": messages.GRID_NOT_DRAFT})
    _check_effective(effective_on, today or timezone.localdate())
    checked = _checked_lines(lines)
    before = snapshot(locked)
    locked.effective_on, locked.notes = effective_on, notes.strip()
    locked.save(update_fields=["effective_on", "notes"])
    _write_lines(locked, checked)
    record(by, "fee_grid.updated", locked, None, before, snapshot(locked))
    return locked


@transaction.atomic
def fee_grid_publish(*, by: Any, grid: FeeGrid, today: date | None = None) -> FeeGrid:
    """Publish the grid from its effective date (today or later; 001 §9.1: without notice):
    from that day, what is billed is billed at it. Its PDF joins the Catalogue's supporting
    documents after the commit."""
    if by is not None:
        require_grid_keeper(by)
    locked = _lock(grid)
    if locked.state != GridState.DRAFT:
        raise ValidationError({"grid": messages.GRID_NOT_DRAFT})
    _check_effective(locked.effective_on, today or timezone.localdate())
    _checked_lines([line.__dict__ for line in (row.as_rule() for row in locked.lines.all())])
    if FeeGrid.objects.filter(state=GridState.PUBLISHED, effective_on=locked.effective_on).exists():
        raise ValidationError({"effective_on": messages.GRID_EFFECTIVE_TAKEN})
    locked.state, locked.published_at = GridState.PUBLISHED, timezone.now()
    locked.save(update_fields=["state", "published_at"])
    record(by, "fee_grid.published", locked, None, {"state": GridState.DRAFT}, snapshot(locked))
    from courtier.fees.tasks import grid_document_publish

    by_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: grid_document_publish.enqueue(locked.pk, by_id))
    return locked


def next_version() -> int:
    return (FeeGrid.objects.aggregate(n=Max("version"))["n"] or 0) + 1
