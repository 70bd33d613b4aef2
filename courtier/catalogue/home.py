"""What the Catalogue adds to the menu and to what awaits each person (``core.workitems``): the
proposals to review (the broker's reviewers), those open or sent back (the supplier's people),
each as its workflow's state says (``DRAFT_WORKFLOW.awaits``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.catalogue import rules
from courtier.catalogue.models import SheetDraft
from courtier.catalogue.policies import may_see_drafts
from courtier.catalogue.workflow import DRAFT_WORKFLOW
from courtier.core import navigation, workitems
from courtier.core.workitems import WorkItem

navigation.entry("catalogue", lambda user: permissions.has_perm(user, Perm.BROWSE_CATALOGUE))
navigation.entry("sheet_drafts", may_see_drafts)


@workitems.provider("catalogue")
def work_items(user: Any) -> Iterable[WorkItem]:
    g = permissions.grants(user)
    if not g.anywhere(Perm.WRITE):
        return []
    reviewer = g.anywhere(Perm.PUBLISH_CATALOGUE)
    suppliers = organisations_with_role(user, [Role.SUPPLIER_REP])
    # DOMAIN §2: the supplier proposes, the broker reviews, then publishes or sends back.
    wanted = {
        state
        for state, awaiting in DRAFT_WORKFLOW.awaits.items()
        if (awaiting.actor == rules.Actor.BROKER and reviewer)
        or (awaiting.actor == rules.Actor.SUPPLIER and suppliers)
    }
    if not wanted:
        return []
    drafts = permissions.scope(
        user, SheetDraft.objects.filter(status__in=sorted(wanted)).select_related("supplier")
    )
    items = []
    for d in drafts:
        awaiting = DRAFT_WORKFLOW.awaits[d.status]
        if awaiting.actor == rules.Actor.SUPPLIER and d.supplier_id not in suppliers:
            continue  # a broker's own draft for a supplier awaits the supplier, not the broker
        items.append(
            WorkItem(
                key=f"catalogue.sheet_draft:{d.pk}",
                title=f"{awaiting.label} — {d.supplier.name}",
                url=reverse("catalogue:draft_detail", args=[d.pk]),
                kind=_("Proposition au Catalogue"),
                detail=d.summary or d.get_status_display(),
                organisation=(
                    _("Courtier") if awaiting.actor == rules.Actor.BROKER else d.supplier.name
                ),
            )
        )
    return items
