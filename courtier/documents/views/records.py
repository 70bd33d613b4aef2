"""The broker's records (DOMAIN §7): every document with its disposal date and holds, filtered by
type, organisation, disposal date, state and hold; the approval of a disposal and its
attestation; placing a legal hold on a document or its object, and lifting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.documents import policies, selectors
from courtier.documents.forms import (
    DisposalForm,
    HoldForm,
    LiftForm,
    RecordFilterForm,
    add_service_errors,
)
from courtier.documents.models import Disposal, LegalHold
from courtier.documents.services.disposal import (
    disposal_approve,
    legal_hold_lift,
    legal_hold_place,
)
from courtier.documents.services.retention import disposal_reason

PAGE_SIZE = 50


def _require_read(request: HttpRequest) -> None:
    if not policies.may_read_records(request.user):
        raise PermissionDenied


def _require_manage(request: HttpRequest) -> None:
    if not policies.may_manage_records(request.user):
        raise PermissionDenied


def _page(request: HttpRequest, rows: Any) -> Any:
    raw = request.GET.get("page", "1")
    return Paginator(rows, PAGE_SIZE).get_page(int(raw) if raw.isdigit() and len(raw) < 8 else 1)


def _records_page(request: HttpRequest, disposal_form: DisposalForm | None = None, status=200):
    form = RecordFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        status, rows = 422, selectors.visible_documents(request.user).none()
    else:
        filters = form.filters() if form.is_bound else selectors.DocumentFilters()
        rows = selectors.documents_filtered(request.user, filters)
    today = timezone.localdate()
    may_manage = policies.may_manage_records(request.user)
    due = list(selectors.due_for_disposal(today)) if may_manage else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/records.html",
        {
            "form": form,
            "page": _page(request, rows),
            "query": query.urlencode(),
            "due": [(document, disposal_reason(document)) for document in due],
            "disposal_form": disposal_form or DisposalForm(due_ids=[d.pk for d in due]),
            "may_manage": may_manage,
            "today": today,
        },
        status=status,
    )


def records(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    return _records_page(request)


@require_POST
def dispose(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    due_ids = list(selectors.due_for_disposal(timezone.localdate()).values_list("pk", flat=True))
    form = DisposalForm(request.POST, due_ids=due_ids)
    if form.is_valid():
        try:
            disposal = disposal_approve(
                by=request.user,
                document_ids=form.cleaned_data["documents"],
                method=form.cleaned_data["method"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Disposition approuvée : %(n)s document(s) éliminé(s).")
                % {"n": len(form.cleaned_data["documents"])},
            )
            return redirect("documents:disposal_detail", pk=disposal.pk)
    return _records_page(request, disposal_form=form, status=422)


def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_read(request)
    disposal = get_object_or_404(
        Disposal.objects.select_related("approved_by", "attestation"), pk=pk
    )
    tombstones = disposal.documents.select_related("owner").prefetch_related("versions")
    return render(
        request,
        "documents/disposal_detail.html",
        {"disposal": disposal, "tombstones": tombstones},
    )


def _record_page(request: HttpRequest, pk: int, hold_form: HoldForm | None = None, status=200):
    document = selectors.visible_documents(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return render(
        request,
        "documents/record_detail.html",
        {
            "document": document,
            "versions": sorted(document.versions.all(), key=lambda v: -v.number),
            "holds": selectors.holds_on(document),
            "hold_form": hold_form or HoldForm(),
            "lift_form": LiftForm(),
            "may_manage": policies.may_manage_records(request.user),
            "reason": disposal_reason(document) if document.disposal_on else "",
        },
        status=status,
    )


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_read(request)
    return _record_page(request, pk)


@require_POST
def hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    document = selectors.visible_documents(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    form = HoldForm(request.POST)
    if form.is_valid():
        on_subject = form.cleaned_data["scope"] == HoldForm.SUBJECT
        try:
            legal_hold_place(
                by=request.user,
                subject=document.subject if on_subject else document,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Blocage juridique placé : rien de ce qu'il couvre ne sera éliminé avant levée."),
            )
            return redirect("documents:record_detail", pk=document.pk)
    return _record_page(request, pk, hold_form=form, status=422)


def _holds_page(
    request: HttpRequest,
    lift_form: LiftForm | None = None,
    lift_errors_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = LegalHold.objects.select_related("placed_by", "lifted_by", "subject_type")
    return render(
        request,
        "documents/holds.html",
        {
            "page": _page(request, rows),
            "lift_form": lift_form or LiftForm(),
            "lift_errors_for": lift_errors_for,
            "may_manage": policies.may_manage_records(request.user),
        },
        status=status,
    )


def holds(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    return _holds_page(request)


@require_POST
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage(request)
    hold = get_object_or_404(LegalHold, pk=pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            legal_hold_lift(by=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Blocage juridique levé."))
            return redirect("documents:holds")
    return _holds_page(request, lift_form=form, lift_errors_for=hold.pk, status=422)


urlpatterns = [
    path("registre/", records, name="records"),
    path("registre/disposition/", dispose, name="dispose"),
    path("registre/dispositions/<int:pk>/", disposal_detail, name="disposal_detail"),
    path("registre/<int:pk>/", record_detail, name="record_detail"),
    path("registre/<int:pk>/blocage/", hold_place, name="hold_place"),
    path("registre/blocages/", holds, name="holds"),
    path("registre/blocages/<int:pk>/levee/", hold_lift, name="hold_lift"),
]
