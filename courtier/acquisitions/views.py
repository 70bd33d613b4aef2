"""Pages of acquisition files (DOMAIN §3; 002 §2): the list, a new file, one guided page per
file through the five steps (questionnaire and consumption plan, candidates from the Catalogue,
compliance grid, questions and trials, scenarios with their comparison and chart, choice and
authorisations, startup meeting and frozen strategy), the file's documents, and the suppliers'
inbox of questions.

Access (courtier.accounts.permissions): a file is seen by its client's people, the member bodies
of a group purchase and the broker's staff; a file another person may not see answers 404. The
client's people who run acquisitions change it (others who see it get 403); the broker's agents
convene the startup meeting and freeze the strategy; suppliers see only the questions addressed
to them. Every POST calls one service: refused, the page comes back with 422 and the service's
French messages; done, it redirects (PRG) with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.acquisitions import engine_inputs, rules, selectors, services
from courtier.acquisitions.forms import (
    CRITERION_LABELS,
    PARTICIPANT_ROLE_LABELS,
    AnswerForm,
    CandidateAddForm,
    ChoiceForm,
    ComplianceForm,
    EfvpForm,
    FileCreateForm,
    FinancialAuthorisationForm,
    HeadAuthorisationForm,
    MappingForm,
    MeetingForm,
    MemberConsumptionForm,
    NeedLineForm,
    NeedsForm,
    QuestionForm,
    RequirementForm,
    TrialForm,
    TrialReportForm,
    cents_to_dollars,
)
from courtier.acquisitions.models import (
    QUESTION_LABELS,
    AcquisitionFile,
    CandidateOffer,
    DocumentKind,
    FileDocument,
    FileState,
    MemberConsumption,
    Requirement,
    SupplierQuestion,
    Trial,
)
from courtier.catalogue.models import Offer, SheetVersion
from courtier.core.formatting import money
from courtier.files.responses import stored_file_response
from courtier.files.uploads import Upload

# Messages shared by the code and the tests.
OFFER_NOT_FOUND = gettext_lazy("Aucune offre du Catalogue ne porte ce numéro ou ce code.")
OFFER_CODE_AMBIGUOUS = gettext_lazy(
    "Plusieurs offres du Catalogue portent ce code : indiquez plutôt le numéro de l'offre."
)
ACTION_UNKNOWN = gettext_lazy("Cette action n'existe pas.")
CONFIRMED_ACTIONS = (rules.Action.GO_BACK, rules.Action.ABANDON)
DONE_MESSAGES = {
    rules.Action.SUBMIT_NEEDS: gettext_lazy(
        "Besoins définis : consultez maintenant le Catalogue (étape 2)."
    ),
    rules.Action.CONFIRM_CANDIDATES: gettext_lazy(
        "Liste des offres établie : documentez la conformité de chacune (étape 3)."
    ),
    rules.Action.CLOSE_COMPLIANCE: gettext_lazy(
        "Liste des solutions conformes close : calculez les scénarios (étape 4)."
    ),
    rules.Action.CONFIRM_CHOICE: gettext_lazy(
        "Choix confirmé : le Courtier a été avisé pour la rencontre de démarrage (étape 5)."
    ),
    rules.Action.GO_BACK: gettext_lazy("Le dossier est revenu à l'étape précédente."),
    rules.Action.ABANDON: gettext_lazy("Le dossier est abandonné."),
}
# One anchor per step of the guided page.
STEP_ANCHORS = {number: f"etape-{number}" for number in range(1, len(rules.STEP_ORDER) + 1)}
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


# --- who may do what ---------------------------------------------------------------------------


def _clients_run_by(user: Any) -> list[Organisation]:
    ids = permissions.grants(user).organisations_with(Perm.RUN_ACQUISITIONS)
    return list(
        Organisation.objects.filter(
            pk__in=ids,
            kind__in=[OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER],
            is_active=True,
        ).order_by("name")
    )


def _member_choices(user: Any, file: AcquisitionFile) -> list[Organisation]:
    """The member bodies this person enters consumption for: all of them for the group
    purchaser's people, their own body for a member's people (seed 003)."""
    if not file.is_group_purchase:
        return []
    members = file.client.members.order_by("name")
    runs = permissions.grants(user).organisations_with(Perm.RUN_ACQUISITIONS)
    if not permissions.has_perm(user, Perm.WRITE):
        return []
    if file.client_id in runs:
        return list(members)
    return [m for m in members if m.pk in runs]


def _url(file: AcquisitionFile, anchor: str = "") -> str:
    url = reverse("acquisitions:file_detail", args=[file.pk])
    return f"{url}#{anchor}" if anchor else url


# --- forms and service errors ------------------------------------------------------------------


def _apply(form: django_forms.Form, exc: ValidationError, field_for: Callable[[str], str]) -> None:
    """A service's refusal shown on the form: each message on its field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        field = field_for(key)
        form.add_error(field if field in form.fields else None, errors)


def _run(
    form: django_forms.Form,
    action: Callable[[dict[str, Any]], Any],
    field_for: Callable[[str], str] = lambda key: key,
) -> tuple[bool, Any]:
    if not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except ValidationError as exc:
        _apply(form, exc, field_for)
        return False, None


def _with_errors(form: django_forms.Form, errors: Mapping[str | None, Any]) -> django_forms.Form:
    """Problems found later (when moving on) shown on an unbound form that keeps its values."""
    form.cleaned_data = {}
    form._errors = ErrorDict()
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)
    return form


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- display helpers ---------------------------------------------------------------------------


def _quantities_summary(quantities: list[int]) -> str:
    if not quantities:
        return "—"
    if len(set(quantities)) == 1:
        return _("%(q)s chaque mois") % {"q": quantities[0]}
    used = [m + 1 for m, q in enumerate(quantities) if q]
    if len(used) <= 3:
        # One-off activities (entry, exit): say when, not a first-to-last trend.
        return _("%(total)s au total, au mois %(months)s") % {
            "total": sum(quantities),
            "months": ", ".join(str(m) for m in used),
        }
    return _("de %(first)s à %(last)s (maximum %(max)s)") % {
        "first": quantities[0],
        "last": quantities[-1],
        "max": max(quantities),
    }


def _answers(file: AcquisitionFile) -> list[dict[str, Any]]:
    """The questionnaire's answers as read on a step already done."""
    answers = file.answers or {}
    rows = []
    for question in rules.QUESTIONS:
        value = answers.get(question.code)
        if isinstance(value, bool):
            value = _("Oui") if value else _("Non")
        rows.append({"label": QUESTION_LABELS[question.code], "value": value or "—"})
    return rows


def _need_rows(file: AcquisitionFile, problems: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for need in file.needs.prefetch_related("members__member"):
        rows.append(
            {
                "need": need,
                "problem": problems.get(need.code, ""),
                "summary": _quantities_summary(need.quantities),
                "listed": " ".join(str(q) for q in need.quantities),
                "members": [
                    {
                        "row": row,
                        "summary": _quantities_summary(row.quantities),
                        "listed": " ".join(str(q) for q in row.quantities),
                    }
                    for row in need.members.all()
                ],
            }
        )
    return rows


@dataclass(frozen=True)
class Cell:
    requirement: Requirement
    record: Any  # ComplianceRecord | None
    form: ComplianceForm | None


def _grid(
    file: AcquisitionFile,
    candidates: list[CandidateOffer],
    editable: bool,
    compliant: set[int],
    bound: Any = None,
) -> list[dict[str, Any]]:
    """Candidates × requirements, each cell with its record and, when it can change, its form."""
    requirements = list(file.requirements.all())
    rows = []
    for candidate in candidates:
        records = {r.requirement_id: r for r in candidate.records.all()}
        cells = []
        for requirement in requirements:
            record = records.get(requirement.pk)
            form = None
            if editable and not requirement.is_automatic:
                form = _cell_form(candidate, requirement, record, bound)
            cells.append(Cell(requirement, record, form))
        rows.append(
            {"candidate": candidate, "cells": cells, "compliant": candidate.pk in compliant}
        )
    return rows


def _cell_form(
    candidate: CandidateOffer, requirement: Requirement, record: Any, bound: Any = None
) -> ComplianceForm:
    if bound is not None and bound[0] == (candidate.pk, requirement.pk):
        return bound[1]
    return ComplianceForm(
        initial={
            "verdict": record.verdict if record else "unknown",
            "note": record.note if record else "",
        },
        auto_id=f"id_cellule_{candidate.pk}_{requirement.pk}_%s",
    )


def _offer_choices(candidates: list[CandidateOffer]) -> list[tuple[int, str]]:
    return [(c.offer_id, f"{c.offer.name} — {c.offer.supplier.name}") for c in candidates]


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


def _comparison_rows(comparison: selectors.Comparison, labels: dict[str, str]) -> list[dict]:
    rows = []
    member_ids = {int(k) for r in comparison.rows for k in (r.scenario.member_shares or {})}
    names = dict(Organisation.objects.filter(pk__in=member_ids).values_list("pk", "name"))
    for row in comparison.rows:
        scenario = row.scenario
        difference = None
        if scenario.complete and comparison.lowest_cents is not None:
            difference = scenario.total_cents - comparison.lowest_cents
        rows.append(
            {
                "scenario": scenario,
                "offers": row.offers,
                "difference": difference,
                "missing": [labels.get(code, code) for code in scenario.missing_needs],
                # Group purchase: each member's share of the total, from its own consumption.
                "shares": sorted(
                    (names.get(int(k), k), cents)
                    for k, cents in (scenario.member_shares or {}).items()
                ),
            }
        )
    return rows


def _latest_document(file: AcquisitionFile, kind: str) -> FileDocument | None:
    return file.documents.filter(kind=kind).order_by("-created_at", "-pk").first()


def _strategy_display(strategy: Any) -> dict[str, Any]:
    content = strategy.content
    version_ids = [o.get("sheet_version") for o in content.get("offers", [])]
    names = dict(
        SheetVersion.objects.filter(pk__in=[v for v in version_ids if v]).values_list("pk", "name")
    )
    offers = []
    for item in content.get("offers", []):
        offers.append(
            {
                "item": item,
                "version_id": item.get("sheet_version"),
                "version_name": names.get(item.get("sheet_version"), ""),
                "components": [
                    {
                        **component,
                        "summary": _quantities_summary(component.get("quantities") or []),
                    }
                    for component in item.get("components", [])
                ],
            }
        )
    return {"strategy": strategy, "content": content, "offers": offers}


# --- the guided page -----------------------------------------------------------------------------


def _file_page(
    request: HttpRequest,
    file: AcquisitionFile,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    **bound: Any,
) -> HttpResponse:
    """The guided page of a file; ``bound`` replaces a section's form by one with errors."""
    user = request.user
    state = file.state
    may_run = selectors.may_run(user, file)
    may_manage = selectors.may_manage(user)
    step = file.step
    # Sections shown: every step reached; an abandoned file keeps showing what it holds.
    shown = _reached(file) if state == rules.State.ABANDONED else step
    context: dict[str, Any] = {
        "file": file,
        "steps": selectors.progress(file),
        "step": step,
        "shown": shown,
        "may_run": may_run,
        "may_manage": may_manage,
        "action_errors": errors or [],
        "documents": file.documents.select_related("stored"),
        "audit_url": (
            reverse("audit:event_list") + f"?type=acquisitions.acquisitionfile&id={file.pk}"
            if permissions.has_perm(user, Perm.VIEW_AUDIT)
            else ""
        ),
        "can_go_back": may_run and rules.transition(state, rules.Action.GO_BACK) is not None,
        "can_abandon": may_run and rules.transition(state, rules.Action.ABANDON) is not None,
    }
    # Step 1: the questionnaire and the consumption plan (DOMAIN §3.1).
    needs_editable = state == rules.State.NEEDS and may_run
    member_choices = _member_choices(user, file) if state == rules.State.NEEDS else []
    context |= {
        "needs_editable": needs_editable,
        "needs_form": bound.get("needs_form") or NeedsForm(initial=NeedsForm.initial_for(file)),
        "need_rows": _need_rows(file, bound.get("need_problems") or {}),
        "plan_problems": bound.get("plan_problems") or [],
        "need_form": bound.get("need_form")
        or NeedLineForm(
            months=file.duration_months,
            group=file.is_group_purchase,
            auto_id="id_ligne_%s",
        ),
        "members": list(file.client.members.order_by("name")) if file.is_group_purchase else [],
        "member_choices": member_choices,
        "answers": _answers(file),
        "efvp_required": rules.efvp_required(file.personal_information),
    }
    if shown >= 2:
        _steps_2_3(request, file, context, bound, may_run)
    if shown >= 4:
        _step_4(request, file, context, bound, may_run)
    if shown >= 5:
        _step_5(file, context, bound, may_manage)
    context["efvp_form"] = bound.get("efvp_form") or EfvpForm(auto_id="id_efvp_%s")
    context["efvp_editable"] = may_run and file.is_open and file.personal_information and step >= 2
    return render(request, "acquisitions/file_detail.html", context, status=status)


def _steps_2_3(
    request: HttpRequest,
    file: AcquisitionFile,
    context: dict[str, Any],
    bound: Mapping[str, Any],
    may_run: bool,
) -> None:
    state = file.state
    candidates = list(
        file.candidates.select_related("offer__supplier", "offer__category", "version_seen")
        .prefetch_related("records")
        .order_by("offer__supplier__name", "offer__name")
    )
    changed = selectors.changed_since_looked(request.user, file) if candidates else {}
    needs = {n.code: n for n in file.needs.all()}
    component_names = _component_names([c.offer_id for c in candidates])
    compliant = {c.pk for c in services.compliant_candidates(file)} if candidates else set()
    listed = []
    for candidate in candidates:
        listed.append(
            {
                "candidate": candidate,
                "changed": changed.get(candidate.pk, []),
                "compliant": candidate.pk in compliant,
                "mapping": [
                    {
                        "need": needs[code].label if code in needs else code,
                        "component": component_names.get(
                            (candidate.offer_id, component), component
                        ),
                    }
                    for code, component in sorted(candidate.mapping.items())
                ],
                "unmapped": [n.label for code, n in needs.items() if code not in candidate.mapping],
            }
        )
    editable = state in (rules.State.CATALOGUE, rules.State.COMPLIANCE) and may_run
    compliance_editable = state == rules.State.COMPLIANCE and may_run
    offers = _offer_choices(candidates)
    trials = list(file.trials.select_related("offer", "report"))
    context |= {
        "candidates": listed,
        "candidates_editable": editable,
        "compliance_editable": compliance_editable,
        "any_changed": bool(changed),
        "mark_seen_possible": may_run
        and state in (rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE),
        "candidate_form": bound.get("candidate_form") or CandidateAddForm(auto_id="id_offre_%s"),
        "requirements": list(file.requirements.all()),
        "requirement_form": bound.get("requirement_form")
        or RequirementForm(auto_id="id_exigence_%s"),
        "grid": _grid(file, candidates, compliance_editable, compliant, bound.get("cell")),
        "questions": selectors.question_rows(file.questions.all()),
        "questions_open": may_run
        and bool(offers)
        and state in (rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE),
        "question_form": bound.get("question_form")
        or QuestionForm(offers=offers, auto_id="id_question_%s"),
        "trials": [
            {
                "trial": trial,
                "days": rules.trial_days(trial.starts_on, trial.ends_on),
                "form": bound["report_form"][1]
                if bound.get("report_form") and bound["report_form"][0] == trial.pk
                else TrialReportForm(auto_id=f"id_rapport_{trial.pk}_%s"),
            }
            for trial in trials
        ],
        "trials_open": editable and bool(offers),
        "trial_form": bound.get("trial_form") or TrialForm(offers=offers, auto_id="id_essai_%s"),
    }


def _component_names(offer_ids: list[int]) -> dict[tuple[int, str], str]:
    from courtier.catalogue.models import Component

    return {
        (offer_id, code): f"{name} ({code})"
        for offer_id, code, name in Component.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "code", "name"
        )
    }


def _step_4(
    request: HttpRequest,
    file: AcquisitionFile,
    context: dict[str, Any],
    bound: Mapping[str, Any],
    may_run: bool,
) -> None:
    comparison = selectors.comparison(file)
    labels = {n.code: n.label for n in file.needs.all()}
    chosen = services.chosen_scenario(file)
    editable = file.state == rules.State.CHOICE and may_run
    complete = [r.scenario for r in comparison.rows if r.scenario.complete]
    own_rule = not file.client.subject_to_rcti
    choice_form = bound.get("choice_form") or ChoiceForm(
        initial={"scenario": chosen.pk if chosen else None, "own_rule": file.own_rule},
        scenarios=[
            (s.pk, f"{s.rank}. {s.supplier.name} — {money(s.total_cents)}") for s in complete
        ],
        own_rule=own_rule,
        auto_id="id_choix_%s",
    )
    head = file.head_authorisation if _has(file, "head_authorisation") else None
    financial = file.financial_authorisation if _has(file, "financial_authorisation") else None
    financial_initial = {
        "amount": cents_to_dollars(
            financial.amount_cents if financial else (chosen.total_cents if chosen else None)
        ),
        "planned_additions": cents_to_dollars(
            financial.planned_additions_cents if financial else 0
        ),
        "authorised_on": financial.authorised_on if financial else timezone.localdate(),
        "authorised_by_name": financial.authorised_by_name if financial else "",
        "reference": financial.reference if financial else "",
    }
    context |= {
        "comparison": comparison,
        "comparison_rows": _comparison_rows(comparison, labels),
        "chart": _chart(comparison),
        "comparison_xlsx": _latest_document(file, DocumentKind.COMPARISON_XLSX),
        "comparison_pdf": _latest_document(file, DocumentKind.COMPARISON_PDF),
        "choice_editable": editable,
        "chosen": chosen,
        "choice_form": choice_form,
        "own_rule_possible": own_rule,
        "head_needed": services.head_authorisation_needed(file, chosen),
        "head": head if head and chosen and head.scenario_id == chosen.pk else None,
        "head_criteria": [CRITERION_LABELS.get(c, c) for c in (head.criteria if head else [])],
        "head_form": bound.get("head_form") or HeadAuthorisationForm(auto_id="id_dirigeant_%s"),
        "financial": financial,
        "financial_form": bound.get("financial_form")
        or FinancialAuthorisationForm(initial=financial_initial, auto_id="id_finances_%s"),
        "choice_problems": services.choice_problems(file) if editable else [],
    }


def _reached(file: AcquisitionFile) -> int:
    """The last step an abandoned file had work in, read from what it holds."""
    if _has(file, "startup_meeting"):
        return 5
    if file.runs.exists():
        return 4
    return 3 if file.candidates.exists() else 1


def _has(file: AcquisitionFile, relation: str) -> bool:
    """Whether the reverse one-to-one ``relation`` (an authorisation, the meeting...) exists."""
    try:
        getattr(file, relation)
    except ObjectDoesNotExist:
        return False
    return True


def _step_5(
    file: AcquisitionFile, context: dict[str, Any], bound: Mapping[str, Any], may_manage: bool
) -> None:
    meeting = file.startup_meeting if _has(file, "startup_meeting") else None
    strategy = file.strategy if _has(file, "strategy") else None
    startup = selectors.startup_view(file) if file.state == rules.State.STARTUP else None
    initial: dict[str, Any] = {}
    if meeting is not None:
        from courtier.acquisitions.forms import participants_text

        initial = {
            "scheduled_for": timezone.localtime(meeting.scheduled_for),
            "participants": participants_text(meeting.participants),
        }
    context |= {
        "startup": startup,
        "meeting": meeting,
        "participant_roles": PARTICIPANT_ROLE_LABELS,
        "meeting_editable": may_manage and file.state == rules.State.STARTUP,
        "meeting_form": bound.get("meeting_form")
        or MeetingForm(initial=initial, auto_id="id_rencontre_%s"),
        "meeting_held": meeting is not None and meeting.scheduled_for <= timezone.now(),
        "strategy": _strategy_display(strategy) if strategy else None,
    }


# --- list, creation, detail, moves --------------------------------------------------------------


def file_list(request: HttpRequest) -> HttpResponse:
    """The files this person sees, the most recently changed first, by step."""
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)
    state = request.GET.get("etape", "")
    if state not in dict(FileState.choices):
        state = ""
    files = selectors.files_for(request.user, state=state or None)
    return render(
        request,
        "acquisitions/file_list.html",
        {
            "files": files,
            "state": state,
            "states": FileState.choices,
            "can_create": bool(_clients_run_by(request.user))
            and permissions.has_perm(request.user, Perm.WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def file_create(request: HttpRequest) -> HttpResponse:
    clients = _clients_run_by(request.user)
    if not clients or not permissions.has_perm(request.user, Perm.WRITE):
        raise PermissionDenied
    group_possible = any(c.kind == OrganisationKind.GROUP_PURCHASER for c in clients)
    form = FileCreateForm(request.POST or None, clients=clients, group_possible=group_possible)
    if request.method == "POST":
        by_pk = {c.pk: c for c in clients}
        ok, file = _run(
            form,
            lambda data: services.file_create(
                by=request.user,
                client=form.only_client or by_pk[data["client"]],
                title=data["title"],
                is_group_purchase=bool(data.get("is_group_purchase")),
            ),
        )
        if ok:
            messages.success(
                request,
                _("Dossier %(ref)s ouvert : répondez au questionnaire de l'étape 1.")
                % {"ref": file.reference},
            )
            return redirect(_url(file, STEP_ANCHORS[1]))
    return render(
        request,
        "acquisitions/file_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, selectors.file_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A move along rules.TRANSITIONS. Going back and abandoning are confirmed first (GET)."""
    file = selectors.file_to_run(request.user, pk)
    if action not in rules.Action.__members__.values() or action == rules.Action.FREEZE_STRATEGY:
        raise Http404
    if request.method == "GET":
        if action not in CONFIRMED_ACTIONS:
            return redirect(_url(file))
        return render(
            request,
            "acquisitions/transition_confirm.html",
            {
                "file": file,
                "action": action,
                "possible": rules.transition(file.state, action) is not None,
                "back_label": dict(FileState.choices).get(rules.STEP_ORDER[file.step - 2], "")
                if 2 <= file.step <= len(rules.STEP_ORDER)
                else "",
            },
        )
    try:
        services.file_transition(by=request.user, file=file, action=action)
    except ValidationError as exc:
        file.refresh_from_db()
        extra: dict[str, Any] = {}
        if action == rules.Action.SUBMIT_NEEDS and file.state == rules.State.NEEDS:
            extra = _needs_refusal(file)
        return _file_page(request, file, status=422, errors=_messages(exc), **extra)
    messages.success(request, str(DONE_MESSAGES[rules.Action(action)]))
    file.refresh_from_db()
    anchor = STEP_ANCHORS.get(file.step, "")
    return redirect(_url(file, anchor))


def _needs_refusal(file: AcquisitionFile) -> dict[str, Any]:
    """Each problem of the questionnaire on its field, and each plan line's on its line."""
    problems = services.needs_problems(file)
    fields: dict[str | None, Any] = {}
    lines: dict[str, str] = {}
    plan: list[str] = []
    for key, message in problems.items():
        if key == "needs":
            plan.append(message)
        elif key.startswith("needs."):
            lines[key.split(".", 1)[1]] = message
        else:
            fields[NeedsForm.field_for(key)] = message
    form = NeedsForm(initial=NeedsForm.initial_for(file))
    return {
        "needs_form": _with_errors(form, fields),
        "need_problems": lines,
        "plan_problems": plan,
    }


def document_download(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """One of the file's documents, to whoever sees the file (DOMAIN §7)."""
    file = selectors.file_for(request.user, pk)
    kept = permissions.get_visible_or_404(
        request.user, FileDocument.objects.select_related("stored"), pk=document, file=file
    )
    return stored_file_response(kept.stored)


# --- step 1 ---------------------------------------------------------------------------------------


@require_POST
def needs_update(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = NeedsForm(request.POST)
    ok, _result = _run(
        form,
        lambda data: services.file_update_needs(
            by=request.user, file=file, **form.service_arguments()
        ),
        NeedsForm.field_for,
    )
    if ok:
        messages.success(request, _("Questionnaire enregistré."))
        return redirect(_url(file, "questionnaire"))
    file.refresh_from_db()
    return _file_page(request, file, status=422, needs_form=form)


@require_http_methods(["GET", "POST"])
def need_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a line to the consumption plan, or change one (?code=...)."""
    file = selectors.file_to_run(request.user, pk)
    code = request.GET.get("code") or ""
    existing = file.needs.filter(code=code).first() if code else None
    if code and existing is None:
        raise Http404
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "code": existing.code,
            "label": existing.label,
            "kind": existing.kind,
            "unit": existing.unit,
            "monthly": " ".join(str(q) for q in existing.quantities),
        }
    form = NeedLineForm(
        request.POST or None,
        initial=initial,
        months=file.duration_months,
        group=file.is_group_purchase,
        editing=existing is not None,
        auto_id="id_ligne_%s",
    )
    if request.method == "POST":
        ok, need = _run(
            form,
            lambda data: services.need_line_save(
                by=request.user, file=file, **form.service_arguments()
            ),
        )
        if ok:
            messages.success(
                request,
                _("Ligne « %(label)s » enregistrée au plan de consommation.")
                % {"label": need.label},
            )
            return redirect(_url(file, "plan"))
    return render(
        request,
        "acquisitions/need_form.html",
        {"file": file, "form": form, "existing": existing},
        status=422 if form.errors else 200,
    )


@require_POST
def need_delete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        services.need_line_delete(by=request.user, file=file, code=code)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(request, _("Ligne retirée du plan de consommation."))
    return redirect(_url(file, "plan"))


@require_http_methods(["GET", "POST"])
def member_consumption(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A member body's own quantities for one line of a group purchase (seed 003)."""
    file = selectors.file_for(request.user, pk)
    need = file.needs.filter(code=code).first()
    if need is None or not file.is_group_purchase:
        raise Http404
    members = _member_choices(request.user, file)
    if not members:
        raise PermissionDenied
    chosen = request.GET.get("membre", "")
    initial: dict[str, Any] = {}
    current = MemberConsumption.objects.filter(
        need=need, member_id=int(chosen) if chosen.isdigit() else members[0].pk
    ).first()
    if current is not None:
        initial = {
            "member": current.member_id,
            "monthly": " ".join(str(q) for q in current.quantities),
        }
    form = MemberConsumptionForm(
        request.POST or None, initial=initial, members=members, months=file.duration_months
    )
    if request.method == "POST":
        by_pk = {m.pk: m for m in members}
        ok, _row = _run(
            form,
            lambda data: services.member_consumption_save(
                by=request.user,
                file=file,
                need_code=need.code,
                member=by_pk[data["member"]],
                quantities=data["quantities"],
            ),
        )
        if ok:
            messages.success(
                request,
                _("Consommation de %(member)s enregistrée pour « %(label)s ».")
                % {"member": by_pk[form.cleaned_data["member"]].name, "label": need.label},
            )
            return redirect(_url(file, "plan"))
    return render(
        request,
        "acquisitions/member_form.html",
        {"file": file, "need": need, "form": form},
        status=422 if form.errors else 200,
    )


# --- steps 2-3 ------------------------------------------------------------------------------------


@require_POST
def candidates_search(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        added = services.candidates_from_catalogue(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    if added:
        messages.success(
            request,
            _("%(n)s offres du Catalogue ajoutées à la liste.") % {"n": len(added)}
            if len(added) > 1
            else _("Une offre du Catalogue ajoutée à la liste."),
        )
    else:
        messages.info(request, _("Aucune autre offre du Catalogue ne répond aux filtres."))
    return redirect(_url(file, "offres"))


def _find_offer(user: Any, text: str) -> Offer:
    offers = permissions.scope(user, Offer.objects.select_related("supplier"))
    text = text.strip()
    if text.isdigit():
        found = offers.filter(pk=int(text)).first()
        if found is not None:
            return found
    matches = list(offers.filter(code__iexact=text)[:2])
    if len(matches) > 1:
        raise ValidationError({"offer": OFFER_CODE_AMBIGUOUS})
    if not matches:
        raise ValidationError({"offer": OFFER_NOT_FOUND})
    return matches[0]


@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = CandidateAddForm(request.POST, auto_id="id_offre_%s")
    ok, candidate = _run(
        form,
        lambda data: services.candidate_add(
            by=request.user, file=file, offer=_find_offer(request.user, data["offer"])
        ),
    )
    if ok:
        messages.success(
            request, _("Offre « %(name)s » ajoutée à la liste.") % {"name": candidate.offer.name}
        )
        return redirect(_url(file, "offres"))
    return _file_page(request, file, status=422, candidate_form=form)


def _candidate(file: AcquisitionFile, pk: int) -> CandidateOffer:
    candidate = (
        CandidateOffer.objects.filter(file=file, pk=pk).select_related("offer", "file").first()
    )
    if candidate is None:
        raise Http404
    return candidate


@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    try:
        services.candidate_remove(by=request.user, candidate=row)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request, _("Offre « %(name)s » retirée de la liste.") % {"name": row.offer.name}
    )
    return redirect(_url(file, "offres"))


@require_POST
def candidates_seen(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        services.candidates_mark_seen(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Modifications prises en compte : la liste suit maintenant les fiches en vigueur."),
    )
    return redirect(_url(file, "offres"))


@require_http_methods(["GET", "POST"])
def candidate_map(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    """Which component of the offer covers which need (002 §2.4.1)."""
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    needs = list(file.needs.all())
    priced = engine_inputs.priced_components([row.offer_id], timezone.localdate()).get(
        row.offer_id, {}
    )
    names = _component_names([row.offer_id])
    components = [(code, names.get((row.offer_id, code), code)) for code in sorted(priced)]
    form = MappingForm(
        request.POST or None,
        initial={f"need_{code}": component for code, component in row.mapping.items()},
        needs=needs,
        components=components,
    )
    if request.method == "POST":
        ok, _result = _run(
            form,
            lambda data: services.candidate_map(
                by=request.user, candidate=row, mapping=form.mapping()
            ),
            lambda key: f"need_{key.split('.', 1)[1]}" if key.startswith("mapping.") else key,
        )
        if ok:
            messages.success(
                request,
                _("Composantes retenues pour « %(name)s » enregistrées.")
                % {"name": row.offer.name},
            )
            return redirect(_url(file, "offres"))
    return render(
        request,
        "acquisitions/mapping_form.html",
        {"file": file, "candidate": row, "form": form, "components": components},
        status=422 if form.errors else 200,
    )


@require_POST
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = RequirementForm(request.POST, auto_id="id_exigence_%s")
    ok, requirement = _run(
        form, lambda data: services.requirement_add(by=request.user, file=file, **data)
    )
    if ok:
        messages.success(request, _("Exigence ajoutée : %(label)s.") % {"label": requirement.label})
        return redirect(_url(file, "conformite"))
    return _file_page(request, file, status=422, requirement_form=form)


@require_POST
def requirement_remove(request: HttpRequest, pk: int, requirement: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = Requirement.objects.filter(file=file, pk=requirement).select_related("file").first()
    if row is None:
        raise Http404
    try:
        services.requirement_remove(by=request.user, requirement=row)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(request, _("Exigence retirée : %(label)s.") % {"label": row.label})
    return redirect(_url(file, "conformite"))


@require_POST
def compliance_cell(
    request: HttpRequest, pk: int, candidate: int, requirement: int
) -> HttpResponse:
    """One cell of the compliance grid: verdict and note. With htmx only the cell comes back."""
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    target = Requirement.objects.filter(file=file, pk=requirement).first()
    if target is None:
        raise Http404
    form = ComplianceForm(request.POST, auto_id=f"id_cellule_{row.pk}_{target.pk}_%s")
    ok, record = _run(
        form,
        lambda data: services.compliance_record(
            by=request.user, candidate=row, requirement=target, **data
        ),
    )
    if getattr(request, "htmx", False):
        # htmx swaps only successful answers: a refused cell comes back with its errors, 200.
        if ok:
            form = _cell_form(row, target, record)
        return render(
            request,
            "acquisitions/_compliance_cell.html",
            {
                "file": file,
                "candidate": row,
                "cell": Cell(target, record, form),
                "saved": ok,
            },
        )
    if ok:
        messages.success(
            request,
            _("Conformité de « %(offer)s » à « %(req)s » : %(verdict)s.")
            % {
                "offer": row.offer.name,
                "req": target.label,
                "verdict": record.get_verdict_display(),
            },
        )
        return redirect(_url(file, "conformite"))
    if target.is_automatic:  # no form in that cell: the refusal goes on top of the page
        messages_ = [str(m) for errors in form.errors.values() for m in errors]
        return _file_page(request, file, status=422, errors=messages_)
    return _file_page(request, file, status=422, cell=((row.pk, target.pk), form))


@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    candidates = list(file.candidates.select_related("offer__supplier"))
    offers = {c.offer_id: c.offer for c in candidates}
    form = QuestionForm(request.POST, offers=_offer_choices(candidates), auto_id="id_question_%s")
    ok, question = _run(
        form,
        lambda data: services.question_ask(
            by=request.user, file=file, offer=offers[data["offer"]], text=data["text"]
        ),
    )
    if ok:
        messages.success(
            request,
            _("Question transmise à %(supplier)s : réponse attendue au plus tard le %(due)s.")
            % {"supplier": question.supplier.name, "due": question.due_on.isoformat()},
        )
        return redirect(_url(file, "questions"))
    return _file_page(request, file, status=422, question_form=form)


@require_POST
def trial_create(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    candidates = list(file.candidates.select_related("offer__supplier"))
    offers = {c.offer_id: c.offer for c in candidates}
    form = TrialForm(request.POST, offers=_offer_choices(candidates), auto_id="id_essai_%s")
    ok, trial = _run(
        form,
        lambda data: services.trial_create(
            by=request.user,
            file=file,
            offer=offers[data["offer"]],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            units=data["units"],
            attestation=data["attestation"],
        ),
    )
    if ok:
        messages.success(
            request, _("Banc d'essai de « %(name)s » enregistré.") % {"name": trial.offer.name}
        )
        return redirect(_url(file, "bancs-essai"))
    return _file_page(request, file, status=422, trial_form=form)


@require_POST
def trial_report(request: HttpRequest, pk: int, trial: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = Trial.objects.filter(file=file, pk=trial).select_related("offer", "file").first()
    if row is None:
        raise Http404
    form = TrialReportForm(request.POST, request.FILES, auto_id=f"id_rapport_{row.pk}_%s")

    def attach(data: dict[str, Any]) -> Trial:
        upload = Upload.from_form(data["report"])
        return services.trial_attach_report(
            by=request.user, trial=row, summary=data["summary"], **upload.as_kwargs()
        )

    ok, _result = _run(form, attach)
    if ok:
        messages.success(request, _("Rapport du banc d'essai joint aux documents du dossier."))
        return redirect(_url(file, "bancs-essai"))
    return _file_page(request, file, status=422, report_form=(row.pk, form))


# --- step 4 -------------------------------------------------------------------------------------


@require_POST
def scenarios_compute(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        run = services.scenarios_compute(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Scénarios calculés (calcul n° %(n)s, prix en vigueur le %(day)s).")
        % {"n": run.number, "day": run.prices_on.isoformat()},
    )
    return redirect(_url(file, "scenarios"))


@require_POST
def scenario_choose(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    run = services.latest_run(file)
    scenarios = {s.pk: s for s in (run.scenarios.select_related("supplier") if run else [])}
    own_rule = not file.client.subject_to_rcti
    form = ChoiceForm(
        request.POST,
        scenarios=[(pk_, s.supplier.name) for pk_, s in scenarios.items() if s.complete],
        own_rule=own_rule,
        auto_id="id_choix_%s",
    )
    ok, chosen = _run(
        form,
        lambda data: services.scenario_choose(
            by=request.user,
            file=file,
            scenario=scenarios[data["scenario"]],
            own_rule=data.get("own_rule") if own_rule else None,
        ),
    )
    if ok:
        messages.success(
            request,
            _("Scénario retenu : %(supplier)s, %(total)s.")
            % {"supplier": chosen.supplier.name, "total": money(chosen.total_cents)},
        )
        return redirect(_url(file, "choix"))
    return _file_page(request, file, status=422, choice_form=form)


@require_POST
def head_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """RCTI art. 48 (002 §2.4.3): the head's prior authorisation of a non-lowest choice."""
    file = selectors.file_to_run(request.user, pk)
    form = HeadAuthorisationForm(request.POST, request.FILES, auto_id="id_dirigeant_%s")

    def record(data: dict[str, Any]) -> Any:
        upload = Upload.from_form(data["document"])
        return services.head_authorisation_record(
            by=request.user,
            file=file,
            criteria=data["criteria"],
            justification=data["justification"],
            head_name=data["head_name"],
            authorised_on=data["authorised_on"],
            document_name=upload.name,
            document=upload.content,
            content_type=upload.content_type,
        )

    ok, _result = _run(form, record)
    if ok:
        messages.success(request, _("Autorisation du dirigeant d'organisme consignée."))
        return redirect(_url(file, "autorisations"))
    return _file_page(request, file, status=422, head_form=form)


@require_POST
def financial_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """002 §2.4.4: the financial authorisation for the total estimated amount."""
    file = selectors.file_to_run(request.user, pk)
    form = FinancialAuthorisationForm(request.POST, auto_id="id_finances_%s")
    ok, auth = _run(
        form,
        lambda data: services.financial_authorisation_record(
            by=request.user, file=file, **form.service_arguments()
        ),
        FinancialAuthorisationForm.field_for,
    )
    if ok:
        messages.success(
            request,
            _("Autorisation financière consignée : %(amount)s.")
            % {"amount": money(auth.amount_cents)},
        )
        return redirect(_url(file, "autorisations"))
    return _file_page(request, file, status=422, financial_form=form)


@require_POST
def efvp(request: HttpRequest, pk: int) -> HttpResponse:
    """The privacy impact assessment is done (DOMAIN §3.1)."""
    file = selectors.file_to_run(request.user, pk)
    form = EfvpForm(request.POST, request.FILES, auto_id="id_efvp_%s")

    def record(data: dict[str, Any]) -> Any:
        upload = Upload.from_form(data["document"])
        return services.efvp_record(
            by=request.user, file=file, done_on=data["done_on"], **upload.as_kwargs()
        )

    ok, _result = _run(form, record, lambda key: "document" if key == "efvp" else key)
    if ok:
        messages.success(request, _("EFVP consignée et jointe aux documents du dossier."))
        return redirect(_url(file, "efvp"))
    return _file_page(request, file, status=422, efvp_form=form)


# --- step 5 -----------------------------------------------------------------------------------


@require_POST
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The broker convenes the startup meeting (002 §2.5); its agenda is written for it."""
    file = selectors.file_to_manage(request.user, pk)
    form = MeetingForm(request.POST, auto_id="id_rencontre_%s")
    ok, _meeting = _run(
        form,
        lambda data: services.startup_meeting_schedule(by=request.user, file=file, **data),
    )
    if ok:
        messages.success(
            request,
            _("Rencontre de démarrage convoquée : les participants ont été avisés par courriel."),
        )
        return redirect(_url(file, "rencontre"))
    return _file_page(request, file, status=422, meeting_form=form)


@require_POST
def strategy_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_manage(request.user, pk)
    try:
        services.strategy_freeze(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Stratégie d'acquisition figée et remise à la préparation du contrat."),
    )
    return redirect(_url(file, "strategie"))


# --- questions to suppliers ---------------------------------------------------------------------


def _inbox_rows(user: Any) -> list[selectors.QuestionRow]:
    rows = selectors.question_rows(selectors.questions_for_supplier(user))
    # The broker's agents see the late ones first, then those still unanswered (004 §3.3.2).
    return sorted(
        rows,
        key=lambda r: (not r.overdue, r.question.answered_at is not None, r.question.due_on),
    )


def _inbox(
    request: HttpRequest, *, status: int = 200, bound: tuple[int, AnswerForm] | None = None
) -> HttpResponse:
    user = request.user
    rows = []
    for row in _inbox_rows(user):
        question = row.question
        may_answer = question.answered_at is None and permissions.can_change(user, question)
        form = None
        if may_answer:
            form = (
                bound[1]
                if bound and bound[0] == question.pk
                else AnswerForm(auto_id=f"id_reponse_{question.pk}_%s")
            )
        rows.append({"row": row, "form": form})
    return render(
        request,
        "acquisitions/questions_inbox.html",
        {
            "rows": rows,
            "late": sum(1 for r in rows if r["row"].overdue),
            "is_broker": permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS),
        },
        status=status,
    )


def _require_inbox(request: HttpRequest) -> None:
    g = permissions.grants(request.user)
    if not (g.anywhere(Perm.ANSWER_QUESTIONS) or g.anywhere(Perm.SEE_ALL_ORGANISATIONS)):
        raise PermissionDenied


def questions_inbox(request: HttpRequest) -> HttpResponse:
    """The questions addressed to the supplier, with their due date and the late ones flagged;
    the broker's staff see every question, late ones first."""
    _require_inbox(request)
    return _inbox(request)


@require_POST
def question_answer(request: HttpRequest, question: int) -> HttpResponse:
    row = permissions.get_visible_or_404(
        request.user, SupplierQuestion.objects.select_related("file", "supplier"), pk=question
    )
    permissions.require_change(request.user, row)
    form = AnswerForm(request.POST, auto_id=f"id_reponse_{row.pk}_%s")
    ok, _result = _run(
        form, lambda data: services.question_answer(by=request.user, question=row, **data)
    )
    if ok:
        messages.success(request, _("Réponse transmise au client."))
        return redirect("acquisitions:questions_inbox")
    return _inbox(request, status=422, bound=(row.pk, form))
