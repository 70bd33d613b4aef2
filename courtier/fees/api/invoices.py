"""Fee invoices and credit notes (DOMAIN §6; 001 §9.3): the list and one invoice with its
lines, taxes, balance, payments and credit notes; the broker's staff issue what is due, the
invoice of a concluded contract or of a signed amendment, record payments and credit notes; a
client's statement of account."""

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.acquisitions.api.common import _fields
from courtier.contracts import selectors as contract_selectors
from courtier.contracts.models import Amendment
from courtier.core.apierrors import ERRORS, MAX_ID, path_id
from courtier.core.pagination import Pagination
from courtier.fees import selectors
from courtier.fees.api.schemas import (
    FeeCreditNoteIn,
    FeeInvoiceDetailOut,
    FeeInvoiceOut,
    FeePaymentIn,
    FeeStatementOut,
)
from courtier.fees.models import Basis, Invoice, InvoiceState, Kind
from courtier.fees.services import invoices as services
from courtier.fees.services import payments

router = Router(tags=["fees"])


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def invoice_of(user: Any, invoice_id: int) -> Invoice:
    invoice = selectors.invoices_for(user).select_related("grid").filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


def invoice_out(invoice: Invoice) -> dict[str, Any]:
    contract = invoice.contract
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "kind": invoice.kind,
        "basis": invoice.basis,
        "client": _ref(invoice.client),
        "contract": {"id": contract.pk, "reference": contract.reference} if contract else None,
        "amendment_id": invoice.amendment_id,
        "quarter_year": invoice.quarter_year,
        "quarter": invoice.quarter,
        "grid": (
            {"id": invoice.grid_id, "version": invoice.grid.version} if invoice.grid_id else None
        ),
        "credits": (
            {"id": invoice.credits_id, "number": invoice.credits.number}
            if invoice.credits_id
            else None
        ),
        "reason": invoice.reason,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "subtotal_cents": invoice.subtotal_cents,
        "gst_cents": invoice.gst_cents,
        "qst_cents": invoice.qst_cents,
        "total_cents": invoice.total_cents,
        "state": invoice.state,
        "paid_on": invoice.paid_on,
    }


def invoice_detail(user: Any, invoice_id: int) -> dict[str, Any]:
    invoice = invoice_of(user, invoice_id)
    notes = selectors.invoices_for(user).filter(credits=invoice).order_by("issued_on", "number")
    return invoice_out(invoice) | {
        "lines": [
            {
                "order": line.order,
                "description": line.description,
                "base_cents": line.base_cents,
                "amount_cents": line.amount_cents,
            }
            for line in invoice.lines.all()
        ],
        "paid_cents": selectors.paid_cents(invoice),
        "credited_cents": selectors.credited_cents(invoice),
        "balance_cents": selectors.balance_cents(invoice),
        "payments": [
            {
                "id": p.pk,
                "paid_on": p.paid_on,
                "amount_cents": p.amount_cents,
                "reference": p.reference,
                "recorded_at": p.recorded_at,
            }
            for p in invoice.payments.all()
        ],
        "credit_notes": [{"id": n.pk, "number": n.number} for n in notes],
        "pdf_url": reverse("fees:invoice_pdf", args=[invoice.pk]) if invoice.document_id else None,
    }


class _Answered:
    """The invoices of a queryset answered page by page (pagination slices it)."""

    def __init__(self, invoices: Any) -> None:
        self.invoices = invoices

    def __len__(self) -> int:
        return self.invoices.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [invoice_out(i) for i in self.invoices.select_related("grid")[page]]


def _issued(request: HttpRequest, invoice: Invoice, existed: bool) -> Status:
    """201 for a new invoice, 200 for the one already issued for the same thing."""
    return Status(200 if existed else 201, invoice_detail(request.user, invoice.pk))


@router.get(
    "/invoices",
    response={200: list[FeeInvoiceOut], **ERRORS},
    summary="Factures et notes de crédit de frais de gestion",
    description=(
        "Celles de son organisme client ; toutes pour le Courtier. La plus récente d'abord."
    ),
)
@paginate(Pagination)
def invoice_list(
    request: HttpRequest,
    state: InvoiceState | None = None,
    kind: Kind | None = None,
    client_id: int | None = Query(None, ge=1, le=MAX_ID, description="Organisme client"),
    contract_id: int | None = Query(None, ge=1, le=MAX_ID, description="Contrat"),
):
    invoices = selectors.invoices_for(request.user)
    if state is not None:
        invoices = invoices.filter(state=state)
    if kind is not None:
        invoices = invoices.filter(kind=kind)
    if client_id is not None:
        invoices = invoices.filter(client_id=client_id)
    if contract_id is not None:
        invoices = invoices.filter(contract_id=contract_id)
    return _Answered(invoices)


@router.post(
    "/invoices/issue-due",
    response={200: list[FeeInvoiceOut], **ERRORS},
    summary="Émettre les factures dues (Courtier)",
    description=(
        "Une facture par contrat conclu et par avenant signé pas encore facturés, selon la "
        "grille en vigueur à leur date ; répond celles émises (aucune s'il n'y a rien à "
        "facturer)."
    ),
)
def invoices_issue_due(request: HttpRequest):
    issued = services.invoices_issue_due(by=request.user)
    return [invoice_out(invoice_of(request.user, invoice.pk)) for invoice in issued]


@router.post(
    "/invoices/contract/{contract_id}",
    response={200: FeeInvoiceDetailOut, 201: FeeInvoiceDetailOut, **ERRORS},
    summary="Facturer un contrat conclu (Courtier)",
    description=(
        "002 §4.2 : les frais par contrat de la grille en vigueur le jour où il a été conclu. "
        "Une seule facture par contrat : 201 à l'émission, 200 avec celle déjà émise."
    ),
)
def invoice_for_contract(request: HttpRequest, contract_id: int = path_id()):
    contract = contract_selectors.contracts_for(request.user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    existed = (
        selectors.invoices_for(request.user)
        .filter(contract=contract, basis=Basis.CONTRACT, kind=Kind.INVOICE)
        .exists()
    )
    with _fields(contract="contract_id"):
        invoice = services.invoice_issue_for_contract(by=request.user, contract=contract)
    return _issued(request, invoice, existed)


@router.post(
    "/invoices/amendment/{amendment_id}",
    response={200: FeeInvoiceDetailOut, 201: FeeInvoiceDetailOut, **ERRORS},
    summary="Facturer la préparation d'un avenant signé (Courtier)",
    description=(
        "002 §4.5 : les frais fixés dans l'avenant. Une seule facture par avenant : 201 à "
        "l'émission, 200 avec celle déjà émise."
    ),
)
def invoice_for_amendment(request: HttpRequest, amendment_id: int = path_id()):
    found = permissions.scope(request.user, Amendment.objects.all()).filter(pk=amendment_id).first()
    if found is None:
        raise Http404
    existed = (
        selectors.invoices_for(request.user)
        .filter(amendment=found, basis=Basis.AMENDMENT, kind=Kind.INVOICE)
        .exists()
    )
    with _fields(amendment="amendment_id"):
        invoice = services.invoice_issue_for_amendment(by=request.user, amendment=found)
    return _issued(request, invoice, existed)


@router.get(
    "/invoices/{invoice_id}",
    response={200: FeeInvoiceDetailOut, **ERRORS},
    summary="Une facture ou une note de crédit",
    description=(
        "Ses lignes, ses taxes (TPS et TVQ), ce qui a été payé et crédité, son solde, ses "
        "paiements, ses notes de crédit et l'adresse de son PDF une fois produit."
    ),
)
def invoice_get(request: HttpRequest, invoice_id: int = path_id()):
    return invoice_detail(request.user, invoice_id)


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: FeeInvoiceDetailOut, **ERRORS},
    summary="Enregistrer un paiement reçu (Courtier)",
    description=(
        "Au plus le solde dû, daté entre l'émission et aujourd'hui ; celui qui solde la facture "
        "la marque payée. Répond la facture."
    ),
)
def payment_add(request: HttpRequest, payload: FeePaymentIn, invoice_id: int = path_id()):
    invoice = invoice_of(request.user, invoice_id)
    with _fields(invoice="invoice_id"):
        payments.payment_record(
            by=request.user,
            invoice=invoice,
            amount_cents=payload.amount_cents,
            paid_on=payload.paid_on,
            reference=payload.reference,
        )
    return Status(201, invoice_detail(request.user, invoice_id))


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={201: FeeInvoiceDetailOut, **ERRORS},
    summary="Émettre une note de crédit sur une facture (Courtier)",
    description=(
        "Le montant crédité avant taxes (ses taxes calculées comme celles d'une facture), au "
        "plus le solde, et son motif ; la facture ne change pas, sinon pour être marquée "
        "créditée quand plus rien n'est dû. Répond la note de crédit."
    ),
)
def credit_note_add(request: HttpRequest, payload: FeeCreditNoteIn, invoice_id: int = path_id()):
    invoice = invoice_of(request.user, invoice_id)
    with _fields(invoice="invoice_id"):
        note = services.credit_note_issue(
            by=request.user,
            invoice=invoice,
            subtotal_cents=payload.subtotal_cents,
            reason=payload.reason,
        )
    return Status(201, invoice_detail(request.user, note.pk))


def _client_of(user: Any, client_id: int) -> Organisation:
    """A client whose invoices the person sees: the broker's staff any, a client's people
    their own (404 otherwise)."""
    g = permissions.grants(user)
    if not (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS)
        or client_id in g.organisations_with(Perm.BROWSE_CATALOGUE)
    ):
        raise Http404
    client = Organisation.objects.filter(pk=client_id).first()
    if client is None:
        raise Http404
    return client


@router.get(
    "/statement/{client_id}",
    response={200: FeeStatementOut, **ERRORS},
    summary="Relevé de compte d'un client",
    description=(
        "Ses factures (débit), notes de crédit et paiements (crédit) par date, avec le solde "
        "courant."
    ),
)
def statement(request: HttpRequest, client_id: int = path_id()):
    client = _client_of(request.user, client_id)
    lines = selectors.statement(request.user, client)
    return {
        "client": _ref(client),
        "lines": [
            {
                "day": line.day,
                "document": (
                    {"id": line.document.pk, "number": line.document.number}
                    if line.document
                    else None
                ),
                "payment_id": line.payment.pk if line.payment else None,
                "label": line.label,
                "debit_cents": line.debit_cents,
                "credit_cents": line.credit_cents,
                "balance_cents": line.balance_cents,
            }
            for line in lines
        ],
        "balance_cents": lines[-1].balance_cents if lines else 0,
    }
