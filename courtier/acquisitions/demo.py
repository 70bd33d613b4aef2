"""Demo acquisition files (issue 4): what a client sees at each step, built only through the
services (so every change is audited and every generated document kept, rendered by a task
after the demo's commit), on the demo Catalogue's real offers and prices
(courtier/catalogue/demo.py). Dates are relative to today.

For the Ministère de l'Enseignement supérieur (acquisitions@mes.example, subject to the RCTI):

1. ``NEEDS_TITLE``, step 1: desktop videoconferencing, the questionnaire partly answered and
   one line of the consumption plan.
2. ``COMPLIANCE_TITLE``, step 3: file sharing hosted in Quebec with personal information; two
   offers listed (Nuagique's NQ-FICHIERS, Laurentides' IL-TRANSFERT), two requirements judged
   by the client (one verdict still to determine), a question Nuagique answered, one Laurentides
   has not answered yet, and a 45-day trial of 20 units of NQ-FICHIERS.
3. ``STARTUP_TITLE``, step 5: email for 36 months, hosted in Canada, personal information
   involved; NQ-COURRIEL and IL-COURRIEL compliant; the scenarios computed; Nuagique's chosen,
   which is NOT the lowest (Laurentides' is), so the head of the organisation authorised it
   (RCTI art. 48, with its signed document); EFVP done; financial authorisation for the total
   plus planned additions; the choice confirmed and the startup meeting convened by the broker
   in a week. It stays at step 5: the strategy is frozen only after the meeting has been held.
4. ``FROZEN_TITLE``, frozen: online forms, the lowest scenario chosen, the funds authorised,
   the startup meeting held and the strategy frozen, four weeks ago. A meeting can only be
   convened in the future, so this story is lived on a clock set in the past (``_on``).
5. ``CHOICE_TITLE``, step 4: team chat, opened two weeks ago with a question Boréales never
   answered (overdue: the broker follows up); Boréales' scenario chosen, NOT the lowest, so the
   head's authorisation (art. 48), the financial authorisation and the EFVP are awaited.

For the group purchaser (acquisitions@care.example):

6. ``GROUP_TITLE``, step 1: a group purchase of email accounts for the education network, to
   which two member bodies (Cégep de Sainte-Foy, Université du Québec à Rimouski) added their own
   consumption (the Centre de services scolaire's is awaited).
7. ``GROUP_NEEDS_TITLE``, step 1: a collaboration platform, every member's consumption awaited.

For the Ville de Gatineau (acquisitions@gatineau.example):

8. ``CITY_TITLE``, step 1: online public consultations, the questionnaire just begun.

So every demo account has something awaiting it on its home page (tests/acquisitions/
test_demo.py). Loading twice changes nothing: each file is skipped when its client already has
a file of that title.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine
from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions import checks, rules
from courtier.acquisitions.models import AcquisitionFile, CandidateOffer, Requirement, Scenario
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.acquisitions.services import startup as startup_services
from courtier.acquisitions.services import transitions as transitions_services
from courtier.calendar import selectors as calendar
from courtier.catalogue.demo import pdf
from courtier.catalogue.models import Offer

CLIENT = "acquisitions@mes.example"
HEAD = "dirigeant@mes.example"
FINANCE = "finances@mes.example"
BROKER_AGENT = "agent@courtier.example"
SUPPLIER_REP = "representant@nuagique.example"
GROUP_BUYER = "acquisitions@care.example"
CITY_BUYER = "acquisitions@gatineau.example"
NUAGIQUE = "Nuagique Québec inc."
LAURENTIDES = "Infonuage Laurentides inc."
BOREALES = "Solutions Boréales Infonuagiques ltée"

NEEDS_TITLE = "Visioconférence pour les directions régionales"
COMPLIANCE_TITLE = "Partage et synchronisation des fichiers du ministère"
STARTUP_TITLE = "Courriel et calendrier des employés du ministère"
GROUP_TITLE = "Courriel des élèves et du personnel du réseau (achat regroupé)"
FROZEN_TITLE = "Formulaires et sondages en ligne du ministère"
CHOICE_TITLE = "Messagerie instantanée des équipes du ministère"
GROUP_NEEDS_TITLE = "Plateforme collaborative du réseau (achat regroupé)"
CITY_TITLE = "Consultations publiques en ligne de la Ville"
TITLES = (
    NEEDS_TITLE,
    COMPLIANCE_TITLE,
    STARTUP_TITLE,
    GROUP_TITLE,
    FROZEN_TITLE,
    CHOICE_TITLE,
    GROUP_NEEDS_TITLE,
    CITY_TITLE,
)
# The frozen file happened four weeks ago: built on a clock set then (see ``_on``).
FROZEN_DAYS_AGO = 28
ENTRY_LABELS = {"courriel": "Migration des boîtes et des calendriers"}

# Every question of the step-1 questionnaire (002 §2.1), answered as a ministry would.
ANSWERS: dict[str, object] = {
    "organisational_impacts": "Les équipes de soutien passent de l'exploitation des serveurs à "
    "la gestion du service; formation des administrateurs de comptes.",
    "bandwidth": "Liens de 1 Gbit/s au siège et de 200 Mbit/s dans les directions régionales : "
    "suffisants selon l'analyse de la Direction des infrastructures.",
    "risks": "Dépendance envers le fournisseur, réversibilité des données, continuité du service "
    "pendant la migration.",
    "functional_needs": "Courriel, calendrier partagé, carnet d'adresses et accès mobile.",
    "security_needs": "Authentification multifacteur, chiffrement au repos et en transit, "
    "journalisation des accès conservée un an.",
    "service_level_needs": "Disponibilité de 99,9 % par mois, hors maintenance planifiée.",
    "performance_needs": "Ouverture d'une boîte de 50 Go en moins de 3 secondes.",
    "training_needs": "Guides en français pour les employés, webinaire pour les administrateurs.",
    "entry_needs": "Migration des boîtes existantes et des calendriers, essais d'acceptation.",
    "exit_needs": "Exportation complète dans des formats ouverts avant la fin du contrat et "
    "destruction attestée.",
    "assistance_needs": "Assistance en français, du lundi au vendredi de 8 h à 18 h.",
    "consumption_variability": "Faible : de 1 150 à 1 300 boîtes selon les embauches saisonnières.",
    "commitment_capacity": "Engagement ferme sur 1 150 boîtes; le reste selon les besoins.",
    "readiness": "Annuaire à jour, analyse des écarts terminée, architecture cible approuvée.",
    "current_contracts_impact": "Le contrat de soutien des serveurs de messagerie prend fin à la "
    "mise en service.",
    "service_provider_needed": False,
}
PARTIAL_ANSWERS = {
    code: ANSWERS[code]
    for code in ("organisational_impacts", "bandwidth", "functional_needs", "training_needs")
} | {
    "functional_needs": "Réunions vidéo de 2 à 150 participants, partage d'écran, sous-titrage "
    "en français et enregistrement.",
}


def load() -> None:
    """Load the demo acquisition files (called by courtier.demo.load_demo, inside its
    transaction, once the people and the demo Catalogue exist)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    group = Organisation.objects.get(name=accounts_demo.GROUP)
    city = Organisation.objects.get(name=accounts_demo.CITY)
    existing = set(
        AcquisitionFile.objects.filter(client__in=[mes, group, city], title__in=TITLES).values_list(
            "title", flat=True
        )
    )
    client = User.objects.get(email=CLIENT)
    today = timezone.localdate()
    if NEEDS_TITLE not in existing:
        _file_at_needs(client, mes, today)
    if COMPLIANCE_TITLE not in existing:
        _file_at_compliance(client, mes, today)
    if STARTUP_TITLE not in existing:
        _file_at_startup(client, mes, today)
    if GROUP_TITLE not in existing:
        _group_purchase(User.objects.get(email=GROUP_BUYER), group, today)
    if FROZEN_TITLE not in existing:
        _file_frozen(client, mes, today)
    if CHOICE_TITLE not in existing:
        _file_awaiting_authorisations(client, mes, today)
    if GROUP_NEEDS_TITLE not in existing:
        _group_purchase_awaiting_members(User.objects.get(email=GROUP_BUYER), group, today)
    if CITY_TITLE not in existing:
        _city_file(User.objects.get(email=CITY_BUYER), city, today)


# --- helpers ------------------------------------------------------------------------------------


def _start(today: date, months_ahead: int) -> date:
    """The first day of the month ``months_ahead`` months after this one."""
    month = today.month - 1 + months_ahead
    return date(today.year + month // 12, month % 12 + 1, 1)


def _once(months: int, at: int) -> list[int]:
    """One activity in month ``at`` of the contract (entry or exit transition)."""
    return [1 if m == at else 0 for m in range(months)]


def _open(
    by: User,
    client: Organisation,
    title: str,
    *,
    category: str,
    months: int,
    budget_cents: int,
    start: date,
    location: str,
    personal_information: bool,
    answers: dict[str, object],
    is_group_purchase: bool = False,
) -> AcquisitionFile:
    file = needs_services.file_create(
        by=by, client=client, title=title, is_group_purchase=is_group_purchase
    )
    return needs_services.file_update_needs(
        by=by,
        file=file,
        category_code=category,
        duration_months=months,
        budget_cents=budget_cents,
        planned_start=start,
        location=location,
        personal_information=personal_information,
        answers=dict(answers),
    )


def _offer(code: str) -> Offer:
    return Offer.objects.get(code=code)


def _candidate(file: AcquisitionFile, code: str) -> CandidateOffer:
    return file.candidates.select_related("file").get(offer__code=code)


def _keep_only(by: User, file: AcquisitionFile, codes: set[str]) -> None:
    """The client keeps the listed offers it means to study (the Catalogue may list more)."""
    for candidate in file.candidates.select_related("file", "offer"):
        if candidate.offer.code not in codes:
            candidates_services.candidate_remove(by=by, candidate=candidate)


def _judge(
    by: User, file: AcquisitionFile, requirement: Requirement, code: str, verdict: str, note: str
) -> None:
    candidates_services.compliance_record(
        by=by,
        candidate=_candidate(file, code),
        requirement=requirement,
        verdict=verdict,
        note=note,
    )


# --- the files ------------------------------------------------------------------------------


def _file_at_needs(by: User, client: Organisation, today: date) -> AcquisitionFile:
    """Step 1, the questionnaire partly answered (002 §2.1)."""
    months = 24
    file = _open(
        by,
        client,
        NEEDS_TITLE,
        category="visioconference",
        months=months,
        budget_cents=18_000_000,
        start=_start(today, 6),
        location=rules.Location.CANADA,
        personal_information=False,
        answers=PARTIAL_ANSWERS,
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="participants",
        label="Comptes d'organisateurs de réunions",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
        quantities=rules.plan_quantities(150, 10, months, 300),
    )
    return file


def _file_at_compliance(by: User, client: Organisation, today: date) -> AcquisitionFile:
    """Step 3: the compliant list in progress, a question answered and one waiting, a trial
    (004 §3.3.2)."""
    months = 36
    file = _open(
        by,
        client,
        COMPLIANCE_TITLE,
        category="partage-fichiers",
        months=months,
        budget_cents=30_000_000,
        start=_start(today, 4),
        location=rules.Location.QUEBEC,
        personal_information=True,
        answers=ANSWERS
        | {
            "functional_needs": "Partage et synchronisation des fichiers des équipes, liens "
            "externes protégés, conservation des versions.",
            "consumption_variability": "Faible : de 800 à 900 utilisateurs.",
            "commitment_capacity": "Engagement ferme sur 800 utilisateurs.",
        },
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="utilisateurs",
        label="Utilisateurs du partage de fichiers",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
        quantities=rules.plan_quantities(800, 5, months, 900),
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="migration",
        label="Migration des lecteurs réseau",
        kind=rules.NeedKind.ENTRY,
        unit="fixed",
        quantities=_once(months, 0),
    )
    file = transitions_services.file_transition(by=by, file=file, action=rules.Action.SUBMIT_NEEDS)
    candidates_services.candidates_from_catalogue(by=by, file=file)
    _keep_only(by, file, {"NQ-FICHIERS", "IL-TRANSFERT"})
    file = transitions_services.file_transition(
        by=by, file=file, action=rules.Action.CONFIRM_CANDIDATES
    )
    encryption = candidates_services.requirement_add(
        by=by, file=file, label="Chiffrement de bout en bout des fichiers"
    )
    versions = candidates_services.requirement_add(
        by=by, file=file, label="Conservation des versions d'au moins 180 jours"
    )
    met = rules.Verdict.MET
    _judge(by, file, encryption, "NQ-FICHIERS", met, "Chiffrement de bout en bout (fiche).")
    _judge(by, file, versions, "NQ-FICHIERS", met, "Versions conservées 180 jours (fiche).")
    _judge(by, file, encryption, "IL-TRANSFERT", met, "Liens chiffrés, expiration automatique.")
    _judge(
        by,
        file,
        versions,
        "IL-TRANSFERT",
        rules.Verdict.UNKNOWN,
        "La fiche ne le précise pas : question posée au fournisseur.",
    )
    question = questions_services.question_ask(
        by=by,
        file=file,
        offer=_offer("NQ-FICHIERS"),
        text="Les clés de chiffrement peuvent-elles être gérées par le ministère ?",
    )
    questions_services.question_answer(
        by=User.objects.get(email=SUPPLIER_REP),
        question=question,
        answer="Oui : le service accepte des clés gérées par le client dans un module matériel "
        "(HSM) hébergé à Montréal.",
    )
    questions_services.question_ask(
        by=by,
        file=file,
        offer=_offer("IL-TRANSFERT"),
        text="Combien de temps les versions antérieures d'un fichier sont-elles conservées ?",
    )
    questions_services.question_ask(  # Nuagique's representative has one to answer too
        by=by,
        file=file,
        offer=_offer("NQ-FICHIERS"),
        text="La synchronisation fonctionne-t-elle sur les postes Linux du ministère ?",
    )
    questions_services.trial_create(
        by=by,
        file=file,
        offer=_offer("NQ-FICHIERS"),
        starts_on=today,
        ends_on=today + timedelta(days=44),
        units=20,
        attestation=True,
    )
    return file


def _to_choice(
    by: User,
    client: Organisation,
    title: str,
    *,
    category: str,
    months: int,
    budget_cents: int,
    start: date,
    personal_information: bool,
    answers: dict[str, object],
    plan: tuple[str, str, tuple[int, int, int]],
    keep: set[str],
    requirements: tuple[str, ...],
    opened: datetime | None = None,
    question: tuple[str, str] | None = None,
) -> AcquisitionFile:
    """Steps 1 to 3 of a file, then its scenarios computed (002 §2.1-2.4): the needs (a usage
    line ``plan`` = (code, label, (start, monthly growth, ceiling)), the entry and the exit),
    the listed offers ``keep`` judged compliant with each of ``requirements``. A file
    ``opened`` earlier had its needs and its list of offers then (and the ``question`` (offer
    code, text) asked then, never answered); the rest happens now."""
    with _on(opened) if opened else nullcontext():
        file = _opened_with_offers(
            by,
            client,
            title,
            category=category,
            months=months,
            budget_cents=budget_cents,
            start=start,
            personal_information=personal_information,
            answers=answers,
            plan=plan,
            keep=keep,
        )
        if question is not None:
            offer_code, text = question
            questions_services.question_ask(by=by, file=file, offer=_offer(offer_code), text=text)
    for text in requirements:
        requirement = candidates_services.requirement_add(by=by, file=file, label=text)
        for offer_code in sorted(keep):
            _judge(by, file, requirement, offer_code, rules.Verdict.MET, "Selon la fiche.")
    file = transitions_services.file_transition(
        by=by, file=file, action=rules.Action.CLOSE_COMPLIANCE
    )
    scenarios_services.scenarios_compute(by=by, file=file)
    return file


def _opened_with_offers(
    by: User,
    client: Organisation,
    title: str,
    *,
    category: str,
    months: int,
    budget_cents: int,
    start: date,
    personal_information: bool,
    answers: dict[str, object],
    plan: tuple[str, str, tuple[int, int, int]],
    keep: set[str],
) -> AcquisitionFile:
    """Steps 1 and 2: the needs submitted, the Catalogue's offers listed, ``keep`` kept."""
    file = _open(
        by,
        client,
        title,
        category=category,
        months=months,
        budget_cents=budget_cents,
        start=start,
        location=rules.Location.CANADA,
        personal_information=personal_information,
        answers=answers,
    )
    code, label, (first, growth, ceiling) = plan
    needs_services.need_line_save(
        by=by,
        file=file,
        code=code,
        label=label,
        kind=rules.NeedKind.USAGE,
        unit="user_month",
        quantities=rules.plan_quantities(first, growth, months, ceiling),
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="migration",
        label=ENTRY_LABELS.get(category, "Mise en service et migration des données"),
        kind=rules.NeedKind.ENTRY,
        unit="fixed",
        quantities=_once(months, 0),
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="sortie",
        label="Exportation des données à la sortie",
        kind=rules.NeedKind.EXIT,
        unit="fixed",
        quantities=_once(months, months - 3),
    )
    file = transitions_services.file_transition(by=by, file=file, action=rules.Action.SUBMIT_NEEDS)
    candidates_services.candidates_from_catalogue(by=by, file=file)
    _keep_only(by, file, keep)
    return transitions_services.file_transition(
        by=by, file=file, action=rules.Action.CONFIRM_CANDIDATES
    )


def _file_at_startup(by: User, client: Organisation, today: date) -> AcquisitionFile:
    """Step 5: a non-lowest choice authorised by the head of the organisation (RCTI art. 48),
    the financial authorisation, and the startup meeting convened (002 §2.4-2.5)."""
    file = _to_choice(
        by,
        client,
        STARTUP_TITLE,
        category="courriel",
        months=36,
        budget_cents=150_000_000,
        start=_start(today, 3),
        personal_information=True,
        answers=ANSWERS,
        plan=("boites", "Boîtes de courriel des employés", (1150, 5, 1300)),
        keep={"NQ-COURRIEL", "IL-COURRIEL"},
        requirements=(
            "Calendrier partagé et carnet d'adresses de l'organisation",
            "Authentification multifacteur imposée à tous les comptes",
        ),
    )
    run = checks.latest_run(file)
    chosen = run.scenarios.get(supplier__name=NUAGIQUE, complete=True)
    if chosen.is_lowest:  # the demo Catalogue's prices changed: this file shows RCTI art. 48
        raise RuntimeError("the demo's chosen email scenario must not be the lowest")
    scenarios_services.scenario_choose(by=by, file=file, scenario=chosen)
    scenarios_services.efvp_record(
        by=by,
        file=file,
        done_on=today,
        name="efvp-courriel.pdf",
        content=pdf(
            "Évaluation des facteurs relatifs à la vie privée",
            [
                f"Dossier {file.reference} : {STARTUP_TITLE}",
                "Renseignements personnels : courriels et calendriers des employés.",
                "Hébergement principal à Montréal, relève à Québec : aucune communication hors "
                "Québec.",
                "Conclusion : risques résiduels faibles, mesures de sécurité suffisantes.",
            ],
        ),
        content_type="application/pdf",
    )
    head = User.objects.get(email=HEAD)
    justification = (
        "Le scénario de Nuagique Québec héberge toutes les données au Québec (Montréal et "
        "Québec), ce que l'EFVP recommande, et s'intègre à l'annuaire et à l'archivage légal déjà "
        "en place; le coût total de possession inclut l'archivage que l'autre scénario "
        "n'offre pas."
    )
    scenarios_services.head_authorisation_record(
        by=head,
        file=file,
        criteria=[rules.Criterion.TECHNICAL_COMPATIBILITY, rules.Criterion.EFVP_RESULTS],
        justification=justification,
        head_name=head.get_full_name(),
        authorised_on=today,
        document_name="autorisation-dirigeant-courriel.pdf",
        document=pdf(
            "Autorisation préalable du dirigeant d'organisme (article 48 du RCTI)",
            [
                f"Dossier {file.reference} : {STARTUP_TITLE}",
                f"Scénario autorisé : {NUAGIQUE}",
                "Critères : compatibilité technique; résultats de l'EFVP.",
                f"Signé par {head.get_full_name()}, le {today.isoformat()}.",
            ],
        ),
        content_type="application/pdf",
    )
    _authorise_funds(file, chosen, today, f"AF-{today.year}-042")
    file = transitions_services.file_transition(
        by=by, file=file, action=rules.Action.CONFIRM_CHOICE
    )
    _convene(file, today, supplier_rep=SUPPLIER_REP, supplier_name="Marc Fortin")
    return file


def _authorise_funds(file: AcquisitionFile, chosen: Scenario, today: date, reference: str) -> None:
    """The finance role authorises the chosen total plus planned additions (002 §2.4)."""
    additions = -(-chosen.total_cents // 10 // 100_000) * 100_000  # ~10 %, in round 1 000 $
    scenarios_services.financial_authorisation_record(
        by=User.objects.get(email=FINANCE),
        file=file,
        amount_cents=chosen.total_cents + additions,
        planned_additions_cents=additions,
        authorised_on=today,
        authorised_by_name="Isabelle Gauthier, directrice des ressources financières",
        reference=reference,
    )


def _convene(
    file: AcquisitionFile, today: date, *, supplier_rep: str, supplier_name: str
) -> datetime:
    """The broker convenes the startup meeting 5 business days ahead, at 10 h (002 §2.5)."""
    day = calendar.business_days_after(today, 5)
    when = timezone.make_aware(datetime.combine(day, time(10)))
    startup_services.startup_meeting_schedule(
        by=User.objects.get(email=BROKER_AGENT),
        file=file,
        scheduled_for=when,
        participants=[
            {"name": "Sophie Côté", "email": CLIENT, "role": "client"},
            {"name": "Jean Bouchard", "email": HEAD, "role": "client"},
            {"name": supplier_name, "email": supplier_rep, "role": "supplier"},
            {"name": "Mathieu Gagnon", "email": BROKER_AGENT, "role": "broker"},
        ],
    )
    return when


@contextmanager
def _on(moment: datetime) -> Iterator[None]:
    """Run the services on a clock set to ``moment``: every service reads the clock itself
    (``timezone.now()``), and a meeting can only be convened in the future, so the only way to
    show a frozen strategy through the services is to live its story in the past. The demo
    loader runs single-threaded before the server starts, so travelling is safe here."""
    with time_machine.travel(moment, tick=False):
        yield


def _file_frozen(by: User, client: Organisation, today: date) -> AcquisitionFile:
    """Step 5 done: the lowest scenario chosen, the funds authorised, the startup meeting held
    and the strategy frozen (002 §2.5), all four weeks ago."""
    return frozen_file(
        by,
        client,
        FROZEN_TITLE,
        since=today - timedelta(days=FROZEN_DAYS_AGO),
        funds_reference="AF-{year}-031",
        category="sondage",
        months=24,
        budget_cents=20_000_000,
        answers=ANSWERS
        | {
            "functional_needs": "Formulaires d'inscription et sondages de satisfaction "
            "accessibles (WCAG 2.1 AA), diffusion par lien ou par code QR.",
            "consumption_variability": "Faible : de 200 à 240 créateurs de formulaires.",
            "commitment_capacity": "Engagement ferme sur 200 créateurs.",
        },
        plan=("createurs", "Créateurs de formulaires et de sondages", (200, 2, 240)),
        keep={"SB-FORMULAIRES", "IL-SONDAGE"},
        requirements=("Formulaires accessibles (WCAG 2.1 AA)",),
    )


def frozen_file(
    by: User,
    client: Organisation,
    title: str,
    *,
    since: date,
    funds_reference: str,
    **needs: Any,
) -> AcquisitionFile:
    """A file lived from ``since`` at 09:00 to its frozen strategy (002 §2.5): its needs
    (``needs``: the rest of ``_to_choice``'s arguments), the lowest scenario chosen, the funds
    authorised under ``funds_reference`` (formatted with the ``year`` and the file's ``pk``),
    the startup meeting convened and held, the strategy frozen four hours after it began. The
    contracts demo makes its frozen files this way too."""
    with _on(timezone.make_aware(datetime.combine(since, time(9)))):
        file = _to_choice(
            by, client, title, start=_start(since, 2), personal_information=False, **needs
        )
        chosen = checks.latest_run(file).scenarios.get(is_lowest=True, complete=True)
        scenarios_services.scenario_choose(by=by, file=file, scenario=chosen)
        _authorise_funds(file, chosen, since, funds_reference.format(year=since.year, pk=file.pk))
        file = transitions_services.file_transition(
            by=by, file=file, action=rules.Action.CONFIRM_CHOICE
        )
        rep = User.objects.filter(memberships__organisation=chosen.supplier).first()
        when = _convene(
            file,
            since,
            supplier_rep=rep.email if rep else f"ventes@{chosen.supplier.pk}.example",
            supplier_name=rep.get_full_name() if rep else chosen.supplier.name,
        )
    with _on(when + timedelta(hours=4)):  # the meeting was held; the broker freezes
        startup_services.strategy_freeze(by=User.objects.get(email=BROKER_AGENT), file=file)
    return file


def _file_awaiting_authorisations(by: User, client: Organisation, today: date) -> AcquisitionFile:
    """Step 4: a scenario that is not the lowest chosen, so the head's authorisation (RCTI
    art. 48), the financial authorisation and the EFVP are awaited (002 §2.4)."""
    file = _to_choice(
        by,
        client,
        CHOICE_TITLE,
        category="messagerie-instantanee",
        months=36,
        budget_cents=15_000_000,
        start=_start(today, 4),
        personal_information=True,
        answers=ANSWERS
        | {
            "functional_needs": "Clavardage d'équipe, canaux thématiques, présence et partage "
            "d'écran.",
            "consumption_variability": "Faible : de 1 150 à 1 300 employés.",
        },
        plan=("employes", "Employés utilisant la messagerie", (1150, 5, 1300)),
        keep={"NQ-CLAVARDAGE", "SB-CLAVARDAGE"},
        requirements=("Canaux thématiques et partage d'écran",),
        # Opened two weeks ago; Boréales never answered its question (the broker follows up).
        opened=timezone.make_aware(datetime.combine(today - timedelta(days=14), time(11))),
        question=(
            "SB-CLAVARDAGE",
            "Les canaux peuvent-ils être partagés avec d'autres organismes publics ?",
        ),
    )
    chosen = checks.latest_run(file).scenarios.get(supplier__name=BOREALES, complete=True)
    if chosen.is_lowest:  # the demo Catalogue's prices changed: this file awaits art. 48
        raise RuntimeError("the demo's chosen chat scenario must not be the lowest")
    scenarios_services.scenario_choose(by=by, file=file, scenario=chosen)
    return file


def _group_purchase(by: User, group: Organisation, today: date) -> AcquisitionFile:
    """Step 1 of a group purchase: two member bodies' own consumption (seed 003)."""
    months = 24
    file = _open(
        by,
        group,
        GROUP_TITLE,
        category="courriel",
        months=months,
        budget_cents=90_000_000,
        start=_start(today, 5),
        location=rules.Location.CANADA,
        personal_information=True,
        answers={
            "organisational_impacts": "Création des comptes à la rentrée par chaque "
            "établissement membre.",
            "functional_needs": "Courriel pour les élèves et le personnel, filtres adaptés aux "
            "écoles.",
            "consumption_variability": "Forte à la rentrée : chaque membre indique sa "
            "consommation mois par mois.",
        },
        is_group_purchase=True,
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="comptes",
        label="Comptes de courriel des élèves et du personnel",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
    )
    members = {o.name: o for o in group.members.all()}
    for name, start, growth, ceiling in (
        (accounts_demo.CEGEP, 2400, 25, 2800),
        (accounts_demo.UQAR, 6500, 50, 7200),
    ):
        needs_services.member_consumption_save(
            by=by,
            file=file,
            need_code="comptes",
            member=members[name],
            quantities=rules.plan_quantities(start, growth, months, ceiling),
        )
    return file


def _group_purchase_awaiting_members(by: User, group: Organisation, today: date) -> AcquisitionFile:
    """Step 1 of a second group purchase: the need declared, every member body's own
    consumption still awaited (seed 003)."""
    months = 36
    file = _open(
        by,
        group,
        GROUP_NEEDS_TITLE,
        category="plateforme-collaborative",
        months=months,
        budget_cents=60_000_000,
        start=_start(today, 7),
        location=rules.Location.CANADA,
        personal_information=True,
        answers={
            "functional_needs": "Équipes, documents partagés et intranet pour le personnel des "
            "établissements membres.",
            "consumption_variability": "Chaque membre indique sa consommation mois par mois.",
        },
        is_group_purchase=True,
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="membres-personnel",
        label="Membres du personnel utilisant la plateforme",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
    )
    return file


def _city_file(by: User, city: Organisation, today: date) -> AcquisitionFile:
    """Step 1 for the City: public consultations online, the questionnaire just begun."""
    months = 24
    file = _open(
        by,
        city,
        CITY_TITLE,
        category="sondage",
        months=months,
        budget_cents=8_000_000,
        start=_start(today, 5),
        location=rules.Location.CANADA,
        personal_information=True,
        answers={
            "functional_needs": "Consultations publiques en ligne, diffusion par courriel ou par "
            "code QR, résultats publiés sur le site de la Ville.",
        },
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code="animateurs",
        label="Employés qui créent les consultations",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
        quantities=rules.plan_quantities(25, 0, months, 25),
    )
    return file
