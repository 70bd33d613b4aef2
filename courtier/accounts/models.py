"""Organisations, people and their roles (DOMAIN §1)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts import rules


class OrganisationKind(models.TextChoices):
    BROKER = rules.Kind.BROKER, _("Courtier")
    CLIENT = rules.Kind.CLIENT, _("Organisme public client")
    SUPPLIER = rules.Kind.SUPPLIER, _("Fournisseur")
    PROVIDER = rules.Kind.PROVIDER, _("Prestataire de services")
    GROUP_PURCHASER = rules.Kind.GROUP_PURCHASER, _("Regroupement d'achats")


class EligibilityCategory(models.TextChoices):
    """Eligible clientele (004 §2.4; DOMAIN §1)."""

    LCOP_ART_4 = "lcop_4", _("Ministère ou organisme visé à l'article 4 de la LCOP")
    LCOP_ART_7 = "lcop_7", _("Organisme visé à l'article 7 de la LCOP")
    MUNICIPAL = "municipal", _("Organisme municipal")
    OTHER = "other", _("Autre organisation admissible")


class Role(models.TextChoices):
    BROKER_ADMIN = rules.R.BROKER_ADMIN, _("Administrateur du Courtier")
    BROKER_AGENT = rules.R.BROKER_AGENT, _("Agent du Courtier")
    CLIENT_PROCUREMENT = rules.R.CLIENT_PROCUREMENT, _("Responsable des acquisitions")
    CLIENT_HEAD = rules.R.CLIENT_HEAD, _("Dirigeant d'organisme")
    CLIENT_FINANCE = rules.R.CLIENT_FINANCE, _("Responsable des finances")
    CLIENT_SIGNATORY = rules.R.CLIENT_SIGNATORY, _("Signataire autorisé")
    SUPPLIER_REP = rules.R.SUPPLIER_REP, _("Représentant du fournisseur")
    PROVIDER_REP = rules.R.PROVIDER_REP, _("Représentant du prestataire de services")
    AUDITOR = rules.R.AUDITOR, _("Vérificateur (lecture seule)")


class Organisation(models.Model):
    # Immutable: the roles of its people depend on it.
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    # Only for client bodies and group purchasers (constraint below).
    eligibility_category = models.CharField(
        _("catégorie d'admissibilité"),
        max_length=20,
        choices=EligibilityCategory.choices,
        blank=True,
    )
    # Several rules (RCTI art. 48, SEAO publication, evaluation report) apply only when True.
    subject_to_rcti = models.BooleanField(_("assujetti au RCTI"), default=False)
    # Group purchasers pool the demand of member bodies (seed 003).
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="group_purchasers",
        verbose_name=_("organismes membres"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="organisation_eligibility_only_for_clients",
                condition=Q(kind__in=["client", "group_purchaser"]) | Q(eligibility_category=""),
            ),
            models.CheckConstraint(
                name="organisation_client_has_eligibility",
                condition=~Q(kind="client") | ~Q(eligibility_category=""),
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="broker"), name="organisation_one_broker"
            ),
            models.CheckConstraint(
                name="organisation_rcti_only_for_clients",
                condition=Q(kind__in=["client", "group_purchaser"]) | Q(subject_to_rcti=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_broker(self) -> bool:
        return self.kind == OrganisationKind.BROKER

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "short_name": self.short_name,
            "eligibility_category": self.eligibility_category,
            "subject_to_rcti": self.subject_to_rcti,
            "is_active": self.is_active,
        }


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address with any capitals; addresses are stored lower-case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person. Signs in with the email address; belongs to organisations via Membership."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("courriel"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    # The daily email of what awaits the person (``services.digest_send``); they may opt out.
    digest_opt_out = models.BooleanField(_("ne pas recevoir le courriel quotidien"), default=False)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Membership(models.Model):
    """A role held by a person inside an organisation. One row per (person, organisation, role)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("rôle d'une personne")
        verbose_name_plural = _("rôles des personnes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"

    def audit_snapshot(self) -> dict[str, object]:
        return {"user": self.user.email, "organisation_id": self.organisation_id, "role": self.role}


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Approuvée")
    REFUSED = "refused", _("Refusée")


class AccessRequest(models.Model):
    """A person asks for an account; a broker agent approves or refuses it (002 §2.1)."""

    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel professionnel"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="access_requests",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle demandé"), max_length=30, choices=Role.choices)
    reason = models.TextField(_("motif de la demande"), max_length=2000)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True, max_length=2000)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_requests"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'accès")
        verbose_name_plural = _("demandes d'accès")
        constraints = [
            # One pending request at a time for the same person, organisation and role.
            models.UniqueConstraint(
                fields=["email", "organisation", "role"],
                condition=Q(status="pending"),
                name="access_request_one_pending",
            ),
            models.CheckConstraint(
                name="access_request_decision_complete",
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "email": self.email,
            "organisation_id": self.organisation_id,
            "role": self.role,
            "status": self.status,
            "refusal_reason": self.refusal_reason,
        }


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)  # public part, shown in lists
    key_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "name": self.name,
            "prefix": self.prefix,
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class CalendarFeed(models.Model):
    """A person's private calendar feed (ICS) of their deadlines. Only the SHA-256 of its secret
    is stored; the URL is shown once. Revoked feeds answer 404; at most one usable per person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    key_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the secret
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("agenda personnel")
        verbose_name_plural = _("agendas personnels")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class DigestSent(models.Model):
    """One row per person and day a digest was sent: what keeps the daily email to one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("courriel quotidien envoyé")
        verbose_name_plural = _("courriels quotidiens envoyés")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_sent_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
