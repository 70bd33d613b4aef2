"""What is owed to the broker (DOMAIN §7; 002 §4.10), for each side: the broker's staff see
every client's open and overdue documents and ask for more (from an object's documents panel);
a client's people see theirs and answer each by pointing at a kept document or sending one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.documents import policies, selectors, subjects
from courtier.documents.forms import (
    TransmissionAnswerForm,
    TransmissionRequestForm,
    add_service_errors,
)
from courtier.documents.models import DocumentStatus, TransmissionRequest, TransmissionStatus
from courtier.documents.services.requests import transmission_answer, transmission_request
from courtier.files.uploads import Upload


def _answerable(user: Any, request: TransmissionRequest) -> list[Any]:
    """The client's kept documents of the request's object, to point at."""
    return list(
        selectors.visible_documents(user).filter(
            subject_type_id=request.subject_type_id,
            subject_id=request.subject_id,
            owner_id=request.client_id,
            status=DocumentStatus.KEPT,
        )
    )


def _page(
    request: HttpRequest,
    *,
    answer_forms: dict[int, TransmissionAnswerForm] | None = None,
    request_form: TransmissionRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    rows = list(selectors.transmissions_of(user))
    today = timezone.localdate()
    open_rows = [r for r in rows if r.status == TransmissionStatus.OPEN]
    theirs = {r.pk for r in open_rows if permissions.can_change(user, r)}
    forms = answer_forms or {}
    answering = [
        (row, forms.get(row.pk) or TransmissionAnswerForm(documents=_answerable(user, row)))
        for row in open_rows
        if row.pk in theirs
    ]
    return render(
        request,
        "documents/transmissions.html",
        {
            "open_rows": [r for r in open_rows if r.pk not in theirs],
            "answering": answering,
            "done_rows": [r for r in rows if r.status != TransmissionStatus.OPEN],
            "today": today,
            "request_form": request_form,
        },
        status=status,
    )


def transmissions(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_transmissions(request.user):
        raise PermissionDenied
    return _page(request)


def _subject_of(user: Any, form: TransmissionRequestForm) -> Any:
    content_type = ContentType.objects.filter(pk=form.cleaned_data["subject_type"]).first()
    model = content_type.model_class() if content_type else None
    if model is None or model not in {s.model for s in subjects.registered()}:
        raise Http404
    subject = permissions.scope(user, model.objects.all()).filter(
        pk=form.cleaned_data["subject_id"]
    )
    if not subject.exists():
        raise Http404
    return subject.get()


@require_POST
def transmission_ask(request: HttpRequest) -> HttpResponse:
    if not policies.may_manage_records(request.user):
        raise PermissionDenied
    form = TransmissionRequestForm(request.POST)
    if form.is_valid():
        subject = _subject_of(request.user, form)
        try:
            transmission_request(
                by=request.user,
                subject=subject,
                type=form.cleaned_data["type"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Document demandé : l'organisme en est avisé par courriel.")
            )
            return redirect("documents:transmissions")
    return _page(request, request_form=form, status=422)


@require_POST
def transmission_send(request: HttpRequest, pk: int) -> HttpResponse:
    row = permissions.get_visible_or_404(request.user, TransmissionRequest.objects.all(), pk=pk)
    if not permissions.can_change(request.user, row):
        raise PermissionDenied
    form = TransmissionAnswerForm(
        request.POST, request.FILES, documents=_answerable(request.user, row)
    )
    if form.is_valid():
        chosen = form.cleaned_data.get("document")
        upload = form.cleaned_data.get("file")
        try:
            if chosen is not None and chosen not in form.documents:
                raise ValidationError({"document": _("Choisissez un document de la liste.")})
            transmission_answer(
                by=request.user,
                request=row,
                document=form.documents.get(chosen) if chosen is not None else None,
                upload=Upload.from_form(upload) if upload is not None else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Document transmis au Courtier."))
            return redirect("documents:transmissions")
    return _page(request, answer_forms={row.pk: form}, status=422)


urlpatterns = [
    path("transmissions/", transmissions, name="transmissions"),
    path("transmissions/demander/", transmission_ask, name="transmission_ask"),
    path("transmissions/<int:pk>/transmettre/", transmission_send, name="transmission_send"),
]
