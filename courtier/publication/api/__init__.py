"""API: what is published after the contract (issue 14 §4-6; 002 §4.1, §4.7), under
/api/v1/publication: the SEAO sheets (``seao``), the list of concluded contracts and the
clients' consent to name a contact (``concluded``), and the OCDS 1.1.5 release package
(``ocds``)."""

from ninja import Router

from courtier.publication.api import concluded, ocds, seao

router = Router()
for part in (seao, concluded, ocds):
    router.add_router("", part.router)
