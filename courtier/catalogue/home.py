"""What the Catalogue adds to the menu and to the home dashboard: the proposals to review (the
broker's reviewers) or still open (a supplier's people)."""

from __future__ import annotations

from typing import Any

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.models import SheetDraft
from courtier.catalogue.policies import may_see_drafts
from courtier.core import dashboard, navigation

navigation.entry("catalogue", lambda user: permissions.has_perm(user, Perm.BROWSE_CATALOGUE))
navigation.entry("sheet_drafts", may_see_drafts)


@dashboard.contributor("catalogue")
def _board(user: Any) -> dict[str, Any]:
    drafts = permissions.scope(user, SheetDraft.objects.select_related("supplier"))
    to_review, still_open = None, []
    if permissions.has_perm(user, Perm.PUBLISH_CATALOGUE):
        to_review = drafts.filter(status=rules.DraftState.SUBMITTED).count()
    elif permissions.has_perm(user, Perm.PROPOSE_SHEET):
        still_open = list(
            drafts.filter(status__in=rules.OPEN_DRAFT_STATES).order_by("supplier__name")
        )
    return {"sheet_drafts_to_review": to_review, "open_sheet_drafts": still_open}
