"""The French messages of feedback and complaints (DOMAIN §5.6, §5.10; 002 §4.6), shared by code
and tests."""

from django.utils.translation import gettext_lazy as _

REQUIRED = _("Ce champ est obligatoire.")
TEXT_TOO_LONG = _("Au plus {limit} caractères.")
TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la plainte.")
BROKER_ONLY = _("Seul un administrateur ou un agent du Courtier peut faire cette action.")
CLIENT_ONLY = _(
    "Seules les personnes qui mènent les acquisitions de l'organisme client le peuvent."
)
SUPPLIER_ONLY = _("Un fournisseur ou un prestataire n'a pas accès aux plaintes.")
CATEGORY_UNKNOWN = _("Choisissez une des catégories proposées.")
CLIENT_UNKNOWN = _("Choisissez un organisme dont vous menez les acquisitions.")

# The links a category needs or refuses (DOMAIN §5.6; rules.link_problems), by field.
LINK_PROBLEMS = {
    "contract_required": (
        "contract",
        _("Cette catégorie porte sur un contrat spécifique : choisissez-le."),
    ),
    "offer_required": (
        "offer",
        _("Cette catégorie porte sur une offre du Catalogue : choisissez-la."),
    ),
    "supplier_required": (
        "supplier",
        _("Cette catégorie porte sur un fournisseur ou un prestataire : choisissez-le."),
    ),
    "offer_or_supplier_required": (
        "offer",
        _("Indiquez l'offre ou le fournisseur dont l'information au Catalogue est inexacte."),
    ),
    "contract_not_allowed": ("contract", _("Cette catégorie ne se rattache pas à un contrat.")),
    "offer_not_allowed": ("offer", _("Cette catégorie ne se rattache pas à une offre.")),
    "supplier_not_allowed": (
        "supplier",
        _("Cette catégorie ne se rattache pas à un fournisseur ou un prestataire."),
    ),
    "supplier_mismatch": (
        "supplier",
        _("Le fournisseur indiqué n'est pas celui du contrat ou de l'offre choisis."),
    ),
    "offer_not_in_contract": ("offer", _("Cette offre ne fait pas partie du contrat choisi.")),
    "unknown_category": ("category", CATEGORY_UNKNOWN),
}
# A link the client may not point at: another body's contract, an offer or a supplier unknown.
CONTRACT_UNKNOWN = _("Contrat introuvable parmi ceux de votre organisme.")
OFFER_UNKNOWN = _("Offre introuvable au Catalogue.")
SUPPLIER_UNKNOWN = _("Fournisseur ou prestataire introuvable.")

ASSIGNEE_NOT_BROKER = _("Choisissez un administrateur ou un agent du Courtier.")
ANSWER_REQUIRED = _("Écrivez la réponse au client.")

# DOMAIN §5.10: why a dispute is flagged to the broker (rules.DisputeFlag).
FLAG_LABELS = {
    "persists": _("Persiste : non réglé dans les 30 jours de sa réception"),
    "repeats": _("Se répète : un autre litige avec ce fournisseur en moins d'un an"),
}
