from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "courtier.files"
    label = "files"
    verbose_name = _("Fichiers conservés")

    def ready(self) -> None:
        from courtier.files import policies  # noqa: F401 (registers the policy)
