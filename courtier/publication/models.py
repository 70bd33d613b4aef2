"""What is published after the contract (issue 14 §4-5): the SEAO sheet of a concluded contract
of a client subject to the RCTI (002 §4.1, DOMAIN §5.1) and the client's consent to name a
contact person in the list of concluded contracts (002 §4.7, DOMAIN §5.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeaoSheet(models.Model):
    """What the client enters in SEAO for one contract: the nature, classification and legal
    disposition follow from the contract's kind (rules), the amounts and dates from its current
    terms; the client chooses the UNSPSC codes and says the responsible-acquisition indicator,
    ticks the checklist, then marks the sheet published."""

    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="seao_sheet",
        verbose_name=_("contrat"),
    )
    unspsc_codes = models.JSONField(_("catégories UNSPSC"), default=list)  # among rules.UNSPSC
    # 002 §4.1: « lorsqu'applicable », the category the client used to choose; blank otherwise.
    responsible_indicator = models.CharField(
        _("indicateur d'acquisition responsable"), max_length=200, blank=True
    )
    checklist = models.JSONField(_("liste de vérification"), default=list)  # rules.CHECKLIST keys
    published_on = models.DateField(_("publié dans SEAO le"), null=True, blank=True)
    notice_number = models.CharField(_("numéro de l'avis SEAO"), max_length=40, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("publié par"),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("fiche de publication SEAO")
        verbose_name_plural = _("fiches de publication SEAO")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"SEAO {self.contract_id}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class ContactConsent(models.Model):
    """The client's consent to name one of its people as the contact of a concluded contract in
    the list of concluded contracts (002 §4.7); revocable, the history kept (never deleted)."""

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="contact_consents",
        verbose_name=_("contrat"),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne-ressource"),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consentement donné par"),
    )
    given_at = models.DateTimeField(_("consentement donné le"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("révoqué par"),
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement à nommer une personne-ressource")
        verbose_name_plural = _("consentements à nommer une personne-ressource")
        ordering = ["contract_id", "-given_at", "-id"]
        constraints = [
            # At most one consent in force per contract.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(revoked_at__isnull=True),
                name="contact_consent_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="contact_consent_revoked_with_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.contact_id}"

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None
