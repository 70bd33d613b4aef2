from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.calendar import rules, selectors, services
from courtier.calendar.forms import ClosureForm
from courtier.calendar.models import ClosureDay
from courtier.core.forms import submit


@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Holidays and closure days of a fiscal year; the broker's admins add closure days here."""
    try:
        fiscal_year = rules.FiscalYear.from_label(request.GET.get("annee", ""))
    except ValueError:
        fiscal_year = rules.fiscal_year(timezone.localdate())
    if fiscal_year.start_year + 1 not in rules.SUPPORTED_YEARS:  # no holiday calendar there
        fiscal_year = rules.fiscal_year(timezone.localdate())
    can_manage = permissions.has_perm(request.user, Perm.MANAGE_CALENDAR)
    form = ClosureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.MANAGE_CALENDAR)
        done = submit(form, lambda data: services.closure_day_add(by=request.user, **data))
        if done.ok:
            closure = done.result
            messages.success(request, _("Jour de fermeture ajouté : %(c)s.") % {"c": closure})
            return redirect(f"{request.path}?annee={rules.fiscal_year(closure.day).label}")
        status = 422
    return render(
        request,
        "calendar/calendar.html",
        {
            "fiscal_year": fiscal_year,
            "previous": rules.FiscalYear(fiscal_year.start_year - 1),
            "next": rules.FiscalYear(fiscal_year.start_year + 1),
            "days": selectors.non_business_weekdays(fiscal_year),
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


@require_POST
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    closure = permissions.get_visible_or_404(request.user, ClosureDay.objects.all(), pk=pk)
    services.closure_day_remove(by=request.user, closure=closure)
    messages.success(request, _("Jour de fermeture retiré : %(c)s.") % {"c": closure})
    return redirect(f"{reverse('calendar:calendar')}?annee={rules.fiscal_year(closure.day).label}")
