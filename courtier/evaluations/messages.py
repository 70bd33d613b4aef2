"""The French messages of performance evaluations (DOMAIN §5.8; 002 §4.8), shared by code and
tests."""

from django.utils.translation import gettext_lazy as _

REQUIRED = _("Ce champ est obligatoire.")
TEXT_TOO_LONG = _("Au plus {limit} caractères.")
BROKER_ONLY = _("Seul un agent du Courtier peut faire cette action.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
SYSTEM_ONLY = _("Ce changement d'état se fait à la fermeture de la campagne.")
CAMPAIGN_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la campagne.")
REQUEST_REFUSED = _("Cette évaluation est déjà transmise ou close : elle ne change plus.")

# The grid (002 §4.8): one message per problem key of rules.grid_problems.
GRID_PROBLEMS = {
    "version_invalid": _("Le numéro de version commence à 1."),
    "no_criteria": _("La grille compte au moins un critère."),
    "criterion_unnamed": _("Chaque critère a une clé et un libellé."),
    "duplicate_criterion": _("Deux critères ne partagent pas la même clé."),
    "weight_invalid": _("Chaque pondération est un pourcentage positif."),
    "weights_not_100": _("Les pondérations des critères totalisent exactement 100 %."),
    "scale_invalid": _("L'échelle compte au moins deux échelons (minimum inférieur au maximum)."),
}
TOO_MANY_CRITERIA = _("Une grille compte au plus {limit} critères.")

# The evaluation (002 §4.8.1): one message per problem key of rules.score_problems.
SCORE_PROBLEMS = {
    "score_missing": _("Chaque critère reçoit une note avant la transmission."),
    "unknown_criterion": _("Ce critère n'est pas dans la grille de la campagne."),
    "score_out_of_scale": _("La note est un nombre entier de l'échelle de la grille."),
}

# Campaigns (002 §4.8.1).
NO_GRID = _("Aucune grille d'évaluation n'est publiée : publiez-en une version d'abord.")
NOT_A_SUPPLIER = _("La campagne porte sur un fournisseur ou un prestataire de services.")
CAMPAIGN_EXISTS = _("Une campagne existe déjà pour ce fournisseur cette année.")
NO_CONTRACT_IN_FORCE = _(
    "Aucun organisme client n'a de contrat en vigueur avec ce fournisseur : personne à consulter."
)
DUE_IN_PAST = _("La date limite est aujourd'hui ou plus tard.")
YEAR_INVALID = _("Indiquez une année entre 2000 et 2100.")

# The end-of-contract evaluation (002 §4.8.2; RCTI art. 82).
NOT_RCTI = _("L'évaluation de fin de contrat vise les organismes assujettis au RCTI (art. 82).")
CONTRACT_NOT_CLOSED = _("Le contrat n'est pas terminé ni résilié.")
ALREADY_STATED = _("Le client a déjà indiqué si l'évaluation est requise.")
NOT_REQUIRED = _("L'évaluation n'est pas requise pour ce contrat.")
REPORT_NOT_PDF = _("Le rapport d'évaluation est un fichier PDF.")
REPORT_REQUIRED = _("Déposez d'abord le rapport d'évaluation (PDF).")
ALREADY_SIGNED = _("Le dirigeant d'organisme a déjà signé le rapport.")
HEAD_ONLY = _("Seul le dirigeant de l'organisme client signe le rapport dans la plateforme.")
PASSWORD_WRONG = _("Mot de passe incorrect.")
SIGNED_ON_FUTURE = _("La date de signature n'est pas dans le futur.")
SIGNED_ON_BEFORE_END = _("La date de signature suit la fin du contrat.")
NOT_SIGNED_YET = _("Le dirigeant d'organisme n'a pas encore signé le rapport.")
ALREADY_TRANSMITTED = _("Le rapport signé est déjà transmis au Courtier.")
