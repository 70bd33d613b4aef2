"""Template tags other apps' pages use to reach acquisition files: « Ajouter à un dossier » on
an offer's Catalogue page (issue 10, point 7), shown only to who runs acquisitions."""

from __future__ import annotations

from typing import Any

from django import template

from courtier.accounts import permissions
from courtier.accounts.rules import Perm

register = template.Library()


@register.inclusion_tag("acquisitions/_add_to_file_button.html", takes_context=True)
def add_to_file_button(context: Any, offer: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = bool(
        user is not None
        and user.is_authenticated
        and getattr(offer, "status", "") == "qualified"
        and permissions.has_perm(user, Perm.WRITE)
        and permissions.grants(user).organisations_with(Perm.RUN_ACQUISITIONS)
    )
    return {"offer": offer, "shown": shown}
