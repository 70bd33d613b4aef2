"""Specific contracts (contrats spécifiques, DOMAIN §3.5, §4.5, §5; 002 §2.5, §3.5, §4): made by
the broker from a frozen acquisition strategy or a service file's handoff package, generated from
the broker's template, validated and stamped, approved and signed in order, transmitted to the
broker; then amended within the limits of 002 §4.5, consumed against the authorised amount, and
ended or terminated."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.contracts import rules


class ContractKind(models.TextChoices):
    SOLUTIONS = rules.Kind.SOLUTIONS, _("Solutions infonuagiques")
    SERVICES = rules.Kind.SERVICES, _("Services professionnels et techniques")


class ContractState(models.TextChoices):
    PREPARATION = rules.State.PREPARATION, _("En préparation par le Courtier")
    CLIENT_REVIEW = rules.State.CLIENT_REVIEW, _("Transmis au client pour validation")
    APPROVED = rules.State.APPROVED, _("Approuvé par le client")
    VALIDATED = rules.State.VALIDATED, _("Version finale validée, à signer")
    CLIENT_SIGNED = rules.State.CLIENT_SIGNED, _("Signé par le client")
    CONCLUDED = rules.State.CONCLUDED, _("Signé par le fournisseur (conclu)")
    IN_FORCE = rules.State.IN_FORCE, _("En vigueur")
    ENDED = rules.State.ENDED, _("Terminé")
    TERMINATED = rules.State.TERMINATED, _("Résilié")


class ContractAction(models.TextChoices):
    SEND_FOR_REVIEW = rules.Action.SEND_FOR_REVIEW, _("Transmettre au client pour validation")
    APPROVE = rules.Action.APPROVE, _("Approuver les documents contractuels")
    RETURN = rules.Action.RETURN, _("Retourner au Courtier avec un commentaire")
    VALIDATE = rules.Action.VALIDATE, _("Valider la version finale (cachet du Courtier)")
    SIGN_CLIENT = rules.Action.SIGN_CLIENT, _("Signer pour le client")
    SIGN_SUPPLIER = rules.Action.SIGN_SUPPLIER, _("Signer pour le fournisseur")
    ENTER_INTO_FORCE = rules.Action.ENTER_INTO_FORCE, _("Entrer en vigueur")
    END = rules.Action.END, _("Arriver à échéance")
    TERMINATE = rules.Action.TERMINATE, _("Résilier le contrat")


class AmendmentState(models.TextChoices):
    REQUESTED = rules.AmendmentState.REQUESTED, _("Demandé par le client")
    PREPARATION = rules.AmendmentState.PREPARATION, _("En préparation par le Courtier")
    CLIENT_REVIEW = rules.AmendmentState.CLIENT_REVIEW, _("Transmis au client pour validation")
    APPROVED = rules.AmendmentState.APPROVED, _("Approuvé par le client")
    VALIDATED = rules.AmendmentState.VALIDATED, _("Version finale validée, à signer")
    CLIENT_SIGNED = rules.AmendmentState.CLIENT_SIGNED, _("Signé par le client")
    SIGNED = rules.AmendmentState.SIGNED, _("Signé par les parties")
    REFUSED = rules.AmendmentState.REFUSED, _("Refusé par le Courtier")
    WITHDRAWN = rules.AmendmentState.WITHDRAWN, _("Retiré par le client")


class AmendmentAction(models.TextChoices):
    PREPARE = rules.AmendmentAction.PREPARE, _("Préparer l'avenant")
    REFUSE = rules.AmendmentAction.REFUSE, _("Refuser la demande")
    WITHDRAW = rules.AmendmentAction.WITHDRAW, _("Retirer la demande")
    SEND_FOR_REVIEW = rules.AmendmentAction.SEND_FOR_REVIEW, _("Transmettre au client")
    APPROVE = rules.AmendmentAction.APPROVE, _("Approuver l'avenant")
    RETURN = rules.AmendmentAction.RETURN, _("Retourner au Courtier avec un commentaire")
    VALIDATE = rules.AmendmentAction.VALIDATE, _("Valider la version finale (cachet du Courtier)")
    SIGN_CLIENT = rules.AmendmentAction.SIGN_CLIENT, _("Signer pour le client")
    SIGN_SUPPLIER = rules.AmendmentAction.SIGN_SUPPLIER, _("Signer pour le fournisseur")


class Party(models.TextChoices):
    CLIENT = "client", _("Organisme client")
    SUPPLIER = "supplier", _("Fournisseur ou prestataire")


class SignatureMethod(models.TextChoices):
    PLATFORM = "platform", _("Signé dans la plateforme (PAdES)")
    PAPER = "paper", _("Signé sur papier (copie déposée)")


class EntryKind(models.TextChoices):
    ORDER = "order", _("Commande")
    INVOICE = "invoice", _("Facture du fournisseur")


class Contract(models.Model):
    """One specific contract between a client body and a supplier or provider, prepared by the
    broker from a frozen strategy or a handoff package (never by hand)."""

    reference = models.CharField(_("numéro"), max_length=20, unique=True)  # immutable
    kind = models.CharField(_("nature"), max_length=20, choices=ContractKind.choices)
    state = models.CharField(
        _("état"), max_length=20, choices=ContractState.choices, default=ContractState.PREPARATION
    )
    title = models.CharField(_("objet"), max_length=300)
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="client_contracts",
        verbose_name=_("organisme client"),
    )
    supplier = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="supplier_contracts",
        verbose_name=_("fournisseur ou prestataire"),
    )
    # Exactly one source, by kind (constraint): what the contract rests on, frozen upstream.
    strategy = models.OneToOneField(
        "acquisitions.AcquisitionStrategy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
    )
    handoff = models.OneToOneField(
        "pricerequests.HandoffPackage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
    )
    start_on = models.DateField(_("date de début"))
    # Original duration, renewals included; amendments add to it, 36 months at most in all.
    duration_months = models.PositiveSmallIntegerField(_("durée (mois, reconductions incluses)"))
    authorised_cents = models.BigIntegerField(_("montant total autorisé"))  # cents, original
    price_terms = models.TextField(_("modalités de prix et de facturation"), blank=True)
    # Frozen copy at creation: offers, components and quantities over time with their sheet
    # versions (solutions), or qualifications and the chosen response (services).
    basis = models.JSONField(_("fondement du contrat"))
    template_version = models.CharField(_("version du gabarit"), max_length=20)
    subject_to_rcti = models.BooleanField(_("client assujetti au RCTI"))
    # 002 §2.5 step 4: the client confirmed the supplier's administrative eligibility.
    eligibility_confirmed_on = models.DateField(
        _("admissibilité administrative confirmée le"), null=True, blank=True
    )
    eligibility_note = models.TextField(_("précisions sur l'admissibilité"), blank=True)
    # 002 §2.5: for a renewal with the same supplier, the broker decides whether to meet.
    is_renewal = models.BooleanField(_("reconduction avec le même fournisseur"), default=False)
    startup_meeting_needed = models.BooleanField(
        _("rencontre de démarrage nécessaire"), null=True, blank=True
    )
    # DOMAIN §3.5: at least 30 days from the startup contact to a signed contract.
    startup_contact_on = models.DateField(_("premier contact de démarrage le"))
    review_comment = models.TextField(_("commentaire du client"), blank=True)
    # The contract's PDF (type signed_contract): its versions are the drafts, the stamped
    # final version and each signed copy, in order.
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stamped = models.ForeignKey(  # the version the broker validated (its ValidatedVersion)
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The planned last day: start plus the current duration (amendments included); moved by a
    # signed amendment. ``ended_on`` is the actual end (its date or the termination's).
    ends_on = models.DateField(_("date de fin prévue"))
    generated_at = models.DateTimeField(_("généré le"), null=True, blank=True)
    concluded_on = models.DateField(_("conclu le"), null=True, blank=True)
    ended_on = models.DateField(_("terminé le"), null=True, blank=True)
    told_80_at = models.DateTimeField(null=True, blank=True)  # the 80 % email, sent once
    told_100_at = models.DateTimeField(null=True, blank=True)  # the 100 % email, sent once
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("contrat spécifique")
        verbose_name_plural = _("contrats spécifiques")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_months__gte=1, duration_months__lte=rules.MAX_DURATION_MONTHS),
                name="contract_duration_at_most_36_months",
            ),
            models.CheckConstraint(
                condition=Q(authorised_cents__gt=0), name="contract_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="solutions", strategy__isnull=False, handoff__isnull=True)
                    | Q(kind="services", strategy__isnull=True, handoff__isnull=False)
                ),
                name="contract_one_source_by_kind",
            ),
            models.CheckConstraint(condition=~Q(client=F("supplier")), name="contract_two_parties"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ContractSignatory(models.Model):
    """Who signs for a party, in order (002 §2.5 step 8: the client's hierarchy, then the
    supplier)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatories")
    party = models.CharField(_("partie"), max_length=20, choices=Party.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne"),
    )
    name = models.CharField(_("nom"), max_length=200)
    title = models.CharField(_("fonction"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["contract_id", "party", "order", "id"]  # "client" sorts before "supplier"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "user"], condition=Q(user__isnull=False), name="signatory_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party} {self.order})"


class Amendment(models.Model):
    """An amendment (avenant, 002 §4.5): asked by the client with its reason, prepared by the
    broker from its template, stamped and signed like a contract; once signed, its changes are
    part of the contract's current terms."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro"))
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=AmendmentState.choices,
        default=AmendmentState.REQUESTED,
    )
    reason = models.TextField(_("motif"))
    # [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": ...}, ...] (rules)
    changes = models.JSONField(_("modifications"))
    review_comment = models.TextField(_("commentaire"), blank=True)
    # 002 §4.5: the management fee for preparing it, billed to the client (cents).
    fee_cents = models.BigIntegerField(_("frais de gestion"), default=0)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stamped = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("généré le"), null=True, blank=True)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_number"),
            models.CheckConstraint(condition=Q(fee_cents__gte=0), name="amendment_fee_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}-A{self.number}"


class Signature(models.Model):
    """One signatory's signature on a contract or one of its amendments: in the platform (a
    PAdES approval signature on the stamped version, ``version`` the signed copy) or on paper
    (``version`` the uploaded copy, kept beside the stamped version it claims to be)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    signatory = models.ForeignKey(
        ContractSignatory, on_delete=models.PROTECT, related_name="signatures"
    )
    method = models.CharField(_("mode"), max_length=20, choices=SignatureMethod.choices)
    signed_on = models.DateField(_("date de signature"))
    signed_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    # The stamped version the signature is bound to (platform) or claims to be (paper).
    stamped = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, related_name="+"
    )
    # The signed copy: the version with this approval signature added (platform) or the uploaded
    # paper copy; empty while a paper copy is still to be transmitted (DOMAIN §7: 5 business days).
    version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signatory"],
                condition=Q(amendment__isnull=True),
                name="signature_once_on_contract",
            ),
            models.UniqueConstraint(
                fields=["signatory", "amendment"],
                condition=Q(amendment__isnull=False),
                name="signature_once_on_amendment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signatory} {self.signed_on}"


class ConsumptionEntry(models.Model):
    """An order to the supplier or a supplier invoice, against the contract's authorised amount
    (002 §4.4). Immutable; a number is recorded once per contract and kind."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("type"), max_length=20, choices=EntryKind.choices)
    number = models.CharField(_("numéro"), max_length=60)
    dated_on = models.DateField(_("date"))
    amount_cents = models.BigIntegerField(_("montant"))  # cents, before taxes
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The order or the invoice itself, when given (types supplier_order, supplier_invoice).
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("commande ou facture")
        verbose_name_plural = _("commandes et factures")
        ordering = ["contract_id", "dated_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "number"], name="entry_number_once"
            ),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="entry_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"


class Termination(models.Model):
    """The termination of a contract: its letter (a store document), effective date, reason;
    transmitted to the broker at once (DOMAIN §7). Immutable."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="termination")
    effective_on = models.DateField(_("date de prise d'effet"))
    reason = models.TextField(_("motif"))
    letter = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("résiliation")
        verbose_name_plural = _("résiliations")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.effective_on}"
