"""API: acquisition files through the five steps of DOMAIN §3 (002 §2; 004 §3), under
/api/v1/acquisitions.

Clients run their own files (needs, the compliant list, questions and trials, scenarios, the
choice and its authorisations); the broker convenes the startup meeting and freezes the
strategy; a supplier's people see and answer only the questions addressed to their supplier.
Every write goes through ``services``; every read through ``selectors`` and ``permissions``: a
file one may not see answers 404, an action one may not take on a visible file 403, a refused
rule 422 naming the request's fields. Money is in integer cents, dates ISO (America/Toronto).

One sub-router per step (``files``: the files and step 1, ``candidates``, ``questions``,
``scenarios``, ``startup``, ``documents``), with the schemas in ``schemas`` and the answers
built in ``answers``; combined here into the ``router`` courtier/api.py mounts.
"""

from ninja import Router

from courtier.acquisitions.api import candidates, documents, files, questions, scenarios, startup

router = Router(tags=["acquisitions"])
for part in (files, candidates, questions, scenarios, startup, documents):
    router.add_router("", part.router)
