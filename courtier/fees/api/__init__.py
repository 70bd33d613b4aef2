"""API: the broker's management fees (DOMAIN §6; issue 15), under /api/v1/fees: the versioned
fee grid (``grids``), the suppliers' quarterly acquisition reports and the broker's quarters
(``reports``), the fee invoices and credit notes, their payments and a client's statement
(``invoices``). Money is in whole cents. Every write goes through ``services``, every read
through ``selectors`` and ``permissions``: what one may not see answers 404, an action one may
not take 403, a refused rule 422 naming the field (« lines » for a report's or a grid's lines).
Writes accept ``Idempotency-Key``."""

from ninja import Router

from courtier.fees.api import grids, invoices, reports

router = Router()
for part in (grids, reports, invoices):
    router.add_router("", part.router)
