"""French labels of the sheet's sections and fields, for the diff view, the digest and the API
error messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTION_LABELS = {
    "configurator_url": _("Lien vers le configurateur"),
    "offers": _("Offres"),
    "data_centres": _("Centres de données"),
    "security_answers": _("Réponses en matière de sécurité"),
    "documents": _("Documents contractuels"),
    "contacts": _("Personnes-ressources"),
    "components": _("Composantes"),
}

FIELD_LABELS = {
    "code": _("Code"),
    "name": _("Nom"),
    "category": _("Volet"),
    "status": _("Statut"),
    "description": _("Description"),
    "training_languages": _("Langues du matériel de formation"),
    "training_material": _("Matériel de formation"),
    "technical_assistance": _("Assistance technique"),
    "trial_terms": _("Modalités du banc d'essai"),
    "data_centres": _("Centres de données"),
    "components": _("Composantes"),
    "city": _("Ville"),
    "province": _("Province ou État"),
    "country": _("Pays"),
    "role": _("Rôle"),
    "personal_information_authorised": _("Autorisé pour les renseignements personnels"),
    "authorised_since": _("Autorisé depuis"),
    "requirement": _("Exigence"),
    "answer": _("Réponse"),
    "kind": _("Nature"),
    "title": _("Titre"),
    "file_sha256": _("Empreinte du fichier"),
    "file_name": _("Fichier"),
    "email": _("Courriel"),
    "phone": _("Téléphone"),
    "unit": _("Unité"),
    "unit_price_cents": _("Prix unitaire"),
    "billing_frequency": _("Fréquence de facturation"),
    "minimum_quantity": _("Quantité minimale"),
    "minimum_term_months": _("Durée minimale (mois)"),
    "all_units_from_signature": _("Toutes les unités payables dès la signature"),
    "may_decrease": _("Quantités réductibles"),
    "max_yearly_increase_bp": _("Hausse annuelle maximale"),
}

DOCUMENT_KIND_LABELS = {
    "amending_annex": _("Annexe modificative"),
    "supplier_conditions": _("Conditions contractuelles du fournisseur"),
    "service_levels": _("Niveaux de service"),
    "offer_description": _("Document descriptif de l'offre"),
}

CONTACT_KIND_LABELS = {
    "technical": _("Technique"),
    "commercial": _("Commercial"),
}

CHANGE_LABELS = {
    "added": _("Ajout"),
    "removed": _("Retrait"),
    "changed": _("Modification"),
}
