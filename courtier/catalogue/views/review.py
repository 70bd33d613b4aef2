"""A proposal's page (its side-by-side diff against the version in force, its content and
prices, its review actions), the broker's review queue, and the moves of the review: the
supplier submits, the broker sends back with a comment or publishes, either abandons
(DOMAIN §2; catalogue/workflow.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.forms import ReturnForm
from courtier.catalogue.models import (
    DraftStatus,
    PriceImport,
    PriceList,
    PriceListStatus,
    SheetDraft,
)
from courtier.catalogue.policies import may_see_drafts
from courtier.catalogue.selectors import latest_version
from courtier.catalogue.services.drafts import (
    sheet_draft_abandon,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
)
from courtier.catalogue.services.prices import draft_changes
from courtier.catalogue.views.access import PAGE_SIZE, draft_to_change, visible_draft
from courtier.catalogue.views.display import content_error_messages, diff_display, sheet_display
from courtier.core.forms import submit

QUEUE_TABS = [
    ("ouvertes", gettext_lazy("À examiner et en cours")),
    ("fermees", gettext_lazy("Publiées ou abandonnées")),
]


def draft_queue(request: HttpRequest) -> HttpResponse:
    """The broker's review queue (submitted first); a supplier's people see their own."""
    if not may_see_drafts(request.user):
        raise PermissionDenied
    tab = request.GET.get("etat", "ouvertes")
    if tab not in dict(QUEUE_TABS):
        tab = "ouvertes"
    drafts = permissions.scope(request.user, SheetDraft.objects.select_related("supplier"))
    if tab == "ouvertes":
        drafts = drafts.filter(status__in=rules.OPEN_DRAFT_STATES)
    else:
        drafts = drafts.exclude(status__in=rules.OPEN_DRAFT_STATES)
    drafts = drafts.annotate(
        queue_rank=Case(
            When(status=DraftStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("queue_rank", "submitted_at", "-updated_at", "-pk")
    page = Paginator(drafts, PAGE_SIZE).get_page(request.GET.get("page"))
    g = permissions.grants(request.user)
    own_suppliers = Organisation.objects.filter(
        pk__in=g.organisations_with(Perm.PROPOSE_SHEET), kind=OrganisationKind.SUPPLIER
    )
    return render(
        request,
        "catalogue/draft_queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": QUEUE_TABS,
            "own_suppliers": own_suppliers
            if permissions.has_perm(request.user, Perm.WRITE)
            else [],
        },
    )


def draft_page(
    request: HttpRequest,
    draft: SheetDraft,
    *,
    status: int = 200,
    return_form: ReturnForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    in_force = latest_version(draft.supplier_id)
    is_open = draft.status in rules.OPEN_DRAFT_STATES
    may_change = permissions.can_change(user, draft)
    may_publish = permissions.has_perm(user, Perm.PUBLISH_CATALOGUE) and permissions.has_perm(
        user, Perm.WRITE
    )
    if draft.status == DraftStatus.PUBLISHED and hasattr(draft, "version"):
        changes = draft.version.changes
    else:
        changes = draft_changes(draft)
    price_lists = (
        PriceList.objects.filter(draft=draft)
        .exclude(status=PriceListStatus.DISCARDED)
        .order_by("offer_code", "effective_from")
    )
    try:
        import_url = reverse("catalogue:price_import_new", args=[draft.pk])
    except NoReverseMatch:
        import_url = ""
    imports = permissions.scope(user, PriceImport.objects.filter(draft=draft))[:5]
    editable = is_open and may_change and draft.status in rules.EDITABLE_DRAFT_STATES
    return render(
        request,
        "catalogue/draft_detail.html",
        {
            "draft": draft,
            "in_force": in_force,
            "outdated": is_open and in_force is not None and draft.base_version_id != in_force.pk,
            "sheet": sheet_display(draft.content, draft.supplier),
            "diff": diff_display(changes),
            "price_lists": price_lists,
            "import_url": import_url,
            "imports": imports,
            "can_edit": editable,
            "can_submit": editable,
            "can_abandon": is_open and may_change,
            "can_return": may_publish and draft.status == DraftStatus.SUBMITTED,
            "can_publish": may_publish
            and rules.next_draft_state(draft.status, rules.DraftAction.PUBLISH) is not None,
            "return_form": return_form or ReturnForm(),
            "action_errors": errors or [],
        },
        status=status,
    )


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal: its side-by-side diff against the version in force, its content section by
    section (editable by its author), its prices, and the review actions."""
    return draft_page(request, visible_draft(request, pk))


@require_POST
def draft_submit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_to_change(request, pk)
    try:
        sheet_draft_submit(by=request.user, draft=draft)
    except ValidationError as exc:
        return draft_page(
            request, draft, status=422, errors=content_error_messages(exc, draft.content)
        )
    messages.success(
        request, _("Proposition soumise au Courtier, qui en a été avisé par courriel.")
    )
    return redirect("catalogue:draft_detail", pk=draft.pk)


@require_POST
def draft_return(request: HttpRequest, pk: int) -> HttpResponse:
    draft = visible_draft(request, pk)
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = ReturnForm(request.POST)
    if submit(form, lambda data: sheet_draft_return(by=request.user, draft=draft, **data)).ok:
        messages.success(
            request,
            _("Proposition renvoyée à %(name)s avec votre commentaire.")
            % {"name": draft.supplier.name},
        )
        return redirect("catalogue:draft_queue")
    draft.refresh_from_db()
    return draft_page(request, draft, status=422, return_form=form)


@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = visible_draft(request, pk)
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    try:
        version = sheet_draft_publish(by=request.user, draft=draft)
    except ValidationError as exc:
        return draft_page(
            request, draft, status=422, errors=content_error_messages(exc, draft.content)
        )
    messages.success(request, _("Version publiée : %(name)s.") % {"name": version.name})
    return redirect("catalogue:version_detail", pk=version.pk)


@require_POST
def draft_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_to_change(request, pk)
    try:
        sheet_draft_abandon(by=request.user, draft=draft)
    except ValidationError as exc:
        return draft_page(request, draft, status=422, errors=list(exc.messages))
    messages.success(request, _("Proposition abandonnée."))
    return redirect("catalogue:draft_queue")
