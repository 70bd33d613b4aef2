"""Writes for organisations, people, access requests and API tokens.

Each function is atomic, locks what it changes, writes one audit event per change and
queues its emails for after the commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions, rules, selectors
from courtier.accounts.models import (
    AccessRequest,
    AccessRequestStatus,
    ApiToken,
    CalendarFeed,
    DigestSent,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from courtier.audit.services import audit_event_record
from courtier.core.mail import notify
from courtier.core.workitems import items_for

# Error messages, shared by the code and the tests.
ROLE_NOT_FOR_KIND = _("Ce rôle n'existe pas pour ce type d'organisation.")
ORGANISATION_INACTIVE = _("Cette organisation n'est pas active.")
ORGANISATION_UNKNOWN = _("Cette organisation n'existe pas.")
REQUEST_ALREADY_PENDING = _(
    "Une demande pour ce courriel, cette organisation et ce rôle est déjà en attente."
)
ALREADY_MEMBER = _("Cette personne a déjà ce rôle dans cette organisation.")
REQUEST_ALREADY_DECIDED = _("Cette demande a déjà été traitée.")
BROKER_ROLE_NEEDS_ADMIN = _(
    "Seul un administrateur du Courtier peut accorder un rôle au sein du Courtier."
)
REFUSAL_REASON_REQUIRED = _("Indiquez le motif du refus.")
TOKEN_NAME_REQUIRED = _("Donnez un nom au jeton.")
TOKEN_DAYS_RANGE = _("La durée de validité doit être comprise entre 1 et %(max)s jours.")
TOKEN_ALREADY_REVOKED = _("Ce jeton est déjà révoqué.")
ELIGIBILITY_REQUIRED = _("La catégorie d'admissibilité est obligatoire pour un organisme client.")
ELIGIBILITY_ONLY_FOR_CLIENTS = _("Seuls les organismes clients ont une catégorie d'admissibilité.")
RCTI_ONLY_FOR_CLIENTS = _("Seuls les organismes clients peuvent être assujettis au RCTI.")
MEMBER_MUST_BE_CLIENT = _("Un regroupement d'achats ne regroupe que des organismes clients.")
NOT_A_GROUP_PURCHASER = _("Seul un regroupement d'achats a des organismes membres.")

NAME_REQUIRED = _("Le nom est obligatoire.")
NAME_TAKEN = _("Une organisation porte déjà ce nom.")
ONE_BROKER = _("Le Courtier existe déjà : il n'y a qu'une organisation de ce type.")
BROKER_STAYS_ACTIVE = _("Le Courtier ne peut pas être désactivé.")
NOT_A_MEMBER = _("Cet organisme n'est pas membre de ce regroupement.")
ALREADY_A_MEMBER = _("Cet organisme est déjà membre de ce regroupement.")
LAST_BROKER_ADMIN = _(
    "C'est le dernier administrateur du Courtier : nommez-en un autre avant de retirer ce rôle."
)
UNKNOWN_PERSON = _(
    "Aucun compte n'existe pour ce courriel : la personne doit d'abord demander un accès."
)

TOKEN_PREFIX = "ctr"
FEED_ALREADY_REVOKED = _("Aucun agenda personnel n'est actif.")


# --- organisations --------------------------------------------------------------------------


def _check_organisation_fields(kind: str, eligibility_category: str, subject_to_rcti: bool) -> None:
    messages = {
        rules.OrganisationProblem.ELIGIBILITY_REQUIRED: ELIGIBILITY_REQUIRED,
        rules.OrganisationProblem.ELIGIBILITY_ONLY_FOR_CLIENTS: ELIGIBILITY_ONLY_FOR_CLIENTS,
        rules.OrganisationProblem.RCTI_ONLY_FOR_CLIENTS: RCTI_ONLY_FOR_CLIENTS,
    }
    problems = rules.organisation_problems(kind, eligibility_category, subject_to_rcti)
    if problems:
        raise ValidationError({field: messages[p] for field, p in problems.items()})


def _unique_name(name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    if Organisation.objects.filter(name__iexact=name).exclude(pk=exclude).exists():
        raise ValidationError({"name": NAME_TAKEN})
    return name


@transaction.atomic
def organisation_create(
    *,
    by: User | None,
    kind: str,
    name: str,
    short_name: str = "",
    eligibility_category: str = "",
    subject_to_rcti: bool = False,
) -> Organisation:
    """DOMAIN §1: the broker registers clients, suppliers, providers and group purchasers."""
    if by is not None:
        permissions.require_perm(by, rules.Perm.MANAGE_ORGANISATIONS)
    if kind == OrganisationKind.BROKER and Organisation.objects.filter(kind=kind).exists():
        raise ValidationError({"kind": ONE_BROKER})
    _check_organisation_fields(kind, eligibility_category, subject_to_rcti)
    organisation = Organisation.objects.create(
        kind=kind,
        name=_unique_name(name),
        short_name=short_name,
        eligibility_category=eligibility_category,
        subject_to_rcti=subject_to_rcti,
    )
    audit_event_record(
        actor=by,
        action="organisation.created",
        obj=organisation,
        organisation=organisation,
        after=organisation.audit_snapshot(),
    )
    return organisation


def _change_members(
    *, by: User | None, group: Organisation, member: Organisation, add: bool
) -> None:
    if by is not None:
        permissions.require_perm(by, rules.Perm.MANAGE_ORGANISATIONS)
    if group.kind != OrganisationKind.GROUP_PURCHASER:
        raise ValidationError({"group": NOT_A_GROUP_PURCHASER})
    if member.kind != OrganisationKind.CLIENT:
        raise ValidationError({"member": MEMBER_MUST_BE_CLIENT})
    group = Organisation.objects.select_for_update().get(pk=group.pk)
    before = sorted(group.members.values_list("pk", flat=True))
    if add and member.pk in before:
        raise ValidationError({"member": ALREADY_A_MEMBER})
    if not add and member.pk not in before:
        raise ValidationError({"member": NOT_A_MEMBER})
    (group.members.add if add else group.members.remove)(member)
    audit_event_record(
        actor=by,
        action="organisation.member_added" if add else "organisation.member_removed",
        obj=group,
        organisation=group,
        before={"members": before},
        after={"members": sorted(group.members.values_list("pk", flat=True))},
    )


@transaction.atomic
def organisation_add_member(*, by: User | None, group: Organisation, member: Organisation) -> None:
    """A group purchaser pools the demand of member client bodies (seed 003)."""
    _change_members(by=by, group=group, member=member, add=True)


@transaction.atomic
def organisation_remove_member(*, by: User, group: Organisation, member: Organisation) -> None:
    _change_members(by=by, group=group, member=member, add=False)


ORGANISATION_EDITABLE = (
    "name",
    "short_name",
    "eligibility_category",
    "subject_to_rcti",
    "is_active",
)


@transaction.atomic
def organisation_update(*, by: User, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation's details. Its kind never changes: roles depend on it."""
    permissions.require_change(by, organisation)
    unknown = set(changes) - set(ORGANISATION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation.audit_snapshot()
    if "name" in changes:
        changes["name"] = _unique_name(changes["name"], exclude=organisation.pk)
    merged = {**before, **changes}
    _check_organisation_fields(
        organisation.kind, merged["eligibility_category"], merged["subject_to_rcti"]
    )
    if organisation.is_broker and merged["is_active"] is False:
        raise ValidationError({"is_active": BROKER_STAYS_ACTIVE})
    for field, value in changes.items():
        setattr(organisation, field, value)
    after = organisation.audit_snapshot()
    if after != before:
        organisation.save(update_fields=list(changes))
        audit_event_record(
            actor=by,
            action="organisation.updated",
            obj=organisation,
            organisation=organisation,
            before=before,
            after=after,
        )
    return organisation


# --- people and roles -----------------------------------------------------------------------


@transaction.atomic
def membership_grant(
    *, by: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    if by is not None:
        permissions.require_perm(by, rules.Perm.MANAGE_ORGANISATIONS)
    if not rules.role_allowed_for_kind(role, organisation.kind):
        raise ValidationError({"role": ROLE_NOT_FOR_KIND})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    except IntegrityError:
        raise ValidationError({"role": ALREADY_MEMBER}) from None
    audit_event_record(
        actor=by,
        action="membership.granted",
        obj=membership,
        organisation=organisation,
        after=membership.audit_snapshot(),
    )
    permissions.forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, by: User, membership: Membership) -> None:
    """Withdraw a role. The broker always keeps one admin, or no one could manage it."""
    permissions.require_change(by, membership)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == Role.BROKER_ADMIN:
        admins = Membership.objects.select_for_update().filter(
            role=Role.BROKER_ADMIN, organisation=membership.organisation, user__is_active=True
        )
        if admins.count() <= 1:
            raise ValidationError({"membership": LAST_BROKER_ADMIN})
    audit_event_record(
        actor=by,
        action="membership.revoked",
        obj=membership,
        organisation=membership.organisation_id,
        before=membership.audit_snapshot(),
    )
    membership.delete()
    permissions.forget(membership.user)


@transaction.atomic
def membership_grant_by_email(
    *, by: User, email: str, organisation: Organisation, role: str
) -> Membership:
    """Give an existing account one more role (new people go through an access request)."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError({"email": UNKNOWN_PERSON})
    membership = membership_grant(by=by, user=user, organisation=organisation, role=role)
    notify(
        to=[user.email],
        template="accounts/email/role_granted",
        context={"user": user, "organisation": organisation, "role": Role(role).label},
    )
    return membership


@transaction.atomic
def user_create(
    *,
    by: User | None,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    audit_event_record(
        actor=by,
        action="user.created",
        obj=user,
        after={"email": user.email, "first_name": first_name, "last_name": last_name},
    )
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, how: str) -> User:
    """A person chooses a password (first one after approval, reset, or change). The trail
    records that it changed and how, never the password or its hash."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_event_record(actor=user, action="user.password_changed", obj=user, after={"how": how})
    return user


# --- access requests (002 §2.1: access is requested and approved) ---------------------------


@transaction.atomic
def access_request_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation_id: int,
    role: str,
    reason: str,
) -> AccessRequest:
    """Anyone may ask; nothing is granted until a broker agent approves."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation": ORGANISATION_UNKNOWN})
    if not organisation.is_active:
        raise ValidationError({"organisation": ORGANISATION_INACTIVE})
    if not rules.role_allowed_for_kind(role, organisation.kind):
        raise ValidationError({"role": ROLE_NOT_FOR_KIND})
    # Whether this address already holds the role is not said here: the form is anonymous and
    # must not reveal who has an account. The approval copes with it (see below).
    email = User.objects.normalize_email(email).lower()
    try:
        with transaction.atomic():
            request = AccessRequest.objects.create(
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                organisation=organisation,
                role=role,
                reason=reason.strip(),
            )
    except IntegrityError:
        raise ValidationError({"email": REQUEST_ALREADY_PENDING}) from None
    audit_event_record(
        actor=None,
        actor_label=f"{email} (sans compte)",
        action="access_request.submitted",
        obj=request,
        organisation=organisation,
        after=request.audit_snapshot(),
    )
    deciders = User.objects.filter(
        is_active=True,
        memberships__organisation__kind=OrganisationKind.BROKER,
        memberships__role__in=[Role.BROKER_ADMIN, Role.BROKER_AGENT],
    ).distinct()
    notify(
        to=[request.email],
        template="accounts/email/access_request_received",
        context={"request": request, "role": Role(role).label},
    )
    notify(
        to=[u.email for u in deciders],
        template="accounts/email/access_request_submitted",
        context={
            "request": request,
            "role": Role(role).label,
            "url": reverse("accounts:access_request_detail", args=[request.pk]),
        },
    )
    return request


def _lock_pending(access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequestStatus.PENDING:
        raise ValidationError({"status": REQUEST_ALREADY_DECIDED})
    return locked


def _record_decision(
    *, by: User, request: AccessRequest, before: dict[str, object], status: str, **fields: Any
) -> None:
    """Save a decision on a locked, pending request and audit it."""
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = by
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "decided_at", "decided_by", *fields])
    audit_event_record(
        actor=by,
        action=f"access_request.{status}",
        obj=request,
        organisation=request.organisation,
        before=before,
        after=request.audit_snapshot(),
    )


@transaction.atomic
def access_request_approve(*, by: User, access_request: AccessRequest) -> AccessRequest:
    """Create (or reuse) the account, grant the role, and email a link to choose a password."""
    permissions.require_change(by, access_request)
    if access_request.organisation.is_broker and not permissions.has_perm(
        by, rules.Perm.MANAGE_ORGANISATIONS
    ):
        # Broker staff see every client's data: an agent cannot make new colleagues.
        raise PermissionDenied(BROKER_ROLE_NEEDS_ADMIN)
    request = _lock_pending(access_request)
    before = request.audit_snapshot()
    user = User.objects.filter(email=request.email).first()
    is_new = user is None
    if user is None:
        user = user_create(
            by=by, email=request.email, first_name=request.first_name, last_name=request.last_name
        )
    held = Membership.objects.filter(
        user=user, organisation=request.organisation, role=request.role
    )
    if not held.exists():
        membership_grant(by=None, user=user, organisation=request.organisation, role=request.role)
    _record_decision(
        by=by, request=request, before=before, status=AccessRequestStatus.APPROVED, user=user
    )
    context: dict[str, Any] = {"request": request, "role": Role(request.role).label}
    if is_new:
        context["password_url"] = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    notify(to=[request.email], template="accounts/email/access_request_approved", context=context)
    return request


@transaction.atomic
def access_request_refuse(*, by: User, access_request: AccessRequest, reason: str) -> AccessRequest:
    permissions.require_change(by, access_request)
    if not reason.strip():
        raise ValidationError({"reason": REFUSAL_REASON_REQUIRED})
    request = _lock_pending(access_request)
    before = request.audit_snapshot()
    _record_decision(
        by=by,
        request=request,
        before=before,
        status=AccessRequestStatus.REFUSED,
        refusal_reason=reason.strip(),
    )
    notify(
        to=[request.email],
        template="accounts/email/access_request_refused",
        context={"request": request, "role": Role(request.role).label},
    )
    return request


# --- personal API tokens --------------------------------------------------------------------


def hash_token(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (no need for a KDF).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Return the token row and its secret, which is shown once and never stored."""
    permissions.require_perm(user, rules.Perm.USE_API)
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = TOKEN_NAME_REQUIRED
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["days"] = TOKEN_DAYS_RANGE % {"max": settings.API_TOKEN_MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_event_record(
        actor=user, action="api_token.created", obj=token, after=token.audit_snapshot()
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    permissions.require_change(by, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"token": TOKEN_ALREADY_REVOKED})
    _mark_revoked(by, token, "api_token.revoked")
    return token


def _mark_revoked(by: User, row: ApiToken | CalendarFeed, action: str) -> None:
    """A secret stops working from now on (the row is kept, for the trail)."""
    before = row.audit_snapshot()
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit_event_record(actor=by, action=action, obj=row, before=before, after=row.audit_snapshot())


def api_token_authenticate(secret: str) -> User | None:
    """The person behind a usable token, or None. Records the last use (not audited: a read)."""
    if not secret.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- what awaits a person: the private calendar feed and the daily digest ----------------------


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new private feed of the person's deadlines; the one before it, if any, stops working.
    Returns the row and its secret (part of the URL, shown once and never stored)."""
    User.objects.select_for_update().get(pk=user.pk)  # one feed at a time per person
    old = selectors.active_calendar_feed(user)
    if old is not None:
        _mark_revoked(user, old, "calendar_feed.revoked")
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, key_hash=hash_token(secret))
    audit_event_record(
        actor=user, action="calendar_feed.created", obj=feed, after=feed.audit_snapshot()
    )
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, by: User) -> CalendarFeed:
    """The person's feed stops working (its URL answers 404)."""
    User.objects.select_for_update().get(pk=by.pk)
    feed = selectors.active_calendar_feed(by)
    if feed is None:
        raise ValidationError({"feed": FEED_ALREADY_REVOKED})
    # Read among the person's own feeds only: even a read-only auditor may revoke theirs.
    _mark_revoked(by, feed, "calendar_feed.revoked")
    return feed


def calendar_feed_user(secret: str) -> User | None:
    """The active person behind a usable feed secret, or None (a read: not audited)."""
    if not secret:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


@transaction.atomic
def digest_setting_update(*, user: User, opt_out: bool) -> User:
    """Whether the person receives the daily email of what awaits them."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.digest_opt_out == opt_out:
        return locked
    before = {"digest_opt_out": locked.digest_opt_out}
    locked.digest_opt_out = opt_out
    locked.save(update_fields=["digest_opt_out"])
    user.digest_opt_out = opt_out
    audit_event_record(
        actor=user,
        action="user.digest_changed",
        obj=locked,
        before=before,
        after={"digest_opt_out": opt_out},
    )
    return locked


@transaction.atomic
def digest_send(*, user: User, day: Any) -> bool:
    """Email the person what awaits them today, at most once a day (the ``DigestSent`` row,
    unique per person and day, is what makes it idempotent); nothing when nothing awaits them
    or they opted out. Returns whether an email was queued."""
    if not user.is_active or user.digest_opt_out:
        return False
    if DigestSent.objects.filter(user=user, day=day).exists():
        return False
    items = items_for(user, today=day)
    if not items:
        return False
    # The row is a delivery log, not a change of the person's data: it is not audited.
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, day=day, items=len(items))
    except IntegrityError:  # another run sent it meanwhile
        return False
    notify(
        to=[user.email],
        template="accounts/email/digest",
        context={
            "user": user,
            "items": [{"is_overdue": i.overdue(day), **vars(i)} for i in items],
            "overdue": sum(1 for i in items if i.overdue(day)),
            "day": day,
        },
    )
    return True


def digests_send(*, day: Any = None) -> int:
    """Send the day's digest to every active person (for cron: ``courtier send-digests``).
    Returns how many emails were queued."""
    day = day or timezone.localdate()
    sent = 0
    for user in User.objects.filter(is_active=True, digest_opt_out=False).order_by("pk"):
        if digest_send(user=user, day=day):
            sent += 1
    return sent
