"""The pages of feedback and complaints (issue 14 §1; DOMAIN §5.6, §5.10; 002 §4.6): the list
(a client's own with their status; every one for the broker, filtered by state, category and
flag), the form a client's people send one with, and its page: status, links, answers and
documents; for the broker the forms to assign, answer and close it. Post, redirect, get; a
refusal re-renders the form with 422."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts.models import Organisation
from courtier.catalogue.models import Offer, OfferStatus
from courtier.complaints import forms, policies, selectors
from courtier.complaints.messages import FLAG_LABELS
from courtier.complaints.models import Complaint, ComplaintCategory, ComplaintState
from courtier.complaints.services import complaints as services
from courtier.contracts.models import Contract
from courtier.core.forms import submit
from courtier.documents.verification import person_name
from courtier.files.uploads import Upload
from courtier.pricerequests.views.files import error_summary

PAGE_ROWS = 200


def complaint_for(user: Any, pk: int) -> Complaint:
    found = selectors.complaints_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _labels(flags: list[str]) -> list[str]:
    return [str(FLAG_LABELS[flag]) for flag in flags]


def _require_reader(request: HttpRequest) -> None:
    if not policies.may_read(request.user):
        raise PermissionDenied


def complaint_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    is_broker = policies.is_broker_staff(request.user)
    rows = selectors.complaints_for(request.user)
    state = request.GET.get("etat", "")
    category = request.GET.get("categorie", "")
    flagged_only = is_broker and request.GET.get("signale") == "1"
    if state in ComplaintState.values:
        rows = rows.filter(state=state)
    if category in ComplaintCategory.values:
        rows = rows.filter(category=category)
    # The contract page's link (home.contract_links): the complaints tied to that contract.
    contract = request.GET.get("contrat", "")
    if contract.isdigit():
        rows = rows.filter(contract_id=int(contract))
    rows = list(rows[:PAGE_ROWS])
    flags = selectors.dispute_flags(rows) if is_broker else {}
    if flagged_only:
        rows = [c for c in rows if c.pk in flags]
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "rows": [(c, _labels(flags.get(c.pk, []))) for c in rows],
            "is_broker": is_broker,
            "may_submit": bool(policies.submitting_for(request.user)),
            "states": ComplaintState.choices,
            "categories": ComplaintCategory.choices,
            "state": state,
            "category": category,
            "flagged_only": flagged_only,
            "contract": contract if contract.isdigit() else "",
        },
    )


def _choices(user: Any) -> dict[str, list[tuple[int, str]]]:
    """What the form offers: the bodies the person sends for, their contracts, the Catalogue's
    offers and its suppliers and providers (DOMAIN §1: nothing of another body)."""
    clients = policies.submitting_for(user)
    orgs = Organisation.objects.filter(pk__in=clients).order_by("name")
    contracts = Contract.objects.filter(client_id__in=clients).select_related("supplier")
    offers = (
        Offer.objects.exclude(status=OfferStatus.WITHDRAWN)
        .select_related("supplier")
        .order_by("name", "pk")
    )
    suppliers = Organisation.objects.filter(
        kind__in=services.SUPPLIER_KINDS, is_active=True
    ).order_by("name")
    return {
        "clients": [(o.pk, o.name) for o in orgs],
        "contracts": [
            (c.pk, f"{c.reference} — {c.title} ({c.supplier.name})")
            for c in contracts.order_by("-created_at", "-pk")
        ],
        "offers": [(o.pk, f"{o.name} ({o.supplier.name})") for o in offers],
        "suppliers": [(o.pk, o.name) for o in suppliers],
    }


def complaint_create(request: HttpRequest) -> HttpResponse:
    if not policies.submitting_for(request.user):
        raise PermissionDenied
    choices = _choices(request.user)
    if request.method != "POST":
        # From a contract's complaints (home.contract_links): that contract already chosen.
        wanted = request.GET.get("contrat", "")
        known = {pk for pk, _label in choices["contracts"]}
        initial = {"contract": int(wanted)} if wanted.isdigit() and int(wanted) in known else {}
        form = forms.ComplaintForm(initial=initial, **choices)
        return _form_page(request, form)
    form = forms.ComplaintForm(request.POST, request.FILES, **choices)

    def send(d: dict[str, Any]) -> Complaint:
        upload = Upload.from_form(d["document"]) if d.get("document") else None
        client = Organisation.objects.get(pk=d["client"])
        return services.complaint_submit(
            by=request.user,
            client=client,
            category=d["category"],
            subject=d["subject"],
            description=d["description"],
            contract_id=d.get("contract"),
            offer_id=d.get("offer"),
            supplier_id=d.get("supplier"),
            content=upload.content if upload else None,
            name=upload.name if upload else "",
            content_type=upload.content_type if upload else "",
        )

    done = submit(form, send)
    if done.ok:
        messages.success(
            request,
            _("%(ref)s envoyée au Courtier : vous suivrez ici son traitement.")
            % {"ref": done.result.reference},
        )
        return redirect("complaints:detail", done.result.pk)
    return _form_page(request, form, status=422)


def _form_page(request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_form.html",
        {"form": form, "links": forms.link_help(), "error_summary": error_summary([form])},
        status=status,
    )


def _people() -> list[tuple[int, str]]:
    return [(u.pk, person_name(u)) for u in services.broker_people()]


def _page(
    request: HttpRequest, complaint: Complaint, status: int = 200, **bound: Any
) -> HttpResponse:
    user = request.user
    broker = policies.is_broker_agent(user)
    state = complaint.state
    context: dict[str, Any] = {
        "complaint": complaint,
        "answers": [
            (a, timezone.localtime(a.created_at).date())
            for a in complaint.answers.select_related("author")
        ],
        "flags": _labels(selectors.dispute_flags([complaint]).get(complaint.pk, [])),
        "shows_flags": policies.is_broker_staff(user),
        "error_summary": error_summary(bound.values()),
    }
    if broker and state in (ComplaintState.OPEN, ComplaintState.ASSIGNED):
        context["assign_form"] = bound.get("assign_form") or forms.AssignForm(
            people=_people(), initial={"assignee": complaint.assignee_id or user.pk}
        )
    if broker and state in (ComplaintState.ASSIGNED, ComplaintState.ANSWERED):
        context["answer_form"] = bound.get("answer_form") or forms.AnswerForm()
    context["may_close"] = broker and state == ComplaintState.ANSWERED
    return render(request, "complaints/complaint_detail.html", context, status=status)


def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, complaint_for(request.user, pk))


def _assign(request: HttpRequest, complaint: Complaint) -> tuple[str, Any, Any]:
    form = forms.AssignForm(request.POST, people=_people())

    def assign(d: dict[str, Any]) -> Any:
        assignee = services.broker_people().filter(pk=d["assignee"]).first()
        return services.complaint_assign(by=request.user, complaint=complaint, assignee=assignee)

    return "assign_form", form, assign


def _answer(request: HttpRequest, complaint: Complaint) -> tuple[str, Any, Any]:
    form = forms.AnswerForm(request.POST)

    def answer(d: dict[str, Any]) -> Any:
        return services.complaint_answer(by=request.user, complaint=complaint, text=d["text"])

    return "answer_form", form, answer


def _close(request: HttpRequest, complaint: Complaint) -> tuple[str, Any, Any]:
    def close(d: dict[str, Any]) -> Any:
        return services.complaint_close(by=request.user, complaint=complaint)

    return "close_form", forms.forms.Form(request.POST), close


OPS = {
    "assigner": (_assign, _("Plainte assignée.")),
    "repondre": (_answer, _("Réponse envoyée au client.")),
    "fermer": (_close, _("Plainte fermée.")),
}


@require_POST
def complaint_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    complaint = complaint_for(request.user, pk)
    if op not in OPS:
        raise Http404
    if not policies.is_broker_agent(request.user):
        raise PermissionDenied
    make, message = OPS[op]
    key, form, action = make(request, complaint)
    if submit(form, action).ok:
        messages.success(request, message)
        return redirect("complaints:detail", complaint.pk)
    return _page(request, complaint_for(request.user, pk), status=422, **{key: form})
