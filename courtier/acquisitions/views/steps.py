"""The five steps of a file on its page, one at a time (issue 10, point 2; DOMAIN §3), through
the shared pattern of ``courtier.core.steps``: the step asked for by its URL open, the steps
done summarised in a line (what was decided), the steps to come listing what still blocks them
(the guards of ``checks.py``, as the move itself would refuse it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courtier.acquisitions import checks, rules
from courtier.acquisitions.forms import NeedsForm
from courtier.acquisitions.models import AcquisitionFile
from courtier.core.formatting import long_date, money
from courtier.core.steps import StepSpec, StepView, step_views

STEP_SPECS = (
    StepSpec(1, gettext_lazy("1. Définir les besoins"), "acquisitions/_step1.html"),
    StepSpec(2, gettext_lazy("2. Consulter le Catalogue"), "acquisitions/_step2.html"),
    StepSpec(
        3, gettext_lazy("3. Établir la liste des solutions conformes"), "acquisitions/_step3.html"
    ),
    StepSpec(
        4, gettext_lazy("4. Déterminer le choix le plus avantageux"), "acquisitions/_step4.html"
    ),
    StepSpec(5, gettext_lazy("5. Conclure un contrat spécifique"), "acquisitions/_step5.html"),
)
# The move that closes each open step (the guards of its move say what the next one misses).
_CLOSING = {
    1: rules.Action.SUBMIT_NEEDS,
    2: rules.Action.CONFIRM_CANDIDATES,
    3: rules.Action.CLOSE_COMPLIANCE,
    4: rules.Action.CONFIRM_CHOICE,
}
# Each anchor of the page -> the step whose section holds it (redirects after a POST).
ANCHOR_STEPS = {
    "questionnaire": 1,
    "plan": 1,
    "offres": 2,
    "conformite": 3,
    "questions": 3,
    "bancs-essai": 3,
    "scenarios": 4,
    "choix": 4,
    "autorisations": 4,
    "efvp": 4,
    "rencontre": 5,
    "strategie": 5,
    **{f"etape-{n}": n for n in range(1, len(STEP_SPECS) + 1)},
}


def step_url(file: AcquisitionFile, number: int) -> str:
    return reverse("acquisitions:file_step", args=[file.pk, number])


def needs_missing(file: AcquisitionFile) -> list[str]:
    """What keeps step 1 from closing, each problem naming its question, field or plan line."""
    labels = {name: str(field.label) for name, field in NeedsForm().fields.items()}
    lines = {n.code: n.label for n in file.needs.all()}
    named = []
    for key, message in checks.needs_problems(file).items():
        if key == "needs":
            named.append(message)
            continue
        if key.startswith("needs."):
            code = key.split(".", 1)[1]
            label = _("Ligne « %(label)s » du plan") % {"label": lines.get(code, code)}
        else:
            label = labels.get(NeedsForm.field_for(key), key)
        named.append(_("%(label)s : %(message)s") % {"label": label, "message": message})
    return named


def _missing(file: AcquisitionFile, current: int, reached: int) -> dict[int, list[str]]:
    """Step -> what it still waits for: the next step lists the current one's blockers; the
    steps after it wait for the one before them."""
    missing: dict[int, list[str]] = {}
    for number in range(reached + 1, len(STEP_SPECS) + 1):
        if not file.is_open:
            missing[number] = [_("Le dossier est abandonné : il ne peut plus avancer.")]
        elif number == current + 1 and current == 1:
            missing[number] = needs_missing(file)
        elif number == current + 1 and current in _CLOSING:
            missing[number] = _closing_problems(file, current)
        else:
            missing[number] = [_("L'étape %(n)s doit d'abord être terminée.") % {"n": number - 1}]
    return missing


def _closing_problems(file: AcquisitionFile, current: int) -> list[str]:
    if current == 2:
        return checks.candidates_problems(file)
    if current == 3:
        return checks.compliance_problems(file)
    return checks.choice_problems(file)


def _summaries(file: AcquisitionFile, reached: int) -> dict[int, str]:
    """Step -> one line on what was decided there, for the steps that hold work."""
    summaries: dict[int, str] = {}
    lines = file.needs.count()
    months = file.duration_months or 0
    summaries[1] = ", ".join(
        [
            ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months} if months else _("—"),
            ngettext(
                "%(n)s ligne au plan de consommation",
                "%(n)s lignes au plan de consommation",
                lines,
            )
            % {"n": lines},
            _("budget %(amount)s") % {"amount": money(file.budget_cents)}
            if file.budget_cents
            else _("budget non indiqué"),
        ]
    )
    if reached >= 2:
        n = file.candidates.count()
        summaries[2] = ngettext(
            "%(n)s offre retenue pour analyse", "%(n)s offres retenues pour analyse", n
        ) % {"n": n}
    if reached >= 3:
        compliant = len(checks.compliant_candidates(file))
        summaries[3] = ngettext(
            "%(n)s solution conforme", "%(n)s solutions conformes", compliant
        ) % {"n": compliant}
    if reached >= 4:
        chosen = checks.chosen_scenario(file)
        summaries[4] = (
            _("Scénario retenu : %(supplier)s, %(total)s.")
            % {"supplier": chosen.supplier.name, "total": money(chosen.total_cents)}
            if chosen
            else _("Aucun scénario retenu.")
        )
    if reached >= 5:
        summaries[5] = _summary_5(file)
    return summaries


def _summary_5(file: AcquisitionFile) -> str:
    strategy = file.strategy if has_related(file, "strategy") else None
    if strategy is not None:
        return _("Stratégie d'acquisition figée le %(day)s.") % {
            "day": long_date(strategy.frozen_at)
        }
    if has_related(file, "startup_meeting"):
        return _("Rencontre de démarrage convoquée pour le %(day)s.") % {
            "day": long_date(file.startup_meeting.scheduled_for)
        }
    return _("Rencontre de démarrage à convoquer.")


def has_related(file: AcquisitionFile, relation: str) -> bool:
    """Whether the reverse one-to-one ``relation`` (an authorisation, the meeting...) exists."""
    try:
        getattr(file, relation)
    except ObjectDoesNotExist:
        return False
    return True


def file_steps(file: AcquisitionFile, *, requested: int | None, reached: int) -> list[StepView]:
    """The five steps of the file as the page shows them."""
    current = file.step if file.is_open else 0
    return step_views(
        STEP_SPECS,
        current=current,
        reached=reached,
        requested=requested,
        url_for=lambda number: step_url(file, number),
        summaries=_summaries(file, reached),
        missing=_missing(file, current, reached),
    )


def bound_step(bound: Mapping[str, Any]) -> int | None:
    """The step whose form came back refused (its section opens with the errors)."""
    for names, number in (
        (("needs_form", "need_form", "need_problems", "plan_problems"), 1),
        (("candidate_form",), 2),
        (("requirement_form", "cell", "question_form", "trial_form", "report_form"), 3),
        (("choice_form", "head_form", "financial_form", "efvp_form"), 4),
        (("meeting_form",), 5),
    ):
        if any(bound.get(name) for name in names):
            return number
    return None
