"""The French messages of specific contracts (DOMAIN §3.5, §5; 002 §2.5, §4), shared by code and
tests."""

from django.utils.translation import gettext_lazy as _

REQUIRED = _("Ce champ est obligatoire.")
TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel du contrat.")
AMENDMENT_REFUSED = _("Cette action n'est pas possible dans l'état actuel de l'avenant.")
BROKER_ONLY = _("Seul un agent du Courtier peut faire cette action.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
SIGNATORY_ONLY = _("Seul un signataire désigné de l'organisme client peut signer pour lui.")
SUPPLIER_ONLY = _("Seul un représentant du fournisseur ou du prestataire peut signer pour lui.")
SYSTEM_ONLY = _("Ce changement d'état se fait à la date prévue.")
TEXT_TOO_LONG = _("Au plus {limit} caractères.")

# Creation (002 §2.5, §3.5): never by hand.
STRATEGY_NOT_FROZEN = _(
    "Le contrat se prépare à partir d'une stratégie d'acquisition figée à la rencontre de "
    "démarrage (002 §2.5)."
)
HANDOFF_MISSING = _(
    "Le contrat se prépare à partir du dossier remis au Courtier par le client (002 §3.5)."
)
SOURCE_TAKEN = _("Un contrat existe déjà pour ce dossier.")
SOURCE_REQUIRED = _("Indiquez la stratégie figée ou le dossier remis qui fonde le contrat.")
DURATION_TOO_LONG = _(
    "La durée totale d'un contrat ne dépasse pas 36 mois, reconductions et avenants compris "
    "(002 §4.5)."
)
DURATION_TOO_SHORT = _("La durée est d'au moins un mois.")
AMOUNT_POSITIVE = _("Le montant total autorisé est positif.")
START_REQUIRED = _("Indiquez la date de début du contrat.")

# Preparation (002 §2.5 steps 4-6).
NOT_IN_PREPARATION = _("Le contrat ne se modifie qu'en préparation par le Courtier.")
ELIGIBILITY_MISSING = _(
    "Le client doit avoir confirmé l'admissibilité administrative du fournisseur "
    "(002 §2.5, étape 4)."
)
SIGNATORIES_MISSING = _("Désignez au moins un signataire du client et un du fournisseur.")
SIGNATORY_USER_WRONG = _(
    "Un signataire dans la plateforme est une personne de la partie qu'il représente, avec le rôle "
    "voulu (signataire autorisé pour le client)."
)
TOO_MANY_SIGNATORIES = _("Au plus {limit} signataires.")
NO_DOCUMENT = _("Générez d'abord le contrat et ses annexes.")
DOCUMENT_STALE = _("Le contrat a changé depuis sa dernière génération : générez-le de nouveau.")
STARTUP_DECISION_MISSING = _(
    "Pour une reconduction avec le même fournisseur, indiquez si une rencontre de démarrage a "
    "été nécessaire (002 §2.5)."
)
COMMENT_REQUIRED = _("Expliquez ce qui doit être corrigé.")

# Signatures (002 §2.5 steps 7-9; DOMAIN §7).
NOT_A_SIGNATORY = _("Vous n'êtes pas un signataire désigné de ce document.")
ALREADY_SIGNED = _("Ce signataire a déjà signé.")
OUT_OF_ORDER = _(
    "Les signatures se font dans l'ordre : les signataires du client dans l'ordre prévu, puis le "
    "fournisseur (002 §2.5, étapes 8 et 9)."
)
NOT_SIGNABLE = _("Seule la version finale validée par le Courtier se signe.")
NOT_THE_STAMPED_VERSION = _(
    "Ce n'est pas la version validée par le Courtier : les versions finales se signent telles "
    "que présentées (002 §2.3.1)."
)
PASSWORD_WRONG = _("Mot de passe incorrect : signer exige de confirmer votre identité.")
PAPER_COPY_NOT_PDF = _("La copie signée est un fichier PDF.")
SIGNED_ON_FUTURE = _("La date de signature ne peut pas être dans le futur.")
SIGNED_ON_BEFORE_STAMP = _("La date de signature précède la validation par le Courtier.")
SIGNED_COPY_NOT_AWAITED = _("Aucune copie signée n'est attendue pour ce contrat.")

# Amendments (002 §4.5).
AMENDMENT_NOT_OPEN = _("Un avenant ne se demande que sur un contrat conclu ou en vigueur.")
CHANGE_PROBLEMS = {
    "no_change": _("Décrivez au moins une modification."),
    "months_invalid": _("Une prolongation est d'au moins un mois."),
    "amount_invalid": _("Une hausse du montant autorisé est positive."),
    "too_long": _(
        "Impossible : la durée totale du contrat dépasserait trois ans (002 §4.5, dispositions "
        "réglementaires et législatives)."
    ),
    "solution_outside": _(
        "Impossible : la portée des solutions ne change pas, sauf pour ajouter une composante ou "
        "une activité en lien avec les offres prévues au contrat (002 §4.5)."
    ),
    "services_outside": _(
        "Impossible : les services ajoutés doivent faire partie de la portée des qualifications "
        "du contrat (002 §4.5)."
    ),
    "conditions": _(
        "Impossible : seul le Courtier peut modifier les conditions contractuelles, en vertu de "
        "l'entente-cadre (002 §4.5)."
    ),
    "unknown_change": _("Modification inconnue."),
}
AMENDMENT_PENDING = _("Un autre avenant de ce contrat est déjà en cours.")

# Consumption (002 §4.4).
NOT_SIGNED = _("Les commandes et les factures s'enregistrent sur un contrat conclu ou en vigueur.")
ORDER_BEYOND_AUTHORISED = _(
    "Commande refusée : elle porterait les commandes au-delà de 100 % du montant autorisé "
    "({authorised}). Un avenant doit d'abord augmenter le montant (002 §4.4, §4.5)."
)
ENTRY_TWICE = _("Ce numéro est déjà enregistré pour ce contrat.")
ENTRY_DATE_BEFORE_START = _("La date précède le début du contrat.")
CSV_HEADER = _("L'en-tête attendu est : {columns}.")
CSV_LINE = _("Ligne {line} : {problem}")
CSV_EMPTY = _("Le fichier ne contient aucune ligne.")
CSV_NOT_TEXT = _("Le fichier n'est pas un CSV lisible (UTF-8).")
KIND_UNKNOWN = _("Type inconnu : « commande » ou « facture ».")

# Termination.
NOT_TERMINABLE = _("Seul un contrat conclu ou en vigueur se résilie.")
EFFECTIVE_BEFORE_START = _("La prise d'effet précède le début du contrat.")
EFFECTIVE_AFTER_END = _("La prise d'effet suit la fin prévue du contrat.")
LETTER_REQUIRED = _("Joignez la lettre de résiliation.")

# Consumption and termination, continued (002 §4.4; DOMAIN §7).
ENTRY_AMOUNT_POSITIVE = _("Le montant est positif.")
DATE_INVALID = _("Date invalide : AAAA-MM-JJ (ou JJ/MM/AAAA).")
AMOUNT_INVALID = _(
    "Montant invalide : en dollars, avec au plus deux décimales après la virgule ou le point "
    "(ex. 1234,56)."
)
CSV_COLUMNS = _("{count} colonne(s) au lieu de {expected}.")
CSV_TOO_MANY_LINES = _("Au plus {limit} lignes par fichier.")
LETTER_NOT_PDF = _("La lettre de résiliation est un fichier PDF.")

# Amendments (helper « amendments »): the management fee (002 §4.5).
FEE_INVALID = _("Les frais de gestion de l'avenant sont un montant positif ou nul (002 §4.5).")

# Generation (helper « generation »): the PDF from the broker's template (002 §2.5, §4.5).
NOT_GENERABLE = _("Le contrat ne se génère qu'en préparation par le Courtier.")
AMENDMENT_NOT_GENERABLE = _("L'avenant ne se génère qu'en préparation par le Courtier.")
