"""The broker's template and the price request (002 §3.3.2-3.3.3): publishing a version of the
template, writing the request on it (its sections, the criteria besides price and the documents
it asks for, its summary and estimate), and the refusal of any extension of the deadline. The
moves of the request (submit, validate, return, send, change, cancel) are in ``transitions``."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.services import audit_event_record
from courtier.core.validation import amount_problem
from courtier.pricerequests import policies, rules
from courtier.pricerequests.messages import (
    CHANGE_NEEDS_VALIDATION,
    CRITERIA_FROZEN,
    CRITERION_INVALID,
    CRITERION_TWICE,
    NO_EXTENSION,
    QUALITY_EVALUATION,
    REQUEST_NOT_EDITABLE,
    REQUIRED,
    TEXT_TOO_LONG,
    UNKNOWN_SECTION,
)
from courtier.pricerequests.models import PriceRequest, RequestTemplate, ServiceFile
from courtier.pricerequests.services.common import (
    _lock_request,
    _record,
    _require_change,
    _text,
    _touch,
)
from courtier.pricerequests.template import DEFAULT_SECTIONS

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# What a criterion of a price request may say: no weight, no score (002 §3.3.2).
_CRITERION_KEYS = {"code", "label", "environmental"}
_QUALITY_KEYS = {"weight", "points", "score", "pondération", "ponderation"}


def _sections(template_sections: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    sections = []
    seen: set[str] = set()
    for section in template_sections:
        code = str(section.get("code", "")).strip()
        title = str(section.get("title", "")).strip()
        if not _CODE.match(code) or not title or code in seen:
            raise ValidationError({"sections": CRITERION_INVALID})
        seen.add(code)
        sections.append(
            {"code": code, "title": title, "instructions": str(section.get("instructions", ""))}
        )
    if not sections:
        raise ValidationError({"sections": REQUIRED})
    return sections


@transaction.atomic
def request_template_publish(*, by: User, sections: Sequence[Mapping[str, Any]]) -> RequestTemplate:
    """A new version of the broker's mandatory template (002 §3.2): requests written from now
    on use it; those written before keep the version they were written on."""
    if not policies.may_validate(by):
        raise PermissionDenied
    clean = _sections(sections)
    last = RequestTemplate.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
    template = RequestTemplate.objects.create(version=last + 1, sections=clean, published_by=by)
    audit_event_record(
        actor=by,
        action="request_template.published",
        obj=template,
        after={"version": template.version, "sections": [s["code"] for s in clean]},
    )
    return template


def _first_template() -> RequestTemplate:
    """Version 1, as the product ships it (``template.DEFAULT_SECTIONS``), when the broker has
    published none yet: a request is always written on the broker's template."""
    template, created = RequestTemplate.objects.get_or_create(
        version=1, defaults={"sections": DEFAULT_SECTIONS}
    )
    if created:
        audit_event_record(
            actor=None,
            action="request_template.published",
            obj=template,
            after={"version": 1, "sections": [s["code"] for s in DEFAULT_SECTIONS]},
        )
    return template


def price_request_start(file: ServiceFile) -> PriceRequest:
    """The file's request, on the latest template (the move to step 3 writes it; a file back at
    step 3 keeps the one it had)."""
    existing = PriceRequest.objects.filter(file=file).first()
    if existing is not None:
        return existing
    template = RequestTemplate.objects.order_by("-version").first()
    if template is None:
        template = _first_template()
    return PriceRequest.objects.create(
        file=file,
        template=template,
        estimated_cents=None,
        sections={s["code"]: "" for s in template.sections},
    )


def clean_sections(
    request: PriceRequest, sections: Mapping[str, Any], errors: dict[str, Any]
) -> dict[str, str]:
    """The request's sections merged with ``sections`` (template codes only, texts bounded)."""
    codes = [s["code"] for s in request.template.sections]
    unknown = sorted(set(sections) - set(codes))
    if unknown:
        errors["sections"] = str(UNKNOWN_SECTION).format(codes=", ".join(unknown))
    merged = dict(request.sections)
    for code in codes:
        if code in sections:
            merged[code] = _text(
                errors, f"sections.{code}", str(sections[code] or ""), rules.MAX_TEXT_LENGTH
            )
    return merged


def _criteria(values: Sequence[Mapping[str, Any]], errors: dict[str, Any]) -> list[dict[str, Any]]:
    """002 §3.3.2-3.4: criteria besides price (environmental indicators as assets, or others
    tied to the contract's object), declared by code and label; never weighted nor scored."""
    criteria: list[dict[str, Any]] = []
    seen: set[str] = set()
    if len(values) > rules.MAX_CRITERIA:
        errors["criteria"] = str(TEXT_TOO_LONG).format(limit=rules.MAX_CRITERIA)
        return criteria
    for index, value in enumerate(values):
        keys = set(value)
        if keys & _QUALITY_KEYS:
            errors[f"criteria.{index}"] = QUALITY_EVALUATION
            continue
        code = str(value.get("code", "")).strip()
        label = str(value.get("label", "")).strip()
        if keys - _CRITERION_KEYS or not _CODE.match(code) or not label or len(label) > 300:
            errors[f"criteria.{index}"] = CRITERION_INVALID
            continue
        if code in seen:
            errors[f"criteria.{index}"] = CRITERION_TWICE
            continue
        seen.add(code)
        criteria.append(
            {"code": code, "label": label, "environmental": bool(value.get("environmental"))}
        )
    return criteria


@transaction.atomic
def price_request_update(
    *,
    by: User,
    request: PriceRequest,
    sections: Mapping[str, Any] | None = None,
    criteria: Sequence[Mapping[str, Any]] | None = None,
    documents_asked: Sequence[str] | None = None,
    summary: str | None = None,
    estimated_cents: int | None = None,
    clear_estimate: bool = False,
) -> PriceRequest:
    """Write the request while it is a draft or returned by the broker (002 §3.3.2): after
    sending, a change goes to the broker for validation (``transitions``), and the criteria no
    longer change."""
    request = _lock_request(request)
    _require_change(by, request)
    if request.state in rules.SENT_STATES:
        field = "criteria" if criteria is not None else "sections"
        raise ValidationError(
            {field: CRITERIA_FROZEN if criteria is not None else CHANGE_NEEDS_VALIDATION}
        )
    if request.state not in rules.EDITABLE_REQUEST_STATES:
        raise ValidationError({"state": REQUEST_NOT_EDITABLE})
    before = request.audit_snapshot()
    errors: dict[str, Any] = {}
    if sections is not None:
        request.sections = clean_sections(request, sections, errors)
    if criteria is not None:
        request.criteria = _criteria(criteria, errors)
    if documents_asked is not None:
        asked = [str(label).strip() for label in documents_asked if str(label).strip()]
        if len(asked) > rules.MAX_DOCUMENTS_ASKED or any(len(a) > 200 for a in asked):
            errors["documents_asked"] = str(TEXT_TOO_LONG).format(limit=200)
        request.documents_asked = list(dict.fromkeys(asked))
    if summary is not None:
        request.summary = _text(errors, "summary", summary, rules.MAX_TEXT_LENGTH)
    if estimated_cents is not None:
        problem = amount_problem(estimated_cents) if estimated_cents > 0 else REQUIRED
        if problem:
            errors["estimated_cents"] = problem
        request.estimated_cents = estimated_cents
    elif clear_estimate:
        request.estimated_cents = None
    if errors:
        raise ValidationError(errors)
    request.updated_at = timezone.now()
    request.save()
    after = request.audit_snapshot()
    if after != before:
        _record(by, "price_request.updated", request, request.file, before, after)
        _touch(request.file)
    return request


def price_request_extend(*, by: User, request: PriceRequest, **values: Any) -> None:
    """002 §3.3.3: no extension of the response deadline, for any reason. Every attempt (a page,
    the API) is refused; nothing is written."""
    _require_change(by, request)
    raise ValidationError({"deadline_on": NO_EXTENSION})
