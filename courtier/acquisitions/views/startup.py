"""Step 5 (002 §2.5): the broker convenes the startup meeting and freezes the strategy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.acquisitions import selectors
from courtier.acquisitions.forms import MeetingForm
from courtier.acquisitions.services import startup as startup_services
from courtier.acquisitions.views.common import _meeting_people, _messages, _run, _url
from courtier.acquisitions.views.page import _file_page


@require_POST
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The broker convenes the startup meeting (002 §2.5); its agenda is written for it."""
    file = selectors.file_to_manage(request.user, pk)
    form = MeetingForm(request.POST, people=_meeting_people(file), auto_id="id_rencontre_%s")
    ok, _meeting = _run(
        form,
        lambda data: startup_services.startup_meeting_schedule(by=request.user, file=file, **data),
    )
    if ok:
        messages.success(
            request,
            _("Rencontre de démarrage convoquée : les participants ont été avisés par courriel."),
        )
        return redirect(_url(file, "rencontre"))
    return _file_page(request, file, status=422, meeting_form=form)


@require_POST
def strategy_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_manage(request.user, pk)
    try:
        startup_services.strategy_freeze(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Stratégie d'acquisition figée et remise à la préparation du contrat."),
    )
    return redirect(_url(file, "strategie"))
