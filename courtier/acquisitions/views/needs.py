"""Step 1 (DOMAIN §3.1; 002 §2.1): the questionnaire, the lines of the consumption plan, and a
member body's own consumption in a group purchase (seed 003)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtier.acquisitions import selectors
from courtier.acquisitions.forms import MemberConsumptionForm, NeedLineForm, NeedsForm
from courtier.acquisitions.models import MemberConsumption
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.views.common import _member_choices, _messages, _run, _url
from courtier.acquisitions.views.page import _file_page


@require_POST
def needs_update(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = NeedsForm(request.POST)
    ok, _result = _run(
        form,
        lambda data: needs_services.file_update_needs(
            by=request.user, file=file, **form.service_arguments()
        ),
        NeedsForm.field_for,
    )
    if ok:
        messages.success(request, _("Questionnaire enregistré."))
        return redirect(_url(file, "questionnaire"))
    file.refresh_from_db()
    return _file_page(request, file, status=422, needs_form=form)


@require_http_methods(["GET", "POST"])
def need_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a line to the consumption plan, or change one (?code=...)."""
    file = selectors.file_to_run(request.user, pk)
    code = request.GET.get("code") or ""
    existing = file.needs.filter(code=code).first() if code else None
    if code and existing is None:
        raise Http404
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "code": existing.code,
            "label": existing.label,
            "kind": existing.kind,
            "unit": existing.unit,
            "monthly": " ".join(str(q) for q in existing.quantities),
        }
    form = NeedLineForm(
        request.POST or None,
        initial=initial,
        months=file.duration_months,
        starts_on=file.planned_start,
        group=file.is_group_purchase,
        editing=existing is not None,
        auto_id="id_ligne_%s",
    )
    if request.method == "POST":
        ok, need = _run(
            form,
            lambda data: needs_services.need_line_save(
                by=request.user, file=file, **form.service_arguments()
            ),
        )
        if ok:
            messages.success(
                request,
                _("Ligne « %(label)s » enregistrée au plan de consommation.")
                % {"label": need.label},
            )
            return redirect(_url(file, "plan"))
    return render(
        request,
        "acquisitions/need_form.html",
        {"file": file, "form": form, "existing": existing},
        status=422 if form.errors else 200,
    )


@require_POST
def need_delete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        needs_services.need_line_delete(by=request.user, file=file, code=code)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(request, _("Ligne retirée du plan de consommation."))
    return redirect(_url(file, "plan"))


@require_http_methods(["GET", "POST"])
def member_consumption(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A member body's own quantities for one line of a group purchase (seed 003)."""
    file = selectors.file_for(request.user, pk)
    need = file.needs.filter(code=code).first()
    if need is None or not file.is_group_purchase:
        raise Http404
    members = _member_choices(request.user, file)
    if not members:
        raise PermissionDenied
    chosen = request.GET.get("membre", "")
    initial: dict[str, Any] = {}
    current = MemberConsumption.objects.filter(
        need=need, member_id=int(chosen) if chosen.isdigit() else members[0].pk
    ).first()
    if current is not None:
        initial = {
            "member": current.member_id,
            "monthly": " ".join(str(q) for q in current.quantities),
        }
    form = MemberConsumptionForm(
        request.POST or None,
        initial=initial,
        members=members,
        months=file.duration_months,
        starts_on=file.planned_start,
    )
    if request.method == "POST":
        by_pk = {m.pk: m for m in members}
        ok, _row = _run(
            form,
            lambda data: needs_services.member_consumption_save(
                by=request.user,
                file=file,
                need_code=need.code,
                member=by_pk[data["member"]],
                quantities=data["quantities"],
            ),
        )
        if ok:
            messages.success(
                request,
                _("Consommation de %(member)s enregistrée pour « %(label)s ».")
                % {"member": by_pk[form.cleaned_data["member"]].name, "label": need.label},
            )
            return redirect(_url(file, "plan"))
    return render(
        request,
        "acquisitions/member_form.html",
        {"file": file, "need": need, "form": form},
        status=422 if form.errors else 200,
    )
