"""Step 1: the needs (DOMAIN §3.1; 002 §2.1), kept when the needs are submitted (template
``acquisitions/documents/needs.html``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.acquisitions.documents.common import (
    NOT_SET,
    Rendered,
    _answer,
    _in_french,
    _month_tables,
    _need_kind,
    _pdf,
    _unit,
    _yes_no,
)
from courtier.acquisitions.models import QUESTION_LABELS, AcquisitionFile, FileState, Location
from courtier.core.formatting import quantity
from courtier.core.pdf import Grid


def _first_peak_last(quantities: list[int]) -> list[str]:
    if not quantities:
        return ["", "", ""]
    return [quantity(quantities[0]), quantity(max(quantities)), quantity(quantities[-1])]


@_in_french
def needs_pdf(file: AcquisitionFile) -> Rendered:
    """The step-1 questionnaire with its answers and the consumption plan (DOMAIN §3.1; 002
    §2.1), kept when the needs are submitted."""
    title = str(_("Définition des besoins"))
    answers = file.answers if isinstance(file.answers, dict) else {}
    questionnaire = [
        (
            number,
            str(QUESTION_LABELS.get(question.code, question.code)),
            not question.required,
            _answer(answers.get(question.code)),
        )
        for number, question in enumerate(rules.QUESTIONS, start=1)
    ]
    needs = list(file.needs.prefetch_related("members__member"))
    plan = Grid(
        headers=[
            str(_("Code")),
            str(_("Besoin")),
            str(_("Nature")),
            str(_("Unité")),
            str(_("Premier mois")),
            str(_("Pointe")),
            str(_("Dernier mois")),
        ],
        rows=[
            [n.code, n.label, _need_kind(n.kind), _unit(n.unit), *_first_peak_last(n.quantities)]
            for n in needs
        ],
        numbers=frozenset({4, 5, 6}),
    )
    members = Grid(
        headers=[
            str(_("Besoin")),
            str(_("Organisme membre")),
            str(_("Premier mois")),
            str(_("Pointe")),
            str(_("Dernier mois")),
        ],
        rows=[
            [n.code, row.member.name, *_first_peak_last(row.quantities)]
            for n in needs
            for row in n.members.all()
        ],
        numbers=frozenset({2, 3, 4}),
    )
    context = {
        "file": file,
        "not_set": str(NOT_SET),
        "group_purchase": _yes_no(file.is_group_purchase),
        "state": str(dict(FileState.choices).get(file.state, file.state)),
        "duration": str(_("{n} mois")).format(n=file.duration_months),
        "location": str(dict(Location.choices).get(file.location, file.location)),
        "personal_information": _yes_no(file.personal_information),
        "pi_outside_quebec": _yes_no(file.pi_outside_quebec),
        "efvp": _yes_no(rules.efvp_required(file.personal_information)),
        "efvp_blocks": rules.efvp_blocks_contract(
            file.personal_information, file.pi_outside_quebec
        ),
        "questionnaire": questionnaire,
        "plan": plan if needs else None,
        "month_tables": _month_tables(
            file.planned_start, file.duration_months, [(n.code, n.quantities) for n in needs]
        )
        if needs and file.duration_months
        else [],
        "members": members if members.rows else None,
    }
    return _pdf(
        title,
        f"{file.reference}-besoins.pdf",
        "needs.html",
        context,
        heading=title,
        reference=file.reference,
    )
