"""What core keeps itself: the submissions already made, so that a replay creates nothing twice
(courtier.core.replay). Neither model knows any app: the person is an opaque ``owner`` string."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A page form's one-time token, once a submission carrying it succeeded (a 3xx), with what
    the form held. Written in the same transaction as the view's writes: the unique constraint
    makes a concurrent second submission wait for the first, then find this row."""

    owner = models.CharField(_("personne"), max_length=80)  # "u:<pk>" or "a:<hash>"
    token = models.CharField(_("jeton"), max_length=64)
    # SHA-256 (hex) of the fields and files sent, tokens aside: the same token sent again with
    # other content is something changed on purpose after Back, not a replay.
    data_hash = models.CharField(_("empreinte du contenu"), max_length=64)
    location = models.CharField(_("redirigé vers"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("formulaire envoyé")
        verbose_name_plural = _("formulaires envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "token", "data_hash"], name="core_form_token_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.token}"


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key``, and its first successful (2xx) answer,
    given again to a replay of the same request."""

    owner = models.CharField(_("personne ou jeton"), max_length=80)  # "u:<pk>" or "t:<hash>"
    key = models.CharField(_("clé"), max_length=200)
    method = models.CharField(_("méthode"), max_length=10)
    path = models.TextField(_("adresse"))  # path and query, as sent
    body_hash = models.CharField(_("empreinte du corps"), max_length=64)  # SHA-256, hex
    status = models.PositiveSmallIntegerField(_("statut"), default=0)
    content_type = models.CharField(_("type de contenu"), max_length=200, blank=True)
    content = models.BinaryField(_("réponse"), default=b"")
    created_at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("requête idempotente")
        verbose_name_plural = _("requêtes idempotentes")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="core_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"
