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
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    """``accounts.accessrequest`` -> « demande d'accès » (the model's verbose name)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
