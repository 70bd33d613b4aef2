"""`courtier verify-document FILE`: is this PDF the version the broker validated (DOMAIN §7;
002 §4.5)? Prints in French the verdict of ``verification.verify_pdf``, what was validated,
its code, by whom and when, and the signatures added since; its exit code says the verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courtier.core.formatting import moment
from courtier.documents.verification import Status, Verification, verify_pdf

EXIT_CODES = {
    Status.VALIDATED: 0,
    Status.VALIDATED_SIGNED: 0,
    Status.ALTERED: 1,
    Status.UNKNOWN: 2,
}


class Command(BaseCommand):
    help = _(
        "Vérifie qu'un PDF est la version validée par le Courtier (son cachet et les signatures "
        "ajoutées depuis). Code de sortie : 0 si c'est la version validée, telle quelle ou signée "
        "depuis; 1 si le document a été altéré; 2 s'il ne porte aucun cachet du Courtier (ou "
        "n'est pas un PDF, ou ne peut pas être lu)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help=_("Le fichier PDF à vérifier"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            message = _("Le fichier %(path)s ne peut pas être lu : %(error)s")
            raise CommandError(
                message % {"path": path, "error": error.strerror or error}, returncode=2
            ) from None
        result = verify_pdf(content)
        self._report(result)
        code = EXIT_CODES[result.status]
        if code:
            raise CommandError(result.label, returncode=code)

    def _report(self, result: Verification) -> None:
        out = self.stdout.write
        out(f"{result.label} : {result.message}")
        for problem in result.problems:
            out(f"- {problem}")
        if result.validated is not None:
            out(_("Version validée : %(label)s") % {"label": result.validated_label})
            out(_("Code de vérification : %(code)s") % {"code": result.code})
            out(
                _("Validée par %(name)s le %(moment)s")
                % {"name": result.validated_by_name, "moment": moment(result.validated_at)}
            )
        if result.signatures:
            out(_("Signatures ajoutées depuis le cachet :"))
        for signature in result.signatures:
            when = moment(signature.signed_at) if signature.signed_at else _("date inconnue")
            state = "" if signature.intact else _(" (signature invalide)")
            out(f"- {signature.signer_name or signature.field}, {when}{state}")
        out(_("Empreinte SHA-256 du fichier : %(sha256)s") % {"sha256": result.sha256})
