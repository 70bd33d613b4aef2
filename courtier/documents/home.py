"""What the document store adds to the menu (the broker's records) and to what awaits each
person (``core.workitems``): the documents whose disposal date has come, for the broker's staff
who approve disposals (DOMAIN §7), so the daily digest lists them too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.core import navigation, workitems
from courtier.core.formatting import long_date
from courtier.core.workitems import WorkItem
from courtier.documents import policies, types
from courtier.documents.models import TransmissionStatus
from courtier.documents.selectors import due_for_disposal, transmissions_of

navigation.entry("records", policies.may_read_records)
navigation.entry("transmissions", policies.may_see_transmissions)


@workitems.provider("documents.transmissions")
def owed_items(user: Any) -> Iterable[WorkItem]:
    """Each document a client owes the broker awaits that client's people (DOMAIN §7)."""
    if not policies.may_see_transmissions(user):
        return []
    url = reverse("documents:transmissions")
    return [
        WorkItem(
            key=f"documents.transmission:{row.pk}",
            title=_("Transmettre au Courtier : %(type)s") % {"type": types.label_of(row.type)},
            url=f"{url}#transmission-{row.pk}",
            kind=_("Document dû au Courtier"),
            due_on=row.due_on,
            detail=row.note,
            organisation=row.client.name,
        )
        for row in transmissions_of(user).filter(status=TransmissionStatus.OPEN)
        if permissions.can_change(user, row)
    ]


@workitems.provider("documents")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not policies.may_manage_records(user):
        return []
    today = timezone.localdate()
    due = due_for_disposal(today).order_by().aggregate(count=Count("pk"), oldest=Min("disposal_on"))
    count, oldest = due["count"], due["oldest"]
    if not count:
        return []
    return [
        WorkItem(
            key=f"documents.disposal:{today.isoformat()}",
            title=_("Approuver la disposition de %(n)s document(s) échu(s)") % {"n": count},
            url=reverse("documents:records") + "#due-heading",
            kind=_("Calendrier de conservation"),
            due_on=oldest,
            detail=_("Le plus ancien devait être éliminé le %(on)s.") % {"on": long_date(oldest)},
            organisation=_("Courtier"),
        )
    ]
