"""Moves between the steps of a file (002 §2.1-2.5): the client's moves of
``acquisitions.workflow.FILE_WORKFLOW``, whose guards, writes and effects say what each move
checks, writes with it and starts after it. Freezing the strategy is the broker's
(``services.startup.strategy_freeze``)."""

from __future__ import annotations

from django.db import transaction

from courtier.accounts.models import User
from courtier.acquisitions import rules
from courtier.acquisitions.models import AcquisitionFile
from courtier.acquisitions.services.common import _lock, _require_runs
from courtier.acquisitions.workflow import FILE_WORKFLOW


@transaction.atomic
def file_transition(*, by: User, file: AcquisitionFile, action: str) -> AcquisitionFile:
    """Move the file along ``rules.TRANSITIONS`` as its client: the people who run the file
    (403 for the others), a move the table has from the file's step, and its guards."""
    file = _lock(file)
    _require_runs(by, file)
    FILE_WORKFLOW.run(subject=file, action=action, by=by, acting_as={rules.Actor.CLIENT})
    return file
