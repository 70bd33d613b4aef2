"""The file, steps 1 and 2 and the shortlist (002 §3.1-3.3.1): opening a file, its needs, the
qualifications and the client's confirmation of their scope, the providers left out (with a
reason) or put back, (the moves are in ``transitions``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.catalogue.models import Qualification
from courtier.core.references import next_reference
from courtier.pricerequests import rules, selectors
from courtier.pricerequests.messages import (
    DURATION_RANGE,
    EXCLUSION_REASON_REQUIRED,
    NOT_A_CLIENT,
    NOT_ON_SHORTLIST,
    QUALIFICATIONS_LOCKED,
    REQUIRED,
    SHORTLIST_LOCKED,
    UNKNOWN_QUALIFICATION,
)
from courtier.pricerequests.models import Remuneration, ServiceFile, ShortlistEntry
from courtier.pricerequests.services.common import (
    _lock_file,
    _record,
    _require_change,
    _require_state,
    _text,
    _touch,
)


@transaction.atomic
def service_file_create(*, by: User, client: Organisation, title: str) -> ServiceFile:
    """Open a service acquisition file at step 1 for a client body (002 §3.1)."""
    if client.kind not in (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER):
        raise ValidationError({"client": NOT_A_CLIENT})
    if client.pk not in permissions.grants(by).organisations_with(Perm.RUN_ACQUISITIONS):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": REQUIRED})
    Organisation.objects.select_for_update().filter(pk=client.pk).first()  # one number at a time
    file = ServiceFile.objects.create(
        reference=next_reference(ServiceFile.objects.all(), f"SRV-{timezone.localdate().year}-"),
        title=title.strip()[:200],
        client=client,
        created_by=by,
    )
    _record(by, "service_file.created", file, file, None, file.audit_snapshot())
    return file


_TEXTS = (
    "schedule",
    "current_context",
    "target_context",
    "activities",
    "deliverables",
    "responsibilities",
    "payment_terms",
    "penalties",
)


@transaction.atomic
def service_needs_update(*, by: User, file: ServiceFile, **values: Any) -> ServiceFile:
    """Save the needs of 002 §3.1. Incomplete answers are kept (checked when moving on); values
    that can never be right are refused now, on their field."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.NEEDS)
    unknown = set(values) - {"title", "duration_months", "remuneration", *_TEXTS}
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    before = file.audit_snapshot()
    errors: dict[str, Any] = {}
    if "title" in values:
        file.title = _text(errors, "title", values["title"], 200)
        if not file.title:
            errors["title"] = REQUIRED
    if "duration_months" in values:
        months = values["duration_months"]
        if months is not None and not 1 <= months <= rules.MAX_DURATION_MONTHS:
            errors["duration_months"] = DURATION_RANGE
        file.duration_months = months
    if "remuneration" in values:
        if values["remuneration"] not in ("", *Remuneration.values):
            errors["remuneration"] = REQUIRED
        file.remuneration = values["remuneration"]
    for name in _TEXTS:
        if name in values:
            setattr(file, name, _text(errors, name, values[name], rules.MAX_TEXT_LENGTH))
    if errors:
        raise ValidationError(errors)
    file.updated_at = timezone.now()
    file.save()
    after = file.audit_snapshot()
    if after != before:
        _record(by, "service_file.needs_updated", file, file, before, after)
    return file


@transaction.atomic
def service_qualifications_set(
    *, by: User, file: ServiceFile, codes: Sequence[str], scope_confirmed: bool
) -> ServiceFile:
    """Step 2 (002 §3.1-3.2): the qualifications the need falls within (one contract may cover
    several) and the client's confirmation that it falls within their scope. Changing them
    withdraws the confirmation given for others."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.SOLICITATION)
    if file.state == rules.State.SOLICITATION:
        raise ValidationError({"qualifications": QUALIFICATIONS_LOCKED})
    wanted = sorted(set(codes))
    found = list(Qualification.objects.filter(code__in=wanted, is_active=True))
    missing = sorted(set(wanted) - {q.code for q in found})
    if missing:
        raise ValidationError(
            {"qualifications": str(UNKNOWN_QUALIFICATION).format(codes=", ".join(missing))}
        )
    before = {
        "qualifications": sorted(file.qualifications.values_list("code", flat=True)),
        "scope_confirmed": file.scope_confirmed_at is not None,
    }
    changed = before["qualifications"] != wanted
    file.qualifications.set(found)
    confirmed = scope_confirmed and bool(found)
    if confirmed and (changed or file.scope_confirmed_at is None):
        file.scope_confirmed_at = timezone.now()
    elif not confirmed:
        file.scope_confirmed_at = None
    file.updated_at = timezone.now()
    file.save(update_fields=["scope_confirmed_at", "updated_at"])
    after = {"qualifications": wanted, "scope_confirmed": file.scope_confirmed_at is not None}
    if after != before:
        _record(by, "service_file.qualifications_set", file, file, before, after)
    return file


def shortlist_fill(file: ServiceFile) -> None:
    """002 §3.3.1: every provider qualified in all the chosen qualifications, preselected with
    its contacts from the Catalogue (the broker recommends soliciting them all). Run by the move
    to step 3; a provider already listed keeps its decision."""
    listed = set(file.shortlist.values_list("provider_id", flat=True))
    for provider, contacts in selectors.qualified_providers(file):
        if provider.pk not in listed:
            ShortlistEntry.objects.create(file=file, provider=provider, contacts=contacts)


def _entry(file: ServiceFile, provider_id: int) -> ShortlistEntry:
    entry = ShortlistEntry.objects.select_for_update().filter(file=file, provider_id=provider_id)
    found = entry.first()
    if found is None:
        raise ValidationError({"provider": NOT_ON_SHORTLIST})
    return found


def _require_shortlist_open(file: ServiceFile) -> None:
    _require_state(file, rules.State.SOLICITATION)
    request = getattr(file, "request", None)
    if request is not None and request.sent_at is not None:
        raise ValidationError({"provider": SHORTLIST_LOCKED})


@transaction.atomic
def shortlist_exclude(
    *, by: User, file: ServiceFile, provider_id: int, reason: str
) -> ShortlistEntry:
    """Leave a provider out: only with a written, objective reason, kept with the file
    (002 §3.3.1)."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_shortlist_open(file)
    errors: dict[str, Any] = {}
    reason = _text(errors, "reason", reason, rules.MAX_REASON_LENGTH)
    if not reason and "reason" not in errors:
        errors["reason"] = EXCLUSION_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    entry = _entry(file, provider_id)
    before = {"included": entry.included, "exclusion_reason": entry.exclusion_reason}
    entry.included = False
    entry.exclusion_reason = reason
    entry.save(update_fields=["included", "exclusion_reason"])
    _record(
        by,
        "service_file.provider_excluded",
        entry,
        file,
        before,
        {"included": False, "exclusion_reason": reason},
    )
    _touch(file)
    return entry


@transaction.atomic
def shortlist_include(*, by: User, file: ServiceFile, provider_id: int) -> ShortlistEntry:
    """Put a provider left out back on the list."""
    file = _lock_file(file)
    _require_change(by, file)
    _require_shortlist_open(file)
    entry = _entry(file, provider_id)
    if not entry.included:
        before = {"included": False, "exclusion_reason": entry.exclusion_reason}
        entry.included = True
        entry.exclusion_reason = ""
        entry.save(update_fields=["included", "exclusion_reason"])
        _record(
            by,
            "service_file.provider_included",
            entry,
            file,
            before,
            {"included": True, "exclusion_reason": ""},
        )
        _touch(file)
    return entry
