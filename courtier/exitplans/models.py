"""The exit transition of a solutions contract (DOMAIN §5.9; 002 §4.9): the client's plan, its
exit activities to complete before the initial contract's end, the follow-up acquisition file
and, with a new supplier, the new contract that runs alongside the old one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.exitplans import rules


def default_warning_months() -> int:
    """DOMAIN §5.9: the warning's lead time, configurable (9 months by default)."""
    return int(getattr(settings, "COURTIER_EXIT_WARNING_MONTHS", rules.DEFAULT_EXIT_WARNING_MONTHS))


class PlanState(models.TextChoices):
    DRAFT = rules.State.DRAFT, _("En préparation par le client")
    SUBMITTED = rules.State.SUBMITTED, _("Soumis au Courtier")
    RETURNED = rules.State.RETURNED, _("Retourné au client avec un commentaire")
    ACKNOWLEDGED = rules.State.ACKNOWLEDGED, _("Pris en compte par le Courtier")
    COMPLETED = rules.State.COMPLETED, _("Transition complétée")


class PlanAction(models.TextChoices):
    SUBMIT = rules.Action.SUBMIT, _("Soumettre le plan au Courtier")
    ACKNOWLEDGE = rules.Action.ACKNOWLEDGE, _("Prendre acte du plan")
    RETURN = rules.Action.RETURN, _("Retourner le plan au client avec un commentaire")
    COMPLETE = rules.Action.COMPLETE, _("Constater la transition complétée")


class ExitPlan(models.Model):
    """The exit plan of one solutions contract (002 §4.9: services contracts have none)."""

    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="exit_plan",
        verbose_name=_("contrat initial"),
    )
    state = models.CharField(
        _("état"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    # DOMAIN §5.9: months before the contract's end the client is warned (1 to 36).
    warning_months = models.PositiveSmallIntegerField(
        _("préavis de sortie (mois)"), default=default_warning_months
    )
    # The follow-up acquisition file (a file of the same client).
    follow_up_file = models.ForeignKey(
        "acquisitions.AcquisitionFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dossier d'acquisition suivant"),
    )
    same_supplier = models.BooleanField(
        _("contrat suivant avec le même fournisseur"), default=False
    )
    # 002 §4.9: only with the same supplier may no exit activity be needed.
    none_needed = models.BooleanField(_("aucune activité de transition nécessaire"), default=False)
    # A new supplier's contract (same client, another supplier): runs alongside the old one.
    new_contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contrat du nouveau fournisseur"),
    )
    review_comment = models.TextField(_("commentaire du Courtier"), blank=True)
    warned_on = models.DateField(_("avis de sortie envoyé le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("pris en compte le"), null=True, blank=True)
    completed_at = models.DateTimeField(_("complété le"), null=True, blank=True)
    # Empty when the daily warning opened the plan (no person made it).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("plan de transition à la sortie")
        verbose_name_plural = _("plans de transition à la sortie")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    warning_months__gte=1, warning_months__lte=rules.MAX_EXIT_WARNING_MONTHS
                ),
                name="exit_plan_warning_1_to_36_months",
            ),
            models.CheckConstraint(
                condition=~Q(new_contract=F("contract")), name="exit_plan_new_contract_other"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.state}"


class ExitActivity(models.Model):
    """One exit activity of a plan, from its first to its last day (inclusive); done on a day."""

    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(_("ordre"))
    name = models.CharField(_("activité"), max_length=rules.MAX_NAME_LENGTH)
    start_on = models.DateField(_("début"))
    end_on = models.DateField(_("fin"))  # inclusive
    done_on = models.DateField(_("faite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("activité de transition à la sortie")
        verbose_name_plural = _("activités de transition à la sortie")
        ordering = ["plan_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="exit_activity_order"),
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="exit_activity_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
