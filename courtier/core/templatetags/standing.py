"""``{% load standing %}``: ``{% standing_of standings organisation_id %}`` renders one candidate's
standing (``core.standing.standings`` computed once by the view for the whole list)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("core/standing.html")
def standing_of(standings: dict, organisation_id: int) -> dict:
    return {"lines": (standings or {}).get(organisation_id, [])}
