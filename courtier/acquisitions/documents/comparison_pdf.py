"""Step 4: the comparison of one run's scenarios as a PDF (002 §2.4.1; issue 4, point 7): its
facts, the ranking, the cumulative-cost chart and the detail of every scenario, each line
saying which yearly increase its price carries (004 §3.4.1). Produced when the scenarios are
computed and again once one is chosen (marked). Template
``acquisitions/documents/comparison.html``, the chart drawn in inline SVG."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.documents.common import (
    Rendered,
    _in_french,
    _iso,
    _pdf,
    _scenario_label,
)
from courtier.acquisitions.documents.comparison import (
    INCREASE_HEADER,
    INCREASES_EXPLAINED,
    PRICE_HEADER,
    QUANTITY_HEADER,
    SHEET_PRICE_HEADER,
    _difference,
    _item_rows,
    _run_data,
    _run_facts,
    _RunData,
    comparison_title,
    increase_text,
)
from courtier.acquisitions.models import Scenario, ScenarioRun
from courtier.core.formatting import money, quantity
from courtier.core.pdf import Grid

MAX_CHART_SCENARIOS = 8
HIDDEN_SCENARIOS = _("{n} autre(s) scénario(s) non illustré(s) : voir le tableau.")
# Okabe-Ito colours (readable by colour-blind readers), dashed for the second four.
_CHART_COLOURS = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#e69f00",
    "#000000",
    "#7570b3",
)


def _nice_step(value: int) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten) at least ``value``, in cents."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = int(factor * power)
        if step >= value:
            return step
    return 10 * power  # pragma: no cover - the loop always returns


def _chart_scenarios(data: _RunData) -> list[Scenario]:
    """At most 8 scenarios, the best ranked first; the chosen one is always drawn."""
    drawn = [s for s in data.scenarios if s.monthly_cents][:MAX_CHART_SCENARIOS]
    if data.chosen is not None and data.chosen not in drawn:
        drawn = [*drawn[: MAX_CHART_SCENARIOS - 1], data.chosen]
    return drawn


@dataclass(frozen=True)
class Chart:
    """The cumulative-cost chart as the template draws it in SVG: a ``width`` x ``height``
    drawing in user units, its plotting area from ``left`` to ``right`` and ``top`` to
    ``bottom``."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    grid: list[tuple[float, str]]  # (y, amount) of each horizontal line
    ticks: list[tuple[float, str]]  # (x, contract month)
    lines: list[tuple[str, str, bool]]  # (points, colour, dashed)
    legend: list[tuple[str, bool, str]]  # (colour, dashed, label)
    hidden: str  # the scenarios left out, when there are more than 8

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


def _chart(data: _RunData) -> Chart | None:
    """Cumulative cost of each scenario over the contract months: one polyline per scenario and
    a legend (issue 4, point 7)."""
    drawn = _chart_scenarios(data)
    if not drawn:
        return None
    months = max(data.run.months, 1)
    series = [[0, *accumulate(s.monthly_cents)] for s in drawn]
    top_value = max(max(values) for values in series)
    step = _nice_step(max(1, -(-top_value // 4)))
    top_cents = step * 4
    width, height = 1000, 330
    left, right, top, bottom = 130, 985, 10, 290

    def x(month: float) -> float:
        return round(left + (right - left) * month / months, 2)

    def y(cents: int) -> float:
        return round(bottom - (bottom - top) * cents / top_cents, 2)

    tick = 1 if months <= 12 else 3 if months <= 24 else 6
    hidden = len([s for s in data.scenarios if s.monthly_cents]) - len(drawn)
    legend = []
    for index, scenario in enumerate(drawn):
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("choisi")))
        if not scenario.complete:
            notes.append(str(_("incomplet")))
        suffix = f" ({', '.join(notes)})" if notes else ""
        label = f"{_scenario_label(scenario)} - {money(scenario.total_cents)}{suffix}"
        legend.append((_CHART_COLOURS[index], index >= 4, label))
    return Chart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        grid=[(y(step * i), money(step * i)) for i in range(5)],
        ticks=[(x(m), str(m)) for m in range(0, months + 1, tick)],
        lines=[
            (
                " ".join(f"{x(m)},{y(v)}" for m, v in enumerate(values)),
                _CHART_COLOURS[index],
                index >= 4,
            )
            for index, values in enumerate(series)
        ],
        legend=legend,
        hidden=str(_("{n} autre(s) scénario(s) non illustré(s) : voir le tableau.")).format(
            n=hidden
        )
        if hidden > 0
        else "",
    )


def _items_table(data: _RunData, scenario: Scenario) -> Grid:
    rows = [
        [
            item["offer"],
            item["component"],
            item["need"],
            item["kind"],
            str(item["year"]),
            str(item["billed_month"]),
            str(item["months"]),
            quantity(item["quantity"]),
            money(item["sheet_price_cents"]),
            increase_text(item["increase_bp"], item["increases"]),
            " - ".join(dict.fromkeys(money(p) for p in item["year_prices_cents"])),
            money(item["amount_cents"]),
        ]
        for item in _item_rows(data, scenario)
    ]
    rows.append(
        ["", "", "", str(_("Total")), "", "", "", "", "", "", "", money(scenario.total_cents)]
    )
    return Grid(
        headers=[
            str(_("Offre")),
            str(_("Composante")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Année")),
            str(_("Mois facturé")),
            str(_("Mois")),
            str(QUANTITY_HEADER),
            str(SHEET_PRICE_HEADER),
            str(INCREASE_HEADER),
            str(PRICE_HEADER),
            str(_("Montant")),
        ],
        rows=rows,
        numbers=frozenset({4, 5, 6, 7, 8, 10, 11}),
        total=True,
    )


def _labels(scenario: Scenario) -> list[str]:
    labels = []
    if scenario.is_lowest:
        labels.append(str(_("plus bas prix")))
    if scenario.chosen:
        labels.append(str(_("choisi")))
    if not scenario.complete:
        labels.append(str(_("incomplet")))
    return labels


@_in_french
def comparison_pdf(run: ScenarioRun) -> Rendered:
    """The choice-support document of one run (002 §2.4.1; issue 4, point 7): its facts, the
    ranking, the cumulative-cost chart and the detail of every scenario (template
    ``acquisitions/documents/comparison.html``, landscape)."""
    data = _run_data(run)
    file = data.file
    title = comparison_title(data, "PDF")
    heading = str(_("Comparaison des scénarios d'acquisition"))
    ranking = []
    for scenario in data.scenarios:
        difference = _difference(data, scenario)
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("Plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("Choisi")))
        if not scenario.complete:
            notes.append(str(_("Incomplet : {needs}")).format(needs=data.missing(scenario)))
        ranking.append(
            [
                str(scenario.rank or "-"),
                scenario.supplier.name,
                data.offers_of(scenario),
                money(scenario.total_cents),
                "" if difference is None else money(difference),
                "; ".join(notes),
            ]
        )
    details = []
    for scenario in data.scenarios:  # every scenario, in the ranking's order
        labels = _labels(scenario)
        detail = str(_("Détail du scénario {label}")).format(label=_scenario_label(scenario))
        details.append(
            {
                "heading": f"{detail} ({', '.join(labels)})" if labels else detail,
                "offers": data.offers_of(scenario),
                "items": _items_table(data, scenario),
            }
        )
    context = {
        "file": file,
        "facts": [
            (label, _iso(v) if isinstance(v, date) else str(v)) for label, v in _run_facts(data)
        ],
        "ranking": Grid(
            headers=[
                str(_("Rang")),
                str(_("Fournisseur")),
                str(_("Offres")),
                str(_("Total")),
                str(_("Écart")),
                str(_("Remarques")),
            ],
            rows=ranking,
            numbers=frozenset({0, 3, 4}),
        ),
        "chart": _chart(data),
        "details": details,
        "increases_explained": str(INCREASES_EXPLAINED),
    }
    return _pdf(
        title,
        f"{file.reference}-comparaison-{run.number}.pdf",
        "comparison.html",
        context,
        heading=heading,
        reference=file.reference,
        landscape=True,
    )
