"""Performance evaluations (DOMAIN §5.8; 002 §4.8): the versioned weighted grid, the annual
campaigns per supplier or provider with one request per client body that has a contract of it in
force, the clients' scored grids, and the end-of-contract evaluation of an RCTI client (art. 82),
whose report signed by the head of the organisation is owed to the broker within 5 business days
(002 §4.10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.evaluations import rules


class CampaignState(models.TextChoices):
    OPEN = rules.CampaignState.OPEN, _("Ouverte")
    CLOSED = rules.CampaignState.CLOSED, _("Fermée")


class CampaignAction(models.TextChoices):
    CLOSE = rules.CampaignAction.CLOSE, _("Fermer la campagne")


class RequestState(models.TextChoices):
    OPEN = rules.RequestState.OPEN, _("À remplir")
    SUBMITTED = rules.RequestState.SUBMITTED, _("Transmise")
    LAPSED = rules.RequestState.LAPSED, _("Non reçue (campagne fermée)")


class RequestAction(models.TextChoices):
    SUBMIT = rules.RequestAction.SUBMIT, _("Transmettre l'évaluation")
    LAPSE = rules.RequestAction.LAPSE, _("Clore sans évaluation")


# Where an end-of-contract evaluation stands (rules.EndEvaluationStatus), as the pages say it.
END_STATUS_LABELS = {
    rules.EndEvaluationStatus.NOT_OWED: _("Non requise"),
    rules.EndEvaluationStatus.AWAITING_SIGNATURE: _("En attente de la signature du dirigeant"),
    rules.EndEvaluationStatus.DUE: _("À transmettre au Courtier"),
    rules.EndEvaluationStatus.OVERDUE: _("En retard"),
    rules.EndEvaluationStatus.RECEIVED: _("Reçue par le Courtier"),
    rules.EndEvaluationStatus.RECEIVED_LATE: _("Reçue en retard"),
}


class HeadSignature(models.TextChoices):
    PLATFORM = "platform", _("Signé dans la plateforme")
    PAPER = "paper", _("Signé sur papier")


class GridVersion(models.Model):
    """One version of the grid (002 §4.8.2: « le gabarit de grille »): never changed once
    published; a new version is made instead."""

    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    scale_min = models.PositiveSmallIntegerField(_("note minimale"), default=rules.DEFAULT_SCALE[0])
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=rules.DEFAULT_SCALE[1])
    note = models.TextField(_("note de version"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("version de la grille d'évaluation")
        verbose_name_plural = _("versions de la grille d'évaluation")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"

    def as_grid(self) -> rules.Grid:
        return rules.Grid(
            version=self.number,
            criteria=tuple(
                rules.Criterion(c.key, c.label, c.weight) for c in self.criteria.order_by("order")
            ),
            scale_min=self.scale_min,
            scale_max=self.scale_max,
        )


class GridCriterion(models.Model):
    version = models.ForeignKey(GridVersion, on_delete=models.PROTECT, related_name="criteria")
    key = models.SlugField(_("clé"), max_length=40)
    label = models.CharField(_("critère"), max_length=200)
    weight = models.DecimalField(_("pondération (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("ordre"))

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="criterion_key_once"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class Campaign(models.Model):
    """The annual evaluation of one supplier or provider (002 §4.8.1), on the grid version
    current at its opening."""

    year = models.PositiveSmallIntegerField(_("année"))
    supplier = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
        verbose_name=_("fournisseur ou prestataire"),
    )
    grid = models.ForeignKey(
        GridVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("grille")
    )
    due_on = models.DateField(_("date limite"))
    state = models.CharField(
        _("état"), max_length=20, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne d'évaluation")
        verbose_name_plural = _("campagnes d'évaluation")
        ordering = ["-year", "supplier__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "year"], name="campaign_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.supplier_id}"


class EvaluationRequest(models.Model):
    """What one client body is asked to evaluate in a campaign (its contracts in force with the
    supplier): a score per criterion, a general comment; saved, then submitted once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="requests")
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="evaluation_requests",
        verbose_name=_("organisme client"),
    )
    contracts = models.ManyToManyField(
        "contracts.Contract", related_name="evaluation_requests", verbose_name=_("contrats")
    )
    due_on = models.DateField(_("date limite"))
    state = models.CharField(
        _("état"), max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    general_comment = models.TextField(_("commentaire général"), blank=True)
    weighted_score = models.DecimalField(
        _("note pondérée"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    submitted_on = models.DateField(_("transmise le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)  # the reminder, sent once
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("demande d'évaluation")
        verbose_name_plural = _("demandes d'évaluation")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "client"], name="request_once_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.client_id}"


class EvaluationScore(models.Model):
    request = models.ForeignKey(EvaluationRequest, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(GridCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note d'un critère")
        verbose_name_plural = _("notes des critères")
        ordering = ["request_id", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["request", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.score}"


class EndEvaluation(models.Model):
    """The end-of-contract evaluation of an RCTI client (002 §4.8.2; RCTI art. 82): whether it is
    required, the report (a ``performance_report`` document on the contract), the head's
    signature, and what it opened owed to the broker (``owed``: 5 business days, 002 §4.10)."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, related_name="end_evaluation"
    )
    required = models.BooleanField(_("requise en vertu de l'article 82 du RCTI"))
    report = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_signed_on = models.DateField(_("signé par le dirigeant le"), null=True, blank=True)
    head_signature = models.CharField(
        _("mode de signature"), max_length=20, choices=HeadSignature.choices, blank=True
    )
    head_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owed = models.ForeignKey(
        "documents.TransmissionRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("consignée le"), default=timezone.now)

    class Meta:
        verbose_name = _("évaluation de fin de contrat")
        verbose_name_plural = _("évaluations de fin de contrat")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contract_id}"
