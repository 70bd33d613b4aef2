"""Questions to suppliers and trials (004 §3.3.2): the client asks and records trials on the
file's page; the suppliers answer in their inbox, where the broker's staff follow the late
ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.acquisitions import selectors
from courtier.acquisitions.forms import AnswerForm, QuestionForm, TrialForm, TrialReportForm
from courtier.acquisitions.models import SupplierQuestion, Trial
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.views.common import _offer_choices, _run, _url
from courtier.acquisitions.views.page import _file_page
from courtier.core.formatting import long_date
from courtier.files.uploads import Upload


@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    candidates = list(file.candidates.select_related("offer__supplier"))
    offers = {c.offer_id: c.offer for c in candidates}
    form = QuestionForm(request.POST, offers=_offer_choices(candidates), auto_id="id_question_%s")
    ok, question = _run(
        form,
        lambda data: questions_services.question_ask(
            by=request.user, file=file, offer=offers[data["offer"]], text=data["text"]
        ),
    )
    if ok:
        messages.success(
            request,
            _("Question transmise à %(supplier)s : réponse attendue au plus tard le %(due)s.")
            % {"supplier": question.supplier.name, "due": long_date(question.due_on)},
        )
        return redirect(_url(file, "questions"))
    return _file_page(request, file, status=422, question_form=form)


@require_POST
def trial_create(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    candidates = list(file.candidates.select_related("offer__supplier"))
    offers = {c.offer_id: c.offer for c in candidates}
    form = TrialForm(request.POST, offers=_offer_choices(candidates), auto_id="id_essai_%s")
    ok, trial = _run(
        form,
        lambda data: questions_services.trial_create(
            by=request.user,
            file=file,
            offer=offers[data["offer"]],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            units=data["units"],
            attestation=data["attestation"],
        ),
    )
    if ok:
        messages.success(
            request, _("Banc d'essai de « %(name)s » enregistré.") % {"name": trial.offer.name}
        )
        return redirect(_url(file, "bancs-essai"))
    return _file_page(request, file, status=422, trial_form=form)


@require_POST
def trial_report(request: HttpRequest, pk: int, trial: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = Trial.objects.filter(file=file, pk=trial).select_related("offer", "file").first()
    if row is None:
        raise Http404
    form = TrialReportForm(request.POST, request.FILES, auto_id=f"id_rapport_{row.pk}_%s")

    def attach(data: dict[str, Any]) -> Trial:
        upload = Upload.from_form(data["report"])
        return questions_services.trial_attach_report(
            by=request.user, trial=row, summary=data["summary"], **upload.as_kwargs()
        )

    ok, _result = _run(form, attach)
    if ok:
        messages.success(request, _("Rapport du banc d'essai joint aux documents du dossier."))
        return redirect(_url(file, "bancs-essai"))
    return _file_page(request, file, status=422, report_form=(row.pk, form))


def _inbox_rows(user: Any) -> list[selectors.QuestionRow]:
    rows = selectors.question_rows(selectors.questions_for_supplier(user))
    # The broker's agents see the late ones first, then those still unanswered (004 §3.3.2).
    return sorted(
        rows,
        key=lambda r: (not r.overdue, r.question.answered_at is not None, r.question.due_on),
    )


def _inbox(
    request: HttpRequest, *, status: int = 200, bound: tuple[int, AnswerForm] | None = None
) -> HttpResponse:
    user = request.user
    rows = []
    for row in _inbox_rows(user):
        question = row.question
        may_answer = question.answered_at is None and permissions.can_change(user, question)
        form = None
        if may_answer:
            form = (
                bound[1]
                if bound and bound[0] == question.pk
                else AnswerForm(auto_id=f"id_reponse_{question.pk}_%s")
            )
        rows.append({"row": row, "form": form})
    return render(
        request,
        "acquisitions/questions_inbox.html",
        {
            "rows": rows,
            "late": sum(1 for r in rows if r["row"].overdue),
            "is_broker": permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS),
        },
        status=status,
    )


def _require_inbox(request: HttpRequest) -> None:
    g = permissions.grants(request.user)
    if not (g.anywhere(Perm.ANSWER_QUESTIONS) or g.anywhere(Perm.SEE_ALL_ORGANISATIONS)):
        raise PermissionDenied


def questions_inbox(request: HttpRequest) -> HttpResponse:
    """The questions addressed to the supplier, with their due date and the late ones flagged;
    the broker's staff see every question, late ones first."""
    _require_inbox(request)
    return _inbox(request)


@require_POST
def question_answer(request: HttpRequest, question: int) -> HttpResponse:
    row = permissions.get_visible_or_404(
        request.user, SupplierQuestion.objects.select_related("file", "supplier"), pk=question
    )
    permissions.require_change(request.user, row)
    form = AnswerForm(request.POST, auto_id=f"id_reponse_{row.pk}_%s")
    ok, _result = _run(
        form, lambda data: questions_services.question_answer(by=request.user, question=row, **data)
    )
    if ok:
        messages.success(request, _("Réponse transmise au client."))
        return redirect("acquisitions:questions_inbox")
    return _inbox(request, status=422, bound=(row.pk, form))
