from django.urls import path

from courtier.catalogue.pricefile import urls as pricefile_urls
from courtier.catalogue.views import (
    documents,
    drafts,
    prices,
    providers,
    review,
    search,
    sheets,
    subscriptions,
)

app_name = "catalogue"

urlpatterns = [
    path("", search.home, name="home"),
    path("export/offres/", search.export_offers, name="export_offers"),
    path("offres/<int:pk>/", sheets.offer_detail, name="offer_detail"),
    path("fournisseurs/<int:pk>/", sheets.sheet, name="sheet"),
    path("fournisseurs/<int:pk>/proposer/", drafts.draft_create, name="draft_create"),
    path("fiches/<int:pk>/", sheets.version_detail, name="version_detail"),
    # Proposals and their review.
    path("propositions/", review.draft_queue, name="draft_queue"),
    path("propositions/<int:pk>/", review.draft_detail, name="draft_detail"),
    path("propositions/<int:pk>/general/", drafts.draft_general, name="draft_general"),
    path("propositions/<int:pk>/soumettre/", review.draft_submit, name="draft_submit"),
    path("propositions/<int:pk>/renvoyer/", review.draft_return, name="draft_return"),
    path("propositions/<int:pk>/publier/", review.draft_publish, name="draft_publish"),
    path("propositions/<int:pk>/abandonner/", review.draft_abandon, name="draft_abandon"),
    path(
        "propositions/<int:pk>/offres/<int:index>/prix/", prices.draft_prices, name="draft_prices"
    ),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/ajouter/",
        drafts.draft_component,
        name="draft_component_add",
    ),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/<int:component>/",
        drafts.draft_component,
        name="draft_component_edit",
    ),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/<int:component>/retirer/",
        drafts.draft_component_remove,
        name="draft_component_remove",
    ),
    path("propositions/<int:pk>/<slug:section>/ajouter/", drafts.draft_item, name="draft_item_add"),
    path(
        "propositions/<int:pk>/<slug:section>/<int:index>/",
        drafts.draft_item,
        name="draft_item_edit",
    ),
    path(
        "propositions/<int:pk>/<slug:section>/<int:index>/retirer/",
        drafts.draft_item_remove,
        name="draft_item_remove",
    ),
    # Service providers, qualifications and framework agreements.
    path("prestataires/", providers.providers, name="providers"),
    path("export/prestataires/", providers.export_providers, name="export_providers"),
    path("qualifications/nouvelle/", providers.qualification_create, name="qualification_create"),
    path("prestataires/qualifier/", providers.provider_qualify, name="provider_qualify"),
    path("ententes/nouvelle/", providers.agreement_form, name="agreement_create"),
    path("ententes/<int:pk>/modifier/", providers.agreement_form, name="agreement_edit"),
    # Subscriptions, supporting documents and files.
    path("abonnements/", subscriptions.subscriptions, name="subscriptions"),
    path(
        "abonnements/<int:pk>/retirer/",
        subscriptions.subscription_delete,
        name="subscription_delete",
    ),
    path("documents/", documents.documents, name="documents"),
    path(
        "documents/versions/<int:pk>/telecharger/",
        documents.document_download,
        name="document_download",
    ),
    path("fichiers/<str:sha256>/", documents.file_download, name="file_download"),
]

urlpatterns += pricefile_urls.urlpatterns
