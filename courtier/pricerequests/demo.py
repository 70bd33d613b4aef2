"""Demo service acquisitions (issue 12): what the demo client, the demo provider and the broker
see, built only through the services on the demo Catalogue's qualifications and providers
(courtier/catalogue/demo.py). Dates are relative to today; stories that started in the past
are lived on a clock set back (``acquisitions.demo._on``).

For the Ministère de l'Enseignement supérieur (acquisitions@mes.example, subject to the RCTI):

1. ``RESPONSE_TITLE``, step 3, at the response stage: « Migration vers l'infonuagique », sent
   three business days ago to Conseil TI Saint-Laurent (the demo provider,
   representant@conseil-ti.example, whose draft awaits its submission) and Expertise Numérique
   Capitale, which asked a written question, answered to both (its name never shown).
2. ``HANDED_OFF_TITLE``, handed off: a migration request sent seven weeks ago; Conseil TI
   responded, Expertise Capitale returned its non-participation questionnaire; the lowest
   (and only) complete response retained, the funds authorised, the package handed to the
   broker for contract preparation.
3. ``VALIDATION_TITLE``, step 3, submitted: cloud architecture, a single provider qualified
   (the broker recommends the head's authorisation), awaiting the broker's validation
   (agent@courtier.example's queue).

Loading twice changes nothing: each file is skipped when its client already has it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions.demo import _on
from courtier.calendar import selectors as calendar
from courtier.catalogue import demo as catalogue_demo
from courtier.pricerequests import rules
from courtier.pricerequests.models import ServiceFile
from courtier.pricerequests.services import choice as choice_services
from courtier.pricerequests.services import files as files_services
from courtier.pricerequests.services import questions as questions_services
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import responses as responses_services
from courtier.pricerequests.services import transitions

CLIENT = "acquisitions@mes.example"
BROKER = "agent@courtier.example"
PROVIDER = "representant@conseil-ti.example"  # Conseil TI Saint-Laurent inc.
OTHER_PROVIDER = "representant@expertise-capitale.example"
RESPONSE_TITLE = "Migration de trois applications vers l'infonuagique"
HANDED_OFF_TITLE = "Migration du système de gestion des bourses"
VALIDATION_TITLE = "Architecture de la zone d'accueil infonuagique"
TITLES = (RESPONSE_TITLE, HANDED_OFF_TITLE, VALIDATION_TITLE)
MIGRATION = "migration-infonuagique"
TZ = ZoneInfo("America/Toronto")
ARCHITECTURE = "architecture-infonuagique"

NEEDS = {
    "duration_months": 10,
    "schedule": "Démarrage à la signature ; inventaire en 6 semaines ; bascules au printemps.",
    "remuneration": "hourly",
    "current_context": (
        "Trois applications Java et leurs bases Oracle au centre de traitement du ministère."
    ),
    "target_context": "Les applications en production sur le nuage gouvernemental (NGQ).",
    "activities": (
        "Inventaire et stratégie par application ; migration et essais ; bascule ; soutien "
        "post-migration de 30 jours."
    ),
    "deliverables": "Stratégie de migration ; plan de bascule ; rapport de fin de migration.",
    "responsibilities": (
        "Le ministère fournit les accès et un responsable par application ; le prestataire "
        "réalise la migration et forme l'équipe."
    ),
    "payment_terms": "Paiement mensuel sur feuilles de temps approuvées, dans les 30 jours.",
    "penalties": "Aucune pénalité.",
}
CRITERIA = [
    {
        "code": "deplacements",
        "label": "Réduction des déplacements (travail à distance)",
        "environmental": True,
    }
]
DOCUMENTS_ASKED = ["Curriculum vitæ des ressources proposées"]
MIGRATION_SUMMARY = "Migration de trois applications vers le nuage gouvernemental, en 10 mois."
BURSARIES_SUMMARY = "Migration du système de gestion des bourses et de sa base Oracle."
ARCHITECTURE_SUMMARY = "Conception de la zone d'accueil infonuagique du ministère."


def _sections(template_sections: list[dict]) -> dict[str, str]:
    texts = {
        "contexte": "Le ministère migre ses applications vers le nuage gouvernemental.",
        "environnement": NEEDS["current_context"] + " Cible : " + NEEDS["target_context"],
        "activites": NEEDS["activities"] + " Livrables : " + NEEDS["deliverables"],
        "responsabilites": NEEDS["responsibilities"],
        "echeancier": NEEDS["schedule"],
        "exigences": "Habilitation sécuritaire de niveau « fiabilité » pour chaque ressource.",
        "remuneration": "Taux horaire par activité ; " + NEEDS["payment_terms"],
        "reponse": "Déposer la réponse sur la plateforme du Courtier avant la date limite.",
    }
    return {s["code"]: texts.get(s["code"], s["title"]) for s in template_sections}


def _file(
    by: User, client: Organisation, title: str, qualification: str, summary: str
) -> ServiceFile:
    file = files_services.service_file_create(by=by, client=client, title=title)
    files_services.service_needs_update(by=by, file=file, **NEEDS)
    transitions.service_file_transition(by=by, file=file, action=rules.Action.SUBMIT_NEEDS)
    files_services.service_qualifications_set(
        by=by, file=file, codes=[qualification], scope_confirmed=True
    )
    transitions.service_file_transition(by=by, file=file, action=rules.Action.CONFIRM_SCOPE)
    file = ServiceFile.objects.get(pk=file.pk)
    request = file.request
    requests_services.price_request_update(
        by=by,
        request=request,
        sections=_sections(request.template.sections),
        criteria=CRITERIA,
        documents_asked=DOCUMENTS_ASKED,
        summary=summary,
        estimated_cents=18_500_000,
    )
    transitions.price_request_submit(by=by, request=request)
    return ServiceFile.objects.get(pk=file.pk)


def _sent(by: User, broker: User, file: ServiceFile, sent_on) -> ServiceFile:
    transitions.price_request_approve(by=broker, request=file.request)
    transitions.price_request_send(
        by=by,
        request=file.request,
        deadline_on=calendar.business_days_after(sent_on, 12),
        question_cutoff_on=calendar.business_days_after(sent_on, 6),
    )
    return ServiceFile.objects.get(pk=file.pk)


def _draft(rep: User, file: ServiceFile) -> None:
    solicitation = file.request.solicitations.get(provider__memberships__user=rep)
    responses_services.response_save(
        by=rep,
        solicitation=solicitation,
        lines=[
            {"activity": "Inventaire et stratégie", "rate_cents": 13_500, "hours": "120"},
            {"activity": "Migration et essais", "rate_cents": 12_500, "hours": "640"},
            {"activity": "Bascule et soutien", "rate_cents": 12_500, "hours": "160"},
        ],
        criteria_answers={"deplacements": "Équipe à distance ; deux visites sur place."},
    )
    responses_services.response_document_add(
        by=rep,
        solicitation=solicitation,
        asked=DOCUMENTS_ASKED[0],
        name="cv-ressources.pdf",
        content=catalogue_demo.pdf(
            "Curriculum vitae des ressources proposées",
            [
                f"Demande de prix {file.reference}",
                "Chargée de projet : 14 ans, 9 migrations vers l'infonuagique.",
                "Architecte : 11 ans, certifié en infonuagique gouvernementale.",
            ],
        ),
        content_type="application/pdf",
    )


def _response_stage(client: User, broker: User, mes: Organisation, today) -> None:
    sent_on = calendar.business_days_after(today - timedelta(days=7), 0)
    with _on(datetime.combine(sent_on, time(9, 30), tzinfo=TZ)):
        file = _sent(
            client,
            broker,
            _file(client, mes, RESPONSE_TITLE, MIGRATION, MIGRATION_SUMMARY),
            sent_on,
        )
        other = User.objects.get(email=OTHER_PROVIDER)
        question = questions_services.question_ask(
            by=other,
            solicitation=file.request.solicitations.get(provider__memberships__user=other),
            text="Les bases Oracle seront-elles converties vers PostgreSQL pendant le contrat ?",
        )
        questions_services.question_answer(
            by=client,
            question=question,
            answer="Non : les bases restent sous Oracle ; seule leur infrastructure change.",
        )
        _draft(User.objects.get(email=PROVIDER), file)


def _handed_off(client: User, broker: User, mes: Organisation, today) -> None:
    sent_on = calendar.business_days_after(today - timedelta(days=49), 0)
    with _on(datetime.combine(sent_on, time(10), tzinfo=TZ)):
        file = _sent(
            client,
            broker,
            _file(client, mes, HANDED_OFF_TITLE, MIGRATION, BURSARIES_SUMMARY),
            sent_on,
        )
        rep = User.objects.get(email=PROVIDER)
        _draft(rep, file)
        solicitation = file.request.solicitations.get(provider__memberships__user=rep)
        response = responses_services.response_submit(by=rep, solicitation=solicitation)
    opened = calendar.business_days_after(timezone.localtime(file.request.deadline_at).date(), 1)
    with _on(datetime.combine(opened, time(9), tzinfo=TZ)):
        transitions.service_file_transition(
            by=client, file=file, action=rules.Action.OPEN_RESPONSES
        )
        other = User.objects.get(email=OTHER_PROVIDER)
        questionnaire = file.request.solicitations.get(
            provider__memberships__user=other
        ).non_participation
        responses_services.non_participation_return(
            by=other,
            questionnaire=questionnaire,
            reasons=["workload"],
            comment="Nos équipes de migration sont engagées jusqu'à l'été.",
        )
        responses_services.response_completeness_record(
            by=client, response=response, complete=True, note="Chaque élément est couvert."
        )
        file = ServiceFile.objects.get(pk=file.pk)
        choice_services.choice_record(by=client, file=file, response=response)
        choice_services.service_financial_authorisation_record(
            by=User.objects.get(email="finances@mes.example"),
            file=file,
            amount_cents=response.total_cents,
            authorised_on=opened,
            authorised_by_name="Isabelle Gauthier, direction des ressources financières",
            reference="AF-2026-118",
        )
        transitions.service_file_transition(by=client, file=file, action=rules.Action.HAND_OFF)


def load() -> None:
    """Load the demo service acquisitions (called by courtier.demo.load_demo, inside its
    transaction, once the people and the demo Catalogue exist)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    existing = set(
        ServiceFile.objects.filter(client=mes, title__in=TITLES).values_list("title", flat=True)
    )
    client = User.objects.get(email=CLIENT)
    broker = User.objects.get(email=BROKER)
    today = timezone.localdate()
    if RESPONSE_TITLE not in existing:
        _response_stage(client, broker, mes, today)
    if HANDED_OFF_TITLE not in existing:
        _handed_off(client, broker, mes, today)
    if VALIDATION_TITLE not in existing:
        _file(client, mes, VALIDATION_TITLE, ARCHITECTURE, ARCHITECTURE_SUMMARY)
