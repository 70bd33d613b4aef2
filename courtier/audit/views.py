from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtier.accounts import permissions
from courtier.accounts.rules import Perm
from courtier.audit.models import AuditEvent

PAGE_SIZE = 50


def event_list(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.VIEW_AUDIT)
    qs = permissions.scope(request.user, AuditEvent.objects.all()).order_by("-seq")
    object_type = request.GET.get("type", "").strip()
    object_id = request.GET.get("id", "").strip()
    action = request.GET.get("action", "").strip()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "object_type": object_type, "object_id": object_id, "action": action},
    )


def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    permissions.require_perm(request.user, Perm.VIEW_AUDIT)
    event = permissions.get_visible_or_404(request.user, AuditEvent.objects.all(), seq=seq)
    return render(request, "audit/event_detail.html", {"event": event})
