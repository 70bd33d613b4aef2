"""API: specific contracts (DOMAIN §3.5, §4.5, §5, §7; 002 §2.5, §3.5, §4.3-4.5), under
/api/v1/contracts.

The broker makes a contract from a frozen acquisition strategy or a handed-off service file,
prepares it (terms, the client's confirmation of the supplier's eligibility, the signatories),
generates it, sends it to the client, validates and stamps the version the client approved; the
client's signatories sign in order, then the supplier; then amendments (asked by the client,
prepared by the broker, signed the same way), orders and invoices against the authorised amount
(the 80 % and 100 % emails) and termination. Every write goes through ``services``, every read
through ``selectors`` and ``permissions``: a contract one may not see answers 404, an action one
may not take 403, a refused rule 422 naming the field. Money in integer cents, dates ISO
(America/Toronto). Writes accept ``Idempotency-Key`` (a replay is answered without running
again).

One sub-router per part (``signatures``, ``amendments``, ``consumption``), combined here under
``contracts``' own (its list, at /api/v1/contracts without a trailing slash)."""

from courtier.contracts.api import amendments, consumption, contracts, signatures

router = contracts.router
for part in (signatures, amendments, consumption):
    router.add_router("", part.router)
