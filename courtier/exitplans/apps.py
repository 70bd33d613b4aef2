from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitPlansConfig(AppConfig):
    name = "courtier.exitplans"
    label = "exitplans"
    verbose_name = _("Transition de sortie")

    def ready(self) -> None:
        # The permission policies, the work items and the plan's workflow.
        from courtier.exitplans import home, policies, workflow  # noqa: F401
