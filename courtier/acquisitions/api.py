"""API: acquisition files through the five steps of DOMAIN §3 (002 §2; 004 §3), under
/api/v1/acquisitions.

Clients run their own files (needs, the compliant list, questions and trials, scenarios, the
choice and its authorisations); the broker convenes the startup meeting and freezes the
strategy; a supplier's people see and answer only the questions addressed to their supplier.
Every write goes through ``services``; every read through ``selectors`` and ``permissions``: a
file one may not see answers 404, an action one may not take on a visible file 403, a refused
rule 422 naming the request's fields. Money is in integer cents, dates ISO (America/Toronto).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from itertools import accumulate
from typing import Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import AfterValidator, ConfigDict, field_validator

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.acquisitions import rules, selectors, services
from courtier.acquisitions.models import (
    AcquisitionFile,
    CandidateOffer,
    DocumentKind,
    FileAction,
    FileDocument,
    FileState,
    Location,
    NeedKind,
    NeedLine,
    Requirement,
    RequirementKind,
    Retention,
    Scenario,
    ScenarioRun,
    SupplierQuestion,
    Trial,
    Verdict,
)
from courtier.calendar import rules as calendar_rules
from courtier.calendar.services import out_of_calendar_error
from courtier.catalogue.models import Offer, Unit
from courtier.core.apierrors import ERRORS, MAX_ID, path_id
from courtier.core.pagination import Pagination
from courtier.files.responses import stored_file_response
from courtier.files.uploads import MAX_UPLOAD_MB, Upload

router = Router(tags=["acquisitions"])

MAX_CENTS = 10**15 - 1  # exact in every JSON reader (below 2**53)
MAX_NEED_CODE = 40  # NeedLine.code
MAX_MAPPING = 200  # needs mapped at once

# Error messages, shared by the code and the tests.
REQUIRED = _("Ce champ est obligatoire.")
NUL_CHARACTER = _("Le caractère nul (U+0000) n'est pas permis.")
CLIENT_REQUIRED = _("Vous menez des dossiers pour plusieurs organismes : indiquez lequel (client).")
UNKNOWN_CLIENT = _("Cet organisme n'existe pas.")
UNKNOWN_OFFER = _("Cette offre n'existe pas au Catalogue.")
UNKNOWN_QUESTION = _("Question inconnue.")
ANSWER_TEXT = _("Répondez à cette question par du texte.")
ANSWER_BOOLEAN = _("Répondez à cette question par vrai ou faux.")
UNKNOWN_SCENARIO = _("Ce scénario n'existe pas dans le dossier.")


def _no_nul(value: str) -> str:
    """PostgreSQL stores no NUL character, in text or in JSON."""
    if "\x00" in value:
        raise ValueError(str(NUL_CHARACTER))
    return value


Str = Annotated[str, AfterValidator(_no_nul)]


def _text(max_length: int, *, required: bool = False) -> Any:
    return Annotated[str, Field(min_length=1 if required else 0, max_length=max_length)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Cents = Annotated[int, Field(le=MAX_CENTS, description="Montant en cents")]


class _In(Schema):
    """A request body: unknown fields are refused, text may not hold NUL characters."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _nul(cls, value: Any) -> Any:
        if isinstance(value, str):
            _no_nul(value)
        return value


@contextmanager
def _fields(**renamed: str) -> Iterator[None]:
    """A service's errors named after the request's fields (``offer`` -> ``offer_id``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {renamed.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


# --- output -----------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class OfferRef(Schema):
    id: int
    code: str
    name: str
    supplier: Ref
    status: str
    version_id: int | None = Field(description="Version de fiche en vigueur de l'offre")


class VersionRef(Schema):
    id: int
    name: str
    published_on: date


class StepOut(Schema):
    number: int
    label: str
    status: Literal["done", "current", "todo"]


class FileOut(Schema):
    id: int
    reference: str
    title: str
    client: Ref
    is_group_purchase: bool
    state: FileState
    state_label: str
    step: int = Field(description="1 à 5 ; 6 une fois la stratégie figée ; 0 si abandonné")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        state = obj["state"] if isinstance(obj, Mapping) else obj.state
        return str(FileState(state).label)


class NeedsOut(Schema):
    """Step 1: the facts the rules read and the questionnaire's answers (DOMAIN §3.1)."""

    category: str | None = Field(description="Code du volet recherché")
    duration_months: int | None
    budget_cents: int | None
    planned_start: date | None
    location: Location
    personal_information: bool
    pi_outside_quebec: bool
    supplier_partner: str
    answers: dict[str, str | bool]
    efvp_required: bool = Field(description="Des renseignements personnels sont en cause")
    efvp_required_before_contract: bool = Field(
        description="Ils sont communiqués hors Québec : l'EFVP précède tout contrat (art. 70.1)"
    )
    efvp_done_on: date | None


class MemberQuantitiesOut(Schema):
    member: Ref
    quantities: list[int]


class NeedLineOut(Schema):
    code: str
    label: str
    kind: NeedKind
    unit: Unit
    quantities: list[int]
    members: list[MemberQuantitiesOut]


class RequirementOut(Schema):
    id: int
    kind: RequirementKind
    label: str
    automatic: bool


class ComplianceOut(Schema):
    requirement_id: int
    verdict: Verdict
    note: str
    updated_at: datetime


class CandidateOut(Schema):
    id: int
    offer: OfferRef
    version_seen: VersionRef
    looked_at: datetime
    mapping: dict[str, str] = Field(description="Code du besoin -> code de la composante")
    compliance: list[ComplianceOut]
    compliant: bool
    changed_since: list[VersionRef] = Field(
        description="Versions de la fiche publiées depuis la consultation qui modifient l'offre"
    )


class QuestionOut(Schema):
    id: int
    file_id: int
    file_reference: str
    client: Ref
    supplier: Ref
    offer: Ref | None
    text: str
    asked_at: datetime
    due_on: date = Field(description="Prise en charge au plus tard (3 jours ouvrables)")
    answer: str
    answered_at: datetime | None
    overdue: bool = Field(description="Sans réponse après l'échéance")

    @staticmethod
    def resolve_file_reference(obj: SupplierQuestion) -> str:
        return obj.file.reference

    @staticmethod
    def resolve_client(obj: SupplierQuestion) -> Organisation:
        return obj.file.client

    @staticmethod
    def resolve_overdue(obj: SupplierQuestion) -> bool:
        return rules.question_overdue(obj.due_on, obj.answered_at is not None, timezone.localdate())


class TrialOut(Schema):
    id: int
    offer: Ref
    starts_on: date
    ends_on: date
    days: int
    units: int
    attestation: bool
    report_document_id: int | None
    report_summary: str


class LineItemOut(Schema):
    offer_key: str = Field(description="Identifiant de l'offre")
    component_code: str
    need: str
    kind: str = Field(description="usage | minimum_term")
    year: int
    billed_month: int
    months: int
    quantity: int
    unit_price_cents: int
    amount_cents: int


class MemberShareOut(Schema):
    member: Ref
    amount_cents: int


class ScenarioOut(Schema):
    id: int
    rank: int | None = Field(description="1 : le plus bas prix ; vide si incomplet")
    supplier: Ref
    offers: list[Ref]
    versions: dict[str, int | None] = Field(description="Offre -> version de fiche des prix")
    complete: bool
    missing_needs: list[str]
    total_cents: int
    monthly_cents: list[int]
    cumulative_cents: list[int]
    line_items: list[LineItemOut]
    member_shares: list[MemberShareOut] | None
    is_lowest: bool
    chosen: bool
    chosen_at: datetime | None


class RunOut(Schema):
    id: int
    number: int
    computed_at: datetime
    prices_on: date
    months: int
    lowest_cents: int | None
    stale: bool = Field(
        description="Le plan, les offres conformes ou leurs prix ont changé depuis : à recalculer"
    )
    scenarios: list[ScenarioOut]


class HeadAuthorisationOut(Schema):
    scenario_id: int
    criteria: list[str]
    justification: str
    head_name: str
    authorised_on: date
    document_id: int | None


class FinancialAuthorisationOut(Schema):
    amount_cents: int
    planned_additions_cents: int
    authorised_on: date
    authorised_by_name: str
    reference: str


class PrerequisiteOut(Schema):
    code: str
    message: str


class ParticipantOut(Schema):
    name: str
    email: str
    role: str


class MeetingOut(Schema):
    scheduled_for: datetime
    participants: list[ParticipantOut]
    agenda: str


class StrategyOut(Schema):
    id: int
    supplier: Ref
    duration_months: int
    total_cents: int
    content: dict[str, Any] = Field(
        description="Offres, composantes, quantités par mois, versions de fiche (figé)"
    )
    frozen_at: datetime


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    title: str
    name: str
    content_type: str
    size: int
    sha256: str
    retention: Retention
    created_at: datetime
    download_url: str


class EfvpOut(Schema):
    efvp_done_on: date
    document_id: int | None


class FileDetailOut(FileOut):
    progress: list[StepOut]
    next_action: str | None = Field(description="Le passage vers l'étape suivante")
    next_action_problems: list[str] = Field(description="Ce qui empêche ce passage")
    group_members: list[Ref]
    needs: NeedsOut
    need_lines: list[NeedLineOut]
    requirements: list[RequirementOut]
    candidates: list[CandidateOut]
    questions: list[QuestionOut]
    trials: list[TrialOut]
    latest_run: RunOut | None
    chosen_scenario: ScenarioOut | None
    own_rule: str
    head_authorisation_required: bool
    head_authorisation: HeadAuthorisationOut | None
    financial_authorisation: FinancialAuthorisationOut | None
    choice_problems: list[str]
    missing_prerequisites: list[PrerequisiteOut]
    startup_contact_on: date | None
    earliest_signed_contract: date = Field(
        description="Au moins 30 jours après le contact de démarrage (aujourd'hui s'il n'a pas "
        "eu lieu)"
    )
    startup_meeting: MeetingOut | None
    strategy: StrategyOut | None
    documents: list[DocumentOut]


# --- building answers -------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def _offer(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "code": offer.code,
        "name": offer.name,
        "supplier": _ref(offer.supplier),
        "status": offer.status,
        "version_id": offer.version_id,
    }


def _version(version: Any) -> dict[str, Any]:
    return {"id": version.pk, "name": version.name, "published_on": version.published_on}


def _candidate(candidate: CandidateOffer, changed: Mapping[int, list[Any]]) -> dict[str, Any]:
    records = list(candidate.records.all())
    return {
        "id": candidate.pk,
        "offer": _offer(candidate.offer),
        "version_seen": _version(candidate.version_seen),
        "looked_at": candidate.looked_at,
        "mapping": dict(candidate.mapping),
        "compliance": [
            {
                "requirement_id": r.requirement_id,
                "verdict": r.verdict,
                "note": r.note,
                "updated_at": r.updated_at,
            }
            for r in sorted(records, key=lambda r: r.requirement_id)
        ],
        "compliant": rules.is_compliant([r.verdict for r in records]),
        "changed_since": [_version(v) for v in changed.get(candidate.pk, [])],
    }


def _candidates(file: AcquisitionFile) -> list[CandidateOffer]:
    return list(
        file.candidates.select_related("offer__supplier", "version_seen").prefetch_related(
            "records"
        )
    )


def _questions(questions: Any) -> Any:
    """Questions with what their answer shows, unanswered first, then by due date."""
    return questions.select_related("file__client", "supplier", "offer").order_by(
        *selectors.QUESTION_ORDER
    )


def _documents_by_stored(file: AcquisitionFile) -> dict[int, int]:
    """Stored file id -> the newest document of the file that keeps it."""
    found: dict[int, int] = {}
    for pk, stored_id in file.documents.order_by("created_at", "pk").values_list("pk", "stored"):
        found[stored_id] = pk
    return found


def _trial(trial: Trial, documents: Mapping[int, int]) -> dict[str, Any]:
    return {
        "id": trial.pk,
        "offer": _ref(trial.offer),
        "starts_on": trial.starts_on,
        "ends_on": trial.ends_on,
        "days": rules.trial_days(trial.starts_on, trial.ends_on),
        "units": trial.units,
        "attestation": trial.attestation,
        "report_document_id": documents.get(trial.report_id) if trial.report_id else None,
        "report_summary": trial.report_summary,
    }


def _members(scenario: Scenario, names: Mapping[int, Any]) -> list[dict[str, Any]] | None:
    if not scenario.member_shares:
        return None
    shares = []
    for key, cents in sorted(scenario.member_shares.items(), key=lambda kv: int(kv[0])):
        organisation = names.get(int(key))
        name = organisation.name if organisation is not None else str(key)
        shares.append({"member": {"id": int(key), "name": name}, "amount_cents": cents})
    return shares


def _scenario(scenario: Scenario, names: Mapping[int, Any]) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "rank": scenario.rank,
        "supplier": _ref(scenario.supplier),
        "offers": [_ref(o) for o in sorted(scenario.offers.all(), key=lambda o: o.pk)],
        "versions": dict(scenario.versions),
        "complete": scenario.complete,
        "missing_needs": list(scenario.missing_needs),
        "total_cents": scenario.total_cents,
        "monthly_cents": list(scenario.monthly_cents),
        "cumulative_cents": list(accumulate(scenario.monthly_cents)),
        "line_items": list(scenario.line_items),
        "member_shares": _members(scenario, names),
        "is_lowest": scenario.is_lowest,
        "chosen": scenario.chosen,
        "chosen_at": scenario.chosen_at,
    }


def _member_names(scenarios: list[Scenario]) -> dict[int, Organisation]:
    ids = {int(k) for s in scenarios for k in (s.member_shares or {})}
    return Organisation.objects.in_bulk(list(ids)) if ids else {}


def _run(run: ScenarioRun) -> dict[str, Any]:
    scenarios = list(
        run.scenarios.select_related("supplier")
        .prefetch_related("offers")
        .order_by("rank", "supplier__name", "pk")
    )
    names = _member_names(scenarios)
    # Complete scenarios by rank first, then the incomplete ones (no rank).
    scenarios.sort(key=lambda s: (s.rank is None, s.rank or 0, s.supplier.name, s.pk))
    lowest = next((s.total_cents for s in scenarios if s.is_lowest), None)
    return {
        "id": run.pk,
        "number": run.number,
        "computed_at": run.computed_at,
        "prices_on": run.prices_on,
        "months": run.months,
        "lowest_cents": lowest,
        "stale": services.scenarios_stale(run.file, run),
        "scenarios": [_scenario(s, names) for s in scenarios],
    }


def _download_url(document: FileDocument) -> str:
    return reverse("api:acquisition_document", args=[document.file_id, document.pk])


def _document(document: FileDocument) -> dict[str, Any]:
    stored = document.stored
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "name": stored.name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "retention": document.retention,
        "created_at": document.created_at,
        "download_url": _download_url(document),
    }


def _strategy(file: AcquisitionFile) -> dict[str, Any] | None:
    strategy = _one_to_one(file, "strategy")
    if strategy is None:
        return None
    return {
        "id": strategy.pk,
        "supplier": _ref(strategy.supplier),
        "duration_months": strategy.duration_months,
        "total_cents": strategy.total_cents,
        "content": strategy.content,
        "frozen_at": strategy.frozen_at,
    }


def _one_to_one(file: AcquisitionFile, name: str) -> Any:
    try:
        return getattr(file, name)
    except ObjectDoesNotExist:  # nothing recorded yet
        return None


def _detail(request: HttpRequest, file: AcquisitionFile) -> dict[str, Any]:
    """Everything the file holds, as one person may read it."""
    file = AcquisitionFile.objects.select_related("client", "category").get(pk=file.pk)
    user = request.user
    documents = list(file.documents.select_related("stored"))
    by_stored = _documents_by_stored(file)
    changed = selectors.changed_since_looked(user, file)
    run = services.latest_run(file)
    chosen = services.chosen_scenario(file)
    head = _one_to_one(file, "head_authorisation")
    financial = _one_to_one(file, "financial_authorisation")
    meeting = _one_to_one(file, "startup_meeting")
    startup = selectors.startup_view(file)
    action = selectors.next_action(file)
    missing = services.missing_prerequisites(file)
    lines = list(file.needs.prefetch_related("members__member"))
    return {
        "id": file.pk,
        "reference": file.reference,
        "title": file.title,
        "client": _ref(file.client),
        "is_group_purchase": file.is_group_purchase,
        "state": file.state,
        "state_label": str(file.get_state_display()),
        "step": file.step,
        "created_at": file.created_at,
        "updated_at": file.updated_at,
        "progress": [
            {"number": s.number, "label": s.label, "status": s.status}
            for s in selectors.progress(file)
        ],
        "next_action": action,
        "next_action_problems": services.transition_problems(file, action) if action else [],
        "group_members": [_ref(m) for m in file.client.members.order_by("name")]
        if file.is_group_purchase
        else [],
        "needs": {
            "category": file.category.code if file.category_id else None,
            "duration_months": file.duration_months,
            "budget_cents": file.budget_cents,
            "planned_start": file.planned_start,
            "location": file.location,
            "personal_information": file.personal_information,
            "pi_outside_quebec": file.pi_outside_quebec,
            "supplier_partner": file.supplier_partner,
            "answers": dict(file.answers or {}),
            "efvp_required": rules.efvp_required(file.personal_information),
            "efvp_required_before_contract": rules.efvp_blocks_contract(
                file.personal_information, services.stores_outside_quebec(file, chosen)
            ),
            "efvp_done_on": file.efvp_done_on,
        },
        "need_lines": [
            {
                "code": n.code,
                "label": n.label,
                "kind": n.kind,
                "unit": n.unit,
                "quantities": list(n.quantities),
                "members": [
                    {"member": _ref(m.member), "quantities": list(m.quantities)}
                    for m in n.members.all()
                ],
            }
            for n in lines
        ],
        "requirements": [
            {"id": r.pk, "kind": r.kind, "label": r.label, "automatic": r.is_automatic}
            for r in file.requirements.all()
        ],
        "candidates": [_candidate(c, changed) for c in _candidates(file)],
        "questions": list(_questions(file.questions.all())),
        "trials": [_trial(t, by_stored) for t in file.trials.select_related("offer")],
        "latest_run": _run(run) if run is not None else None,
        "chosen_scenario": _scenario(chosen, _member_names([chosen])) if chosen else None,
        "own_rule": file.own_rule,
        "head_authorisation_required": services.head_authorisation_needed(file, chosen),
        "head_authorisation": {
            "scenario_id": head.scenario_id,
            "criteria": list(head.criteria),
            "justification": head.justification,
            "head_name": head.head_name,
            "authorised_on": head.authorised_on,
            "document_id": by_stored.get(head.document_id),
        }
        if head is not None
        else None,
        "financial_authorisation": financial,
        "choice_problems": services.choice_problems(file)
        if file.state == rules.State.CHOICE
        else [],
        "missing_prerequisites": [
            {"code": str(p), "message": str(services.PREREQUISITE_MESSAGES[p])} for p in missing
        ],
        "startup_contact_on": startup.contact_on,
        "earliest_signed_contract": startup.earliest_signed_contract,
        "startup_meeting": meeting,
        "strategy": _strategy(file),
        "documents": [_document(d) for d in documents],
    }


# --- access -----------------------------------------------------------------------------------


def _candidate_of(file: AcquisitionFile, candidate_id: int) -> CandidateOffer:
    candidate = (
        file.candidates.select_related("offer__supplier", "version_seen", "file")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


def _offer_for(request: HttpRequest, offer_id: int, field: str = "offer_id") -> Offer:
    """An offer of the Catalogue this person can read, else a 422 on ``field``."""
    offer = (
        permissions.scope(request.user, Offer.objects.select_related("supplier", "category"))
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise ValidationError({field: UNKNOWN_OFFER})
    return offer


# --- files --------------------------------------------------------------------------------------


@router.get(
    "/files",
    response={200: list[FileOut], **ERRORS},
    summary="Dossiers d'acquisition",
    description=(
        "Les dossiers que la personne peut voir : ceux de son organisme (et, pour un organisme "
        "membre, les achats regroupés auxquels il participe) ; tous pour le Courtier. Les plus "
        "récemment modifiés d'abord."
    ),
)
@paginate(Pagination)
def file_list(request: HttpRequest, state: FileState | None = None):
    return selectors.files_for(request.user, state=state)


class FileCreateIn(_In):
    title: _text(200, required=True)  # type: ignore[valid-type]
    client: Id | None = Field(
        None,
        description="Organisme client (par défaut : le seul dont la personne mène les dossiers)",
    )
    is_group_purchase: bool = Field(False, description="Achat regroupé (regroupement d'achats)")


@router.post(
    "/files",
    response={201: FileDetailOut, **ERRORS},
    summary="Ouvrir un dossier d'acquisition",
    description="Le dossier commence à l'étape 1, définir les besoins.",
)
def file_create(request: HttpRequest, payload: FileCreateIn):
    runs = permissions.grants(request.user).organisations_with(Perm.RUN_ACQUISITIONS)
    if payload.client is None:
        if not runs:
            raise PermissionDenied
        if len(runs) > 1:
            raise ValidationError({"client": CLIENT_REQUIRED})
        client_id = next(iter(runs))
    else:
        client_id = payload.client
    client = Organisation.objects.filter(pk=client_id).first()
    if client is None:
        raise ValidationError({"client": UNKNOWN_CLIENT})
    if client.kind not in (OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER):
        raise ValidationError({"client": services.NOT_A_CLIENT})
    file = services.file_create(
        by=request.user,
        client=client,
        title=payload.title,
        is_group_purchase=payload.is_group_purchase,
    )
    return Status(201, _detail(request, file))


@router.get(
    "/files/{file_id}",
    response={200: FileDetailOut, **ERRORS},
    summary="Un dossier d'acquisition",
    description=(
        "Étape, progression, besoins et plan de consommation, offres retenues et leur "
        "conformité (avec les versions de fiche publiées depuis la consultation), questions "
        "aux fournisseurs (en retard ou non), bancs d'essai, derniers scénarios calculés, "
        "choix, autorisations, préalables manquants de la rencontre de démarrage, date de "
        "contrat signé au plus tôt, stratégie figée et documents du dossier."
    ),
)
def file_detail(request: HttpRequest, file_id: int = path_id()):
    return _detail(request, selectors.file_for(request.user, file_id))


AnswerValue = str | bool | None


class NeedsIn(_In):
    """Step 1 (DOMAIN §3.1). Only the fields sent change; ``answers`` are merged (a null
    answer removes it)."""

    title: _text(200, required=True) | None = None  # type: ignore[valid-type]
    category: _text(60) | None = Field(  # type: ignore[valid-type]
        None, description="Code du volet recherché (vide : aucun)"
    )
    duration_months: int | None = Field(
        None, description="Durée désirée en mois, renouvellements compris (36 au plus)"
    )
    budget_cents: Cents | None = None
    planned_start: date | None = None
    location: Location | None = None
    personal_information: bool | None = None
    pi_outside_quebec: bool | None = None
    supplier_partner: _text(200) | None = None  # type: ignore[valid-type]
    answers: dict[str, AnswerValue] | None = Field(
        None,
        max_length=len(rules.QUESTIONS),
        description="Code de la question -> réponse (texte, ou vrai/faux)",
    )

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: dict[str, AnswerValue] | None) -> dict[str, AnswerValue] | None:
        for code, answer in (value or {}).items():
            _no_nul(code)
            if isinstance(answer, str):
                _no_nul(answer)
                if len(answer) > 20000:
                    raise ValueError(str(_("Au plus 20000 caractères.")))
        return value


_NOT_NULL = ("location", "personal_information", "pi_outside_quebec", "supplier_partner", "title")


@router.patch(
    "/files/{file_id}/needs",
    response={200: FileDetailOut, **ERRORS},
    summary="Définir les besoins (étape 1)",
    description=(
        "Le questionnaire de l'étape 1 : volet, durée, budget, début prévu, localisation des "
        "données, renseignements personnels, réponses. Les réponses incomplètes sont gardées ; "
        "elles sont vérifiées au passage à l'étape 2."
    ),
)
def file_needs(request: HttpRequest, payload: NeedsIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    values = payload.model_dump(exclude_unset=True)
    errors = {name: REQUIRED for name in _NOT_NULL if values.get(name, 0) is None}
    if errors:
        raise ValidationError(errors)
    category = None
    if "category" in values:  # sent: a code, or empty (or null) for none
        category = values.pop("category") or ""
    if "answers" in values:
        values["answers"] = _merged_answers(file, values["answers"] or {})
    file = services.file_update_needs(by=request.user, file=file, category_code=category, **values)
    return _detail(request, file)


def _merged_answers(file: AcquisitionFile, sent: Mapping[str, AnswerValue]) -> dict[str, Any]:
    """The answers kept, updated with those sent (None removes one); each of the right kind."""
    kinds = {q.code: q.kind for q in rules.QUESTIONS}
    errors: dict[str, Any] = {}
    answers = dict(file.answers or {})
    for code, answer in sent.items():
        if answer is None:
            answers.pop(code, None)
            continue
        kind = kinds.get(code)
        if kind is None:
            errors[f"answers.{code}"] = UNKNOWN_QUESTION
        elif kind == rules.AnswerKind.TEXT and not isinstance(answer, str):
            errors[f"answers.{code}"] = ANSWER_TEXT
        elif kind == rules.AnswerKind.BOOLEAN and not isinstance(answer, bool):
            errors[f"answers.{code}"] = ANSWER_BOOLEAN
        answers[code] = answer
    if errors:
        raise ValidationError(errors)
    return answers


NeedCode = Annotated[
    str,
    Path(..., min_length=1, max_length=MAX_NEED_CODE, description="Code du besoin, ex. postes"),
]


class NeedLineIn(_In):
    label: _text(200, required=True)  # type: ignore[valid-type]
    kind: NeedKind
    unit: Unit
    quantities: list[int] | None = Field(
        None,
        max_length=rules.MAX_DURATION_MONTHS,
        description=(
            "Quantité par mois sur toute la durée (une par mois). Absent dans un achat regroupé "
            "(la somme de celles des membres)."
        ),
    )


@router.put(
    "/files/{file_id}/needs/{code}",
    response={200: NeedLineOut, **ERRORS},
    summary="Ajouter ou modifier une ligne du plan de consommation",
)
def need_line_save(
    request: HttpRequest, payload: NeedLineIn, code: NeedCode, file_id: int = path_id()
):
    file = selectors.file_to_run(request.user, file_id)
    if payload.quantities is None and not file.is_group_purchase:
        raise ValidationError({"quantities": REQUIRED})
    need = services.need_line_save(
        by=request.user,
        file=file,
        code=_no_nul_path(code, "code"),
        label=payload.label,
        kind=payload.kind,
        unit=payload.unit,
        quantities=payload.quantities,
    )
    return _need_line(need)


def _no_nul_path(value: str, field: str) -> str:
    if "\x00" in value:
        raise ValidationError({field: NUL_CHARACTER})
    return value


def _need_line(need: NeedLine) -> dict[str, Any]:
    return {
        "code": need.code,
        "label": need.label,
        "kind": need.kind,
        "unit": need.unit,
        "quantities": list(need.quantities),
        "members": [
            {"member": _ref(m.member), "quantities": list(m.quantities)}
            for m in need.members.select_related("member")
        ],
    }


@router.delete(
    "/files/{file_id}/needs/{code}",
    response={204: None, **ERRORS},
    summary="Retirer une ligne du plan de consommation",
)
def need_line_delete(request: HttpRequest, code: NeedCode, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    services.need_line_delete(by=request.user, file=file, code=_no_nul_path(code, "code"))
    return Status(204, None)


class MemberQuantitiesIn(_In):
    quantities: list[int] = Field(max_length=rules.MAX_DURATION_MONTHS)


@router.put(
    "/files/{file_id}/needs/{code}/members/{member_id}",
    response={200: NeedLineOut, **ERRORS},
    summary="Consommation d'un organisme membre (achat regroupé)",
    description=(
        "Un organisme membre du regroupement d'achats inscrit ses propres quantités ; celles "
        "de la ligne deviennent la somme de celles des membres."
    ),
)
def member_consumption_save(
    request: HttpRequest,
    payload: MemberQuantitiesIn,
    code: NeedCode,
    file_id: int = path_id(),
    member_id: int = path_id(),
):
    file = selectors.file_for(request.user, file_id)
    member = Organisation.objects.filter(pk=member_id).first()
    if member is None:
        raise ValidationError({"member": services.NOT_A_MEMBER})
    row = services.member_consumption_save(
        by=request.user,
        file=file,
        need_code=_no_nul_path(code, "need"),
        member=member,
        quantities=payload.quantities,
    )
    return _need_line(row.need)


class TransitionIn(_In):
    action: FileAction


@router.post(
    "/files/{file_id}/transitions",
    response={200: FileDetailOut, **ERRORS},
    summary="Passer à une autre étape",
    description=(
        "submit_needs, confirm_candidates, close_compliance, confirm_choice (vers l'avant), "
        "go_back, abandon. Refusé (422) avec chaque raison quand le passage n'est pas possible. "
        "La stratégie se fige par POST /files/{file_id}/strategy (le Courtier)."
    ),
)
def file_transition(request: HttpRequest, payload: TransitionIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    file = services.file_transition(by=request.user, file=file, action=payload.action)
    return _detail(request, file)


# --- steps 2-3: candidates, requirements, compliance ---------------------------------------------


@router.post(
    "/files/{file_id}/candidates/search",
    response={200: list[CandidateOut], **ERRORS},
    summary="Chercher dans le Catalogue (étape 2)",
    description=(
        "Ajoute à la liste les offres qualifiées des dernières fiches qui passent les filtres "
        "automatiques (volet, localisation, hébergement des renseignements personnels) ; "
        "répond les offres ajoutées."
    ),
)
def candidates_search(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    added = services.candidates_from_catalogue(by=request.user, file=file)
    changed = selectors.changed_since_looked(request.user, file)
    ids = {c.pk for c in added}
    return [_candidate(c, changed) for c in _candidates(file) if c.pk in ids]


# Declared before /candidates/{candidate_id}: the first path that matches answers.
@router.post(
    "/files/{file_id}/candidates/seen",
    response={200: FileDetailOut, **ERRORS},
    summary="J'ai pris connaissance des modifications du Catalogue",
    description="Chaque offre retenue pointe désormais la dernière version de sa fiche.",
)
def candidates_seen(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    file = services.candidates_mark_seen(by=request.user, file=file)
    return _detail(request, file)


class CandidateIn(_In):
    offer_id: Id


@router.post(
    "/files/{file_id}/candidates",
    response={201: CandidateOut, **ERRORS},
    summary="Ajouter une offre du Catalogue à la liste",
)
def candidate_add(request: HttpRequest, payload: CandidateIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        candidate = services.candidate_add(by=request.user, file=file, offer=offer)
    return Status(201, _one_candidate(request, file, candidate.pk))


def _one_candidate(request: HttpRequest, file: AcquisitionFile, pk: int) -> dict[str, Any]:
    changed = selectors.changed_since_looked(request.user, file)
    candidate = next(c for c in _candidates(file) if c.pk == pk)
    return _candidate(candidate, changed)


@router.delete(
    "/files/{file_id}/candidates/{candidate_id}",
    response={204: None, **ERRORS},
    summary="Retirer une offre de la liste",
)
def candidate_remove(request: HttpRequest, file_id: int = path_id(), candidate_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    services.candidate_remove(by=request.user, candidate=_candidate_of(file, candidate_id))
    return Status(204, None)


class MappingIn(_In):
    mapping: dict[Str, Str] = Field(
        max_length=MAX_MAPPING,
        description="Code du besoin -> code de la composante qui le couvre (vide : aucune)",
    )


@router.put(
    "/files/{file_id}/candidates/{candidate_id}/mapping",
    response={200: CandidateOut, **ERRORS},
    summary="Composantes de l'offre retenues pour chaque besoin",
)
def candidate_map(
    request: HttpRequest,
    payload: MappingIn,
    file_id: int = path_id(),
    candidate_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    candidate = _candidate_of(file, candidate_id)
    services.candidate_map(by=request.user, candidate=candidate, mapping=payload.mapping)
    return _one_candidate(request, file, candidate.pk)


class RequirementIn(_In):
    label: _text(300, required=True)  # type: ignore[valid-type]


@router.post(
    "/files/{file_id}/requirements",
    response={201: RequirementOut, **ERRORS},
    summary="Ajouter une exigence évaluée par le client",
)
def requirement_add(request: HttpRequest, payload: RequirementIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    requirement = services.requirement_add(by=request.user, file=file, label=payload.label)
    return Status(
        201,
        {
            "id": requirement.pk,
            "kind": requirement.kind,
            "label": requirement.label,
            "automatic": requirement.is_automatic,
        },
    )


def _requirement_of(file: AcquisitionFile, requirement_id: int) -> Requirement:
    requirement = file.requirements.filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404
    return requirement


@router.delete(
    "/files/{file_id}/requirements/{requirement_id}",
    response={204: None, **ERRORS},
    summary="Retirer une exigence évaluée par le client",
)
def requirement_remove(
    request: HttpRequest, file_id: int = path_id(), requirement_id: int = path_id()
):
    file = selectors.file_to_run(request.user, file_id)
    requirement = _requirement_of(file, requirement_id)
    services.requirement_remove(by=request.user, requirement=requirement)
    return Status(204, None)


class ComplianceIn(_In):
    verdict: Verdict
    note: _text(5000) = ""  # type: ignore[valid-type]


@router.put(
    "/files/{file_id}/compliance/{candidate_id}/{requirement_id}",
    response={200: ComplianceOut, **ERRORS},
    summary="Conformité d'une offre à une exigence (étape 3)",
    description="met, not_met ou unknown, avec une note. Les exigences automatiques se "
    "vérifient seules.",
)
def compliance_record(
    request: HttpRequest,
    payload: ComplianceIn,
    file_id: int = path_id(),
    candidate_id: int = path_id(),
    requirement_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    candidate = _candidate_of(file, candidate_id)
    requirement = _requirement_of(file, requirement_id)
    record = services.compliance_record(
        by=request.user,
        candidate=candidate,
        requirement=requirement,
        verdict=payload.verdict,
        note=payload.note,
    )
    return {
        "requirement_id": record.requirement_id,
        "verdict": record.verdict,
        "note": record.note,
        "updated_at": record.updated_at,
    }


# --- questions to suppliers and trials (004 §3.3.2) ---------------------------------------------


class QuestionIn(_In):
    offer_id: Id = Field(description="Une offre de la liste : la question va à son fournisseur")
    text: _text(5000, required=True)  # type: ignore[valid-type]


@router.post(
    "/files/{file_id}/questions",
    response={201: QuestionOut, **ERRORS},
    summary="Poser une question écrite au fournisseur d'une offre",
    description="Le fournisseur la prend en charge dans les 3 jours ouvrables.",
)
def question_ask(request: HttpRequest, payload: QuestionIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        question = services.question_ask(by=request.user, file=file, offer=offer, text=payload.text)
    return Status(201, _questions(SupplierQuestion.objects.filter(pk=question.pk)).get())


@router.get(
    "/questions",
    response={200: list[QuestionOut], **ERRORS},
    summary="Questions aux fournisseurs",
    description=(
        "Pour un fournisseur : les questions qui lui sont adressées ; pour le Courtier : "
        "toutes ; pour un client : celles de ses dossiers. Sans réponse d'abord, par échéance."
    ),
)
@paginate(Pagination)
def question_list(
    request: HttpRequest,
    answered: bool | None = None,
    file: int | None = Query(None, ge=1, le=MAX_ID, description="Identifiant du dossier"),
):
    questions = selectors.questions_for_supplier(request.user)
    if answered is not None:
        questions = questions.filter(answered_at__isnull=not answered)
    if file is not None:
        questions = questions.filter(file_id=file)
    return _questions(questions)


class AnswerIn(_In):
    answer: _text(20000, required=True)  # type: ignore[valid-type]


@router.post(
    "/questions/{question_id}/answer",
    response={200: QuestionOut, **ERRORS},
    summary="Répondre à une question (fournisseur)",
)
def question_answer(request: HttpRequest, payload: AnswerIn, question_id: int = path_id()):
    question = permissions.get_visible_or_404(
        request.user, SupplierQuestion.objects.all(), pk=question_id
    )
    permissions.require_change(request.user, question)
    question = services.question_answer(by=request.user, question=question, answer=payload.answer)
    return _questions(SupplierQuestion.objects.filter(pk=question.pk)).get()


class TrialIn(_In):
    offer_id: Id
    starts_on: date
    ends_on: date
    units: int = Field(description="Au plus 30 unités de chaque offre, tous bancs d'essai compris")
    attestation: bool = Field(
        description="Aucun renseignement personnel ni confidentiel ne sera utilisé"
    )


@router.post(
    "/files/{file_id}/trials",
    response={201: TrialOut, **ERRORS},
    summary="Enregistrer un banc d'essai",
    description=(
        "Gratuit et sans engagement : au plus 60 jours et 30 unités de chaque offre, sans "
        "renseignements personnels ni confidentiels (004 §3.3.2)."
    ),
)
def trial_create(request: HttpRequest, payload: TrialIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        trial = services.trial_create(
            by=request.user,
            file=file,
            offer=offer,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            units=payload.units,
            attestation=payload.attestation,
        )
    return Status(201, _trial(trial, {}))


class TrialReportIn(_In):
    summary: _text(5000) = ""  # type: ignore[valid-type]


@router.post(
    "/files/{file_id}/trials/{trial_id}/report",
    response={200: TrialOut, **ERRORS},
    summary="Joindre le rapport d'un banc d'essai",
    description=f"Formulaire multipart : le fichier (report, {MAX_UPLOAD_MB} Mo au plus) et les "
    "conclusions (summary). Le rapport rejoint les documents du dossier.",
)
def trial_report(
    request: HttpRequest,
    payload: Form[TrialReportIn],
    report: File[UploadedFile],
    file_id: int = path_id(),
    trial_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    trial = file.trials.select_related("offer", "file").filter(pk=trial_id).first()
    if trial is None:
        raise Http404
    upload = Upload.from_api(report, "report")
    trial = services.trial_attach_report(
        by=request.user, trial=trial, summary=payload.summary, **upload.as_kwargs()
    )
    return _trial(trial, _documents_by_stored(file))


# --- step 4: scenarios, choice, authorisations (002 §2.4) ---------------------------------------


@router.post(
    "/files/{file_id}/scenarios",
    response={201: RunOut, **ERRORS},
    summary="Calculer les scénarios d'acquisition (étape 4)",
    description=(
        "Chaque offre conforme est évaluée sur la durée désirée aux prix en vigueur "
        "aujourd'hui ; la combinaison la moins chère de chaque fournisseur est classée. Un "
        "nouveau calcul annule le choix."
    ),
)
def scenarios_compute(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    run = services.scenarios_compute(by=request.user, file=file)
    return Status(201, _run(run))


class ChoiceIn(_In):
    scenario_id: Id
    own_rule: _text(5000) | None = Field(  # type: ignore[valid-type]
        None,
        description="Organisme non assujetti au RCTI : la règle interne qui encadre un choix "
        "autre que le plus bas prix",
    )


@router.post(
    "/files/{file_id}/choice",
    response={200: ScenarioOut, **ERRORS},
    summary="Choisir un des scénarios calculés",
)
def scenario_choose(request: HttpRequest, payload: ChoiceIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    scenario = file.scenarios.select_related("supplier").filter(pk=payload.scenario_id).first()
    if scenario is None:
        raise ValidationError({"scenario_id": UNKNOWN_SCENARIO})
    with _fields(scenario="scenario_id"):
        scenario = services.scenario_choose(
            by=request.user, file=file, scenario=scenario, own_rule=payload.own_rule
        )
    return _scenario(scenario, _member_names([scenario]))


class FinancialIn(_In):
    amount_cents: Cents = Field(description="Montant total autorisé (¢), ajouts prévus compris")
    planned_additions_cents: Cents = Field(0, description="Ajouts prévus au contrat (¢)")
    authorised_on: date
    authorised_by_name: _text(200, required=True)  # type: ignore[valid-type]
    reference: _text(100) = ""  # type: ignore[valid-type]


@router.post(
    "/files/{file_id}/financial-authorisation",
    response={201: FinancialAuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation financière",
    description=(
        "Pour le montant total estimé : le scénario choisi et les ajouts prévus (002 §2.4.4). "
        "Remplace l'autorisation consignée auparavant."
    ),
)
def financial_authorisation(request: HttpRequest, payload: FinancialIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    auth = services.financial_authorisation_record(
        by=request.user,
        file=file,
        amount_cents=payload.amount_cents,
        planned_additions_cents=payload.planned_additions_cents,
        authorised_on=payload.authorised_on,
        authorised_by_name=payload.authorised_by_name,
        reference=payload.reference,
    )
    return Status(201, auth)


class HeadAuthorisationIn(_In):
    criteria: list[rules.Criterion] = Field(
        max_length=len(rules.Criterion), description="Un ou plusieurs critères (champ répété)"
    )
    justification: _text(20000, required=True)  # type: ignore[valid-type]
    head_name: _text(200, required=True)  # type: ignore[valid-type]
    authorised_on: date


@router.post(
    "/files/{file_id}/head-authorisation",
    response={201: HeadAuthorisationOut, **ERRORS},
    summary="Consigner l'autorisation du dirigeant d'organisme (RCTI, art. 48)",
    description=(
        "Requise avant de confirmer un choix autre que le scénario du plus bas prix. "
        f"Formulaire multipart : critères, justification, dirigeant, date et le document signé "
        f"(document, {MAX_UPLOAD_MB} Mo au plus), gardé 7 ans après la fin du contrat."
    ),
)
def head_authorisation(
    request: HttpRequest,
    payload: Form[HeadAuthorisationIn],
    document: File[UploadedFile],
    file_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    upload = Upload.from_api(document, "document")
    head = services.head_authorisation_record(
        by=request.user,
        file=file,
        criteria=[str(c) for c in payload.criteria],
        justification=payload.justification,
        head_name=payload.head_name,
        authorised_on=payload.authorised_on,
        document_name=upload.name,
        document=upload.content,
        content_type=upload.content_type,
    )
    return Status(
        201,
        {
            "scenario_id": head.scenario_id,
            "criteria": list(head.criteria),
            "justification": head.justification,
            "head_name": head.head_name,
            "authorised_on": head.authorised_on,
            "document_id": _documents_by_stored(file).get(head.document_id),
        },
    )


class EfvpIn(_In):
    done_on: date


@router.post(
    "/files/{file_id}/efvp",
    response={200: EfvpOut, **ERRORS},
    summary="Consigner l'évaluation des facteurs relatifs à la vie privée (EFVP)",
    description=(
        "Quand des renseignements personnels sont en cause (obligatoire avant tout contrat "
        "s'ils sont communiqués hors Québec). Formulaire multipart : date (done_on) et "
        f"document ({MAX_UPLOAD_MB} Mo au plus)."
    ),
)
def efvp(
    request: HttpRequest,
    payload: Form[EfvpIn],
    document: File[UploadedFile],
    file_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    upload = Upload.from_api(document, "document")
    file = services.efvp_record(
        by=request.user, file=file, done_on=payload.done_on, **upload.as_kwargs()
    )
    return {
        "efvp_done_on": file.efvp_done_on,
        "document_id": _documents_by_stored(file).get(file.efvp_document_id),
    }


# --- step 5: startup meeting and frozen strategy (002 §2.5) ---------------------------------------


class ParticipantIn(_In):
    name: _text(200, required=True)  # type: ignore[valid-type]
    email: _text(254, required=True)  # type: ignore[valid-type]
    role: Literal["client", "supplier", "broker"] = Field(
        description="client, supplier (fournisseur) ou broker (Courtier)"
    )


class MeetingIn(_In):
    scheduled_for: datetime = Field(description="Date et heure (heure du Québec si sans fuseau)")
    participants: list[ParticipantIn] = Field(
        max_length=100, description="Au moins un participant du client et un du fournisseur"
    )


@router.post(
    "/files/{file_id}/startup-meeting",
    response={201: MeetingOut, **ERRORS},
    summary="Convoquer la rencontre de démarrage (Courtier)",
    description=(
        "Une fois chaque préalable satisfait (002 §2.5) ; la plateforme en rédige l'ordre du "
        "jour, versé aux documents du dossier."
    ),
)
def startup_meeting(request: HttpRequest, payload: MeetingIn, file_id: int = path_id()):
    file = selectors.file_to_manage(request.user, file_id)
    when = payload.scheduled_for
    if when.year not in calendar_rules.SUPPORTED_YEARS:
        raise out_of_calendar_error("scheduled_for")
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    meeting = services.startup_meeting_schedule(
        by=request.user,
        file=file,
        scheduled_for=when,
        participants=[p.model_dump() for p in payload.participants],
    )
    return Status(201, meeting)


@router.post(
    "/files/{file_id}/strategy",
    response={201: StrategyOut, **ERRORS},
    summary="Figer la stratégie d'acquisition (Courtier)",
    description=(
        "Après la rencontre de démarrage : offres, composantes, quantités dans le temps, "
        "durée, montant total et versions de fiche sont figés et remis à la préparation du "
        "contrat."
    ),
)
def strategy_freeze(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_manage(request.user, file_id)
    services.strategy_freeze(by=request.user, file=file)
    file = AcquisitionFile.objects.select_related("strategy__supplier").get(pk=file.pk)
    return Status(201, _strategy(file))


# --- documents ------------------------------------------------------------------------------------


@router.get(
    "/files/{file_id}/documents/{document_id}",
    response={**ERRORS},
    url_name="acquisition_document",
    summary="Télécharger un document du dossier",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Le fichier, tel qu'il a été gardé",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def document_download(request: HttpRequest, file_id: int = path_id(), document_id: int = path_id()):
    file = selectors.file_for(request.user, file_id)
    document = file.documents.select_related("stored").filter(pk=document_id).first()
    if document is None:
        raise Http404
    return stored_file_response(document.stored)
