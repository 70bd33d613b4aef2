"""What feedback and complaints add to the menu, what they await from whom (``core.workitems``)
and to a supplier's standing (``core.standing``), computed from their state, never stored. The
broker's administrators and agents: the complaints to assign, those assigned to them to answer,
and the open disputes that persist or repeat (DOMAIN §5.10); the person who sent one: the
broker's answer to read while it is not closed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.complaints import policies, rules, selectors
from courtier.complaints.models import Complaint
from courtier.complaints.workflow import COMPLAINT_WORKFLOW
from courtier.core import navigation, related, standing, workitems
from courtier.core.workitems import Awaits, WorkItem

# Issue 14 §1: the broker's staff and the client bodies' people (never a supplier's).
navigation.entry("complaints", policies.may_read)

KIND = gettext_lazy("Rétroaction ou plainte")
FLAGGED = gettext_lazy("Litige qui persiste / se répète")
OPEN_COMPLAINTS = gettext_lazy("Plaintes ouvertes")
FLAGGED_NOTE = gettext_lazy("litige qui persiste ou se répète")


def _url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _item(complaint: Complaint, label: Any, organisation: str, **extra: Any) -> WorkItem:
    return WorkItem(
        key=extra.pop("key", f"complaints.complaint:{complaint.pk}:{complaint.state}"),
        title=f"{label} — {complaint.reference}",
        url=_url(complaint),
        kind=str(KIND),
        detail=f"{complaint.client.name} — {complaint.subject}",
        organisation=organisation,
        **extra,
    )


def _broker_items(user: Any) -> Iterable[WorkItem]:
    broker = str(_("Courtier"))
    seen = selectors.complaints_for(user)
    for complaint in seen.filter(state=rules.State.OPEN):
        yield _item(complaint, COMPLAINT_WORKFLOW.awaits[complaint.state].label, broker)
    for complaint in seen.filter(state=rules.State.ASSIGNED, assignee=user):
        yield _item(
            complaint,
            COMPLAINT_WORKFLOW.awaits[complaint.state].label,
            "",
            awaits=Awaits.PERSON,
        )
    # DOMAIN §5.10: a dispute that persists or repeats is the broker's to follow.
    for complaint in selectors.flagged_disputes(user):
        yield _item(complaint, FLAGGED, broker, key=f"complaints.flagged:{complaint.pk}")


def _client_items(user: Any) -> Iterable[WorkItem]:
    answered = selectors.complaints_for(user).filter(state=rules.State.ANSWERED, created_by=user)
    for complaint in answered:
        yield _item(complaint, _("Lire la réponse du Courtier"), "", awaits=Awaits.PERSON)


@workitems.provider("complaints")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not permissions.grants(user).anywhere(Perm.WRITE):
        return []
    items: list[WorkItem] = []
    if policies.is_broker_agent(user):
        items.extend(_broker_items(user))
    if policies.submitting_for(user):
        items.extend(_client_items(user))
    return items


@standing.contributor("complaints")
def complaints_standing(
    organisation_ids: Sequence[int], viewer: Any
) -> dict[int, list[standing.Line]]:
    """Issue 14 §2: the complaints about each candidate not closed yet, a warning when one of
    its disputes persists or repeats (DOMAIN §5.10). Counts only: never another client's
    complaint itself."""
    found: dict[int, list[standing.Line]] = {}
    for pk, (count, flagged) in selectors.standing_counts(organisation_ids).items():
        value = str(count) + (f" — {FLAGGED_NOTE}" if flagged else "")
        found[pk] = [standing.Line(str(OPEN_COMPLAINTS), value, warning=flagged)]
    return found


RELATED = gettext_lazy("Plaintes et rétroaction")


@related.contributor("contracts.contract", "complaints")
def contract_links(contract: Any, user: Any) -> list[related.Link]:
    """The contract page's link to the complaints tied to it (issue 14 §1), with their count:
    for the broker's staff and the client body's people, never the supplier's (DOMAIN §1)."""
    g = permissions.grants(user)
    if not (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS)
        or contract.client_id in g.organisations_with(Perm.BROWSE_CATALOGUE)
    ):
        return []
    count = selectors.complaints_for(user).filter(contract_id=contract.pk).count()
    url = f"{reverse('complaints:complaint_list')}?contrat={contract.pk}"
    return [related.Link(str(RELATED), url, str(count))]
