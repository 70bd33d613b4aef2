"""Who may do what on the Catalogue's pages (courtier.accounts.permissions; the policies of
catalogue/policies.py), and the proposal a page works on. What a person may not see answers
404; what they see but may not do answers 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.urls import reverse

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.messages import DRAFT_NOT_EDITABLE
from courtier.catalogue.models import SheetDraft, SheetVersion

PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")


def require_browse(request: HttpRequest) -> None:
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)


def may_propose(user: Any, supplier: Organisation) -> bool:
    g = permissions.grants(user)
    return g.anywhere(Perm.PUBLISH_CATALOGUE) or supplier.pk in g.organisations_with(
        Perm.PROPOSE_SHEET
    )


def sheet_supplier(request: HttpRequest, pk: int) -> Organisation:
    """A supplier whose sheet the person may see: a published one, their own, or any for the
    broker's staff (who may start a supplier's first sheet). 404 otherwise."""
    supplier = Organisation.objects.filter(pk=pk, kind=OrganisationKind.SUPPLIER).first()
    if supplier is None:
        raise Http404
    g = permissions.grants(request.user)
    if (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS)
        or supplier.pk in g.organisations_with(Perm.PROPOSE_SHEET)
        or permissions.scope(request.user, SheetVersion.objects.filter(supplier=supplier)).exists()
    ):
        return supplier
    raise Http404


def visible_draft(request: HttpRequest, pk: int) -> SheetDraft:
    return permissions.get_visible_or_404(
        request.user, SheetDraft.objects.select_related("supplier", "base_version"), pk=pk
    )


def draft_to_change(request: HttpRequest, pk: int) -> SheetDraft:
    draft = visible_draft(request, pk)
    permissions.require_change(request.user, draft)
    return draft


def editable(request: HttpRequest, draft: SheetDraft) -> bool:
    """Whether the proposal can still be edited; if not, say so (the caller redirects)."""
    if draft.status in rules.EDITABLE_DRAFT_STATES:
        return True
    messages.error(request, str(DRAFT_NOT_EDITABLE))
    return False


def draft_url(draft: SheetDraft, anchor: str = "") -> str:
    url = reverse("catalogue:draft_detail", args=[draft.pk])
    return f"{url}#{anchor}" if anchor else url
