"""The files: the list, a new file, the guided page, the moves between steps and the file's
documents (DOMAIN §7)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courtier.accounts import permissions
from courtier.accounts.models import OrganisationKind
from courtier.accounts.rules import Perm
from courtier.acquisitions import checks, rules, selectors
from courtier.acquisitions.forms import FileCreateForm, NeedsForm
from courtier.acquisitions.messages import DONE_MESSAGES
from courtier.acquisitions.models import AcquisitionFile, FileState
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import transitions as transitions_services
from courtier.acquisitions.views.common import (
    CONFIRMED_ACTIONS,
    STEP_ANCHORS,
    _clients_run_by,
    _messages,
    _run,
    _url,
    _with_errors,
)
from courtier.acquisitions.views.page import _file_page
from courtier.acquisitions.workflow import FILE_WORKFLOW


def file_list(request: HttpRequest) -> HttpResponse:
    """The files this person sees, the most recently changed first, by step."""
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)
    state = request.GET.get("etape", "")
    if state not in dict(FileState.choices):
        state = ""
    files = selectors.files_for(request.user, state=state or None)
    return render(
        request,
        "acquisitions/file_list.html",
        {
            "files": files,
            "state": state,
            "states": FileState.choices,
            "can_create": bool(_clients_run_by(request.user))
            and permissions.has_perm(request.user, Perm.WRITE),
        },
    )


@require_http_methods(["GET", "POST"])
def file_create(request: HttpRequest) -> HttpResponse:
    clients = _clients_run_by(request.user)
    if not clients or not permissions.has_perm(request.user, Perm.WRITE):
        raise PermissionDenied
    group_possible = any(c.kind == OrganisationKind.GROUP_PURCHASER for c in clients)
    form = FileCreateForm(request.POST or None, clients=clients, group_possible=group_possible)
    if request.method == "POST":
        by_pk = {c.pk: c for c in clients}
        ok, file = _run(
            form,
            lambda data: needs_services.file_create(
                by=request.user,
                client=form.only_client or by_pk[data["client"]],
                title=data["title"],
                is_group_purchase=bool(data.get("is_group_purchase")),
            ),
        )
        if ok:
            messages.success(
                request,
                _("Dossier %(ref)s ouvert : répondez au questionnaire de l'étape 1.")
                % {"ref": file.reference},
            )
            return redirect(_url(file, STEP_ANCHORS[1]))
    return render(
        request,
        "acquisitions/file_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def file_detail(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    """The file with one step open: ``number`` from its URL (/etape-N/), else the current."""
    if number is not None and not 1 <= number <= len(rules.STEP_ORDER):
        raise Http404
    return _file_page(request, selectors.file_for(request.user, pk), step_number=number)


@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A move along rules.TRANSITIONS. Going back and abandoning are confirmed first (GET)."""
    file = selectors.file_to_run(request.user, pk)
    if action not in rules.Action.__members__.values() or action == rules.Action.FREEZE_STRATEGY:
        raise Http404
    if request.method == "GET":
        if action not in CONFIRMED_ACTIONS:
            return redirect(_url(file))
        return render(
            request,
            "acquisitions/transition_confirm.html",
            {
                "file": file,
                "action": action,
                "possible": FILE_WORKFLOW.find(file.state, action) is not None,
                "back_label": dict(FileState.choices).get(rules.STEP_ORDER[file.step - 2], "")
                if 2 <= file.step <= len(rules.STEP_ORDER)
                else "",
            },
        )
    if action == rules.Action.SUBMIT_NEEDS and "title" in request.POST:
        # The questionnaire came with the move (its button posts the form): what was typed is
        # saved first, or the page refuses with the typed values kept (issue 10, point 3).
        form = NeedsForm(request.POST)
        ok, _saved = _run(
            form,
            lambda data: needs_services.file_update_needs(
                by=request.user, file=file, **form.service_arguments()
            ),
            NeedsForm.field_for,
        )
        if not ok:
            file.refresh_from_db()
            return _file_page(request, file, status=422, needs_form=form)
        file.refresh_from_db()
    try:
        transitions_services.file_transition(by=request.user, file=file, action=action)
    except ValidationError as exc:
        file.refresh_from_db()
        if action == rules.Action.SUBMIT_NEEDS and file.state == rules.State.NEEDS:
            # Each problem on its question, field or plan line, named in the form's summary.
            return _file_page(request, file, status=422, **_needs_refusal(file))
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(request, str(DONE_MESSAGES[rules.Action(action)]))
    file.refresh_from_db()
    anchor = STEP_ANCHORS.get(file.step, "")
    return redirect(_url(file, anchor))


def _needs_refusal(file: AcquisitionFile) -> dict[str, Any]:
    """Each problem of the questionnaire on its field, and each plan line's on its line."""
    problems = checks.needs_problems(file)
    fields: dict[str | None, Any] = {}
    lines: dict[str, str] = {}
    plan: list[str] = []
    also: list[dict[str, str]] = []
    labels = {n.code: n.label for n in file.needs.all()}
    for key, message in problems.items():
        if key == "needs":
            plan.append(message)
            also.append({"label": _("Plan de consommation"), "message": message, "anchor": "plan"})
        elif key.startswith("needs."):
            code = key.split(".", 1)[1]
            lines[code] = message
            label = _("Ligne « %(label)s » du plan") % {"label": labels.get(code, code)}
            also.append({"label": label, "message": message, "anchor": "plan"})
        else:
            fields[NeedsForm.field_for(key)] = message
    form = NeedsForm(initial=NeedsForm.initial_for(file))
    return {
        "needs_form": _with_errors(form, fields),
        "need_problems": lines,
        "plan_problems": plan,
        "needs_also": also,
    }
