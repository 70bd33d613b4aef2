"""API: the signed-in person, access requests, organisations, personal tokens."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator

from courtier.accounts import permissions, selectors, services
from courtier.accounts.models import (
    AccessRequest,
    AccessRequestStatus,
    ApiToken,
    EligibilityCategory,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from courtier.core import throttle
from courtier.core.apierrors import ERRORS
from courtier.core.apifields import NulFree
from courtier.core.pagination import Pagination

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    organisation_id: int
    organisation: str
    role: Role


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    memberships: list[MembershipOut]


class AccessRequestIn(NulFree):
    first_name: str = Field(min_length=1, max_length=150)
    last_name: str = Field(min_length=1, max_length=150)
    email: str = Field(max_length=254)
    organisation: int
    role: Role
    reason: str = Field(min_length=1, max_length=2000)

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(_("Saisissez une adresse courriel valide.")) from None
        return value

    @field_validator("first_name", "last_name", "reason")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Ce champ est obligatoire."))
        return value


class AccessRequestReceipt(Schema):
    id: int
    status: AccessRequestStatus
    created_at: datetime


class AccessRequestOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    organisation_id: int
    role: Role
    reason: str
    status: AccessRequestStatus
    created_at: datetime
    decided_at: datetime | None
    refusal_reason: str


class RefusalIn(NulFree):
    reason: str = Field(min_length=1, max_length=2000)


class OrganisationOut(Schema):
    id: int
    kind: OrganisationKind
    name: str
    short_name: str
    eligibility_category: EligibilityCategory | None = None
    subject_to_rcti: bool
    is_active: bool

    @staticmethod
    def resolve_eligibility_category(obj: Organisation) -> str | None:
        return obj.eligibility_category or None


class OrganisationIn(NulFree):
    kind: OrganisationKind
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field("", max_length=40)
    eligibility_category: EligibilityCategory | None = None
    subject_to_rcti: bool = False


class OrganisationPatch(NulFree):
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, max_length=40)
    eligibility_category: EligibilityCategory | None = None
    subject_to_rcti: bool | None = None
    is_active: bool | None = None


class MemberBodyIn(NulFree):
    member: int


class MembershipIn(NulFree):
    email: str = Field(min_length=3, max_length=254)
    role: Role


class MembershipDetail(Schema):
    id: int
    user_email: str
    organisation_id: int
    role: Role

    @staticmethod
    def resolve_user_email(obj: Membership) -> str:
        return obj.user.email


class TokenIn(NulFree):
    name: str = Field(min_length=1, max_length=100)
    days: int = Field(default=90, ge=1, le=365)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    secret: str = Field(description="Affiché une seule fois : conservez-le.")


@router.get("/me", response={200: MeOut, **ERRORS}, summary="La personne connectée")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    memberships = [
        MembershipOut(
            organisation_id=m.organisation_id, organisation=m.organisation.name, role=m.role
        )
        for m in selectors.memberships_of(user)
    ]
    return MeOut(
        id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        memberships=memberships,
    )


@router.post(
    "/access-requests",
    auth=None,
    response={201: AccessRequestReceipt, **ERRORS},
    summary="Demander un accès (sans être connecté)",
)
def access_request_submit(request: HttpRequest, payload: AccessRequestIn):
    if not throttle.allow("access_request", throttle.client_address(request)):
        raise HttpError(429, str(throttle.TOO_MANY))
    created = services.access_request_create(
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        organisation_id=payload.organisation,
        role=payload.role,
        reason=payload.reason,
    )
    return Status(201, created)


@router.get(
    "/access-requests", response={200: list[AccessRequestOut], **ERRORS}, summary="Demandes d'accès"
)
@paginate(Pagination)
def access_request_list(request: HttpRequest, status: AccessRequestStatus | None = None):
    permissions.require_perm(request.user, permissions.Perm.DECIDE_ACCESS_REQUESTS)
    return selectors.access_requests(request.user, status=status)


def _visible_request(request: HttpRequest, request_id: int) -> AccessRequest:
    return permissions.get_visible_or_404(request.user, AccessRequest.objects.all(), pk=request_id)


@router.get(
    "/access-requests/{request_id}",
    response={200: AccessRequestOut, **ERRORS},
    summary="Une demande d'accès",
)
def access_request_detail(request: HttpRequest, request_id: int):
    return _visible_request(request, request_id)


@router.post(
    "/access-requests/{request_id}/approve",
    response={200: AccessRequestOut, **ERRORS},
    summary="Approuver une demande d'accès",
)
def access_request_approve(request: HttpRequest, request_id: int):
    return services.access_request_approve(
        by=request.user, access_request=_visible_request(request, request_id)
    )


@router.post(
    "/access-requests/{request_id}/refuse",
    response={200: AccessRequestOut, **ERRORS},
    summary="Refuser une demande d'accès",
)
def access_request_refuse(request: HttpRequest, request_id: int, payload: RefusalIn):
    return services.access_request_refuse(
        by=request.user,
        access_request=_visible_request(request, request_id),
        reason=payload.reason,
    )


@router.get(
    "/organisations", response={200: list[OrganisationOut], **ERRORS}, summary="Organisations"
)
@paginate(Pagination)
def organisation_list(request: HttpRequest, kind: OrganisationKind | None = None):
    return selectors.organisations(request.user, kind=kind)


def _visible_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return permissions.get_visible_or_404(
        request.user, Organisation.objects.all(), pk=organisation_id
    )


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **ERRORS},
    summary="Une organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: int):
    return _visible_organisation(request, organisation_id)


@router.post(
    "/organisations",
    response={201: OrganisationOut, **ERRORS},
    summary="Créer une organisation (Courtier)",
)
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    data = payload.dict()
    data["eligibility_category"] = data["eligibility_category"] or ""
    return Status(201, services.organisation_create(by=request.user, **data))


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **ERRORS},
    summary="Modifier une organisation",
)
def organisation_update(request: HttpRequest, organisation_id: int, payload: OrganisationPatch):
    changes = payload.dict(exclude_unset=True)
    if "eligibility_category" in changes:
        changes["eligibility_category"] = changes["eligibility_category"] or ""
    return services.organisation_update(
        by=request.user, organisation=_visible_organisation(request, organisation_id), **changes
    )


@router.get(
    "/organisations/{organisation_id}/members",
    response={200: list[OrganisationOut], **ERRORS},
    summary="Organismes membres d'un regroupement d'achats",
)
def organisation_member_list(request: HttpRequest, organisation_id: int):
    group = _visible_organisation(request, organisation_id)
    return list(permissions.scope(request.user, group.members.all()))


@router.post(
    "/organisations/{organisation_id}/members",
    response={204: None, **ERRORS},
    summary="Ajouter un organisme membre à un regroupement d'achats",
)
def organisation_member_add(request: HttpRequest, organisation_id: int, payload: MemberBodyIn):
    group = _visible_organisation(request, organisation_id)
    member = Organisation.objects.filter(pk=payload.member).first()
    if member is None:
        raise DjangoValidationError({"member": services.ORGANISATION_UNKNOWN})
    services.organisation_add_member(by=request.user, group=group, member=member)
    return Status(204, None)


@router.delete(
    "/organisations/{organisation_id}/members/{member_id}",
    response={204: None, **ERRORS},
    summary="Retirer un organisme membre d'un regroupement d'achats",
)
def organisation_member_remove(request: HttpRequest, organisation_id: int, member_id: int):
    group = _visible_organisation(request, organisation_id)
    member = permissions.get_visible_or_404(request.user, group.members.all(), pk=member_id)
    services.organisation_remove_member(by=request.user, group=group, member=member)
    return Status(204, None)


@router.get(
    "/organisations/{organisation_id}/memberships",
    response={200: list[MembershipDetail], **ERRORS},
    summary="Personnes et rôles d'une organisation",
)
def membership_list(request: HttpRequest, organisation_id: int):
    organisation = _visible_organisation(request, organisation_id)
    return list(selectors.organisation_members(request.user, organisation))


@router.post(
    "/organisations/{organisation_id}/memberships",
    response={201: MembershipDetail, **ERRORS},
    summary="Attribuer un rôle dans une organisation",
)
def membership_add(request: HttpRequest, organisation_id: int, payload: MembershipIn):
    organisation = _visible_organisation(request, organisation_id)
    permissions.require_change(request.user, organisation)
    return Status(
        201,
        services.membership_grant_by_email(
            by=request.user, email=payload.email, organisation=organisation, role=payload.role
        ),
    )


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **ERRORS},
    summary="Retirer un rôle",
)
def membership_remove(request: HttpRequest, membership_id: int):
    membership = permissions.get_visible_or_404(
        request.user, Membership.objects.select_related("user"), pk=membership_id
    )
    services.membership_revoke(by=request.user, membership=membership)
    return Status(204, None)


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Mes jetons d'API")
def token_list(request: HttpRequest):
    return list(permissions.scope(request.user, ApiToken.objects.all()))


@router.post("/tokens", response={201: TokenCreated, **ERRORS}, summary="Créer un jeton d'API")
def token_create(request: HttpRequest, payload: TokenIn):
    token, secret = services.api_token_create(
        user=request.user, name=payload.name, days=payload.days
    )
    return Status(201, TokenCreated(**TokenOut.from_orm(token).dict(), secret=secret))


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="Révoquer un jeton d'API"
)
def token_revoke(request: HttpRequest, token_id: int):
    token = permissions.get_visible_or_404(request.user, ApiToken.objects.all(), pk=token_id)
    return services.api_token_revoke(by=request.user, token=token)
