"""Who sees and changes service acquisition files (DOMAIN §1 and §4): the broker's staff see
every file; a client's people their body's files, and the people who run its acquisitions change
them; a provider's people see only what was sent to their provider (its solicitation, the
answers published to every solicited provider, its own response and questionnaire), never who
else was asked. Responses are sealed: the client side (and the broker) reads one only once the
responses are opened, after the deadline (002 §3.3.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, everyone, holding, never, register
from courtier.accounts.rules import Perm
from courtier.pricerequests.models import (
    HandoffPackage,
    NonParticipation,
    PriceRequest,
    ProviderQuestion,
    RequestTemplate,
    ServiceChoice,
    ServiceFile,
    ServiceFinancialAuthorisation,
    ServiceHeadAuthorisation,
    ServiceResponse,
    ShortlistEntry,
    Solicitation,
)


def _files_scope(prefix: str) -> Callable[[Any, Grants], Q]:
    """The broker's staff see every file; a client's people their body's files."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        return Q(**{f"{prefix}client_id__in": g.organisations_with(Perm.BROWSE_CATALOGUE)})

    return scope


def _providers(g: Grants) -> set[int]:
    return g.organisations_with(Perm.RESPOND_PRICE_REQUESTS)


def runs_file(file: Any, g: Grants) -> bool:
    return file.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS)


def _file_of(obj: Any, field: str) -> Any:
    for name in field.split("__"):
        obj = getattr(obj, name)
    return obj


def _file_part(field: str = "file", *, changed: bool = True) -> Policy:
    return Policy(
        scope=_files_scope(f"{field}__"),
        change=(lambda user, g, obj: runs_file(_file_of(obj, field), g)) if changed else never,
    )


def may_validate(user: Any) -> bool:
    """The broker's agents validate price requests (002 §3.3.2) and publish the template."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) and g.anywhere(Perm.WRITE)


def may_respond(user: Any) -> bool:
    g = permissions.grants(user)
    return bool(_providers(g)) and g.anywhere(Perm.WRITE)


def _sees_all(g: Grants) -> bool:
    # Checked first: an empty Q() would vanish from an OR (``Q() | q`` is ``q``).
    return g.anywhere(Perm.SEE_ALL_ORGANISATIONS)


def _solicitations_scope(user: Any, g: Grants) -> Q:
    if _sees_all(g):
        return Q()
    return _files_scope("request__file__")(user, g) | Q(provider_id__in=_providers(g))


def _questions_scope(user: Any, g: Grants) -> Q:
    """A provider sees its own questions and the answers published to every solicited
    provider of a request it was sent."""
    if _sees_all(g):
        return Q()
    providers = _providers(g)
    return (
        _files_scope("solicitation__request__file__")(user, g)
        | Q(solicitation__provider_id__in=providers)
        | Q(
            published_at__isnull=False,
            solicitation__request__solicitations__provider_id__in=providers,
        )
    )


def _opened() -> Q:
    """Sealed until the deadline (002 §3.3.3): opened, and the deadline passed, both."""
    return Q(
        solicitation__request__opened_at__isnull=False,
        solicitation__request__deadline_at__lte=timezone.now(),
    )


def _responses_scope(user: Any, g: Grants) -> Q:
    """Sealed for the broker too: ``_opened()`` holds for everyone but the provider."""
    if _sees_all(g):
        return _opened()
    return Q(solicitation__provider_id__in=_providers(g)) | (
        _opened() & _files_scope("solicitation__request__file__")(user, g)
    )


def response_is_open(response: Any) -> bool:
    request = response.solicitation.request
    return request.opened_at is not None and request.deadline_at <= timezone.now()


def _changes_response(user: Any, g: Grants, response: Any) -> bool:
    """Its provider writes it; once opened, the client decides its completeness."""
    if response.solicitation.provider_id in _providers(g):
        return True
    return response_is_open(response) and runs_file(response.solicitation.request.file, g)


register(ServiceFile, Policy(scope=_files_scope(""), change=lambda user, g, obj: runs_file(obj, g)))
register(ShortlistEntry, _file_part())
register(PriceRequest, _file_part())
register(ServiceChoice, _file_part())
register(ServiceHeadAuthorisation, _file_part(changed=False))
register(ServiceFinancialAuthorisation, _file_part(changed=False))
register(HandoffPackage, _file_part(changed=False))
register(RequestTemplate, Policy(scope=everyone, change=holding(Perm.MANAGE_ACQUISITIONS)))
register(
    Solicitation,
    Policy(
        scope=_solicitations_scope,
        change=lambda user, g, obj: obj.provider_id in _providers(g),
    ),
)
register(
    ProviderQuestion,
    Policy(
        scope=_questions_scope,
        # The client answers (and publishes) the questions of its file's request.
        change=lambda user, g, obj: runs_file(obj.solicitation.request.file, g),
        joins_many=True,
    ),
)
register(ServiceResponse, Policy(scope=_responses_scope, change=_changes_response))
register(
    NonParticipation,
    Policy(
        scope=lambda user, g: (
            Q()
            if _sees_all(g)
            else _files_scope("solicitation__request__file__")(user, g)
            | Q(solicitation__provider_id__in=_providers(g))
        ),
        change=lambda user, g, obj: obj.solicitation.provider_id in _providers(g),
    ),
)
