"""The trail's pages: the filtered list (filters in the URL) and one event with its changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit import changes, selectors, verification
from courtier.audit.forms import EventFilterForm
from courtier.audit.models import AuditEvent


def event_list(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.VIEW_AUDIT)
    form = EventFilterForm(request.GET or None, user=request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422  # a filter no list offers (an edited URL): say so, show nothing
        page = {"events": [], "number": 1, "has_previous": False, "has_next": False}
    else:
        filters = form.filters() if form.is_bound else selectors.EventFilters()
        page = selectors.page_of(
            selectors.events_filtered(request.user, filters), _page_number(request)
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_verify": verification.may_verify(request.user),
            "last_verified_on": verification.last_verified_on(),
        },
        status=status,
    )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 8 else 1


def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    permissions.require_perm(request.user, Perm.VIEW_AUDIT)
    event = permissions.get_visible_or_404(request.user, AuditEvent.objects.all(), seq=seq)
    return render(
        request,
        "audit/event_detail.html",
        {"event": event, "changes": changes.changes(event.object_type, event.before, event.after)},
    )


@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    if not verification.may_verify(request.user):
        raise PermissionDenied
    result = verification.audit_chain_verify(by=request.user)
    if result.broken is None:
        messages.success(
            request,
            _("Journal d'audit intègre : %(n)s événements vérifiés.") % {"n": result.checked},
        )
    else:
        messages.error(
            request,
            _("Journal d'audit altéré : événement n° %(seq)s : %(reason)s.")
            % {"seq": result.broken.seq, "reason": result.broken.reason},
        )
    return redirect("audit:event_list")
