from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "courtier.fees"
    label = "fees"
    verbose_name = _("Frais de gestion et factures")

    def ready(self) -> None:
        from django.urls import reverse

        from courtier.documents import subjects, types
        from courtier.documents.rules import Retention, RetentionRule
        from courtier.fees import home, policies, workflow  # noqa: F401
        from courtier.fees.models import AcquisitionReport, Invoice

        # The broker's billing records: kept 7 years after they were made (DOMAIN §7 keeps a
        # contract's records 7 years after its end; an invoice outlives no contract rule).
        seven_years = RetentionRule(Retention.AFTER_CREATION, years=7)
        types.register(
            types.DocumentType(
                "fee_invoice",
                _("Facture ou note de crédit de frais de gestion"),
                seven_years,
                types.NOT_OWED,
                use=_("Facturation des frais de gestion (DOMAIN §6)"),
                confidential=False,
            ),
            types.DocumentType(
                "acquisition_report",
                _("Rapport trimestriel des acquisitions"),
                seven_years,
                types.NOT_OWED,
                use=_("Calcul des frais de gestion trimestriels (004 §4.3)"),
                confidential=True,
            ),
        )
        # The invoice's PDF belongs to the client billed; a report's CSV to its supplier.
        subjects.register(
            subjects.Subject(
                Invoice,
                owner_id=lambda invoice: invoice.client_id,
                url=lambda invoice: reverse("fees:invoice", args=[invoice.pk]),
            )
        )
        subjects.register(
            subjects.Subject(
                AcquisitionReport,
                owner_id=lambda report: report.supplier_id,
                url=lambda report: reverse("fees:report", args=[report.pk]),
            )
        )
