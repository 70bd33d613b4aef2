"""Append-only, hash-chained audit trail (DOMAIN §7: prove what was done, by whom, when)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AUDIT_IS_APPEND_ONLY = "Le journal d'audit est en ajout seulement : un événement ne se modifie pas."


class AppendOnlyError(RuntimeError):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError(AUDIT_IS_APPEND_ONLY)

    def delete(self):  # type: ignore[override]
        raise AppendOnlyError(AUDIT_IS_APPEND_ONLY)

    def bulk_update(self, *args: object, **kwargs: object) -> int:  # type: ignore[override]
        raise AppendOnlyError(AUDIT_IS_APPEND_ONLY)


class AuditEvent(models.Model):
    """One state change. ``hash`` = SHA-256(previous hash + canonical content); see rules.py."""

    seq = models.PositiveBigIntegerField(_("numéro"), unique=True)  # 1, 2, 3... no gaps
    created_at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the trail outlives people; the label below keeps who it was
    )
    actor_label = models.CharField(_("auteur"), max_length=254, blank=True)  # immutable
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=80)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    request_id = models.CharField(_("requête"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError(AUDIT_IS_APPEND_ONLY)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object):  # type: ignore[override]
        raise AppendOnlyError(AUDIT_IS_APPEND_ONLY)


class AuditChainHead(models.Model):
    """Singleton row locked while appending, so that two writers can never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tête de la chaîne d'audit")
        verbose_name_plural = _("têtes de la chaîne d'audit")
        constraints = [
            models.CheckConstraint(name="audit_head_singleton", condition=models.Q(id=1))
        ]

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
