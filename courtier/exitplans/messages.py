"""The French messages of the exit transition (DOMAIN §5.9; 002 §4.9), shared by code and
tests."""

from django.utils.translation import gettext_lazy as _

TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel du plan de sortie.")
BROKER_ONLY = _("Seul un agent du Courtier peut faire cette action.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
TEXT_TOO_LONG = _("Au plus {limit} caractères.")
COMMENT_REQUIRED = _("Dites au client ce qui doit être corrigé.")

# The plan and its contract (002 §4.9).
PLAN_NOT_REQUIRED = _(
    "Un plan de transition à la sortie ne vise que les contrats de solutions infonuagiques "
    "(002 §4.9) ; un contrat de services n'en a pas."
)
CONTRACT_NOT_SIGNED = _(
    "Le plan de transition à la sortie se prépare pour un contrat conclu ou en vigueur."
)
PLAN_EXISTS = _("Ce contrat a déjà son plan de transition à la sortie.")
NOT_EDITABLE = _("Le plan ne se modifie qu'en préparation ou une fois retourné par le Courtier.")
WARNING_MONTHS_INVALID = _("Le préavis de sortie se compte en mois, de 1 à 36.")
FOLLOW_UP_OTHER_CLIENT = _(
    "Le dossier d'acquisition suivant est un dossier du même organisme client."
)
NEW_CONTRACT_INVALID = _(
    "Le contrat du nouveau fournisseur est un autre contrat du même organisme client, conclu "
    "avec un autre fournisseur."
)
NEW_CONTRACT_WITH_SAME_SUPPLIER = _(
    "Avec le même fournisseur, il n'y a pas de contrat d'un nouveau fournisseur à indiquer."
)

# The activities (002 §4.9).
TOO_MANY_ACTIVITIES = _("Au plus {limit} activités.")
ACTIVITY_NAME_REQUIRED = _("Activité {n} : nommez l'activité.")
ACTIVITY_DATES_REQUIRED = _("Activité {n} : indiquez son début et sa fin.")
ACTIVITY_END_BEFORE_START = _("Activité {n} : la fin précède le début.")
ACTIVITY_NOT_RUNNING = _(
    "Une activité se marque faite une fois le plan soumis, jusqu'à la fin de la transition."
)
DONE_IN_FUTURE = _("La date où l'activité a été faite ne peut pas être future.")
ACTIVITIES_NOT_DONE = _("Activités pas encore faites : {names}.")

# The reasons rules.plan_problems gives (002 §4.9), with the field each is shown on.
PROBLEMS = {
    "none_needed_new_supplier": (
        "none_needed",
        _(
            "Seul un contrat suivant conclu avec le même fournisseur peut se passer d'activités "
            "de transition à la sortie ; avec un nouveau fournisseur, prévoyez-les (002 §4.9)."
        ),
    ),
    "activities_with_none_needed": (
        "none_needed",
        _(
            "Le plan dit qu'aucune activité n'est nécessaire : retirez les activités prévues, ou "
            "décochez cette case."
        ),
    ),
    "no_activities": (
        "activities",
        _(
            "Prévoyez au moins une activité de transition à la sortie, ou indiquez qu'aucune "
            "n'est nécessaire (contrat suivant avec le même fournisseur)."
        ),
    ),
    "activity_unnamed": ("activities", _("Chaque activité a un nom.")),
    "activity_dates_invalid": ("activities", _("La fin d'une activité précède son début.")),
    "activity_after_contract_end": (
        "activities",
        _(
            "Les activités de transition doivent être complétées avant la fin du contrat "
            "initial, le {end} (002 §4.9) : {names}."
        ),
    ),
    "new_contract_missing": (
        "new_contract",
        _(
            "Avec un nouveau fournisseur, indiquez son contrat : les deux contrats doivent "
            "courir en parallèle le temps de la transition (002 §4.9)."
        ),
    ),
    "new_contract_dates_invalid": (
        "new_contract",
        _("Les dates du contrat du nouveau fournisseur sont incohérentes."),
    ),
    "overlap_too_short": (
        "new_contract",
        _(
            "Le parallélisme des deux contrats est trop court : ils courent ensemble {overlap} "
            "jour(s), du {start} au {stop}, alors que les activités prévues s'étendent sur "
            "{needed} jour(s), du {first} au {last} ; il manque {missing} jour(s) de "
            "parallélisme (002 §4.9)."
        ),
    ),
}
