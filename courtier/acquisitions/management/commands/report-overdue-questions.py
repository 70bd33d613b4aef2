"""courtier report-overdue-questions: tell the broker of supplier questions past due (004 §3.3.2).
Safe to run from cron as often as wanted: each question is reported once."""

from django.core.management.base import BaseCommand

from courtier.acquisitions.services.overdue import questions_report_overdue


class Command(BaseCommand):
    help = (
        "Signale au Courtier les questions aux fournisseurs restées sans réponse après 3 jours "
        "ouvrables."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = questions_report_overdue()
        self.stdout.write(f"{count}")
