from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AcquisitionsConfig(AppConfig):
    name = "courtier.acquisitions"
    label = "acquisitions"
    verbose_name = _("Acquisitions de solutions")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions, and
        # the file's workflow (docs/workflows.md).
        from courtier.acquisitions import home, policies, workflow  # noqa: F401
        from courtier.acquisitions.models import QUESTION_LABELS
        from courtier.audit.labels import register_key_labels

        # The trail names the questionnaire's answers by their questions, not their codes.
        register_key_labels("answers", QUESTION_LABELS)
        # A file's documents belong to its client; an abandoned file's close their retention.
        from courtier.acquisitions.models import AcquisitionFile
        from courtier.documents import subjects

        subjects.register(
            subjects.Subject(
                AcquisitionFile,
                owner_id=lambda file: file.client_id,
                contract_end=lambda file: file.closed_on,
                url=lambda file: reverse("acquisitions:file_detail", args=[file.pk]),
            )
        )
