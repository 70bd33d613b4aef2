"""API: performance evaluations (DOMAIN §5.8; 002 §4.8), under /api/v1/evaluations.

The broker's admins and agents publish the grid's versions and open and close the annual
campaigns (one per supplier or provider and year); a client's people who run its acquisitions
fill in their requests (saved, then submitted once) and the end-of-contract evaluation of their
RCTI contracts (RCTI art. 82), whose report signed by the head is owed to the broker within 5
business days. Suppliers see nothing of the clients' evaluations. A request one may not see
answers 404, an action one may not take 403, a refused rule 422 naming the field. Writes accept
``Idempotency-Key``."""

from ninja import Router

from courtier.evaluations.api import campaigns, end

router = Router(tags=["evaluations"])
router.add_router("", campaigns.router)
router.add_router("", end.router)
