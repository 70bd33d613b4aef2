"""Reading feedback and complaints (issue 14 §1; DOMAIN §5.10): the ones a person may see, the
disputes flagged because they persist or repeat (``rules.dispute_flags``), and the counts that
go into a supplier's standing (never another client's details)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courtier.accounts import permissions
from courtier.complaints import rules
from courtier.complaints.models import Complaint

DISPUTE = rules.Category.DISPUTE


def complaints_for(user: Any) -> QuerySet[Complaint]:
    """The feedback and complaints ``user`` may see (the policy's scope), newest first."""
    return permissions.scope(
        user,
        Complaint.objects.select_related(
            "client", "contract", "offer", "supplier", "concerned_supplier", "assignee"
        ),
    )


def _dispute(row: dict[str, Any]) -> rules.Dispute:
    return rules.Dispute(
        key=row["id"],
        client=row["client_id"],
        supplier=row["concerned_supplier_id"],
        received_on=row["received_on"],
        settled_on=row["closed_on"],
    )


def _row(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "client_id": c.client_id,
        "concerned_supplier_id": c.concerned_supplier_id,
        "received_on": c.received_on,
        "closed_on": c.closed_on,
    }


def dispute_flags(
    complaints: Iterable[Complaint], today: date | None = None
) -> dict[int, list[str]]:
    """DOMAIN §5.10: each dispute among ``complaints`` that persists or repeats, with why (one
    query for all of them); the others are left out."""
    today = today or timezone.localdate()
    disputes = [
        c for c in complaints if c.category == DISPUTE and c.concerned_supplier_id is not None
    ]
    if not disputes:
        return {}
    pairs = Q()
    for c in disputes:
        pairs |= Q(client_id=c.client_id, concerned_supplier_id=c.concerned_supplier_id)
    others = [
        _dispute(row)
        for row in Complaint.objects.filter(pairs, category=DISPUTE).values(
            "id", "client_id", "concerned_supplier_id", "received_on", "closed_on"
        )
    ]
    found: dict[int, list[str]] = {}
    for c in disputes:
        flags = rules.dispute_flags(_dispute(_row(c)), others, today)
        if flags:
            found[c.pk] = flags
    return found


def flagged_disputes(user: Any, today: date | None = None) -> list[Complaint]:
    """The disputes still open that persist or repeat (DOMAIN §5.10: the client informs the
    broker), among those ``user`` sees."""
    open_disputes = list(
        complaints_for(user).filter(category=DISPUTE, state__in=list(rules.OPEN_STATES))
    )
    flags = dispute_flags(open_disputes, today)
    return [c for c in open_disputes if c.pk in flags]


def standing_counts(
    organisation_ids: Sequence[int], today: date | None = None
) -> dict[int, tuple[int, bool]]:
    """Issue 14 §2: for each supplier or provider, how many complaints about it are not closed
    yet, and whether one of its open disputes persists or repeats. Counts only."""
    counts = dict(
        Complaint.objects.filter(
            concerned_supplier_id__in=list(organisation_ids), state__in=list(rules.OPEN_STATES)
        )
        .values("concerned_supplier_id")
        .annotate(n=Count("id"))
        .values_list("concerned_supplier_id", "n")
    )
    disputes = list(
        Complaint.objects.filter(
            concerned_supplier_id__in=list(counts),
            category=DISPUTE,
            state__in=list(rules.OPEN_STATES),
        )
    )
    flags = dispute_flags(disputes, today)
    warned = {c.concerned_supplier_id for c in disputes if c.pk in flags}
    return {pk: (n, pk in warned) for pk, n in counts.items()}
