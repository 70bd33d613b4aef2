"""Step 4: the comparison of one run's scenarios as a PDF (002 §2.4.1; issue 4, point 7): its
facts, the ranking, the cumulative-cost chart and the detail of every scenario, each line
saying which yearly increase its price carries (004 §3.4.1). Produced when the scenarios are
computed and again once one is chosen (marked)."""

from __future__ import annotations

import math
from datetime import date
from itertools import accumulate

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.documents.common import (
    Rendered,
    _in_french,
    _iso,
    _Pdf,
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

MAX_CHART_SCENARIOS = 8
# Okabe-Ito colours (readable by colour-blind readers), dashed for the second four.
_CHART_COLOURS = (
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (230, 159, 0),
    (0, 0, 0),
    (117, 112, 179),
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


def _chart(pdf: _Pdf, data: _RunData) -> None:
    """Cumulative cost of each scenario over the contract months: one polyline per scenario and
    a legend (issue 4, point 7)."""
    drawn = _chart_scenarios(data)
    if not drawn:
        return
    months = data.run.months
    series = [[0, *accumulate(s.monthly_cents)] for s in drawn]
    top_value = max(max(values) for values in series)
    step = _nice_step(max(1, -(-top_value // 4)))
    top = step * 4
    if pdf.will_page_break(150):
        pdf.add_page()
    pdf.heading(str(_("Coût cumulatif par scénario")))
    left, width, height = pdf.l_margin + 32, pdf.epw - 36, 85
    y0 = pdf.get_y() + 2
    bottom = y0 + height

    def x(month: float) -> float:
        return left + width * month / months

    def y(cents: int) -> float:
        return bottom - height * cents / top

    pdf.set_font("Helvetica", "", 7)
    pdf.set_line_width(0.1)
    pdf.set_draw_color(200, 200, 200)
    for i in range(5):
        value = step * i
        pdf.line(left, y(value), left + width, y(value))
        pdf.set_xy(pdf.l_margin, y(value) - 2)
        pdf.cell(30, 4, money(value), align="R")
    tick = 1 if months <= 12 else 3 if months <= 24 else 6
    for month in range(0, months + 1, tick):
        pdf.line(x(month), bottom, x(month), bottom + 1.5)
        pdf.set_xy(x(month) - 5, bottom + 1.5)
        pdf.cell(10, 4, str(month), align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(left, y0, left, bottom)
    pdf.line(left, bottom, left + width, bottom)
    pdf.set_xy(left, bottom + 6)
    pdf.cell(width, 4, str(_("Mois du contrat")), align="C")

    pdf.set_line_width(0.6)
    for index, values in enumerate(series):
        pdf.set_draw_color(*_CHART_COLOURS[index])
        if index >= 4:
            pdf.set_dash_pattern(dash=2, gap=1)
        pdf.polyline([(x(m), y(v)) for m, v in enumerate(values)])
        pdf.set_dash_pattern()

    legend_y = bottom + 12
    pdf.set_font("Helvetica", "", 8)
    column_width = pdf.epw / 2
    for index, scenario in enumerate(drawn):
        col, line = index % 2, index // 2
        lx = pdf.l_margin + col * column_width
        ly = legend_y + line * 5
        pdf.set_draw_color(*_CHART_COLOURS[index])
        if index >= 4:
            pdf.set_dash_pattern(dash=2, gap=1)
        pdf.line(lx, ly + 2, lx + 10, ly + 2)
        pdf.set_dash_pattern()
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("choisi")))
        if not scenario.complete:
            notes.append(str(_("incomplet")))
        suffix = f" ({', '.join(notes)})" if notes else ""
        pdf.set_xy(lx + 12, ly)
        pdf.cell(
            column_width - 14,
            4,
            f"{_scenario_label(scenario)} - {money(scenario.total_cents)}{suffix}",
        )
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, legend_y + ((len(drawn) + 1) // 2) * 5 + 2)
    hidden = len([s for s in data.scenarios if s.monthly_cents]) - len(drawn)
    if hidden > 0:
        pdf.paragraph(
            str(_("{n} autre(s) scénario(s) non illustré(s) : voir le tableau.")).format(n=hidden),
            size=8,
        )
    pdf.set_font("Helvetica", "", 10)


def _items_table(pdf: _Pdf, data: _RunData, scenario: Scenario) -> None:
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
    total = money(scenario.total_cents)
    rows.append(["", "", "", str(_("Total")), "", "", "", "", "", "", "", total])
    pdf.grid(
        [
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
        rows,
        widths=[31, 31, 28, 24, 11, 13, 11, 17, 23, 28, 23, 27],
        align=["L", "L", "L", "L", "R", "R", "R", "R", "R", "L", "R", "R"],
        size=7,
    )


@_in_french
def comparison_pdf(run: ScenarioRun) -> Rendered:
    """The choice-support document of one run (002 §2.4.1; issue 4, point 7): its facts, the
    ranking, the cumulative-cost chart and the detail of every scenario."""
    data = _run_data(run)
    file = data.file
    title = comparison_title(data, "PDF")
    heading = str(_("Comparaison des scénarios d'acquisition"))
    pdf = _Pdf(heading, file.reference, landscape=True)
    pdf.title_block(heading, f"{file.reference} - {file.title}")
    pdf.facts(
        [(label, _iso(v) if isinstance(v, date) else str(v)) for label, v in _run_facts(data)]
    )
    pdf.paragraph(
        str(
            _(
                "Article 48 du RCTI (002, section 2.4.3) : le scénario du plus bas prix peut être "
                "retenu sans autre autorisation; tout autre choix d'un organisme assujetti exige "
                "l'autorisation préalable du dirigeant d'organisme."
            )
        ),
        size=8,
    )
    pdf.heading(str(_("Classement")))
    rows = []
    for scenario in data.scenarios:
        difference = _difference(data, scenario)
        notes = []
        if scenario.is_lowest:
            notes.append(str(_("Plus bas prix")))
        if scenario.chosen:
            notes.append(str(_("Choisi")))
        if not scenario.complete:
            notes.append(str(_("Incomplet : {needs}")).format(needs=data.missing(scenario)))
        rows.append(
            [
                str(scenario.rank or "-"),
                scenario.supplier.name,
                data.offers_of(scenario),
                money(scenario.total_cents),
                "" if difference is None else money(difference),
                "; ".join(notes),
            ]
        )
    pdf.grid(
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offres")),
            str(_("Total")),
            str(_("Écart")),
            str(_("Remarques")),
        ],
        rows,
        widths=[14, 55, 80, 34, 34, 50],
        align=["R", "L", "L", "R", "R", "L"],
    )
    _chart(pdf, data)
    for scenario in data.scenarios:  # every scenario, in the ranking's order
        labels = []
        if scenario.is_lowest:
            labels.append(str(_("plus bas prix")))
        if scenario.chosen:
            labels.append(str(_("choisi")))
        if not scenario.complete:
            labels.append(str(_("incomplet")))
        pdf.add_page()
        heading = str(_("Détail du scénario {label}")).format(label=_scenario_label(scenario))
        pdf.heading(f"{heading} ({', '.join(labels)})" if labels else heading)
        pdf.paragraph(data.offers_of(scenario))
        pdf.paragraph(str(INCREASES_EXPLAINED), size=8)
        _items_table(pdf, data, scenario)
    return _pdf(title, f"{file.reference}-comparaison-{run.number}.pdf", pdf)
