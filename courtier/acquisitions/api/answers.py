"""The acquisitions API's answers built from the models: a file with everything it holds as one
person may read it, and each of its parts (candidates, trials, runs and scenarios, documents,
the strategy)."""

from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.urls import reverse

from courtier.accounts.models import Organisation
from courtier.acquisitions import checks, rules, selectors
from courtier.acquisitions.messages import PREREQUISITE_MESSAGES
from courtier.acquisitions.models import (
    AcquisitionFile,
    CandidateOffer,
    NeedLine,
    Scenario,
    ScenarioRun,
    Trial,
)
from courtier.catalogue.models import Offer
from courtier.documents.models import Document
from courtier.documents.selectors import documents_of


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def _offer(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "code": offer.code,
        "name": offer.name,
        "supplier": _ref(offer.supplier),
        "status": offer.status,
        "version_id": offer.version_id,
    }


def _version(version: Any) -> dict[str, Any]:
    return {"id": version.pk, "name": version.name, "published_on": version.published_on}


def _candidate(candidate: CandidateOffer, changed: Mapping[int, list[Any]]) -> dict[str, Any]:
    records = list(candidate.records.all())
    return {
        "id": candidate.pk,
        "offer": _offer(candidate.offer),
        "version_seen": _version(candidate.version_seen),
        "looked_at": candidate.looked_at,
        "mapping": dict(candidate.mapping),
        "compliance": [
            {
                "requirement_id": r.requirement_id,
                "verdict": r.verdict,
                "note": r.note,
                "updated_at": r.updated_at,
            }
            for r in sorted(records, key=lambda r: r.requirement_id)
        ],
        "compliant": rules.is_compliant([r.verdict for r in records]),
        "changed_since": [_version(v) for v in changed.get(candidate.pk, [])],
    }


def _candidates(file: AcquisitionFile) -> list[CandidateOffer]:
    return list(
        file.candidates.select_related("offer__supplier", "version_seen").prefetch_related(
            "records"
        )
    )


def _questions(questions: Any) -> Any:
    """Questions with what their answer shows, unanswered first, then by due date."""
    return questions.select_related("file__client", "supplier", "offer").order_by(
        *selectors.QUESTION_ORDER
    )


def _trial(trial: Trial) -> dict[str, Any]:
    return {
        "id": trial.pk,
        "offer": _ref(trial.offer),
        "starts_on": trial.starts_on,
        "ends_on": trial.ends_on,
        "days": rules.trial_days(trial.starts_on, trial.ends_on),
        "units": trial.units,
        "attestation": trial.attestation,
        "report_document_id": trial.report_id,
        "report_summary": trial.report_summary,
    }


def _members(scenario: Scenario, names: Mapping[int, Any]) -> list[dict[str, Any]] | None:
    if not scenario.member_shares:
        return None
    shares = []
    for key, cents in sorted(scenario.member_shares.items(), key=lambda kv: int(kv[0])):
        organisation = names.get(int(key))
        name = organisation.name if organisation is not None else str(key)
        shares.append({"member": {"id": int(key), "name": name}, "amount_cents": cents})
    return shares


def _scenario(scenario: Scenario, names: Mapping[int, Any]) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "rank": scenario.rank,
        "supplier": _ref(scenario.supplier),
        "offers": [_ref(o) for o in sorted(scenario.offers.all(), key=lambda o: o.pk)],
        "versions": dict(scenario.versions),
        "complete": scenario.complete,
        "missing_needs": list(scenario.missing_needs),
        "total_cents": scenario.total_cents,
        "monthly_cents": list(scenario.monthly_cents),
        "cumulative_cents": list(accumulate(scenario.monthly_cents)),
        "line_items": list(scenario.line_items),
        "member_shares": _members(scenario, names),
        "is_lowest": scenario.is_lowest,
        "chosen": scenario.chosen,
        "chosen_at": scenario.chosen_at,
    }


def _member_names(scenarios: list[Scenario]) -> dict[int, Organisation]:
    ids = {int(k) for s in scenarios for k in (s.member_shares or {})}
    return Organisation.objects.in_bulk(list(ids)) if ids else {}


def _run(run: ScenarioRun) -> dict[str, Any]:
    scenarios = list(
        run.scenarios.select_related("supplier")
        .prefetch_related("offers")
        .order_by("rank", "supplier__name", "pk")
    )
    names = _member_names(scenarios)
    # Complete scenarios by rank first, then the incomplete ones (no rank).
    scenarios.sort(key=lambda s: (s.rank is None, s.rank or 0, s.supplier.name, s.pk))
    lowest = next((s.total_cents for s in scenarios if s.is_lowest), None)
    return {
        "id": run.pk,
        "number": run.number,
        "computed_at": run.computed_at,
        "prices_on": run.prices_on,
        "months": run.months,
        "lowest_cents": lowest,
        "stale": checks.scenarios_stale(run.file, run),
        "scenarios": [_scenario(s, names) for s in scenarios],
    }


def _document(file: AcquisitionFile, document: Document) -> dict[str, Any]:
    version = document.current
    return {
        "id": document.pk,
        "kind": document.type,
        "title": document.title,
        "name": version.name,
        "content_type": version.content_type,
        "size": version.size,
        "sha256": version.sha256,
        "version": version.number,
        "disposal_on": document.disposal_on,
        "disposal_pending": document.disposal_pending,
        "available": version.stored_id is not None,
        "created_at": document.created_at,
        "download_url": reverse("api:acquisition_document", args=[file.pk, document.pk]),
    }


def _strategy(file: AcquisitionFile) -> dict[str, Any] | None:
    strategy = _one_to_one(file, "strategy")
    if strategy is None:
        return None
    return {
        "id": strategy.pk,
        "supplier": _ref(strategy.supplier),
        "duration_months": strategy.duration_months,
        "total_cents": strategy.total_cents,
        "content": strategy.content,
        "frozen_at": strategy.frozen_at,
    }


def _one_to_one(file: AcquisitionFile, name: str) -> Any:
    try:
        return getattr(file, name)
    except ObjectDoesNotExist:  # nothing recorded yet
        return None


def _detail(request: HttpRequest, file: AcquisitionFile) -> dict[str, Any]:
    """Everything the file holds, as one person may read it."""
    file = AcquisitionFile.objects.select_related("client", "category").get(pk=file.pk)
    user = request.user
    documents = list(documents_of(user, file))
    changed = selectors.changed_since_looked(user, file)
    run = checks.latest_run(file)
    chosen = checks.chosen_scenario(file)
    head = _one_to_one(file, "head_authorisation")
    financial = _one_to_one(file, "financial_authorisation")
    meeting = _one_to_one(file, "startup_meeting")
    startup = selectors.startup_view(file)
    action = selectors.next_action(file)
    blocking = selectors.transition_problems(file, action) if action else []
    missing = checks.missing_prerequisites(file)
    lines = list(file.needs.prefetch_related("members__member"))
    return {
        "id": file.pk,
        "reference": file.reference,
        "title": file.title,
        "client": _ref(file.client),
        "is_group_purchase": file.is_group_purchase,
        "state": file.state,
        "state_label": str(file.get_state_display()),
        "step": file.step,
        "created_at": file.created_at,
        "updated_at": file.updated_at,
        "progress": [
            {"number": s.number, "label": s.label, "status": s.status}
            for s in selectors.progress(file)
        ],
        "next_action": action,
        "next_action_problems": blocking,
        "group_members": [_ref(m) for m in file.client.members.order_by("name")]
        if file.is_group_purchase
        else [],
        "needs": {
            "category": file.category.code if file.category_id else None,
            "duration_months": file.duration_months,
            "budget_cents": file.budget_cents,
            "planned_start": file.planned_start,
            "location": file.location,
            "personal_information": file.personal_information,
            "pi_outside_quebec": file.pi_outside_quebec,
            "supplier_partner": file.supplier_partner,
            "answers": dict(file.answers or {}),
            "efvp_required": rules.efvp_required(file.personal_information),
            "efvp_required_before_contract": rules.efvp_blocks_contract(
                file.personal_information, checks.stores_outside_quebec(file, chosen)
            ),
            "efvp_done_on": file.efvp_done_on,
        },
        "need_lines": [
            {
                "code": n.code,
                "label": n.label,
                "kind": n.kind,
                "unit": n.unit,
                "quantities": list(n.quantities),
                "members": [
                    {"member": _ref(m.member), "quantities": list(m.quantities)}
                    for m in n.members.all()
                ],
            }
            for n in lines
        ],
        "requirements": [
            {"id": r.pk, "kind": r.kind, "label": r.label, "automatic": r.is_automatic}
            for r in file.requirements.all()
        ],
        "candidates": [_candidate(c, changed) for c in _candidates(file)],
        "questions": list(_questions(file.questions.all())),
        "trials": [_trial(t) for t in file.trials.select_related("offer")],
        "latest_run": _run(run) if run is not None else None,
        "chosen_scenario": _scenario(chosen, _member_names([chosen])) if chosen else None,
        "own_rule": file.own_rule,
        "head_authorisation_required": checks.head_authorisation_needed(file, chosen),
        "head_authorisation": {
            "scenario_id": head.scenario_id,
            "criteria": list(head.criteria),
            "justification": head.justification,
            "head_name": head.head_name,
            "authorised_on": head.authorised_on,
            "document_id": head.document_id,
        }
        if head is not None
        else None,
        "financial_authorisation": financial,
        # At step 4 the next move is confirming the choice: what blocks it is the choice's.
        "choice_problems": blocking if file.state == rules.State.CHOICE else [],
        "missing_prerequisites": [
            {"code": str(p), "message": str(PREREQUISITE_MESSAGES[p])} for p in missing
        ],
        "startup_contact_on": startup.contact_on,
        "earliest_signed_contract": startup.earliest_signed_contract,
        "startup_meeting": meeting,
        "strategy": _strategy(file),
        "documents": [_document(file, d) for d in documents],
    }


def _need_line(need: NeedLine) -> dict[str, Any]:
    return {
        "code": need.code,
        "label": need.label,
        "kind": need.kind,
        "unit": need.unit,
        "quantities": list(need.quantities),
        "members": [
            {"member": _ref(m.member), "quantities": list(m.quantities)}
            for m in need.members.select_related("member")
        ],
    }


def _one_candidate(request: HttpRequest, file: AcquisitionFile, pk: int) -> dict[str, Any]:
    changed = selectors.changed_since_looked(request.user, file)
    candidate = next(c for c in _candidates(file) if c.pk == pk)
    return _candidate(candidate, changed)
