"""Reading the audit trail in the acquisition tests: what a service recorded, in order."""

from django.db.models import Max

from courtier.audit.models import AuditEvent


def mark() -> int:
    """The last event's number: what comes after it is what a test's action recorded."""
    return AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0


def actions_since(seq: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True)
    )


def event(action: str, obj) -> AuditEvent:
    """The one event ``action`` recorded on ``obj``."""
    return AuditEvent.objects.get(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def refusal(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict
