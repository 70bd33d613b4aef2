"""The Catalogue: categories, framework agreements, supplier sheets and their dated versions,
offers and their monthly price lists, qualifications of service providers (DOMAIN §2).

How the pieces fit:
- A supplier's sheet content (offers, components, data centres, security answers, contractual
  documents, contacts, trial terms...) is proposed as a ``SheetDraft`` (JSON ``content``) and,
  once a broker agent publishes it, frozen as a ``SheetVersion`` (immutable, named with its
  date, with its structured change history against the previous version).
- Publication projects the version's content into the relational rows the search reads:
  ``Offer``, ``Component``, ``DataCentre`` (upserted by code; rows are never deleted, an offer
  that leaves the sheet becomes "withdrawn").
- Prices live in ``PriceList`` / ``PriceLine`` rows, one list per offer and effective date (the
  first business day of a month). A published list is never altered; a version lists the price
  lists it published and every acquisition or contract later stores the ``SheetVersion`` it
  used, so the evidence stays frozen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.catalogue import rules


class CategoryFamily(models.TextChoices):
    COLLABORATION = "collaboration", _("Outils de collaboration et de bureautique")
    SPECIALISED = "specialised", _("Technologies spécialisées")
    CONTACT_CENTRE = "contact_centre", _("Solutions de centre de contact")
    GOVERNMENT_CLOUD = "government_cloud", _("Nuage gouvernemental (NGQ)")


class Category(models.Model):
    """A volet of the Catalogue (DOMAIN §2; 004 §2.3; 002 §1.2). Loaded by a data migration."""

    code = models.SlugField(_("code"), max_length=60, unique=True)  # immutable
    family = models.CharField(_("famille"), max_length=20, choices=CategoryFamily.choices)
    name = models.CharField(_("nom"), max_length=200)  # French
    name_en = models.CharField(_("nom (anglais)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("volet")
        verbose_name_plural = _("volets")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("En vigueur")
    EXPIRED = "expired", _("Échue")
    TERMINATED = "terminated", _("Résiliée")


class FrameworkAgreement(models.Model):
    """An entente-cadre between the broker and a supplier or a service provider (DOMAIN §1-2)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="framework_agreements",
        verbose_name=_("fournisseur ou prestataire"),
    )
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )
    categories = models.ManyToManyField(Category, blank=True, verbose_name=_("volets"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("entente-cadre")
        verbose_name_plural = _("ententes-cadres")
        constraints = [
            models.CheckConstraint(
                name="agreement_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


# --- supplier sheets ---------------------------------------------------------------------------


class DraftStatus(models.TextChoices):
    """Workflow of a proposed change (transitions in rules.DRAFT_TRANSITIONS)."""

    DRAFT = rules.DraftState.DRAFT, _("Brouillon")
    SUBMITTED = rules.DraftState.SUBMITTED, _("Soumis au Courtier")
    RETURNED = rules.DraftState.RETURNED, _("Renvoyé au fournisseur")
    PUBLISHED = rules.DraftState.PUBLISHED, _("Publié")
    ABANDONED = rules.DraftState.ABANDONED, _("Abandonné")


class SheetDraft(models.Model):
    """A proposed change to one supplier's sheet: the whole new content (rules.SheetContent)."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sheet_drafts"
    )
    # The version the change starts from (None for a supplier's first sheet).
    base_version = models.ForeignKey(
        "SheetVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT
    )
    content = models.JSONField(_("contenu"), default=dict)  # rules.SheetContent as JSON
    summary = models.CharField(_("résumé de la modification"), max_length=300, blank=True)
    review_comment = models.TextField(_("commentaire du Courtier"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("proposition de modification")
        verbose_name_plural = _("propositions de modification")
        constraints = [
            # One open proposal per supplier: two would publish over each other.
            models.UniqueConstraint(
                fields=["supplier"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_sheet_draft_per_supplier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_DRAFT_STATES


class SheetVersion(models.Model):
    """An immutable, dated version of a supplier's sheet (004 §3.2). Never updated or deleted."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sheet_versions"
    )
    number = models.PositiveIntegerField(_("numéro"))  # 1, 2, ... per supplier
    published_on = models.DateField(_("date de publication"))  # America/Toronto
    name = models.CharField(_("nom"), max_length=300)  # "Fiche Fournisseur X – 2026-12-01"
    content = models.JSONField(_("contenu"))  # rules.SheetContent, frozen
    # rules.SheetChanges against the previous version (prices included), frozen.
    changes = models.JSONField(_("historique des modifications"), default=dict)
    change_count = models.PositiveIntegerField(default=0)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    draft = models.OneToOneField(
        SheetDraft, null=True, blank=True, on_delete=models.PROTECT, related_name="version"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["supplier_id", "-number"]
        get_latest_by = "number"
        verbose_name = _("version de fiche")
        verbose_name_plural = _("versions de fiche")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="sheet_version_number"),
            models.UniqueConstraint(fields=["name"], name="sheet_version_name"),
        ]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise rules.ImmutableError(f"sheet version {self.pk} is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise rules.ImmutableError(f"sheet version {self.pk} is immutable")


# --- offers (projection of the latest version, read by search) -------------------------------


class OfferStatus(models.TextChoices):
    QUALIFIED = rules.OfferState.QUALIFIED, _("Qualifiée")
    UNDER_ANALYSIS = rules.OfferState.UNDER_ANALYSIS, _("En analyse")
    WITHDRAWN = rules.OfferState.WITHDRAWN, _("Retirée")


class Offer(models.Model):
    """A cloud offer / solution as the latest published sheet describes it (DOMAIN §2).

    Written only by the publication of a sheet version (services.publication); the frozen truth
    of any date is the version's content."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="offers"
    )
    code = models.CharField(_("code"), max_length=60)  # immutable, unique per supplier
    name = models.CharField(_("nom"), max_length=200)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="offers", verbose_name=_("volet")
    )
    status = models.CharField(_("statut"), max_length=20, choices=OfferStatus.choices)
    description = models.TextField(_("description"), blank=True)
    # Comma-framed language codes (",fr,en,") so that one LIKE finds a language on both databases.
    training_languages = models.CharField(_("langues de formation"), max_length=60, default=",fr,")
    # Accent-free, lower-case text of everything searchable (rules.search_text).
    search_text = models.TextField(default="", editable=False)
    # Hosting: every data centre of the offer is in Canada / in Quebec; one is authorised for PI.
    hosted_in_canada_only = models.BooleanField(default=False, editable=False)
    hosted_in_quebec_only = models.BooleanField(default=False, editable=False)
    personal_information_authorised = models.BooleanField(default=False, editable=False)
    data_centres = models.ManyToManyField("DataCentre", blank=True, related_name="offers")
    version = models.ForeignKey(
        SheetVersion, on_delete=models.PROTECT, related_name="+"
    )  # the version this row was projected from
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "code"], name="offer_code_per_supplier")
        ]
        indexes = [
            models.Index(fields=["category", "status"]),
            models.Index(fields=["status", "name"]),
            models.Index(fields=["supplier", "status"]),
        ]

    def __str__(self) -> str:
        return self.name


class ComponentKind(models.TextChoices):
    """What a priced component is (004 §1; DOMAIN §2)."""

    BASE = rules.ComponentKind.BASE, _("Inclusion au prix de base")
    ADDITIONAL = rules.ComponentKind.ADDITIONAL, _("Composante additionnelle")
    ENTRY = rules.ComponentKind.ENTRY, _("Activité de transition à l'entrée")
    EXIT = rules.ComponentKind.EXIT, _("Activité de transition à la sortie")
    TRAINING = rules.ComponentKind.TRAINING, _("Matériel de formation")
    ASSISTANCE = rules.ComponentKind.ASSISTANCE, _("Assistance technique")


class Component(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("code"), max_length=60)  # unique per offer
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=20, choices=ComponentKind.choices)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(default=True)  # False once it left the sheet

    class Meta:
        ordering = ["offer_id", "kind", "code"]
        verbose_name = _("composante")
        constraints = [
            models.UniqueConstraint(fields=["offer", "code"], name="component_code_per_offer")
        ]

    def __str__(self) -> str:
        return self.name


class DataCentreRole(models.TextChoices):
    PRIMARY = "primary", _("Principal")
    RECOVERY = "recovery", _("Relève")


class DataCentre(models.Model):
    """A data centre of a supplier (DOMAIN §2; 004 FAQ: authorised for personal information
    only once the broker established privacy-protection equivalence)."""

    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="data_centres"
    )
    code = models.CharField(_("code"), max_length=60)  # unique per supplier
    city = models.CharField(_("ville"), max_length=100)
    province = models.CharField(_("province ou État"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2)  # ISO 3166-1 alpha-2, upper case
    role = models.CharField(_("rôle"), max_length=20, choices=DataCentreRole.choices)
    personal_information_authorised = models.BooleanField(
        _("autorisé pour les renseignements personnels"), default=False
    )
    authorised_since = models.DateField(_("autorisé depuis"), null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["supplier_id", "country", "province", "city"]
        verbose_name = _("centre de données")
        verbose_name_plural = _("centres de données")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "code"], name="data_centre_code"),
            models.CheckConstraint(
                name="data_centre_authorised_has_date",
                condition=Q(personal_information_authorised=False)
                | Q(authorised_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.province}, {self.country})"


# --- prices -------------------------------------------------------------------------------------


class PriceListStatus(models.TextChoices):
    DRAFT = "draft", _("Proposée")
    PUBLISHED = "published", _("Publiée")
    DISCARDED = "discarded", _("Écartée")


class PriceList(models.Model):
    """The prices of one offer from a first business day of a month (DOMAIN §2; 004 §3.2).

    Proposed with a draft; frozen at publication: its lines are never altered afterwards.
    ``effective_until`` is set once, when a later list of the same offer is published."""

    offer = models.ForeignKey(
        Offer, null=True, on_delete=models.PROTECT, related_name="price_lists"
    )
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="price_lists"
    )
    offer_code = models.CharField(max_length=60)  # the offer may not be published yet
    effective_from = models.DateField(_("en vigueur le"))  # a first business day of a month
    effective_until = models.DateField(_("remplacée le"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=PriceListStatus.choices)
    draft = models.ForeignKey(
        SheetDraft, null=True, blank=True, on_delete=models.PROTECT, related_name="price_lists"
    )
    version = models.ForeignKey(
        SheetVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="price_lists",
        verbose_name=_("publiée avec la version"),
    )
    line_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["offer_code", "-effective_from"]
        verbose_name = _("liste de prix")
        verbose_name_plural = _("listes de prix")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "offer_code", "effective_from"],
                condition=Q(status="published"),
                name="one_published_price_list_per_date",
            ),
            models.UniqueConstraint(
                fields=["draft", "offer_code", "effective_from"],
                condition=Q(status="draft"),
                name="one_draft_price_list_per_date",
            ),
        ]
        indexes = [models.Index(fields=["offer", "status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.offer_code} — {self.effective_from}"


class Unit(models.TextChoices):
    """Units a price is expressed in (DOMAIN §2)."""

    USER_MONTH = "user_month", _("par utilisateur par mois")
    GB_MONTH = "gb_month", _("par Go par mois")
    TB_MONTH = "tb_month", _("par To par mois")
    INSTANCE_MONTH = "instance_month", _("par instance par mois")
    VCPU_MONTH = "vcpu_month", _("par vCPU par mois")
    USER_YEAR = "user_year", _("par utilisateur par année")
    HOUR = "hour", _("par heure")
    FIXED = "fixed", _("forfait")


class BillingFrequency(models.TextChoices):
    MONTHLY = rules.Billing.MONTHLY, _("Mensuelle")
    YEARLY = rules.Billing.YEARLY, _("Annuelle")
    UPFRONT = rules.Billing.UPFRONT, _("Unique, à la signature")


class PriceLine(models.Model):
    """One price of one component, for one volume tier (a component without tiers has one line
    from quantity 0). Immutable once its list is published."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, null=True, on_delete=models.CASCADE, related_name="+")
    component_code = models.CharField(_("composante"), max_length=60)
    unit = models.CharField(_("unité"), max_length=20, choices=Unit.choices)
    unit_price_cents = models.BigIntegerField(_("prix unitaire (¢)"))  # cents, >= 0
    billing_frequency = models.CharField(
        _("fréquence de facturation"), max_length=20, choices=BillingFrequency.choices
    )
    tier_min_quantity = models.PositiveIntegerField(_("palier à partir de"), default=0)
    minimum_quantity = models.PositiveIntegerField(_("quantité minimale"), default=0)
    minimum_term_months = models.PositiveSmallIntegerField(_("durée minimale (mois)"), default=0)
    all_units_from_signature = models.BooleanField(
        _("toutes les unités payables dès la signature"), default=False
    )
    may_decrease = models.BooleanField(_("quantités réductibles en cours de contrat"), default=True)
    # Basis points: 350 = 3.50 % maximum yearly increase.
    max_yearly_increase_bp = models.PositiveIntegerField(
        _("hausse annuelle maximale (pb)"), default=0
    )

    class Meta:
        ordering = ["price_list_id", "component_code", "tier_min_quantity"]
        verbose_name = _("ligne de prix")
        verbose_name_plural = _("lignes de prix")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "component_code", "tier_min_quantity"],
                name="price_line_unique_tier",
            ),
            models.CheckConstraint(
                name="price_line_price_not_negative", condition=Q(unit_price_cents__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["offer", "unit", "unit_price_cents"])]

    def __str__(self) -> str:
        return f"{self.component_code} ≥ {self.tier_min_quantity}: {self.unit_price_cents} ¢"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    SUCCEEDED = "succeeded", _("Réussie")
    FAILED = "failed", _("Refusée")


class PriceImport(models.Model):
    """One upload of a price file into a draft, processed by a background task."""

    draft = models.ForeignKey(SheetDraft, on_delete=models.PROTECT, related_name="imports")
    # The price file's bytes, a document of the supplier in the store (type price_file): null
    # once the broker disposed of it (DOMAIN §7), the import's outcome staying on record.
    file = models.ForeignKey(
        "files.StoredFile", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default="queued")
    rows_total = models.PositiveIntegerField(default=0)  # estimated until done
    rows_done = models.PositiveIntegerField(default=0)
    lines_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list
    )  # [{line, column, message}], at most pricefile.importing.MAX_ERRORS
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The task that runs it, when it started and when it last moved: an import whose task failed
    # or whose worker died is ended as failed (pricefile/reaping.py), never left running.
    task_id = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importation de prix")

    def __str__(self) -> str:
        return f"{self.file} ({self.get_status_display()})"


# --- service providers ------------------------------------------------------------------------


class Qualification(models.Model):
    """A qualification for professional or technical services (DOMAIN §1-2; 002 §3)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    scope_description = models.TextField(_("description des services"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("qualification")

    def __str__(self) -> str:
        return self.name


class ProviderQualification(models.Model):
    """A provider qualified in a qualification, under its framework agreement."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="providers"
    )
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="qualifications"
    )
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="qualifications"
    )
    qualified_on = models.DateField(_("qualifié le"))
    contact_name = models.CharField(_("personne-ressource"), max_length=200)
    contact_email = models.EmailField(_("courriel"))
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["qualification__name", "provider__name"]
        verbose_name = _("prestataire qualifié")
        verbose_name_plural = _("prestataires qualifiés")
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "provider"], name="provider_qualified_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} — {self.qualification}"


# --- subscriptions and supporting documents --------------------------------------------------


class Subscription(models.Model):
    """A person asks to be told of Catalogue changes (004 §3.2): all, one category or one
    supplier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="catalogue_subscriptions"
    )
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    supplier = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("abonnement")
        constraints = [
            models.CheckConstraint(
                name="subscription_one_scope",
                condition=Q(category__isnull=True) | Q(supplier__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["user", "category", "supplier"],
                name="subscription_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.category or self.supplier or '*'}"


class SupportingDocumentKind(models.TextChoices):
    """Documents supporting the acquisition process (002 §2.3.1; DOMAIN §2)."""

    CONTRACT_TEMPLATE = "contract_template", _("Gabarit de contrat spécifique")
    AMENDMENT_TEMPLATE = "amendment_template", _("Gabarit d'avenant")
    COMMITMENT_FORM = (
        "commitment_form",
        _("Formulaire d'engagement de responsabilité en matière de gestion contractuelle"),
    )
    PRIVACY_PRINCIPLES = (
        "privacy_principles",
        _("Fiche principes de protection des renseignements personnels"),
    )
    PRICE_REQUEST_TEMPLATE = "price_request_template", _("Gabarit de demande de prix")
    EVALUATION_GUIDE = "evaluation_guide", _("Guide et grille d'évaluation du rendement")
    PROCESS_SCHEDULE = "process_schedule", _("Échéancier des processus")
    USER_GUIDE = "user_guide", _("Guide d'utilisateur")
    FEE_GRID = "fee_grid", _("Grille tarifaire des frais de gestion")
    OTHER = "other", _("Autre document")


class SupportingDocument(models.Model):
    kind = models.CharField(_("nature"), max_length=40, choices=SupportingDocumentKind.choices)
    title = models.CharField(_("titre"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("document de soutien")
        verbose_name_plural = _("documents de soutien")

    def __str__(self) -> str:
        return self.title


class SupportingDocumentVersion(models.Model):
    """One published version of a supporting document. Immutable."""

    document = models.ForeignKey(
        SupportingDocument, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes de version"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version de document de soutien")
        verbose_name_plural = _("versions de documents de soutien")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="supporting_doc_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
