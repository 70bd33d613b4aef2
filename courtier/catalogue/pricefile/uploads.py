"""An uploaded price file (issue 3 §4): kept, then imported into its proposal by a task
(pricefile/tasks.py; the page follows its progress), or at once by the command line."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.catalogue import rules
from courtier.catalogue.messages import DRAFT_NOT_EDITABLE
from courtier.catalogue.models import PriceImport, SheetDraft
from courtier.catalogue.pricefile import reader
from courtier.catalogue.pricefile.importing import problem_message
from courtier.catalogue.pricefile.layout import FileProblem
from courtier.catalogue.pricefile.limits import PRICE_FILE_KINDS, sheet_limits, upload_limits
from courtier.catalogue.pricefile.messages import FILE_TYPE_NAMED, REFUSED_NAMED
from courtier.catalogue.pricefile.tasks import run_price_import
from courtier.catalogue.services.records import PRICE_FILE, supplier_file_keep
from courtier.files.inspection import Inspected, Kind, UploadRefused, inspect_upload
from courtier.files.services import stored_file_from_stream

ALLOWED_EXTENSIONS = (".csv", ".xlsx")


def check_price_file(name: str, stream: IO[bytes]) -> Inspected:
    """The upload's checks (files.inspection: CSV or XLSX only, size, spoofing, macros, zip
    bombs...), then for a workbook the ones that read no cell: its parts' sizes and its sheet's
    declared dimension within the row and column caps (issue 11 §3). Raises ValidationError
    on ``file``, naming the file."""
    try:
        found = inspect_upload(
            name,
            stream,
            allowed=PRICE_FILE_KINDS,
            limits=upload_limits(),
            not_allowed=FILE_TYPE_NAMED,
        )
        if found.kind is Kind.XLSX:
            reader.check_workbook(stream, sheet_limits())
    except UploadRefused as refused:
        raise ValidationError(
            {"file": ValidationError(refused.message, code=refused.code)}
        ) from None
    except FileProblem as exc:
        message = REFUSED_NAMED % {"name": name, "problem": problem_message(exc.problem)}
        raise ValidationError({"file": message}) from None
    return found


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
    """Check the uploaded file (``check_price_file``: nothing is kept when it is refused), keep
    it and queue its import (the page); ``in_background=False`` leaves running it to the caller
    (the command line). ``content_type`` is ignored: the type kept is the one of the bytes."""
    draft = SheetDraft.objects.select_related("supplier").get(pk=draft.pk)
    _require_import_access(by, draft)
    if draft.status not in rules.EDITABLE_DRAFT_STATES:
        raise ValidationError({"file": DRAFT_NOT_EDITABLE})
    found = check_price_file(name, stream)
    stored = stored_file_from_stream(by=by, name=name, stream=stream, content_type=found.media_type)
    supplier_file_keep(
        by=by,
        supplier=draft.supplier,
        type=PRICE_FILE,
        title=str(_("Fichier de prix — {name}")).format(name=name),
        name=name,
        stored=stored,
    )
    price_import = PriceImport.objects.create(draft=draft, file=stored, created_by=by)
    if in_background:
        transaction.on_commit(lambda: _enqueue(price_import.pk))
    return price_import


def _enqueue(import_id: int) -> None:
    """Queue the import and note its task (for pricefile/reaping.py)."""
    result = run_price_import.enqueue(import_id=import_id)
    PriceImport.objects.filter(pk=import_id, task_id="").update(task_id=str(result.id)[:64])
