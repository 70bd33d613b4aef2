from django.core.management.base import BaseCommand, CommandError

from courtier.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes du journal d'audit; code de sortie 1 au premier bris."

    def handle(self, *args: object, **options: object) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            where = f"événement n° {broken.seq}"
            if broken.event_id is not None:
                where += f" (id {broken.event_id})"
            raise CommandError(f"Journal d'audit altéré : {where} : {broken.reason}.")
        self.stdout.write(f"Journal d'audit intègre : {checked} événements vérifiés.")
