"""A provider's pages (002 §3.3.3, §3.5): its inbox of the price requests sent to it, and each
solicitation: the request as sent, the deadline as a date and in business days left, the
published answers (askers named by pseudonym only), its questions, its response and, when it did
not respond, its non-participation questionnaire."""

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
from courtier.core.forms import submit
from courtier.files.uploads import Upload
from courtier.pricerequests import forms, selectors
from courtier.pricerequests.api.answers import sections_out
from courtier.pricerequests.models import NonParticipation, ServiceResponse, Solicitation
from courtier.pricerequests.services import questions as questions_services
from courtier.pricerequests.services import responses as responses_services
from courtier.pricerequests.views.files import error_summary


def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.has_perm(request.user, Perm.RESPOND_PRICE_REQUESTS):
        raise PermissionDenied
    rows = [
        {
            "solicitation": s,
            "days_left": selectors.business_days_left(s.request.deadline_at),
            "responded": s.responded,
        }
        for s in selectors.solicitations_for(request.user)[:200]
    ]
    return render(request, "pricerequests/inbox.html", {"rows": rows})


def _page(
    request: HttpRequest, s: Solicitation, *, status: int = 200, **bound: Any
) -> HttpResponse:
    price_request = s.request
    response = ServiceResponse.objects.filter(solicitation=s).first()
    questionnaire = NonParticipation.objects.filter(solicitation=s).first()
    is_provider = permissions.can_change(request.user, s)
    open_ = price_request.state in ("sent", "change_submitted") and not selectors.deadline_passed(
        price_request
    )
    editable = is_provider and open_ and (response is None or response.state == "draft")
    context: dict[str, Any] = {
        "s": s,
        "request_": price_request,
        "file": price_request.file,
        "sections": sections_out(price_request),
        "qualifications": list(price_request.file.qualifications.order_by("name")),
        "days_left": selectors.business_days_left(price_request.deadline_at),
        "deadline_passed": selectors.deadline_passed(price_request),
        "questions": [
            q
            for q in selectors.questions_for(request.user, price_request)
            if q.published_at is not None or q.solicitation_id == s.pk
        ],
        "response": response,
        "documents": list(response.documents.prefetch_related("versions").order_by("pk"))
        if response
        else [],
        "questionnaire": questionnaire,
        "is_provider": is_provider,
        "editable": editable,
        "questions_open": is_provider and selectors.questions_open(price_request),
    }
    if context["questions_open"]:
        context["question_form"] = bound.get("question_form") or forms.QuestionForm()
    if editable:
        context["response_form"] = bound.get("response_form") or forms.ResponseForm(
            mode=price_request.file.remuneration,
            criteria=price_request.criteria,
            initial=forms.response_initial(response),
        )
        if price_request.documents_asked:
            context["document_form"] = bound.get("document_form") or forms.ResponseDocumentForm(
                asked=price_request.documents_asked
            )
        context["submit_errors"] = bound.get("submit_errors")
    if is_provider and questionnaire is not None and questionnaire.state == "pending":
        context["non_participation_form"] = (
            bound.get("non_participation_form") or forms.NonParticipationForm()
        )
    context["error_summary"] = error_summary(
        form for key, form in bound.items() if context.get(key) is not form
    )
    return render(request, "pricerequests/solicitation_detail.html", context, status=status)


def solicitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.solicitation_for(request.user, pk))


def _question(request: HttpRequest, s: Solicitation) -> tuple[bool, str, Any]:
    form = forms.QuestionForm(request.POST)
    done = submit(
        form,
        lambda d: questions_services.question_ask(by=request.user, solicitation=s, text=d["text"]),
    )
    return done.ok, "question_form", form


def _response_form(request: HttpRequest, s: Solicitation) -> forms.ResponseForm:
    return forms.ResponseForm(
        request.POST, mode=s.request.file.remuneration, criteria=s.request.criteria
    )


def _save(request: HttpRequest, s: Solicitation) -> tuple[bool, str, Any]:
    form = _response_form(request, s)
    done = submit(
        form,
        lambda d: responses_services.response_save(
            by=request.user, solicitation=s, **form.values()
        ),
    )
    return done.ok, "response_form", form


def _submit(request: HttpRequest, s: Solicitation) -> tuple[bool, str, Any]:
    form = _response_form(request, s)

    def save_then_submit(d: dict) -> Any:
        responses_services.response_save(by=request.user, solicitation=s, **form.values())
        return responses_services.response_submit(by=request.user, solicitation=s)

    done = submit(form, save_then_submit)
    return done.ok, "response_form", form


def _document(request: HttpRequest, s: Solicitation) -> tuple[bool, str, Any]:
    form = forms.ResponseDocumentForm(request.POST, request.FILES, asked=s.request.documents_asked)

    def add(d: dict) -> Any:
        upload = Upload.from_form(d["document"])
        return responses_services.response_document_add(
            by=request.user, solicitation=s, asked=d["asked"], **upload.as_kwargs()
        )

    done = submit(form, add)
    return done.ok, "document_form", form


def _non_participation(request: HttpRequest, s: Solicitation) -> tuple[bool, str, Any]:
    form = forms.NonParticipationForm(request.POST)
    questionnaire = NonParticipation.objects.filter(solicitation=s).first()
    if questionnaire is None:
        raise Http404
    done = submit(
        form,
        lambda d: responses_services.non_participation_return(
            by=request.user, questionnaire=questionnaire, reasons=d["reasons"], comment=d["comment"]
        ),
    )
    return done.ok, "non_participation_form", form


OPS = {
    "question": (
        _question,
        _("Question transmise : la réponse sera publiée à tous les prestataires sollicités."),
    ),
    "enregistrer": (_save, _("Réponse enregistrée (brouillon) : déposez-la avant la date limite.")),
    "deposer": (_submit, _("Réponse déposée. Elle reste scellée jusqu'à la date limite.")),
    "document": (_document, _("Document joint à votre réponse.")),
    "non-participation": (_non_participation, _("Questionnaire de non-participation transmis.")),
}


@require_POST
def solicitation_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    s = selectors.solicitation_for(request.user, pk)
    if op not in OPS:
        raise Http404
    if not permissions.can_change(request.user, s):
        raise PermissionDenied
    run, message = OPS[op]
    ok, key, form = run(request, s)
    if ok:
        messages.success(request, message)
        return redirect("pricerequests:solicitation_detail", s.pk)
    return _page(request, selectors.solicitation_for(request.user, pk), status=422, **{key: form})
