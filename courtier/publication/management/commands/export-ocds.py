"""`courtier export-ocds [--output FICHIER]`: the OCDS 1.1.5 release package of the concluded
contracts (issue 14 §6; what it publishes: courtier/publication/export.py), written to FICHIER
or, without it or with `-`, to the standard output; a summary on the standard error. The same
package as GET /api/v1/publication/ocds.json, with the ocid prefix OCDS_OCID_PREFIX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courtier.publication import export


class Command(BaseCommand):
    help = _("Écrit le paquet de publications OCDS 1.1.5 des contrats conclus.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output",
            default="-",
            help=_("Le fichier à écrire (« - » : la sortie standard, par défaut)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            built = export.release_package()
        except ValueError as error:  # e.g. an OCDS_OCID_PREFIX that is not "ocds-" + 6 characters
            raise CommandError(str(error)) from None
        text = built.text() + "\n"
        output = options.get("output") or "-"
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    _("Impossible d'écrire « %(path)s » : %(error)s")
                    % {"path": output, "error": error.strerror or error}
                ) from None
        self.stderr.write(
            _("%(contracts)s contrat(s) publié(s) en %(releases)s publication(s) OCDS.")
            % {"contracts": built.contracts, "releases": built.releases}
        )
