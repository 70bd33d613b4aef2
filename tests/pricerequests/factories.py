"""Service acquisition test data, built through the real services only (the broker qualifies
providers the way it does in the Catalogue; a file moves through its steps the way a client moves
it), so every row a test reads was written by the code under test.

The Catalogue (``qualify_providers``): two qualifications, « cyber » and « migration ».
Prestataire F (``orgs["provider"]``), Prestataire G (``orgs["provider_other"]``) and Prestataire
H (made here) are qualified in both; Prestataire I only in « cyber »: a file choosing both
preselects F, G and H.

The clock: the request is sent on Monday 2026-10-05 at 9:00 (``SENT_AT``); Thanksgiving (Monday
2026-10-12) is not a business day, so 10 business days later is Tuesday 2026-10-20
(``DEADLINE_ON``, at 14:00) and 15 is Tuesday 2026-10-27.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from courtier.accounts.models import Organisation, Role, User
from courtier.calendar import selectors as calendar
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from courtier.pricerequests import rules
from courtier.pricerequests.models import ServiceFile, Solicitation
from courtier.pricerequests.services import choice as choice_services
from courtier.pricerequests.services import files as files_services
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import responses as responses_services
from courtier.pricerequests.services import transitions
from tests.factories import make_organisation, make_person

TZ = ZoneInfo("America/Toronto")
State = rules.State
SENT_AT = datetime(2026, 10, 5, 9, 0, tzinfo=TZ)
DEADLINE_ON = date(2026, 10, 20)  # 10 business days after 2026-10-05 (Thanksgiving skipped)
LATEST_DEADLINE_ON = date(2026, 10, 27)  # 15 business days
CUTOFF_ON = date(2026, 10, 14)
DEADLINE_AT = datetime(2026, 10, 20, 14, 0, tzinfo=TZ)
QUALIFICATIONS = ("cyber", "migration")
NEEDS: dict[str, Any] = {
    "duration_months": 12,
    "schedule": "Démarrage en janvier ; livraison finale en juin.",
    "remuneration": "hourly",
    "current_context": "Centre de traitement interne, 40 serveurs virtuels.",
    "target_context": "Charges migrées vers l'infonuagique gouvernementale.",
    "activities": "Analyse de sécurité, plan de migration, accompagnement.",
    "deliverables": "Rapport d'analyse ; plan de migration ; bilan.",
    "responsibilities": "Le client fournit les accès ; le prestataire réalise les analyses.",
    "payment_terms": "Paiement mensuel sur feuilles de temps approuvées.",
    "penalties": "Aucune.",
}
CRITERIA = [
    {"code": "ges", "label": "Bilan carbone des déplacements", "environmental": True},
    {"code": "experience", "label": "Expérience en migration de centres de traitement"},
]
DOCUMENTS_ASKED = ["Curriculum vitæ des ressources"]


def qualify_providers(orgs: dict[str, Organisation]) -> dict[str, Organisation]:
    """F, G and H qualified in both qualifications, I only in « cyber » (see the module)."""
    codes = {
        "cyber": "Conseil en cybersécurité infonuagique",
        "migration": "Migration vers l'infonuagique",
    }
    qualifications = {
        code: qualification_create(
            by=None, code=code, name=name, scope_description=f"Portée : {name.lower()}."
        )
        for code, name in codes.items()
    }
    providers = {
        "F": orgs["provider"],
        "G": orgs["provider_other"],
        "H": make_organisation("provider", name="Prestataire H"),
        "I": make_organisation("provider", name="Prestataire I"),
    }
    for letter, provider in providers.items():
        agreement = framework_agreement_save(
            by=None,
            organisation=provider,
            number=f"EC-SP-{letter}-{provider.pk}",
            title=f"Services professionnels — {provider.name}",
            starts_on=date(2024, 1, 1),
            ends_on=date(2030, 12, 31),
        )
        for code in ("cyber",) if letter == "I" else QUALIFICATIONS:
            provider_qualify(
                by=None,
                qualification=qualifications[code],
                provider=provider,
                agreement=agreement,
                qualified_on=date(2024, 6, 3),
                contact_name=f"Contact {letter}",
                contact_email=f"contact-{letter.lower()}-{provider.pk}@prestataire.example",
            )
    return providers


def provider_people(providers: dict[str, Organisation]) -> dict[str, User]:
    """A representative of H and I (F and G have theirs in ``people``)."""
    return {
        letter: make_person(providers[letter], Role.PROVIDER_REP, f"rep-{letter.lower()}")
        for letter in ("H", "I")
    }


def request_filled(by: User, file: ServiceFile) -> None:
    request = file.request
    requests_services.price_request_update(
        by=by,
        request=request,
        sections={
            s["code"]: f"Texte de la section {s['title']}." for s in request.template.sections
        },
        criteria=CRITERIA,
        documents_asked=DOCUMENTS_ASKED,
        summary="Analyse de sécurité et plan de migration de 40 serveurs.",
        estimated_cents=15_000_000,
    )


def file_at(
    by: User,
    client: Organisation,
    step: str,
    *,
    broker: User | None = None,
    exclude: tuple[Organisation, ...] = (),
    responder_of: User | None = None,
) -> ServiceFile:
    """A file of ``client`` moved by ``by`` up to ``step``: "needs", "catalogue",
    "solicitation" (draft request), "filled", "submitted", "approved" (by the broker
    ``broker``), "sent" (at ``SENT_AT`` with the deadline ``DEADLINE_ON``) or "sent_now" (today),
    then "opened", "decided" and "handed_off" (``responder_of``, a representative of a provider
    on the list, responds)."""
    file = files_services.service_file_create(by=by, client=client, title="Sécurité et migration")
    if step == "needs":
        return file
    files_services.service_needs_update(by=by, file=file, **NEEDS)
    transitions.service_file_transition(by=by, file=file, action=rules.Action.SUBMIT_NEEDS)
    if step == "catalogue":
        return ServiceFile.objects.get(pk=file.pk)
    files_services.service_qualifications_set(
        by=by, file=file, codes=list(QUALIFICATIONS), scope_confirmed=True
    )
    transitions.service_file_transition(by=by, file=file, action=rules.Action.CONFIRM_SCOPE)
    file = ServiceFile.objects.get(pk=file.pk)
    for provider in exclude:
        files_services.shortlist_exclude(
            by=by, file=file, provider_id=provider.pk, reason="Conflit d'intérêts déclaré."
        )
    if step == "solicitation":
        return file
    request_filled(by, file)
    if step == "filled":
        return ServiceFile.objects.get(pk=file.pk)
    transitions.price_request_submit(by=by, request=file.request)
    if step == "submitted":
        return ServiceFile.objects.get(pk=file.pk)
    transitions.price_request_approve(by=broker, request=file.request)
    if step == "approved":
        return ServiceFile.objects.get(pk=file.pk)
    if step == "sent_now":
        # Sent today: the deadline and the question cut-off still ahead (real clock).
        today = timezone.localdate()
        transitions.price_request_send(
            by=by,
            request=file.request,
            deadline_on=calendar.business_days_after(today, 10),
            question_cutoff_on=calendar.business_days_after(today, 3),
        )
        return ServiceFile.objects.get(pk=file.pk)
    with time_machine.travel(SENT_AT, tick=False):
        transitions.price_request_send(
            by=by, request=file.request, deadline_on=DEADLINE_ON, question_cutoff_on=CUTOFF_ON
        )
    if step == "sent":
        return ServiceFile.objects.get(pk=file.pk)
    # "opened", "decided", "handed_off": the first provider responds, the file is opened after
    # the deadline (its responses decided complete, the lowest chosen and handed off).
    first = file.request.solicitations.get(provider=responder_of.memberships.first().organisation)
    with time_machine.travel(SENT_AT + timedelta(days=1), tick=False):
        response = respond(responder_of, first)
    with time_machine.travel(DEADLINE_AT + timedelta(hours=1), tick=False):
        transitions.service_file_transition(by=by, file=file, action=rules.Action.OPEN_RESPONSES)
        if step == "opened":
            return ServiceFile.objects.get(pk=file.pk)
        responses_services.response_completeness_record(by=by, response=response, complete=True)
        if step == "decided":
            return ServiceFile.objects.get(pk=file.pk)
        file = ServiceFile.objects.get(pk=file.pk)
        choice_services.choice_record(by=by, file=file, response=response)
        choice_services.service_financial_authorisation_record(
            by=by,
            file=file,
            amount_cents=response.total_cents,
            authorised_on=DEADLINE_ON,
            authorised_by_name="Direction des finances",
        )
        transitions.service_file_transition(by=by, file=file, action=rules.Action.HAND_OFF)
    return ServiceFile.objects.get(pk=file.pk)


def respond(by: User, solicitation: Solicitation, *, hours: str = "100", rate_cents: int = 12_000):
    """A complete hourly response, submitted before the deadline."""
    responses_services.response_save(
        by=by,
        solicitation=solicitation,
        lines=[{"activity": "Analyse de sécurité", "rate_cents": rate_cents, "hours": hours}],
        criteria_answers={"experience": "Trois migrations semblables."},
    )
    from tests.factories import pdf_bytes

    responses_services.response_document_add(
        by=by,
        solicitation=solicitation,
        asked=DOCUMENTS_ASKED[0],
        name="cv.pdf",
        content=pdf_bytes(f"cv {solicitation.pk}"),
        content_type="application/pdf",
    )
    return responses_services.response_submit(by=by, solicitation=solicitation)
