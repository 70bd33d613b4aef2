"""What evaluations add to the menu, the work items and a supplier's standing (002 §4.8): the
client's people who run its acquisitions — each open request to fill in, with its due date, and
each ended RCTI contract whose evaluation report is still owed; the broker's agents — the
campaigns past their due date to close, the end-of-contract reports overdue (flagged). The
standing: the last evaluations' weighted mean and date, per supplier."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.rules import ACQUISITION_RUNNERS, Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.contracts import rules as contract_rules
from courtier.core import navigation, related, standing, workitems
from courtier.core.formatting import decimal, long_date
from courtier.core.workitems import WorkItem
from courtier.evaluations import policies, rules, selectors
from courtier.evaluations.models import (
    END_STATUS_LABELS,
    Campaign,
    CampaignState,
    EndEvaluation,
    EvaluationRequest,
    RequestState,
)
from courtier.evaluations.services import end

navigation.entry(
    "evaluations",
    lambda user: (
        policies.is_broker_staff(user) or permissions.has_perm(user, Perm.RUN_ACQUISITIONS)
    ),
)

KIND_REQUEST = gettext_lazy("Évaluation du rendement")
KIND_END = gettext_lazy("Évaluation de fin de contrat")
RELATED_REQUEST = gettext_lazy("Évaluation du rendement %(year)s")


def _broker_items(user: Any, today: Any) -> Iterable[WorkItem]:
    broker = str(_("Courtier"))
    campaigns = Campaign.objects.filter(state=CampaignState.OPEN, due_on__lt=today).select_related(
        "supplier"
    )
    for campaign in campaigns:
        yield WorkItem(
            key=f"evaluations.campaign:{campaign.pk}",
            title=f"{_('Fermer la campagne')} — {campaign.supplier.name} {campaign.year}",
            url=reverse("evaluations:campaign_detail", args=[campaign.pk]),
            kind=str(KIND_REQUEST),
            due_on=campaign.due_on,
            organisation=broker,
        )
    for row in selectors.end_rows(user, today):
        if row.status == rules.EndEvaluationStatus.OVERDUE:
            yield WorkItem(
                key=f"evaluations.end_overdue:{row.contract.pk}",
                title=_("Rapport d'évaluation en retard") + f" — {row.contract.reference}",
                url=reverse("evaluations:end_detail", args=[row.contract.pk]),
                kind=str(KIND_END),
                due_on=row.due_on,
                detail=f"{row.contract.client.name} — {row.contract.supplier.name}",
                organisation=broker,
            )


def _client_items(user: Any, runners: dict[int, str], today: Any) -> Iterable[WorkItem]:
    requests = EvaluationRequest.objects.filter(
        client_id__in=list(runners), state=RequestState.OPEN
    ).select_related("campaign__supplier")
    for request in requests:
        yield WorkItem(
            key=f"evaluations.request:{request.pk}",
            title=_("Remplir la grille d'évaluation") + f" — {request.campaign.supplier.name}",
            url=reverse("evaluations:request_detail", args=[request.pk]),
            kind=str(KIND_REQUEST),
            due_on=request.due_on,
            organisation=runners[request.client_id],
        )
    waiting = {
        rules.EndEvaluationStatus.AWAITING_SIGNATURE,
        rules.EndEvaluationStatus.DUE,
        rules.EndEvaluationStatus.OVERDUE,
    }
    for row in selectors.end_rows(user, today):
        if row.contract.client_id in runners and row.status in waiting:
            yield WorkItem(
                key=f"evaluations.end:{row.contract.pk}:{row.status}",
                title=f"{_('Évaluation de fin de contrat')} — {row.contract.reference}",
                url=reverse("evaluations:end_detail", args=[row.contract.pk]),
                kind=str(KIND_END),
                due_on=row.due_on,
                detail=row.contract.title,
                organisation=runners[row.contract.client_id],
            )


@workitems.provider("evaluations")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    if policies.is_broker_agent(user):
        items.extend(_broker_items(user, today))
    runners = organisations_with_role(user, ACQUISITION_RUNNERS)
    if runners:
        items.extend(_client_items(user, runners, today))
    return items


@standing.contributor("evaluations")
def last_evaluations(organisation_ids: Sequence[int], viewer: Any) -> dict[int, list[Any]]:
    """Issue 14 §2: beside each candidate, its last evaluations' weighted mean and date (the
    means only, never a client's own evaluation)."""
    found = selectors.last_evaluations(list(organisation_ids))
    label = _("Dernières évaluations")
    return {
        pk: [
            standing.Line(
                label,
                _("%(mean)s — %(day)s") % {"mean": decimal(mean, 2), "day": long_date(day)},
            )
        ]
        for pk, (mean, day) in found.items()
    }


@related.contributor("contracts.contract", "evaluations")
def contract_links(contract: Any, user: Any) -> list[related.Link]:
    """The contract page's links (issue 14 §2): each annual evaluation request that covers the
    contract, with its state, and for an RCTI contract that has ended the end-of-contract
    evaluation with its status (RCTI art. 82). For the broker's staff and the client body's
    people, never the supplier's: the evaluation is about it (DOMAIN §1, 002 §4.8.1)."""
    g = permissions.grants(user)
    if not (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS)
        or contract.client_id in g.organisations_with(Perm.BROWSE_CATALOGUE)
    ):
        return []
    requests = (
        selectors.requests_for(user).filter(contracts=contract).order_by("-campaign__year", "-pk")
    )
    links = [
        related.Link(
            str(RELATED_REQUEST) % {"year": r.campaign.year},
            reverse("evaluations:request_detail", args=[r.pk]),
            str(r.get_state_display()),
        )
        for r in requests
    ]
    if contract.subject_to_rcti and contract.state in contract_rules.CLOSED_STATES:
        evaluation = EndEvaluation.objects.filter(contract=contract).select_related("owed").first()
        links.append(
            related.Link(
                str(KIND_END),
                reverse("evaluations:end_detail", args=[contract.pk]),
                str(END_STATUS_LABELS[end.status_of(contract, evaluation)]),
            )
        )
    return links
