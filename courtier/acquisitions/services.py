"""Writes for acquisition files (DOMAIN §3; 002 §2): needs, the compliant list, questions to
suppliers, trials, scenarios, the choice and its authorisations, the startup meeting and the
frozen strategy.

Each function is atomic, locks the file it changes, checks the rules, writes one audit event per
change and queues its emails for after the commit. Moves between steps go through
``file_transition``, which executes ``rules.TRANSITIONS``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, Role, User
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import emails_with_roles
from courtier.acquisitions import documents, engine_inputs, pricing, rules
from courtier.acquisitions.models import (
    RETENTION_BY_KIND,
    AcquisitionFile,
    AcquisitionStrategy,
    CandidateOffer,
    ComplianceRecord,
    DocumentKind,
    FileDocument,
    FinancialAuthorisation,
    HeadAuthorisation,
    Location,
    MemberConsumption,
    NeedKind,
    NeedLine,
    Requirement,
    RequirementKind,
    Retention,
    Scenario,
    ScenarioRun,
    StartupMeeting,
    SupplierQuestion,
    Trial,
    Verdict,
)
from courtier.audit.services import audit_event_record
from courtier.calendar import selectors as calendar
from courtier.catalogue.models import Category, Offer, OfferStatus, PriceList, PriceListStatus, Unit
from courtier.core.mail import notify
from courtier.files.services import stored_file_save

# Error messages, shared by the code and the tests.
NOT_A_CLIENT = _("Seul un organisme public ou un regroupement d'achats mène un dossier.")
GROUP_ONLY_FOR_GROUP_PURCHASER = _("Seul un regroupement d'achats mène un achat regroupé.")
TITLE_REQUIRED = _("Donnez un titre au dossier.")
WRONG_STEP = _("Cette action n'est pas possible à l'étape actuelle du dossier.")
TRANSITION_REFUSED = _("Ce passage n'est pas possible depuis l'étape actuelle du dossier.")
BROKER_ONLY = _("Seul le Courtier peut faire ce passage.")
NEEDS_MESSAGES = {
    rules.NeedsProblem.DURATION: _(
        "La durée désirée, renouvellements compris, est de 1 à 36 mois (3 ans au plus)."
    ),
    rules.NeedsProblem.ANSWER_MISSING: _("Répondez à cette question."),
    rules.NeedsProblem.NO_NEED: _("Ajoutez au moins une ligne au plan de consommation."),
    rules.NeedsProblem.QUANTITIES_LENGTH: _(
        "Indiquez une quantité pour chacun des mois de la durée désirée."
    ),
    rules.NeedsProblem.QUANTITY_RANGE: _(
        "Les quantités sont des nombres entiers de 0 à 10 000 000."
    ),
    rules.NeedsProblem.EMPTY_NEED: _(
        "Cette ligne n'a aucune quantité : retirez-la ou complétez-la."
    ),
    rules.NeedsProblem.EXIT_AFTER_END: _(
        "Les activités de transition à la sortie doivent se terminer avant la fin du contrat."
    ),
    rules.NeedsProblem.ENTRY_BEFORE_START: _(
        "Les activités d'entrée ne peuvent commencer qu'après la signature du contrat."
    ),
    rules.NeedsProblem.BUDGET: _("Indiquez le budget disponible, un montant positif."),
    rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI: _(
        "Des renseignements personnels communiqués hors Québec sont des renseignements "
        "personnels en cause : cochez aussi cette case."
    ),
    rules.NeedsProblem.START_DATE: _("Indiquez la date de début prévue du contrat."),
    rules.NeedsProblem.CATEGORY: _("Choisissez le volet du Catalogue recherché."),
}
UNKNOWN_CATEGORY = _("Ce volet n'existe pas au Catalogue.")
NEED_CODE_INVALID = _("Le code ne contient que des lettres minuscules, des chiffres et des tirets.")
NEED_LABEL_REQUIRED = _("Décrivez le besoin.")
NEED_UNKNOWN = _("Cette ligne n'existe pas dans le plan de consommation.")
NEED_KIND_INVALID = _("Nature de besoin inconnue.")
UNIT_INVALID = _("Unité inconnue.")
GROUP_QUANTITIES_FROM_MEMBERS = _(
    "Dans un achat regroupé, les quantités sont la somme de celles des organismes membres."
)
NOT_A_MEMBER = _("Cet organisme n'est pas membre du regroupement d'achats.")
DURATION_FIRST = _("Indiquez d'abord la durée désirée du contrat.")
OFFER_NOT_QUALIFIED = _("Seules les offres qualifiées du Catalogue peuvent être retenues.")
OFFER_ALREADY_CANDIDATE = _("Cette offre est déjà dans la liste.")
NO_CANDIDATE = _("Retenez au moins une offre du Catalogue.")
REQUIREMENT_LABEL_REQUIRED = _("Décrivez l'exigence.")
AUTOMATIC_REQUIREMENT = _(
    "Cette exigence est vérifiée automatiquement à partir du Catalogue : elle ne se modifie pas."
)
VERDICT_INVALID = _("Choisissez « satisfaite », « non satisfaite » ou « à déterminer ».")
MAPPING_INVALID = _("Cette composante n'a pas de prix en vigueur dans cette offre.")
COMPLIANCE_MESSAGES = {
    rules.ComplianceProblem.NO_CANDIDATE: NO_CANDIDATE,
    rules.ComplianceProblem.UNKNOWN_LEFT: _(
        "Chaque exigence de chaque offre doit être satisfaite ou non satisfaite : il reste des "
        "résultats « à déterminer »."
    ),
    rules.ComplianceProblem.NO_COMPLIANT: _(
        "Aucune offre ne satisfait toutes les exigences : aucun scénario ne peut être calculé."
    ),
}
QUESTION_REQUIRED = _("Écrivez votre question.")
QUESTION_SUPPLIER_REQUIRED = _("Choisissez un fournisseur d'une offre de la liste.")
ANSWER_REQUIRED = _("Écrivez votre réponse.")
ALREADY_ANSWERED = _("Cette question a déjà reçu une réponse.")
TRIAL_MESSAGES = {
    rules.TrialProblem.TOO_LONG: _("Un banc d'essai dure au plus 60 jours."),
    rules.TrialProblem.TOO_MANY_UNITS: _(
        "Un banc d'essai porte sur au plus 30 unités de chaque offre, tous bancs d'essai de "
        "cette offre compris."
    ),
    rules.TrialProblem.NO_UNITS: _("Indiquez le nombre d'unités, au moins 1."),
    rules.TrialProblem.ENDS_BEFORE_START: _("La fin ne peut précéder le début."),
    rules.TrialProblem.ATTESTATION: _(
        "Attestez qu'aucun renseignement personnel ni confidentiel ne sera utilisé : le contrat "
        "n'est pas encore signé."
    ),
}
OFFER_NOT_CANDIDATE = _("Cette offre n'est pas dans la liste du dossier.")
REPORT_REQUIRED = _("Joignez le rapport du banc d'essai.")
NO_COMPLIANT_OFFER = COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_COMPLIANT]
CANNOT_PRICE = _(
    "Les scénarios ne peuvent être calculés avec ces quantités et ces prix : vérifiez le plan "
    "de consommation et les composantes retenues."
)
SCENARIO_NOT_CURRENT = _(
    "Ce scénario n'est pas un des scénarios calculés les plus récents du dossier."
)
SCENARIO_INCOMPLETE = _("Ce scénario ne couvre pas tous les besoins : il ne peut être choisi.")
CHOICE_MESSAGES = {
    rules.ChoiceProblem.NO_CHOICE: _("Choisissez un des scénarios calculés."),
    rules.ChoiceProblem.HEAD_AUTHORISATION: _(
        "Le scénario choisi n'est pas celui du plus bas prix : l'autorisation préalable du "
        "dirigeant d'organisme est requise (article 48 du RCTI)."
    ),
    rules.ChoiceProblem.OWN_RULE: _(
        "Le scénario choisi n'est pas celui du plus bas prix : indiquez la règle interne de "
        "votre organisme qui encadre ce choix."
    ),
    rules.ChoiceProblem.FINANCIAL_AUTHORISATION: _(
        "Consignez l'autorisation financière pour le montant total estimé du contrat."
    ),
    rules.ChoiceProblem.FINANCIAL_AMOUNT: _(
        "L'autorisation financière doit couvrir le montant total estimé : le scénario choisi "
        "et les ajouts prévus."
    ),
    rules.ChoiceProblem.STALE_SCENARIOS: _(
        "Les prix ou les besoins ont changé depuis le calcul : calculez de nouveau les scénarios."
    ),
}
HEAD_NOT_REQUIRED = _(
    "Le scénario choisi est celui du plus bas prix, ou l'organisme n'est pas assujetti au "
    "RCTI : l'autorisation du dirigeant n'est pas requise."
)
CRITERIA_REQUIRED = _("Choisissez au moins un critère lié à l'objet du contrat.")
CRITERION_INVALID = _("Critère inconnu.")
JUSTIFICATION_REQUIRED = _("Rédigez la justification présentée au dirigeant.")
HEAD_NAME_REQUIRED = _("Nommez le dirigeant d'organisme qui a autorisé le choix.")
DOCUMENT_REQUIRED = _("Joignez le document signé.")
AMOUNT_POSITIVE = _("Le montant doit être positif.")
ADDITIONS_NOT_NEGATIVE = _("Les ajouts prévus ne peuvent être négatifs.")
AUTHORISED_BY_REQUIRED = _("Nommez la personne qui a donné l'autorisation.")
DATE_IN_FUTURE = _("Cette date ne peut être dans le futur.")
EFVP_NOT_REQUIRED = _("Aucun renseignement personnel n'est en cause : l'EFVP n'est pas requise.")
PREREQUISITE_MESSAGES = {
    rules.Prerequisite.SUPPLIER_IDENTIFIED: _("Le fournisseur retenu n'est pas identifié."),
    rules.Prerequisite.SOLUTIONS_COMPLIANT: _(
        "Les solutions choisies ne sont plus toutes qualifiées ou conformes aux besoins."
    ),
    rules.Prerequisite.HEAD_AUTHORISATION: CHOICE_MESSAGES[rules.ChoiceProblem.HEAD_AUTHORISATION],
    rules.Prerequisite.FINANCIAL_AUTHORISATION: _(
        "L'autorisation financière pour le montant total du contrat n'est pas consignée."
    ),
    rules.Prerequisite.EFVP: _(
        "L'EFVP n'est pas réalisée alors que des renseignements personnels seront communiqués "
        "hors Québec : elle est obligatoire avant tout contrat (art. 70.1 de la Loi sur "
        "l'accès)."
    ),
}
MEETING_IN_PAST = _("La rencontre doit avoir lieu dans le futur.")
PARTICIPANTS_REQUIRED = _(
    "Indiquez au moins un participant de chaque partie : client, fournisseur."
)
PARTICIPANT_INVALID = _("Chaque participant a un nom et un courriel valide.")
MEETING_NOT_SCHEDULED = _("La rencontre de démarrage n'est pas encore convoquée.")
MEETING_NOT_HELD = _("La stratégie se fige après la rencontre de démarrage.")


def _today() -> date:
    return timezone.localdate()


def _lock(file: AcquisitionFile) -> AcquisitionFile:
    return AcquisitionFile.objects.select_for_update().select_related("client").get(pk=file.pk)


def _require_state(file: AcquisitionFile, *states: str) -> None:
    if file.state not in states:
        raise ValidationError({"state": WRONG_STEP})


def _require_runs(by: Any, file: AcquisitionFile) -> None:
    """Only the people who run the file's client body change it (permissions.POLICIES: the
    client's RUN_ACQUISITIONS, never an auditor, a signatory, another body or a supplier)."""
    if not permissions.can_change(by, file):
        raise PermissionDenied


def _record(by: Any, action: str, obj: Any, file: AcquisitionFile, before: Any, after: Any) -> None:
    audit_event_record(
        actor=by, action=action, obj=obj, organisation=file.client_id, before=before, after=after
    )


def _touch(file: AcquisitionFile) -> None:
    file.updated_at = timezone.now()
    file.save(update_fields=["updated_at"])


def _file_url(file: AcquisitionFile) -> str:
    return reverse("acquisitions:file_detail", args=[file.pk])


def _client_emails(file: AcquisitionFile) -> list[str]:
    return emails_with_roles([Role.CLIENT_PROCUREMENT], file.client_id)


def _broker_emails() -> list[str]:
    return emails_with_roles([Role.BROKER_ADMIN, Role.BROKER_AGENT])


def file_document_keep(
    *,
    by: User | None,
    file: AcquisitionFile,
    kind: str,
    title: str,
    name: str,
    content: bytes,
    content_type: str,
) -> FileDocument:
    """Keep a document the file produced or received (DOMAIN §7: the choice support)."""
    stored = stored_file_save(by=by, name=name, content=content, content_type=content_type)
    document = FileDocument.objects.create(
        file=file,
        kind=kind,
        title=title,
        stored=stored,
        retention=RETENTION_BY_KIND.get(kind, Retention.CONTRACT_DURATION),
        created_by=by,
    )
    _record(
        by,
        "acquisition.document_kept",
        document,
        file,
        None,
        {"kind": kind, "title": title, "sha256": stored.sha256},
    )
    return document


def _keep_generated(by: User | None, file: AcquisitionFile, kind: str, rendered: Any) -> None:
    file_document_keep(
        by=by,
        file=file,
        kind=kind,
        title=rendered.title,
        name=rendered.name,
        content=rendered.content,
        content_type=rendered.content_type,
    )


# --- the file and step 1 ----------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"ACQ-{year}-"
    last = (
        AcquisitionFile.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def file_create(
    *, by: User, client: Organisation, title: str, is_group_purchase: bool = False
) -> AcquisitionFile:
    """Open a file at step 1 for a client body (or a group purchaser's group purchase)."""
    if client.kind not in (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER):
        raise ValidationError({"client": NOT_A_CLIENT})
    if client.pk not in permissions.grants(by).organisations_with(Perm.RUN_ACQUISITIONS):
        raise PermissionDenied
    if is_group_purchase and client.kind != OrganisationKind.GROUP_PURCHASER:
        raise ValidationError({"is_group_purchase": GROUP_ONLY_FOR_GROUP_PURCHASER})
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    # One file number at a time: lock the client row while numbering.
    Organisation.objects.select_for_update().filter(pk=client.pk).first()
    file = AcquisitionFile.objects.create(
        reference=_next_reference(_today().year),
        title=title.strip(),
        client=client,
        is_group_purchase=is_group_purchase,
        created_by=by,
    )
    _record(by, "acquisition.created", file, file, None, file.audit_snapshot())
    return file


NEEDS_FIELDS = (
    "title",
    "duration_months",
    "budget_cents",
    "planned_start",
    "location",
    "personal_information",
    "pi_outside_quebec",
    "answers",
    "supplier_partner",
)


@transaction.atomic
def file_update_needs(
    *, by: User, file: AcquisitionFile, category_code: str | None = None, **values: Any
) -> AcquisitionFile:
    """Save the step-1 questionnaire (DOMAIN §3.1). Incomplete answers are kept: completeness is
    checked when moving on; values that can never be right are refused now."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    before = file.audit_snapshot()
    errors: dict[str, Any] = {}
    unknown = set(values) - set(NEEDS_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    if category_code is not None:
        category = Category.objects.filter(code=category_code).first() if category_code else None
        if category_code and category is None:
            errors["category"] = UNKNOWN_CATEGORY
        file.category = category
    for name, value in values.items():
        setattr(file, name, value)
    if "title" in values and not str(file.title).strip():
        errors["title"] = TITLE_REQUIRED
    if file.duration_months is not None and not rules.duration_ok(file.duration_months):
        errors["duration_months"] = NEEDS_MESSAGES[rules.NeedsProblem.DURATION]
    if file.budget_cents is not None and file.budget_cents <= 0:
        errors["budget_cents"] = NEEDS_MESSAGES[rules.NeedsProblem.BUDGET]
    if file.location not in Location.values:
        errors["location"] = _("Choix inconnu.")
    if file.pi_outside_quebec and not file.personal_information:
        errors["pi_outside_quebec"] = NEEDS_MESSAGES[rules.NeedsProblem.PI_OUTSIDE_WITHOUT_PI]
    answers = file.answers if isinstance(file.answers, dict) else {}
    stray = sorted(set(answers) - set(rules.QUESTION_CODES))
    if stray:
        errors[f"answers.{stray[0]}"] = _("Question inconnue.")
    if errors:
        raise ValidationError(errors)
    if file.duration_months and before["duration_months"] != file.duration_months:
        _resize_needs(file, file.duration_months)
    file.updated_at = timezone.now()
    file.save()
    _record(by, "acquisition.needs_updated", file, file, before, file.audit_snapshot())
    return file


def _fit(quantities: Sequence[int], months: int) -> list[int]:
    """Keep a plan's quantities when the duration changes: cut, or repeat the last month."""
    values = list(quantities)[:months]
    filler = values[-1] if values else 0
    return values + [filler] * (months - len(values))


def _resize_needs(file: AcquisitionFile, months: int) -> None:
    for need in file.needs.all():
        need.quantities = _fit(need.quantities, months)
        need.save(update_fields=["quantities"])
        for row in need.members.all():
            row.quantities = _fit(row.quantities, months)
            row.save(update_fields=["quantities"])


def _quantities_error(quantities: Any, months: int) -> str | None:
    if not isinstance(quantities, list | tuple) or any(
        isinstance(q, bool) or not isinstance(q, int) for q in quantities
    ):
        return str(NEEDS_MESSAGES[rules.NeedsProblem.QUANTITY_RANGE])
    problem = rules.quantities_problem(list(quantities), months)
    return str(NEEDS_MESSAGES[problem]) if problem else None


@transaction.atomic
def need_line_save(
    *,
    by: User,
    file: AcquisitionFile,
    code: str,
    label: str,
    kind: str,
    unit: str,
    quantities: Sequence[int] | None = None,
) -> NeedLine:
    """Add or change one line of the consumption plan (DOMAIN §3.1: quantities per month over
    the whole duration). A group purchase's quantities come from its members."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    if not file.duration_months:
        raise ValidationError({"duration_months": DURATION_FIRST})
    errors: dict[str, Any] = {}
    if not code or not all(ch.islower() or ch.isdigit() or ch == "-" for ch in code):
        errors["code"] = NEED_CODE_INVALID
    if not label.strip():
        errors["label"] = NEED_LABEL_REQUIRED
    if kind not in NeedKind.values:
        errors["kind"] = NEED_KIND_INVALID
    if unit not in Unit.values:
        errors["unit"] = UNIT_INVALID
    if file.is_group_purchase and quantities is not None:
        errors["quantities"] = GROUP_QUANTITIES_FROM_MEMBERS
    elif not file.is_group_purchase:
        problem = _quantities_error(quantities, file.duration_months)
        if problem:
            errors["quantities"] = problem
    if errors:
        raise ValidationError(errors)
    need = file.needs.filter(code=code).first()
    before = need.snapshot() if need else None
    if need is None:
        position = (file.needs.aggregate(m=Max("position"))["m"] or 0) + 1
        need = NeedLine(file=file, code=code, position=position)
        need.quantities = [0] * file.duration_months
    need.label, need.kind, need.unit = label.strip(), kind, unit
    if quantities is not None:
        need.quantities = list(quantities)
    need.save()
    _record(by, "acquisition.need_saved", need, file, before, need.snapshot())
    _touch(file)
    return need


@transaction.atomic
def need_line_delete(*, by: User, file: AcquisitionFile, code: str) -> None:
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.NEEDS)
    need = file.needs.filter(code=code).first()
    if need is None:
        raise ValidationError({"code": NEED_UNKNOWN})
    before = need.snapshot()
    _record(by, "acquisition.need_deleted", need, file, before, None)
    need.delete()
    _touch(file)


@transaction.atomic
def member_consumption_save(
    *, by: User, file: AcquisitionFile, need_code: str, member: Organisation, quantities: Any
) -> MemberConsumption:
    """A member body adds its own consumption to a group purchase (seed 003); the line's
    quantities become the sum of its members'."""
    file = _lock(file)
    _require_state(file, rules.State.NEEDS)
    if not file.is_group_purchase or not file.client.members.filter(pk=member.pk).exists():
        raise ValidationError({"member": NOT_A_MEMBER})
    grants = permissions.grants(by).organisations_with(Perm.RUN_ACQUISITIONS)
    if member.pk not in grants and file.client_id not in grants:
        raise PermissionDenied
    need = file.needs.filter(code=need_code).first()
    if need is None:
        raise ValidationError({"need": NEED_UNKNOWN})
    problem = _quantities_error(quantities, file.duration_months or 0)
    if problem:
        raise ValidationError({"quantities": problem})
    row = MemberConsumption.objects.filter(need=need, member=member).first()
    before = {"member": member.pk, "quantities": row.quantities} if row else None
    if row is None:
        row = MemberConsumption(need=need, member=member)
    row.quantities, row.updated_by, row.updated_at = list(quantities), by, timezone.now()
    row.save()
    totals = [0] * (file.duration_months or 0)
    for other in need.members.all():
        totals = [a + b for a, b in zip(totals, other.quantities, strict=True)]
    need.quantities = totals
    need.save(update_fields=["quantities"])
    _record(
        by,
        "acquisition.member_consumption_saved",
        need,  # the line whose total it changes; the member is named in before/after
        file,
        before,
        {"member": member.pk, "quantities": row.quantities},
    )
    _touch(file)
    return row


def needs_problems(file: AcquisitionFile) -> dict[str, str]:
    facts = rules.NeedsFacts(
        duration_months=file.duration_months,
        answers=file.answers or {},
        budget_cents=file.budget_cents,
        personal_information=file.personal_information,
        pi_outside_quebec=file.pi_outside_quebec,
        planned_start=file.planned_start,
        category_set=file.category_id is not None,
        lines=[
            rules.NeedLineFacts(code=n.code, kind=n.kind, quantities=n.quantities)
            for n in file.needs.all()
        ],
    )
    return {key: str(NEEDS_MESSAGES[p]) for key, p in rules.needs_problems(facts).items()}


# --- steps 2-3 --------------------------------------------------------------------------------


def _offer_facts(offer: Offer) -> rules.OfferFacts:
    return rules.OfferFacts(
        category_code=offer.category.code,
        hosted_in_canada_only=offer.hosted_in_canada_only,
        hosted_in_quebec_only=offer.hosted_in_quebec_only,
        personal_information_authorised=offer.personal_information_authorised,
    )


_AUTOMATIC_LABELS = {
    RequirementKind.CATEGORY: _("Offre du volet recherché"),
    RequirementKind.LOCATION: _("Centres de données à l'endroit exigé"),
    RequirementKind.PI_HOSTING: _(
        "Centres de données autorisés pour les renseignements personnels"
    ),
}


def _ensure_automatic_requirements(file: AcquisitionFile) -> list[Requirement]:
    """The automatic filters that apply to the file's needs (002 §2.3.1)."""
    wanted = [RequirementKind.CATEGORY]
    if file.location != Location.ANYWHERE:
        wanted.append(RequirementKind.LOCATION)
    if file.personal_information:
        wanted.append(RequirementKind.PI_HOSTING)
    file.requirements.exclude(kind=RequirementKind.JUDGED).exclude(kind__in=wanted).delete()
    result = []
    for position, kind in enumerate(wanted):
        requirement, _created = Requirement.objects.get_or_create(
            file=file,
            kind=kind,
            defaults={"label": str(_AUTOMATIC_LABELS[kind]), "position": position},
        )
        result.append(requirement)
    return result


def _automatic_verdict(file: AcquisitionFile, requirement: Requirement, offer: Offer) -> str:
    return rules.automatic_verdict(
        requirement.kind,
        offer=_offer_facts(offer),
        category_code=file.category.code if file.category_id else "",
        location=file.location,
    )


def _fill_records(file: AcquisitionFile, candidates: Iterable[CandidateOffer]) -> None:
    """Every candidate gets a record per requirement; automatic ones get their verdict."""
    requirements = list(file.requirements.all())
    for candidate in candidates:
        existing = {r.requirement_id: r for r in candidate.records.all()}
        for requirement in requirements:
            record = existing.get(requirement.pk)
            if requirement.is_automatic:
                verdict = _automatic_verdict(file, requirement, candidate.offer)
                if record is None:
                    ComplianceRecord.objects.create(
                        candidate=candidate, requirement=requirement, verdict=verdict
                    )
                elif record.verdict != verdict:
                    record.verdict, record.updated_at = verdict, timezone.now()
                    record.save(update_fields=["verdict", "updated_at"])
            elif record is None:
                ComplianceRecord.objects.create(candidate=candidate, requirement=requirement)


def _new_candidate(file: AcquisitionFile, offer: Offer) -> CandidateOffer:
    needs = list(file.needs.all())
    priced = engine_inputs.priced_components([offer.pk], _today()).get(offer.pk, {})
    components = list(offer.components.all())
    return CandidateOffer.objects.create(
        file=file,
        offer=offer,
        version_seen_id=offer.version_id,
        looked_at=timezone.now(),
        mapping=engine_inputs.guess_mapping(needs, components, priced),
    )


def _candidate_snapshot(candidate: CandidateOffer) -> dict[str, Any]:
    return {
        "offer": candidate.offer_id,
        "version_seen": candidate.version_seen_id,
        "mapping": candidate.mapping,
    }


@transaction.atomic
def candidates_from_catalogue(*, by: User, file: AcquisitionFile) -> list[CandidateOffer]:
    """Step 2 (002 §2.2): the qualified offers of the latest sheets that pass the automatic
    filters (category, data-centre location, hosting authorised for personal information)
    join the list, each with the sheet version looked at."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE)
    requirements = _ensure_automatic_requirements(file)
    known = set(file.candidates.values_list("offer_id", flat=True))
    offers = (
        Offer.objects.filter(status=OfferStatus.QUALIFIED, version__isnull=False)
        .exclude(pk__in=known)
        .select_related("category", "supplier")
        .prefetch_related("components")
    )
    added = []
    for offer in offers:
        if all(_automatic_verdict(file, r, offer) == Verdict.MET for r in requirements):
            candidate = _new_candidate(file, offer)
            added.append(candidate)
            _record(
                by,
                "acquisition.candidate_added",
                candidate,
                file,
                None,
                _candidate_snapshot(candidate),
            )
    _fill_records(file, file.candidates.select_related("offer__category"))
    file.looked_at = timezone.now()
    file.save(update_fields=["looked_at", "updated_at"])
    return added


@transaction.atomic
def candidate_add(*, by: User, file: AcquisitionFile, offer: Offer) -> CandidateOffer:
    """The client adds an offer it found in the Catalogue; automatic verdicts still apply."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if offer.status != OfferStatus.QUALIFIED or offer.version_id is None:
        raise ValidationError({"offer": OFFER_NOT_QUALIFIED})
    if file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": OFFER_ALREADY_CANDIDATE})
    _ensure_automatic_requirements(file)
    candidate = _new_candidate(file, offer)
    _fill_records(file, [candidate])
    _record(
        by, "acquisition.candidate_added", candidate, file, None, _candidate_snapshot(candidate)
    )
    _touch(file)
    return candidate


@transaction.atomic
def candidate_remove(*, by: User, candidate: CandidateOffer) -> None:
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    _record(
        by, "acquisition.candidate_removed", candidate, file, _candidate_snapshot(candidate), None
    )
    candidate.delete()
    _touch(file)


@transaction.atomic
def candidate_map(
    *, by: User, candidate: CandidateOffer, mapping: Mapping[str, str]
) -> CandidateOffer:
    """The client says which component of the offer covers which need (002 §2.4.1: a scenario
    may need several components, or several offers of one supplier)."""
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    needs = set(file.needs.values_list("code", flat=True))
    priced = engine_inputs.priced_components([candidate.offer_id], _today()).get(
        candidate.offer_id, {}
    )
    errors = {}
    for need_code, component_code in mapping.items():
        if need_code not in needs:
            errors[f"mapping.{need_code}"] = NEED_UNKNOWN
        elif component_code and component_code not in priced:
            errors[f"mapping.{need_code}"] = MAPPING_INVALID
    if errors:
        raise ValidationError(errors)
    before = _candidate_snapshot(candidate)
    candidate.mapping = {n: c for n, c in mapping.items() if c}
    candidate.save(update_fields=["mapping"])
    _record(
        by, "acquisition.candidate_mapped", candidate, file, before, _candidate_snapshot(candidate)
    )
    _touch(file)
    return candidate


@transaction.atomic
def candidates_mark_seen(*, by: User, file: AcquisitionFile) -> AcquisitionFile:
    """The client has reviewed what changed: every candidate now points at its sheet's latest
    version (004 §3.2: clients with an acquisition in progress consider the changes)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE)
    now = timezone.now()
    for candidate in file.candidates.select_related("offer"):
        if candidate.version_seen_id != candidate.offer.version_id:
            before = _candidate_snapshot(candidate)
            candidate.version_seen_id = candidate.offer.version_id
            candidate.looked_at = now
            candidate.save(update_fields=["version_seen", "looked_at"])
            _record(
                by,
                "acquisition.candidate_seen",
                candidate,
                file,
                before,
                _candidate_snapshot(candidate),
            )
        else:
            candidate.looked_at = now
            candidate.save(update_fields=["looked_at"])
    file.looked_at = now
    file.save(update_fields=["looked_at", "updated_at"])
    return file


@transaction.atomic
def requirement_add(*, by: User, file: AcquisitionFile, label: str) -> Requirement:
    """A requirement the client judges itself (002 §2.3: higher security requirements are
    allowed as selection criteria)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if not label.strip():
        raise ValidationError({"label": REQUIREMENT_LABEL_REQUIRED})
    position = (file.requirements.aggregate(m=Max("position"))["m"] or 0) + 1
    requirement = Requirement.objects.create(
        file=file, kind=RequirementKind.JUDGED, label=label.strip()[:300], position=position
    )
    _fill_records(file, file.candidates.select_related("offer__category"))
    _record(
        by, "acquisition.requirement_added", requirement, file, None, {"label": requirement.label}
    )
    _touch(file)
    return requirement


@transaction.atomic
def requirement_remove(*, by: User, requirement: Requirement) -> None:
    file = _lock(requirement.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if requirement.is_automatic:
        raise ValidationError({"requirement": AUTOMATIC_REQUIREMENT})
    _record(
        by, "acquisition.requirement_removed", requirement, file, {"label": requirement.label}, None
    )
    requirement.delete()
    _touch(file)


@transaction.atomic
def compliance_record(
    *, by: User, candidate: CandidateOffer, requirement: Requirement, verdict: str, note: str = ""
) -> ComplianceRecord:
    """Whether one offer meets one requirement, with a note (002 §2.3.1)."""
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.COMPLIANCE)
    if requirement.file_id != file.pk:
        raise ValidationError({"requirement": _("Cette exigence n'est pas celle du dossier.")})
    if requirement.is_automatic:
        raise ValidationError({"requirement": AUTOMATIC_REQUIREMENT})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": VERDICT_INVALID})
    record, _created = ComplianceRecord.objects.select_for_update().get_or_create(
        candidate=candidate, requirement=requirement
    )
    before = {"verdict": record.verdict, "note": record.note}
    record.verdict, record.note = verdict, note.strip()
    record.updated_by, record.updated_at = by, timezone.now()
    record.save()
    _record(
        by,
        "acquisition.compliance_recorded",
        record,
        file,
        before,
        {"verdict": record.verdict, "note": record.note},
    )
    _touch(file)
    return record


def compliant_candidates(file: AcquisitionFile) -> list[CandidateOffer]:
    candidates = file.candidates.select_related("offer__supplier").prefetch_related("records")
    return [c for c in candidates if rules.is_compliant([r.verdict for r in c.records.all()])]


def _compliance_problems(file: AcquisitionFile) -> list[str]:
    candidates = list(file.candidates.prefetch_related("records"))
    if not candidates:
        return [str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_CANDIDATE])]
    problems = []
    verdicts = [[r.verdict for r in c.records.all()] for c in candidates]
    if any(Verdict.UNKNOWN in v for v in verdicts):
        problems.append(str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.UNKNOWN_LEFT]))
    elif not any(rules.is_compliant(v) for v in verdicts):
        # Only once every verdict is known: "none compliant" would be premature before.
        problems.append(str(COMPLIANCE_MESSAGES[rules.ComplianceProblem.NO_COMPLIANT]))
    return problems


# --- questions and trials (004 §3.3.2) ----------------------------------------------------------


@transaction.atomic
def question_ask(*, by: User, file: AcquisitionFile, offer: Offer, text: str) -> SupplierQuestion:
    """A written question to the supplier of a listed offer; it is due within 3 business days
    (004 §3.3.2), counted with Quebec holidays and the broker's closure days."""
    from courtier.acquisitions.tasks import report_overdue_questions

    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE)
    if not file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": QUESTION_SUPPLIER_REQUIRED})
    if not text.strip():
        raise ValidationError({"text": QUESTION_REQUIRED})
    asked_on = _today()
    question = SupplierQuestion.objects.create(
        file=file,
        supplier_id=offer.supplier_id,
        offer=offer,
        text=text.strip(),
        asked_by=by,
        due_on=rules.question_due_on(asked_on, calendar.business_days_after),
    )
    _record(
        by,
        "acquisition.question_asked",
        question,
        file,
        None,
        {
            "supplier": offer.supplier_id,
            "offer": offer.pk,
            "text": question.text,
            "due_on": question.due_on.isoformat(),
        },
    )
    notify(
        to=emails_with_roles([Role.SUPPLIER_REP], offer.supplier_id),
        template="acquisitions/email/question_asked",
        context={"question": question, "url": reverse("acquisitions:questions_inbox")},
    )
    # Check again the day after it is due: the broker is told if no answer came.
    check_at = timezone.make_aware(
        datetime.combine(question.due_on, datetime.min.time())
    ) + timedelta(days=1)
    # A backend that cannot wait (the immediate one) refuses run_after as soon as it is set.
    if report_overdue_questions.get_backend().supports_defer:
        transaction.on_commit(report_overdue_questions.using(run_after=check_at).enqueue)
    _touch(file)
    return question


@transaction.atomic
def question_answer(*, by: User, question: SupplierQuestion, answer: str) -> SupplierQuestion:
    """The supplier answers in the platform; the client is told."""
    question = (
        SupplierQuestion.objects.select_for_update().select_related("file").get(pk=question.pk)
    )
    if not permissions.can_change(by, question):  # only the supplier it is addressed to
        raise PermissionDenied
    if question.answered_at is not None:
        raise ValidationError({"answer": ALREADY_ANSWERED})
    if not answer.strip():
        raise ValidationError({"answer": ANSWER_REQUIRED})
    question.answer, question.answered_by, question.answered_at = (
        answer.strip(),
        by,
        timezone.now(),
    )
    question.save()
    _record(
        by,
        "acquisition.question_answered",
        question,
        question.file,
        {"answer": ""},
        {
            "answer": question.answer,
            # Late is after the due day in Quebec, not in UTC (DOMAIN §8).
            "late": timezone.localdate(question.answered_at) > question.due_on,
        },
    )
    notify(
        to=[question.asked_by.email],
        template="acquisitions/email/question_answered",
        context={"question": question, "url": _file_url(question.file)},
    )
    return question


@transaction.atomic
def questions_report_overdue(*, today: date | None = None) -> int:
    """Unanswered questions past their due date are flagged and the broker told, once each
    (004 §3.3.2). Returns how many were reported."""
    today = today or _today()
    late = list(
        SupplierQuestion.objects.select_for_update()
        .filter(answered_at__isnull=True, overdue_reported_at__isnull=True, due_on__lt=today)
        .select_related("file", "supplier")
    )
    if not late:
        return 0
    now = timezone.now()
    for question in late:
        question.overdue_reported_at = now
        question.save(update_fields=["overdue_reported_at"])
        _record(
            None,
            "acquisition.question_overdue",
            question,
            question.file,
            None,
            {"due_on": question.due_on.isoformat()},
        )
    notify(
        to=_broker_emails(),
        template="acquisitions/email/questions_overdue",
        context={"questions": late, "url": reverse("acquisitions:questions_inbox")},
    )
    return len(late)


@transaction.atomic
def trial_create(
    *,
    by: User,
    file: AcquisitionFile,
    offer: Offer,
    starts_on: date,
    ends_on: date,
    units: int,
    attestation: bool,
) -> Trial:
    """A trial of a listed offer: free, at most 60 days and 30 units of each offer, and no
    personal or confidential information (004 §3.3.2)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if not file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": OFFER_NOT_CANDIDATE})
    other = file.trials.filter(offer=offer).aggregate(u=Sum("units"))["u"] or 0
    problems = rules.trial_problems(
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        other_units=other,
        attestation=attestation,
    )
    if problems:
        raise ValidationError({k: TRIAL_MESSAGES[p] for k, p in problems.items()})
    trial = Trial.objects.create(
        file=file,
        offer=offer,
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        attestation=True,
        created_by=by,
    )
    _record(
        by,
        "acquisition.trial_created",
        trial,
        file,
        None,
        {
            "offer": offer.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "units": units,
            "attestation": True,
        },
    )
    _touch(file)
    return trial


@transaction.atomic
def trial_attach_report(
    *, by: User, trial: Trial, name: str, content: bytes, content_type: str, summary: str = ""
) -> Trial:
    """The trial report joins the file's documents (DOMAIN §7: choice support)."""
    file = _lock(trial.file)
    _require_runs(by, file)
    if not file.is_open:
        raise ValidationError({"state": WRONG_STEP})
    if not content:
        raise ValidationError({"report": REPORT_REQUIRED})
    document = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.TRIAL_REPORT,
        title=str(_("Rapport de banc d'essai — {offer}")).format(offer=trial.offer.name),
        name=name,
        content=content,
        content_type=content_type,
    )
    before = {"report": trial.report_id, "summary": trial.report_summary}
    trial.report, trial.report_summary = document.stored, summary.strip()
    trial.save(update_fields=["report", "report_summary"])
    _record(
        by,
        "acquisition.trial_reported",
        trial,
        file,
        before,
        {"report": trial.report_id, "summary": trial.report_summary},
    )
    return trial


# --- step 4: scenarios, choice, authorisations (002 §2.4) -------------------------------------


def _scenario_row(
    run: ScenarioRun,
    file: AcquisitionFile,
    scenario: pricing.Scenario,
    rank: int | None,
    lowest: bool,
    versions: Mapping[int, int | None],
) -> Scenario:
    row = Scenario.objects.create(
        run=run,
        file=file,
        supplier_id=int(scenario.supplier_key),
        versions={key: versions.get(int(key)) for key in scenario.offer_keys},
        rank=rank,
        complete=scenario.complete,
        missing_needs=list(scenario.missing_needs),
        total_cents=scenario.total_cents,
        monthly_cents=list(scenario.monthly_cents),
        line_items=[dataclasses.asdict(item) for item in scenario.line_items],
        member_shares=dict(scenario.member_shares) if scenario.member_shares else None,
        is_lowest=lowest,
    )
    row.offers.set([int(key) for key in scenario.offer_keys])
    return row


@transaction.atomic
def scenarios_compute(*, by: User, file: AcquisitionFile) -> ScenarioRun:
    """Step 4 (002 §2.4.1): price every compliant offer over the desired duration with the prices
    in force today (the latest sheets), find each supplier's cheapest combination, rank them, and
    keep the comparison as the file's documents. A new run replaces the choice."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    compliant = compliant_candidates(file)
    if not compliant:
        raise ValidationError({"candidates": NO_COMPLIANT_OFFER})
    today = _today()
    priced = engine_inputs.priced_components([c.offer_id for c in compliant], today)
    kinds = {
        (offer_id, code): kind
        for offer_id, code, kind in Offer.objects.filter(
            pk__in=[c.offer_id for c in compliant]
        ).values_list("pk", "components__code", "components__kind")
    }
    offers = [
        engine_inputs.offer_prices(
            c,
            priced.get(c.offer_id, {}),
            {code: kind for (oid, code), kind in kinds.items() if oid == c.offer_id},
        )
        for c in compliant
    ]
    plan = engine_inputs.plan_for(file)
    try:
        ranking = pricing.rank(plan, offers)
    except pricing.PricingInputError:
        # Quantities or prices beyond the engine's exact range (pricing.py: int64 bounds).
        raise ValidationError({"scenarios": CANNOT_PRICE}) from None
    number = (file.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    previous = file.scenarios.filter(chosen=True).first()
    if previous is not None:
        previous.chosen, previous.chosen_at = False, None
        previous.save(update_fields=["chosen", "chosen_at"])
        _record(by, "acquisition.choice_cleared", previous, file, {"scenario": previous.pk}, None)
    run = ScenarioRun.objects.create(
        file=file,
        number=number,
        computed_by=by,
        prices_on=today,
        months=plan.months,
        plan=_run_inputs(file, plan, compliant),
    )
    versions = dict(
        Offer.objects.filter(pk__in=[c.offer_id for c in compliant]).values_list("pk", "version")
    )
    rank = 0
    for scenario in ranking.scenarios:
        if scenario.complete:
            rank += 1
        _scenario_row(
            run,
            file,
            scenario,
            rank if scenario.complete else None,
            ranking.lowest is not None and scenario is ranking.lowest,
            versions,
        )
    _record(
        by,
        "acquisition.scenarios_computed",
        run,
        file,
        None,
        {
            "run": number,
            "scenarios": len(ranking.scenarios),
            "lowest_cents": ranking.lowest.total_cents if ranking.lowest else None,
        },
    )
    _keep_generated(by, file, DocumentKind.COMPARISON_XLSX, documents.comparison_xlsx(run))
    _keep_generated(by, file, DocumentKind.COMPARISON_PDF, documents.comparison_pdf(run))
    _touch(file)
    return run


def _run_inputs(
    file: AcquisitionFile, plan: pricing.Plan, compliant: Sequence[CandidateOffer]
) -> dict[str, Any]:
    """What a run priced: the plan, the members' quantities, and each compliant offer with its
    sheet version and the components mapped to the needs."""
    return {
        "needs": {k: list(v) for k, v in plan.needs.items()},
        "members": {m: {k: list(v) for k, v in q.items()} for m, q in (plan.members or {}).items()},
        "offers": {
            str(c.offer_id): {"version": c.offer.version_id, "mapping": c.mapping}
            for c in compliant
        },
    }


def scenarios_stale(file: AcquisitionFile, run: ScenarioRun | None = None) -> bool:
    """Whether the latest run no longer prices what the file holds now (002 §2.4.1: prices only
    from the latest sheets): the plan, the compliant offers or their mapping changed, a sheet
    was republished, or a price list of those offers came into force since the run."""
    run = run or latest_run(file)
    if run is None:
        return False
    compliant = compliant_candidates(file)
    now = _run_inputs(file, engine_inputs.plan_for(file), compliant)
    if now != run.plan:
        return True
    return PriceList.objects.filter(
        offer_id__in=[c.offer_id for c in compliant],
        status=PriceListStatus.PUBLISHED,
        effective_from__gt=run.prices_on,
        effective_from__lte=_today(),
    ).exists()


def latest_run(file: AcquisitionFile) -> ScenarioRun | None:
    return file.runs.order_by("-number").first()


@transaction.atomic
def scenario_choose(
    *, by: User, file: AcquisitionFile, scenario: Scenario, own_rule: str | None = None
) -> Scenario:
    """The client chooses one of the computed scenarios of the latest run (the database holds
    the choice on the scenario row itself, so nothing else can be chosen)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    run = latest_run(file)
    if run is None or scenario.run_id != run.pk or scenario.file_id != file.pk:
        raise ValidationError({"scenario": SCENARIO_NOT_CURRENT})
    if not scenario.complete:
        raise ValidationError({"scenario": SCENARIO_INCOMPLETE})
    previous = file.scenarios.filter(chosen=True).exclude(pk=scenario.pk).first()
    if previous is not None:
        previous.chosen, previous.chosen_at = False, None
        previous.save(update_fields=["chosen", "chosen_at"])
    scenario.chosen, scenario.chosen_at = True, timezone.now()
    scenario.save(update_fields=["chosen", "chosen_at"])
    if own_rule is not None:
        file.own_rule = own_rule.strip()
        file.save(update_fields=["own_rule", "updated_at"])
    _record(
        by,
        "acquisition.scenario_chosen",
        scenario,
        file,
        {"scenario": previous.pk if previous else None},
        {
            "scenario": scenario.pk,
            "supplier": scenario.supplier_id,
            "total_cents": scenario.total_cents,
            "is_lowest": scenario.is_lowest,
            "own_rule": file.own_rule,
        },
    )
    _touch(file)
    return scenario


def chosen_scenario(file: AcquisitionFile) -> Scenario | None:
    return file.scenarios.filter(chosen=True).select_related("supplier").first()


def _head_authorisation_valid(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    head = HeadAuthorisation.objects.filter(file=file).first()
    return head is not None and chosen is not None and head.scenario_id == chosen.pk


def head_authorisation_needed(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    return chosen is not None and rules.head_authorisation_required(
        chosen_is_lowest=chosen.is_lowest, subject_to_rcti=file.client.subject_to_rcti
    )


def _require_date_not_future(field: str, day: date) -> None:
    if day > _today():
        raise ValidationError({field: DATE_IN_FUTURE})


@transaction.atomic
def head_authorisation_record(
    *,
    by: User,
    file: AcquisitionFile,
    criteria: Sequence[str],
    justification: str,
    head_name: str,
    authorised_on: date,
    document_name: str,
    document: bytes,
    content_type: str,
) -> HeadAuthorisation:
    """RCTI art. 48 (002 §2.4.3): the head's prior authorisation of a non-lowest choice, with a
    justification on one or more criteria and the signed document. It covers the scenario
    chosen now; another choice needs another authorisation."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    chosen = chosen_scenario(file)
    if chosen is None:
        raise ValidationError({"scenario": CHOICE_MESSAGES[rules.ChoiceProblem.NO_CHOICE]})
    if not head_authorisation_needed(file, chosen):
        raise ValidationError({"scenario": HEAD_NOT_REQUIRED})
    errors: dict[str, Any] = {}
    if not criteria:
        errors["criteria"] = CRITERIA_REQUIRED
    elif any(c not in rules.Criterion.__members__.values() for c in criteria):
        errors["criteria"] = CRITERION_INVALID
    if not justification.strip():
        errors["justification"] = JUSTIFICATION_REQUIRED
    if not head_name.strip():
        errors["head_name"] = HEAD_NAME_REQUIRED
    if not document:
        errors["document"] = DOCUMENT_REQUIRED
    if authorised_on > _today():
        errors["authorised_on"] = DATE_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    kept = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.JUSTIFICATION,
        title=str(_("Autorisation du dirigeant d'organisme — {name}")).format(name=head_name),
        name=document_name,
        content=document,
        content_type=content_type,
    )
    old = HeadAuthorisation.objects.filter(file=file).first()
    before = None
    if old is not None:
        before = {"scenario": old.scenario_id, "criteria": old.criteria}
        old.delete()
    head = HeadAuthorisation.objects.create(
        file=file,
        scenario=chosen,
        criteria=sorted(set(criteria)),
        justification=justification.strip(),
        head_name=head_name.strip(),
        authorised_on=authorised_on,
        document=kept.stored,
        recorded_by=by,
    )
    _record(
        by,
        "acquisition.head_authorised",
        head,
        file,
        before,
        {
            "scenario": chosen.pk,
            "criteria": head.criteria,
            "head_name": head.head_name,
            "authorised_on": authorised_on.isoformat(),
            "document": kept.stored.sha256,
        },
    )
    _touch(file)
    return head


@transaction.atomic
def financial_authorisation_record(
    *,
    by: User,
    file: AcquisitionFile,
    amount_cents: int,
    planned_additions_cents: int,
    authorised_on: date,
    authorised_by_name: str,
    reference: str = "",
) -> FinancialAuthorisation:
    """002 §2.4.4: the financial authorisation for the total estimated amount (initial order and
    later additions), obtained inside the client's organisation."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    errors: dict[str, Any] = {}
    if amount_cents <= 0:
        errors["amount_cents"] = AMOUNT_POSITIVE
    if planned_additions_cents < 0:
        errors["planned_additions_cents"] = ADDITIONS_NOT_NEGATIVE
    if not authorised_by_name.strip():
        errors["authorised_by_name"] = AUTHORISED_BY_REQUIRED
    if authorised_on > _today():
        errors["authorised_on"] = DATE_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    old = FinancialAuthorisation.objects.filter(file=file).first()
    before = (
        {"amount_cents": old.amount_cents, "planned_additions_cents": old.planned_additions_cents}
        if old
        else None
    )
    if old is not None:
        old.delete()
    auth = FinancialAuthorisation.objects.create(
        file=file,
        amount_cents=amount_cents,
        planned_additions_cents=planned_additions_cents,
        authorised_on=authorised_on,
        authorised_by_name=authorised_by_name.strip(),
        reference=reference.strip(),
        recorded_by=by,
    )
    _record(
        by,
        "acquisition.financial_authorised",
        auth,
        file,
        before,
        {
            "amount_cents": amount_cents,
            "planned_additions_cents": planned_additions_cents,
            "authorised_on": authorised_on.isoformat(),
            "authorised_by_name": auth.authorised_by_name,
        },
    )
    _touch(file)
    return auth


def choice_problems(file: AcquisitionFile) -> list[str]:
    chosen = chosen_scenario(file)
    financial = FinancialAuthorisation.objects.filter(file=file).first()
    facts = rules.ChoiceFacts(
        has_choice=chosen is not None,
        chosen_is_lowest=bool(chosen and chosen.is_lowest),
        chosen_total_cents=chosen.total_cents if chosen else 0,
        subject_to_rcti=file.client.subject_to_rcti,
        has_head_authorisation=_head_authorisation_valid(file, chosen),
        own_rule=file.own_rule,
        financial_amount_cents=financial.amount_cents if financial else None,
        planned_additions_cents=financial.planned_additions_cents if financial else 0,
        scenarios_stale=chosen is not None and scenarios_stale(file),
    )
    return [str(CHOICE_MESSAGES[p]) for p in rules.choice_problems(facts)]


@transaction.atomic
def efvp_record(
    *,
    by: User,
    file: AcquisitionFile,
    done_on: date,
    name: str,
    content: bytes,
    content_type: str,
) -> AcquisitionFile:
    """The privacy impact assessment is done (DOMAIN §3.1); it joins the file's documents."""
    file = _lock(file)
    _require_runs(by, file)
    if not file.is_open:
        raise ValidationError({"state": WRONG_STEP})
    if not rules.efvp_required(file.personal_information):
        raise ValidationError({"efvp": EFVP_NOT_REQUIRED})
    if not content:
        raise ValidationError({"document": DOCUMENT_REQUIRED})
    _require_date_not_future("done_on", done_on)
    before = file.audit_snapshot()
    kept = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.EFVP,
        title=str(_("EFVP du {date}")).format(date=done_on.isoformat()),
        name=name,
        content=content,
        content_type=content_type,
    )
    file.efvp_done_on, file.efvp_document = done_on, kept.stored
    file.updated_at = timezone.now()
    file.save()
    _record(by, "acquisition.efvp_recorded", file, file, before, file.audit_snapshot())
    return file


# --- step 5: the startup meeting and the frozen strategy (002 §2.5) ----------------------------


def stores_outside_quebec(file: AcquisitionFile, chosen: Scenario | None) -> bool:
    """Personal information leaves Quebec when the client said so, or when a chosen offer has
    a data centre outside Quebec."""
    if file.pi_outside_quebec:
        return True
    return chosen is not None and chosen.offers.filter(hosted_in_quebec_only=False).exists()


def missing_prerequisites(file: AcquisitionFile) -> list[rules.Prerequisite]:
    """002 §2.5: what the broker must see before the startup meeting."""
    chosen = chosen_scenario(file)
    financial = FinancialAuthorisation.objects.filter(file=file).first()
    compliant_offer_ids = {c.offer_id for c in compliant_candidates(file)}
    chosen_offers = list(chosen.offers.all()) if chosen else []
    facts = rules.StartupFacts(
        supplier_identified=chosen is not None,
        chosen_offers_compliant=bool(chosen_offers)
        and all(
            o.pk in compliant_offer_ids and o.status == OfferStatus.QUALIFIED for o in chosen_offers
        ),
        head_authorisation_required=head_authorisation_needed(file, chosen),
        has_head_authorisation=_head_authorisation_valid(file, chosen),
        financial_authorisation_covers=financial is not None
        and chosen is not None
        and financial.amount_cents >= chosen.total_cents + financial.planned_additions_cents,
        # Access Act art. 70.1 (DOMAIN §3.1): required before the contract when personal
        # information leaves Quebec; otherwise the file shows it as a reminder only.
        efvp_required=rules.efvp_blocks_contract(
            file.personal_information, stores_outside_quebec(file, chosen)
        ),
        efvp_done=file.efvp_done_on is not None,
    )
    return rules.missing_prerequisites(facts)


def _participants_error(participants: Any) -> str | None:
    from django.core.validators import validate_email

    if not isinstance(participants, list) or not participants:
        return str(PARTICIPANTS_REQUIRED)
    roles = set()
    for person in participants:
        if not isinstance(person, dict) or not str(person.get("name", "")).strip():
            return str(PARTICIPANT_INVALID)
        try:
            validate_email(str(person.get("email", "")))
        except ValidationError:
            return str(PARTICIPANT_INVALID)
        roles.add(person.get("role"))
    if not {"client", "supplier"} <= roles:
        return str(PARTICIPANTS_REQUIRED)
    return None


@transaction.atomic
def startup_meeting_schedule(
    *, by: User, file: AcquisitionFile, scheduled_for: datetime, participants: list[dict[str, str]]
) -> StartupMeeting:
    """The broker convenes the startup meeting once every prerequisite is met (002 §2.5); the
    platform writes its agenda, kept with the file's documents."""
    permissions.require_perm(by, Perm.MANAGE_ACQUISITIONS)
    file = _lock(file)
    _require_state(file, rules.State.STARTUP)
    missing = missing_prerequisites(file)
    if missing:
        raise ValidationError({"prerequisites": [PREREQUISITE_MESSAGES[p] for p in missing]})
    if scheduled_for <= timezone.now():
        raise ValidationError({"scheduled_for": MEETING_IN_PAST})
    error = _participants_error(participants)
    if error:
        raise ValidationError({"participants": error})
    old = StartupMeeting.objects.filter(file=file).first()
    before = None
    if old is not None:
        before = {"scheduled_for": old.scheduled_for.isoformat()}
        old.delete()
    cleaned = [
        {"name": p["name"].strip(), "email": p["email"].strip().lower(), "role": p["role"]}
        for p in participants
    ]
    meeting = StartupMeeting(
        file=file,
        scheduled_for=scheduled_for,
        participants=cleaned,
        agenda="",
        scheduled_by=by,
    )
    meeting.agenda = documents.agenda_text(file, meeting, chosen_scenario(file))
    meeting.save()
    if file.startup_contact_on is None:
        file.startup_contact_on = _today()
        file.save(update_fields=["startup_contact_on", "updated_at"])
    _record(
        by,
        "acquisition.meeting_scheduled",
        meeting,
        file,
        before,
        {"scheduled_for": scheduled_for.isoformat(), "participants": cleaned},
    )
    _keep_generated(by, file, DocumentKind.AGENDA, documents.agenda_pdf(file, meeting))
    notify(
        to=[p["email"] for p in cleaned],
        template="acquisitions/email/meeting_scheduled",
        context={"file": file, "meeting": meeting},
    )
    return meeting


def _strategy_content(file: AcquisitionFile, chosen: Scenario) -> dict[str, Any]:
    needs = {n.code: n for n in file.needs.all()}
    offers = []
    for offer in chosen.offers.select_related("version").order_by("pk"):
        candidate = file.candidates.filter(offer=offer).first()
        mapping = candidate.mapping if candidate else {}
        offers.append(
            {
                "offer": offer.pk,
                "code": offer.code,
                "name": offer.name,
                "sheet_version": chosen.versions.get(str(offer.pk)),
                "components": [
                    {
                        "component": component,
                        "need": need_code,
                        "label": needs[need_code].label if need_code in needs else need_code,
                        "unit": needs[need_code].unit if need_code in needs else "",
                        "quantities": needs[need_code].quantities if need_code in needs else [],
                    }
                    for need_code, component in sorted(mapping.items())
                ],
            }
        )
    return {
        "supplier": chosen.supplier_id,
        "supplier_name": chosen.supplier.name,
        "supplier_partner": file.supplier_partner,
        "duration_months": file.duration_months,
        "total_cents": chosen.total_cents,
        "monthly_cents": chosen.monthly_cents,
        "offers": offers,
        "member_shares": chosen.member_shares,
        "is_lowest": chosen.is_lowest,
    }


@transaction.atomic
def strategy_freeze(*, by: User, file: AcquisitionFile) -> AcquisitionStrategy:
    """After the startup meeting the broker freezes the acquisition strategy (duration,
    solutions, components, quantities over time, total, sheet versions) and hands it to
    contract preparation (002 §2.5)."""
    permissions.require_perm(by, Perm.MANAGE_ACQUISITIONS)
    file = _lock(file)
    _require_state(file, rules.State.STARTUP)
    meeting = StartupMeeting.objects.filter(file=file).first()
    if meeting is None:
        raise ValidationError({"meeting": MEETING_NOT_SCHEDULED})
    if meeting.scheduled_for > timezone.now():
        raise ValidationError({"meeting": MEETING_NOT_HELD})
    missing = missing_prerequisites(file)
    if missing:
        raise ValidationError({"prerequisites": [PREREQUISITE_MESSAGES[p] for p in missing]})
    chosen = chosen_scenario(file)
    assert chosen is not None  # a missing choice is a missing prerequisite
    strategy = AcquisitionStrategy.objects.create(
        file=file,
        scenario=chosen,
        supplier_id=chosen.supplier_id,
        duration_months=file.duration_months or 0,
        total_cents=chosen.total_cents,
        content=_strategy_content(file, chosen),
        frozen_by=by,
    )
    _apply_transition(by, file, rules.Action.FREEZE_STRATEGY)
    _record(by, "acquisition.strategy_frozen", strategy, file, None, strategy.content)
    _keep_generated(by, file, DocumentKind.STRATEGY, documents.strategy_pdf(strategy))
    notify(
        to=_client_emails(file) + _broker_emails(),
        template="acquisitions/email/strategy_frozen",
        context={"file": file, "strategy": strategy, "url": _file_url(file)},
    )
    return strategy


# --- moves between steps ------------------------------------------------------------------------


def transition_problems(file: AcquisitionFile, action: str) -> list[str]:
    """Why ``action`` cannot be taken now (empty when it can): the guards of each move."""
    if action == rules.Action.SUBMIT_NEEDS:
        return list(needs_problems(file).values())
    if action == rules.Action.CONFIRM_CANDIDATES:
        return [] if file.candidates.exists() else [str(NO_CANDIDATE)]
    if action == rules.Action.CLOSE_COMPLIANCE:
        return _compliance_problems(file)
    if action == rules.Action.CONFIRM_CHOICE:
        return choice_problems(file)
    return []


def _apply_transition(by: User, file: AcquisitionFile, action: str) -> AcquisitionFile:
    move = rules.transition(file.state, action)
    if move is None:
        raise ValidationError({"action": TRANSITION_REFUSED})
    before = file.state
    file.state = move.target
    file.updated_at = timezone.now()
    file.save(update_fields=["state", "updated_at"])
    _record(by, f"acquisition.{action}", file, file, {"state": before}, {"state": file.state})
    return file


@transaction.atomic
def file_transition(*, by: User, file: AcquisitionFile, action: str) -> AcquisitionFile:
    """Move the file along ``rules.TRANSITIONS``, checking the guards of the move and keeping
    what the step produced among the file's documents."""
    file = _lock(file)
    _require_runs(by, file)
    move = rules.transition(file.state, action)
    if move is None:
        raise ValidationError({"action": TRANSITION_REFUSED})
    if move.actor == rules.Actor.BROKER or action == rules.Action.FREEZE_STRATEGY:
        # Freezing is strategy_freeze's (the broker's), never a bare move.
        raise ValidationError({"action": BROKER_ONLY})
    if action == rules.Action.SUBMIT_NEEDS and (needs := needs_problems(file)):
        # Each problem on the field it concerns ("duration_months", "answers.risks"...).
        raise ValidationError(needs)
    problems = transition_problems(file, action)
    if problems:
        raise ValidationError({"action": problems})
    if action == rules.Action.GO_BACK and file.state in (rules.State.CHOICE, rules.State.STARTUP):
        chosen = chosen_scenario(file)
        if chosen is not None and file.state == rules.State.CHOICE:
            chosen.chosen, chosen.chosen_at = False, None
            chosen.save(update_fields=["chosen", "chosen_at"])
            _record(by, "acquisition.choice_cleared", chosen, file, {"scenario": chosen.pk}, None)
    _apply_transition(by, file, action)
    if action == rules.Action.SUBMIT_NEEDS:
        _keep_generated(by, file, DocumentKind.NEEDS, documents.needs_pdf(file))
    elif action == rules.Action.CONFIRM_CANDIDATES:
        _ensure_automatic_requirements(file)
        _fill_records(file, file.candidates.select_related("offer__category"))
    elif action == rules.Action.CLOSE_COMPLIANCE:
        _keep_generated(by, file, DocumentKind.COMPLIANCE, documents.compliance_xlsx(file))
        if file.questions.exists():
            _keep_generated(by, file, DocumentKind.QUESTIONS, documents.questions_pdf(file))
    elif action == rules.Action.CONFIRM_CHOICE:
        notify(
            to=_broker_emails(),
            template="acquisitions/email/ready_for_startup",
            context={"file": file, "url": _file_url(file)},
        )
    return file
