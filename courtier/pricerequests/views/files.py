"""The client's pages of a service acquisition file (002 §3): the list and a new file, then one
page per file showing its current step with its forms; each form posts to ``file_action`` with
its operation, which calls one service and redirects (PRG), or shows the page again with the
service's refusals (422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.acquisitions.views.common import _clients_run_by
from courtier.catalogue.models import Qualification
from courtier.core import standing
from courtier.core.forms import submit
from courtier.documents.models import Document
from courtier.files.uploads import Upload
from courtier.pricerequests import checks, forms, rules, selectors
from courtier.pricerequests.models import (
    HandoffPackage,
    PriceRequest,
    ServiceFile,
    ServiceFileAction,
    ServiceFileState,
)
from courtier.pricerequests.services import choice as choice_services
from courtier.pricerequests.services import files as files_services
from courtier.pricerequests.services import questions as questions_services
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import responses as responses_services
from courtier.pricerequests.services import transitions
from courtier.pricerequests.services.package import request_document_key
from courtier.pricerequests.workflow import FILE_WORKFLOW, forward_problems


def file_list(
    request: HttpRequest, form: forms.FileCreateForm | None = None, status: int = 200
) -> HttpResponse:
    if not permissions.has_perm(request.user, Perm.BROWSE_CATALOGUE):
        raise PermissionDenied
    state = request.GET.get("etape") or None
    if state not in ServiceFileState.values:
        state = None
    clients = (
        _clients_run_by(request.user) if permissions.has_perm(request.user, Perm.WRITE) else []
    )
    return render(
        request,
        "pricerequests/file_list.html",
        {
            "files": selectors.files_for(request.user, state=state)[:200],
            "states": ServiceFileState.choices,
            "state": state,
            "form": form or (forms.FileCreateForm(clients=clients) if clients else None),
            "may_validate": permissions.has_perm(request.user, Perm.MANAGE_ACQUISITIONS),
        },
        status=status,
    )


@require_POST
def file_create(request: HttpRequest) -> HttpResponse:
    clients = _clients_run_by(request.user)
    if not clients or not permissions.has_perm(request.user, Perm.WRITE):
        raise PermissionDenied
    form = forms.FileCreateForm(request.POST, clients=clients)
    by_pk = {c.pk: c for c in clients}
    done = submit(
        form,
        lambda data: files_services.service_file_create(
            by=request.user, client=by_pk[data["client"]], title=data["title"]
        ),
    )
    if done.ok:
        messages.success(request, _("Dossier %(ref)s ouvert.") % {"ref": done.result.reference})
        return redirect("pricerequests:file_detail", done.result.pk)
    return file_list(request, form=form, status=422)


# --- the page of a file ---------------------------------------------------------------------------


def _needs_initial(file: ServiceFile) -> dict[str, Any]:
    return {"title": file.title, **file.needs_values()}


def _criteria(request_: PriceRequest | None) -> list[dict]:
    return request_.criteria if request_ is not None else []


def _page(
    request: HttpRequest, file: ServiceFile, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The file's page at its current step, with ``bound`` forms (refused ones) in place of the
    blank ones."""
    price_request = PriceRequest.objects.select_related("template").filter(file=file).first()
    can_run = permissions.can_change(request.user, file)
    context: dict[str, Any] = {
        "file": file,
        "request_": price_request,
        "can_run": can_run,
        "steps": [
            label for value, label in ServiceFileState.choices if value not in ("abandoned",)
        ],
        "qualifications": list(file.qualifications.order_by("name")),
        "problems": _problems(file),
        "moves": FILE_WORKFLOW.from_state(file.state),
        "actions": dict(ServiceFileAction.choices),
    }
    state = file.state
    if state == rules.State.NEEDS:
        context["needs_form"] = bound.get("needs_form") or forms.NeedsForm(
            initial=_needs_initial(file)
        )
    if state == rules.State.CATALOGUE:
        active = list(Qualification.objects.filter(is_active=True).order_by("name"))
        context["all_qualifications"] = active
        context["qualifications_form"] = bound.get(
            "qualifications_form"
        ) or forms.QualificationsForm(
            qualifications=active,
            initial={
                "codes": [q.code for q in context["qualifications"]],
                "scope_confirmed": file.scope_confirmed_at is not None,
            },
        )
    if price_request is not None:
        context.update(_request_context(request, file, price_request, bound))
    if state in (rules.State.CHOICE, rules.State.HANDED_OFF):
        context.update(_choice_context(request, file, price_request, bound))
    if state == rules.State.HANDED_OFF:
        context["handoff"] = HandoffPackage.objects.filter(file=file).first()
    context["request_document"] = (
        Document.objects.filter(
            key=request_document_key(price_request.pk, price_request.revision)
        ).first()
        if price_request is not None and price_request.sent_at
        else None
    )
    context["exclude_form"] = bound.get("exclude_form")
    # A refused form the page shows has its errors on it; the others are summed up on top.
    context["error_summary"] = error_summary(
        form for key, form in bound.items() if context.get(key) is not form
    )
    return render(request, "pricerequests/file_detail.html", context, status=status)


def error_summary(forms_: Any) -> list[str]:
    """Every message of the refused forms, said once, for the summary at the top of the page
    (a refusal on a form the page no longer shows, e.g. sending before validation, is read
    there)."""
    found: list[str] = []
    for form in forms_:
        for errors in getattr(form, "errors", {}).values():
            for message in errors:
                if str(message) not in found:
                    found.append(str(message))
    return found


def labelled(file: ServiceFile, problems: Any) -> list[str]:
    """A guard's problems said once each, under the name of what they concern: « Échéancier du
    projet : réponse requise… », a section of the request by its title."""
    titles: dict[str, str] = {}
    request_ = PriceRequest.objects.select_related("template").filter(file=file).first()
    if request_ is not None:
        titles = {f"sections.{s['code']}": s["title"] for s in request_.template.sections}
    found: list[str] = []
    for key, value in problems.items():
        name = titles.get(key)
        if name is None:
            try:
                name = str(ServiceFile._meta.get_field(key).verbose_name)
            except FieldDoesNotExist:  # not a field of the file: a message of its own
                name = ""
        for message in value if isinstance(value, list | tuple) else [value]:
            text = f"{name[:1].upper()}{name[1:]} : {message}" if name else str(message)
            if text not in found:
                found.append(text)
    return found


def _problems(file: ServiceFile) -> list[str]:
    return labelled(file, forward_problems(file))


def _request_context(
    request: HttpRequest, file: ServiceFile, price_request: PriceRequest, bound: dict
) -> dict[str, Any]:
    template = price_request.template
    shortlist = list(file.shortlist.select_related("provider"))
    context: dict[str, Any] = {
        "shortlist": shortlist,
        # Issue 14 §2: each provider's standing (last evaluations, open complaints), shown to
        # the client building its shortlist.
        "standings": standing.standings({e.provider_id for e in shortlist}, request.user),
        "sections": [
            {"title": s["title"], "text": price_request.sections.get(s["code"], "")}
            for s in template.sections
        ],
        "days_left": selectors.business_days_left(price_request.deadline_at),
        "deadline_passed": selectors.deadline_passed(price_request),
        "received": selectors.submitted_count(price_request) if price_request.sent_at else 0,
        "solicitations": list(price_request.solicitations.select_related("provider")),
        "questions": list(selectors.questions_for(request.user, price_request)),
    }
    if price_request.state in rules.EDITABLE_REQUEST_STATES:
        context["request_form"] = bound.get("request_form") or forms.RequestForm(
            template=template, initial=forms.request_initial(price_request)
        )
    if price_request.state == rules.RequestState.APPROVED:
        context["send_form"] = bound.get("send_form") or forms.SendForm()
    if price_request.state == rules.RequestState.SENT:
        context["change_form"] = bound.get("change_form") or forms.ChangeForm(
            template=template,
            initial={f"section_{k}": v for k, v in price_request.sections.items()},
        )
    if price_request.state != rules.RequestState.CANCELLED:
        context["cancel_form"] = bound.get("cancel_form") or forms.ReasonForm()
    context["answer_form"] = bound.get("answer_form")
    context["answer_for"] = bound.get("answer_for")
    return context


def _choice_context(
    request: HttpRequest, file: ServiceFile, price_request: PriceRequest | None, bound: dict
) -> dict[str, Any]:
    if price_request is None:
        return {}
    responses = list(selectors.responses_for(request.user, price_request).filter(state="submitted"))
    complete = [r for r in responses if r.complete]
    choice = getattr(file, "choice", None)
    criteria = _criteria(price_request)
    return {
        "responses": responses,
        "lowest": selectors.lowest_complete_total(price_request),
        "choice": choice,
        "non_participations": list(selectors.non_participations_for(request.user, price_request)),
        "choice_form": bound.get("choice_form")
        or (forms.ChoiceForm(responses=complete, criteria=criteria) if complete else None),
        "options_form": bound.get("options_form")
        or forms.OptionsForm(
            initial={
                "own_rule": file.own_rule,
                "follows_single_provider_advice": file.follows_single_provider_advice,
            }
        ),
        "head_needed": checks.head_authorisation_needed(file) if choice else False,
        "head": getattr(file, "head_authorisation", None),
        "head_form": bound.get("head_form") or forms.HeadForm(criteria=criteria),
        "financial": getattr(file, "financial_authorisation", None),
        "financial_form": bound.get("financial_form") or forms.FinancialForm(),
        "completeness_errors": bound.get("completeness_errors") or {},
    }


def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.file_for(request.user, pk))


# --- the operations of the page -------------------------------------------------------------------

Op = Callable[[HttpRequest, ServiceFile], tuple[bool, str, Any]]


def _needs(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.NeedsForm(request.POST)
    done = submit(
        form,
        lambda d: files_services.service_needs_update(
            by=request.user, file=file, **{**d, "remuneration": d["remuneration"] or ""}
        ),
    )
    return done.ok, "needs_form", form


def _qualifications(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.QualificationsForm(
        request.POST, qualifications=list(Qualification.objects.filter(is_active=True))
    )
    done = submit(
        form,
        lambda d: files_services.service_qualifications_set(
            by=request.user, file=file, codes=d["codes"], scope_confirmed=d["scope_confirmed"]
        ),
    )
    return done.ok, "qualifications_form", form


def _exclude(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.ExcludeForm(request.POST)
    done = submit(
        form,
        lambda d: files_services.shortlist_exclude(
            by=request.user, file=file, provider_id=d["provider"], reason=d["reason"]
        ),
    )
    return done.ok, "exclude_form", form


def _include(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.ProviderForm(request.POST)
    done = submit(
        form,
        lambda d: files_services.shortlist_include(
            by=request.user, file=file, provider_id=d["provider"]
        ),
    )
    return done.ok, "exclude_form", form


def _request_of(file: ServiceFile) -> PriceRequest:
    found = PriceRequest.objects.select_related("template", "file").filter(file=file).first()
    if found is None:
        raise Http404
    return found


def _request_saved(
    request: HttpRequest, file: ServiceFile, *, then_submit: bool
) -> tuple[bool, str, Any]:
    """The request's form saved (« Enregistrer »), then submitted to the broker when asked."""
    price_request = _request_of(file)
    form = forms.RequestForm(request.POST, template=price_request.template)

    def save(d: dict) -> Any:
        saved = requests_services.price_request_update(
            by=request.user,
            request=price_request,
            sections=form.sections(),
            criteria=form.criteria(),
            documents_asked=form.documents(),
            summary=d["summary"],
            estimated_cents=d["estimated"],
            clear_estimate=d["estimated"] is None,
        )
        if then_submit:
            return transitions.price_request_submit(by=request.user, request=price_request)
        return saved

    done = submit(form, save)
    return done.ok, "request_form", form


def _request(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    return _request_saved(request, file, then_submit=False)


def _submit(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    return _request_saved(request, file, then_submit=True)


def _send(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.SendForm(request.POST)
    done = submit(
        form,
        lambda d: transitions.price_request_send(
            by=request.user,
            request=_request_of(file),
            deadline_on=d["deadline_on"],
            deadline_time=d["deadline_time"],
            question_cutoff_on=d["question_cutoff_on"],
        ),
    )
    return done.ok, "send_form", form


def _change(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    price_request = _request_of(file)
    form = forms.ChangeForm(request.POST, template=price_request.template)
    done = submit(
        form,
        lambda d: transitions.price_request_change_submit(
            by=request.user, request=price_request, sections=form.sections()
        ),
    )
    return done.ok, "change_form", form


def _cancel(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.ReasonForm(request.POST)
    done = submit(
        form,
        lambda d: transitions.price_request_cancel(
            by=request.user, request=_request_of(file), reason=d["reason"]
        ),
    )
    return done.ok, "cancel_form", form


def _answer(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.AnswerForm(request.POST)

    def answer(d: dict) -> Any:
        question = selectors.question_for(request.user, d["question"])
        if question.solicitation.request.file_id != file.pk:
            raise Http404
        return questions_services.question_answer(
            by=request.user, question=question, answer=d["answer"]
        )

    done = submit(form, answer)
    return done.ok, "answer_form", form


def _completeness(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.CompletenessForm(request.POST)

    def record(d: dict) -> Any:
        response = selectors.response_for(request.user, d["response"])
        if response.solicitation.request.file_id != file.pk:
            raise Http404
        return responses_services.response_completeness_record(
            by=request.user, response=response, complete=d["complete"], note=d["note"]
        )

    done = submit(form, record)
    return done.ok, "completeness_form", form


def _choose(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    price_request = _request_of(file)
    responses = list(
        selectors.responses_for(request.user, price_request).filter(
            state="submitted", complete=True
        )
    )
    form = forms.ChoiceForm(request.POST, responses=responses, criteria=price_request.criteria)
    by_pk = {r.pk: r for r in responses}
    done = submit(
        form,
        lambda d: choice_services.choice_record(
            by=request.user,
            file=file,
            response=by_pk[d["response"]],
            criteria=d["criteria"],
            justification=d["justification"],
        ),
    )
    return done.ok, "choice_form", form


def _options(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.OptionsForm(request.POST)
    done = submit(
        form,
        lambda d: choice_services.choice_options_set(
            by=request.user,
            file=file,
            own_rule=d["own_rule"],
            follows_single_provider_advice=d["follows_single_provider_advice"],
        ),
    )
    return done.ok, "options_form", form


def _head(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.HeadForm(request.POST, request.FILES, criteria=_request_of(file).criteria)

    def record(d: dict) -> Any:
        upload = Upload.from_form(d["document"])
        return choice_services.service_head_authorisation_record(
            by=request.user,
            file=file,
            criteria=d["criteria"],
            justification=d["justification"],
            head_name=d["head_name"],
            authorised_on=d["authorised_on"],
            document_name=upload.name,
            document=upload.content,
            content_type=upload.content_type,
        )

    done = submit(form, record)
    return done.ok, "head_form", form


def _financial(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.FinancialForm(request.POST)
    done = submit(
        form,
        lambda d: choice_services.service_financial_authorisation_record(
            by=request.user,
            file=file,
            amount_cents=d["amount"],
            authorised_on=d["authorised_on"],
            authorised_by_name=d["authorised_by_name"],
            reference=d["reference"],
        ),
    )
    return done.ok, "financial_form", form


def _transition(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.TransitionForm(request.POST)

    def move(d: dict) -> Any:
        try:
            return transitions.service_file_transition(
                by=request.user, file=file, action=d["action"]
            )
        except ValidationError as refused:
            if not hasattr(refused, "error_dict"):
                raise
            raise ValidationError(labelled(file, refused.message_dict)) from refused

    done = submit(form, move)
    return done.ok, "transition_form", form


def _revise(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    form = forms.TransitionForm({"action": "revise"})
    done = submit(
        form, lambda d: transitions.price_request_revise(by=request.user, request=_request_of(file))
    )
    return done.ok, "transition_form", form


def _extend(request: HttpRequest, file: ServiceFile) -> tuple[bool, str, Any]:
    """002 §3.3.3: no extension; a crafted POST gets the rule, nothing is written."""
    form = forms.SendForm(request.POST)
    done = submit(
        form,
        lambda d: requests_services.price_request_extend(
            by=request.user, request=_request_of(file)
        ),
    )
    return done.ok, "send_form", form


OPS: dict[str, tuple[Op, str]] = {
    "besoins": (_needs, _("Besoins enregistrés.")),
    "qualifications": (_qualifications, _("Qualifications enregistrées.")),
    "ecarter": (_exclude, _("Prestataire écarté, avec sa raison.")),
    "reintegrer": (_include, _("Prestataire remis dans la liste.")),
    "demande": (_request, _("Demande de prix enregistrée.")),
    "soumettre": (_submit, _("Demande de prix soumise au Courtier pour validation.")),
    "envoyer": (_send, _("Demande de prix envoyée à chaque prestataire retenu.")),
    "modifier": (
        _change,
        _("Modification soumise au Courtier : les prestataires la verront une fois validée."),
    ),
    "annuler": (
        _cancel,
        _("Demande de prix annulée ; les prestataires sollicités en sont avisés."),
    ),
    "repondre": (_answer, _("Réponse publiée à tous les prestataires sollicités.")),
    "completude": (_completeness, _("Complétude consignée.")),
    "choisir": (_choose, _("Réponse retenue.")),
    "options": (_options, _("Choix précisé.")),
    "dirigeant": (_head, _("Autorisation du dirigeant consignée.")),
    "financiere": (_financial, _("Autorisation financière consignée.")),
    "etape": (_transition, _("Dossier mis à jour.")),
    "reprendre": (
        _revise,
        _("Demande reprise en rédaction : soumettez-la de nouveau au Courtier."),
    ),
    "prolonger": (_extend, ""),
}


@require_POST
def file_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    file = selectors.file_for(request.user, pk)
    if op not in OPS:
        raise Http404
    if not permissions.can_change(request.user, file):
        raise PermissionDenied
    run, message = OPS[op]
    ok, key, form = run(request, file)
    if ok:
        messages.success(request, message)
        return redirect(reverse("pricerequests:file_detail", args=[file.pk]))
    file = selectors.file_for(request.user, pk)
    extra: dict[str, Any] = {key: form}
    if key == "answer_form":
        extra["answer_for"] = form.data.get("question")
    if key == "completeness_form":
        extra["completeness_errors"] = {form.data.get("response"): form.errors}
    return _page(request, file, status=422, **extra)
