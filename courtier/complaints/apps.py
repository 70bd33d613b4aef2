from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "courtier.complaints"
    label = "complaints"
    verbose_name = _("Rétroaction et plaintes")

    def ready(self) -> None:
        # The permission policies, the menu entry, work items and standing, and the workflow.
        from courtier.complaints import home, policies, workflow  # noqa: F401
        from courtier.complaints.models import Complaint
        from courtier.documents import subjects, types

        # 002 §4.6: what a client joins to its feedback or complaint is the broker's record of
        # it (a dispute's documents are of the type « différend », DOMAIN §7).
        types.register(
            types.DocumentType(
                "complaint",
                _("Rétroaction ou plainte au Courtier"),
                types.RetentionRule(types.Retention.AFTER_CREATION, years=7),
                types.NOT_OWED,
                use=_("Amélioration continue (002 §4.6)"),
                confidential=True,
            )
        )
        # Its documents belong to the client; linked to a contract, their retention counts from
        # the contract's end (DOMAIN §7).
        subjects.register(
            subjects.Subject(
                Complaint,
                owner_id=lambda complaint: complaint.client_id,
                contract_end=lambda complaint: (
                    (complaint.contract.ended_on or complaint.contract.ends_on)
                    if complaint.contract_id
                    else None
                ),
                url=lambda complaint: reverse("complaints:detail", args=[complaint.pk]),
            )
        )
