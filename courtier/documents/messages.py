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
