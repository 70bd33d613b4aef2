"""The comparison chart of step 4 (002 §2.4.1): the cumulative cost of each scenario month by
month, an inline SVG drawn on the server (no script), with the same data as a table."""

from __future__ import annotations

from typing import Any

from courtier.acquisitions import selectors
from courtier.core.formatting import money

CHART_COLOURS = (
    "#0b4f8a",
    "#b4451f",
    "#2e7d32",
    "#6a1b9a",
    "#7a5c00",
    "#00695c",
    "#ad1457",
    "#37474f",
)
CHART_DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 4 4 4", "6 2")


def _chart(comparison: selectors.Comparison) -> dict[str, Any] | None:
    """The cumulative cost of each scenario month by month, as an inline SVG drawn here (no
    script): polylines over a grid with its axes, a legend, and the same data as a table."""
    rows = [r for r in comparison.rows if r.cumulative_cents]
    if comparison.run is None or not rows:
        return None
    months = max(len(r.cumulative_cents) for r in rows)
    width, height = 760, 380
    left, right, top, bottom = 110, 20, 20, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_ceiling(comparison.max_cents)

    def x(month: int) -> float:
        return round(left + plot_w * month / months, 1)

    def y(cents: int) -> float:
        return round(top + plot_h - plot_h * cents / top_value, 1)

    series = []
    for index, row in enumerate(rows):
        points = [(x(0), y(0))] + [(x(m + 1), y(v)) for m, v in enumerate(row.cumulative_cents)]
        series.append(
            {
                "label": row.scenario.supplier.name,
                "total": money(row.scenario.total_cents),
                "colour": CHART_COLOURS[index % len(CHART_COLOURS)],
                "dash": CHART_DASHES[index % len(CHART_DASHES)],
                "points": " ".join(f"{px},{py}" for px, py in points),
                "legend_y": height + 24 * index,
            }
        )
    step = top_value // 5
    y_ticks = [{"y": y(v), "label": _short_money(v)} for v in range(0, top_value + 1, step)]
    every = 1 if months <= 12 else 3 if months <= 24 else 6
    x_ticks = [{"x": x(m), "label": str(m)} for m in range(0, months + 1, every)]
    table = [
        {
            "month": m + 1,
            "values": [
                money(r.cumulative_cents[m]) if m < len(r.cumulative_cents) else "—" for r in rows
            ],
        }
        for m in range(months)
    ]
    return {
        "width": width,
        "height": height + 24 * len(series) + 10,
        "plot_bottom": top + plot_h,
        "plot_right": left + plot_w,
        "left": left,
        "top": top,
        "axis_label_y": top + plot_h + 40,
        "axis_label_x": left + plot_w / 2,
        "series": series,
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "months": months,
        "table": table,
        "names": [s["label"] for s in series],
    }


def _nice_ceiling(cents: int) -> int:
    """A round top for the chart's scale (a multiple of 5 steps of 1, 2 or 5 × 10^n dollars)."""
    target = max(cents, 100) / 5
    magnitude = 100
    while magnitude * 10 <= target:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= target:
            return magnitude * factor * 5
    return magnitude * 50  # pragma: no cover - the loop above always returns


def _short_money(cents: int) -> str:
    """Axis labels in whole dollars: « 125 000 $ »."""
    return money(cents - cents % 100).replace(",00 ", " ").replace(".00 ", " ")
