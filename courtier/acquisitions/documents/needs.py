"""Step 1: the needs (DOMAIN §3.1; 002 §2.1), kept when the needs are submitted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.acquisitions.documents.common import (
    NOT_SET,
    Rendered,
    _answer,
    _file_facts,
    _in_french,
    _month_tables,
    _need_kind,
    _Pdf,
    _pdf,
    _unit,
    _yes_no,
)
from courtier.acquisitions.models import QUESTION_LABELS, AcquisitionFile, FileState, Location
from courtier.core.formatting import long_date, money


@_in_french
def needs_pdf(file: AcquisitionFile) -> Rendered:
    """The step-1 questionnaire with its answers and the consumption plan (DOMAIN §3.1; 002
    §2.1), kept when the needs are submitted."""
    title = str(_("Définition des besoins"))
    pdf = _Pdf(title, file.reference)
    pdf.title_block(title, f"{file.reference} - {file.title}")
    location = str(dict(Location.choices).get(file.location, file.location))
    efvp = rules.efvp_required(file.personal_information)
    pdf.facts(
        [
            *_file_facts(file),
            (str(_("Achat regroupé")), _yes_no(file.is_group_purchase)),
            (str(_("Étape")), str(dict(FileState.choices).get(file.state, file.state))),
            (str(_("Volet recherché")), file.category.name if file.category_id else str(NOT_SET)),
            (
                str(_("Durée désirée, renouvellements compris")),
                str(_("{n} mois")).format(n=file.duration_months)
                if file.duration_months
                else str(NOT_SET),
            ),
            (
                str(_("Budget disponible")),
                money(file.budget_cents) if file.budget_cents else str(NOT_SET),
            ),
            (
                str(_("Début prévu du contrat")),
                long_date(file.planned_start) if file.planned_start else str(NOT_SET),
            ),
            (str(_("Localisation des données")), location),
            (
                str(_("Renseignements personnels en cause")),
                _yes_no(file.personal_information),
            ),
            (
                str(_("Renseignements personnels communiqués hors Québec")),
                _yes_no(file.pi_outside_quebec),
            ),
            (
                str(_("EFVP requise")),
                _yes_no(efvp)
                + (
                    " - " + str(_("avant tout contrat (art. 70.1 de la Loi sur l'accès)"))
                    if rules.efvp_blocks_contract(file.personal_information, file.pi_outside_quebec)
                    else ""
                ),
            ),
            (
                str(_("Partenaire du fournisseur")),
                file.supplier_partner or str(NOT_SET),
            ),
        ]
    )
    pdf.heading(str(_("Questionnaire")))
    answers = file.answers if isinstance(file.answers, dict) else {}
    for number, question in enumerate(rules.QUESTIONS, start=1):
        label = str(QUESTION_LABELS.get(question.code, question.code))
        required = "" if question.required else " " + str(_("(facultatif)"))
        pdf.paragraph(f"{number}. {label}{required}", bold=True)
        pdf.paragraph(_answer(answers.get(question.code)))
        pdf.ln(1)
    needs = list(file.needs.prefetch_related("members__member"))
    pdf.heading(str(_("Plan de consommation")))
    if not needs:
        pdf.paragraph(str(_("Aucune ligne au plan de consommation.")))
    else:
        pdf.grid(
            [
                str(_("Code")),
                str(_("Besoin")),
                str(_("Nature")),
                str(_("Unité")),
                str(_("Premier mois")),
                str(_("Pointe")),
                str(_("Dernier mois")),
            ],
            [
                [
                    n.code,
                    n.label,
                    _need_kind(n.kind),
                    _unit(n.unit),
                    str(n.quantities[0]) if n.quantities else "",
                    str(max(n.quantities)) if n.quantities else "",
                    str(n.quantities[-1]) if n.quantities else "",
                ]
                for n in needs
            ],
            widths=[22, 50, 30, 32, 16, 14, 16],
            align=["L", "L", "L", "L", "R", "R", "R"],
        )
        if file.duration_months:
            pdf.paragraph(str(_("Quantités par mois du contrat")), bold=True)
            _month_tables(
                pdf,
                file.planned_start,
                file.duration_months,
                [(n.code, n.quantities) for n in needs],
            )
        if file.is_group_purchase:
            pdf.heading(str(_("Consommation des organismes membres")))
            rows = [
                [
                    n.code,
                    row.member.name,
                    str(row.quantities[0]) if row.quantities else "",
                    str(max(row.quantities)) if row.quantities else "",
                    str(row.quantities[-1]) if row.quantities else "",
                ]
                for n in needs
                for row in n.members.all()
            ]
            if rows:
                pdf.grid(
                    [
                        str(_("Besoin")),
                        str(_("Organisme membre")),
                        str(_("Premier mois")),
                        str(_("Pointe")),
                        str(_("Dernier mois")),
                    ],
                    rows,
                    widths=[30, 80, 24, 22, 24],
                    align=["L", "L", "R", "R", "R"],
                )
            else:
                pdf.paragraph(str(_("Aucun organisme membre n'a encore indiqué sa consommation.")))
    return _pdf(title, f"{file.reference}-besoins.pdf", pdf)
