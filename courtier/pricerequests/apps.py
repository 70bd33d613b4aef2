from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PriceRequestsConfig(AppConfig):
    name = "courtier.pricerequests"
    label = "pricerequests"
    verbose_name = _("Acquisitions de services professionnels et techniques")

    def ready(self) -> None:
        # The permission policies, the menu entries and work items, and the two workflows.
        from courtier.documents import subjects
        from courtier.pricerequests import home, policies, workflow  # noqa: F401
        from courtier.pricerequests.models import ServiceFile, ServiceResponse

        # A file's documents (its request, the head's authorisation) belong to its client; an
        # abandoned file's close their retention (DOMAIN §7).
        subjects.register(
            subjects.Subject(
                ServiceFile,
                owner_id=lambda file: file.client_id,
                contract_end=lambda file: file.closed_on,
                url=lambda file: reverse("pricerequests:file_detail", args=[file.pk]),
            )
        )
        # A response's documents are the client's choice support once received; they are seen
        # by whoever sees the response (sealed until the opening) and joined by its provider.
        subjects.register(
            subjects.Subject(
                ServiceResponse,
                owner_id=lambda response: response.solicitation.request.file.client_id,
                contract_end=lambda response: response.solicitation.request.file.closed_on,
                url=lambda response: reverse(
                    "pricerequests:solicitation_detail", args=[response.solicitation_id]
                ),
                may_attach=lambda user, response: False,  # through response_document_add only
            )
        )
