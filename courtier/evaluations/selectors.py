"""What the pages and the API read (DOMAIN §5.8; 002 §4.8): the campaigns and requests a person
sees, a campaign's per-supplier summary (rules.campaign_summary) with its comments, the RCTI
contracts whose end-of-contract evaluation is tracked, each with its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from courtier.accounts import permissions
from courtier.contracts import rules as contract_rules
from courtier.contracts.models import Contract
from courtier.evaluations import rules
from courtier.evaluations.models import (
    Campaign,
    EndEvaluation,
    EvaluationRequest,
    EvaluationScore,
    GridVersion,
    RequestState,
)
from courtier.evaluations.services import end


def grid_versions(user: Any) -> QuerySet[GridVersion]:
    return permissions.scope(user, GridVersion.objects.prefetch_related("criteria"))


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return permissions.scope(user, Campaign.objects.select_related("supplier", "grid"))


def requests_for(user: Any) -> QuerySet[EvaluationRequest]:
    return permissions.scope(
        user,
        EvaluationRequest.objects.select_related(
            "campaign__supplier", "campaign__grid", "client"
        ).prefetch_related("contracts"),
    )


@dataclass(frozen=True)
class CriterionLine:
    key: str
    label: str
    weight: Decimal
    mean: Decimal | None


@dataclass(frozen=True)
class CampaignSummary:
    count: int
    asked: int
    mean_score: Decimal | None
    criteria: list[CriterionLine]
    comments: list[dict[str, Any]]


def campaign_summary(campaign: Campaign) -> CampaignSummary:
    """002 §4.8.1: the evaluations submitted, their weighted mean, each criterion's mean and the
    comments (for the broker's annual meeting with the supplier)."""
    requests = list(
        campaign.requests.select_related("client").prefetch_related("scores__criterion")
    )
    grid = campaign.grid.as_grid()
    submitted = [r for r in requests if r.state == RequestState.SUBMITTED]
    evaluations = [
        rules.Evaluation(
            supplier=campaign.supplier_id,
            grid=grid,
            scores={s.criterion.key: s.score for s in r.scores.all() if s.score is not None},
        )
        for r in submitted
    ]
    found = rules.campaign_summary(evaluations).get(campaign.supplier_id)
    means = dict(found.criterion_means) if found else {}
    comments = []
    for r in submitted:
        for s in r.scores.all():
            if s.comment:
                comments.append(
                    {"client": r.client.name, "criterion": s.criterion.label, "text": s.comment}
                )
        if r.general_comment:
            comments.append({"client": r.client.name, "criterion": "", "text": r.general_comment})
    return CampaignSummary(
        count=found.count if found else 0,
        asked=len(requests),
        mean_score=found.mean_score if found else None,
        criteria=[CriterionLine(c.key, c.label, c.weight, means.get(c.key)) for c in grid.criteria],
        comments=comments,
    )


def scores_of(request: EvaluationRequest) -> list[EvaluationScore]:
    return list(request.scores.select_related("criterion").order_by("criterion__order"))


@dataclass(frozen=True)
class EndRow:
    contract: Contract
    evaluation: EndEvaluation | None
    status: str
    due_on: date | None


def end_rows(user: Any, today: date | None = None) -> list[EndRow]:
    """The RCTI contracts a person sees that have ended or been terminated, each with its
    end-of-contract evaluation and its status (002 §4.8.2)."""
    contracts = permissions.scope(
        user,
        Contract.objects.filter(
            subject_to_rcti=True, state__in=list(contract_rules.CLOSED_STATES)
        ).select_related("client", "supplier"),
    ).order_by("-ended_on", "-pk")[:500]
    contracts = list(contracts)
    evaluations = {
        e.contract_id: e
        for e in EndEvaluation.objects.filter(contract__in=contracts).select_related(
            "owed", "report"
        )
    }
    return [
        EndRow(
            c,
            evaluations.get(c.pk),
            end.status_of(c, evaluations.get(c.pk), today),
            end.due_on(evaluations.get(c.pk)),
        )
        for c in contracts
    ]


def last_evaluations(supplier_ids: list[int]) -> dict[int, tuple[Decimal, date]]:
    """Each supplier's last submitted evaluations (its latest campaign with one): their mean
    weighted score and the last submission date (issue 14 §2: the standing)."""
    rows = (
        EvaluationRequest.objects.filter(
            campaign__supplier_id__in=supplier_ids, state=RequestState.SUBMITTED
        )
        .values_list("campaign__supplier_id", "campaign_id", "weighted_score", "submitted_on")
        .order_by("campaign__supplier_id", "-campaign__year", "-campaign_id")
    )
    latest: dict[int, int] = {}
    scores: dict[int, list[Decimal]] = {}
    days: dict[int, date] = {}
    for supplier_id, campaign_id, score, day in rows:
        latest.setdefault(supplier_id, campaign_id)
        if latest[supplier_id] != campaign_id or score is None:
            continue
        scores.setdefault(supplier_id, []).append(score)
        days[supplier_id] = max(days.get(supplier_id, day), day)
    return {pk: (rules.mean(values), days[pk]) for pk, values in scores.items()}
