"""What the document store adds to the menu (the broker's records) and to what awaits each
person (``core.workitems``): the documents whose disposal date has come, for the broker's staff
who approve disposals (DOMAIN §7), so the daily digest lists them too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.core import navigation, workitems
from courtier.core.formatting import long_date
from courtier.core.workitems import WorkItem
from courtier.documents import policies
from courtier.documents.selectors import due_for_disposal

navigation.entry("records", policies.may_read_records)


@workitems.provider("documents")
def work_items(user: Any) -> Iterable[WorkItem]:
    if not policies.may_manage_records(user):
        return []
    today = timezone.localdate()
    due = due_for_disposal(today)
    count = due.count()
    if not count:
        return []
    oldest = due.first().disposal_on
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
