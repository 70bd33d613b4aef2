"""Demo feedback and complaints (issue 14): three of the Ministère de l'Enseignement supérieur
(acquisitions@mes.example), sent and handled only through the services (every move audited),
each lived on its own days on a clock set back (``acquisitions.demo._on``):

1. ``DISPUTE_SUBJECT``: a dispute with Boréale on the contract in force
   (``contracts.demo.IN_FORCE_TITLE``), received 40 days ago, assigned to Mathieu Gagnon
   (agent@courtier.example) and answered, still not settled: it persists (DOMAIN §5.10), flagged
   on the broker's list and in Boréale's standing.
2. ``FEEDBACK_SUBJECT``: a feedback on the acquisition documents, answered and closed.
3. ``UNAVAILABILITY_SUBJECT``: a complaint about the prolonged unavailability of the contract's
   offer, received two days ago, waiting to be assigned.

Loading twice changes nothing: each story is skipped when its subject exists already."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions.demo import _on
from courtier.complaints import rules
from courtier.complaints.models import Complaint
from courtier.complaints.services import complaints as services
from courtier.contracts.demo import IN_FORCE_TITLE
from courtier.contracts.models import Contract

CLIENT = "acquisitions@mes.example"
BROKER = "agent@courtier.example"
DISPUTE_SUBJECT = "Désaccord sur l'interprétation des niveaux de service"
FEEDBACK_SUBJECT = "Gabarit de demande de prix difficile à remplir"
UNAVAILABILITY_SUBJECT = "Réseau social inaccessible depuis plusieurs jours"
DISPUTE_DAYS_AGO = 40
FEEDBACK_DAYS_AGO = 20
UNAVAILABILITY_DAYS_AGO = 2


def _at(day: date, hour: int = 10) -> Any:
    return _on(timezone.make_aware(datetime.combine(day, time(hour))))


def load() -> None:
    """Load the demo complaints (called by courtier.demo.load_demo after contracts.load)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    client, broker = User.objects.get(email=CLIENT), User.objects.get(email=BROKER)
    contract = Contract.objects.filter(client=mes, title=IN_FORCE_TITLE).first()
    existing = set(Complaint.objects.filter(client=mes).values_list("subject", flat=True))
    today = timezone.localdate()
    if contract is not None and DISPUTE_SUBJECT not in existing:
        _dispute(client, broker, mes, contract, today)
    if FEEDBACK_SUBJECT not in existing:
        _feedback(client, broker, mes, today)
    if contract is not None and UNAVAILABILITY_SUBJECT not in existing:
        _unavailability(client, mes, contract, today)


def _dispute(client: User, broker: User, mes: Organisation, contract: Contract, today: date):
    received = today - timedelta(days=DISPUTE_DAYS_AGO)
    with _at(received):
        complaint = services.complaint_submit(
            by=client,
            client=mes,
            category=rules.Category.DISPUTE,
            subject=DISPUTE_SUBJECT,
            description=(
                "Boréale estime que les interruptions planifiées le week-end ne comptent pas dans "
                "la disponibilité mensuelle ; nous lisons le contrat autrement. Nous tentons de "
                "régler le différend avec le fournisseur et vous en informons."
            ),
            contract_id=contract.pk,
            supplier_id=contract.supplier_id,
        )
    with _at(received + timedelta(days=1)):
        services.complaint_assign(by=broker, complaint=complaint, assignee=broker)
    with _at(received + timedelta(days=5)):
        services.complaint_answer(
            by=broker,
            complaint=complaint,
            text=(
                "Les conditions de l'entente-cadre définissent la disponibilité sur le mois "
                "entier ; nous avons rappelé à Boréale ses engagements. Tenez-nous informés."
            ),
        )


def _feedback(client: User, broker: User, mes: Organisation, today: date):
    received = today - timedelta(days=FEEDBACK_DAYS_AGO)
    with _at(received):
        complaint = services.complaint_submit(
            by=client,
            client=mes,
            category=rules.Category.DOCUMENTS,
            subject=FEEDBACK_SUBJECT,
            description=(
                "La section sur les livrables du gabarit gagnerait à donner un exemple rempli."
            ),
        )
    with _at(received + timedelta(days=1)):
        services.complaint_assign(by=broker, complaint=complaint, assignee=broker)
    with _at(received + timedelta(days=4)):
        services.complaint_answer(
            by=broker,
            complaint=complaint,
            text="Merci : un exemple rempli sera ajouté à la prochaine version du gabarit.",
        )
    with _at(received + timedelta(days=6)):
        services.complaint_close(by=broker, complaint=complaint)


def _unavailability(client: User, mes: Organisation, contract: Contract, today: date):
    offers = [int(o["offer"]) for o in (contract.basis or {}).get("offers", []) if o.get("offer")]
    if not offers:
        return
    with _at(today - timedelta(days=UNAVAILABILITY_DAYS_AGO)):
        services.complaint_submit(
            by=client,
            client=mes,
            category=rules.Category.UNAVAILABILITY,
            subject=UNAVAILABILITY_SUBJECT,
            description="Le service est inaccessible pour la plupart de nos employés depuis lundi.",
            contract_id=contract.pk,
            offer_id=offers[0],
        )
