"""``courtier import-prices FILE --supplier ...``: import a supplier's price file from the command
line (issue 3 §4), through the same service as the page, with a progress bar on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction
from django.http import Http404

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.catalogue import rules
from courtier.catalogue.models import ImportStatus, SheetDraft
from courtier.catalogue.pricefile.importing import price_import_run
from courtier.catalogue.pricefile.uploads import price_import_create
from courtier.catalogue.services.drafts import sheet_draft_create

BAR_WIDTH = 30


def grouped(n: int) -> str:
    """1000000 -> "1 000 000" (French grouping)."""
    return f"{n:,}".replace(",", " ")


class ProgressBar:
    """``\\r[#####.....] 52 % 520 000/1 000 000 lignes`` on one line of the terminal."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.shown = ""
        self.writing = False

    def __call__(self, done: int, total: int, writing: bool = False) -> None:
        if writing:
            self(done, total)
            self.out.write("")
            self.out.write("Enregistrement des lignes…", ending="")
            self.out.flush()
            return
        percent = min(100, done * 100 // total) if total else 100
        filled = BAR_WIDTH * percent // 100
        text = (
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d} % "
            f"{grouped(done)}/{grouped(total)} lignes"
        )
        if text != self.shown:
            self.out.write(text, ending="")
            self.out.flush()
            self.shown = text

    def finish(self) -> None:
        if self.shown:
            self.out.write("")
            self.out.flush()


class Command(BaseCommand):
    help = (
        "Importe un fichier de prix (CSV ou XLSX, voir docs/fichier-de-prix.md) dans la "
        "proposition de fiche d'un fournisseur. Si une ligne est refusée, rien n'est importé et "
        "chaque erreur est affichée (code de sortie 1)."
    )

    # One transaction for the whole command: a refused file leaves nothing behind, not even the
    # proposal opened for it nor the import's record (issue 10 §7). The page's import keeps its
    # record instead: that is where the person reads the errors.

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Le fichier de prix (.csv ou .xlsx).")
        parser.add_argument(
            "--supplier", required=True, help="Le fournisseur : son numéro ou son nom exact."
        )
        parser.add_argument(
            "--draft",
            type=int,
            help="La proposition à compléter (par défaut : la proposition ouverte du "
            "fournisseur, créée au besoin).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publier la proposition dans la même transaction, si l'importation réussit.",
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            help="Le courriel de la personne au nom de qui importer (par défaut : le système).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            self._import(options)  # _refuse() exits inside it: everything is rolled back

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        supplier = self._supplier(options["supplier"])
        by = self._person(options["as_email"])
        if (
            options["publish"]
            and by is not None
            and not permissions.has_perm(by, Perm.PUBLISH_CATALOGUE)
        ):
            raise CommandError(f"{by.email} ne peut pas publier de fiche (--publish).")
        try:
            draft = self._draft(supplier, options["draft"], by)
            with path.open("rb") as stream:
                created = price_import_create(
                    by=by, draft=draft, name=path.name, stream=stream, in_background=False
                )
        except ValidationError as exc:
            self._refuse(exc.messages)
        except (PermissionDenied, Http404):
            raise CommandError(
                f"{by.email if by else 'Le système'} ne peut pas modifier la fiche de "
                f"{supplier.name}."
            ) from None
        self.stderr.write(
            f"Importation de {path.name} dans la proposition n° {draft.pk} ({supplier.name})"
        )
        bar = ProgressBar(self.stderr)
        try:
            result = price_import_run(
                import_id=created.pk, publish=options["publish"], progress=bar
            )
        finally:
            bar.finish()
        if result.status != ImportStatus.SUCCEEDED:
            for error in result.errors:
                where = f"ligne {error['line']}" if error["line"] else "fichier"
                column = f", colonne {error['column']}" if error["column"] else ""
                self.stderr.write(f"{where}{column} : {error['message']}")
            hidden = result.error_count - len(result.errors)
            if hidden > 0:
                self.stderr.write(f"… et {grouped(hidden)} autres erreurs.")
            self._refuse([f"Fichier refusé : {grouped(result.error_count)} erreur(s)."])
        self.stdout.write(
            f"{grouped(result.lines_imported)} lignes de prix importées dans la proposition "
            f"n° {draft.pk} ({supplier.name})."
        )
        if options["publish"]:
            draft.refresh_from_db()
            self.stdout.write(f"Proposition publiée : {draft.version.name}.")

    def _refuse(self, messages: list[str]) -> NoReturn:
        for message in messages:
            self.stderr.write(str(message))
        self.stderr.write("Rien n'a été importé.")
        sys.exit(1)

    @staticmethod
    def _supplier(value: str) -> Organisation:
        suppliers = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER)
        found = suppliers.filter(pk=int(value)).first() if value.isdigit() else None
        found = found or suppliers.filter(name=value).first()
        if found is None:
            raise CommandError(f"Aucun fournisseur ne porte le numéro ou le nom « {value} ».")
        return found

    @staticmethod
    def _person(email: str | None) -> User | None:
        if not email:
            return None
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise CommandError(f"Aucun compte actif pour « {email} ».")
        return person

    @staticmethod
    def _draft(supplier: Organisation, pk: int | None, by: User | None) -> SheetDraft:
        if pk is not None:
            draft = SheetDraft.objects.filter(pk=pk, supplier=supplier).first()
            if draft is None:
                raise CommandError(f"La proposition n° {pk} n'est pas une de {supplier.name}.")
            return draft
        draft = SheetDraft.objects.filter(
            supplier=supplier, status__in=rules.OPEN_DRAFT_STATES
        ).first()
        return draft or sheet_draft_create(
            by=by, supplier=supplier, summary="Importation d'un fichier de prix"
        )
