from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.i18n import set_language as django_set_language

from courtier.core.dashboard import board_for
from courtier.core.workitems import items_for


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The login page for anonymous people, the dashboard of one's roles for the others."""
    if not request.user.is_authenticated:
        return auth_views.LoginView.as_view(redirect_authenticated_user=True)(request)
    today = timezone.localdate()
    work = [
        {"is_overdue": item.overdue(today), **vars(item)}
        for item in items_for(request.user, today=today)
    ]
    context = {"board": board_for(request.user), "work_items": work}
    return render(request, "core/dashboard.html", context)


# The language switch must work on the login page too.
set_language = login_not_required(django_set_language)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
