"""Hash chain of the audit trail. Pure: no ORM (DOMAIN §7, integrity of evidence)."""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64  # prev_hash of event #1


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8. Same on SQLite and PostgreSQL."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_content(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    request_id: str,
) -> dict[str, Any]:
    """The fields an event's hash covers: everything but the hashes themselves."""
    return {
        "seq": seq,
        # Microsecond UTC timestamp: both databases store microseconds.
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "organisation_id": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "request_id": request_id,
    }


def chain_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 of the previous event's hash followed by this event's canonical content."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    # "surrogatepass": a lone surrogate (refused at the API's door) must never make recording
    # or checking an event fail; every other text hashes as plain UTF-8, as before.
    digest.update(canonical_json(content).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
