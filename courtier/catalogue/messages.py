"""The Catalogue's error messages, in French, shared by the code and the tests: the services'
(proposals and their review, sheet content, prices, subscriptions, framework agreements and
qualifications, supporting documents), the price file's, the API's and the forms'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtier.catalogue import rules
from courtier.catalogue.pricefile.layout import Problem

# --- proposals and their review -------------------------------------------------------------------

NOT_A_SUPPLIER = _("Seul un fournisseur a une fiche au Catalogue.")
DRAFT_ALREADY_OPEN = _(
    "Une proposition de modification est déjà ouverte pour ce fournisseur : poursuivez-la."
)
DRAFT_NOT_EDITABLE = _("Cette proposition n'est plus modifiable dans son état actuel.")
TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la proposition.")
RETURN_COMMENT_REQUIRED = _("Expliquez au fournisseur ce qu'il doit corriger.")
DRAFT_OUTDATED = _(
    "Une autre version de la fiche a été publiée depuis le début de cette proposition : "
    "abandonnez-la et recommencez à partir de la version en vigueur."
)
NOTHING_CHANGED = _("Cette proposition ne change rien à la fiche en vigueur.")
# Who may make a move of the review (the services check permissions first: rarely shown).
SUPPLIER_MOVE_ONLY = _("Seuls le fournisseur et le Courtier font ce passage de la proposition.")
BROKER_MOVE_ONLY = _("Seul le Courtier fait ce passage de la proposition.")

# --- sheet content --------------------------------------------------------------------------------

CONTENT_PROBLEMS = {
    rules.ContentProblem.UNKNOWN_FIELD: _("Ce champ n'existe pas dans une fiche."),
    rules.ContentProblem.REQUIRED: _("Ce champ est obligatoire."),
    rules.ContentProblem.DUPLICATE_CODE: _("Ce code est déjà utilisé dans cette section."),
    rules.ContentProblem.BAD_CHOICE: _("Cette valeur n'est pas permise : « %(value)s »."),
    rules.ContentProblem.UNKNOWN_DATA_CENTRE: _(
        "Le centre de données « %(value)s » n'est pas décrit dans la fiche."
    ),
    rules.ContentProblem.AUTHORISED_NEEDS_DATE: _(
        "Indiquez depuis quand ce centre est autorisé pour les renseignements personnels."
    ),
    rules.ContentProblem.BAD_DATE: _("Date invalide : « %(value)s » (format AAAA-MM-JJ)."),
    rules.ContentProblem.NOT_A_LIST: _("Cette section doit être une liste."),
    rules.ContentProblem.NOT_TEXT: _("Ce champ doit être un texte : « %(value)s »."),
    rules.ContentProblem.TOO_LONG: _("Ce texte est trop long : %(value)s caractères au plus."),
}
DOCUMENT_FILE_UNKNOWN = _(
    "Ce fichier n'a pas été déposé pour cette fiche : déposez-le avec le formulaire du document."
)

# --- prices ---------------------------------------------------------------------------------------

PRICE_NOT_FIRST_BUSINESS_DAY = _(
    "Les prix ne peuvent changer que le premier jour ouvrable d'un mois : le %(day)s n'en est "
    "pas un (le premier jour ouvrable de ce mois est le %(first)s)."
)
PRICE_IN_THE_PAST = _(
    "Une liste de prix publiée ne change jamais : la date d'effet doit être aujourd'hui ou plus "
    "tard (le %(day)s est passé)."
)
PRICE_UNKNOWN_OFFER = _("L'offre « %(code)s » ne figure pas dans la fiche proposée.")
PRICE_UNKNOWN_COMPONENT = _(
    "La composante « %(component)s » n'existe pas dans l'offre « %(code)s »."
)
PRICE_LIST_EMPTY = _("Une liste de prix doit contenir au moins une ligne.")
PRICE_LINE_DUPLICATE = _(
    "La composante « %(component)s » a deux prix pour le palier à partir de %(tier)s."
)
PRICE_NEGATIVE = _("Un prix ne peut pas être négatif.")
PRICE_NOT_A_NUMBER = _("Saisissez un nombre entier positif ou nul.")
PRICE_NOT_YES_NO = _("Saisissez vrai ou faux.")
PRICE_LIST_IN_FORCE = _(
    "La liste de prix de l'offre « %(code)s » du %(day)s est déjà en vigueur : elle ne peut plus "
    "être remplacée. Proposez une liste pour le premier jour ouvrable d'un mois à venir."
)

# --- subscriptions --------------------------------------------------------------------------------

SUBSCRIPTION_EXISTS = _("Vous êtes déjà abonné à ces modifications.")
SUBSCRIPTION_ONE_SCOPE = _("Choisissez un volet ou un fournisseur, pas les deux.")

# --- framework agreements and qualifications ------------------------------------------------------

AGREEMENT_HOLDER = _("Une entente-cadre se conclut avec un fournisseur ou un prestataire.")
AGREEMENT_NUMBER_TAKEN = _("Une entente-cadre porte déjà ce numéro.")
AGREEMENT_DATES = _("La fin de l'entente doit suivre son début.")
NOT_A_PROVIDER = _("Seul un prestataire de services peut être qualifié.")
AGREEMENT_OF_ANOTHER = _("Cette entente-cadre appartient à une autre organisation.")
ALREADY_QUALIFIED = _("Ce prestataire est déjà qualifié pour cette qualification.")
QUALIFICATION_CODE_TAKEN = _("Une qualification porte déjà ce code.")

# --- supporting documents -------------------------------------------------------------------------

DOCUMENT_TITLE_TAKEN = _("Un document porte déjà ce titre.")

# --- price files ----------------------------------------------------------------------------------

# Each may use %(value)s (the cell as written) and the parameters the price file's checker
# gives with the problem.
FILE_TYPE = _("Choisissez un fichier CSV ou XLSX (classeur Excel).")
DRAFT_CHANGED = _(
    "La fiche proposée a changé pendant l'importation (offres ou composantes) : "
    "importez le fichier de nouveau."
)
UNEXPECTED = _("L'importation s'est arrêtée sur une erreur inattendue ; le Courtier en est avisé.")
PROBLEM_MESSAGES = {
    Problem.EMPTY_FILE: _("Le fichier ne contient aucune ligne de prix."),
    Problem.UNREADABLE: _(
        "Le fichier est illisible : enregistrez-le en CSV (UTF-8) ou en classeur XLSX."
    ),
    Problem.ENCODING: _(
        "Caractère illisible à la ligne %(line)s : enregistrez le fichier en « CSV UTF-8 »."
    ),
    Problem.MISSING_COLUMN: _("Colonne obligatoire absente de l'en-tête."),
    Problem.UNKNOWN_COLUMN: _(
        "Colonne inconnue : les colonnes permises sont décrites dans la documentation du "
        "fichier de prix."
    ),
    Problem.DUPLICATE_COLUMN: _("Cette colonne figure deux fois dans l'en-tête."),
    Problem.TOO_MANY_CELLS: _(
        "Cette ligne a %(value)s cellules, l'en-tête %(expected)s. Une virgule décimale sans "
        "guillemets coupe peut-être un nombre en deux : séparez les colonnes par des "
        "points-virgules."
    ),
    Problem.REQUIRED: _("Valeur obligatoire."),
    Problem.BAD_AMOUNT: _("« %(value)s » n'est pas un montant valide (exemples : 12,50 ou 12.50)."),
    Problem.THOUSANDS_SEPARATOR: _(
        "« %(value)s » contient un séparateur de milliers : écrivez le nombre sans séparateur "
        "(par exemple 1200,00)."
    ),
    Problem.NEGATIVE_PRICE: _("« %(value)s » : un prix ne peut pas être négatif."),
    Problem.NEGATIVE_NUMBER: _("« %(value)s » : la valeur ne peut pas être négative."),
    Problem.TOO_MANY_DECIMALS: _(
        "« %(value)s » a plus de deux décimales. S'il s'agit d'un séparateur de milliers, "
        "retirez-le (écrivez 1200 et non 1,200)."
    ),
    Problem.TOO_LARGE: _("« %(value)s » dépasse la valeur permise."),
    Problem.NOT_AN_INTEGER: _("« %(value)s » n'est pas un nombre entier positif ou nul."),
    Problem.BAD_PERCENT: _("« %(value)s » n'est pas un pourcentage valide (exemple : 3,5)."),
    Problem.BAD_DATE: _("« %(value)s » n'est pas une date au format AAAA-MM-JJ."),
    Problem.NOT_FIRST_BUSINESS_DAY: PRICE_NOT_FIRST_BUSINESS_DAY,
    Problem.DATE_IN_THE_PAST: PRICE_IN_THE_PAST,
    Problem.BAD_UNIT: _(
        "Unité inconnue : « %(value)s » (par exemple user_month, gb_month, instance_month, "
        "fixed ; voir la documentation)."
    ),
    Problem.BAD_FREQUENCY: _(
        "Fréquence de facturation inconnue : « %(value)s » (mensuelle, annuelle ou unique)."
    ),
    Problem.BAD_BOOLEAN: _("« %(value)s » : répondez oui ou non."),
    Problem.UNKNOWN_OFFER: PRICE_UNKNOWN_OFFER,
    Problem.UNKNOWN_COMPONENT: PRICE_UNKNOWN_COMPONENT,
    Problem.DUPLICATE: _(
        "Ligne en double : l'offre « %(offer)s », la composante « %(component)s », la date "
        "%(day)s et le palier à partir de %(tier)s figurent déjà à la ligne %(first)s."
    ),
}
FILE_TOO_LARGE = _("Ce fichier est trop volumineux : %(max)s Mo au plus.")

# --- the API (typed bodies and queries) -----------------------------------------------------------

UNKNOWN_FIELD = _("Ce champ n'existe pas.")
NOT_AN_OBJECT = _("Saisissez un objet JSON.")
NOT_A_LIST = _("Saisissez une liste.")
TOO_MANY_ITEMS = _("Au plus %(n)s éléments.")
TOO_FEW_ITEMS = _("Au moins %(n)s élément(s).")
NOT_A_BOOLEAN = _("Saisissez vrai ou faux.")
NOT_AN_INTEGER = _("Saisissez un nombre entier.")
NOT_A_DATE = _("Saisissez une date valide (AAAA-MM-JJ).")
BAD_FORMAT = _("Valeur au format invalide.")
COUNTRY_FORMAT = _("Saisissez le code ISO du pays en deux lettres majuscules, par exemple CA.")
SHA256_FORMAT = _("Saisissez l'empreinte SHA-256 du fichier : 64 caractères hexadécimaux.")
EMAIL_INVALID = _("Saisissez une adresse courriel valide.")
UNKNOWN_CATEGORY = _("Ce volet n'existe pas : « %(code)s ».")
UNKNOWN_SUPPLIER = _("Ce fournisseur n'existe pas.")
PROVINCE_NEEDS_COUNTRY = _("Indiquez aussi le pays de la province.")
PRICE_FORMAT = _("Saisissez un montant en dollars, par exemple 12.50 (au plus deux décimales).")
OFFER_IDS_FORMAT = _(
    "Saisissez des identifiants d'offres séparés par des virgules, par exemple 1,2,3."
)
TOO_MANY_OFFERS = _("Au plus %(n)s offres à la fois.")

# --- forms ----------------------------------------------------------------------------------------

PRICE_RANGE_ORDER = _("Le prix minimum doit être inférieur ou égal au prix maximum.")
PRICE_NEEDS_UNIT = _("Choisissez l'unité à laquelle s'applique ce prix.")
FILE_REQUIRED = _("Joignez le fichier du document.")
CODE_FORMAT = _(
    "Le code ne contient que des lettres sans accents, des chiffres, des points, des traits "
    "d'union ou des soulignés."
)
PRICE_LIST_NO_LINE = _("Indiquez le prix d'au moins une composante.")
