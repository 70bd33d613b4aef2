"""The end-of-contract evaluations (002 §4.8.2; RCTI art. 82): the list of ended RCTI contracts
with each one's status (the broker's staff see every one, overdue flagged; a client its own),
and a contract's evaluation page: the client states whether art. 82 requires it, keeps the
report, its head signs it in the platform (password again) or the client records the paper
signature, and sends the signed copy when it follows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.contracts import selectors as contract_selectors
from courtier.documents.models import TransmissionStatus
from courtier.evaluations import forms, policies, selectors
from courtier.evaluations.models import END_STATUS_LABELS, EndEvaluation
from courtier.evaluations.services import end as services
from courtier.evaluations.views.common import done, error_summary, run
from courtier.evaluations.views.requests import _sees
from courtier.files.uploads import Upload

STATUS_LABELS = END_STATUS_LABELS


def end_list(request: HttpRequest) -> HttpResponse:
    if not _sees(request.user):
        raise PermissionDenied
    rows = selectors.end_rows(request.user)
    context = {"rows": rows, "labels": STATUS_LABELS}
    return render(request, "evaluations/end_list.html", context)


def _contract(request: HttpRequest, pk: int):
    found = (
        contract_selectors.contracts_for(request.user).filter(pk=pk, subject_to_rcti=True).first()
    )
    if found is None or not _sees(request.user):
        raise Http404
    return found


def end_detail(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    contract = _contract(request, pk)
    evaluation = (
        EndEvaluation.objects.filter(contract=contract).select_related("owed", "report").first()
    )
    user = request.user
    runs = policies.runs_client(user, contract.client_id)
    state = services.status_of(contract, evaluation)
    closed = state != "not_owed" or evaluation is not None
    unsigned = evaluation is not None and evaluation.required and not evaluation.head_signed_on
    owed_open = (
        evaluation is not None
        and evaluation.owed is not None
        and evaluation.owed.status == TransmissionStatus.OPEN
    )
    context = {
        "contract": contract,
        "evaluation": evaluation,
        "status": state,
        "status_label": STATUS_LABELS[state],
        "due_on": services.due_on(evaluation),
        "received_on": services.received_on(evaluation),
        "declare_form": bound.get("declare_form", forms.DeclareForm())
        if runs and closed and evaluation is None
        else None,
        "report_form": bound.get("report_form", forms.ReportForm()) if runs and unsigned else None,
        "head_form": bound.get("head_form", forms.HeadSignForm())
        if unsigned and evaluation.report_id and policies.heads(user, contract.client_id)
        else None,
        "paper_form": bound.get("paper_form", forms.PaperSignatureForm())
        if runs and unsigned
        else None,
        "send_form": bound.get("send_form", forms.ReportForm()) if runs and owed_open else None,
        "error_summary": error_summary(bound.values()),
    }
    return render(request, "evaluations/end_detail.html", context, status=status)


def _upload(value: Any) -> Upload | None:
    return Upload.from_form(value) if value else None


def _declare(request: HttpRequest, contract: Any):
    form = forms.DeclareForm(request.POST)
    return (
        "declare_form",
        form,
        run(
            form,
            lambda d: services.end_evaluation_declare(
                by=request.user, contract=contract, required=d["required"]
            ),
        ),
    )


def _report(request: HttpRequest, contract: Any):
    form = forms.ReportForm(request.POST, request.FILES)

    def add(d: dict[str, Any]) -> Any:
        upload = _upload(d["report"])
        return services.end_evaluation_report_add(
            by=request.user, contract=contract, content=upload.content, name=upload.name
        )

    return "report_form", form, run(form, add)


def _sign(request: HttpRequest, contract: Any):
    form = forms.HeadSignForm(request.POST)
    return (
        "head_form",
        form,
        run(
            form,
            lambda d: services.end_evaluation_head_sign(
                by=request.user, contract=contract, password=d["password"]
            ),
        ),
    )


def _paper(request: HttpRequest, contract: Any):
    form = forms.PaperSignatureForm(request.POST, request.FILES)

    def record(d: dict[str, Any]) -> Any:
        upload = _upload(d.get("report"))
        return services.end_evaluation_paper_signature_record(
            by=request.user,
            contract=contract,
            signed_on=d["signed_on"],
            content=upload.content if upload else None,
            name=upload.name if upload else "",
        )

    return "paper_form", form, run(form, record)


def _send(request: HttpRequest, contract: Any):
    form = forms.ReportForm(request.POST, request.FILES)

    def send(d: dict[str, Any]) -> Any:
        upload = _upload(d["report"])
        return services.end_evaluation_report_send(
            by=request.user, contract=contract, content=upload.content, name=upload.name
        )

    return "send_form", form, run(form, send)


OPS = {
    "requise": (_declare, _("Réponse consignée.")),
    "rapport": (_report, _("Rapport d'évaluation conservé au dossier du contrat.")),
    "signer": (_sign, _("Rapport signé : il est transmis au Courtier.")),
    "papier": (_paper, _("Signature du dirigeant consignée.")),
    "transmettre": (_send, _("Rapport signé transmis au Courtier.")),
}


@require_POST
def end_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    contract = _contract(request, pk)
    if op not in OPS:
        raise Http404
    if not policies.runs_client(request.user, contract.client_id):
        raise PermissionDenied
    op_run, message = OPS[op]
    key, form, ok = op_run(request, contract)
    if ok:
        return done(request, message, reverse("evaluations:end_detail", args=[pk]))
    return end_detail(request, pk, status=422, **{key: form})
