"""`courtier verify-documents`: re-hash every kept document's content; exit 1 naming each
mismatch or missing content (run daily, e.g. `30 5 * * * courtier verify-documents`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courtier.documents.services.integrity import documents_verify


class Command(BaseCommand):
    help = _("Vérifie l'empreinte SHA-256 du contenu de chaque document conservé.")

    def handle(self, *args, **options) -> None:
        checked, problems = 0, []
        for _version, problem in documents_verify():
            checked += 1
            if problem is not None:
                problems.append(problem)
                self.stderr.write(problem.describe())
        counts = {"checked": checked, "problems": len(problems)}
        self.stdout.write(_("%(checked)s versions vérifiées, %(problems)s problème(s).") % counts)
        if problems:
            raise CommandError(_("%(problems)s document(s) altéré(s) ou absent(s).") % counts)
