"""Stored files: every kept file's bytes, once, under their SHA-256 (immutable)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file kept by content (sha256): immutable, so a version that points at it stays exact."""

    sha256 = models.CharField(max_length=64, unique=True)  # hex digest of the bytes; immutable
    name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()  # bytes
    file = models.FileField(upload_to="fichiers/%Y/%m/")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("fichier")

    def __str__(self) -> str:
        return self.name

    def read_bytes(self) -> bytes:
        """The file's whole content (the files the platform signs, stamps or attaches are small)."""
        with self.file.open("rb") as handle:
            return handle.read()
