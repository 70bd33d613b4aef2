import atexit
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from courtier.demo.loaders import DEMO_PASSWORD, load_demo
from courtier.demo.worker import WorkerSupervisor

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def served_url(addrport: str) -> str:
    """The address the demo serves on, as links in emails must show it: ``8765`` and
    ``127.0.0.1:8765`` are http://127.0.0.1:8765; a server listening on every interface
    (``0.0.0.0``, ``[::]``) is reached on this machine at 127.0.0.1."""
    host, _, port = addrport.rpartition(":")
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "[::]", "::"):  # noqa: S104 - the address listened on, not bound here
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Crée ou met à jour la base, charge les données de démonstration et sert l'application "
        "(par défaut sur http://127.0.0.1:8000) avec un travailleur de tâches."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        parser.add_argument(
            "--no-serve", action="store_true", help="Charger les données sans démarrer le serveur."
        )

    def handle(self, *args, addrport: str, no_serve: bool, **options):  # type: ignore[no-untyped-def]
        previous = settings.SITE_URL
        site_url = self.follow_address(addrport)
        try:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
            users = load_demo()  # its emails are written now: with the served address
        finally:
            if no_serve:  # this process serves nothing: leave its setting as it was
                settings.SITE_URL = previous
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Base de données : {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"Comptes (mot de passe : {DEMO_PASSWORD})")
        for person in users:
            self.stdout.write(f"  {person.email:<42} {person.role.label:<40} {person.organisation}")
        if no_serve:
            return
        # Emails and other background work run in a task worker next to the web server, with
        # the same SITE_URL; it is started again whenever it exits.
        worker = WorkerSupervisor(
            [sys.executable, "-m", "courtier", "db_worker", "--interval", "1"],
            env={**os.environ, "SITE_URL": site_url},
            report=self.stderr.write,
        ).start()
        atexit.register(worker.stop)
        self.stdout.write(f"Courtier : {site_url}/  (Ctrl+C pour arrêter)")
        call_command("runserver", addrport, use_reloader=False)

    @staticmethod
    def follow_address(addrport: str) -> str:
        """Links in emails point where the demo serves, unless SITE_URL was set explicitly
        (a proxy in front of the demo): the setting of this process, and the worker's."""
        site_url = os.environ.get("SITE_URL") or served_url(addrport)
        settings.SITE_URL = site_url.rstrip("/")
        return settings.SITE_URL
