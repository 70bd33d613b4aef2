import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from courtier.demo.loaders import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Crée ou met à jour la base, charge les données de démonstration et sert l'application "
        "(par défaut sur http://127.0.0.1:8000) avec un travailleur de tâches."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Charger les données sans démarrer le serveur."
        )

    def handle(self, *args, addrport: str, no_serve: bool, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        users = load_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Base de données : {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"Comptes (mot de passe : {DEMO_PASSWORD})")
        for person in users:
            self.stdout.write(f"  {person.email:<34} {person.role.label:<40} {person.organisation}")
        if no_serve:
            return
        # Emails and other background work run in a task worker next to the web server.
        worker = subprocess.Popen(
            [sys.executable, "-m", "courtier", "db_worker", "--interval", "1"],
            env=os.environ.copy(),
        )
        atexit.register(worker.terminate)
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(f"Courtier : http://{host}/  (Ctrl+C pour arrêter)")
        call_command("runserver", addrport, use_reloader=False)
