"""The file and step 1 (DOMAIN §3.1; 002 §2.1): opening a file, the needs questionnaire, the
lines of the consumption plan, and a group purchase's members' own consumption (seed 003)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.acquisitions import rules
from courtier.acquisitions.messages import (
    ANSWER_TOO_LONG,
    DURATION_FIRST,
    GROUP_ONLY_FOR_GROUP_PURCHASER,
    GROUP_QUANTITIES_FROM_MEMBERS,
    NEED_CODE_INVALID,
    NEED_KIND_INVALID,
    NEED_LABEL_REQUIRED,
    NEED_UNKNOWN,
    NEEDS_MESSAGES,
    NOT_A_CLIENT,
    NOT_A_MEMBER,
    PLAN_MESSAGES,
    TITLE_REQUIRED,
    UNIT_INVALID,
    UNKNOWN_CATEGORY,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    Location,
    MemberConsumption,
    NeedKind,
    NeedLine,
)
from courtier.acquisitions.services.common import (
    _lock,
    _record,
    _require_runs,
    _require_state,
    _today,
    _touch,
)
from courtier.catalogue.models import Category, Unit
from courtier.core.references import next_reference
from courtier.core.validation import DATE_OUT_OF_RANGE, amount_problem, date_in_range


def _next_reference(year: int) -> str:
    return next_reference(AcquisitionFile.objects.all(), f"ACQ-{year}-")


@transaction.atomic
def file_create(
    *, by: User, client: Organisation, title: str, is_group_purchase: bool = False
) -> AcquisitionFile:
    """Open a file at step 1 for a client body (or a group purchaser's group purchase)."""
    if client.kind not in (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER):
        raise ValidationError({"client": NOT_A_CLIENT})
    if client.pk not in permissions.grants(by).organisations_with(Perm.RUN_ACQUISITIONS):
        raise PermissionDenied
    if is_group_purchase and client.kind != OrganisationKind.GROUP_PURCHASER:
        raise ValidationError({"is_group_purchase": GROUP_ONLY_FOR_GROUP_PURCHASER})
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    # One file number at a time: lock the client row while numbering.
    Organisation.objects.select_for_update().filter(pk=client.pk).first()
    file = AcquisitionFile.objects.create(
        reference=_next_reference(_today().year),
        title=title.strip(),
        client=client,
        is_group_purchase=is_group_purchase,
        created_by=by,
    )
    _record(by, "acquisition.created", file, file, None, file.audit_snapshot())
    return file


NEEDS_FIELDS = (
    "title",
    "duration_months",
    "budget_cents",
    "planned_start",
    "location",
    "personal_information",
    "pi_outside_quebec",
    "answers",
    "supplier_partner",
)


@transaction.atomic
def file_update_needs(
    *, by: User, file: AcquisitionFile, category_code: str | None = None, **values: Any
) -> AcquisitionFile:
    """Save the step-1 questionnaire (DOMAIN §3.1). Incomplete answers are kept: completeness is
    checked when moving on; values that can never be right are refused now."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    before = file.audit_snapshot()
    errors: dict[str, Any] = {}
    unknown = set(values) - set(NEEDS_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    if category_code is not None:
        category = Category.objects.filter(code=category_code).first() if category_code else None
        if category_code and category is None:
            errors["category"] = UNKNOWN_CATEGORY
        file.category = category
    for name, value in values.items():
        setattr(file, name, value)
    if "title" in values and not str(file.title).strip():
        errors["title"] = TITLE_REQUIRED
    if file.duration_months is not None and not rules.duration_ok(file.duration_months):
        errors["duration_months"] = NEEDS_MESSAGES[rules.NeedsProblem.DURATION]
    if file.budget_cents is not None and file.budget_cents <= 0:
        errors["budget_cents"] = NEEDS_MESSAGES[rules.NeedsProblem.BUDGET]
    if file.location not in Location.values:
        errors["location"] = _("Choix inconnu.")
    if file.pi_outside_quebec and not file.personal_information:
        errors["pi_outside_quebec"] = NEEDS_MESSAGES[rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI]
    answers = file.answers if isinstance(file.answers, dict) else {}
    stray = sorted(set(answers) - set(rules.QUESTION_CODES))
    if stray:
        errors[f"answers.{stray[0]}"] = _("Question inconnue.")
    for code, answer in answers.items():
        if isinstance(answer, str) and len(answer) > rules.MAX_ANSWER_LENGTH:
            errors[f"answers.{code}"] = ANSWER_TOO_LONG % {"n": rules.MAX_ANSWER_LENGTH}
    if file.planned_start is not None and not date_in_range(file.planned_start):
        errors["planned_start"] = DATE_OUT_OF_RANGE
    if file.budget_cents is not None and amount_problem(file.budget_cents):
        errors["budget_cents"] = amount_problem(file.budget_cents)
    if errors:
        raise ValidationError(errors)
    if file.duration_months and before["duration_months"] != file.duration_months:
        _resize_needs(file, file.duration_months)
    file.updated_at = timezone.now()
    file.save()
    _record(by, "acquisition.needs_updated", file, file, before, file.audit_snapshot())
    return file


def _fit(quantities: Sequence[int], months: int) -> list[int]:
    """Keep a plan's quantities when the duration changes: cut, or repeat the last month."""
    values = list(quantities)[:months]
    filler = values[-1] if values else 0
    return values + [filler] * (months - len(values))


def _resize_needs(file: AcquisitionFile, months: int) -> None:
    for need in file.needs.all():
        need.quantities = _fit(need.quantities, months)
        need.save(update_fields=["quantities"])
        for row in need.members.all():
            row.quantities = _fit(row.quantities, months)
            row.save(update_fields=["quantities"])


def _quantities_error(quantities: Any, months: int) -> str | None:
    if not isinstance(quantities, list | tuple) or any(
        isinstance(q, bool) or not isinstance(q, int) for q in quantities
    ):
        return str(NEEDS_MESSAGES[rules.NeedsProblem.QUANTITY_RANGE])
    problem = rules.quantities_problem(list(quantities), months)
    return str(NEEDS_MESSAGES[problem]) if problem else None


@transaction.atomic
def need_line_save(
    *,
    by: User,
    file: AcquisitionFile,
    code: str,
    label: str,
    kind: str,
    unit: str,
    quantities: Sequence[int] | None = None,
    plan: rules.GrowthPlan | None = None,
) -> NeedLine:
    """Add or change one line of the consumption plan (DOMAIN §3.1: quantities per month over
    the whole duration), given month by month or as a growth ``plan`` (its ceiling at least
    its start). A group purchase's quantities come from its members."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    if not file.duration_months:
        raise ValidationError({"duration_months": DURATION_FIRST})
    errors: dict[str, Any] = {}
    if not rules.need_code_ok(code):
        errors["code"] = NEED_CODE_INVALID
    if not label.strip():
        errors["label"] = NEED_LABEL_REQUIRED
    if kind not in NeedKind.values:
        errors["kind"] = NEED_KIND_INVALID
    if unit not in Unit.values:
        errors["unit"] = UNIT_INVALID
    if plan is not None and not file.is_group_purchase:
        problem = rules.plan_problem(plan.start, plan.ceiling)
        if problem is not None:
            errors["ceiling"] = PLAN_MESSAGES[problem]
        elif quantities is None:
            quantities = rules.plan_quantities(
                plan.start, plan.growth, file.duration_months, plan.ceiling
            )
    if file.is_group_purchase and (quantities is not None or plan is not None):
        errors["quantities"] = GROUP_QUANTITIES_FROM_MEMBERS
    elif not file.is_group_purchase and "ceiling" not in errors:
        problem = _quantities_error(quantities, file.duration_months)
        if problem:
            errors["quantities"] = problem
    if errors:
        raise ValidationError(errors)
    need = file.needs.filter(code=code).first()
    before = need.snapshot() if need else None
    if need is None:
        position = (file.needs.aggregate(m=Max("position"))["m"] or 0) + 1
        need = NeedLine(file=file, code=code, position=position)
        need.quantities = [0] * file.duration_months
    need.label, need.kind, need.unit = label.strip(), kind, unit
    if quantities is not None:
        need.quantities = list(quantities)
    need.save()
    _record(by, "acquisition.need_saved", need, file, before, need.snapshot())
    _touch(file)
    return need


@transaction.atomic
def need_line_delete(*, by: User, file: AcquisitionFile, code: str) -> None:
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    need = file.needs.filter(code=code).first()
    if need is None:
        raise ValidationError({"code": NEED_UNKNOWN})
    before = need.snapshot()
    _record(by, "acquisition.need_deleted", need, file, before, None)
    need.delete()
    _touch(file)


@transaction.atomic
def member_consumption_save(
    *, by: User, file: AcquisitionFile, need_code: str, member: Organisation, quantities: Any
) -> MemberConsumption:
    """A member body adds its own consumption to a group purchase (seed 003); the line's
    quantities become the sum of its members'."""
    file = _lock(file)
    _require_state(file, rules.State.NEEDS)
    if not file.is_group_purchase or not file.client.members.filter(pk=member.pk).exists():
        raise ValidationError({"member": NOT_A_MEMBER})
    grants = permissions.grants(by).organisations_with(Perm.RUN_ACQUISITIONS)
    if member.pk not in grants and file.client_id not in grants:
        raise PermissionDenied
    need = file.needs.filter(code=need_code).first()
    if need is None:
        raise ValidationError({"need": NEED_UNKNOWN})
    problem = _quantities_error(quantities, file.duration_months or 0)
    if problem:
        raise ValidationError({"quantities": problem})
    row = MemberConsumption.objects.filter(need=need, member=member).first()
    before = {"member": member.pk, "quantities": row.quantities} if row else None
    if row is None:
        row = MemberConsumption(need=need, member=member)
    row.quantities, row.updated_by, row.updated_at = list(quantities), by, timezone.now()
    row.save()
    totals = [0] * (file.duration_months or 0)
    for other in need.members.all():
        totals = [a + b for a, b in zip(totals, other.quantities, strict=True)]
    need.quantities = totals
    need.save(update_fields=["quantities"])
    _record(
        by,
        "acquisition.member_consumption_saved",
        need,  # the line whose total it changes; the member is named in before/after
        file,
        before,
        {"member": member.pk, "quantities": row.quantities},
    )
    _touch(file)
    return row
