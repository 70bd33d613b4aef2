"""The French messages of service acquisitions (DOMAIN §4; 002 §3), shared by code and tests."""

from django.utils.translation import gettext_lazy as _

from courtier.pricerequests import rules

REQUIRED = _("Ce champ est obligatoire.")
WRONG_STEP = _("Le dossier n'est pas à l'étape où cette action est possible.")
TRANSITION_REFUSED = _("Cette action n'est pas possible à cette étape du dossier.")
REQUEST_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la demande de prix.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
BROKER_ONLY = _("Seul le Courtier peut faire cette action.")
PROVIDER_ONLY = _("Seul un prestataire sollicité peut faire cette action.")
UNKNOWN_CLIENT = _("Organisme client inconnu.")
NOT_A_CLIENT = _("Seul un organisme public client mène une acquisition de services.")
CLIENT_REQUIRED = _("Précisez l'organisme client : vous en représentez plusieurs.")
DURATION_RANGE = _("La durée va de 1 à 36 mois, renouvellements compris (DOMAIN §3.1).")
NEED_MISSING = _("Réponse requise pour passer à l'étape 2 (002 §3.1).")

# Step 2 (002 §3.1, §3.3.1).
NO_QUALIFICATION = _("Choisissez au moins une qualification du Courtier.")
UNKNOWN_QUALIFICATION = _("Qualification inconnue ou inactive : {codes}.")
SCOPE_NOT_CONFIRMED = _(
    "Confirmez que votre besoin fait partie de la portée des qualifications choisies "
    "(002 §3.1, « Descriptif des services par qualification »)."
)
NO_PROVIDER_QUALIFIED = _(
    "Aucun prestataire n'est qualifié dans toutes les qualifications choisies."
)
QUALIFICATIONS_LOCKED = _(
    "Les qualifications ne changent plus une fois la demande de prix soumise au Courtier."
)
# Step 3: the shortlist (002 §3.3.1).
EXCLUSION_REASON_REQUIRED = _(
    "Indiquez par écrit la raison objective d'écarter ce prestataire (002 §3.3.1)."
)
NOT_ON_SHORTLIST = _("Ce prestataire n'est pas dans la liste restreinte du dossier.")
NOBODY_SOLICITED = _("Sollicitez au moins un prestataire de la liste restreinte.")
SHORTLIST_LOCKED = _("La liste restreinte ne change plus une fois la demande de prix envoyée.")

# The price request (002 §3.3.2).
SECTION_MISSING = _("Section à compléter : toutes les sections du gabarit sont obligatoires.")
UNKNOWN_SECTION = _("Section inconnue du gabarit : {codes}.")
SUMMARY_REQUIRED = _("Le résumé du besoin accompagne la demande envoyée au Courtier (002 §3.3.2).")
ESTIMATE_REQUIRED = _("Le montant estimé du contrat accompagne la demande (002 §3.3.2).")
CRITERION_INVALID = _("Chaque critère a un code (lettres, chiffres, tirets) et un libellé.")
CRITERION_TWICE = _("Deux critères portent le même code.")
QUALITY_EVALUATION = _(
    "Aucune évaluation de la qualité n'est possible dans une demande de prix (002 §3.3.2) : "
    "un critère ne peut être pondéré ni noté."
)
REQUEST_NOT_EDITABLE = _(
    "La demande de prix ne se modifie qu'en rédaction ou une fois retournée par le Courtier."
)
CHANGE_NEEDS_VALIDATION = _(
    "Après l'envoi, une modification de la demande de prix doit être validée par le Courtier "
    "(002 §3.3.3) : soumettez-la comme modification."
)
CRITERIA_FROZEN = _(
    "Les critères autres que le prix sont déclarés avant l'envoi, jamais après (002 §3.4)."
)
RETURN_COMMENT_REQUIRED = _("Un commentaire explique au client ce qu'il doit corriger.")
SEND_BEFORE_VALIDATION = _(
    "La demande de prix ne peut être envoyée avant d'être validée par le Courtier (002 §3.3.2) : "
    "une demande envoyée sans validation oblige à recommencer le processus."
)
CHANGE_UNCHANGED = _("La modification soumise ne change aucune section.")
CANCEL_REASON_REQUIRED = _("Indiquez le motif de l'annulation : il est envoyé aux prestataires.")

# The deadline (002 §3.3.3).
DEADLINE_MESSAGES = {
    rules.DeadlineProblem.NOT_A_BUSINESS_DAY: _(
        "La date limite doit tomber un jour ouvrable (jours fériés du Québec et jours de "
        "fermeture du Courtier exclus)."
    ),
    rules.DeadlineProblem.TOO_SHORT: _(
        "Le délai de réponse est d'au moins 10 jours ouvrables (002 §3.3.3) : {days} jour(s) "
        "ouvrable(s) ici."
    ),
    rules.DeadlineProblem.TOO_LONG: _(
        "Le délai de réponse est d'au plus 15 jours ouvrables (002 §3.3.3) : {days} jours "
        "ouvrables ici."
    ),
    rules.DeadlineProblem.CUTOFF_AFTER_DEADLINE: _(
        "La fin des questions précède la date limite de réponse."
    ),
    rules.DeadlineProblem.CUTOFF_IN_PAST: _("La fin des questions ne peut précéder l'envoi."),
}
NO_EXTENSION = _(
    "Aucune prolongation du délai de réponse n'est possible, peu importe la raison (002 §3.3.3)."
)
TIME_FORMAT = _("Heure au format HH:MM (par exemple 14:00).")

# Questions (002 §3.3.3).
QUESTIONS_CLOSED = _("La période des questions est terminée : la fin des questions est passée.")
QUESTION_REQUIRED = _("Écrivez votre question.")
ANSWER_REQUIRED = _("Écrivez la réponse publiée à tous les prestataires sollicités.")
ALREADY_PUBLISHED = _("Cette réponse est déjà publiée à tous les prestataires sollicités.")
TEXT_TOO_LONG = _("Ce texte dépasse {limit} caractères.")

# Responses (002 §3.3.3).
DEADLINE_PASSED = _(
    "La date limite de réponse est passée : aucune réponse n'est reçue après la date limite "
    "(002 §3.3.3)."
)
REQUEST_NOT_OPEN = _("Cette demande de prix n'attend pas de réponse.")
ALREADY_SUBMITTED = _("Votre réponse est déjà déposée.")
DOCUMENT_MISSING = _("Document demandé manquant : {label}.")
UNKNOWN_DOCUMENT_ASKED = _("Ce document n'est pas demandé par la demande de prix.")
UNKNOWN_CRITERION = _("Critère inconnu de la demande de prix : {codes}.")
SEALED = _(
    "Les réponses restent scellées jusqu'à la date limite de réponse et leur ouverture "
    "(002 §3.3.3)."
)
DEADLINE_NOT_PASSED = _(
    "Les réponses s'ouvrent ensemble, une fois la date limite de réponse passée (002 §3.3.3)."
)
REQUEST_NOT_SENT = _("La demande de prix n'a pas été envoyée.")
CHANGE_PENDING = _("Une modification attend la validation du Courtier.")
PRICE_MESSAGES = {
    rules.PriceProblem.NO_LINES: _("Indiquez au moins une activité avec son taux et ses heures."),
    rules.PriceProblem.LUMP_SUM_REQUIRED: _("Indiquez le prix forfaitaire, plus de 0 $."),
    rules.PriceProblem.RATE: _("Taux horaire en cents, plus de 0 et au plus 100 000 $."),
    rules.PriceProblem.HOURS: _(
        "Heures estimées : plus de 0, au plus 100 000, deux décimales au plus."
    ),
    rules.PriceProblem.ACTIVITY: _("Nommez l'activité."),
    rules.PriceProblem.MODE: _("Le prix suit le mode de rémunération de la demande de prix."),
}

# Non-participation (002 §3.5).
REASON_REQUIRED = _("Cochez au moins une raison.")
UNKNOWN_REASON = _("Raison inconnue : {codes}.")
ALREADY_RETURNED = _("Le questionnaire de non-participation est déjà retourné.")

# The choice (002 §3.4).
NOT_OPENED = _("Les réponses ne sont pas encore ouvertes.")
NOT_SUBMITTED = _("Cette réponse n'a pas été déposée.")
INCOMPLETE_CHOICE = _("Seule une réponse jugée complète peut être retenue (002 §3.4).")
UNDECLARED_CRITERION = _(
    "Critère non déclaré dans la demande de prix : {codes}. Un critère autre que le prix ne "
    "compte que s'il figure à la demande (002 §3.4)."
)
JUSTIFICATION_REQUIRED = _(
    "Le choix d'une réponse autre que celle au prix le plus bas repose sur au moins un critère "
    "déclaré et une justification (002 §3.4)."
)
HEAD_NOT_REQUIRED = _("Le choix retenu ne requiert pas l'autorisation du dirigeant d'organisme.")
HEAD_NAME_REQUIRED = _("Nommez le dirigeant d'organisme qui autorise.")
AUTHORISED_IN_FUTURE = _("La date de l'autorisation ne peut être dans le futur.")
DOCUMENT_REQUIRED = _("Joignez le document signé.")
AMOUNT_POSITIVE = _("Le montant autorisé est plus de 0 $.")
HANDOFF_MESSAGES = {
    rules.HandoffProblem.NO_CHOICE: _("Retenez une réponse."),
    rules.HandoffProblem.CHOICE_INCOMPLETE: _(
        "La réponse retenue doit être jugée complète (002 §3.4)."
    ),
    rules.HandoffProblem.COMPLETENESS_UNDECIDED: _(
        "Vérifiez la complétude de chaque réponse reçue (002 §3.4)."
    ),
    rules.HandoffProblem.HEAD_AUTHORISATION: _(
        "Le choix d'une réponse autre que celle au prix le plus bas requiert l'autorisation "
        "préalable du dirigeant d'organisme (RCTI, art. 48 ; 002 §3.4)."
    ),
    rules.HandoffProblem.OWN_RULE: _(
        "Indiquez la règle interne de votre organisme qui permet ce choix."
    ),
    rules.HandoffProblem.FINANCIAL_AUTHORISATION: _(
        "Obtenez l'autorisation financière du montant total du contrat (002 §3.4)."
    ),
    rules.HandoffProblem.FINANCIAL_AMOUNT: _(
        "L'autorisation financière ne couvre pas le prix total de la réponse retenue."
    ),
}
CANCEL_FIRST = _(
    "Annulez d'abord la demande de prix envoyée : les prestataires sollicités en sont avisés."
)
GO_BACK_AFTER_SUBMISSION = _(
    "La demande de prix est déjà soumise au Courtier : le dossier ne revient plus en arrière."
)
