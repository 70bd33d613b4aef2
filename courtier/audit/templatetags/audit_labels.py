"""The trail's labels in templates, and ``{% history_link obj %}``: a link from an object's page
to its own history, shown only to people who may read the audit trail."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit import labels

register = template.Library()
register.filter("action_label", labels.action_label)
register.filter("object_type_label", labels.object_type_label)


def history_url(obj: models.Model, *, whole_organisation: bool = False) -> str:
    """The trail filtered on one object (or, for an organisation, on everything recorded for
    it: a supplier's sheet is its drafts, versions and price lists)."""
    if whole_organisation:
        query = {"organisation": obj.pk}
    else:
        query = {"type": obj._meta.label_lower, "id": obj.pk}
    return f"{reverse('audit:event_list')}?{urlencode(query)}"


@register.simple_tag(takes_context=True)
def history_link(context: Any, obj: Any, whole_organisation: bool = False, label: str = "") -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not permissions.has_perm(user, Perm.VIEW_AUDIT):
        return ""
    # Several links on one page (a table's rows) each say whose history they open.
    return format_html(
        '<a class="history-link" href="{}">{}<span class="visually-hidden"> — {}</span></a>',
        history_url(obj, whole_organisation=whole_organisation),
        label or _("Historique"),
        obj,
    )
