"""Pages: access requests and their approval queue, organisations, my account and tokens."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions, selectors, services
from courtier.accounts.forms import (
    AccessRequestForm,
    DigestForm,
    GrantRoleForm,
    MemberBodyForm,
    OrganisationEditForm,
    OrganisationForm,
    RefusalForm,
    TokenForm,
)
from courtier.accounts.models import (
    AccessRequest,
    AccessRequestStatus,
    ApiToken,
    Membership,
    Organisation,
    OrganisationKind,
)
from courtier.accounts.rules import Perm
from courtier.core.forms import submit
from courtier.core.ics import work_items_calendar
from courtier.core.throttle import throttled
from courtier.core.workitems import items_for

PAGE_SIZE = 25
NEW_FEED_SESSION_KEY = "courtier_new_feed_url"
NEW_TOKEN_SESSION_KEY = "courtier_new_api_token"  # until the redirected page shows it
QUEUE_TABS = [
    (AccessRequestStatus.PENDING, gettext_lazy("En attente")),
    (AccessRequestStatus.APPROVED, gettext_lazy("Approuvées")),
    (AccessRequestStatus.REFUSED, gettext_lazy("Refusées")),
]


@login_not_required
@require_http_methods(["GET", "POST"])
@throttled("access_request")
def access_request_form(request: HttpRequest) -> HttpResponse:
    form = AccessRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and submit(
            form,
            lambda data: services.access_request_create(
                **{k: v for k, v in data.items() if k != "organisation"},
                organisation_id=data["organisation"].pk,
            ),
        ).ok
    ):
        return redirect("accounts:access_request_sent")
    return render(
        request,
        "accounts/access_request_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_not_required
def access_request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/access_request_sent.html")


def access_request_queue(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.DECIDE_ACCESS_REQUESTS)
    status = request.GET.get("etat", AccessRequestStatus.PENDING)
    if status not in AccessRequestStatus.values:
        status = AccessRequestStatus.PENDING
    page = Paginator(selectors.access_requests(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/access_request_queue.html",
        {"page": page, "status": status, "statuses": QUEUE_TABS},
    )


def _visible_request(request: HttpRequest, pk: int) -> AccessRequest:
    return permissions.get_visible_or_404(
        request.user, AccessRequest.objects.select_related("organisation", "decided_by"), pk=pk
    )


def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _visible_request(request, pk)
    return render(
        request,
        "accounts/access_request_detail.html",
        {
            "access_request": access_request,
            "refusal_form": RefusalForm(),
            "can_decide": permissions.can_change(request.user, access_request),
        },
    )


@require_POST
def access_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _visible_request(request, pk)
    try:
        services.access_request_approve(by=request.user, access_request=access_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:access_request_detail", pk=pk)
    except PermissionDenied as exc:
        if not str(exc):
            raise
        messages.error(request, str(exc))
        return render(
            request,
            "accounts/access_request_detail.html",
            {"access_request": access_request, "refusal_form": RefusalForm(), "can_decide": True},
            status=403,
        )
    messages.success(
        request,
        _("Demande approuvée : %(name)s a reçu un courriel pour activer son compte.")
        % {"name": access_request.full_name},
    )
    return redirect("accounts:access_request_queue")


@require_POST
def access_request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = _visible_request(request, pk)
    permissions.require_change(request.user, access_request)
    form = RefusalForm(request.POST)
    refuse = partial(services.access_request_refuse, by=request.user, access_request=access_request)
    if submit(form, lambda data: refuse(**data)).ok:
        messages.success(
            request,
            _("Demande refusée : %(name)s en a été informée par courriel.")
            % {"name": access_request.full_name},
        )
        return redirect("accounts:access_request_queue")
    return render(
        request,
        "accounts/access_request_detail.html",
        {"access_request": access_request, "refusal_form": form, "can_decide": True},
        status=422,
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    qs = selectors.organisations(
        request.user, kind=kind if kind in OrganisationKind.values else None
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": OrganisationKind.choices,
            "can_create": permissions.has_perm(request.user, Perm.MANAGE_ORGANISATIONS),
        },
    )


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    return permissions.get_visible_or_404(
        request.user, Organisation.objects.prefetch_related("members", "group_purchasers"), pk=pk
    )


def _organisation_to_change(request: HttpRequest, pk: int) -> Organisation:
    """404 if the person cannot see it, 403 if they see it but may not change it."""
    organisation = _visible_organisation(request, pk)
    permissions.require_change(request.user, organisation)
    return organisation


def _organisation_page(
    request: HttpRequest, organisation: Organisation, *, status: int = 200, **forms: object
) -> HttpResponse:
    can_manage = permissions.can_change(request.user, organisation)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(request.user, organisation),
        "member_bodies": permissions.scope(request.user, organisation.members.all()),
        "groups": permissions.scope(request.user, organisation.group_purchasers.all()),
        "can_manage": can_manage,
    }
    if can_manage:
        context["member_form"] = forms.get("member_form") or MemberBodyForm()
        context["grant_form"] = forms.get("grant_form") or GrantRoleForm(organisation=organisation)
    return render(request, "accounts/organisation_detail.html", context, status=status)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_page(request, _visible_organisation(request, pk))


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.MANAGE_ORGANISATIONS)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, lambda data: services.organisation_create(by=request.user, **data))
        if done.ok:
            messages.success(request, _("Organisation créée : %(name)s.") % {"name": done.result})
            return redirect("accounts:organisation_detail", pk=done.result.pk)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": None},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_to_change(request, pk)
    initial = organisation.audit_snapshot()
    form = OrganisationEditForm(request.POST or None, initial=initial)
    update = partial(services.organisation_update, by=request.user, organisation=organisation)
    if request.method == "POST" and submit(form, lambda data: update(**data)).ok:
        messages.success(request, _("Organisation modifiée."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=422 if form.errors else 200,
    )


@require_POST
def organisation_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = _organisation_to_change(request, pk)
    form = MemberBodyForm(request.POST)
    add = partial(services.organisation_add_member, by=request.user, group=group)
    if submit(form, lambda data: add(**data)).ok:
        messages.success(request, _("Organisme membre ajouté."))
        return redirect("accounts:organisation_detail", pk=group.pk)
    return _organisation_page(request, group, status=422, member_form=form)


@require_POST
def organisation_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = _organisation_to_change(request, pk)
    member = permissions.get_visible_or_404(request.user, group.members.all(), pk=member_pk)
    services.organisation_remove_member(by=request.user, group=group, member=member)
    messages.success(request, _("Organisme membre retiré : %(name)s.") % {"name": member})
    return redirect("accounts:organisation_detail", pk=group.pk)


@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_to_change(request, pk)
    form = GrantRoleForm(request.POST, organisation=organisation)
    grant = partial(services.membership_grant_by_email, by=request.user, organisation=organisation)
    if submit(form, lambda data: grant(**data)).ok:
        messages.success(request, _("Rôle attribué."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return _organisation_page(request, organisation, status=422, grant_form=form)


@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = permissions.get_visible_or_404(
        request.user, Membership.objects.select_related("user", "organisation"), pk=pk
    )
    try:
        services.membership_revoke(by=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Rôle « %(role)s » retiré à %(name)s.")
            % {"role": membership.get_role_display(), "name": membership.user},
        )
    return redirect("accounts:organisation_detail", pk=membership.organisation_id)


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """My account: my roles and my personal API tokens (created here, shown once)."""
    form = TokenForm(request.POST or None)
    # Shown once, on the page the redirect leads to (PRG: Back then submit makes no second one).
    new_secret = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    status = 200
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.USE_API)
        done = submit(form, lambda data: services.api_token_create(user=request.user, **data))
        if done.ok:
            request.session[NEW_TOKEN_SESSION_KEY] = done.result[1]
            return redirect("accounts:account")
        status = 422
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "tokens": selectors.tokens_of(request.user),
            "token_form": form,
            "new_secret": new_secret,
            "can_use_api": permissions.has_perm(request.user, Perm.USE_API),
            "digest_form": DigestForm(initial={"receive": not request.user.digest_opt_out}),
            "calendar_feed": selectors.active_calendar_feed(request.user),
            # Shown once, right after it was made (kept in the session across the redirect).
            "new_feed_url": request.session.pop(NEW_FEED_SESSION_KEY, None),
        },
        status=status,
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_visible_or_404(request.user, ApiToken.objects.all(), pk=pk)
    try:
        services.api_token_revoke(by=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("accounts:account")


@require_POST
def digest_setting(request: HttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    form.is_valid()  # a single optional box: always valid
    receive = bool(form.cleaned_data.get("receive"))
    services.digest_setting_update(user=request.user, opt_out=not receive)
    if receive:
        messages.success(request, _("Vous recevrez chaque jour le courriel de ce qui vous attend."))
    else:
        messages.success(request, _("Vous ne recevrez plus le courriel quotidien."))
    return redirect("accounts:account")


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """A new private calendar URL (the one before it stops working), shown once."""
    _feed, secret = services.calendar_feed_create(user=request.user)
    url = request.build_absolute_uri(reverse("accounts:calendar_feed", args=[secret]))
    request.session[NEW_FEED_SESSION_KEY] = url
    messages.success(request, _("Votre agenda personnel est prêt."))
    return redirect(reverse("accounts:account") + "#agenda")


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    try:
        services.calendar_feed_revoke(by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Votre agenda personnel est révoqué : son adresse ne répond plus.")
        )
    return redirect(reverse("accounts:account") + "#agenda")


@login_not_required
@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The person's dated work items as iCalendar; 404 for an unknown or revoked secret."""
    user = services.calendar_feed_user(secret)
    if user is None:
        raise Http404
    with translation.override("fr-ca"):
        body = work_items_calendar(
            items_for(user), name=_("Courtier — échéances de %(name)s") % {"name": user}
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="courtier.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
