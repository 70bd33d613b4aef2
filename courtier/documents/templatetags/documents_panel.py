"""``{% documents_panel obj %}``: the documents panel of an object's page (issue 11 §8): the
documents of that object the person may see, with their versions' downloads (through the
permission-checked view) and their disposal dates. Any app's template loads it; the app's
Python code does not depend on the document store."""

from __future__ import annotations

from typing import Any

from django import template

from courtier.documents import policies
from courtier.documents.selectors import documents_of

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "documents": list(documents_of(user, obj)),
        "may_read_records": policies.may_read_records(user),
    }
