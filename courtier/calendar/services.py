"""Writes for the broker's closure days."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.calendar import rules
from courtier.calendar.models import ClosureDay

CLOSURE_ALREADY_EXISTS = _("Ce jour est déjà un jour de fermeture.")
CLOSURE_NOT_A_BUSINESS_DAY = _(
    "Ce jour n'est pas un jour ouvrable (fin de semaine ou jour férié) : inutile de le fermer."
)
CLOSURE_LABEL_REQUIRED = _("Indiquez le motif de la fermeture.")
OUT_OF_CALENDAR = _("Le calendrier des jours fériés couvre les années %(first)s à %(last)s.")


def out_of_calendar_error(field: str) -> ValidationError:
    years = rules.SUPPORTED_YEARS
    return ValidationError({field: OUT_OF_CALENDAR % {"first": years[0], "last": years[-1]}})


@transaction.atomic
def closure_day_add(*, by: User | None, day: date, label: str) -> ClosureDay:
    """DOMAIN §8: the broker adds extra closure days (e.g. December 26, January 2)."""
    if by is not None:
        permissions.require_perm(by, Perm.MANAGE_CALENDAR)
    if not label.strip():
        raise ValidationError({"label": CLOSURE_LABEL_REQUIRED})
    if day.year not in rules.SUPPORTED_YEARS:
        raise out_of_calendar_error("day")
    if ClosureDay.objects.select_for_update().filter(day=day).exists():
        raise ValidationError({"day": CLOSURE_ALREADY_EXISTS})
    if not rules.is_business_day(day):
        raise ValidationError({"day": CLOSURE_NOT_A_BUSINESS_DAY})
    closure = ClosureDay.objects.create(day=day, label=label.strip())
    audit_event_record(
        actor=by, action="closure_day.added", obj=closure, after=closure.audit_snapshot()
    )
    return closure


@transaction.atomic
def closure_day_remove(*, by: User, closure: ClosureDay) -> None:
    permissions.require_change(by, closure)
    closure = ClosureDay.objects.select_for_update().get(pk=closure.pk)
    audit_event_record(
        actor=by, action="closure_day.removed", obj=closure, before=closure.audit_snapshot()
    )
    closure.delete()
