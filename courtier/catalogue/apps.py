from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "courtier.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        # Declares the app's permission policies, menu entries and dashboard contributions, and
        # the workflow of its proposals' review (drawn in docs/workflows.md).
        from courtier.catalogue import home, policies, workflow  # noqa: F401

        # The supporting documents' versions are the broker's records in the document store
        # (issue 11 §1); a supplier's deposited files are the supplier's (an Organisation).
        from courtier.catalogue.models import SupportingDocument
        from courtier.documents import subjects

        subjects.register(
            subjects.Subject(
                SupportingDocument,
                owner_id=_broker_id,
                url=lambda document: reverse("catalogue:documents"),
            )
        )


def _broker_id(document) -> int:
    from courtier.accounts.models import Organisation, OrganisationKind

    return Organisation.objects.only("pk").get(kind=OrganisationKind.BROKER).pk
