"""Feedback and complaints (issue 14 §1; DOMAIN §5.6; 002 §4.6): a client's people who run its
acquisitions send one, linked to what it is about (their body's own contract, an offer of the
Catalogue, a supplier or provider), with a document if they have one; the broker's
administrators and agents assign it to one of them, answer the client (each answer kept) and
close it. Each move: one transaction, the row locked, one audit event, the emails after commit."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from courtier.accounts.selectors import broker_staff_emails, emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.catalogue.models import Offer
from courtier.complaints import messages, policies, rules
from courtier.complaints.models import Complaint, ComplaintAnswer, ComplaintCategory
from courtier.complaints.workflow import COMPLAINT_WORKFLOW, SUBMITTED
from courtier.contracts.models import Contract, ContractKind
from courtier.core.mail import notify
from courtier.core.references import next_reference
from courtier.documents.services.store import document_keep
from courtier.files.inspection import UploadRefused, inspect_upload

SUBJECT_LENGTH = 200
TEXT_LENGTH = 4000
# DOMAIN §7 (002 §4.10): a dispute's documents are « document d'un différend »; the others are
# the broker's record of the feedback (type registered in apps.py).
DISPUTE_TYPE = "dispute"
COMPLAINT_TYPE = "complaint"
DOCUMENT_TITLE = "Pièce jointe — {reference}"
SUBMITTED_TEMPLATE = "complaints/email/submitted"
ASSIGNED_TEMPLATE = "complaints/email/assigned"
ANSWERED_TEMPLATE = "complaints/email/answered"
CLOSED_TEMPLATE = "complaints/email/closed"
BROKER_ROLES = (Role.BROKER_ADMIN, Role.BROKER_AGENT)
SUPPLIER_KINDS = (OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER)


def complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("client", "created_by", "assignee")
        .get(pk=complaint.pk)
    )


def actors_of(user: Any, complaint: Complaint | None = None) -> set[str]:
    """The actors of the workflow ``user`` may act as (issue 14 §1: every move is the broker's)."""
    actors: set[str] = set()
    if policies.is_broker_agent(user):
        actors.add(rules.Actor.BROKER)
    if complaint is not None and complaint.client_id in policies.submitting_for(user):
        actors.add(rules.Actor.CLIENT)
    return actors


def _text(errors: dict[str, Any], name: str, value: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = str(messages.TEXT_TOO_LONG).format(limit=limit)
    elif required and not value:
        errors[name] = messages.REQUIRED
    return value


def _mail_context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "category": ComplaintCategory(complaint.category).label,
        "url": complaint_url(complaint),
        **extra,
    }


def client_emails(complaint: Complaint) -> list[str]:
    """Who hears from the broker: the person who sent it and its body's acquisitions officers."""
    found = set(emails_with_roles([Role.CLIENT_PROCUREMENT], complaint.client_id))
    if complaint.created_by.is_active:
        found.add(complaint.created_by.email)
    return sorted(found)


# --- submitting -------------------------------------------------------------------------------


def _links(
    errors: dict[str, list[Any]],
    client: Organisation,
    contract_id: int | None,
    offer_id: int | None,
    supplier_id: int | None,
    imply_supplier: bool,
) -> tuple[rules.Links, Contract | None, Offer | None, Organisation | None]:
    """The links the client may point at (DOMAIN §1: its own body's contract; an offer of the
    Catalogue; a supplier or provider), read with what ``rules.link_problems`` compares; with
    ``imply_supplier`` (the category carries a supplier), the supplier left out is the contract's
    or the offer's."""
    contract = offer = supplier = None
    if contract_id is not None:
        contract = (
            Contract.objects.select_related("supplier")
            .filter(pk=contract_id, client=client)
            .first()
        )
        if contract is None:
            errors.setdefault("contract", []).append(messages.CONTRACT_UNKNOWN)
    if offer_id is not None:
        offer = Offer.objects.filter(pk=offer_id).first()
        if offer is None:
            errors.setdefault("offer", []).append(messages.OFFER_UNKNOWN)
    if supplier_id is not None:
        supplier = Organisation.objects.filter(
            pk=supplier_id, kind__in=SUPPLIER_KINDS, is_active=True
        ).first()
        if supplier is None:
            errors.setdefault("supplier", []).append(messages.SUPPLIER_UNKNOWN)
    if supplier is None and supplier_id is None and imply_supplier:
        # The contract or offer names its supplier: the client need not pick it again.
        supplier = contract.supplier if contract else offer.supplier if offer else None
    offers = None
    if contract is not None and contract.kind == ContractKind.SOLUTIONS:
        offers = frozenset(
            int(o["offer"]) for o in (contract.basis or {}).get("offers", []) if o.get("offer")
        )
    links = rules.Links(
        contract=contract.pk if contract else contract_id,
        offer=offer.pk if offer else offer_id,
        supplier=supplier.pk if supplier else supplier_id,
        contract_supplier=contract.supplier_id if contract else None,
        contract_offers=offers,
        offer_supplier=offer.supplier_id if offer else None,
    )
    return links, contract, offer, supplier


def _document_problem(name: str, content: bytes) -> Any:
    try:
        inspect_upload(name, io.BytesIO(content))
    except UploadRefused as refused:
        return refused.message
    return None


@transaction.atomic
def complaint_submit(
    *,
    by: Any,
    client: Organisation,
    category: str,
    subject: str,
    description: str,
    contract_id: int | None = None,
    offer_id: int | None = None,
    supplier_id: int | None = None,
    content: bytes | None = None,
    name: str = "",
    content_type: str = "",
) -> Complaint:
    """A client's people send a feedback or a complaint (002 §4.6), linked as its category
    needs (DOMAIN §5.6: ``rules.LINK_RULES``); refused links are named by field."""
    if client.pk not in policies.submitting_for(by):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    subject = _text(errors, "subject", subject, SUBJECT_LENGTH)
    description = _text(errors, "description", description, TEXT_LENGTH)
    links: dict[str, list[Any]] = {}
    if category not in ComplaintCategory.values:
        links["category"] = [messages.CATEGORY_UNKNOWN]
    else:
        imply = rules.Link.SUPPLIER in rules.LINK_RULES[category].allowed
        found, contract, offer, supplier = _links(
            links, client, contract_id, offer_id, supplier_id, imply
        )
        if not links:
            for problem in rules.link_problems(category, found):
                field, message = messages.LINK_PROBLEMS[problem]
                links.setdefault(field, []).append(message)
    name = (name or "").strip()[:255] or "piece-jointe"
    if content:
        problem = _document_problem(name, content)
        if problem is not None:
            errors["document"] = problem
    if errors or links:
        raise ValidationError({**errors, **links})
    today = timezone.localdate()
    concerned = rules.concerned_supplier(found)
    complaint = Complaint.objects.create(
        reference=next_reference(Complaint.objects.all(), f"PL-{today.year}-"),
        category=category,
        client=client,
        contract=contract,
        offer=offer,
        supplier=supplier,
        concerned_supplier_id=concerned,
        subject=subject,
        description=description,
        received_on=today,
        created_by=by,
    )
    audit_event_record(
        actor=by,
        action=SUBMITTED,
        obj=complaint,
        organisation=client.pk,
        after={
            "state": complaint.state,
            "reference": complaint.reference,
            "category": category,
            "subject": subject,
            "contract": contract.reference if contract else "",
            "offer": offer.name if offer else "",
            "supplier": supplier.name if supplier else "",
        },
    )
    if content:
        document_keep(
            by=by,
            subject=complaint,
            type=DISPUTE_TYPE if category == rules.Category.DISPUTE else COMPLAINT_TYPE,
            title=DOCUMENT_TITLE.format(reference=complaint.reference),
            name=name,
            content=content,
            content_type=content_type,
        )
    # Issue 14 §1: the broker's agents are told of a new one.
    notify(to=broker_staff_emails(), template=SUBMITTED_TEMPLATE, context=_mail_context(complaint))
    return complaint


# --- the broker's moves -------------------------------------------------------------------------


def _require_broker(by: Any, complaint: Complaint) -> None:
    """404 for whom may not see it, 403 for whom sees it but is not the broker's."""
    permissions.require_change(by, complaint)
    if rules.Actor.BROKER not in actors_of(by, complaint):
        raise PermissionDenied


def broker_people() -> Any:
    """The broker's administrators and agents, who may be assigned a complaint."""
    ids = Membership.objects.filter(
        role__in=BROKER_ROLES,
        organisation__kind=OrganisationKind.BROKER,
        organisation__is_active=True,
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk")


def _save(subject: Complaint, move: Any) -> None:
    subject.updated_at = timezone.now()
    subject.save(update_fields=["state", "assignee", "closed_on", "updated_at"])


@transaction.atomic
def complaint_assign(*, by: Any, complaint: Complaint, assignee: Any) -> Complaint:
    """The broker assigns it to one of its administrators or agents (issue 14 §1), or hands it
    to another."""
    complaint = _lock(complaint)
    _require_broker(by, complaint)
    if assignee is None or not broker_people().filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": messages.ASSIGNEE_NOT_BROKER})
    COMPLAINT_WORKFLOW.run(
        subject=complaint,
        action=rules.Action.ASSIGN,
        by=by,
        acting_as=actors_of(by, complaint),
        values={"assignee": assignee},
        save=_save,
    )
    if assignee.pk != getattr(by, "pk", None):
        notify(to=[assignee.email], template=ASSIGNED_TEMPLATE, context=_mail_context(complaint))
    return complaint


@transaction.atomic
def complaint_answer(*, by: Any, complaint: Complaint, text: str) -> ComplaintAnswer:
    """The broker answers the client (issue 14 §1): each answer is kept, the client is told."""
    complaint = _lock(complaint)
    _require_broker(by, complaint)
    errors: dict[str, Any] = {}
    text = _text(errors, "text", text, TEXT_LENGTH)
    if errors:
        raise ValidationError(errors)
    COMPLAINT_WORKFLOW.run(
        subject=complaint,
        action=rules.Action.ANSWER,
        by=by,
        acting_as=actors_of(by, complaint),
        values={"answer_text": text},
        save=_save,
    )
    answer = ComplaintAnswer.objects.create(complaint=complaint, text=text, author=by)
    notify(
        to=client_emails(complaint),
        template=ANSWERED_TEMPLATE,
        context=_mail_context(complaint, answer=answer),
    )
    return answer


@transaction.atomic
def complaint_close(*, by: Any, complaint: Complaint) -> Complaint:
    """The broker closes an answered complaint (issue 14 §1); for a dispute, the day it was
    settled (DOMAIN §5.10)."""
    complaint = _lock(complaint)
    _require_broker(by, complaint)
    COMPLAINT_WORKFLOW.run(
        subject=complaint,
        action=rules.Action.CLOSE,
        by=by,
        acting_as=actors_of(by, complaint),
        values={"closed_on": timezone.localdate()},
        save=_save,
    )
    notify(to=client_emails(complaint), template=CLOSED_TEMPLATE, context=_mail_context(complaint))
    return complaint
