"""Service acquisition files (dossiers d'acquisition de services) through the five steps of
DOMAIN §4 (002 §3): the needs, the qualifications and the shortlist, the price request on the
broker's template with its validation, the solicitation, the questions, the sealed responses and
the non-participation questionnaires, the choice and its authorisations, the package handed to
contract preparation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.pricerequests import rules


class ServiceFileState(models.TextChoices):
    NEEDS = rules.State.NEEDS, _("1. Définir les besoins")
    CATALOGUE = rules.State.CATALOGUE, _("2. Consulter le Catalogue")
    SOLICITATION = rules.State.SOLICITATION, _("3. Établir la liste des prestataires et solliciter")
    CHOICE = rules.State.CHOICE, _("4. Déterminer le choix le plus avantageux")
    HANDED_OFF = rules.State.HANDED_OFF, _("5. Conclure : dossier remis au Courtier")
    ABANDONED = rules.State.ABANDONED, _("Abandonné")


class ServiceFileAction(models.TextChoices):
    SUBMIT_NEEDS = rules.Action.SUBMIT_NEEDS, _("Passer à la consultation du Catalogue")
    CONFIRM_SCOPE = rules.Action.CONFIRM_SCOPE, _("Confirmer la portée des qualifications")
    OPEN_RESPONSES = rules.Action.OPEN_RESPONSES, _("Ouvrir les réponses")
    HAND_OFF = rules.Action.HAND_OFF, _("Remettre le dossier au Courtier")
    GO_BACK = rules.Action.GO_BACK, _("Revenir à l'étape précédente")
    ABANDON = rules.Action.ABANDON, _("Abandonner le dossier")


class RequestState(models.TextChoices):
    DRAFT = rules.RequestState.DRAFT, _("En rédaction")
    SUBMITTED = rules.RequestState.SUBMITTED, _("Soumise au Courtier")
    RETURNED = rules.RequestState.RETURNED, _("Retournée par le Courtier")
    APPROVED = rules.RequestState.APPROVED, _("Validée par le Courtier, à envoyer")
    SENT = rules.RequestState.SENT, _("Envoyée aux prestataires")
    CHANGE_SUBMITTED = rules.RequestState.CHANGE_SUBMITTED, _("Modification soumise au Courtier")
    CANCELLED = rules.RequestState.CANCELLED, _("Annulée")


class RequestAction(models.TextChoices):
    SUBMIT = rules.RequestAction.SUBMIT, _("Soumettre au Courtier")
    APPROVE = rules.RequestAction.APPROVE, _("Valider et autoriser l'envoi")
    RETURN = rules.RequestAction.RETURN, _("Retourner au client")
    SEND = rules.RequestAction.SEND, _("Envoyer aux prestataires")
    SUBMIT_CHANGE = rules.RequestAction.SUBMIT_CHANGE, _("Soumettre une modification")
    APPROVE_CHANGE = rules.RequestAction.APPROVE_CHANGE, _("Valider la modification")
    RETURN_CHANGE = rules.RequestAction.RETURN_CHANGE, _("Refuser la modification")
    REVISE = rules.RequestAction.REVISE, _("Reprendre la rédaction (nouvelle validation requise)")
    CANCEL = rules.RequestAction.CANCEL, _("Annuler la demande de prix")


class Remuneration(models.TextChoices):
    HOURLY = rules.Remuneration.HOURLY, _("Taux horaire")
    LUMP_SUM = rules.Remuneration.LUMP_SUM, _("Prix forfaitaire")


class ServiceFile(models.Model):
    """One client body's acquisition of professional or technical services from its needs to
    the package handed to contract preparation (002 §3)."""

    reference = models.CharField(_("numéro"), max_length=20, unique=True)  # immutable
    title = models.CharField(_("titre"), max_length=200)
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="service_files",
        verbose_name=_("organisme client"),
    )
    state = models.CharField(
        _("étape"),
        max_length=20,
        choices=ServiceFileState.choices,
        default=ServiceFileState.NEEDS,
    )
    # Step 1 (002 §3.1).
    duration_months = models.PositiveSmallIntegerField(
        _("durée du contrat (mois, renouvellements compris)"), null=True, blank=True
    )
    schedule = models.TextField(_("échéancier du projet"), blank=True)
    remuneration = models.CharField(
        _("mode de rémunération"), max_length=20, choices=Remuneration.choices, blank=True
    )
    current_context = models.TextField(_("contexte technologique actuel"), blank=True)
    target_context = models.TextField(_("situation cible"), blank=True)
    activities = models.TextField(_("activités à réaliser"), blank=True)
    deliverables = models.TextField(_("biens livrables"), blank=True)
    responsibilities = models.TextField(
        _("partage des responsabilités entre le client et le prestataire"), blank=True
    )
    payment_terms = models.TextField(_("modalités de paiement"), blank=True)
    penalties = models.TextField(_("pénalités"), blank=True)
    # Step 2: the qualifications (one contract may cover several) and the client's word that
    # the need falls within their scope (002 §3.1, last recommendation).
    qualifications = models.ManyToManyField(
        "catalogue.Qualification", related_name="+", verbose_name=_("qualifications")
    )
    scope_confirmed_at = models.DateTimeField(
        _("portée des qualifications confirmée le"), null=True, blank=True
    )
    # Step 4: a single provider solicited and the client follows the broker's advice to get the
    # head's authorisation anyway (002 §3.4); a non-RCTI client's own rule for a non-lowest one.
    follows_single_provider_advice = models.BooleanField(
        _("autorisation du dirigeant demandée pour un seul prestataire sollicité"), default=False
    )
    own_rule = models.TextField(_("règle interne appliquée"), blank=True)
    closed_on = models.DateField(_("fermé le"), null=True, blank=True)  # abandoned: immutable
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
        verbose_name = _("dossier d'acquisition de services")
        verbose_name_plural = _("dossiers d'acquisition de services")
        constraints = [
            models.CheckConstraint(
                name="service_file_duration_at_most_36_months",
                condition=Q(duration_months__isnull=True)
                | Q(duration_months__gte=1, duration_months__lte=rules.MAX_DURATION_MONTHS),
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

    def needs_values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in rules.NEED_FIELDS}

    def audit_snapshot(self) -> dict[str, object]:
        return {"state": self.state, "title": self.title, **self.needs_values()}


class ShortlistEntry(models.Model):
    """A provider qualified in every chosen qualification, preselected with its contacts from
    the Catalogue (002 §3.3.1); left out only with a written, objective reason."""

    file = models.ForeignKey(ServiceFile, on_delete=models.CASCADE, related_name="shortlist")
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prestataire"),
    )
    contacts = models.JSONField(_("personnes-ressources"))  # [{"name", "email"}], from the sheet
    included = models.BooleanField(_("sollicité"), default=True)
    exclusion_reason = models.TextField(_("motif de l'exclusion"), blank=True)

    class Meta:
        ordering = ["provider__name"]
        verbose_name = _("prestataire de la liste restreinte")
        verbose_name_plural = _("liste restreinte")
        constraints = [
            models.UniqueConstraint(fields=["file", "provider"], name="shortlist_provider_once"),
            # 002 §3.3.1: a provider left out is left out for a written reason.
            models.CheckConstraint(
                name="shortlist_excluded_has_reason",
                condition=Q(included=True) | ~Q(exclusion_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.provider_id}"


class RequestTemplate(models.Model):
    """The broker's mandatory price-request template (002 §3.2, §3.3.2), versioned: each version
    is immutable; a request records the version it was written on."""

    version = models.PositiveIntegerField(_("version"), unique=True)  # immutable
    # [{"code", "title", "instructions"}]: every section must be completed (002 §3.3.2).
    sections = models.JSONField(_("sections"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("publié le"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("gabarit de demande de prix")
        verbose_name_plural = _("gabarits de demande de prix")

    def __str__(self) -> str:
        return f"v{self.version}"


class PriceRequest(models.Model):
    """The price request of a file (002 §3.3.2-3.3.3), on the template version it was written
    on: its sections, the criteria besides price it declares (the only ones the choice may use),
    the documents it asks for; validated by the broker before it is sent; after sending, a
    change waits in ``pending_sections`` for the broker's validation."""

    file = models.OneToOneField(ServiceFile, on_delete=models.CASCADE, related_name="request")
    template = models.ForeignKey(
        RequestTemplate, on_delete=models.PROTECT, related_name="+", verbose_name=_("gabarit")
    )
    state = models.CharField(
        _("état"), max_length=20, choices=RequestState.choices, default=RequestState.DRAFT
    )
    sections = models.JSONField(_("sections"), default=dict)  # template code -> text
    # [{"code", "label", "environmental": bool}]: frozen once sent (002 §3.4).
    criteria = models.JSONField(_("critères autres que le prix"), default=list)
    documents_asked = models.JSONField(_("documents demandés"), default=list)  # [label]
    summary = models.TextField(_("résumé du besoin"), blank=True)
    estimated_cents = models.BigIntegerField(_("montant estimé (¢)"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("révision"), default=1)  # +1 at each approved change
    pending_sections = models.JSONField(_("modification soumise"), null=True, blank=True)
    return_comment = models.TextField(_("commentaire du Courtier"), blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)  # immutable once set
    deadline_at = models.DateTimeField(_("date limite de réponse"), null=True, blank=True)
    question_cutoff_at = models.DateTimeField(_("fin des questions"), null=True, blank=True)
    opened_at = models.DateTimeField(_("réponses ouvertes le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demande de prix")
        verbose_name_plural = _("demandes de prix")
        constraints = [
            models.CheckConstraint(
                name="request_sent_has_deadline",
                condition=Q(sent_at__isnull=True)
                | Q(deadline_at__isnull=False, question_cutoff_at__isnull=False),
            ),
            # Responses open only after the deadline (002 §3.3.3), enforced again by selectors.
            models.CheckConstraint(
                name="request_opened_after_deadline",
                condition=Q(opened_at__isnull=True) | Q(opened_at__gte=models.F("deadline_at")),
            ),
            models.CheckConstraint(
                name="request_estimate_positive",
                condition=Q(estimated_cents__isnull=True) | Q(estimated_cents__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file.reference} — r{self.revision}"

    @property
    def is_sent(self) -> bool:
        return self.state in rules.SENT_STATES

    def criteria_codes(self) -> list[str]:
        return [c["code"] for c in self.criteria]

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "state": self.state,
            "revision": self.revision,
            "sections": self.sections,
            "criteria": self.criteria,
            "documents_asked": self.documents_asked,
            "summary": self.summary,
            "estimated_cents": self.estimated_cents,
        }


class Solicitation(models.Model):
    """A provider the request was sent to (002 §3.3.3): emailed alone, named to the others only
    by its pseudonym."""

    request = models.ForeignKey(
        PriceRequest, on_delete=models.CASCADE, related_name="solicitations"
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="solicitations",
        verbose_name=_("prestataire"),
    )
    pseudonym = models.CharField(_("pseudonyme"), max_length=4)  # immutable: « A », « B »...
    contacts = models.JSONField(_("personnes-ressources"))  # [{"name", "email"}] at sending
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("sollicitation")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "provider"], name="solicitation_provider_once"
            ),
            models.UniqueConstraint(
                fields=["request", "pseudonym"], name="solicitation_pseudonym_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.pseudonym}"

    @property
    def pseudonym_label(self) -> str:
        return str(_("Prestataire {letter}")).format(letter=self.pseudonym)


class ProviderQuestion(models.Model):
    """A solicited provider's written question (002 §3.3.3), answered to every solicited
    provider at once; the asker is shown to the others only by its pseudonym."""

    solicitation = models.ForeignKey(
        Solicitation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("posée le"), default=timezone.now)
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("question d'un prestataire")
        verbose_name_plural = _("questions des prestataires")
        constraints = [
            models.CheckConstraint(
                name="question_published_has_answer",
                condition=Q(published_at__isnull=True) | ~Q(answer=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.solicitation_id}: {self.text[:40]}"


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")


class ServiceResponse(models.Model):
    """A solicited provider's response (002 §3.3.3): its price in the request's mode, the
    documents asked for (in the store), its answers to the declared criteria. Sealed until the
    deadline: the client side reads it only once the responses are opened (selectors and
    policies); its completeness is the client's decision (002 §3.4)."""

    solicitation = models.OneToOneField(
        Solicitation, on_delete=models.CASCADE, related_name="response"
    )
    state = models.CharField(
        _("état"), max_length=20, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    lines = models.JSONField(_("activités"), default=list)  # [{"activity","rate_cents","hours"}]
    lump_sum_cents = models.BigIntegerField(_("prix forfaitaire (¢)"), null=True, blank=True)
    total_cents = models.BigIntegerField(_("prix total (¢)"), default=0)  # computed by rules
    criteria_answers = models.JSONField(_("réponses aux critères"), default=dict)  # code -> text
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complete = models.BooleanField(_("complète"), null=True, blank=True)  # None: undecided
    completeness_note = models.TextField(_("note sur la complétude"), blank=True)
    documents = GenericRelation(
        "documents.Document", content_type_field="subject_type", object_id_field="subject_id"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse d'un prestataire")
        verbose_name_plural = _("réponses des prestataires")
        constraints = [
            models.CheckConstraint(
                name="response_total_not_negative", condition=Q(total_cents__gte=0)
            ),
            models.CheckConstraint(
                name="response_submitted_has_time",
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.solicitation_id}: {self.total_cents} ¢"

    @property
    def criteria_labelled(self) -> list[tuple[str, str]]:
        """The answers to the request's criteria, each under the criterion's label."""
        labels = {c["code"]: c["label"] for c in self.solicitation.request.criteria}
        return [(labels.get(code, code), text) for code, text in self.criteria_answers.items()]

    def audit_snapshot(self) -> dict[str, object]:
        return {
            "state": self.state,
            "lines": self.lines,
            "lump_sum_cents": self.lump_sum_cents,
            "total_cents": self.total_cents,
            "criteria_answers": self.criteria_answers,
        }


class NonParticipationReason(models.TextChoices):
    WORKLOAD = "workload", _("Carnet de commandes complet, ressources non disponibles")
    DEADLINE = "deadline", _("Délai de réponse trop court")
    SCOPE = "scope", _("Besoin hors de notre expertise")
    REQUIREMENTS = "requirements", _("Exigences trop restrictives")
    PRICE_MODE = "price_mode", _("Mode de rémunération inadapté")
    SIZE = "size", _("Contrat trop petit ou trop grand pour notre entreprise")
    OTHER = "other", _("Autre raison")


class NonParticipationState(models.TextChoices):
    PENDING = "pending", _("En attente")
    RETURNED = "returned", _("Retourné")
    NEVER_RETURNED = "never_returned", _("Jamais retourné")


class NonParticipation(models.Model):
    """The questionnaire a solicited provider who did not respond returns (002 §3.5): reasons
    and a comment, chased by reminders; one never returned is recorded as such at hand-off."""

    solicitation = models.OneToOneField(
        Solicitation, on_delete=models.CASCADE, related_name="non_participation"
    )
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=NonParticipationState.choices,
        default=NonParticipationState.PENDING,
    )
    reasons = models.JSONField(_("raisons"), default=list)  # NonParticipationReason values
    comment = models.TextField(_("commentaire"), blank=True)
    returned_at = models.DateTimeField(_("retourné le"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminders = models.PositiveSmallIntegerField(_("relances"), default=0)
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire de non-participation")
        verbose_name_plural = _("questionnaires de non-participation")
        constraints = [
            models.CheckConstraint(
                name="non_participation_returned_has_reason",
                condition=~Q(state="returned") | Q(returned_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.solicitation_id}: {self.state}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(NonParticipationReason(r).label) for r in self.reasons]


class ServiceChoice(models.Model):
    """The response chosen (002 §3.4), the criteria besides price it rests on (declared in the
    request), whether it is the lowest complete price, and the authorisations it calls for."""

    file = models.OneToOneField(ServiceFile, on_delete=models.CASCADE, related_name="choice")
    response = models.ForeignKey(ServiceResponse, on_delete=models.PROTECT, related_name="+")
    is_lowest = models.BooleanField(_("prix le plus bas"))
    criteria_used = models.JSONField(_("critères retenus"), default=list)  # declared codes
    justification = models.TextField(_("justification"), blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("choix du prestataire")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.response_id}"


class ServiceHeadAuthorisation(models.Model):
    """RCTI art. 48 (002 §3.4): the head of the organisation's prior authorisation of the
    choice, with its justification and the signed document (the same record as the solutions
    track's); it covers the response chosen when it was recorded."""

    file = models.OneToOneField(
        ServiceFile, on_delete=models.CASCADE, related_name="head_authorisation"
    )
    response = models.ForeignKey(ServiceResponse, on_delete=models.PROTECT, related_name="+")
    criteria = models.JSONField(_("critères"))  # declared criteria codes the justification uses
    justification = models.TextField(_("justification"))
    head_name = models.CharField(_("dirigeant d'organisme"), max_length=200)
    authorised_on = models.DateField(_("autorisé le"))
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autorisation du dirigeant d'organisme (services)")
        verbose_name_plural = _("autorisations du dirigeant d'organisme (services)")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.head_name}"


class ServiceFinancialAuthorisation(models.Model):
    """002 §3.4: the financial authorisation for the total estimated amount of the contract."""

    file = models.OneToOneField(
        ServiceFile, on_delete=models.CASCADE, related_name="financial_authorisation"
    )
    amount_cents = models.BigIntegerField(_("montant autorisé (¢)"))
    authorised_on = models.DateField(_("autorisé le"))
    authorised_by_name = models.CharField(_("autorisé par"), max_length=200)
    reference = models.CharField(_("référence interne"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autorisation financière (services)")
        constraints = [
            models.CheckConstraint(
                name="service_financial_positive", condition=Q(amount_cents__gt=0)
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.amount_cents} ¢"


class HandoffPackage(models.Model):
    """What the client hands the broker for contract preparation (002 §3.5), frozen: the final
    request (its PDF in the store), the chosen provider and its response, the solicited
    providers and the reasons for those left out, the non-participation questionnaires, the
    authorisations. Immutable once created; the contracts issue reads it."""

    file = models.OneToOneField(ServiceFile, on_delete=models.PROTECT, related_name="handoff")
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    total_cents = models.BigIntegerField()
    content = models.JSONField()  # frozen
    handed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handed_off_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dossier remis à la préparation du contrat")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.total_cents} ¢"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("a handoff package is frozen")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object):  # type: ignore[override]
        raise RuntimeError("a handoff package is frozen")
