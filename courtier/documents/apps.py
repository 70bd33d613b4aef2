from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "courtier.documents"
    label = "documents"
    verbose_name = _("Documents et dossiers")

    def ready(self) -> None:
        from courtier.accounts.models import Organisation
        from courtier.documents import home, policies, subjects, types  # noqa: F401
        from courtier.files import claims

        # An organisation's own records (its agreements, attestations, sheet documents).
        subjects.register(subjects.Subject(Organisation, owner_id=lambda org: org.pk))
        claims.register("documents", _document_claims)


def _document_claims(sha256s: set[str]):
    """Each version's bytes belong to its document's owner (issue 11 §7)."""
    from courtier.documents.models import DocumentVersion

    return DocumentVersion.objects.filter(sha256__in=sha256s, stored__isnull=False).values_list(
        "sha256", "document__owner_id"
    )
