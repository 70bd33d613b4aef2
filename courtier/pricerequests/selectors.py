"""Reads of service acquisitions, always through ``permissions.scope`` (404 when the person may
not see the object). Responses are sealed here as in the policies: before the responses are
opened, after the deadline, no one on the client side (nor the broker) reads one (002 §3.3.3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.calendar import rules as calendar_rules
from courtier.calendar import selectors as calendar
from courtier.catalogue.models import ProviderQualification
from courtier.pricerequests import rules
from courtier.pricerequests.models import (
    NonParticipation,
    PriceRequest,
    ProviderQuestion,
    RequestState,
    RequestTemplate,
    ServiceFile,
    ServiceResponse,
    Solicitation,
)


def _one(user: Any, queryset: QuerySet[Any], pk: int) -> Any:
    found = permissions.scope(user, queryset).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def files_for(user: Any, *, state: str | None = None) -> QuerySet[ServiceFile]:
    files = ServiceFile.objects.select_related("client").order_by("-updated_at", "-pk")
    if state:
        files = files.filter(state=state)
    return permissions.scope(user, files)


def file_for(user: Any, pk: int) -> ServiceFile:
    return _one(user, ServiceFile.objects.select_related("client"), pk)


def request_for(user: Any, pk: int) -> PriceRequest:
    return _one(user, PriceRequest.objects.select_related("file__client", "template"), pk)


def latest_template() -> RequestTemplate | None:
    return RequestTemplate.objects.order_by("-version").first()


def qualified_providers(file: ServiceFile) -> list[tuple[Organisation, list[dict[str, str]]]]:
    """002 §3.3.1: the providers qualified (actively) in every qualification of the file, with
    their contacts from the Catalogue, by name."""
    wanted = list(file.qualifications.values_list("pk", flat=True))
    if not wanted:
        return []
    rows = ProviderQualification.objects.filter(
        qualification_id__in=wanted, is_active=True, provider__is_active=True
    ).select_related("provider")
    by_provider: dict[int, list[ProviderQualification]] = {}
    for row in rows:
        by_provider.setdefault(row.provider_id, []).append(row)
    found = []
    for rows_of in by_provider.values():
        if {r.qualification_id for r in rows_of} != set(wanted):
            continue
        contacts: dict[str, dict[str, str]] = {}
        for r in rows_of:
            contacts.setdefault(
                r.contact_email.lower(), {"name": r.contact_name, "email": r.contact_email}
            )
        found.append((rows_of[0].provider, sorted(contacts.values(), key=lambda c: c["email"])))
    return sorted(found, key=lambda pair: pair[0].name)


# --- deadlines --------------------------------------------------------------------------------


def business_days_left(deadline: datetime | None) -> int | None:
    """Business days from today to the deadline's day (0 on the day itself; negative once
    past), Quebec holidays and the broker's closure days counted (DOMAIN §8)."""
    if deadline is None:
        return None
    day = timezone.localtime(deadline).date()
    return calendar_rules.business_days_between(
        timezone.localdate(), day, closures=calendar.closure_days()
    )


def deadline_passed(request: PriceRequest, now: datetime | None = None) -> bool:
    return request.deadline_at is not None and (now or timezone.now()) > request.deadline_at


def questions_open(request: PriceRequest, now: datetime | None = None) -> bool:
    return (
        request.state in rules.SENT_STATES
        and request.question_cutoff_at is not None
        and (now or timezone.now()) <= request.question_cutoff_at
    )


# --- providers' side -----------------------------------------------------------------------


def _solicitations() -> QuerySet[Solicitation]:
    """Solicitations with their request and file, and ``responded``: whether the provider's
    response is in (a fact the inbox shows, never what it holds)."""
    submitted = ServiceResponse.objects.filter(solicitation=OuterRef("pk"), state="submitted")
    return Solicitation.objects.select_related(
        "provider", "request__file__client", "request__template"
    ).annotate(responded=Exists(submitted))


def solicitations_for(user: Any) -> QuerySet[Solicitation]:
    """A provider's inbox (the broker and the client see their files' solicitations too): the
    requests sent to it, newest first. Cancelled requests stay listed as cancelled."""
    return permissions.scope(user, _solicitations().order_by("-request__sent_at", "-pk"))


def solicitation_for(user: Any, pk: int) -> Solicitation:
    return _one(user, _solicitations(), pk)


def questions_for(user: Any, request: PriceRequest) -> QuerySet[ProviderQuestion]:
    """The questions of a request the person may read: all for the client and the broker; for
    a provider, its own and those whose answers are published."""
    rows = ProviderQuestion.objects.filter(solicitation__request=request).select_related(
        "solicitation"
    )
    return permissions.scope(user, rows).distinct().order_by("asked_at", "pk")


def question_for(user: Any, pk: int) -> ProviderQuestion:
    return _one(
        user,
        ProviderQuestion.objects.select_related("solicitation__request__file").distinct(),
        pk,
    )


# --- responses (sealed) ---------------------------------------------------------------------


def responses_for(user: Any, request: PriceRequest) -> QuerySet[ServiceResponse]:
    """The responses of a request the person may open: a provider its own; the client's side
    only once the responses are opened after the deadline (the policy's scope seals them). The
    lowest total first."""
    rows = ServiceResponse.objects.filter(solicitation__request=request).select_related(
        "solicitation__provider"
    )
    return permissions.scope(user, rows).order_by("total_cents", "solicitation__pseudonym")


def response_for(user: Any, pk: int) -> ServiceResponse:
    return _one(
        user,
        ServiceResponse.objects.select_related(
            "solicitation__provider", "solicitation__request__file__client"
        ),
        pk,
    )


def submitted_count(request: PriceRequest) -> int:
    """How many responses are in: a number the client may know before the opening, never what
    they hold nor who sent them."""
    return ServiceResponse.objects.filter(solicitation__request=request, state="submitted").count()


def lowest_complete_total(request: PriceRequest) -> int | None:
    totals = ServiceResponse.objects.filter(
        solicitation__request=request, state="submitted", complete=True
    ).values_list("total_cents", flat=True)
    return rules.lowest_total(list(totals))


def non_participations_for(user: Any, request: PriceRequest) -> QuerySet[NonParticipation]:
    rows = NonParticipation.objects.filter(solicitation__request=request).select_related(
        "solicitation__provider"
    )
    return permissions.scope(user, rows).order_by("solicitation__pseudonym")


def validation_queue(user: Any) -> QuerySet[PriceRequest]:
    """The broker's queue: the requests and changes awaiting its validation, oldest first."""
    rows = PriceRequest.objects.filter(
        state__in=[RequestState.SUBMITTED, RequestState.CHANGE_SUBMITTED]
    ).select_related("file__client")
    return permissions.scope(user, rows).order_by("updated_at", "pk")
