"""The versions of the evaluation grid (002 §4.8: « le gabarit de grille », held as data): the
broker's admins and agents publish a new version (criteria with their weights summing to 100 %,
a scale); a version is never changed, the campaigns keep the one current at their opening."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from courtier.evaluations import messages, rules
from courtier.evaluations.models import GridCriterion, GridVersion
from courtier.evaluations.services.common import _now, _record, require_broker

ACTION = "evaluation_grid.published"


def current_grid() -> GridVersion | None:
    """The latest version (002 §4.8: the campaigns open on it)."""
    return GridVersion.objects.order_by("-number").first()


def _weight(value: Any) -> Decimal:
    try:
        return Decimal(str(value).replace(",", ".").strip() or "0")
    except InvalidOperation:
        return Decimal(0)


@transaction.atomic
def grid_version_publish(
    *,
    by: Any,
    criteria: Sequence[dict[str, Any]],
    scale_min: int = rules.DEFAULT_SCALE[0],
    scale_max: int = rules.DEFAULT_SCALE[1],
    note: str = "",
) -> GridVersion:
    """A new version of the grid, numbered after the last one; ``criteria`` in order, each
    ``{"label", "weight"[, "key"]}`` (the key made from the label when not given). Checked by
    rules.grid_problems (002 §4.8): weights positive, summing to exactly 100."""
    require_broker(by)
    GridVersion.objects.select_for_update().count()  # one publication at a time
    number = (GridVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    rows = [
        rules.Criterion(
            key=(c.get("key") or slugify(c.get("label") or "")[:40]).strip(),
            label=(c.get("label") or "").strip()[:200],
            weight=_weight(c.get("weight")),
        )
        for c in criteria
        if (c.get("label") or "").strip() or str(c.get("weight") or "").strip()
    ]
    grid = rules.Grid(number, tuple(rows), int(scale_min), int(scale_max))
    problems = [str(messages.GRID_PROBLEMS[p]) for p in rules.grid_problems(grid)]
    if len(rows) > rules.MAX_CRITERIA:
        problems.append(str(messages.TOO_MANY_CRITERIA).format(limit=rules.MAX_CRITERIA))
    if problems:
        raise ValidationError({"criteria": problems})
    version = GridVersion.objects.create(
        number=number,
        scale_min=grid.scale_min,
        scale_max=grid.scale_max,
        note=(note or "").strip()[: rules.MAX_COMMENT_LENGTH],
        published_at=_now(),
        published_by=by,
    )
    GridCriterion.objects.bulk_create(
        [
            GridCriterion(version=version, key=c.key, label=c.label, weight=c.weight, order=i)
            for i, c in enumerate(rows, start=1)
        ]
    )
    after = {
        "version": number,
        "scale": f"{grid.scale_min}-{grid.scale_max}",
        "criteria": "; ".join(f"{c.label} ({c.weight} %)" for c in rows),
    }
    _record(by, ACTION, version, None, None, after)
    return version
