from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "courtier.contracts"
    label = "contracts"
    verbose_name = _("Contrats spécifiques")

    def ready(self) -> None:
        # The permission policies, the menu entries and work items, and the two workflows.
        from courtier.contracts import home, policies, workflow  # noqa: F401
        from courtier.contracts.models import Contract
        from courtier.documents import subjects

        # A contract's documents belong to its client; their retention counts from the
        # contract's end, which moves with amendments and termination (DOMAIN §7).
        subjects.register(
            subjects.Subject(
                Contract,
                owner_id=lambda contract: contract.client_id,
                contract_end=lambda contract: contract.ended_on or contract.ends_on,
                url=lambda contract: reverse("contracts:detail", args=[contract.pk]),
            )
        )
