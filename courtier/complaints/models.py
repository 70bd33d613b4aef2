"""Feedback and complaints to the broker (DOMAIN §5.6, §5.10; 002 §4.6): a client's people send
one, linked to the contract, offer or supplier it is about; the broker assigns, answers (each
answer kept) and closes it; the client sees its status. Suppliers and providers never see them,
not even one about themselves (``rules.may_see``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.complaints import rules

C = rules.Category


class ComplaintCategory(models.TextChoices):
    # 002 §4.6: the guide's bullets, in its words.
    DOCUMENTS = C.DOCUMENTS, _("Améliorer les documents relatifs au processus d'acquisition")
    CATALOGUE_DATA = C.CATALOGUE_DATA, _("Corriger une information inexacte au Catalogue")
    CONDITIONS = C.CONDITIONS, _("Améliorer les conditions contractuelles")
    SECURITY = C.SECURITY, _("Améliorer les exigences de sécurité")
    NEW_CATEGORY = C.NEW_CATEGORY, _("Proposer un nouveau volet d'offres infonuagiques")
    DISPUTE = C.DISPUTE, _("Litige")
    REFUSAL_TO_SIGN = C.REFUSAL_TO_SIGN, _("Refus de signer un contrat")
    TERMINATION = C.TERMINATION, _("Résiliation")
    BREACH = C.BREACH, _("Non-respect des conditions du contrat spécifique ou de l'entente-cadre")
    UNAVAILABILITY = C.UNAVAILABILITY, _("Non-disponibilité prolongée")
    PERFORMANCE = C.PERFORMANCE, _("Problèmes de performance récurrents")


class ComplaintState(models.TextChoices):
    OPEN = rules.State.OPEN, _("Reçue")
    ASSIGNED = rules.State.ASSIGNED, _("Prise en charge par le Courtier")
    ANSWERED = rules.State.ANSWERED, _("Répondue par le Courtier")
    CLOSED = rules.State.CLOSED, _("Fermée")


class ComplaintAction(models.TextChoices):
    ASSIGN = rules.Action.ASSIGN, _("Assigner")
    ANSWER = rules.Action.ANSWER, _("Répondre au client")
    CLOSE = rules.Action.CLOSE, _("Fermer")


class Complaint(models.Model):
    """One feedback or complaint of a client body to the broker (002 §4.6)."""

    reference = models.CharField(_("numéro"), max_length=20, unique=True)  # PL-2026-0001
    category = models.CharField(_("catégorie"), max_length=30, choices=ComplaintCategory.choices)
    state = models.CharField(
        _("état"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.OPEN
    )
    client = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("organisme client"),
    )
    # DOMAIN §5.6: linked to a contract, an offer or a supplier where it applies (rules.LINK_RULES).
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("contrat spécifique"),
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("offre"),
    )
    supplier = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_named_in",
        verbose_name=_("fournisseur ou prestataire"),
    )
    # The supplier the complaint is about (named, or that of its contract or offer): whose
    # standing counts it (issue 14 §2; rules.concerned_supplier). Immutable.
    concerned_supplier = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
        verbose_name=_("fournisseur concerné"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsable au Courtier"),
    )
    received_on = models.DateField(_("reçue le"))
    # DOMAIN §5.10: the day it was closed is the day a dispute was settled.
    closed_on = models.DateField(_("fermée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("rétroaction ou plainte")
        verbose_name_plural = _("rétroactions et plaintes")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["state", "category"]),
            models.Index(fields=["concerned_supplier", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in rules.State]),
                name="complaint_state_known",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in rules.Category]),
                name="complaint_category_known",
            ),
            # Issue 14 §1: a complaint past « open » has a broker's person handling it.
            models.CheckConstraint(
                condition=Q(state=rules.State.OPEN) | Q(assignee__isnull=False),
                name="complaint_assigned_after_open",
            ),
            models.CheckConstraint(
                condition=Q(state=rules.State.CLOSED, closed_on__isnull=False)
                | (~Q(state=rules.State.CLOSED) & Q(closed_on__isnull=True)),
                name="complaint_closed_on_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_complaint(self) -> bool:
        return rules.is_complaint(self.category)


class ComplaintAnswer(models.Model):
    """One answer of the broker to the client, kept in order (issue 14 §1)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("réponse"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )
    created_at = models.DateTimeField(_("répondue le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse du Courtier")
        verbose_name_plural = _("réponses du Courtier")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d}"
