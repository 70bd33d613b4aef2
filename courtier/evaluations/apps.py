from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "courtier.evaluations"
    label = "evaluations"
    verbose_name = _("Évaluation du rendement")

    def ready(self) -> None:
        # The permission policies, the menu entry, work items and standing, the two workflows.
        from courtier.evaluations import home, policies, workflow  # noqa: F401
