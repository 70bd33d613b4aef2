"""The SEAO sheet of a concluded contract of a client subject to the RCTI (002 §4.1, DOMAIN
§5.1): the client's people choose the UNSPSC codes and say the responsible-acquisition
indicator, tick the checklist of what they entered in SEAO, then mark the sheet published with
its date and, when they have it, the notice's number. Each change audited (before/after)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.contracts.models import Contract
from courtier.publication import messages, rules
from courtier.publication.models import SeaoSheet
from courtier.publication.services.common import lock_contract, record, text


def snapshot(sheet: SeaoSheet) -> dict[str, Any]:
    return {
        "unspsc_codes": list(sheet.unspsc_codes or []),
        "responsible_indicator": sheet.responsible_indicator,
        "checklist": list(sheet.checklist or []),
        "published_on": sheet.published_on.isoformat() if sheet.published_on else None,
        "notice_number": sheet.notice_number,
    }


def _open(by: Any, contract: Contract) -> SeaoSheet:
    """The contract's sheet, locked (a blank one, saved by the first change that changes
    something); refused once published."""
    contract = lock_contract(by, contract)
    if not contract.subject_to_rcti:
        raise ValidationError({"contract": messages.NOT_RCTI})
    # The contract is locked: no one else makes its sheet meanwhile.
    sheet = SeaoSheet.objects.select_for_update().filter(contract=contract).first()
    if sheet is None:
        sheet = SeaoSheet(contract=contract)
    sheet.contract = contract
    permissions.require_change(by, sheet)
    if sheet.is_published:
        raise ValidationError({"published_on": messages.ALREADY_PUBLISHED})
    return sheet


def _save(by: Any, action: str, sheet: SeaoSheet, before: dict[str, Any]) -> SeaoSheet:
    """Saved and audited, unless nothing changed (a replayed submission records nothing)."""
    if not sheet._state.adding and snapshot(sheet) == before:
        return sheet
    sheet.updated_at = timezone.now()
    sheet.save()
    record(by, action, sheet, sheet.contract, before, snapshot(sheet))
    return sheet


@transaction.atomic
def seao_sheet_update(
    *, by: Any, contract: Contract, unspsc_codes: Iterable[str], responsible_indicator: str = ""
) -> SeaoSheet:
    """The client's choices (002 §4.1): one or more UNSPSC codes among those of the contract's
    kind, and the responsible-acquisition indicator « lorsqu'applicable » (blank otherwise)."""
    sheet = _open(by, contract)
    before = snapshot(sheet)
    codes = list(dict.fromkeys(str(c).strip() for c in unspsc_codes or [] if str(c).strip()))
    errors: dict[str, Any] = {}
    if (problem := rules.unspsc_problem(sheet.contract.kind, codes)) is not None:
        errors["unspsc_codes"] = messages.PROBLEMS[problem]
    indicator = text(
        errors, "responsible_indicator", responsible_indicator, rules.MAX_INDICATOR_LENGTH
    )
    if errors:
        raise ValidationError(errors)
    sheet.unspsc_codes = codes
    sheet.responsible_indicator = indicator
    return _save(by, "seao_sheet.updated", sheet, before)


@transaction.atomic
def seao_checklist_tick(*, by: Any, contract: Contract, ticked: Iterable[str]) -> SeaoSheet:
    """The items of the checklist the client's people entered in SEAO (the whole set ticked)."""
    sheet = _open(by, contract)
    before = snapshot(sheet)
    ticked = [str(k) for k in ticked or []]
    if (problem := rules.checklist_problem(ticked)) is not None:
        raise ValidationError({"checklist": messages.PROBLEMS[problem]})
    sheet.checklist = rules.in_order(ticked)
    return _save(by, "seao_sheet.checklist_ticked", sheet, before)


def _replayed(
    by: Any, contract: Contract, published_on: date | None, notice_number: str
) -> SeaoSheet | None:
    """The sheet already marked published with this very date and number (a replayed
    submission): returned as it is, nothing recorded twice; None otherwise."""
    lock_contract(by, contract)
    sheet = SeaoSheet.objects.select_for_update().filter(contract=contract).first()
    if (
        sheet is not None
        and sheet.is_published
        and sheet.published_on == published_on
        and sheet.notice_number == (notice_number or "").strip()
    ):
        return sheet
    return None


@transaction.atomic
def seao_sheet_publish(
    *, by: Any, contract: Contract, published_on: date | None, notice_number: str = ""
) -> SeaoSheet:
    """Marked published in SEAO on ``published_on`` (not before the conclusion, not in the
    future), every item of the checklist ticked and the codes chosen."""
    replayed = _replayed(by, contract, published_on, notice_number)
    if replayed is not None:
        return replayed
    sheet = _open(by, contract)
    before = snapshot(sheet)
    errors: dict[str, Any] = {
        name: messages.PROBLEMS[problem]
        for name, problem in rules.publication_problems(
            kind=sheet.contract.kind,
            codes=sheet.unspsc_codes or [],
            ticked=sheet.checklist or [],
            published_on=published_on,
            concluded_on=sheet.contract.concluded_on or sheet.contract.start_on,
            today=timezone.localdate(),
        ).items()
    }
    notice = text(errors, "notice_number", notice_number, rules.MAX_NOTICE_LENGTH)
    if errors:
        raise ValidationError(errors)
    sheet.published_on = published_on
    sheet.notice_number = notice
    sheet.published_by = by
    return _save(by, "seao_sheet.published", sheet, before)
