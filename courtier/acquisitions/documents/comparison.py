"""Step 4: the comparison of one run's scenarios (002 §2.4.1; issue 4, point 7), the choice
support kept when the scenarios are computed: what the XLSX and the PDF (``comparison_pdf``)
both read of the run, and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions.documents.common import (
    NOT_SET,
    Rendered,
    _in_french,
    _iso,
    _moment,
    _month_label,
    _need_kind,
    _offer_label,
    _organisation_names,
    _scenario_label,
    _unit,
    _xlsx,
    _xlsx_header,
    _yes_no,
)
from courtier.acquisitions.engine_inputs import priced_components
from courtier.acquisitions.models import AcquisitionFile, Scenario, ScenarioRun
from courtier.acquisitions.pricing_loop import raised  # the engine's own yearly compounding
from courtier.catalogue.models import Component, Offer
from courtier.core.formatting import money, percent_bp
from courtier.core.xlsx import Money, append_row, new_workbook, set_widths

# Sheet names of the comparison workbook (issue 4, point 7: the choice-support document).
SHEET_COMPARISON = _("Comparaison")
SHEET_MONTHLY = _("Mois par mois")
SHEET_DETAIL = _("Détail")
SHEET_PLAN = _("Plan")
SHEET_SHARES = _("Parts des membres")
LINE_KIND_LABELS = {
    "usage": _("Selon le plan de consommation"),
    "minimum_term": _("Durée minimale : mois restants dus"),
}
# A line item bills a year (or the contract, upfront) at its peak quantity; graduated tiers
# make its amount differ from quantity x price: the headers say which quantity and which price.
QUANTITY_HEADER = _("Quantité (pointe)")
PRICE_HEADER = _("Prix unitaire de l'année (1er palier)")
# 004 §3.4.1: a price may rise each contract year by at most the sheet's rate; the engine applies
# that maximum (pricing.py), so a year-3 line costs the sheet's price raised twice: say so.
SHEET_PRICE_HEADER = _("Prix de la fiche (1er palier)")
INCREASE_HEADER = _("Hausse annuelle appliquée")
INCREASE_RATE_HEADER = _("Hausse annuelle maximale")
INCREASES_HEADER = _("Hausses appliquées (années)")
INCREASES_EXPLAINED = _(
    "Hausses annuelles : le prix d'une composante peut augmenter, au début de chaque année du "
    "contrat, d'au plus le taux de sa fiche. Le calcul applique ce maximum (une estimation "
    "prudente) : le prix de l'année n est le prix de la fiche augmenté n - 1 fois, arrondi au "
    "cent."
)
NO_INCREASE = _("aucune")


PER_MONTH_UNITS = {"user_month", "gb_month", "tb_month", "instance_month", "vcpu_month"}


def increase_text(rate_bp: int, times: tuple[int, ...]) -> str:
    """« 3,00 % par année, 2 fois » : which yearly increase a line's price carries (004 §3.4.1);
    an upfront line covering several contract years carries a different number each year."""
    if not rate_bp or not any(times):
        return str(NO_INCREASE)
    if len(times) == 1:
        return str(_("{rate} par année, {times} fois")).format(
            rate=percent_bp(rate_bp), times=times[0]
        )
    return str(_("{rate} par année, de {low} à {high} fois selon l'année")).format(
        rate=percent_bp(rate_bp), low=min(times), high=max(times)
    )


def _years_priced(item: dict[str, Any], unit: str, quantities: list[int], months: int) -> tuple:
    """The contract years (0-based) whose prices a line item adds up: its own year, except for
    an upfront line covering several years, where each month is priced at its own year's price
    (pricing.py) - every month for per-month units, the months used for one-time activities."""
    first = item["billed_month"]
    covered = range(first, min(first + item["months"], months))
    years = sorted({m // 12 for m in covered})
    if item["kind"] != "usage" or len(years) <= 1:
        return (item["year"],)
    if unit not in PER_MONTH_UNITS:
        used = sorted({m // 12 for m in covered if m < len(quantities) and quantities[m] > 0})
        years = used or years
    return tuple(years)


@dataclass(frozen=True)
class _RunData:
    file: AcquisitionFile
    run: ScenarioRun
    scenarios: list[Scenario]
    offers: dict[str, Offer]  # offer key (pk as text) -> offer
    components: dict[tuple[str, str], str]  # (offer key, component code) -> name
    # (offer key, component code) -> (first tier's price in cents, max yearly increase in bp,
    # unit), as in force on the run's prices_on day: what the engine priced.
    sheet_prices: dict[tuple[str, str], tuple[int, int, str]]
    needs: dict[str, Any]  # need code -> NeedLine (labels); may lack a since-removed need
    lowest: Scenario | None
    chosen: Scenario | None

    def offers_of(self, scenario: Scenario) -> str:
        return "; ".join(_offer_label(o) for o in scenario.offers.all())

    def need_label(self, code: str) -> str:
        need = self.needs.get(code)
        return need.label if need is not None else code

    def missing(self, scenario: Scenario) -> str:
        return "; ".join(self.need_label(code) for code in scenario.missing_needs)


def _run_data(run: ScenarioRun) -> _RunData:
    file = AcquisitionFile.objects.select_related("client", "category").get(pk=run.file_id)
    scenarios = list(
        run.scenarios.select_related("supplier")
        .prefetch_related("offers")
        .order_by("rank", "supplier__name", "pk")
    )
    # Complete scenarios by rank first, then the incomplete ones (rank NULL sorts first in
    # PostgreSQL and last in SQLite: order here, the same on both).
    scenarios.sort(key=lambda s: (s.rank is None, s.rank or 0, s.supplier.name, s.pk))
    offer_ids = {o.pk for s in scenarios for o in s.offers.all()}
    offers = {str(o.pk): o for s in scenarios for o in s.offers.all()}
    components = {
        (str(offer_id), code): name
        for offer_id, code, name in Component.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "code", "name"
        )
    }
    sheet_prices = {
        (str(offer_id), code): (
            lines[0].unit_price_cents,
            lines[0].max_yearly_increase_bp,
            lines[0].unit,
        )
        for offer_id, by_code in priced_components(offer_ids, run.prices_on).items()
        for code, lines in by_code.items()
        if lines
    }
    return _RunData(
        file=file,
        run=run,
        scenarios=scenarios,
        offers=offers,
        components=components,
        sheet_prices=sheet_prices,
        needs={n.code: n for n in file.needs.all()},
        lowest=next((s for s in scenarios if s.is_lowest), None),
        chosen=next((s for s in scenarios if s.chosen), None),
    )


def _run_facts(data: _RunData) -> list[tuple[str, Any]]:
    file, run = data.file, data.run
    return [
        (str(_("Dossier")), f"{file.reference} - {file.title}"),
        (str(_("Organisme client")), file.client.name),
        (str(_("Durée")), str(_("{n} mois")).format(n=run.months)),
        (str(_("Début prévu du contrat")), _iso(file.planned_start) or str(NOT_SET)),
        (str(_("Prix en vigueur le")), run.prices_on),
        (str(_("Calcul n°")), run.number),
        (str(_("Calculé le")), _moment(run.computed_at)),
        (
            str(_("Scénario du plus bas prix")),
            f"{data.lowest.supplier.name} - {money(data.lowest.total_cents)}"
            if data.lowest
            else str(_("aucun scénario complet")),
        ),
        (
            str(_("Scénario choisi")),
            f"{data.chosen.supplier.name} - {money(data.chosen.total_cents)}"
            if data.chosen
            else str(_("aucun pour l'instant")),
        ),
    ]


def _difference(data: _RunData, scenario: Scenario) -> int | None:
    if not scenario.complete or data.lowest is None:
        return None
    return scenario.total_cents - data.lowest.total_cents


def _item_rows(data: _RunData, scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's line items in billing order, with the names a reader needs."""
    items = sorted(
        scenario.line_items,
        key=lambda i: (i["billed_month"], i["offer_key"], i["component_code"], i["kind"]),
    )
    rows = []
    for item in items:
        offer = data.offers.get(str(item["offer_key"]))
        sheet_price, rate_bp, unit = data.sheet_prices.get(
            (str(item["offer_key"]), item["component_code"]), (None, 0, "")
        )
        quantities = (data.run.plan.get("needs") or {}).get(item["need"]) or []
        years = _years_priced(item, unit, quantities, data.run.months)
        rows.append(
            {
                "offer": offer.name if offer else str(item["offer_key"]),
                "component": data.components.get(
                    (str(item["offer_key"]), item["component_code"]), item["component_code"]
                ),
                "component_code": item["component_code"],
                "need": data.need_label(item["need"]),
                "kind": str(LINE_KIND_LABELS.get(item["kind"], item["kind"])),
                "year": item["year"] + 1,
                "billed_month": item["billed_month"] + 1,
                "months": item["months"],
                "quantity": item["quantity"],
                "unit_price_cents": item["unit_price_cents"],
                "amount_cents": item["amount_cents"],
                "sheet_price_cents": sheet_price,
                "increase_bp": rate_bp,
                # Contract year n carries n - 1 increases (years are 0-based in the engine).
                "increases": years if rate_bp else (0,),
                # The first tier's price of the year(s) the amount is priced at.
                "year_prices_cents": tuple(
                    raised(sheet_price, rate_bp, y) for y in (years if rate_bp else (0,))
                )
                if sheet_price is not None
                else (item["unit_price_cents"],),
            }
        )
    return rows


def _times_cell(times: tuple[int, ...]) -> int | str:
    return (
        times[0]
        if len(times) == 1
        else str(_("{low} à {high}")).format(low=min(times), high=max(times))
    )


def _prices_cell(prices: tuple[int, ...]) -> Money | str:
    if len(prices) == 1:
        return Money(prices[0])
    return str(_("{low} à {high}")).format(low=money(min(prices)), high=money(max(prices)))


def comparison_title(data: _RunData, kind: str) -> str:
    """The document's title; once a scenario is chosen the comparison is produced again, and its
    title names the choice."""
    title = str(_("Comparaison des scénarios, calcul n° {number} ({kind})")).format(
        number=data.run.number, kind=kind
    )
    if data.chosen is not None:
        title += " - " + str(_("scénario choisi : {s}")).format(s=data.chosen.supplier.name)
    return title


@_in_french
def comparison_xlsx(run: ScenarioRun) -> Rendered:
    """The choice-support workbook of one run (002 §2.4.1; issue 4, point 7): the ranking, the
    amounts month by month and cumulated, every line item, and the plan that was priced."""
    data = _run_data(run)
    file = data.file
    title = comparison_title(data, "XLSX")
    workbook = new_workbook()

    sheet = workbook.create_sheet(str(SHEET_COMPARISON))
    _xlsx_header(sheet, str(_("Comparaison des scénarios d'acquisition")), _run_facts(data))
    append_row(
        sheet,
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offres")),
            str(_("Total")),
            str(_("Écart avec le plus bas prix")),
            str(_("Plus bas prix")),
            str(_("Choisi")),
            str(_("Couvre tous les besoins")),
            str(_("Besoins non couverts")),
        ],
        bold=True,
    )
    top = sheet.max_row
    for scenario in data.scenarios:
        difference = _difference(data, scenario)
        append_row(
            sheet,
            [
                scenario.rank,
                scenario.supplier.name,
                data.offers_of(scenario),
                Money(scenario.total_cents),
                None if difference is None else Money(difference),
                _yes_no(scenario.is_lowest),
                _yes_no(scenario.chosen),
                _yes_no(scenario.complete),
                data.missing(scenario),
            ],
        )
    sheet.freeze_panes = sheet.cell(row=top + 1, column=3)
    set_widths(sheet, [28, 32, 50, 16, 18, 12, 10, 14, 40])

    monthly = workbook.create_sheet(str(SHEET_MONTHLY))
    labels = [_scenario_label(s) for s in data.scenarios]
    append_row(
        monthly,
        [
            str(_("Mois")),
            *(str(_("Mensuel - {s}")).format(s=label) for label in labels),
            *(str(_("Cumulatif - {s}")).format(s=label) for label in labels),
        ],
        bold=True,
    )
    cumulative = [list(accumulate(s.monthly_cents)) for s in data.scenarios]
    for m in range(run.months):
        append_row(
            monthly,
            [
                _month_label(file.planned_start, m),
                *(
                    Money(s.monthly_cents[m]) if m < len(s.monthly_cents) else None
                    for s in data.scenarios
                ),
                *(Money(c[m]) if m < len(c) else None for c in cumulative),
            ],
        )
    append_row(
        monthly,
        [
            str(_("Total")),
            *(Money(s.total_cents) for s in data.scenarios),
            *(Money(c[-1]) if c else None for c in cumulative),
        ],
        bold=True,
    )
    monthly.freeze_panes = "B2"
    set_widths(monthly, [16, *([22] * (2 * len(data.scenarios)))])

    detail = workbook.create_sheet(str(SHEET_DETAIL))
    append_row(
        detail,
        [
            str(_("Rang")),
            str(_("Fournisseur")),
            str(_("Offre")),
            str(_("Composante")),
            str(_("Code")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Année du contrat")),
            str(_("Mois facturé")),
            str(_("Mois couverts")),
            str(QUANTITY_HEADER),
            str(SHEET_PRICE_HEADER),
            str(INCREASE_RATE_HEADER),
            str(INCREASES_HEADER),
            str(PRICE_HEADER),
            str(_("Montant")),
            str(_("Choisi")),
        ],
        bold=True,
    )
    for scenario in data.scenarios:
        for item in _item_rows(data, scenario):
            append_row(
                detail,
                [
                    scenario.rank,
                    scenario.supplier.name,
                    item["offer"],
                    item["component"],
                    item["component_code"],
                    item["need"],
                    item["kind"],
                    item["year"],
                    item["billed_month"],
                    item["months"],
                    item["quantity"],
                    None if item["sheet_price_cents"] is None else Money(item["sheet_price_cents"]),
                    percent_bp(item["increase_bp"]) if item["increase_bp"] else str(NO_INCREASE),
                    _times_cell(item["increases"]),
                    _prices_cell(item["year_prices_cents"]),
                    Money(item["amount_cents"]),
                    _yes_no(scenario.chosen),
                ],
            )
    append_row(detail, [])
    append_row(detail, [str(INCREASES_EXPLAINED)])
    detail.freeze_panes = "C2"
    set_widths(detail, [8, 30, 32, 32, 14, 30, 26, 10, 10, 10, 10, 14, 14, 12, 16, 16, 10])

    plan = workbook.create_sheet(str(SHEET_PLAN))
    append_row(
        plan,
        [
            str(_("Code")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Unité")),
            *(_month_label(file.planned_start, m) for m in range(run.months)),
        ],
        bold=True,
    )
    members = run.plan.get("members") or {}
    member_names = _organisation_names(members.keys())
    for code, quantities in (run.plan.get("needs") or {}).items():
        need = data.needs.get(code)
        append_row(
            plan,
            [
                code,
                data.need_label(code),
                _need_kind(need.kind) if need else "",
                _unit(need.unit) if need else "",
                *quantities,
            ],
        )
        for member, needs in members.items():
            if code in needs:
                append_row(
                    plan,
                    ["", f"  {member_names.get(member, member)}", "", "", *needs[code]],
                )
    plan.freeze_panes = "E2"
    set_widths(plan, [16, 34, 24, 22, *([14] * run.months)])

    if any(s.member_shares for s in data.scenarios):
        shares = workbook.create_sheet(str(SHEET_SHARES))
        member_ids = sorted({m for s in data.scenarios for m in (s.member_shares or {})})
        names = _organisation_names(member_ids)
        append_row(
            shares,
            [str(_("Scénario")), *(names.get(m, m) for m in member_ids), str(_("Total"))],
            bold=True,
        )
        for scenario in data.scenarios:
            values = scenario.member_shares or {}
            append_row(
                shares,
                [
                    _scenario_label(scenario),
                    *(Money(values[m]) if m in values else None for m in member_ids),
                    Money(scenario.total_cents),
                ],
            )
        set_widths(shares, [32, *([22] * len(member_ids)), 18])
    return _xlsx(title, f"{file.reference}-comparaison-{run.number}.xlsx", workbook)
