"""Amendments (avenants, 002 §4.5): the client's people ask for one on a concluded or in-force
contract, with its reason and the changes it needs, one at a time; the changes are checked
against the contract's current terms (never beyond 36 months in all, never a solution outside
the contract, never services outside its qualifications, never the contractual conditions);
the broker prepares it from its template (with the management fee) or refuses it, the client
may withdraw it; once signed (``services.signing``) it moves the contract's planned end and is
part of its current terms."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts.selectors import broker_staff_emails
from courtier.contracts import messages, rules, selectors
from courtier.contracts.models import Amendment, AmendmentState, Contract
from courtier.contracts.services.common import (
    _lock,
    _lock_amendment,
    _now,
    _record,
    _require_actor,
    _text,
    actors_of,
    contract_url,
)
from courtier.contracts.workflow import AMENDMENT_WORKFLOW
from courtier.core.formatting import money
from courtier.core.mail import notify
from courtier.documents.services.retention import retention_recompute

# An amendment still under way: the next may be asked once it is signed, refused or withdrawn.
CLOSED_STATES = frozenset({AmendmentState.SIGNED, AmendmentState.REFUSED, AmendmentState.WITHDRAWN})
_INTEGERS = ("months", "cents", "offer")
_TEXTS = ("component", "qualification", "activity", "description")
_TEXT_LIMIT = 300


# --- reading ------------------------------------------------------------------------------------


def lead_time_on(amendment: Amendment) -> date:
    """002 §4.5: plan 30 days to prepare and sign an amendment, from the client's request."""
    return timezone.localdate(amendment.requested_at) + timedelta(days=rules.AMENDMENT_LEAD_DAYS)


def open_amendment(contract: Contract) -> Amendment | None:
    """The contract's amendment under way, if any (one at a time)."""
    return contract.amendments.exclude(state__in=CLOSED_STATES).order_by("number").first()


def clean_changes(changes: Any) -> list[dict[str, Any]]:
    """The changes as they are kept: a list of ``{"kind": ..., ...}`` with whole numbers where
    the rules count (months, cents, offer) and short stripped texts; anything else is an unknown
    change for ``rules.change_problems``."""
    if changes is None:
        return []
    if not isinstance(changes, list | tuple):
        return [{"kind": ""}]
    cleaned: list[dict[str, Any]] = []
    for change in changes:
        if not isinstance(change, Mapping):
            cleaned.append({"kind": ""})
            continue
        item: dict[str, Any] = {"kind": str(change.get("kind") or "")}
        for key in _INTEGERS:
            if key in change:
                item[key] = _integer(change[key])
        for key in _TEXTS:
            if key in change:
                item[key] = str(change[key] or "").strip()[:_TEXT_LIMIT]
        cleaned.append(item)
    return cleaned


def _integer(value: Any) -> int:
    """A whole number from a form or JSON, 0 when it is none (refused by the rules)."""
    if isinstance(value, bool):
        return 0
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def describe_changes(contract: Contract, changes: list[dict[str, Any]]) -> list[str]:
    """Each change in a French sentence, for the emails and pages."""
    names = {
        int(o["offer"]): o.get("name") or o.get("code") or str(o["offer"])
        for o in (contract.basis or {}).get("offers", [])
        if o.get("offer")
    }
    lines: list[str] = []
    for change in changes:
        kind = change.get("kind")
        if kind == rules.ChangeKind.DURATION:
            lines.append(_("Prolongation de %(months)s mois") % {"months": change.get("months")})
        elif kind == rules.ChangeKind.AMOUNT:
            lines.append(
                _("Hausse du montant autorisé de %(amount)s")
                % {"amount": money(change.get("cents") or 0)}
            )
        elif kind == rules.ChangeKind.COMPONENT:
            lines.append(
                _("Ajout de la composante « %(component)s » à l'offre « %(offer)s »")
                % {
                    "component": change.get("component", ""),
                    "offer": names.get(change.get("offer"), change.get("offer")),
                }
            )
        elif kind == rules.ChangeKind.SERVICES:
            lines.append(
                _("Ajout de l'activité « %(activity)s » (qualification « %(qualification)s »)")
                % {
                    "activity": change.get("activity", ""),
                    "qualification": change.get("qualification", ""),
                }
            )
        else:
            lines.append(change.get("description") or str(kind))
    return lines


# --- checks -------------------------------------------------------------------------------------


def _require_open(contract: Contract) -> None:
    """002 §4.5: an amendment changes a contract that binds the parties (concluded, in force)."""
    if contract.state not in rules.SIGNED_STATES:
        raise ValidationError({"state": messages.AMENDMENT_NOT_OPEN})


def _checked_changes(errors: dict[str, Any], contract: Contract, changes: Any) -> list[dict]:
    """002 §4.5: what an amendment may never change, against the current terms (the original
    plus the signed amendments, in order)."""
    cleaned = clean_changes(changes)
    problems = rules.change_problems(contract.kind, selectors.current_terms(contract), cleaned)
    if problems:
        errors["changes"] = [messages.CHANGE_PROBLEMS[key] for key in problems]
    return cleaned


def _fee(errors: dict[str, Any], fee_cents: Any) -> int:
    """002 §4.5: the management fee billed for preparing the amendment, zero or more."""
    if isinstance(fee_cents, bool) or fee_cents is None:
        errors["fee_cents"] = messages.FEE_INVALID
        return 0
    try:
        fee = int(fee_cents)
    except (TypeError, ValueError):
        errors["fee_cents"] = messages.FEE_INVALID
        return 0
    if fee < 0:
        errors["fee_cents"] = messages.FEE_INVALID
    return fee


def _facts(amendment: Amendment) -> dict[str, Any]:
    return {
        "reason": amendment.reason,
        "changes": amendment.changes,
        "fee_cents": amendment.fee_cents,
    }


# --- writes -------------------------------------------------------------------------------------


@transaction.atomic
def amendment_request(
    *, by: Any, contract: Contract, reason: str, changes: list[dict[str, Any]]
) -> Amendment:
    """002 §4.5: the client's people who run its acquisitions ask for an amendment of a concluded
    or in-force contract, with its reason; one at a time; the changes must be possible. The
    broker's people are told by email."""
    contract = _lock(contract)  # one request at a time: the next waits for this one
    _require_actor(by, contract, rules.Actor.CLIENT)
    _require_open(contract)
    if open_amendment(contract) is not None:
        raise ValidationError({"state": messages.AMENDMENT_PENDING})
    errors: dict[str, Any] = {}
    reason = _text(errors, "reason", reason)
    if not reason and "reason" not in errors:
        errors["reason"] = messages.REQUIRED
    cleaned = _checked_changes(errors, contract, changes)
    if errors:
        raise ValidationError(errors)
    last = contract.amendments.order_by("-number").values_list("number", flat=True).first()
    amendment = Amendment.objects.create(
        contract=contract,
        number=(last or 0) + 1,
        reason=reason,
        changes=cleaned,
        requested_by=by,
        requested_at=_now(),
        updated_at=_now(),
    )
    _record(
        by,
        "amendment.requested",
        amendment,
        contract,
        None,
        {"number": amendment.number, "state": amendment.state, **_facts(amendment)},
    )
    _broker_told(amendment)
    return amendment


def _broker_told(amendment: Amendment) -> None:
    """The broker's people prepare the amendment from its template (002 §4.5)."""
    contract = amendment.contract
    notify(
        to=broker_staff_emails(),
        template="contracts/email/amendment_requested",
        context={
            "amendment": amendment,
            "contract": contract,
            "client": contract.client.name,
            "reason": amendment.reason,
            "changes": describe_changes(contract, amendment.changes),
            "lead_time_on": lead_time_on(amendment),
            "url": contract_url(contract),
        },
    )


def _move(
    by: Any, amendment: Amendment, action: str, actor: str, values: dict[str, Any]
) -> Amendment:
    """The move ``action`` of the locked amendment, for one who may act as ``actor`` on its
    contract (``PermissionDenied`` for anyone else)."""
    acting = actors_of(by, amendment.contract)
    if actor not in acting:
        raise PermissionDenied
    AMENDMENT_WORKFLOW.run(subject=amendment, action=action, by=by, acting_as=acting, values=values)
    return amendment


@transaction.atomic
def amendment_prepare(
    *,
    by: Any,
    amendment: Amendment,
    fee_cents: int,
    changes: list[dict[str, Any]] | None = None,
) -> Amendment:
    """The broker takes the request up (move PREPARE): the changes may be corrected (checked
    again), the management fee is recorded for billing (002 §4.5)."""
    locked = _lock_amendment(amendment)
    contract = locked.contract
    _require_actor(by, contract, rules.Actor.BROKER)
    _require_open(contract)
    errors: dict[str, Any] = {}
    fee = _fee(errors, fee_cents)
    cleaned = _checked_changes(errors, contract, locked.changes if changes is None else changes)
    if errors:
        raise ValidationError(errors)
    before = locked.changes
    locked.changes, locked.updated_at = cleaned, _now()
    _move(by, locked, rules.AmendmentAction.PREPARE, rules.Actor.BROKER, {"fee_cents": fee})
    if cleaned != before:
        _record(
            by, "amendment.updated", locked, contract, {"changes": before}, {"changes": cleaned}
        )
    return locked


@transaction.atomic
def amendment_update(
    *,
    by: Any,
    amendment: Amendment,
    changes: list[dict[str, Any]],
    fee_cents: int,
    reason: str,
) -> Amendment:
    """While in preparation, the broker corrects the changes, the fee and the reason (checked as
    at the request); the amendment must then be generated again."""
    locked = _lock_amendment(amendment)
    contract = locked.contract
    _require_actor(by, contract, rules.Actor.BROKER)
    if locked.state != AmendmentState.PREPARATION:
        raise ValidationError({"state": messages.AMENDMENT_REFUSED})
    _require_open(contract)
    errors: dict[str, Any] = {}
    reason = _text(errors, "reason", reason)
    if not reason and "reason" not in errors:
        errors["reason"] = messages.REQUIRED
    fee = _fee(errors, fee_cents)
    cleaned = _checked_changes(errors, contract, changes)
    if errors:
        raise ValidationError(errors)
    before = _facts(locked)
    locked.reason, locked.changes, locked.fee_cents = reason, cleaned, fee
    after = _facts(locked)
    if after != before:
        locked.updated_at = _now()
        locked.save(update_fields=["reason", "changes", "fee_cents", "updated_at"])
        _record(by, "amendment.updated", locked, contract, before, after)
    return locked


@transaction.atomic
def amendment_refuse(*, by: Any, amendment: Amendment, comment: str) -> Amendment:
    """The broker refuses the request, saying why (e.g. a change 002 §4.5 does not allow)."""
    locked = _lock_amendment(amendment)
    return _move(
        by,
        locked,
        rules.AmendmentAction.REFUSE,
        rules.Actor.BROKER,
        {"review_comment": (comment or "").strip()},
    )


@transaction.atomic
def amendment_withdraw(*, by: Any, amendment: Amendment) -> Amendment:
    """The client's people withdraw their request before it is signed."""
    locked = _lock_amendment(amendment)
    return _move(by, locked, rules.AmendmentAction.WITHDRAW, rules.Actor.CLIENT, {})


def _terms_facts(terms: rules.Terms, ends_on: date) -> dict[str, Any]:
    return {
        "duration_months": terms.months,
        "authorised_cents": terms.authorised_cents,
        "ends_on": ends_on.isoformat(),
        "components": sorted(f"{offer}:{component}" for offer, component in terms.components),
    }


@transaction.atomic
def amendment_apply(*, amendment: Amendment, by: Any = None) -> Contract:
    """Called by ``services.signing`` once the amendment is signed by the parties: its changes
    are part of the contract's current terms (002 §4.5), so the planned end moves with the
    duration and the retention of the contract's documents counts from the new end (DOMAIN
    §7). ``by``: who made the last signature (the audit's actor), none for the platform."""
    locked = _lock_amendment(amendment)
    if locked.state != AmendmentState.SIGNED:
        raise ValidationError({"state": messages.AMENDMENT_REFUSED})
    contract = _lock(locked.contract)
    history = selectors.terms_history(contract)
    index = next(i for i, (step, _terms) in enumerate(history.steps) if step.pk == locked.pk)
    before = history.steps[index - 1][1] if index else history.original
    before_end = contract.ends_on
    contract.ends_on = rules.end_on(contract.start_on, history.current.months)
    contract.updated_at = _now()
    contract.save(update_fields=["ends_on", "updated_at"])
    retention_recompute(subject=contract)
    _record(
        by,
        "contract.amended",
        contract,
        contract,
        _terms_facts(before, before_end),
        {"number": locked.number, **_terms_facts(history.current, contract.ends_on)},
    )
    return contract
