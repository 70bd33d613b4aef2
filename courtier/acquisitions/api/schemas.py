"""The schemas of the acquisitions API: what it answers (output) and what it reads (input, each
a ``common._In``: unknown fields refused, no NUL character). Money is in integer cents, dates
ISO (America/Toronto)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from courtier.accounts.models import Organisation
from courtier.acquisitions import rules
from courtier.acquisitions.api.common import (
    MAX_MAPPING,
    AnswerValue,
    Cents,
    Id,
    _In,
    _text,
)
from courtier.acquisitions.messages import ANSWER_TOO_LONG
from courtier.acquisitions.models import (
    DocumentKind,
    FileAction,
    FileState,
    Location,
    NeedKind,
    RequirementKind,
    SupplierQuestion,
    Verdict,
)
from courtier.catalogue.api.schemas import Ref, VersionRef
from courtier.catalogue.models import Unit
from courtier.core.apifields import ApiDate, ApiDateTime, Str, StrictInt, no_nul


class OfferRef(Schema):
    id: int
    code: str
    name: str
    supplier: Ref
    status: str
    version_id: int | None = Field(description="Version de fiche en vigueur de l'offre")


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


class FileDocumentOut(Schema):
    id: int
    kind: DocumentKind
    title: str
    name: str
    content_type: str
    size: int
    sha256: str
    version: int = Field(description="La version courante du document dans le magasin")
    disposal_on: date | None = Field(description="Date de disposition (DOMAIN §7)")
    disposal_pending: bool = Field(
        description="Vrai tant que l'événement dont compte la conservation n'a pas eu lieu"
    )
    available: bool = Field(description="Faux une fois le contenu éliminé (disposition)")
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
    documents: list[FileDocumentOut]


class FileCreateIn(_In):
    title: _text(200, required=True)  # type: ignore[valid-type]
    client: Id | None = Field(
        None,
        description="Organisme client (par défaut : le seul dont la personne mène les dossiers)",
    )
    is_group_purchase: bool = Field(False, description="Achat regroupé (regroupement d'achats)")


class NeedsIn(_In):
    """Step 1 (DOMAIN §3.1). Only the fields sent change; ``answers`` are merged (a null
    answer removes it)."""

    title: _text(200, required=True) | None = None  # type: ignore[valid-type]
    category: _text(60) | None = Field(  # type: ignore[valid-type]
        None, description="Code du volet recherché (vide : aucun)"
    )
    duration_months: StrictInt | None = Field(
        None, description="Durée désirée en mois, renouvellements compris (36 au plus)"
    )
    budget_cents: Cents | None = None
    planned_start: ApiDate | None = None
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
            no_nul(code)
            if isinstance(answer, str):
                no_nul(answer)
                if len(answer) > rules.MAX_ANSWER_LENGTH:
                    raise ValueError(str(ANSWER_TOO_LONG % {"n": rules.MAX_ANSWER_LENGTH}))
        return value


class GrowthPlanIn(_In):
    """DOMAIN §3.1: quantities from a start, a monthly growth and a ceiling (at least the
    start)."""

    start: StrictInt = Field(ge=0, le=rules.MAX_QUANTITY)
    growth: StrictInt = Field(0, ge=-rules.MAX_QUANTITY, le=rules.MAX_QUANTITY)
    ceiling: StrictInt | None = Field(None, ge=0, le=rules.MAX_QUANTITY)


class NeedLineIn(_In):
    label: _text(200, required=True)  # type: ignore[valid-type]
    kind: NeedKind
    unit: Unit
    quantities: list[StrictInt] | None = Field(
        None,
        max_length=rules.MAX_DURATION_MONTHS,
        description=(
            "Quantité par mois sur toute la durée (une par mois). Absent dans un achat regroupé "
            "(la somme de celles des membres)."
        ),
    )
    plan: GrowthPlanIn | None = Field(
        None,
        description=(
            "Ou bien les quantités comme une croissance : quantité initiale, croissance par mois "
            "et plafond (au moins la quantité initiale)."
        ),
    )


class MemberQuantitiesIn(_In):
    quantities: list[StrictInt] = Field(max_length=rules.MAX_DURATION_MONTHS)


class TransitionIn(_In):
    action: FileAction


class CandidateIn(_In):
    offer_id: Id


class MappingIn(_In):
    mapping: dict[Str, Str] = Field(
        max_length=MAX_MAPPING,
        description="Code du besoin -> code de la composante qui le couvre (vide : aucune)",
    )


class RequirementIn(_In):
    label: _text(300, required=True)  # type: ignore[valid-type]


class ComplianceIn(_In):
    verdict: Verdict
    note: _text(rules.MAX_NOTE_LENGTH) = ""  # type: ignore[valid-type]


class QuestionIn(_In):
    offer_id: Id = Field(description="Une offre de la liste : la question va à son fournisseur")
    text: _text(rules.MAX_QUESTION_LENGTH, required=True)  # type: ignore[valid-type]


class AnswerIn(_In):
    answer: _text(rules.MAX_REPLY_LENGTH, required=True)  # type: ignore[valid-type]


class TrialIn(_In):
    offer_id: Id
    starts_on: ApiDate
    ends_on: ApiDate
    units: StrictInt = Field(
        description="Au plus 30 unités de chaque offre, tous bancs d'essai compris"
    )
    attestation: bool = Field(
        description="Aucun renseignement personnel ni confidentiel ne sera utilisé"
    )


class TrialReportIn(_In):
    summary: _text(rules.MAX_QUESTION_LENGTH) = ""  # type: ignore[valid-type]


class ChoiceIn(_In):
    scenario_id: Id
    own_rule: _text(rules.MAX_RULE_LENGTH) | None = Field(  # type: ignore[valid-type]
        None,
        description="Organisme non assujetti au RCTI : la règle interne qui encadre un choix "
        "autre que le plus bas prix",
    )


class FinancialIn(_In):
    amount_cents: Cents = Field(description="Montant total autorisé (¢), ajouts prévus compris")
    planned_additions_cents: Cents = Field(0, description="Ajouts prévus au contrat (¢)")
    authorised_on: ApiDate
    authorised_by_name: _text(200, required=True)  # type: ignore[valid-type]
    reference: _text(100) = ""  # type: ignore[valid-type]


class HeadAuthorisationIn(_In):
    criteria: list[rules.Criterion] = Field(
        max_length=len(rules.Criterion), description="Un ou plusieurs critères (champ répété)"
    )
    justification: _text(rules.MAX_REPLY_LENGTH, required=True)  # type: ignore[valid-type]
    head_name: _text(200, required=True)  # type: ignore[valid-type]
    authorised_on: ApiDate


class EfvpIn(_In):
    done_on: ApiDate


class ParticipantIn(_In):
    name: _text(200, required=True)  # type: ignore[valid-type]
    email: _text(254, required=True)  # type: ignore[valid-type]
    role: Literal["client", "supplier", "broker"] = Field(
        description="client, supplier (fournisseur) ou broker (Courtier)"
    )


class MeetingIn(_In):
    scheduled_for: ApiDateTime = Field(description="Date et heure (heure du Québec si sans fuseau)")
    participants: list[ParticipantIn] = Field(
        max_length=100, description="Au moins un participant du client et un du fournisseur"
    )
