"""``{% load related %}``: ``{% related_links obj %}`` lists what other apps add to the page of
``obj`` for the signed-in person (``core.related``)."""

from __future__ import annotations

from django import template

from courtier.core import related

register = template.Library()


@register.inclusion_tag("core/related.html", takes_context=True)
def related_links(context, obj) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"links": related.links_for(obj, user) if user is not None else []}
