"""How each audited action reads in French. Every action a service records has its label here
(tests/audit/test_labels.py checks it)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "organisation.created": _("Organisation créée"),
    "organisation.updated": _("Organisation modifiée"),
    "organisation.member_added": _("Organisme membre ajouté au regroupement"),
    "organisation.member_removed": _("Organisme membre retiré du regroupement"),
    "user.created": _("Compte créé"),
    "user.password_changed": _("Mot de passe changé"),
    "membership.granted": _("Rôle attribué"),
    "membership.revoked": _("Rôle retiré"),
    "access_request.submitted": _("Demande d'accès reçue"),
    "access_request.approved": _("Demande d'accès approuvée"),
    "access_request.refused": _("Demande d'accès refusée"),
    "api_token.created": _("Jeton d'API créé"),
    "api_token.revoked": _("Jeton d'API révoqué"),
    "closure_day.added": _("Jour de fermeture ajouté"),
    "closure_day.removed": _("Jour de fermeture retiré"),
    "sheet_draft.created": _("Proposition de modification de fiche commencée"),
    "sheet_draft.updated": _("Proposition de modification de fiche modifiée"),
    "sheet_draft.submitted": _("Proposition de modification soumise au Courtier"),
    "sheet_draft.returned": _("Proposition de modification renvoyée au fournisseur"),
    "sheet_draft.published": _("Proposition de modification publiée"),
    "sheet_draft.abandoned": _("Proposition de modification abandonnée"),
    "sheet_version.published": _("Version de fiche publiée"),
    "price_list.proposed": _("Liste de prix proposée"),
    "price_import.succeeded": _("Fichier de prix importé"),
    "price_import.failed": _("Fichier de prix refusé"),
    "subscription.created": _("Abonnement aux modifications du Catalogue"),
    "subscription.deleted": _("Désabonnement des modifications du Catalogue"),
    "framework_agreement.created": _("Entente-cadre enregistrée"),
    "framework_agreement.updated": _("Entente-cadre modifiée"),
    "qualification.created": _("Qualification créée"),
    "provider.qualified": _("Prestataire qualifié"),
    "supporting_document.published": _("Document de soutien publié"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    """``accounts.accessrequest`` -> « demande d'accès » (the model's verbose name)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
