"""courtier send-digests: email each active person what awaits them (home page's « Ce qui
m'attend »). For cron, once a day or more often: each person gets at most one email a day, none
when nothing awaits them or when they opted out in « Mon compte »."""

from django.core.management.base import BaseCommand

from courtier.accounts.services import digests_send


class Command(BaseCommand):
    help = "Envoie à chaque personne le courriel quotidien de ce qui l'attend (une fois par jour)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{digests_send()}")
