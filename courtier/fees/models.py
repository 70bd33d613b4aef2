"""The broker's management fees (DOMAIN §6): the versioned fee grid, the suppliers' quarterly
acquisition reports (004 §4.3), the fee invoices and credit notes to clients, numbered without
gaps per fiscal year, and their payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.fees import rules


class FeeType(models.TextChoices):
    QUARTERLY = rules.FeeType.QUARTERLY, _("Pourcentage des acquisitions trimestrielles")
    CONTRACT = rules.FeeType.CONTRACT, _("Frais par contrat conclu")
    AMENDMENT = rules.FeeType.AMENDMENT, _("Frais par avenant préparé")


class GridState(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    PUBLISHED = "published", _("Publiée")


class FeeGrid(models.Model):
    """One version of the broker's fee grid (001 §9.1: tariffs may change without notice). Its
    lines change only while it is a draft; once published it never changes, and the grid in
    force on a day is the published one with the latest effective date on or before it."""

    version = models.PositiveIntegerField(_("version"), unique=True)  # immutable
    effective_on = models.DateField(_("en vigueur le"))
    state = models.CharField(
        _("état"), max_length=20, choices=GridState.choices, default=GridState.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    # The grid as published in the Catalogue's supporting documents (its PDF).
    supporting_version = models.ForeignKey(
        "catalogue.SupportingDocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document de soutien publié"),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("grille tarifaire")
        verbose_name_plural = _("grilles tarifaires")
        ordering = ["-effective_on", "-version"]
        constraints = [
            # Two published grids never take effect on the same day: one is in force each day.
            models.UniqueConstraint(
                fields=["effective_on"],
                condition=Q(state="published"),
                name="fee_grid_one_published_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class FeeGridLine(models.Model):
    """A line of a grid: for amounts in [from, to), flat fee plus a rate (rules.GridLine)."""

    grid = models.ForeignKey(FeeGrid, on_delete=models.CASCADE, related_name="lines")
    fee_type = models.CharField(_("type de frais"), max_length=20, choices=FeeType.choices)
    from_cents = models.BigIntegerField(_("à partir de"), default=0)  # cents, inclusive
    to_cents = models.BigIntegerField(_("jusqu'à"), null=True, blank=True)  # cents, exclusive
    flat_cents = models.BigIntegerField(_("montant fixe"), default=0)  # cents
    rate_bp = models.PositiveIntegerField(_("taux"), default=0)  # hundredths of a percent

    class Meta:
        verbose_name = _("ligne de grille tarifaire")
        verbose_name_plural = _("lignes de grille tarifaire")
        ordering = ["grid_id", "fee_type", "from_cents"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "fee_type", "from_cents"], name="fee_grid_line_bracket"
            ),
            models.CheckConstraint(
                condition=Q(from_cents__gte=0, flat_cents__gte=0, rate_bp__lte=rules.MAX_RATE_BP),
                name="fee_grid_line_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee_type} {self.from_cents}"

    def as_rule(self) -> rules.GridLine:
        return rules.GridLine(
            fee_type=self.fee_type,
            from_cents=self.from_cents,
            to_cents=self.to_cents,
            flat_cents=self.flat_cents,
            rate_bp=self.rate_bp,
        )


class AcquisitionReport(models.Model):
    """A supplier's report of the invoices its clients paid in a fiscal quarter (004 §4.3), in
    versions: a correction is a new version (until the broker closes the quarter); the latest is
    the one that counts. Immutable once filed."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("exercice financier"))  # its start year
    quarter = models.PositiveSmallIntegerField(_("trimestre"))  # 1 (April-June) to 4
    version = models.PositiveSmallIntegerField(_("version"))
    total_cents = models.BigIntegerField(_("total des acquisitions"))  # cents
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("rapport trimestriel des acquisitions")
        verbose_name_plural = _("rapports trimestriels des acquisitions")
        ordering = ["-fiscal_year", "-quarter", "supplier_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "fiscal_year", "quarter", "version"],
                name="acquisition_report_version",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="acquisition_report_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}-{self.fiscal_year + 1}-T{self.quarter} v{self.version}"


class AcquisitionLine(models.Model):
    """One paid supplier invoice of a report (checked: the supplier's contract, its client, paid
    inside the quarter, a positive amount)."""

    report = models.ForeignKey(AcquisitionReport, on_delete=models.CASCADE, related_name="lines")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    invoice = models.CharField(_("facture du fournisseur"), max_length=60)
    paid_on = models.DateField(_("payée le"))
    amount_cents = models.BigIntegerField(_("montant payé"))  # cents, before taxes, > 0

    class Meta:
        verbose_name = _("acquisition déclarée")
        verbose_name_plural = _("acquisitions déclarées")
        ordering = ["report_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="acquisition_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.paid_on}"


class QuarterClosure(models.Model):
    """The broker closed a quarter: its reports no longer change, its fees are billed."""

    fiscal_year = models.PositiveSmallIntegerField(_("exercice financier"))
    quarter = models.PositiveSmallIntegerField(_("trimestre"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("clos le"), default=timezone.now)

    class Meta:
        verbose_name = _("clôture de trimestre")
        verbose_name_plural = _("clôtures de trimestre")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "quarter"], name="quarter_closed_once"),
        ]

    def __str__(self) -> str:
        return f"T{self.quarter} {self.fiscal_year}-{self.fiscal_year + 1}"


class ReportReminder(models.Model):
    """A supplier was reminded of its missing report for a quarter (once a quarter)."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("rappel de rapport trimestriel")
        verbose_name_plural = _("rappels de rapport trimestriel")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "fiscal_year", "quarter"], name="report_reminded_once"
            ),
        ]

    def __str__(self) -> str:
        return f"T{self.quarter} {self.fiscal_year} {self.sent_on}"


class NumberCounter(models.Model):
    """The last number given in a series for a fiscal year. Taken under a row lock in the
    transaction that creates the invoice, so a rolled-back issue gives its number back: the
    numbers of a year run without a gap (never a database sequence, which skips on rollback)."""

    series = models.CharField(max_length=4)
    fiscal_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de numéros")
        verbose_name_plural = _("compteurs de numéros")
        constraints = [
            models.UniqueConstraint(fields=["series", "fiscal_year"], name="number_counter_year"),
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.fiscal_year}: {self.last}"


class Kind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Note de crédit")


class Basis(models.TextChoices):
    CONTRACT = rules.FeeType.CONTRACT, _("Contrat conclu")
    AMENDMENT = rules.FeeType.AMENDMENT, _("Avenant préparé")
    QUARTERLY = rules.FeeType.QUARTERLY, _("Acquisitions du trimestre")


class InvoiceState(models.TextChoices):
    ISSUED = rules.State.ISSUED, _("Émise")
    OVERDUE = rules.State.OVERDUE, _("En retard")
    PAID = rules.State.PAID, _("Payée")
    CREDITED = rules.State.CREDITED, _("Annulée par note de crédit")


class InvoiceAction(models.TextChoices):
    MARK_OVERDUE = rules.Action.MARK_OVERDUE, _("Constater le retard de paiement")
    SETTLE = rules.Action.SETTLE, _("Enregistrer le paiement du solde")
    CREDIT = rules.Action.CREDIT, _("Annuler le solde par une note de crédit")


class Invoice(models.Model):
    """A fee invoice or a credit note to a client. Its number, amounts, lines and what it bills
    never change once issued (a correction is a credit note that references it); only its state
    moves (paid, overdue, credited) and payments are recorded against it."""

    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("numéro"), max_length=30, unique=True)  # immutable
    series = models.CharField(max_length=4)  # rules.Series
    fiscal_year = models.PositiveSmallIntegerField(_("exercice financier"))  # of issued_on
    sequence = models.PositiveIntegerField()  # 1, 2, 3... per series and fiscal year
    basis = models.CharField(_("objet"), max_length=20, choices=Basis.choices)
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisme client"),
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contrat"),
    )
    amendment = models.ForeignKey(
        "contracts.Amendment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("avenant"),
    )
    # The quarter billed (quarterly fees): its fiscal year's start and number.
    quarter_year = models.PositiveSmallIntegerField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    grid = models.ForeignKey(
        FeeGrid, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the grid in force on the triggering date (None for a credit note)
    credits = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("facture créditée"),
    )
    reason = models.TextField(_("motif"), blank=True)  # a credit note's
    issued_on = models.DateField(_("émise le"))
    due_on = models.DateField(_("payable au plus tard le"), null=True, blank=True)
    subtotal_cents = models.BigIntegerField(_("sous-total"))  # cents, taxable
    gst_cents = models.BigIntegerField(_("TPS"))  # cents
    qst_cents = models.BigIntegerField(_("TVQ"))  # cents
    total_cents = models.BigIntegerField(_("total"))  # cents
    state = models.CharField(
        _("état"), max_length=20, choices=InvoiceState.choices, default=InvoiceState.ISSUED
    )
    paid_on = models.DateField(_("payée le"), null=True, blank=True)  # the settling payment's
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the invoice bills, once (a replayed issue finds it): e.g. "contract:12".
    key = models.CharField(max_length=60, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("facture de frais de gestion")
        verbose_name_plural = _("factures de frais de gestion")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "fiscal_year", "sequence"], name="invoice_number_once"
            ),
            models.CheckConstraint(
                condition=Q(subtotal_cents__gt=0, gst_cents__gte=0, qst_cents__gte=0)
                & Q(total_cents=F("subtotal_cents") + F("gst_cents") + F("qst_cents")),
                name="invoice_amounts",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="credit_note_references_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == Kind.CREDIT_NOTE


class InvoiceLine(models.Model):
    """What an invoice bills, line by line (immutable)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=rules.MAX_TEXT_LENGTH)
    base_cents = models.BigIntegerField(_("assiette"), null=True, blank=True)  # cents
    amount_cents = models.BigIntegerField(_("montant"))  # cents, before taxes

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "order"], name="invoice_line_order"),
        ]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    """A payment received for an invoice (its amount and date; immutable)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("payée le"))
    amount_cents = models.BigIntegerField(_("montant reçu"))  # cents, > 0
    reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["invoice_id", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount_cents}"
