"""My subscriptions to the Catalogue's changes (004 §3.2): to all of it, a category or a
supplier."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.accounts.rules import Perm
from courtier.catalogue.forms import SubscriptionForm
from courtier.catalogue.models import SheetVersion, Subscription

# The writes (the pages are named after what they show).
from courtier.catalogue.services import subscriptions as services
from courtier.catalogue.views.access import require_browse
from courtier.core.forms import submit


def _published_suppliers(user: Any) -> Any:
    versions = permissions.scope(user, SheetVersion.objects.all())
    return Organisation.objects.filter(pk__in=versions.values("supplier_id")).order_by("name")


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """My subscriptions to the Catalogue's changes (004 §3.2)."""
    require_browse(request)
    form = SubscriptionForm(request.POST or None, suppliers=_published_suppliers(request.user))
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.WRITE)
        done = submit(
            form,
            lambda data: services.subscription_create(by=request.user, **form.scope_arguments()),
        )
        if done.ok:
            messages.success(request, _("Abonnement enregistré."))
            return redirect("catalogue:subscriptions")
    return render(
        request,
        "catalogue/subscriptions.html",
        {
            "form": form,
            "subscriptions": permissions.scope(
                request.user, Subscription.objects.select_related("category", "supplier")
            ),
            "can_write": permissions.has_perm(request.user, Perm.WRITE),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = permissions.get_visible_or_404(request.user, Subscription.objects.all(), pk=pk)
    services.subscription_delete(by=request.user, subscription=subscription)
    messages.success(request, _("Abonnement retiré."))
    return redirect("catalogue:subscriptions")
