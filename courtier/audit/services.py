"""The only writer of the audit trail. Called by every other app's services."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from courtier.audit import rules
from courtier.audit.models import AuditChainHead, AuditEvent
from courtier.core.context import current_request_id


def normalise(value: Any) -> Any:
    """JSON round trip, so the hash covers exactly what the JSON column gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def object_key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


@transaction.atomic
def audit_event_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation: Any = None,
    before: Any = None,
    after: Any = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so the event and
    the change it describes are committed together or not at all. ``actor_label`` names an
    actor who has no account (e.g. the person asking for one)."""
    if obj is not None:
        object_type, object_id = object_key(obj)
    # Lock the head: writers append one at a time, so seq has no gap and the chain no fork.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": rules.GENESIS_HASH}
    )
    actor_id = getattr(actor, "pk", None)
    actor_label = actor_label or getattr(actor, "email", "") or "système"
    event = AuditEvent(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label,
        organisation_id=getattr(organisation, "pk", organisation),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=normalise(before),
        after=normalise(after),
        request_id=current_request_id(),
        prev_hash=head.last_hash,
    )
    event.hash = rules.chain_hash(event.prev_hash, content_of(event))
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def content_of(event: AuditEvent) -> dict[str, Any]:
    return rules.event_content(
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        organisation_id=event.organisation_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=event.before,
        after=event.after,
        request_id=event.request_id,
    )
