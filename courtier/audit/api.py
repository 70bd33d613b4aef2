"""API: read the audit trail (broker staff and auditors; each client its own organisation's),
with the same filters as the page, by code, and each code's French label beside it."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.audit import changes, labels, selectors
from courtier.audit.models import AuditEvent
from courtier.core.apierrors import ERRORS
from courtier.core.pagination import Pagination

router = Router(tags=["audit"])


class ChangeOut(Schema):
    field: str = Field(description="Code du champ")
    label: str = Field(description="Libellé du champ")
    before: str = Field(description="Valeur avant, mise en forme")
    after: str = Field(description="Valeur après, mise en forme")


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    organisation_id: int | None
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    before: Any
    after: Any
    changes: list[ChangeOut]
    request_id: str
    hash: str

    @staticmethod
    def resolve_action_label(obj: AuditEvent) -> str:
        return labels.action_label(obj.action)

    @staticmethod
    def resolve_object_type_label(obj: AuditEvent) -> str:
        return labels.object_type_label(obj.object_type)

    @staticmethod
    def resolve_changes(obj: AuditEvent) -> list[dict[str, str]]:
        return [
            {"field": c.key, "label": c.label, "before": c.before, "after": c.after}
            for c in changes.changes(obj.object_type, obj.before, obj.after, names=False)
        ]


@router.get("", response={200: list[AuditEventOut], **ERRORS}, summary="Journal d'audit")
@paginate(Pagination)
def audit_event_list(
    request: HttpRequest,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    organisation: int | None = None,
    actor: int | None = None,
    since: date | None = None,
    until: date | None = None,
):
    """Les événements visibles, du plus récent au plus ancien, filtrés comme la page du
    journal : type d'objet, objet, action, organisation, personne et période (du, au)."""
    permissions.require_perm(request.user, permissions.Perm.VIEW_AUDIT)
    if not all(_storable(n) for n in (organisation, actor)):
        return AuditEvent.objects.none()  # no row has such a key
    filters = selectors.EventFilters(
        object_type=object_type or "",
        object_id=object_id or "",
        action=action or "",
        organisation_id=organisation,
        actor_id=actor,
        since=since,
        until=until,
    )
    return selectors.events_filtered(request.user, filters)


def _storable(key: int | None) -> bool:
    return key is None or 0 < key < 2**63
