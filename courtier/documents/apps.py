from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "courtier.documents"
    label = "documents"
    verbose_name = _("Documents et dossiers")

    def ready(self) -> None:
        from courtier.accounts.models import Organisation
        from courtier.documents import policies, subjects, types  # noqa: F401

        # An organisation's own records (its agreements, attestations, sheet documents).
        subjects.register(subjects.Subject(Organisation, owner_id=lambda org: org.pk))
