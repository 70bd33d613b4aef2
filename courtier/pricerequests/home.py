"""What service acquisitions add to the menu, and what they await from whom (``core.workitems``):
computed from each open file's and request's state, never stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.core import navigation, workitems
from courtier.core.workitems import WorkItem
from courtier.pricerequests import checks, rules
from courtier.pricerequests.models import (
    NonParticipation,
    NonParticipationState,
    PriceRequest,
    ProviderQuestion,
    ResponseState,
    ServiceFile,
    ServiceFinancialAuthorisation,
    Solicitation,
)
from courtier.pricerequests.policies import may_validate
from courtier.pricerequests.workflow import FILE_WORKFLOW, REQUEST_WORKFLOW

# Service acquisition files: the broker's staff and the client bodies' people (DOMAIN §4).
navigation.entry("service_files", lambda user: permissions.has_perm(user, Perm.BROWSE_CATALOGUE))
# A provider's inbox of the price requests sent to it.
navigation.entry(
    "price_requests_inbox",
    lambda user: permissions.has_perm(user, Perm.RESPOND_PRICE_REQUESTS),
)

KIND_FILE = gettext_lazy("Acquisition de services")
KIND_REQUEST = gettext_lazy("Demande de prix")


def _file_url(file: ServiceFile) -> str:
    return reverse("pricerequests:file_detail", args=[file.pk])


def _item(file: ServiceFile, what: str, label: str, organisation: str, **extra: Any) -> WorkItem:
    return WorkItem(
        key=f"pricerequests.{what}:{file.pk}",
        title=f"{label} — {file.reference}",
        url=_file_url(file),
        kind=str(KIND_FILE),
        detail=extra.pop("detail", file.title),
        organisation=organisation,
        **extra,
    )


def _deadline_day(request: PriceRequest) -> Any:
    return timezone.localtime(request.deadline_at).date() if request.deadline_at else None


def _client_items(file: ServiceFile, organisation: str) -> Iterator[WorkItem]:
    """The client's procurement people: the step's next move, the request's, the questions to
    answer, the responses to open once the deadline is past."""
    request = getattr(file, "request", None)
    awaiting = None
    if file.state == rules.State.SOLICITATION and request is not None:
        awaiting = REQUEST_WORKFLOW.awaits.get(request.state)
        if request.state in rules.SENT_STATES:
            if not checks.opening_problems(file):
                yield _item(
                    file,
                    "open",
                    _("Ouvrir les réponses des prestataires"),
                    organisation,
                    due_on=_deadline_day(request),
                )
            unanswered = ProviderQuestion.objects.filter(
                solicitation__request=request, published_at__isnull=True
            ).count()
            if unanswered:
                yield _item(
                    file,
                    "questions",
                    _("Répondre aux questions des prestataires"),
                    organisation,
                    detail=_("%(n)s question(s) sans réponse") % {"n": unanswered},
                    due_on=timezone.localtime(request.question_cutoff_at).date(),
                )
            return
    else:
        awaiting = FILE_WORKFLOW.awaits.get(file.state)
    if awaiting is not None and awaiting.actor == rules.Actor.CLIENT:
        yield _item(file, f"step.{file.state}", str(awaiting.label), organisation)


def _choice_items(
    file: ServiceFile, heads: Mapping[int, str], finance: Mapping[int, str]
) -> Iterator[WorkItem]:
    """Step 4 (002 §3.4): the head's authorisation (RCTI art. 48), the financial one."""
    choice = getattr(file, "choice", None)
    if choice is None:
        return
    if file.client_id in heads and checks.head_authorisation_needed(file):
        head = getattr(file, "head_authorisation", None)
        if head is None or head.response_id != choice.response_id:
            yield _item(
                file,
                "head_authorisation",
                _("Autoriser le choix du prestataire (RCTI, art. 48)"),
                heads[file.client_id],
            )
    if file.client_id in finance:
        financial = ServiceFinancialAuthorisation.objects.filter(file=file).first()
        if financial is None or financial.amount_cents < choice.response.total_cents:
            yield _item(
                file,
                "financial_authorisation",
                _("Donner l'autorisation financière du montant total"),
                finance[file.client_id],
            )


def _validation_items(user: Any) -> Iterator[WorkItem]:
    """The broker's queue: requests and changes to validate (002 §3.3.2-3.3.3)."""
    url = reverse("pricerequests:validation_queue")
    rows = permissions.scope(
        user,
        PriceRequest.objects.filter(
            state__in=[rules.RequestState.SUBMITTED, rules.RequestState.CHANGE_SUBMITTED]
        ).select_related("file__client"),
    )
    for request in rows:
        awaiting = REQUEST_WORKFLOW.awaits[request.state]
        yield WorkItem(
            key=f"pricerequests.validate:{request.pk}:{request.state}",
            title=f"{awaiting.label} — {request.file.reference}",
            url=url,
            kind=str(KIND_REQUEST),
            detail=f"{request.file.client.name} — {request.file.title}",
            organisation=_("Courtier"),
        )


def _provider_items(user: Any, providers: Mapping[int, str]) -> Iterator[WorkItem]:
    """A solicited provider: respond by the deadline; return its questionnaire (002 §3.5)."""
    now = timezone.now()
    open_ones = (
        Solicitation.objects.filter(
            provider_id__in=list(providers),
            request__state__in=list(rules.SENT_STATES),
            request__deadline_at__gte=now,
        )
        .exclude(response__state=ResponseState.SUBMITTED)
        .select_related("request__file__client")
    )
    for s in open_ones:
        yield WorkItem(
            key=f"pricerequests.respond:{s.pk}",
            title=f"{_('Répondre à la demande de prix')} — {s.request.file.reference}",
            url=reverse("pricerequests:solicitation_detail", args=[s.pk]),
            kind=str(KIND_REQUEST),
            detail=f"{s.request.file.client.name} — {s.request.file.title}",
            organisation=providers[s.provider_id],
            due_on=_deadline_day(s.request),
        )
    owed = NonParticipation.objects.filter(
        solicitation__provider_id__in=list(providers), state=NonParticipationState.PENDING
    ).select_related("solicitation__request__file")
    for q in owed:
        yield WorkItem(
            key=f"pricerequests.non_participation:{q.pk}",
            title=f"{_('Remplir le questionnaire de non-participation')} — "
            f"{q.solicitation.request.file.reference}",
            url=reverse("pricerequests:solicitation_detail", args=[q.solicitation_id]),
            kind=str(KIND_REQUEST),
            detail=q.solicitation.request.file.title,
            organisation=providers[q.solicitation.provider_id],
        )


@workitems.provider("pricerequests")
def work_items(user: Any) -> Iterable[WorkItem]:
    g = permissions.grants(user)
    if not g.anywhere(Perm.WRITE):
        return []
    items: list[WorkItem] = []
    providers = organisations_with_role(user, [Role.PROVIDER_REP])
    if providers:
        items.extend(_provider_items(user, providers))
    if may_validate(user):
        items.extend(_validation_items(user))
    roles = organisations_with_role(user, [Role.CLIENT_PROCUREMENT])
    heads = organisations_with_role(user, [Role.CLIENT_HEAD])
    finance = organisations_with_role(user, [Role.CLIENT_FINANCE])
    if not (roles or heads or finance):
        return items
    files = permissions.scope(
        user,
        ServiceFile.objects.filter(
            state__in=list(rules.OPEN_STATES), client_id__in=[*roles, *heads, *finance]
        ),
    ).select_related("client", "request")
    for file in files:
        if file.client_id in roles:
            items.extend(_client_items(file, roles[file.client_id]))
        if file.state == rules.State.CHOICE:
            items.extend(_choice_items(file, heads, finance))
    return items
