from django.core.management.base import BaseCommand

from courtier.core.replay import KEPT_FOR, purge_expired


class Command(BaseCommand):
    help = (
        "Supprime les jetons de formulaire et les clés d'idempotence de l'API plus anciens que "
        f"{int(KEPT_FOR.total_seconds() // 3600)} heures "
        "(les pages le font aussi de temps à autre)."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        removed = purge_expired()
        self.stdout.write(f"{removed} envoi(s) supprimé(s).")
