"""The French messages of the SEAO sheet and the list of concluded contracts (002 §4.1, §4.7),
shared by code and tests."""

from django.utils.translation import gettext_lazy as _

from courtier.publication import rules

REQUIRED = _("Ce champ est obligatoire.")
TEXT_TOO_LONG = _("Au plus {limit} caractères.")
NOT_CONCLUDED = _("Le contrat n'est pas encore conclu.")
NOT_RCTI = _("Seuls les clients assujettis au RCTI publient le contrat dans SEAO (002 §4.1).")
ALREADY_PUBLISHED = _("La fiche est déjà marquée publiée dans SEAO.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
UNSPSC_REQUIRED = _("Choisissez au moins une catégorie UNSPSC.")
UNSPSC_NOT_ALLOWED = _(
    "Cette catégorie UNSPSC n'est pas prévue pour ce type de contrat (002 §4.1)."
)
CHECKLIST_UNKNOWN = _("Cet élément ne fait pas partie de la liste de vérification.")
CHECKLIST_INCOMPLETE = _("Cochez chaque élément de la liste de vérification avant de publier.")
DATE_BEFORE_CONCLUSION = _("La date de publication ne peut précéder la conclusion du contrat.")
DATE_IN_FUTURE = _("La date de publication ne peut être dans le futur.")
CONTACT_NOT_OF_CLIENT = _("La personne-ressource doit être une personne de l'organisme client.")
CONSENT_IN_FORCE = _(
    "Un consentement est déjà en vigueur pour ce contrat : révoquez-le avant d'en donner un autre."
)
NO_CONSENT = _("Aucun consentement en vigueur pour ce contrat.")

# The pure rules' problem keys, in French.
PROBLEMS = {
    rules.UNSPSC_REQUIRED: UNSPSC_REQUIRED,
    rules.UNSPSC_NOT_ALLOWED: UNSPSC_NOT_ALLOWED,
    rules.CHECKLIST_UNKNOWN: CHECKLIST_UNKNOWN,
    rules.CHECKLIST_INCOMPLETE: CHECKLIST_INCOMPLETE,
    rules.DATE_REQUIRED: REQUIRED,
    rules.DATE_BEFORE_CONCLUSION: DATE_BEFORE_CONCLUSION,
    rules.DATE_IN_FUTURE: DATE_IN_FUTURE,
}
