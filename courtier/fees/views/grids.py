"""The fee grid's pages (issue 15 §1; 001 §9.1): the versions a person sees (the one in force
today highlighted, each published one's PDF among the Catalogue's supporting documents), a
version's page with its lines, and for the broker's admin the form of a new version, the
changes of a draft and its publication. Every form calls one service and redirects (PRG), or
comes back with the service's refusals (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.core.formatting import long_date
from courtier.core.forms import submit
from courtier.fees import policies, selectors
from courtier.fees.forms.grids import GridForm, grid_initial
from courtier.fees.models import FeeGrid, GridState
from courtier.fees.services import grids as services


def _keeper(request: HttpRequest) -> None:
    if not policies.keeps_grid(request.user):
        raise PermissionDenied


def grid_for(user: Any, pk: int) -> FeeGrid:
    found = selectors.grids_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def grid_list(request: HttpRequest) -> HttpResponse:
    grids = list(selectors.grids_for(request.user).select_related("supporting_version"))
    in_force = selectors.grid_in_force(timezone.localdate())
    context = {
        "grids": grids,
        "in_force_id": in_force.pk if in_force is not None else None,
        "keeps_grid": policies.keeps_grid(request.user),
    }
    return render(request, "fees/grids/grid_list.html", context)


def grid_new(request: HttpRequest) -> HttpResponse:
    _keeper(request)
    if request.method == "POST":
        form = GridForm(request.POST)
        done = submit(form, lambda d: services.fee_grid_create(by=request.user, **form.values()))
        if done.ok:
            messages.success(
                request,
                _("La version {version} de la grille est en préparation.").format(
                    version=done.result.version
                ),
            )
            return redirect("fees:grid", pk=done.result.pk)
        return _form_page(request, form, None, status=422)
    initial = {}
    current = selectors.grid_in_force(timezone.localdate())
    if current is not None:  # a new version starts from the one in force
        initial = grid_initial(current)
        initial.pop("effective_on")
        initial["notes"] = ""
    return _form_page(request, GridForm(initial=initial), None)


def _form_page(
    request: HttpRequest, form: GridForm, grid: FeeGrid | None, *, status: int = 200
) -> HttpResponse:
    context = {"form": form, "grid": grid, "next_version": services.next_version()}
    return render(request, "fees/grids/grid_form.html", context, status=status)


def _detail_page(
    request: HttpRequest,
    grid: FeeGrid,
    *,
    form: GridForm | None = None,
    publish_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = grid.state == GridState.DRAFT and policies.keeps_grid(request.user)
    if editable and form is None:
        form = GridForm(initial=grid_initial(grid))
    in_force = selectors.grid_in_force(timezone.localdate())
    context = {
        "grid": grid,
        "lines": list(grid.lines.all()),
        "form": form if editable else None,
        "editable": editable,
        "in_force": in_force is not None and in_force.pk == grid.pk,
        "publish_errors": publish_errors or [],
    }
    return render(request, "fees/grids/grid.html", context, status=status)


def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = grid_for(request.user, pk)
    if request.method == "POST":
        _keeper(request)
        form = GridForm(request.POST)
        done = submit(
            form,
            lambda d: services.fee_grid_update(by=request.user, grid=grid, **form.values()),
        )
        if done.ok:
            messages.success(request, _("La grille en préparation est enregistrée."))
            return redirect("fees:grid", pk=grid.pk)
        if grid.state != GridState.DRAFT:  # published meanwhile: shown read-only, with why
            return _detail_page(request, grid, publish_errors=_messages_of(form), status=422)
        return _detail_page(request, grid, form=form, status=422)
    return _detail_page(request, grid)


def _messages_of(form: GridForm) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


@require_POST
def grid_publish(request: HttpRequest, pk: int) -> HttpResponse:
    grid = grid_for(request.user, pk)
    _keeper(request)
    try:
        published = services.fee_grid_publish(by=request.user, grid=grid)
    except ValidationError as refused:
        grid.refresh_from_db()
        return _detail_page(request, grid, publish_errors=refused.messages, status=422)
    messages.success(
        request,
        _(
            "La version {version} de la grille est publiée : elle s'applique à compter du "
            "{day}. Son PDF rejoint les documents de soutien du Catalogue."
        ).format(version=published.version, day=long_date(published.effective_on)),
    )
    return redirect("fees:grid", pk=grid.pk)
