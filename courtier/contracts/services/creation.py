"""A contract is made by a broker agent from what was frozen upstream, never by hand (002 §2.5,
§3.5): a solutions contract from the acquisition strategy validated at the startup meeting, a
services contract from the package the client handed off. Then the broker prepares it: the
terms it may still set, the client's confirmation of the supplier's eligibility (002 §2.5 step
4), the signatories, the startup decision of a renewal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from courtier.accounts.models import Membership
from courtier.acquisitions.models import AcquisitionStrategy
from courtier.contracts import messages, policies, rules
from courtier.contracts.models import (
    Contract,
    ContractKind,
    ContractSignatory,
    ContractState,
    Party,
)
from courtier.contracts.services.common import _lock, _now, _record, _text, _today, _touch
from courtier.core.references import next_reference
from courtier.documents.verification import person_name
from courtier.pricerequests.models import HandoffPackage

TEMPLATE_VERSION = "2026-1"  # the broker's contract template (templates/contracts/documents)


def _facts(contract: Contract) -> dict[str, Any]:
    return {
        "reference": contract.reference,
        "title": contract.title,
        "start_on": contract.start_on.isoformat(),
        "duration_months": contract.duration_months,
        "authorised_cents": contract.authorised_cents,
        "price_terms": contract.price_terms,
        "is_renewal": contract.is_renewal,
        "startup_meeting_needed": contract.startup_meeting_needed,
    }


def _require_broker(by: Any) -> None:
    if not policies.is_broker_agent(by):
        raise PermissionDenied


def _duration(errors: dict[str, Any], months: Any) -> int:
    """DOMAIN §3.1, 002 §4.5: 1 to 36 months, renewals included (also a database constraint)."""
    try:
        months = int(months)
    except (TypeError, ValueError):
        errors["duration_months"] = messages.DURATION_TOO_SHORT
        return 0
    problem = rules.duration_problem(months)
    if problem == "too_long":
        errors["duration_months"] = messages.DURATION_TOO_LONG
    elif problem:
        errors["duration_months"] = messages.DURATION_TOO_SHORT
    return months


def _strategy_basis(strategy: AcquisitionStrategy) -> dict[str, Any]:
    file = strategy.file
    return {
        "source": {"kind": "strategy", "id": strategy.pk, "file": file.reference},
        "supplier_partner": strategy.content.get("supplier_partner", ""),
        "offers": strategy.content.get("offers", []),
        "member_shares": strategy.content.get("member_shares", []),
        "monthly_cents": strategy.content.get("monthly_cents"),
        "is_lowest": strategy.content.get("is_lowest"),
    }


def _handoff_basis(package: HandoffPackage) -> dict[str, Any]:
    content = package.content
    return {
        "source": {"kind": "handoff", "id": package.pk, "file": content["file"]["reference"]},
        "qualifications": content["file"].get("qualifications", []),
        "remuneration": content["file"].get("remuneration", ""),
        "request_template_version": content["request"].get("template_version"),
        "request_document_key": content["request"].get("document_key"),
        "chosen": content.get("chosen", {}),
    }


@transaction.atomic
def contract_create(
    *,
    by: Any,
    strategy: AcquisitionStrategy | None = None,
    handoff: HandoffPackage | None = None,
    start_on: date | None = None,
) -> Contract:
    """A contract in preparation from one frozen source; its terms are the source's (duration,
    total, supplier, offers and quantities or qualifications and the chosen response)."""
    _require_broker(by)
    if (strategy is None) == (handoff is None):
        raise ValidationError({"source": messages.SOURCE_REQUIRED})
    errors: dict[str, Any] = {}
    if strategy is not None:
        file = strategy.file
        kind, supplier_id, total = (
            ContractKind.SOLUTIONS,
            strategy.supplier_id,
            strategy.total_cents,
        )
        months, basis = strategy.duration_months, _strategy_basis(strategy)
        meeting = getattr(file, "startup_meeting", None)
        contact = meeting.scheduled_at.date() if meeting else _today()
        start = start_on or file.planned_start
    else:
        file = handoff.file
        kind, supplier_id, total = ContractKind.SERVICES, handoff.provider_id, handoff.total_cents
        months, basis = handoff.content["file"].get("duration_months") or 0, _handoff_basis(handoff)
        contact = handoff.handed_off_at.date()
        start = start_on
    if Contract.objects.filter(strategy=strategy, handoff=handoff).exists():
        raise ValidationError({"source": messages.SOURCE_TAKEN})
    months = _duration(errors, months)
    if start is None:
        errors["start_on"] = messages.START_REQUIRED
    if total <= 0:
        errors["authorised_cents"] = messages.AMOUNT_POSITIVE
    if errors:
        raise ValidationError(errors)
    today = _today()
    contract = Contract(
        reference=next_reference(Contract.objects.all(), f"C-{today.year}-"),
        kind=kind,
        title=file.title,
        client_id=file.client_id,
        supplier_id=supplier_id,
        strategy=strategy,
        handoff=handoff,
        start_on=start,
        duration_months=months,
        ends_on=rules.end_on(start, months),
        authorised_cents=total,
        basis=basis,
        template_version=TEMPLATE_VERSION,
        subject_to_rcti=file.client.subject_to_rcti,
        startup_contact_on=contact,
        created_by=by,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:  # the same source twice at once: the one-to-one keeps one
        raise ValidationError({"source": messages.SOURCE_TAKEN}) from None
    _record(by, "contract.created", contract, contract, None, _facts(contract) | basis["source"])
    return contract


def _require_preparation(contract: Contract) -> None:
    if contract.state != ContractState.PREPARATION:
        raise ValidationError({"state": messages.NOT_IN_PREPARATION})


_TERMS = ("title", "start_on", "duration_months", "authorised_cents", "price_terms")


@transaction.atomic
def contract_update(*, by: Any, contract: Contract, **values: Any) -> Contract:
    """The broker sets what the frozen source leaves open (002 §2.5 step 5): the object, the start
    date, the price and billing terms; and for a renewal with the same supplier whether a
    startup meeting was needed. The duration stays within 36 months."""
    _require_broker(by)
    contract = _lock(contract)
    _require_preparation(contract)
    before = _facts(contract)
    errors: dict[str, Any] = {}
    if "title" in values:
        contract.title = _text(errors, "title", values["title"], 300) or contract.title
    if "price_terms" in values:
        contract.price_terms = _text(errors, "price_terms", values["price_terms"])
    if values.get("duration_months") is not None:
        contract.duration_months = _duration(errors, values["duration_months"])
    if values.get("start_on") is not None:
        contract.start_on = values["start_on"]
    if values.get("authorised_cents") is not None:
        if int(values["authorised_cents"]) <= 0:
            errors["authorised_cents"] = messages.AMOUNT_POSITIVE
        contract.authorised_cents = int(values["authorised_cents"])
    if "is_renewal" in values and values["is_renewal"] is not None:
        contract.is_renewal = bool(values["is_renewal"])
    if "startup_meeting_needed" in values:
        contract.startup_meeting_needed = values["startup_meeting_needed"]
    if errors:
        raise ValidationError(errors)
    contract.ends_on = rules.end_on(contract.start_on, contract.duration_months)
    contract.updated_at = _now()
    contract.save()
    after = _facts(contract)
    if after != before:
        _record(by, "contract.updated", contract, contract, before, after)
    return contract


@transaction.atomic
def contract_eligibility_confirm(
    *, by: Any, contract: Contract, confirmed_on: date, note: str = ""
) -> Contract:
    """002 §2.5 step 4: the broker records the client's confirmation of the supplier's
    administrative eligibility, as the contract provides."""
    _require_broker(by)
    contract = _lock(contract)
    _require_preparation(contract)
    errors: dict[str, Any] = {}
    note = _text(errors, "eligibility_note", note)
    if confirmed_on is None:
        errors["eligibility_confirmed_on"] = messages.REQUIRED
    elif confirmed_on > _today():
        errors["eligibility_confirmed_on"] = messages.SIGNED_ON_FUTURE
    if errors:
        raise ValidationError(errors)
    before = {"eligibility_confirmed_on": contract.eligibility_confirmed_on}
    contract.eligibility_confirmed_on, contract.eligibility_note = confirmed_on, note
    contract.save(update_fields=["eligibility_confirmed_on", "eligibility_note"])
    _touch(contract)
    _record(
        by,
        "contract.eligibility_confirmed",
        contract,
        contract,
        before,
        {"eligibility_confirmed_on": confirmed_on.isoformat(), "eligibility_note": note},
    )
    return contract


@transaction.atomic
def contract_signatories_set(
    *, by: Any, contract: Contract, signatories: list[dict[str, Any]]
) -> list[ContractSignatory]:
    """The client's signatories in their order (its hierarchy, 002 §2.5 step 8), then the
    supplier's. One who signs in the platform is a person of that party with a signing role."""
    _require_broker(by)
    contract = _lock(contract)
    _require_preparation(contract)
    if len(signatories) > rules.MAX_SIGNATORIES:
        raise ValidationError(
            {"signatories": str(messages.TOO_MANY_SIGNATORIES).format(limit=rules.MAX_SIGNATORIES)}
        )
    rows: list[ContractSignatory] = []
    errors: list[str] = []
    for index, given in enumerate(signatories, start=1):
        party = given.get("party")
        if party not in Party.values:
            errors.append(f"{index}: {messages.SIGNATORIES_MISSING}")
            continue
        organisation = contract.client_id if party == Party.CLIENT else contract.supplier_id
        user_id = given.get("user_id")
        name = (given.get("name") or "").strip()
        if user_id is not None:
            membership = (
                Membership.objects.filter(
                    user_id=user_id,
                    organisation_id=organisation,
                    role__in=policies.SIGNING_ROLES[Party(party)],
                )
                .select_related("user")
                .first()
            )
            if membership is None:
                errors.append(f"{index}: {messages.SIGNATORY_USER_WRONG}")
                continue
            name = name or person_name(membership.user)
        if not name:
            errors.append(f"{index}: {messages.REQUIRED}")
            continue
        rows.append(
            ContractSignatory(
                contract=contract,
                party=party,
                order=int(given.get("order") or index),
                user_id=user_id,
                name=name[:200],
                title=(given.get("title") or "").strip()[:200],
            )
        )
    if len({r.user_id for r in rows if r.user_id}) != len([r for r in rows if r.user_id]):
        errors.append(messages.SIGNATORY_USER_WRONG)
    if errors:
        raise ValidationError({"signatories": errors})
    before = [s.name for s in contract.signatories.order_by("party", "order")]
    contract.signatories.all().delete()
    ContractSignatory.objects.bulk_create(rows)
    _touch(contract)
    _record(
        by,
        "contract.signatories_set",
        contract,
        contract,
        {"signatories": before},
        {"signatories": [f"{r.party} {r.order}: {r.name}" for r in rows]},
    )
    return list(contract.signatories.order_by("party", "order"))
