"""Error messages of the fees (French, shared by the code and the tests)."""

from django.utils.translation import gettext_lazy as _

# The grid.
GRID_NOT_DRAFT = _(
    "Une grille publiée ne change plus : préparez-en une nouvelle version (001 §9.1)."
)
GRID_EFFECTIVE_PAST = _("La date d'entrée en vigueur ne peut pas être passée.")
GRID_EFFECTIVE_TAKEN = _("Une grille publiée entre déjà en vigueur à cette date.")
GRID_EMPTY = _("La grille n'a aucune ligne de frais.")
GRID_TOO_MANY = _("La grille compte trop de lignes (au plus {limit}).")
LINE_NEGATIVE = _("Les montants sont positifs ou nuls.")
LINE_RATE = _("Le taux est compris entre 0 % et 100 %.")
LINE_BOUNDS = _("La borne supérieure d'une tranche dépasse sa borne inférieure.")
LINE_START = _("Les tranches commencent à 0 $.")
LINE_GAP = _("Chaque tranche commence où la précédente finit, sans trou ni chevauchement.")
LINE_OPEN_END = _("La dernière tranche n'a pas de borne supérieure.")
LINE_NOTHING = _("Une ligne exige un montant fixe, un taux ou les deux.")
FEE_TYPE_INVALID = _("Type de frais inconnu.")
AMOUNT_INVALID = _("Montant invalide : écrivez-le en dollars, par exemple 1 250,00.")
RATE_INVALID = _("Taux invalide : écrivez-le en pour cent, par exemple 1,5.")

# The quarterly reports (004 §4.3).
QUARTER_INVALID = _("Trimestre inconnu : écrivez-le comme T3 2026-2027.")
QUARTER_CLOSED = _("Ce trimestre est clos par le Courtier : son rapport ne change plus.")
QUARTER_NOT_ENDED = _("Le trimestre n'est pas terminé : il ne peut pas encore être clos.")
QUARTER_ALREADY_CLOSED = _("Ce trimestre est déjà clos.")
QUARTER_FUTURE = _("Ce trimestre n'a pas commencé.")
REPORT_EMPTY = _("Le rapport ne contient aucune ligne.")
REPORT_TOO_LONG = _("Le rapport compte trop de lignes (au plus {limit}).")
REPORT_REFUSED = _("Le rapport est refusé : aucune ligne n'a été enregistrée.")
REPORT_UNCHANGED = _("Ce rapport est identique à la version déposée.")
NOT_A_SUPPLIER = _("Seul un fournisseur ou un prestataire dépose un rapport trimestriel.")
CSV_UNREADABLE = _("Le fichier n'est pas un CSV lisible en UTF-8.")
CSV_COLUMNS = _("Colonnes attendues : {columns}.")
LINE_PROBLEMS = {
    "contract_unknown": _("ligne {n} : aucun contrat ne porte le numéro « {contract} »"),
    "other_supplier": _("ligne {n} : le contrat {contract} n'est pas le vôtre"),
    "contract_not_signed": _("ligne {n} : le contrat {contract} n'est pas conclu"),
    "client_mismatch": _("ligne {n} : le client du contrat {contract} n'est pas « {client} »"),
    "outside_quarter": _("ligne {n} : payée le {paid_on}, hors du trimestre ({start} – {end})"),
    "amount": _("ligne {n} : le montant payé doit être positif"),
    "missing": _("ligne {n} : contrat, client, facture, date de paiement et montant requis"),
    "duplicate": _("ligne {n} : la facture {invoice} figure déjà plus haut"),
}
DATE_UNREADABLE = _("ligne {n} : date de paiement illisible (AAAA-MM-JJ)")
AMOUNT_UNREADABLE = _("ligne {n} : montant illisible")

# The invoices.
NOTHING_TO_BILL = _("Aucuns frais ne s'appliquent : la grille en vigueur n'en prévoit pas.")
NO_GRID = _("Aucune grille tarifaire n'est en vigueur à cette date.")
NOT_CONCLUDED = _("Le contrat n'est pas conclu : il ne se facture qu'une fois conclu (002 §4.2).")
AMENDMENT_NOT_PREPARED = _("L'avenant n'est pas encore signé.")
INVOICE_CLOSED = _("Cette facture n'a plus de solde à payer ou à créditer.")
PAYMENT_TOO_MUCH = _("Le paiement dépasse le solde dû ({balance}).")
PAYMENT_FUTURE = _("La date du paiement ne peut pas être future.")
PAYMENT_BEFORE_ISSUE = _("La date du paiement précède l'émission de la facture.")
CREDIT_TOO_MUCH = _("La note de crédit dépasse le solde de la facture ({balance}).")
CREDIT_REASON_REQUIRED = _("Dites pourquoi la facture est créditée.")
NOT_A_CREDIT_TARGET = _("Une note de crédit crédite une facture, pas une autre note de crédit.")
TEXT_TOO_LONG = _("Texte trop long (au plus {limit} caractères).")

# The workflow.
TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la facture.")
BROKER_ONLY = _("Seul le personnel du Courtier peut faire cette action.")
SYSTEM_ONLY = _("Seul le traitement quotidien constate un retard de paiement.")
