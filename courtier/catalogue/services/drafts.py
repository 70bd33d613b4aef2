"""Proposals of changes to a supplier's sheet (DOMAIN §2): started from the version in force,
their content replaced whole (refused whole, every problem named), and the moves of their
review, run by the workflow of catalogue/workflow.py: the supplier submits, the broker sends
back with a comment or publishes (publication.py: what a publication checks and writes),
either abandons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.catalogue import rules
from courtier.catalogue.messages import DRAFT_ALREADY_OPEN, NOT_A_SUPPLIER
from courtier.catalogue.models import SheetDraft, SheetVersion
from courtier.catalogue.policies import draft_actors
from courtier.catalogue.selectors import latest_version
from courtier.catalogue.services.checks import (
    content_errors,
    foreign_files,
    lock_editable,
    normalise_content,
    require_sheet_access,
)
from courtier.catalogue.services.publication import Publication
from courtier.catalogue.services.records import sheet_files_keep
from courtier.catalogue.workflow import DRAFT_WORKFLOW


@transaction.atomic
def sheet_draft_create(*, by: User | None, supplier: Organisation, summary: str = "") -> SheetDraft:
    """Start a proposed change from the sheet in force (or an empty sheet)."""
    if supplier.kind != OrganisationKind.SUPPLIER:
        raise ValidationError({"supplier": NOT_A_SUPPLIER})
    require_sheet_access(by, supplier)
    Organisation.objects.select_for_update().get(pk=supplier.pk)
    if SheetDraft.objects.filter(supplier=supplier, status__in=rules.OPEN_DRAFT_STATES).exists():
        raise ValidationError({"supplier": DRAFT_ALREADY_OPEN})
    base = latest_version(supplier)
    draft = SheetDraft.objects.create(
        supplier=supplier,
        base_version=base,
        content=base.content if base else rules.empty_content(),
        summary=summary.strip(),
        created_by=by,
    )
    audit_event_record(
        actor=by,
        action="sheet_draft.created",
        obj=draft,
        organisation=supplier,
        after={"base_version": base.pk if base else None, "summary": draft.summary},
    )
    return draft


@transaction.atomic
def sheet_draft_update(
    *, by: User | None, draft: SheetDraft, content: Mapping[str, Any], summary: str | None = None
) -> SheetDraft:
    """Replace the proposed content. Refused whole, with every problem named, if any is wrong."""
    draft = lock_editable(by, draft)
    content = normalise_content(content)
    errors = content_errors(content) or foreign_files(draft, content)
    if errors:
        raise ValidationError(errors)
    before = {"summary": draft.summary, "content": draft.content}
    sheet_files_keep(by=by, draft=draft, content=content)
    draft.content = content
    if summary is not None:
        draft.summary = summary.strip()
    draft.updated_at = timezone.now()
    draft.save(update_fields=["content", "summary", "updated_at"])
    audit_event_record(
        actor=by,
        action="sheet_draft.updated",
        obj=draft,
        organisation=draft.supplier,
        before=before,
        after={"summary": draft.summary, "content": draft.content},
    )
    return draft


def _move(
    by: User | None, draft: SheetDraft, action: rules.DraftAction, **values: Any
) -> SheetDraft:
    """Lock the proposal and make the workflow's move (catalogue/workflow.py)."""
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    DRAFT_WORKFLOW.run(
        subject=draft, action=action, by=by, acting_as=draft_actors(by, draft), values=values
    )
    return draft


@transaction.atomic
def sheet_draft_submit(*, by: User | None, draft: SheetDraft) -> SheetDraft:
    """The supplier sends its proposal to the broker for review (DOMAIN §2)."""
    require_sheet_access(by, draft.supplier)
    return _move(by, draft, rules.DraftAction.SUBMIT, submitted_at=timezone.now())


@transaction.atomic
def sheet_draft_return(*, by: User | None, draft: SheetDraft, comment: str) -> SheetDraft:
    """The broker sends the proposal back with what to correct."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    return _move(
        by,
        draft,
        rules.DraftAction.RETURN,
        review_comment=comment.strip(),
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def sheet_draft_publish(
    *, by: User | None, draft: SheetDraft, today: date | None = None
) -> SheetVersion:
    """Publish the proposal as a new dated version of the sheet (004 §3.2): freeze its content,
    its prices and the change history against the previous version, update the offers the
    search reads, and tell the subscribers. ``today`` (the local date by default) is the
    publication day; the demo passes earlier days to rebuild a history."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    # The supplier's versions are numbered and named one publication at a time.
    supplier = Organisation.objects.select_for_update().get(pk=draft.supplier_id)
    # What the publish move's guards find and its writes use (services/publication.py).
    publication = Publication(day=today or timezone.localdate(), supplier=supplier)
    draft.publication = publication  # type: ignore[attr-defined]
    DRAFT_WORKFLOW.run(
        subject=draft,
        action=rules.DraftAction.PUBLISH,
        by=by,
        acting_as=draft_actors(by, draft),
        values={"reviewed_by": by, "reviewed_at": timezone.now()},
    )
    return publication.version


@transaction.atomic
def sheet_draft_abandon(*, by: User | None, draft: SheetDraft) -> SheetDraft:
    """The supplier (or the broker) gives the proposal up; its proposed prices are discarded."""
    require_sheet_access(by, draft.supplier)
    return _move(by, draft, rules.DraftAction.ABANDON)
