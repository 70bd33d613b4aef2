"""What the services of proposals check in common: who may work on a supplier's sheet
(DOMAIN §1), whether a proposal may still be edited, and what is wrong with a proposed content
(rules.content_problems, in French; the files it may point at). Nothing here writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.messages import CONTENT_PROBLEMS, DOCUMENT_FILE_UNKNOWN, DRAFT_NOT_EDITABLE
from courtier.catalogue.models import Category, SheetDraft
from courtier.files import claims
from courtier.files.models import StoredFile


def require_sheet_access(by: User | None, supplier: Organisation) -> None:
    """The broker's agents, or the supplier's own representatives (DOMAIN §1). The supplier's
    visibility is read only to refuse (404 for who may not see it, else 403)."""
    if by is None:
        return
    g = permissions.grants(by)
    if g.anywhere(Perm.PUBLISH_CATALOGUE):
        return
    if supplier.pk in g.organisations_with(Perm.PROPOSE_SHEET):
        return
    permissions.require_view(by, supplier)
    raise permissions.PermissionDenied


def lock_editable(by: User | None, draft: SheetDraft) -> SheetDraft:
    """The proposal, locked, once ``by`` may work on it and it may still be edited."""
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    require_sheet_access(by, draft.supplier)
    if draft.status not in rules.EDITABLE_DRAFT_STATES:
        raise ValidationError({"status": DRAFT_NOT_EDITABLE})
    return draft


def content_errors(content: Mapping[str, Any]) -> dict[str, list[str]]:
    """French messages per path for everything wrong in ``content`` (empty when fine)."""
    codes = Category.objects.values_list("code", flat=True)
    errors: dict[str, list[str]] = {}
    for problem in rules.content_problems(content, categories=codes):
        message = CONTENT_PROBLEMS[problem.problem] % {"value": problem.value}
        errors.setdefault(problem.path, []).append(message)
    return errors


def normalise_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """Every section present, in the order of rules.SHEET_FIELDS (unknown keys kept, at the
    end, for content_errors to name)."""
    merged = {**rules.empty_content(), **content}
    return {key: merged[key] for key in rules.SHEET_FIELDS if key in merged} | {
        key: value for key, value in content.items() if key not in rules.SHEET_FIELDS
    }


def foreign_files(draft: SheetDraft, content: Mapping[str, Any]) -> dict[str, list[str]]:
    """A sheet may point only at files its own supplier, the broker or the system (demo,
    commands) deposited, or that it already pointed at: a file's hash must not open another
    supplier's document."""
    known = {doc.get("file_sha256") for doc in draft.content.get("documents", [])}
    wanted = {
        i: doc.get("file_sha256")
        for i, doc in enumerate(content.get("documents", []))
        if doc.get("file_sha256") not in known
    }
    if not wanted:
        return {}
    depositors = Organisation.objects.filter(
        Q(pk=draft.supplier_id) | Q(kind=OrganisationKind.BROKER)
    ).values("memberships__user_id")
    allowed = set(
        StoredFile.objects.filter(sha256__in=set(wanted.values()))
        .filter(Q(created_by_id__in=depositors) | Q(created_by__isnull=True))
        .values_list("sha256", flat=True)
    )
    # Deposited by the broker or the system is not enough: the file must not be another
    # organisation's record (a client's file documents, a store document: issue 11 §7).
    allowed -= claims.held_by_others(allowed, draft.supplier_id)
    return {
        f"documents[{i}].file_sha256": [str(DOCUMENT_FILE_UNKNOWN)]
        for i, sha in wanted.items()
        if sha not in allowed
    }
