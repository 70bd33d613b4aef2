"""Acquisition files (dossiers d'acquisition) through the five steps of DOMAIN §3 (002 §2)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.catalogue.models import Unit


class FileState(models.TextChoices):
    NEEDS = rules.State.NEEDS, _("1. Définir les besoins")
    CATALOGUE = rules.State.CATALOGUE, _("2. Consulter le Catalogue")
    COMPLIANCE = rules.State.COMPLIANCE, _("3. Établir la liste des solutions conformes")
    CHOICE = rules.State.CHOICE, _("4. Déterminer le choix le plus avantageux")
    STARTUP = rules.State.STARTUP, _("5. Conclure un contrat spécifique")
    FROZEN = rules.State.FROZEN, _("Stratégie figée, remise à la préparation du contrat")
    ABANDONED = rules.State.ABANDONED, _("Abandonné")


class FileAction(models.TextChoices):
    SUBMIT_NEEDS = rules.Action.SUBMIT_NEEDS, _("Passer à la consultation du Catalogue")
    CONFIRM_CANDIDATES = rules.Action.CONFIRM_CANDIDATES, _("Établir la liste des solutions")
    CLOSE_COMPLIANCE = rules.Action.CLOSE_COMPLIANCE, _("Passer au calcul des scénarios")
    CONFIRM_CHOICE = rules.Action.CONFIRM_CHOICE, _("Confirmer le choix")
    FREEZE_STRATEGY = rules.Action.FREEZE_STRATEGY, _("Figer la stratégie d'acquisition")
    GO_BACK = rules.Action.GO_BACK, _("Revenir à l'étape précédente")
    ABANDON = rules.Action.ABANDON, _("Abandonner le dossier")


class Location(models.TextChoices):
    ANYWHERE = rules.Location.ANYWHERE, _("Aucune exigence de localisation")
    CANADA = rules.Location.CANADA, _("Centres de données au Canada seulement")
    QUEBEC = rules.Location.QUEBEC, _("Centres de données au Québec seulement")


# The questionnaire of 002 §2.1 (DOMAIN §3.1), in the order of the guide.
QUESTION_LABELS: dict[str, object] = {
    "organisational_impacts": _(
        "Quels sont les impacts organisationnels (processus, rôles, compétences) ?"
    ),
    "bandwidth": _(
        "Quels sont les impacts sur la bande passante ? Faut-il prévoir une mise à niveau du "
        "réseau ?"
    ),
    "risks": _("Quels sont vos risques organisationnels liés à l'infonuagique ?"),
    "functional_needs": _("Besoins fonctionnels"),
    "security_needs": _("Besoins de sécurité"),
    "service_level_needs": _("Besoins de niveau de service"),
    "performance_needs": _("Besoins de performance"),
    "training_needs": _("Besoins de formation"),
    "entry_needs": _("Besoins d'activités de transition à l'entrée"),
    "exit_needs": _("Besoins d'activités de transition à la sortie"),
    "assistance_needs": _("Besoins d'assistance technique"),
    "consumption_variability": _(
        "Prévoyez-vous une grande variabilité des quantités au cours du contrat ?"
    ),
    "commitment_capacity": _(
        "Dans quelle mesure pouvez-vous vous engager sur les quantités à consommer ?"
    ),
    "readiness": _(
        "Votre environnement technologique est-il prêt (prérequis, analyse des écarts, "
        "architecture) ?"
    ),
    "current_contracts_impact": _("Quel sera l'impact sur vos contrats actuels ?"),
    "service_provider_needed": _(
        "Devrez-vous recourir à un prestataire de services (gestion de projet, migration, "
        "intégration) ?"
    ),
}


class AcquisitionFile(models.Model):
    """One client body's acquisition of cloud solutions, from its needs to the frozen strategy
    handed to contract preparation (002 §2). A group purchaser's file pools the consumption of
    its member bodies (seed 003)."""

    reference = models.CharField(_("numéro"), max_length=20, unique=True)  # immutable
    title = models.CharField(_("titre"), max_length=200)
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="acquisition_files",
        verbose_name=_("organisme client"),
    )
    # Immutable: True only for a group purchaser's file (service checks the kind).
    is_group_purchase = models.BooleanField(_("achat regroupé"), default=False)
    state = models.CharField(
        _("étape"), max_length=20, choices=FileState.choices, default=FileState.NEEDS
    )
    # Step 1 facts the rules read (DOMAIN §3.1); the narrative answers are in ``answers``.
    category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("volet recherché"),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("durée désirée (mois, renouvellements compris)"), null=True, blank=True
    )
    budget_cents = models.BigIntegerField(_("budget disponible (¢)"), null=True, blank=True)
    planned_start = models.DateField(_("début prévu du contrat"), null=True, blank=True)
    location = models.CharField(
        _("localisation des données"),
        max_length=20,
        choices=Location.choices,
        default=Location.ANYWHERE,
    )
    personal_information = models.BooleanField(
        _("renseignements personnels en cause"), default=False
    )
    pi_outside_quebec = models.BooleanField(
        _("renseignements personnels communiqués hors Québec"), default=False
    )
    answers = models.JSONField(_("réponses au questionnaire"), default=dict)  # code -> answer
    # The EFVP (privacy impact assessment), when required (DOMAIN §3.1).
    efvp_done_on = models.DateField(_("EFVP réalisée le"), null=True, blank=True)
    efvp_document = models.ForeignKey(  # a document of the file in the store (type efvp)
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Step 3: when the compliant list was last reviewed against the Catalogue.
    looked_at = models.DateTimeField(_("Catalogue consulté le"), null=True, blank=True)
    # Step 4: a non-RCTI client's own rule for a non-lowest choice.
    own_rule = models.TextField(_("règle interne appliquée"), blank=True)
    supplier_partner = models.CharField(
        _("partenaire du fournisseur (s'il y a lieu)"), max_length=200, blank=True
    )
    # Step 5: the broker's startup contact starts the 30-day estimate (002 §2.5).
    startup_contact_on = models.DateField(_("contact de démarrage le"), null=True, blank=True)
    # The day the file was abandoned (immutable once set): its documents, kept « for the whole
    # contract », count their retention from it (DOMAIN §7).
    closed_on = models.DateField(_("fermé le"), null=True, blank=True)
    # The file's documents in the document store (DOMAIN §7: the choice support, the head's
    # justification); kept and read only through the store's services and selectors.
    documents = GenericRelation(
        "documents.Document", content_type_field="subject_type", object_id_field="subject_id"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier d'acquisition")
        verbose_name_plural = _("dossiers d'acquisition")
        constraints = [
            models.CheckConstraint(
                name="acquisition_duration_at_most_36_months",
                condition=Q(duration_months__isnull=True)
                | Q(duration_months__gte=1, duration_months__lte=rules.MAX_DURATION_MONTHS),
            ),
            models.CheckConstraint(
                name="acquisition_budget_positive",
                condition=Q(budget_cents__isnull=True) | Q(budget_cents__gt=0),
            ),
            models.CheckConstraint(
                name="acquisition_pi_outside_needs_pi",
                condition=Q(pi_outside_quebec=False) | Q(personal_information=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def step(self) -> int:
        return rules.step_number(self.state)

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "state": self.state,
            "title": self.title,
            "category": self.category.code if self.category_id else None,
            "duration_months": self.duration_months,
            "budget_cents": self.budget_cents,
            "planned_start": self.planned_start.isoformat() if self.planned_start else None,
            "location": self.location,
            "personal_information": self.personal_information,
            "pi_outside_quebec": self.pi_outside_quebec,
            "answers": self.answers,
            "efvp_done_on": self.efvp_done_on.isoformat() if self.efvp_done_on else None,
            "own_rule": self.own_rule,
            "supplier_partner": self.supplier_partner,
        }


class NeedKind(models.TextChoices):
    USAGE = rules.NeedKind.USAGE, _("Consommation")
    ENTRY = rules.NeedKind.ENTRY, _("Activités de transition à l'entrée")
    EXIT = rules.NeedKind.EXIT, _("Activités de transition à la sortie")


class NeedLine(models.Model):
    """One line of the consumption plan: quantities per month over the duration (DOMAIN §3.1).
    For a group purchase, ``quantities`` is the sum of the members' own lines."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="needs")
    code = models.SlugField(_("code"), max_length=40)  # unique per file
    label = models.CharField(_("besoin"), max_length=200)
    kind = models.CharField(_("nature"), max_length=20, choices=NeedKind.choices)
    unit = models.CharField(_("unité"), max_length=20, choices=Unit.choices)
    quantities = models.JSONField(_("quantités par mois"), default=list)  # ints, len = duration
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["file_id", "position", "id"]
        verbose_name = _("ligne du plan de consommation")
        verbose_name_plural = _("plan de consommation")
        constraints = [
            models.UniqueConstraint(fields=["file", "code"], name="need_line_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    def snapshot(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "quantities": self.quantities,
        }


class MemberConsumption(models.Model):
    """A member body's own quantities for one line of a group purchase (seed 003)."""

    need = models.ForeignKey(NeedLine, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    quantities = models.JSONField(_("quantités par mois"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consommation d'un organisme membre")
        verbose_name_plural = _("consommations des organismes membres")
        ordering = ["need_id", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["need", "member"], name="member_consumption_unique")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} / {self.member_id}"


class RequirementKind(models.TextChoices):
    CATEGORY = rules.RequirementKind.CATEGORY, _("Volet du Catalogue (automatique)")
    LOCATION = (
        rules.RequirementKind.LOCATION,
        _("Localisation des centres de données (automatique)"),
    )
    PI_HOSTING = (
        rules.RequirementKind.PI_HOSTING,
        _("Hébergement autorisé pour les renseignements personnels (automatique)"),
    )
    JUDGED = rules.RequirementKind.JUDGED, _("Exigence évaluée par le client")


class Requirement(models.Model):
    """One requirement every candidate offer is checked against (002 §2.3.1)."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("nature"), max_length=20, choices=RequirementKind.choices)
    label = models.CharField(_("exigence"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("exigence")
        verbose_name_plural = _("exigences")
        ordering = ["file_id", "position", "id"]
        constraints = [
            # One automatic requirement of each kind per file.
            models.UniqueConstraint(
                fields=["file", "kind"],
                condition=~Q(kind="judged"),
                name="requirement_one_automatic_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_automatic(self) -> bool:
        return self.kind in rules.AUTOMATIC_KINDS


class CandidateOffer(models.Model):
    """An offer considered for the file, with the sheet version the client looked at."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="candidates")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.PROTECT, related_name="+")
    version_seen = models.ForeignKey(
        "catalogue.SheetVersion", on_delete=models.PROTECT, related_name="+"
    )
    looked_at = models.DateTimeField(_("consultée le"), default=timezone.now)
    # Need code -> component code of this offer that covers it (guessed, then the client's).
    mapping = models.JSONField(_("composantes retenues"), default=dict)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offre de la liste préliminaire")
        verbose_name_plural = _("offres de la liste préliminaire")
        ordering = ["file_id", "offer__supplier__name", "offer__name"]
        constraints = [
            models.UniqueConstraint(fields=["file", "offer"], name="candidate_offer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.file_id} / {self.offer_id}"


class Verdict(models.TextChoices):
    MET = rules.Verdict.MET, _("Satisfaite")
    NOT_MET = rules.Verdict.NOT_MET, _("Non satisfaite")
    UNKNOWN = rules.Verdict.UNKNOWN, _("À déterminer")


class ComplianceRecord(models.Model):
    """Whether one candidate offer meets one requirement, with the client's note (002 §2.3.1)."""

    candidate = models.ForeignKey(CandidateOffer, on_delete=models.CASCADE, related_name="records")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="records")
    verdict = models.CharField(
        _("résultat"), max_length=20, choices=Verdict.choices, default=Verdict.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("évaluation de conformité")
        verbose_name_plural = _("évaluations de conformité")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "requirement"], name="compliance_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} / {self.requirement_id}: {self.verdict}"


class SupplierQuestion(models.Model):
    """A written question to a supplier, answered in the platform; the supplier takes charge
    within 3 business days (004 §3.3.2)."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="questions")
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="questions_received"
    )
    offer = models.ForeignKey(
        "catalogue.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("réponse attendue au plus tard le"))  # 3 business days later
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Set once the broker was told the answer is late (it is told once).
    overdue_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question à un fournisseur")
        verbose_name_plural = _("questions aux fournisseurs")
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="question_answer_has_author",
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Trial(models.Model):
    """A free trial (banc d'essai) of one offer: at most 60 days and 30 units, no personal or
    confidential information (004 §3.3.2)."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="trials")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    units = models.PositiveSmallIntegerField(_("unités"))
    # The client attests that no personal or confidential information is used (always True).
    attestation = models.BooleanField(_("attestation"))
    report = models.ForeignKey(  # a document of the file in the store (type trial_report)
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_summary = models.TextField(_("conclusions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("banc d'essai")
        verbose_name_plural = _("bancs d'essai")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(name="trial_attested", condition=Q(attestation=True)),
            models.CheckConstraint(
                name="trial_units_at_most_30",
                condition=Q(units__gte=1, units__lte=rules.MAX_TRIAL_UNITS),
            ),
            models.CheckConstraint(
                name="trial_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.starts_on} → {self.ends_on}"


class ScenarioRun(models.Model):
    """One computation of every compliant supplier's cheapest scenario (002 §2.4.1), with the
    plan and prices it used. The newest run of a file is the one that counts."""

    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()  # 1, 2, ... per file
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prices_on = models.DateField(_("prix en vigueur le"))
    months = models.PositiveSmallIntegerField()
    plan = models.JSONField()  # the needs (and members' quantities) priced, frozen

    class Meta:
        verbose_name = _("calcul des scénarios")
        verbose_name_plural = _("calculs des scénarios")
        ordering = ["file_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="scenario_run_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.file_id} #{self.number}"


class Scenario(models.Model):
    """One supplier's cheapest combination of offers in a run. The client's choice is a flag on
    a computed scenario: the database guarantees the chosen one was computed for this file,
    covers every need, and is the only one chosen."""

    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="scenarios")
    file = models.ForeignKey(AcquisitionFile, on_delete=models.CASCADE, related_name="scenarios")
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    offers = models.ManyToManyField("catalogue.Offer", related_name="+")
    # Offer id -> SheetVersion id whose prices were used.
    versions = models.JSONField(default=dict)
    rank = models.PositiveSmallIntegerField(null=True)  # 1 = lowest; None when incomplete
    complete = models.BooleanField()
    missing_needs = models.JSONField(default=list)
    total_cents = models.BigIntegerField()  # cents; the sum of line_items and of monthly_cents
    monthly_cents = models.JSONField(default=list)
    line_items = models.JSONField(default=list)
    member_shares = models.JSONField(null=True, blank=True)  # member org id -> cents
    is_lowest = models.BooleanField(default=False)
    chosen = models.BooleanField(default=False)
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scénario d'acquisition")
        verbose_name_plural = _("scénarios d'acquisition")
        ordering = ["run_id", "rank", "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"], condition=Q(chosen=True), name="scenario_one_choice_per_file"
            ),
            models.CheckConstraint(
                name="scenario_chosen_is_complete",
                condition=Q(chosen=False) | Q(complete=True),
            ),
            models.CheckConstraint(
                name="scenario_rank_iff_complete",
                condition=Q(complete=True, rank__isnull=False)
                | Q(complete=False, rank__isnull=True),
            ),
            models.CheckConstraint(
                name="scenario_total_not_negative", condition=Q(total_cents__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} / {self.supplier_id}: {self.total_cents} ¢"


class HeadAuthorisation(models.Model):
    """RCTI art. 48 (002 §2.4.3): the head of the organisation's prior authorisation of a
    non-lowest choice, with its justification and the signed document. Kept 7 years after the
    contract ends (DOMAIN §7)."""

    file = models.OneToOneField(
        AcquisitionFile, on_delete=models.CASCADE, related_name="head_authorisation"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    criteria = models.JSONField(_("critères"))  # list of rules.Criterion values, at least one
    justification = models.TextField(_("justification"))
    head_name = models.CharField(_("dirigeant d'organisme"), max_length=200)
    authorised_on = models.DateField(_("autorisé le"))
    # The signed authorisation, a document of the file in the store (type justification).
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autorisation du dirigeant d'organisme")
        verbose_name_plural = _("autorisations du dirigeant d'organisme")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.head_name}"


class FinancialAuthorisation(models.Model):
    """002 §2.4.4: the financial authorisation for the total estimated amount, initial order and
    later additions included, obtained inside the client's organisation."""

    file = models.OneToOneField(
        AcquisitionFile, on_delete=models.CASCADE, related_name="financial_authorisation"
    )
    amount_cents = models.BigIntegerField(_("montant autorisé (¢)"))
    planned_additions_cents = models.BigIntegerField(_("ajouts prévus (¢)"), default=0)
    authorised_on = models.DateField(_("autorisé le"))
    authorised_by_name = models.CharField(_("autorisé par"), max_length=200)
    reference = models.CharField(_("référence interne"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autorisation financière")
        verbose_name_plural = _("autorisations financières")
        constraints = [
            models.CheckConstraint(
                name="financial_amounts_positive",
                condition=Q(amount_cents__gt=0, planned_additions_cents__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.amount_cents} ¢"


class StartupMeeting(models.Model):
    """002 §2.5: the meeting the broker convenes once the prerequisites are met."""

    file = models.OneToOneField(
        AcquisitionFile, on_delete=models.CASCADE, related_name="startup_meeting"
    )
    scheduled_for = models.DateTimeField(_("date et heure"))
    participants = models.JSONField(_("participants"))  # [{"name", "email", "role"}]
    agenda = models.TextField(_("ordre du jour"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rencontre de démarrage")
        verbose_name_plural = _("rencontres de démarrage")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.scheduled_for:%Y-%m-%d %H:%M}"


class AcquisitionStrategy(models.Model):
    """The strategy validated at the startup meeting, frozen and handed to contract preparation
    (002 §2.5): offers, components, quantities over time, duration, total, sheet versions.
    Immutable once created."""

    file = models.OneToOneField(AcquisitionFile, on_delete=models.PROTECT, related_name="strategy")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    duration_months = models.PositiveSmallIntegerField()
    total_cents = models.BigIntegerField()
    content = models.JSONField()  # offers, components, quantities, versions (frozen)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stratégie d'acquisition")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.total_cents} ¢"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("an acquisition strategy is frozen")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object):  # type: ignore[override]
        raise RuntimeError("an acquisition strategy is frozen")


class DocumentKind(models.TextChoices):
    """The documents a file keeps in the document store (DOMAIN §7: the choice support, and the
    head's justification): each value is a type code of ``documents.types``, which holds its
    retention rule and what is owed to the broker."""

    NEEDS = "needs", _("Définition des besoins")
    COMPLIANCE = "compliance", _("Liste des solutions conformes")
    QUESTIONS = "questions", _("Questions et réponses des fournisseurs")
    TRIAL_REPORT = "trial_report", _("Rapport de banc d'essai")
    COMPARISON_XLSX = "comparison_xlsx", _("Comparaison des scénarios (XLSX)")
    COMPARISON_PDF = "comparison_pdf", _("Comparaison des scénarios (PDF)")
    JUSTIFICATION = "justification", _("Justification au dirigeant d'organisme")
    EFVP = "efvp", _("Évaluation des facteurs relatifs à la vie privée (EFVP)")
    AGENDA = "agenda", _("Ordre du jour de la rencontre de démarrage")
    STRATEGY = "strategy", _("Stratégie d'acquisition figée")
