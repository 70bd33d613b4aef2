"""Read-only checks and reads of an acquisition file that the services, the workflow's guards
and the selectors share (DOMAIN §3; 002 §2): what keeps a step from closing, which offers are
compliant, the latest run and the chosen scenario, the prerequisites of the startup meeting.

Nothing here writes: each function reads the database and hands the facts to the pure rules
(``rules.py``), then names each problem in French (``messages.py``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courtier.acquisitions import engine_inputs, pricing, rules
from courtier.acquisitions.messages import (
    CHOICE_MESSAGES,
    COMPLIANCE_MESSAGES,
    CRITERIA_REQUIRED,
    CRITERION_INVALID,
    DATE_IN_FUTURE,
    DOCUMENT_REQUIRED,
    HEAD_NAME_REQUIRED,
    JUSTIFICATION_REQUIRED,
    MEETING_NOT_HELD,
    MEETING_NOT_SCHEDULED,
    NEEDS_MESSAGES,
    NO_CANDIDATE,
    PREREQUISITE_MESSAGES,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    CandidateOffer,
    FinancialAuthorisation,
    HeadAuthorisation,
    Scenario,
    ScenarioRun,
    StartupMeeting,
    Verdict,
)
from courtier.catalogue.models import OfferStatus, PriceList, PriceListStatus

# --- step 1 -------------------------------------------------------------------------------------


def needs_problems(file: AcquisitionFile) -> dict[str, str]:
    """Field -> message for the step-1 questionnaire and plan (DOMAIN §3.1; 002 §2.1)."""
    facts = rules.NeedsFacts(
        duration_months=file.duration_months,
        answers=file.answers or {},
        budget_cents=file.budget_cents,
        personal_information=file.personal_information,
        pi_outside_quebec=file.pi_outside_quebec,
        planned_start=file.planned_start,
        category_set=file.category_id is not None,
        lines=[
            rules.NeedLineFacts(code=n.code, kind=n.kind, quantities=n.quantities)
            for n in file.needs.all()
        ],
    )
    return {key: str(NEEDS_MESSAGES[p]) for key, p in rules.needs_problems(facts).items()}


# --- steps 2-3 ----------------------------------------------------------------------------------


def candidates_problems(file: AcquisitionFile) -> list[str]:
    """002 §2.2: the list is established with at least one offer of the Catalogue."""
    return [] if file.candidates.exists() else [str(NO_CANDIDATE)]


def compliant_candidates(file: AcquisitionFile) -> list[CandidateOffer]:
    """The offers that meet every requirement (002 §2.3.1)."""
    candidates = file.candidates.select_related("offer__supplier").prefetch_related("records")
    return [c for c in candidates if rules.is_compliant([r.verdict for r in c.records.all()])]


def compliance_problems(file: AcquisitionFile) -> list[str]:
    """What keeps the compliant list from closing (002 §2.3.1)."""
    candidates = list(file.candidates.prefetch_related("records"))
    if not candidates:
        return [str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_CANDIDATE])]
    problems = []
    verdicts = [[r.verdict for r in c.records.all()] for c in candidates]
    if any(Verdict.UNKNOWN in v for v in verdicts):
        problems.append(str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.UNKNOWN_LEFT]))
    elif not any(rules.is_compliant(v) for v in verdicts):
        # Only once every verdict is known: "none compliant" would be premature before.
        problems.append(str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_COMPLIANT]))
    return problems


# --- step 4 -------------------------------------------------------------------------------------


def run_inputs(
    file: AcquisitionFile, plan: pricing.Plan, compliant: list[CandidateOffer]
) -> dict[str, Any]:
    """What a run priced: the plan, the members' quantities, and each compliant offer with its
    sheet version and the components mapped to the needs."""
    return {
        "needs": {k: list(v) for k, v in plan.needs.items()},
        "members": {m: {k: list(v) for k, v in q.items()} for m, q in (plan.members or {}).items()},
        "offers": {
            str(c.offer_id): {"version": c.offer.version_id, "mapping": c.mapping}
            for c in compliant
        },
    }


def latest_run(file: AcquisitionFile) -> ScenarioRun | None:
    return file.runs.order_by("-number").first()


def scenarios_stale(file: AcquisitionFile, run: ScenarioRun | None = None) -> bool:
    """Whether the latest run no longer prices what the file holds now (002 §2.4.1: prices only
    from the latest sheets): the plan, the compliant offers or their mapping changed, a sheet
    was republished, or a price list of those offers came into force since the run."""
    run = run or latest_run(file)
    if run is None:
        return False
    compliant = compliant_candidates(file)
    now = run_inputs(file, engine_inputs.plan_for(file), compliant)
    if now != run.plan:
        return True
    return PriceList.objects.filter(
        offer_id__in=[c.offer_id for c in compliant],
        status=PriceListStatus.PUBLISHED,
        effective_from__gt=run.prices_on,
        effective_from__lte=timezone.localdate(),
    ).exists()


def chosen_scenario(file: AcquisitionFile) -> Scenario | None:
    return file.scenarios.filter(chosen=True).select_related("supplier").first()


def head_authorisation_valid(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    """The head's authorisation covers the scenario chosen now (002 §2.4.3)."""
    head = HeadAuthorisation.objects.filter(file=file).first()
    return head is not None and chosen is not None and head.scenario_id == chosen.pk


def head_authorisation_needed(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    """RCTI art. 48 (002 §2.4.3): a non-lowest choice of an RCTI client."""
    return chosen is not None and rules.head_authorisation_required(
        chosen_is_lowest=chosen.is_lowest, subject_to_rcti=file.client.subject_to_rcti
    )


def head_authorisation_problems(
    *,
    criteria: Any,
    justification: str | None,
    head_name: str | None,
    authorised_on: Any,
    has_document: bool | None,
) -> dict[str, Any]:
    """Field -> message for the head's authorisation (RCTI art. 48, 002 §2.4.3), shared by the
    service and the page's form so that every problem shows at once. A value given as None is
    not judged here (its field already refused it)."""
    problems: dict[str, Any] = {}
    if criteria is not None:
        if not criteria:
            problems["criteria"] = CRITERIA_REQUIRED
        elif any(c not in rules.Criterion.__members__.values() for c in criteria):
            problems["criteria"] = CRITERION_INVALID
    if justification is not None and not justification.strip():
        problems["justification"] = JUSTIFICATION_REQUIRED
    if head_name is not None and not head_name.strip():
        problems["head_name"] = HEAD_NAME_REQUIRED
    if has_document is False:
        problems["document"] = DOCUMENT_REQUIRED
    if authorised_on is not None and authorised_on > timezone.localdate():
        problems["authorised_on"] = DATE_IN_FUTURE
    return problems


def choice_problems(file: AcquisitionFile) -> list[str]:
    """What keeps step 4 from closing (002 §2.4.3-2.4.4)."""
    chosen = chosen_scenario(file)
    financial = FinancialAuthorisation.objects.filter(file=file).first()
    facts = rules.ChoiceFacts(
        has_choice=chosen is not None,
        chosen_is_lowest=bool(chosen and chosen.is_lowest),
        chosen_total_cents=chosen.total_cents if chosen else 0,
        subject_to_rcti=file.client.subject_to_rcti,
        has_head_authorisation=head_authorisation_valid(file, chosen),
        own_rule=file.own_rule,
        financial_amount_cents=financial.amount_cents if financial else None,
        planned_additions_cents=financial.planned_additions_cents if financial else 0,
        scenarios_stale=chosen is not None and scenarios_stale(file),
    )
    return [str(CHOICE_MESSAGES[p]) for p in rules.choice_problems(facts)]


# --- step 5 -------------------------------------------------------------------------------------


def stores_outside_quebec(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    """Personal information leaves Quebec when the client said so, or when a chosen offer has
    a data centre outside Quebec."""
    if file.pi_outside_quebec:
        return True
    return chosen is not None and chosen.offers.filter(hosted_in_quebec_only=False).exists()


def missing_prerequisites(file: AcquisitionFile) -> list[rules.Prerequisite]:
    """002 §2.5: what the broker must see before the startup meeting."""
    chosen = chosen_scenario(file)
    financial = FinancialAuthorisation.objects.filter(file=file).first()
    compliant_offer_ids = {c.offer_id for c in compliant_candidates(file)}
    chosen_offers = list(chosen.offers.all()) if chosen else []
    facts = rules.StartupFacts(
        supplier_identified=chosen is not None,
        chosen_offers_compliant=bool(chosen_offers)
        and all(
            o.pk in compliant_offer_ids and o.status == OfferStatus.QUALIFIED for o in chosen_offers
        ),
        head_authorisation_required=head_authorisation_needed(file, chosen),
        has_head_authorisation=head_authorisation_valid(file, chosen),
        financial_authorisation_covers=financial is not None
        and chosen is not None
        and financial.amount_cents >= chosen.total_cents + financial.planned_additions_cents,
        # Access Act art. 70.1 (DOMAIN §3.1): required before the contract when personal
        # information leaves Quebec; otherwise the file shows it as a reminder only.
        efvp_required=rules.efvp_blocks_contract(
            file.personal_information, stores_outside_quebec(file, chosen)
        ),
        efvp_done=file.efvp_done_on is not None,
    )
    return rules.missing_prerequisites(facts)


def prerequisites_problems(file: AcquisitionFile) -> dict[str, list[Any]]:
    """Each missing prerequisite of 002 §2.5 named, on ``prerequisites``; empty when all hold."""
    missing = missing_prerequisites(file)
    return {"prerequisites": [PREREQUISITE_MESSAGES[p] for p in missing]} if missing else {}


def meeting_scheduled_problems(file: AcquisitionFile) -> dict[str, Any]:
    """002 §2.5: the strategy is validated at the startup meeting, so it must be convened."""
    if StartupMeeting.objects.filter(file=file).exists():
        return {}
    return {"meeting": MEETING_NOT_SCHEDULED}


def meeting_held_problems(file: AcquisitionFile) -> dict[str, Any]:
    """002 §2.5: the strategy freezes after the startup meeting, not before."""
    meeting = StartupMeeting.objects.filter(file=file).first()
    if meeting is not None and meeting.scheduled_for > timezone.now():
        return {"meeting": MEETING_NOT_HELD}
    return {}
