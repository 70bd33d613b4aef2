from django.urls import path

from courtier.catalogue import import_urls, views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("export/offres/", views.export_offers, name="export_offers"),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("fournisseurs/<int:pk>/", views.sheet, name="sheet"),
    path("fournisseurs/<int:pk>/proposer/", views.draft_create, name="draft_create"),
    path("fiches/<int:pk>/", views.version_detail, name="version_detail"),
    # Proposals and their review.
    path("propositions/", views.draft_queue, name="draft_queue"),
    path("propositions/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("propositions/<int:pk>/general/", views.draft_general, name="draft_general"),
    path("propositions/<int:pk>/soumettre/", views.draft_submit, name="draft_submit"),
    path("propositions/<int:pk>/renvoyer/", views.draft_return, name="draft_return"),
    path("propositions/<int:pk>/publier/", views.draft_publish, name="draft_publish"),
    path("propositions/<int:pk>/abandonner/", views.draft_abandon, name="draft_abandon"),
    path("propositions/<int:pk>/offres/<int:index>/prix/", views.draft_prices, name="draft_prices"),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/ajouter/",
        views.draft_component,
        name="draft_component_add",
    ),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/<int:component>/",
        views.draft_component,
        name="draft_component_edit",
    ),
    path(
        "propositions/<int:pk>/offres/<int:index>/composantes/<int:component>/retirer/",
        views.draft_component_remove,
        name="draft_component_remove",
    ),
    path("propositions/<int:pk>/<slug:section>/ajouter/", views.draft_item, name="draft_item_add"),
    path(
        "propositions/<int:pk>/<slug:section>/<int:index>/",
        views.draft_item,
        name="draft_item_edit",
    ),
    path(
        "propositions/<int:pk>/<slug:section>/<int:index>/retirer/",
        views.draft_item_remove,
        name="draft_item_remove",
    ),
    # Service providers, qualifications and framework agreements.
    path("prestataires/", views.providers, name="providers"),
    path("export/prestataires/", views.export_providers, name="export_providers"),
    path("qualifications/nouvelle/", views.qualification_create, name="qualification_create"),
    path("prestataires/qualifier/", views.provider_qualify, name="provider_qualify"),
    path("ententes/nouvelle/", views.agreement_form, name="agreement_create"),
    path("ententes/<int:pk>/modifier/", views.agreement_form, name="agreement_edit"),
    # Subscriptions, supporting documents and files.
    path("abonnements/", views.subscriptions, name="subscriptions"),
    path("abonnements/<int:pk>/retirer/", views.subscription_delete, name="subscription_delete"),
    path("documents/", views.documents, name="documents"),
    path(
        "documents/versions/<int:pk>/telecharger/",
        views.document_download,
        name="document_download",
    ),
    path("fichiers/<str:sha256>/", views.file_download, name="file_download"),
]

urlpatterns += import_urls.urlpatterns
