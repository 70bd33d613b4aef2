"""An uploaded price file (issue 3 §4): kept, then imported into its proposal by a task
(pricefile/tasks.py; the page follows its progress), or at once by the command line."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.catalogue import rules
from courtier.catalogue.messages import DRAFT_NOT_EDITABLE, FILE_TYPE
from courtier.catalogue.models import PriceImport, SheetDraft
from courtier.catalogue.pricefile.tasks import run_price_import
from courtier.files.services import stored_file_from_stream

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")


def _require_import_access(by: User | None, draft: SheetDraft) -> None:
    """The draft's supplier representatives and the broker's catalogue editors (DOMAIN §1)."""
    if by is not None:
        permissions.require_change(by, draft)


@transaction.atomic
def price_import_create(
    *,
    by: User | None,
    draft: SheetDraft,
    name: str,
    stream: IO[bytes],
    content_type: str = "",
    in_background: bool = True,
) -> PriceImport:
    """Keep the uploaded file and queue its import (the page); ``in_background=False`` leaves
    running it to the caller (the command line)."""
    draft = SheetDraft.objects.select_related("supplier").get(pk=draft.pk)
    _require_import_access(by, draft)
    if draft.status not in rules.EDITABLE_DRAFT_STATES:
        raise ValidationError({"file": DRAFT_NOT_EDITABLE})
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError({"file": FILE_TYPE})
    stored = stored_file_from_stream(by=by, name=name, stream=stream, content_type=content_type)
    price_import = PriceImport.objects.create(draft=draft, file=stored, created_by=by)
    if in_background:
        transaction.on_commit(lambda: run_price_import.enqueue(import_id=price_import.pk))
    return price_import
