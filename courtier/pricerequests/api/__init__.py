"""API: acquiring professional or technical services (DOMAIN §4; 002 §3), under
/api/v1/services.

Clients run their files (needs, qualifications and their scope, the shortlist, the price request
on the broker's template, its sending, the answers to questions, the opening of the responses,
completeness, the choice and its authorisations, the hand-off); the broker validates requests and
changes and publishes the template; a solicited provider reads what was sent to it, asks
questions, responds before the deadline and returns its non-participation questionnaire. Every
write goes through ``services``, every read through ``selectors`` and ``permissions``: an object
one may not see answers 404, an action one may not take 403, a refused rule 422 naming the
field. Money in integer cents, dates ISO (America/Toronto).

One sub-router per part (``files``, ``requests``, ``providers``, ``choice``), combined here."""

from ninja import Router

from courtier.pricerequests.api import choice, files, providers, requests

router = Router(tags=["services"])
for part in (files, requests, providers, choice):
    router.add_router("", part.router)
