"""The fee invoices' pages (DOMAIN §6; 001 §9.3): the list a person sees (the broker's staff all,
a client body's people their own), with its filters and, for the broker's billing staff, « Émettre
les factures dues »; an invoice or a credit note with its lines, taxes, payments and credit
notes, its PDF once rendered, and for the billing staff the forms of a payment received and of a
credit note; a client's statement of account. Reads through ``selectors`` (404 when hidden),
one service per write, PRG; a refused form comes back with 422 and the service's messages."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.core.formatting import money
from courtier.core.forms import submit
from courtier.documents.models import Document
from courtier.documents.views.download import version_response
from courtier.fees import policies, rules, selectors
from courtier.fees.forms.invoices import CreditNoteForm, InvoiceFilterForm, PaymentForm
from courtier.fees.models import Invoice, InvoiceState, Kind
from courtier.fees.services import invoices as invoice_services
from courtier.fees.services import payments as payment_services
from courtier.fees.services.rendering import broker_details

LIST_LIMIT = 200
# The organisations that are billed: client bodies and group purchasers.
CLIENT_KINDS = ("client", "group_purchaser")


def _sees_invoices(request: HttpRequest) -> None:
    if not policies.sees_invoices(request.user):
        raise PermissionDenied


def invoice_for(user: Any, pk: int) -> Invoice:
    found = selectors.invoices_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def billed_object(invoice: Invoice) -> str:
    """What the invoice bills, as its list says it: the contract, the amendment or the quarter."""
    if invoice.quarter_year:
        return selectors.quarter_of(invoice.quarter_year, invoice.quarter).label
    if invoice.amendment_id:
        return _("Avenant %(number)s du contrat %(contract)s") % {
            "number": invoice.amendment.number,
            "contract": invoice.contract.reference if invoice.contract_id else "",
        }
    if invoice.contract_id:
        return invoice.contract.reference
    return ""


# --- the list ----------------------------------------------------------------------------------


def due_count() -> int:
    """How many invoices « Émettre les factures dues » would issue now."""
    return len(invoice_services.contracts_to_bill()) + len(invoice_services.amendments_to_bill())


def invoice_list(request: HttpRequest) -> HttpResponse:
    _sees_invoices(request)
    user = request.user
    visible = selectors.invoices_for(user)
    clients = list(
        Organisation.objects.filter(pk__in=visible.values("client_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    form = InvoiceFilterForm(
        request.GET or None,
        states=list(InvoiceState.choices),
        kinds=list(Kind.choices),
        clients=clients,
    )
    chosen = form.values() if request.GET else {}
    found = visible
    if "state" in chosen:
        found = found.filter(state=chosen["state"])
    if "kind" in chosen:
        found = found.filter(kind=chosen["kind"])
    if "client" in chosen:
        found = found.filter(client_id=chosen["client"])
    if "contract" in chosen:
        found = found.filter(contract_id=chosen["contract"])
    total = found.count()
    rows = [
        {"invoice": i, "object": billed_object(i), "balance": selectors.balance_cents(i)}
        for i in found.order_by("-issued_on", "-number")[:LIST_LIMIT]
    ]
    bills = policies.bills(user)
    context = {
        "rows": rows,
        "total": total,
        "limit": LIST_LIMIT,
        "form": form,
        "chosen": chosen,
        "bills": bills,
        "due_count": due_count() if bills else 0,
        "statement_clients": _statement_clients(user, clients, chosen.get("client")),
    }
    return render(request, "fees/invoices/invoice_list.html", context)


def _statement_clients(
    user: Any, clients: list[tuple[int, str]], chosen: int | None
) -> list[tuple[int, str]]:
    """The clients whose statement the list links to: a client's people, their own bodies; the
    broker's staff, the client the list is filtered on."""
    if permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS):
        return [(pk, name) for pk, name in clients if pk == chosen]
    own = permissions.grants(user).organisations_with(Perm.BROWSE_CATALOGUE)
    return list(
        Organisation.objects.filter(pk__in=own, kind__in=CLIENT_KINDS)
        .order_by("name")
        .values_list("pk", "name")
    )


@require_POST
def issue_due(request: HttpRequest) -> HttpResponse:
    """« Émettre les factures dues »: every concluded contract and signed amendment not billed
    yet (``invoices_issue_due``), then the numbers issued."""
    if not policies.bills(request.user):
        raise PermissionDenied
    try:
        issued = invoice_services.invoices_issue_due(by=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect(reverse("fees:invoices"))
    if issued:
        messages.success(
            request,
            _("Factures émises : %(numbers)s.") % {"numbers": ", ".join(i.number for i in issued)},
        )
    else:
        messages.info(request, _("Aucune facture n'était due."))
    return redirect(reverse("fees:invoices"))


# --- an invoice -------------------------------------------------------------------------------


def may_settle(user: Any, invoice: Invoice) -> bool:
    """A payment or a credit note is recorded by the billing staff on an open invoice."""
    return (
        policies.bills(user) and invoice.kind == Kind.INVOICE and invoice.state in rules.OPEN_STATES
    )


def page(
    request: HttpRequest, invoice: Invoice, *, status: int = 200, **bound: Any
) -> HttpResponse:
    user = request.user
    quarter = (
        selectors.quarter_of(invoice.quarter_year, invoice.quarter)
        if invoice.quarter_year
        else None
    )
    settle = may_settle(user, invoice)
    context: dict[str, Any] = {
        "invoice": invoice,
        "broker": broker_details(),
        "lines": list(invoice.lines.all()),
        "quarter": quarter,
        "object": billed_object(invoice),
        "payments": list(invoice.payments.all()),
        "credit_notes": list(
            selectors.invoices_for(user).filter(credits=invoice).order_by("issued_on", "number")
        ),
        "paid": selectors.paid_cents(invoice),
        "credited": selectors.credited_cents(invoice),
        "balance": selectors.balance_cents(invoice),
        "may_settle": settle,
        "bound": bound,
    }
    if settle:
        context["payment_form"] = bound.get("payment_form") or PaymentForm()
        context["credit_form"] = bound.get("credit_form") or CreditNoteForm()
    shown = {id(v) for v in context.values() if isinstance(v, django_forms.Form)}
    context["error_summary"] = [
        str(m)
        for form in bound.values()
        if id(form) not in shown
        for errors in form.errors.values()
        for m in errors
    ]
    return render(request, "fees/invoices/invoice.html", context, status=status)


def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return page(request, invoice_for(request.user, pk))


def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice's PDF (the latest version of ``invoice.document``), for whoever sees the
    invoice; its download audited like any kept document's when it is restricted."""
    invoice = invoice_for(request.user, pk)
    if not invoice.document_id:
        raise Http404
    document = (
        Document.objects.filter(pk=invoice.document_id).prefetch_related("versions__stored").first()
    )
    version = document.current if document is not None else None
    if version is None or version.stored is None or not version.stored.file:
        raise Http404
    version.document = document
    return version_response(request.user, version)


def _biller(request: HttpRequest) -> None:
    if not policies.bills(request.user):
        raise PermissionDenied


@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_for(request.user, pk)
    _biller(request)
    form = PaymentForm(request.POST)
    done = submit(
        form,
        lambda d: payment_services.payment_record(
            by=request.user,
            invoice=invoice,
            amount_cents=d["amount_cents"],
            paid_on=d["paid_on"],
            reference=d.get("reference") or "",
        ),
    )
    if not done.ok:
        return page(request, invoice_for(request.user, pk), status=422, payment_form=form)
    settled = invoice_for(request.user, pk)
    if settled.state == InvoiceState.PAID:
        message = _("Paiement de %(amount)s enregistré : la facture %(number)s est payée.")
    else:
        message = _("Paiement de %(amount)s enregistré sur la facture %(number)s.")
    messages.success(
        request, message % {"amount": money(done.result.amount_cents), "number": settled.number}
    )
    return redirect(invoice_services.invoice_url(settled))


@require_POST
def credit_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_for(request.user, pk)
    _biller(request)
    form = CreditNoteForm(request.POST)
    done = submit(
        form,
        lambda d: invoice_services.credit_note_issue(
            by=request.user,
            invoice=invoice,
            subtotal_cents=d["subtotal_cents"],
            reason=d["reason"],
        ),
    )
    if not done.ok:
        return page(request, invoice_for(request.user, pk), status=422, credit_form=form)
    note = done.result
    messages.success(
        request,
        _("Note de crédit %(note)s émise sur la facture %(number)s (%(total)s, taxes comprises).")
        % {"note": note.number, "number": invoice.number, "total": money(note.total_cents)},
    )
    return redirect(invoice_services.invoice_url(invoice))


# --- a client's statement -------------------------------------------------------------------


def statement(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's statement of account: its invoices (debit), credit notes and payments
    (credit) by date with the running balance. The client's people see only their own body's,
    the broker's staff any client's."""
    _sees_invoices(request)
    user = request.user
    client = Organisation.objects.filter(pk=client_id, kind__in=CLIENT_KINDS).first()
    if client is None:
        raise Http404
    if not permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS) and client.pk not in (
        permissions.grants(user).organisations_with(Perm.BROWSE_CATALOGUE)
    ):
        raise Http404
    lines = selectors.statement(user, client)
    open_invoices = selectors.invoices_for(user).filter(
        Q(state__in=list(rules.OPEN_STATES)), client=client, kind=Kind.INVOICE
    )
    context = {
        "client": client,
        "lines": lines,
        "balance": lines[-1].balance_cents if lines else 0,
        "debits": sum(line.debit_cents for line in lines),
        "credits": sum(line.credit_cents for line in lines),
        "overdue": open_invoices.filter(state=InvoiceState.OVERDUE).count(),
    }
    return render(request, "fees/invoices/statement.html", context)
