"""How the audit trail reads in French: every action a service records, every object type (the
model's verbose name) and every field its before/after snapshots carry (the model field's verbose
name, else FIELD_LABELS). tests/audit/test_labels.py checks that nothing recorded lacks one."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
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
    "calendar_feed.created": _("Agenda personnel créé"),
    "calendar_feed.revoked": _("Agenda personnel révoqué"),
    "user.digest_changed": _("Préférence du courriel quotidien modifiée"),
    "audit.chain_verified": _("Intégrité du journal d'audit vérifiée"),
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
    # Before the document store (issue 11), a file kept its own documents: earlier events.
    "acquisition.document_kept": _("Document versé au dossier"),
    "document.kept": _("Document conservé"),
    "document.version_added": _("Nouvelle version d'un document"),
    "document.downloaded": _("Document confidentiel téléchargé"),
    "document.disposed": _("Document éliminé (contenu effacé, trace conservée)"),
    "document.stamped": _("Version validée et tamponnée par le Courtier"),
    "disposal.approved": _("Disposition de documents approuvée"),
    "legal_hold.placed": _("Blocage juridique placé"),
    "transmission.requested": _("Document demandé à un organisme"),
    "transmission.answered": _("Document transmis au Courtier"),
    "transmission.reminded": _("Rappel : document dû en retard"),
    "legal_hold.lifted": _("Blocage juridique levé"),
    "acquisition.submit_needs": _("Besoins définis : passage à la consultation du Catalogue"),
    "acquisition.confirm_candidates": _("Liste préliminaire établie"),
    "acquisition.close_compliance": _("Liste des solutions conformes établie"),
    "acquisition.confirm_choice": _("Choix confirmé : passage à la conclusion du contrat"),
    "acquisition.freeze_strategy": _("Dossier remis à la préparation du contrat"),
    "acquisition.go_back": _("Retour à l'étape précédente"),
    "acquisition.abandon": _("Dossier abandonné"),
    # Service acquisitions (DOMAIN §4; 002 §3).
    "service_file.created": _("Dossier d'acquisition de services ouvert"),
    "service_file.needs_updated": _("Besoins de services modifiés"),
    "service_file.qualifications_set": _("Qualifications et portée du besoin consignées"),
    "service_file.provider_excluded": _("Prestataire écarté de la liste restreinte"),
    "service_file.provider_included": _("Prestataire remis dans la liste restreinte"),
    "service_file.submit_needs": _("Besoins définis : passage à la consultation du Catalogue"),
    "service_file.confirm_scope": _("Portée confirmée : liste restreinte et demande de prix"),
    "service_file.open_responses": _("Réponses des prestataires ouvertes"),
    "service_file.hand_off": _("Dossier remis au Courtier pour la préparation du contrat"),
    "service_file.go_back": _("Retour à l'étape précédente"),
    "service_file.abandon": _("Dossier de services abandonné"),
    "service_file.choice_recorded": _("Réponse retenue"),
    "service_file.choice_options_set": _("Règle interne ou conseil du Courtier consigné"),
    "service_file.head_authorised": _("Autorisation du dirigeant d'organisme consignée"),
    "service_file.financial_authorised": _("Autorisation financière consignée"),
    "request_template.published": _("Gabarit de demande de prix publié"),
    "price_request.updated": _("Demande de prix modifiée"),
    "price_request.submit": _("Demande de prix soumise au Courtier"),
    "price_request.approve": _("Demande de prix validée par le Courtier"),
    "price_request.return": _("Demande de prix retournée par le Courtier"),
    "price_request.send": _("Demande de prix envoyée aux prestataires"),
    "price_request.submit_change": _("Modification de la demande de prix soumise"),
    "price_request.approve_change": _("Modification de la demande de prix validée"),
    "price_request.return_change": _("Modification de la demande de prix refusée"),
    "price_request.cancel": _("Demande de prix annulée"),
    "price_request.revise": _("Demande de prix validée reprise en rédaction"),
    "provider_question.asked": _("Question d'un prestataire posée"),
    "provider_question.answered": _("Réponse publiée aux prestataires sollicités"),
    "service_response.saved": _("Réponse d'un prestataire enregistrée"),
    "service_response.submitted": _("Réponse d'un prestataire déposée"),
    "service_response.completeness_recorded": _("Complétude d'une réponse vérifiée"),
    "non_participation.returned": _("Questionnaire de non-participation retourné"),
    "non_participation.reminded": _("Relance du questionnaire de non-participation"),
    "non_participation.never_returned": _("Questionnaire de non-participation jamais retourné"),
    # Specific contracts (contracts): the services' own events, then the workflows' moves.
    "contract.created": _("Contrat spécifique créé à partir du dossier figé"),
    "contract.updated": _("Modalités du contrat modifiées"),
    "contract.eligibility_confirmed": _("Admissibilité administrative du fournisseur confirmée"),
    "contract.signatories_set": _("Signataires du contrat désignés"),
    "contract.generated": _("Contrat et annexes générés"),
    "contract.signed": _("Signature du contrat consignée"),
    "contract.signature_copy_added": _("Copie signée sur papier déposée"),
    "contract.transmitted": _("Contrat signé transmis au Courtier"),
    "contract.amended": _("Avenant intégré aux modalités du contrat"),
    "contract.threshold_reached": _("Seuil de consommation du montant autorisé atteint"),
    "contract.send_for_review": _("Contrat transmis au client pour validation"),
    "contract.approve": _("Documents contractuels approuvés par le client"),
    "contract.return": _("Contrat retourné au Courtier avec un commentaire"),
    "contract.validate": _("Version finale du contrat validée (cachet du Courtier)"),
    "contract.sign_client": _("Contrat signé par le client"),
    "contract.sign_supplier": _("Contrat signé par le fournisseur (conclu)"),
    "contract.enter_into_force": _("Contrat entré en vigueur"),
    "contract.end": _("Contrat arrivé à échéance"),
    "contract.terminate": _("Contrat résilié"),
    "consumption.recorded": _("Commande ou facture enregistrée"),
    "consumption.imported": _("Commandes et factures importées (CSV)"),
    "amendment.requested": _("Avenant demandé par le client"),
    "amendment.updated": _("Avenant modifié"),
    "amendment.generated": _("Avenant généré"),
    "amendment.signed": _("Signature de l'avenant consignée"),
    "amendment.signature_copy_added": _("Copie signée de l'avenant déposée"),
    "amendment.transmitted": _("Avenant signé transmis au Courtier"),
    "amendment.prepare": _("Avenant en préparation par le Courtier"),
    "amendment.refuse": _("Demande d'avenant refusée"),
    "amendment.withdraw": _("Demande d'avenant retirée"),
    "amendment.send_for_review": _("Avenant transmis au client pour validation"),
    "amendment.approve": _("Avenant approuvé par le client"),
    "amendment.return": _("Avenant retourné au Courtier avec un commentaire"),
    "amendment.validate": _("Version finale de l'avenant validée (cachet du Courtier)"),
    "amendment.sign_client": _("Avenant signé par le client"),
    "amendment.sign_supplier": _("Avenant signé par le fournisseur"),
    # Feedback and complaints (complaints, issue 14 §1).
    "complaint.submitted": _("Rétroaction ou plainte envoyée au Courtier"),
    "complaint.assigned": _("Rétroaction ou plainte assignée"),
    "complaint.answered": _("Réponse du Courtier au client"),
    "complaint.closed": _("Rétroaction ou plainte fermée"),
    # publication (issue 14)
    "seao_sheet.updated": _("Choix de la fiche de publication SEAO enregistrés"),
    "seao_sheet.checklist_ticked": _("Liste de vérification de la fiche SEAO cochée"),
    "seao_sheet.published": _("Fiche de publication SEAO marquée publiée"),
    "contact_consent.given": _("Consentement à nommer une personne-ressource donné"),
    "contact_consent.revoked": _("Consentement à nommer une personne-ressource révoqué"),
    # exitplans (issue 14)
    "exit_plan.created": _("Plan de transition à la sortie ouvert"),
    "exit_plan.updated": _("Plan de transition à la sortie modifié"),
    "exit_plan.activity_done": _("Activité de transition à la sortie faite"),
    "exit_plan.submit": _("Plan de transition à la sortie soumis au Courtier"),
    "exit_plan.acknowledge": _("Plan de transition à la sortie pris en compte par le Courtier"),
    "exit_plan.return": _("Plan de transition à la sortie retourné au client"),
    "exit_plan.complete": _("Transition à la sortie complétée"),
    "exit_plan.warned": _("Avis de planifier la transition à la sortie envoyé"),
    "fee_grid.created": _("Nouvelle version de la grille tarifaire préparée"),
    "fee_grid.updated": _("Grille tarifaire en préparation modifiée"),
    "fee_grid.published": _("Grille tarifaire publiée"),
    "acquisition_report.filed": _("Rapport trimestriel des acquisitions déposé"),
    "acquisition_report.reminded": _("Rappel du rapport trimestriel des acquisitions envoyé"),
    "quarter.closed": _("Trimestre clos et frais trimestriels facturés"),
    "invoice.issued": _("Facture de frais de gestion émise"),
    "credit_note.issued": _("Note de crédit émise"),
    "invoice.payment_recorded": _("Paiement d'une facture enregistré"),
    "invoice.settle": _("Facture payée"),
    "invoice.mark_overdue": _("Facture en retard de paiement"),
    "invoice.credit": _("Facture annulée par note de crédit"),
    # evaluations (issue 14)
    "evaluation_grid.published": _("Nouvelle version de la grille d'évaluation publiée"),
    "campaign.opened": _("Campagne d'évaluation du rendement ouverte"),
    "evaluation.requested": _("Évaluation du rendement demandée à l'organisme client"),
    "evaluation.saved": _("Grille d'évaluation enregistrée"),
    "evaluation.reminded": _("Rappel de remplir la grille d'évaluation envoyé"),
    "campaign.close": _("Campagne d'évaluation du rendement fermée"),
    "evaluation.submit": _("Évaluation du rendement transmise au Courtier"),
    "evaluation.lapse": _("Demande d'évaluation close sans réponse (campagne fermée)"),
    "end_evaluation.stated": _(
        "Exigence de l'évaluation de fin de contrat (RCTI, art. 82) indiquée"
    ),
    "end_evaluation.report_added": _("Rapport d'évaluation du rendement déposé"),
    "end_evaluation.signed": _("Rapport d'évaluation du rendement signé par le dirigeant"),
}


# Snapshot keys that are not a model field with its own verbose name (a foreign key without one,
# a count, a key computed by the service). Checked by tests/audit/test_labels.py.
FIELD_LABELS = {
    # Service acquisitions (pricerequests): keys of the services' own snapshots.
    "qualifications": _("qualifications"),
    "scope_confirmed": _("portée des qualifications confirmée"),
    # Specific contracts (contracts).
    "signatories": _("signataires"),
    "signatory": _("signataire"),
    "recorded_by": _("consignée par"),
    "threshold": _("seuil (%)"),
    "consumed_cents": _("montant consommé (¢)"),
    "entries": _("lignes importées"),
    "description": _("description"),
    "sections": _("sections de la demande de prix"),
    "response": _("réponse retenue"),
    "justification": _("justification"),
    "agreement": _("entente-cadre"),
    "answer": _("réponse"),
    "answers": _("réponses au questionnaire"),
    "attestation": _("attestation du fournisseur"),
    "base_version": _("version de départ"),
    "broken_seq": _("premier événement altéré"),
    "category": _("volet"),
    "changes": _("modifications"),
    "checked": _("événements vérifiés"),
    "code": _("code"),
    "comment": _("commentaire"),
    "component": _("composante"),
    "components": _("composantes"),
    "content": _("contenu"),
    "criteria": _("critères"),
    "day": _("jour"),
    "disposal": _("disposition"),
    "document": _("document"),
    "documents": _("documents"),
    "draft": _("proposition de modification"),
    "due_on": _("réponse attendue le"),
    "effective_from": _("en vigueur le"),
    "email": _("courriel"),
    "ends_on": _("fin"),
    "errors": _("erreurs"),
    "expires_at": _("expire le"),
    "file": _("fichier"),
    "first_errors": _("premières erreurs"),
    "first_name": _("prénom"),
    "how": _("comment"),
    "intact": _("chaîne intacte"),
    "is_lowest": _("le plus bas"),
    "kind": _("nature"),
    "label": _("libellé"),
    "last_name": _("nom"),
    "late": _("en retard"),
    "lines": _("lignes de prix"),
    "lowest_cents": _("coût du scénario le plus bas"),
    "mapping": _("composantes retenues"),
    "member": _("organisme membre"),
    "member_shares": _("parts des organismes membres"),
    "members": _("organismes membres"),
    "line": _("ligne"),
    "column": _("colonne"),
    "message": _("message"),
    "monthly_cents": _("coût mensuel"),
    "name": _("nom"),
    "need": _("ligne du plan"),
    "note": _("note"),
    "notes": _("notes de version"),
    "number": _("numéro"),
    "offer": _("offre"),
    "offers": _("offres"),
    "organisation_id": _("organisation"),
    "participants": _("participants"),
    "prefix": _("préfixe"),
    "price_lists": _("listes de prix"),
    "qualification": _("qualification"),
    "qualified_on": _("qualifié le"),
    "quantities": _("quantités par mois"),
    "replaced_price_lists": _("listes de prix remplacées"),
    "report": _("rapport"),
    "review_comment": _("commentaire du Courtier"),
    "revoked_at": _("révoqué le"),
    "role": _("rôle"),
    "run": _("calcul n°"),
    "scenario": _("scénario"),
    "scenarios": _("scénarios"),
    "scheduled_for": _("date et heure"),
    "sha256": _("empreinte SHA-256"),
    "subject": _("objet"),
    "sheet_version": _("version de fiche"),
    "starts_on": _("début"),
    "state": _("étape"),
    "status": _("statut"),
    "summary": _("résumé"),
    "supplier": _("fournisseur"),
    "supplier_name": _("fournisseur"),
    "text": _("texte"),
    "title": _("titre"),
    "total_cents": _("coût total"),
    "unit": _("unité"),
    "units": _("unités"),
    "user": _("personne"),
    "verdict": _("verdict"),
    "version": _("version"),
    "version_seen": _("version consultée"),
    # exitplans (issue 14)
    "contract_end": _("fin du contrat initial"),
    "activity": _("activité"),
    # evaluations (issue 14)
    "scale": _("échelle de notation"),
    "clients": _("organismes consultés"),
    "scored": _("critères notés"),
    "contracts": _("contrats visés"),
}

# The keys of a refused price file's problems, recorded in ``first_errors`` (catalogue.pricefile).
PRICE_FILE_ERROR_KEYS = ("line", "column", "message")

# Keys whose integer values are the primary keys of these models, when the key is not a foreign
# key of the event's model: the detail page names the object instead of its number.
REFERENCE_KEYS = {
    "base_version": "catalogue.sheetversion",
    "draft": "catalogue.sheetdraft",
    "member": "accounts.organisation",
    "members": "accounts.organisation",
    "offer": "catalogue.offer",
    "organisation_id": "accounts.organisation",
    "scenario": "acquisitions.scenario",
    "supplier": "accounts.organisation",
    "version_seen": "catalogue.sheetversion",
}

# Values of a key that are a list of codes, with the label of each code (key -> code -> label).
VALUE_LABELS = {
    "how": {
        "reset": _("choisi par lien reçu par courriel"),
        "change": _("changé dans « Mon compte »"),
    },
}


# Labels of the keys of a dict-valued field, given by the app that owns it (e.g. the
# questionnaire's question codes under "answers"): the audit sits below the apps and reads them
# from here, never from the app.
KEY_LABELS: dict[str, Mapping[str, Any]] = {}


def register_key_labels(field: str, key_labels: Mapping[str, Any]) -> None:
    KEY_LABELS[field] = key_labels


def key_label(field: str, key: str) -> str:
    """The label of ``key`` inside the dict held by ``field``, else the key's field label."""
    given = KEY_LABELS.get(field, {})
    return str(given[key]) if key in given else field_label("", key)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# Models that are gone, named by the events recorded before they went.
FORMER_OBJECT_TYPES = {
    # A file kept its own documents before the document store (issue 11).
    "acquisitions.filedocument": _("document du dossier"),
}


def object_type_label(object_type: str) -> str:
    """``accounts.accessrequest`` -> « demande d'accès » (the model's verbose name)."""
    model = model_of(object_type)
    if model is None:
        return str(FORMER_OBJECT_TYPES.get(object_type, object_type))
    return str(model._meta.verbose_name)


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def labelled_field(model: type[models.Model] | None, key: str) -> models.Field | None:
    """The model field named ``key`` (or whose column it is: ``organisation_id``), when it has
    its own verbose name; Django's default (the name with spaces) is no French label."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist, or a reverse relation
        return None
    if not isinstance(field, models.Field) or not has_own_verbose_name(field):
        return None
    return field


def has_own_verbose_name(field: models.Field) -> bool:
    return str(field.verbose_name) != field.name.replace("_", " ")


@cache
def _any_model_labels() -> dict[str, str]:
    """Every courtier model field with its own verbose name, by name: the last resort for a key
    nested in a snapshot whose model is not the event's."""
    found: dict[str, object] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("courtier."):
            continue
        for field in model._meta.concrete_fields:
            if has_own_verbose_name(field):
                found.setdefault(field.name, field.verbose_name)
    return found  # type: ignore[return-value]


def field_label(object_type: str, key: str) -> str:
    """« budget_cents » of an acquisition file -> « budget »: the event's model field's verbose
    name, else FIELD_LABELS, else any courtier model's field of that name, else the key."""
    field = labelled_field(model_of(object_type), key)
    if field is not None:
        label = str(field.verbose_name)
    elif key in FIELD_LABELS:
        label = str(FIELD_LABELS[key])
    elif key in _any_model_labels():
        label = str(_any_model_labels()[key])
    else:
        return key
    # « budget (¢) » is shown in dollars (core.formatting.money): the unit goes with the cents.
    return label.removesuffix(" (¢)")


def has_field_label(key: str) -> bool:
    """Whether ``key`` reads in French whatever the event's object type (the meta-test's rule)."""
    return key in FIELD_LABELS or key in _any_model_labels()
