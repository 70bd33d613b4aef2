"""Error messages of the document store (French, shared by code and tests)."""

from django.utils.translation import gettext_lazy as _

DISPOSED = _("Ce document a été éliminé : on ne peut plus lui ajouter de version.")
HOLD_REASON_REQUIRED = _("Indiquez le motif du blocage juridique ou de sa levée.")
HOLD_LIFTED_ALREADY = _("Ce blocage juridique a déjà été levé.")
METHOD_REQUIRED = _("Indiquez le mode de disposition (par exemple, effacement sécurisé).")
NOTHING_TO_DISPOSE = _("Choisissez au moins un document à éliminer.")
UNKNOWN_DOCUMENT = _("Un des documents choisis n'existe pas.")
DISPOSED_ALREADY = _("déjà éliminé")
HELD = _("visé par un blocage juridique actif : il ne peut être éliminé avant sa levée")
NOT_DUE = _("sa date de disposition n'est pas arrivée")
TYPE_UNKNOWN = _("Choisissez un type de document de la liste.")
DUE_IN_THE_PAST = _("L'échéance ne peut pas être passée.")
NOT_A_CLIENTS = _("On ne demande un document qu'à un organisme client, pour l'un de ses objets.")
ANSWERED_ALREADY = _("Ce document a déjà été transmis au Courtier.")
ONE_ANSWER = _("Choisissez un document conservé ou joignez un fichier (l'un ou l'autre).")
NOT_THE_CLIENTS_DOCUMENT = _("Ce document n'est pas un document conservé de votre organisme.")

# The broker's validation stamp and its verification (signing.py, verification.py).
NOT_A_PDF = _("Ce fichier n'est pas un document PDF.")
PDF_UNREADABLE = _("Ce document PDF est endommagé : il ne peut pas être lu.")
PDF_DAMAGED = _("Ce document PDF est endommagé : il ne peut pas être signé.")
NOT_STAMPED = _("Ce document ne porte pas le cachet de validation du Courtier.")
CHANGED_SINCE_STAMP = _("Ce document a été modifié depuis le cachet du Courtier.")
FIELD_TAKEN = _("Ce document porte déjà une signature nommée %(field)s.")
STAMP_HEADING = _("Version validée par le Courtier")
STAMP_CODE = _("Code de vérification : %(code)s")
STAMP_REASON = _("Version validée par le Courtier (code %(code)s)")
STAMP_SIGNER = _("Courtier en infonuagique et en technologies spécialisées")
VERIFIED_VALIDATED = _("Ce document est exactement la version validée par le Courtier.")
VERIFIED_SIGNED = _(
    "Ce document est la version validée par le Courtier, signée ensuite : son contenu n'a pas "
    "changé depuis la validation, seules des signatures y ont été ajoutées."
)
VERIFIED_ALTERED = _(
    "Ce document n'est pas la version validée par le Courtier : il a été modifié depuis, ou son "
    "cachet ou une de ses signatures n'est pas valide."
)
VERIFIED_UNKNOWN = _("Ce document ne porte pas de cachet de validation du Courtier.")
STAMP_BROKEN = _("Le cachet du Courtier ne correspond plus au contenu du document.")
CERTIFICATION_BROKEN = _(
    "La signature de certification du document ne correspond plus à son contenu."
)
STAMP_NOT_REGISTERED = _(
    "La version certifiée par le Courtier ne figure pas au registre des versions validées."
)
SIGNATURE_BROKEN = _("La signature de %(name)s ne correspond plus au contenu du document.")
CHANGED_AFTER_STAMP = _(
    "Le document a été modifié après le cachet, au-delà de l'ajout de signatures."
)
SIGNATURES_UNREADABLE = _("Le document est endommagé : ses signatures ne peuvent pas être lues.")
FOREIGN_CERTIFICATION = _(
    "Le document est certifié avec un autre certificat que celui du Courtier : ce n'est pas un "
    "cachet de validation."
)
NO_SIGNATURE = _("Le document ne porte aucune signature.")
NO_CERTIFICATION = _("Aucune de ses signatures n'est un cachet de validation.")
VERIFY_SOMETHING = _("Joignez le document PDF à vérifier, ou saisissez son code de vérification.")
VERIFY_FILE_REQUIRED = _("Joignez le document PDF à vérifier.")
CODE_UNKNOWN = _("Aucune version validée ne porte ce code de vérification.")
CODE_MALFORMED = _("Un code de vérification a 10 lettres ou chiffres, par exemple K7QM-42XP-9D.")
STAMP_BY = _("Par %(name)s")
STAMP_ON = _("Le %(moment)s")
