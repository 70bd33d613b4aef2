"""The guided page of a file (DOMAIN §3; 002 §2), one step at a time (``views.steps``): the
step asked for by its URL open with what the file holds and, for who may change it, its forms;
the steps done summarised (their content opens on demand); the steps to come as what they still
miss. A refused form comes back open in its step with the service's French messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.acquisitions import checks, policies, rules, selectors
from courtier.acquisitions.forms import (
    CRITERION_LABELS,
    PARTICIPANT_ROLE_LABELS,
    CandidateAddForm,
    ChoiceForm,
    ComplianceForm,
    EfvpForm,
    FinancialAuthorisationForm,
    HeadAuthorisationForm,
    MeetingForm,
    NeedLineForm,
    NeedsForm,
    QuestionForm,
    RequirementForm,
    TrialForm,
    TrialReportForm,
    cents_to_dollars,
    month_label,
    participants_text,
)
from courtier.acquisitions.models import (
    QUESTION_LABELS,
    AcquisitionFile,
    CandidateOffer,
    DocumentKind,
    Requirement,
)
from courtier.acquisitions.views import steps as file_steps
from courtier.acquisitions.views.chart import _chart
from courtier.acquisitions.views.common import (
    _component_names,
    _meeting_people,
    _member_choices,
    _offer_choices,
    _offers_to_pick,
    _quantities_summary,
)
from courtier.acquisitions.views.steps import has_related as _has
from courtier.acquisitions.workflow import FILE_WORKFLOW
from courtier.catalogue.models import SheetVersion
from courtier.core import standing
from courtier.core.formatting import money
from courtier.documents.models import Document
from courtier.documents.selectors import documents_of


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
                # Each quantity with the month it is (issue 10, point 7).
                "months": [
                    (month_label(m, file.planned_start), q)
                    for m, q in enumerate(need.quantities, start=1)
                ],
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


def _latest_document(user: Any, file: AcquisitionFile, kind: str) -> Document | None:
    """The newest document of this type the file keeps, if the person may read it."""
    return documents_of(user, file).filter(type=kind).first()


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


def _file_page(
    request: HttpRequest,
    file: AcquisitionFile,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    step_number: int | None = None,
    **bound: Any,
) -> HttpResponse:
    """The guided page of a file, ``step_number`` open (by default the current step, or the
    step of the refused form); ``bound`` replaces a section's form by one with errors."""
    user = request.user
    state = file.state
    may_run = selectors.may_run(user, file)
    may_manage = policies.may_manage(user)
    step = file.step
    # Sections shown: every step reached; an abandoned file keeps showing what it holds.
    shown = _reached(file) if state == rules.State.ABANDONED else step
    reached = min(shown, len(rules.STEP_ORDER))
    requested = step_number or file_steps.bound_step(bound)
    workflow_steps = file_steps.file_steps(file, requested=requested, reached=reached)
    context: dict[str, Any] = {
        "file": file,
        "workflow_steps": workflow_steps,
        "open_step": next((s for s in workflow_steps if s.is_open), None),
        "steps": selectors.progress(file),
        "step": step,
        "shown": shown,
        "may_run": may_run,
        "may_manage": may_manage,
        "action_errors": errors or [],
        "audit_url": (
            reverse("audit:event_list") + f"?type=acquisitions.acquisitionfile&id={file.pk}"
            if permissions.has_perm(user, Perm.VIEW_AUDIT)
            else ""
        ),
        "can_go_back": may_run and FILE_WORKFLOW.find(state, rules.Action.GO_BACK) is not None,
        "can_abandon": may_run and FILE_WORKFLOW.find(state, rules.Action.ABANDON) is not None,
    }
    # Step 1: the questionnaire and the consumption plan (DOMAIN §3.1).
    needs_editable = state == rules.State.NEEDS and may_run
    member_choices = _member_choices(user, file) if state == rules.State.NEEDS else []
    context |= {
        "needs_editable": needs_editable,
        "needs_form": bound.get("needs_form") or NeedsForm(initial=NeedsForm.initial_for(file)),
        "need_rows": _need_rows(file, bound.get("need_problems") or {}),
        "plan_problems": bound.get("plan_problems") or [],
        "needs_also": bound.get("needs_also") or [],
        "need_form": bound.get("need_form")
        or NeedLineForm(
            months=file.duration_months,
            starts_on=file.planned_start,
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
    compliant = {c.pk for c in checks.compliant_candidates(file)} if candidates else set()
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
        # Issue 14 §2: each candidate's standing (last evaluations, open complaints), shown to
        # the client building its list of compliant solutions.
        "standings": standing.standings({c.offer.supplier_id for c in candidates}, request.user),
        "candidates_editable": editable,
        "compliance_editable": compliance_editable,
        "any_changed": bool(changed),
        "mark_seen_possible": may_run
        and state in (rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE),
        "candidate_form": bound.get("candidate_form")
        or CandidateAddForm(
            offers=_offers_to_pick(request.user, file) if editable else [],
            auto_id="id_offre_%s",
        ),
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


def _step_4(
    request: HttpRequest,
    file: AcquisitionFile,
    context: dict[str, Any],
    bound: Mapping[str, Any],
    may_run: bool,
) -> None:
    comparison = selectors.comparison(file)
    labels = {n.code: n.label for n in file.needs.all()}
    chosen = checks.chosen_scenario(file)
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
        "comparison_xlsx": _latest_document(request.user, file, DocumentKind.COMPARISON_XLSX),
        "comparison_pdf": _latest_document(request.user, file, DocumentKind.COMPARISON_PDF),
        "choice_editable": editable,
        "chosen": chosen,
        "choice_form": choice_form,
        "own_rule_possible": own_rule,
        "head_needed": checks.head_authorisation_needed(file, chosen),
        "head": head if head and chosen and head.scenario_id == chosen.pk else None,
        "head_criteria": [CRITERION_LABELS.get(c, c) for c in (head.criteria if head else [])],
        "head_form": bound.get("head_form") or HeadAuthorisationForm(auto_id="id_dirigeant_%s"),
        "financial": financial,
        "financial_form": bound.get("financial_form")
        or FinancialAuthorisationForm(initial=financial_initial, auto_id="id_finances_%s"),
        "choice_problems": selectors.transition_problems(file, rules.Action.CONFIRM_CHOICE)
        if editable
        else [],
    }


def _reached(file: AcquisitionFile) -> int:
    """The last step an abandoned file had work in, read from what it holds."""
    if _has(file, "startup_meeting"):
        return 5
    if file.runs.exists():
        return 4
    return 3 if file.candidates.exists() else 1


def _step_5(
    file: AcquisitionFile, context: dict[str, Any], bound: Mapping[str, Any], may_manage: bool
) -> None:
    meeting = file.startup_meeting if _has(file, "startup_meeting") else None
    strategy = file.strategy if _has(file, "strategy") else None
    startup = selectors.startup_view(file) if file.state == rules.State.STARTUP else None
    people = _meeting_people(file) if may_manage and file.state == rules.State.STARTUP else []
    initial: dict[str, Any] = {}
    if meeting is not None:
        # Those already convened are ticked; the others stay as typed guests.
        emails = {p["email"].lower(): str(p["id"]) for p in people}
        convened = [x.get("email", "").lower() for x in meeting.participants]
        picked = [emails[e] for e in convened if e in emails]
        initial = {
            "scheduled_for": timezone.localtime(meeting.scheduled_for),
            "people": picked,
            "participants": participants_text(
                [x for x in meeting.participants if x.get("email", "").lower() not in emails]
            ),
        }
    context |= {
        "startup": startup,
        "meeting": meeting,
        "participant_roles": PARTICIPANT_ROLE_LABELS,
        "meeting_editable": may_manage and file.state == rules.State.STARTUP,
        "meeting_form": bound.get("meeting_form")
        or MeetingForm(initial=initial, people=people, auto_id="id_rencontre_%s"),
        "meeting_held": meeting is not None and meeting.scheduled_for <= timezone.now(),
        "strategy": _strategy_display(strategy) if strategy else None,
    }
