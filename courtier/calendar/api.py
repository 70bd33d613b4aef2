"""API: business days, fiscal years and the broker's closure days (DOMAIN §8)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from courtier.accounts import permissions
from courtier.calendar import rules, selectors, services
from courtier.calendar.models import ClosureDay
from courtier.core.apierrors import ERRORS
from courtier.core.apifields import NulFree

router = Router(tags=["calendar"])

FISCAL_YEAR_LABEL = _("Écrivez l'année financière ainsi : 2026-2027.")


class BusinessDayOut(Schema):
    date: date
    is_business_day: bool
    business_days_later: date = Field(description="Le n-ième jour ouvrable après la date")
    n: int
    fiscal_year: str
    fiscal_quarter: str


class NonBusinessDayOut(Schema):
    date: date
    label: str
    closure_id: int | None


class ClosureIn(NulFree):
    day: date
    label: str = Field(min_length=1, max_length=120)


class ClosureOut(Schema):
    id: int
    day: date
    label: str


@router.get("/days/{day}", response={200: BusinessDayOut, **ERRORS}, summary="Jour ouvrable ?")
def business_day(request: HttpRequest, day: date, n: int = Query(1, ge=0, le=3660)):
    try:
        return BusinessDayOut(
            date=day,
            is_business_day=selectors.is_business_day(day),
            business_days_later=selectors.business_days_after(day, n),
            n=n,
            fiscal_year=rules.fiscal_year(day).label,
            fiscal_quarter=rules.fiscal_quarter(day).label,
        )
    except ValueError:  # before 1867 or after 2100, or n business days later is
        raise services.out_of_calendar_error("day") from None


@router.get(
    "/fiscal-years/{label}/non-business-days",
    response={200: list[NonBusinessDayOut], **ERRORS},
    summary="Jours fériés et jours de fermeture d'une année financière",
)
def non_business_days(request: HttpRequest, label: str):
    try:
        fiscal_year = rules.FiscalYear.from_label(label)
    except ValueError:
        raise ValidationError({"label": FISCAL_YEAR_LABEL}) from None
    if fiscal_year.start_year not in rules.SUPPORTED_YEARS:
        raise services.out_of_calendar_error("label")
    return [
        NonBusinessDayOut(date=d.day, label=d.label, closure_id=d.closure.pk if d.closure else None)
        for d in selectors.non_business_weekdays(fiscal_year)
    ]


@router.post("/closure-days", response={201: ClosureOut, **ERRORS}, summary="Ajouter une fermeture")
def closure_add(request: HttpRequest, payload: ClosureIn):
    return Status(
        201, services.closure_day_add(by=request.user, day=payload.day, label=payload.label)
    )


@router.delete(
    "/closure-days/{closure_id}",
    response={204: None, **ERRORS},
    summary="Retirer un jour de fermeture",
)
def closure_remove(request: HttpRequest, closure_id: int):
    closure = permissions.get_visible_or_404(request.user, ClosureDay.objects.all(), pk=closure_id)
    services.closure_day_remove(by=request.user, closure=closure)
    return Status(204, None)
