from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courtier.core.workflow_docs import workflows_markdown

DEFAULT_PATH = Path("docs") / "workflows.md"


class Command(BaseCommand):
    help = "Écrit docs/workflows.md à partir des workflows déclarés (--check : vérifie seulement)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--output", default=str(DEFAULT_PATH))
        parser.add_argument(
            "--check", action="store_true", help="Sortir avec le code 1 si le fichier diffère."
        )

    def handle(self, *args, output: str, check: bool, **options):  # type: ignore[no-untyped-def]
        path, text = Path(output), workflows_markdown()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} n'est pas à jour : lancez courtier workflows-doc.")
            self.stdout.write(f"{path} est à jour.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path} écrit.")
