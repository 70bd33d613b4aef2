"""The price file's limits, in French (issue 11 §3), shared by the code and the tests: the
upload's refusals (each naming the file) and the problems of a file beyond the limits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.catalogue.pricefile.layout import Problem

FILE_TYPE_NAMED = _(
    "« %(name)s » : choisissez un fichier CSV ou XLSX (classeur Excel) sans macros."
)
# An upload refused by the price file's own checks: the file's name, then the problem.
REFUSED_NAMED = _("« %(name)s » : %(problem)s")
WORKER_FAILED = _(
    "L'importation a échoué : la tâche qui la traitait s'est arrêtée sur une erreur. "
    "Importez le fichier de nouveau ; si l'erreur revient, avisez le Courtier."
)
STALLED = _(
    "L'importation a été interrompue (aucun progrès depuis %(minutes)s minutes : le traitement "
    "s'est arrêté). Importez le fichier de nouveau."
)
LIMIT_MESSAGES = {
    Problem.TOO_MANY_ROWS: _(
        "Le fichier dépasse %(max)s lignes de prix : scindez-le en plusieurs fichiers."
    ),
    Problem.TOO_MANY_COLUMNS: _(
        "La ligne %(line)s a des cellules au-delà de la colonne %(max)s : le fichier de prix en "
        "a 12. Supprimez les colonnes en trop."
    ),
    Problem.SHEET_TOO_LARGE: _(
        "La feuille déclare %(rows)s lignes et %(columns)s colonnes, au-delà de %(max_rows)s "
        "lignes de prix et %(max_columns)s colonnes : supprimez les lignes et les colonnes "
        "vides ou scindez le fichier."
    ),
    Problem.CELL_TOO_LONG: _("Une cellule de la ligne %(line)s dépasse %(max)s caractères."),
    Problem.LINE_TOO_LONG: _(
        "La ligne %(line)s dépasse %(max)s caractères : ce n'est pas un fichier de prix."
    ),
    Problem.PART_TOO_LARGE: _(
        "Le classeur contient une partie trop volumineuse (%(part)s, plus de %(max)s Mo) : "
        "enregistrez-le de nouveau avec une seule feuille."
    ),
}
