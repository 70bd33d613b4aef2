"""API: the Catalogue (issue 3 §8; DOMAIN §2; 004 §3.2): categories, offer search and details,
dated supplier-sheet versions and their change history, proposals and their review by the
broker, qualifications and framework agreements, subscriptions, supporting documents, and
what changed in some offers since a date. One router per sub-domain, combined here into the
``router`` that courtier/api.py mounts under /catalogue.

Sheet content is typed (sections and items refuse unknown fields). Every problem with a
proposed sheet or price list is answered 422 with the same paths as the services use
(``offers[0].components[1].code``) and a French message, and nothing is written.
"""

from ninja import Router

from courtier.catalogue.api import (
    changes,
    documents,
    drafts,
    offers,
    providers,
    subscriptions,
    versions,
)

router = Router(tags=["catalogue"])
router.add_router("", offers.router)
router.add_router("", versions.router)
router.add_router("", drafts.router)
router.add_router("", providers.router)
router.add_router("", subscriptions.router)
router.add_router("", documents.router)
router.add_router("", changes.router)
