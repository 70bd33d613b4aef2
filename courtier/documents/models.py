"""The document store (DOMAIN §7): every kept file is a ``Document`` of a registered type
(``types``), attached to one object of an app (``subjects``), owned by an organisation, in
versions that never overwrite each other (each version's bytes a ``files.StoredFile``, kept once
by SHA-256). Retention gives each document its disposal date; a legal hold blocks disposal; a
disposal, approved by the broker, removes the content and keeps a tombstone; what a client owes
the broker is a ``TransmissionRequest``; a final version the broker validated and stamped is a
``ValidatedVersion`` (the registry its verification reads)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    KEPT = "kept", _("Conservé")
    DISPOSED = "disposed", _("Éliminé")


class Document(models.Model):
    """One kept document: its type, what it belongs to, who owns it, its versions."""

    type = models.CharField(_("type de document"), max_length=40)  # a code of documents.types
    title = models.CharField(_("titre"), max_length=300)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation propriétaire"),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    personal_information = models.BooleanField(_("renseignements personnels"), default=False)
    confidential = models.BooleanField(_("confidentiel"), default=True)
    status = models.CharField(
        _("état"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.KEPT
    )
    # Retention (DOMAIN §7): computed from the type's rule and the subject's contract end;
    # null with disposal_pending while the event it counts from has not happened, null without
    # it for a document kept permanently. Recomputed when that event moves.
    disposal_on = models.DateField(_("date de disposition"), null=True, blank=True)
    disposal_pending = models.BooleanField(_("disposition en attente"), default=False)
    disposal = models.ForeignKey(
        "Disposal", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    # A generated document's key, made by the service that queued its rendering: the task that
    # renders it keeps one document however often it runs. Blank for a document a person joins.
    key = models.CharField(max_length=36, blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("conservé le"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="document_subject"),
            models.Index(fields=["disposal_on"], name="document_disposal_on"),
            models.Index(fields=["type"], name="document_type"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="document_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(disposal_pending=False) | Q(disposal_on__isnull=True),
                name="document_pending_has_no_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="disposed") | Q(disposal__isnull=False),
                name="document_disposed_has_disposal",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        from courtier.documents import types

        return types.label_of(self.type)

    @property
    def current(self) -> DocumentVersion | None:
        """The latest version (prefetched ``versions`` are used when present)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None

    @property
    def stored(self):  # the current version's bytes (files.StoredFile), None once disposed
        current = self.current
        return current.stored if current is not None else None

    @property
    def sha256(self) -> str:
        current = self.current
        return current.sha256 if current is not None else ""

    @property
    def is_restricted(self) -> bool:
        """Confidential or personal: narrower visibility, every download audited."""
        return self.confidential or self.personal_information


class DocumentVersion(models.Model):
    """One version of a document. Immutable: a new version is a new row; disposal only drops
    ``stored`` (the bytes) and keeps the rest as the tombstone."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    stored = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)  # immutable
    size = models.PositiveBigIntegerField(_("taille"))  # bytes; immutable
    content_type = models.CharField(_("type de contenu"), max_length=100)  # from the bytes
    name = models.CharField(_("nom du fichier"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de documents")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number")
        ]
        indexes = [models.Index(fields=["sha256"], name="document_version_sha256")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class LegalHold(models.Model):
    """A legal hold on an object (a file, a contract...) or on one document: while it is not
    lifted, nothing it covers is disposed of. Placing and lifting are audited."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    reason = models.TextField(_("motif"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placée le"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("levée le"), null=True, blank=True)
    lift_reason = models.TextField(_("motif de la levée"), blank=True)

    class Meta:
        verbose_name = _("blocage juridique")
        verbose_name_plural = _("blocages juridiques")
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="hold_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type.model} {self.subject_id}: {self.reason[:40]}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Disposal(models.Model):
    """One disposal approved by the broker: the documents it removed (their tombstones point at
    it) and the attestation of disposal it produced (modelled on 000, annexe 5)."""

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approuvée le"), default=timezone.now)
    method = models.TextField(_("mode de disposition"))
    attestation = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["-approved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.approved_at:%Y-%m-%d} ({self.pk})"


class TransmissionStatus(models.TextChoices):
    OPEN = "open", _("À transmettre")
    ANSWERED = "answered", _("Transmis")
    CANCELLED = "cancelled", _("Annulée")


class TransmissionOrigin(models.TextChoices):
    RULE = "rule", _("Dû selon le type (002 §4.10)")
    REQUEST = "request", _("Demandé par le Courtier")


class TransmissionRequest(models.Model):
    """A document a client owes the broker (DOMAIN §7): by its type's rule (within 5 business
    days of signature, at once on termination) or because the broker asked, with a due date.
    The client answers by pointing at a kept document or by uploading one."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisme client"),
    )
    type = models.CharField(_("type de document"), max_length=40)  # a code of documents.types
    origin = models.CharField(_("origine"), max_length=20, choices=TransmissionOrigin.choices)
    note = models.TextField(_("précisions"), blank=True)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=TransmissionStatus.choices,
        default=TransmissionStatus.OPEN,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="transmissions"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the overdue email, sent once

    class Meta:
        verbose_name = _("document dû au Courtier")
        verbose_name_plural = _("documents dus au Courtier")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="transmission_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(document__isnull=False),
                name="transmission_answered_has_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} ({self.client_id}) {self.due_on}"


class ValidatedVersion(models.Model):
    """The registry of final versions the broker validated (DOMAIN §7; 002 §2.3.1, §4.5: signed
    as presented): the exact bytes it stamped (kept as a version of their document), their
    SHA-256, the verification code printed on the stamp, what was validated, by whom and when.
    A PDF is that version when its broker-certified revision hashes to ``sha256``
    (``verification.verify_pdf``). Immutable: written once by ``services.stamps``."""

    version = models.OneToOneField(
        DocumentVersion,
        on_delete=models.PROTECT,
        related_name="validation",
        verbose_name=_("version validée"),
    )
    sha256 = models.CharField(  # of the stamped bytes, the version's own; immutable
        _("empreinte SHA-256"), max_length=64, unique=True, editable=False
    )
    code = models.CharField(  # rules.CODE_ALPHABET, grouped « K7QM-42XP-9D »; immutable
        _("code de vérification"), max_length=12, unique=True, editable=False
    )
    label = models.CharField(_("ce qui a été validé"), max_length=300)  # « Contrat C-2026-0007 »
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version validée par le Courtier")
        verbose_name_plural = _("versions validées par le Courtier")
        ordering = ["-validated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="validated_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("a validated version is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        raise RuntimeError("a validated version is immutable")
