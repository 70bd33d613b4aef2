"""The French messages of acquisitions, one module shared by the code (services, checks, the
workflow, the API and the pages) and the tests, which compare what a refusal says with these.

Pure text: gettext_lazy, so each message reads in the reader's language when it is shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules

# --- services: the rules of each step (DOMAIN §3; 002 §2; 004 §3.3.2) -------------------------

NOT_A_CLIENT = _("Seul un organisme public ou un regroupement d'achats mène un dossier.")
GROUP_ONLY_FOR_GROUP_PURCHASER = _("Seul un regroupement d'achats mène un achat regroupé.")
TITLE_REQUIRED = _("Donnez un titre au dossier.")
WRONG_STEP = _("Cette action n'est pas possible à l'étape actuelle du dossier.")
TRANSITION_REFUSED = _("Ce passage n'est pas possible depuis l'étape actuelle du dossier.")
BROKER_ONLY = _("Seul le Courtier peut faire ce passage.")
NEEDS_MESSAGES = {
    rules.NeedsProblem.DURATION: _(
        "La durée désirée, renouvellements compris, est de 1 à 36 mois (3 ans au plus)."
    ),
    rules.NeedsProblem.ANSWER_MISSING: _("Répondez à cette question."),
    rules.NeedsProblem.NO_NEED: _("Ajoutez au moins une ligne au plan de consommation."),
    rules.NeedsProblem.QUANTITIES_LENGTH: _(
        "Indiquez une quantité pour chacun des mois de la durée désirée."
    ),
    rules.NeedsProblem.QUANTITY_RANGE: _(
        "Les quantités sont des nombres entiers de 0 à 10 000 000."
    ),
    rules.NeedsProblem.EMPTY_NEED: _(
        "Cette ligne n'a aucune quantité : retirez-la ou complétez-la."
    ),
    rules.NeedsProblem.EXIT_AFTER_END: _(
        "Les activités de transition à la sortie doivent se terminer avant la fin du contrat."
    ),
    rules.NeedsProblem.ENTRY_BEFORE_START: _(
        "Les activités d'entrée ne peuvent commencer qu'après la signature du contrat."
    ),
    rules.NeedsProblem.BUDGET: _("Indiquez le budget disponible, un montant positif."),
    rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI: _(
        "Des renseignements personnels communiqués hors Québec sont des renseignements "
        "personnels en cause : cochez aussi cette case."
    ),
    rules.NeedsProblem.START_DATE: _("Indiquez la date de début prévue du contrat."),
    rules.NeedsProblem.CATEGORY: _("Choisissez le volet du Catalogue recherché."),
}
UNKNOWN_CATEGORY = _("Ce volet n'existe pas au Catalogue.")
NEED_CODE_INVALID = _(
    "Le code ne contient que des lettres minuscules sans accent (a à z), des chiffres (0 à 9) et "
    "des tirets, 40 caractères au plus."
)
ANSWER_TOO_LONG = _("Au plus %(n)s caractères.")
NEED_LABEL_REQUIRED = _("Décrivez le besoin.")
NEED_UNKNOWN = _("Cette ligne n'existe pas dans le plan de consommation.")
NEED_KIND_INVALID = _("Nature de besoin inconnue.")
UNIT_INVALID = _("Unité inconnue.")
GROUP_QUANTITIES_FROM_MEMBERS = _(
    "Dans un achat regroupé, les quantités sont la somme de celles des organismes membres."
)
NOT_A_MEMBER = _("Cet organisme n'est pas membre du regroupement d'achats.")
DURATION_FIRST = _("Indiquez d'abord la durée désirée du contrat.")
# DOMAIN §3.1: a consumption plan's ceiling caps its growth (rules.plan_problem).
CEILING_BELOW_START = _("Le plafond ne peut être inférieur à la quantité initiale.")
PLAN_MESSAGES = {rules.PlanProblem.CEILING_BELOW_START: CEILING_BELOW_START}
QUANTITIES_EITHER = _(
    "Indiquez les quantités d'une seule façon : soit la quantité initiale (avec la croissance "
    "et le plafond), soit la liste des quantités mensuelles."
)
OFFER_NOT_QUALIFIED = _("Seules les offres qualifiées du Catalogue peuvent être retenues.")
OFFER_ALREADY_CANDIDATE = _("Cette offre est déjà dans la liste.")
NO_CANDIDATE = _("Retenez au moins une offre du Catalogue.")
REQUIREMENT_LABEL_REQUIRED = _("Décrivez l'exigence.")
AUTOMATIC_REQUIREMENT = _(
    "Cette exigence est vérifiée automatiquement à partir du Catalogue : elle ne se modifie pas."
)
VERDICT_INVALID = _("Choisissez « satisfaite », « non satisfaite » ou « à déterminer ».")
MAPPING_INVALID = _("Cette composante n'a pas de prix en vigueur dans cette offre.")
COMPLIANCE_MESSAGES = {
    rules.ComplianceProblem.NO_CANDIDATE: NO_CANDIDATE,
    rules.ComplianceProblem.UNKNOWN_LEFT: _(
        "Chaque exigence de chaque offre doit être satisfaite ou non satisfaite : il reste des "
        "résultats « à déterminer »."
    ),
    rules.ComplianceProblem.NO_COMPLIANT: _(
        "Aucune offre ne satisfait toutes les exigences : aucun scénario ne peut être calculé."
    ),
}
QUESTION_REQUIRED = _("Écrivez votre question.")
QUESTION_SUPPLIER_REQUIRED = _("Choisissez un fournisseur d'une offre de la liste.")
ANSWER_REQUIRED = _("Écrivez votre réponse.")
ALREADY_ANSWERED = _("Cette question a déjà reçu une réponse.")
TRIAL_MESSAGES = {
    rules.TrialProblem.TOO_LONG: _("Un banc d'essai dure au plus 60 jours."),
    rules.TrialProblem.TOO_MANY_UNITS: _(
        "Un banc d'essai porte sur au plus 30 unités de chaque offre, tous bancs d'essai de "
        "cette offre compris."
    ),
    rules.TrialProblem.NO_UNITS: _("Indiquez le nombre d'unités, au moins 1."),
    rules.TrialProblem.ENDS_BEFORE_START: _("La fin ne peut précéder le début."),
    rules.TrialProblem.ATTESTATION: _(
        "Attestez qu'aucun renseignement personnel ni confidentiel ne sera utilisé : le contrat "
        "n'est pas encore signé."
    ),
}
OFFER_NOT_CANDIDATE = _("Cette offre n'est pas dans la liste du dossier.")
REPORT_REQUIRED = _("Joignez le rapport du banc d'essai.")
NO_COMPLIANT_OFFER = COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_COMPLIANT]
CANNOT_PRICE = _(
    "Les scénarios ne peuvent être calculés avec ces quantités et ces prix : vérifiez le plan "
    "de consommation et les composantes retenues."
)
SCENARIO_NOT_CURRENT = _(
    "Ce scénario n'est pas un des scénarios calculés les plus récents du dossier."
)
SCENARIO_INCOMPLETE = _("Ce scénario ne couvre pas tous les besoins : il ne peut être choisi.")
CHOICE_MESSAGES = {
    rules.ChoiceProblem.NO_CHOICE: _("Choisissez un des scénarios calculés."),
    rules.ChoiceProblem.HEAD_AUTHORISATION: _(
        "Le scénario choisi n'est pas celui du plus bas prix : l'autorisation préalable du "
        "dirigeant d'organisme est requise (article 48 du RCTI)."
    ),
    rules.ChoiceProblem.OWN_RULE: _(
        "Le scénario choisi n'est pas celui du plus bas prix : indiquez la règle interne de "
        "votre organisme qui encadre ce choix."
    ),
    rules.ChoiceProblem.FINANCIAL_AUTHORISATION: _(
        "Consignez l'autorisation financière pour le montant total estimé du contrat."
    ),
    rules.ChoiceProblem.FINANCIAL_AMOUNT: _(
        "L'autorisation financière doit couvrir le montant total estimé : le scénario choisi "
        "et les ajouts prévus."
    ),
    rules.ChoiceProblem.STALE_SCENARIOS: _(
        "Les prix ou les besoins ont changé depuis le calcul : calculez de nouveau les scénarios."
    ),
}
HEAD_NOT_REQUIRED = _(
    "Le scénario choisi est celui du plus bas prix, ou l'organisme n'est pas assujetti au "
    "RCTI : l'autorisation du dirigeant n'est pas requise."
)
CRITERIA_REQUIRED = _("Choisissez au moins un critère lié à l'objet du contrat.")
CRITERION_INVALID = _("Critère inconnu.")
JUSTIFICATION_REQUIRED = _("Rédigez la justification présentée au dirigeant.")
HEAD_NAME_REQUIRED = _("Nommez le dirigeant d'organisme qui a autorisé le choix.")
DOCUMENT_REQUIRED = _("Joignez le document signé.")
AMOUNT_POSITIVE = _("Le montant doit être positif.")
ADDITIONS_NOT_NEGATIVE = _("Les ajouts prévus ne peuvent être négatifs.")
AUTHORISED_BY_REQUIRED = _("Nommez la personne qui a donné l'autorisation.")
DATE_IN_FUTURE = _("Cette date ne peut être dans le futur.")
EFVP_NOT_REQUIRED = _("Aucun renseignement personnel n'est en cause : l'EFVP n'est pas requise.")
PREREQUISITE_MESSAGES = {
    rules.Prerequisite.SUPPLIER_IDENTIFIED: _("Le fournisseur retenu n'est pas identifié."),
    rules.Prerequisite.SOLUTIONS_COMPLIANT: _(
        "Les solutions choisies ne sont plus toutes qualifiées ou conformes aux besoins."
    ),
    rules.Prerequisite.HEAD_AUTHORISATION: CHOICE_MESSAGES[rules.ChoiceProblem.HEAD_AUTHORISATION],
    rules.Prerequisite.FINANCIAL_AUTHORISATION: _(
        "L'autorisation financière pour le montant total du contrat n'est pas consignée."
    ),
    rules.Prerequisite.EFVP: _(
        "L'EFVP n'est pas réalisée alors que des renseignements personnels seront communiqués "
        "hors Québec : elle est obligatoire avant tout contrat (art. 70.1 de la Loi sur "
        "l'accès)."
    ),
}
MEETING_IN_PAST = _("La rencontre doit avoir lieu dans le futur.")
PARTICIPANTS_REQUIRED = _(
    "Indiquez au moins un participant de chaque partie : client, fournisseur."
)
PARTICIPANT_INVALID = _("Chaque participant a un nom et un courriel valide.")
MEETING_NOT_SCHEDULED = _("La rencontre de démarrage n'est pas encore convoquée.")
MEETING_NOT_HELD = _("La stratégie se fige après la rencontre de démarrage.")
CLIENT_ONLY = _("Seul l'organisme client peut faire ce passage.")

# --- the API: the request's own checks ------------------------------------------------------

REQUIRED = _("Ce champ est obligatoire.")
CLIENT_REQUIRED = _("Vous menez des dossiers pour plusieurs organismes : indiquez lequel (client).")
UNKNOWN_CLIENT = _("Cet organisme n'existe pas.")
UNKNOWN_OFFER = _("Cette offre n'existe pas au Catalogue.")
UNKNOWN_QUESTION = _("Question inconnue.")
ANSWER_TEXT = _("Répondez à cette question par du texte.")
ANSWER_BOOLEAN = _("Répondez à cette question par vrai ou faux.")
UNKNOWN_SCENARIO = _("Ce scénario n'existe pas dans le dossier.")

# --- the pages ----------------------------------------------------------------------------------

OFFER_NOT_FOUND = _("Aucune offre du Catalogue ne porte ce numéro ou ce code.")
OFFER_CODE_AMBIGUOUS = _(
    "Plusieurs offres du Catalogue portent ce code : indiquez plutôt le numéro de l'offre."
)
ACTION_UNKNOWN = _("Cette action n'existe pas.")
DONE_MESSAGES = {
    rules.Action.SUBMIT_NEEDS: _("Besoins définis : consultez maintenant le Catalogue (étape 2)."),
    rules.Action.CONFIRM_CANDIDATES: _(
        "Liste des offres établie : documentez la conformité de chacune (étape 3)."
    ),
    rules.Action.CLOSE_COMPLIANCE: _(
        "Liste des solutions conformes close : calculez les scénarios (étape 4)."
    ),
    rules.Action.CONFIRM_CHOICE: _(
        "Choix confirmé : le Courtier a été avisé pour la rencontre de démarrage (étape 5)."
    ),
    rules.Action.GO_BACK: _("Le dossier est revenu à l'étape précédente."),
    rules.Action.ABANDON: _("Le dossier est abandonné."),
}
