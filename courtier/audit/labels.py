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
    "acquisition.created": _("Dossier d'acquisition ouvert"),
    "acquisition.needs_updated": _("Définition des besoins modifiée"),
    "acquisition.need_saved": _("Ligne du plan de consommation enregistrée"),
    "acquisition.need_deleted": _("Ligne du plan de consommation retirée"),
    "acquisition.member_consumption_saved": _("Consommation d'un organisme membre enregistrée"),
    "acquisition.candidate_added": _("Offre ajoutée à la liste"),
    "acquisition.candidate_removed": _("Offre retirée de la liste"),
    "acquisition.candidate_mapped": _("Composantes retenues pour une offre"),
    "acquisition.candidate_seen": _("Modifications du Catalogue prises en compte"),
    "acquisition.requirement_added": _("Exigence ajoutée"),
    "acquisition.requirement_removed": _("Exigence retirée"),
    "acquisition.compliance_recorded": _("Conformité d'une offre évaluée"),
    "acquisition.question_asked": _("Question posée à un fournisseur"),
    "acquisition.question_answered": _("Réponse d'un fournisseur reçue"),
    "acquisition.question_overdue": _("Question en retard signalée au Courtier"),
    "acquisition.trial_created": _("Banc d'essai enregistré"),
    "acquisition.trial_reported": _("Rapport de banc d'essai joint"),
    "acquisition.scenarios_computed": _("Scénarios d'acquisition calculés"),
    "acquisition.scenario_chosen": _("Scénario choisi"),
    "acquisition.choice_cleared": _("Choix de scénario annulé"),
    "acquisition.head_authorised": _("Autorisation du dirigeant d'organisme consignée"),
    "acquisition.financial_authorised": _("Autorisation financière consignée"),
    "acquisition.efvp_recorded": _("EFVP consignée"),
    "acquisition.meeting_scheduled": _("Rencontre de démarrage convoquée"),
    "acquisition.strategy_frozen": _("Stratégie d'acquisition figée"),
    "acquisition.document_kept": _("Document versé au dossier"),
    "acquisition.submit_needs": _("Besoins définis : passage à la consultation du Catalogue"),
    "acquisition.confirm_candidates": _("Liste préliminaire établie"),
    "acquisition.close_compliance": _("Liste des solutions conformes établie"),
    "acquisition.confirm_choice": _("Choix confirmé : passage à la conclusion du contrat"),
    "acquisition.freeze_strategy": _("Dossier remis à la préparation du contrat"),
    "acquisition.go_back": _("Retour à l'étape précédente"),
    "acquisition.abandon": _("Dossier abandonné"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_type_label(object_type: str) -> str:
    """``accounts.accessrequest`` -> « demande d'accès » (the model's verbose name)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
