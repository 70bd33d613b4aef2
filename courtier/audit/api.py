"""API: read the audit trail (broker staff and auditors; each client its own organisation's)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.audit.models import AuditEvent
from courtier.core.apierrors import ERRORS
from courtier.core.pagination import Pagination

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    actor_label: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    request_id: str
    hash: str


@router.get("", response={200: list[AuditEventOut], **ERRORS}, summary="Journal d'audit")
@paginate(Pagination)
def audit_event_list(
    request: HttpRequest, object_type: str | None = None, object_id: str | None = None
):
    permissions.require_perm(request.user, permissions.Perm.VIEW_AUDIT)
    qs = permissions.scope(request.user, AuditEvent.objects.all())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-seq")
