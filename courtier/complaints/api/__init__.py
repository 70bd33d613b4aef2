"""API: feedback and complaints (issue 14 §1; DOMAIN §5.6, §5.10; 002 §4.6), under
/api/v1/complaints. A client's people send them and see their body's; the broker's staff see
every one and its administrators and agents assign, answer and close them; suppliers and
providers see none (404). A refused rule answers 422 naming the field. Writes accept
``Idempotency-Key`` (a replay is answered without running again)."""

from courtier.complaints.api.complaints import router

__all__ = ["router"]
