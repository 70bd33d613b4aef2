from typing import Any

from django.http import HttpRequest

from courtier.core import navigation


def navigation_entries(request: HttpRequest) -> dict[str, Any]:
    """Which menu entries the signed-in person has (declared by each app)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": navigation.entries_for(user)}
