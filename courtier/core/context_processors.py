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
        }
    }
