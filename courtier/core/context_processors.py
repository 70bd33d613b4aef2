from typing import Any

from django.http import HttpRequest

from courtier.accounts import permissions
from courtier.accounts.rules import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which menu entries the signed-in person has."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "access_requests": permissions.has_perm(user, Perm.DECIDE_ACCESS_REQUESTS),
            "audit": permissions.has_perm(user, Perm.VIEW_AUDIT),
            "catalogue": permissions.has_perm(user, Perm.BROWSE_CATALOGUE),
            # Acquisition files: the broker's staff and the client bodies' people (DOMAIN §3).
            "acquisitions": permissions.has_perm(user, Perm.BROWSE_CATALOGUE),
            # Questions to suppliers: the suppliers asked, and the broker who follows delays.
            "questions": permissions.has_perm(user, Perm.ANSWER_QUESTIONS)
            or permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS),
            # Proposals to sheets: the broker's reviewers and auditors, suppliers' people.
            "sheet_drafts": permissions.has_perm(user, Perm.PUBLISH_CATALOGUE)
            or permissions.has_perm(user, Perm.PROPOSE_SHEET)
            or (
                permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)
                and permissions.has_perm(user, Perm.VIEW_AUDIT)
            ),
        }
    }
