"""Broker-maintained closure days, on top of Quebec statutory holidays (DOMAIN §8)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClosureDay(models.Model):
    day = models.DateField(_("date"), unique=True)
    label = models.CharField(_("motif"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["day"]
        verbose_name = _("jour de fermeture")
        verbose_name_plural = _("jours de fermeture")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} — {self.label}"

    def audit_snapshot(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "label": self.label}
