"""API: exit plans (DOMAIN §5.9; 002 §4.9), under /api/v1/exit-plans.

The client's people who run its acquisitions open the plan of a solutions contract, change it
while they hold it, submit it (checked against 002 §4.9), mark its activities done and complete
it; the broker's agents take note of it or return it with a comment; the outgoing supplier reads
its contract's plan. Every write goes through ``services``, every read through ``selectors``
and ``permissions``: a plan one may not see answers 404, an action one may not take 403, a
refused rule 422 naming the field. Writes accept ``Idempotency-Key``."""

from courtier.exitplans.api.plans import router

__all__ = ["router"]
