"""The schemas of the service acquisitions API: what it answers and what it reads (each input a
``_In``: unknown fields refused, no NUL character). Money in integer cents, dates ISO
(America/Toronto). What a provider reads never names another provider: its own solicitation,
the published answers with their askers' pseudonyms, its own response."""

from datetime import date, datetime, time
from typing import Any

from ninja import Field, Schema

from courtier.acquisitions.api.common import Cents, Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.core.apifields import ApiDate
from courtier.pricerequests import rules
from courtier.pricerequests.models import (
    NonParticipationReason,
    NonParticipationState,
    Remuneration,
    RequestState,
    ResponseState,
    ServiceFileAction,
    ServiceFileState,
)

Text = _text(rules.MAX_TEXT_LENGTH)
Reason = _text(rules.MAX_REASON_LENGTH)


# --- files --------------------------------------------------------------------------------------


class ServiceFileOut(Schema):
    id: int
    reference: str
    title: str
    client: Ref
    state: ServiceFileState
    state_label: str
    step: int = Field(description="1 à 4 ; 5 une fois le dossier remis ; 0 si abandonné")
    updated_at: datetime


class ServiceNeedsOut(Schema):
    duration_months: int | None
    schedule: str
    remuneration: Remuneration | None
    current_context: str
    target_context: str
    activities: str
    deliverables: str
    responsibilities: str
    payment_terms: str
    penalties: str


class ServiceQualificationOut(Schema):
    code: str
    name: str
    scope_description: str = Field(description="La portée, à lire à côté des besoins (002 §3.1)")


class ContactOut(Schema):
    name: str
    email: str


class ShortlistOut(Schema):
    provider: Ref
    contacts: list[ContactOut]
    included: bool
    exclusion_reason: str


class ServiceFileDetailOut(ServiceFileOut):
    needs: ServiceNeedsOut
    qualifications: list[ServiceQualificationOut]
    scope_confirmed_at: datetime | None
    shortlist: list[ShortlistOut]
    request_state: RequestState | None
    single_provider: bool = Field(description="Un seul prestataire sollicité (002 §3.4)")
    own_rule: str
    follows_single_provider_advice: bool
    problems: dict[str, list[str]] = Field(
        description="Ce qui bloque le passage à l'étape suivante"
    )


class ServiceFileCreateIn(_In):
    title: _text(200, required=True)  # type: ignore[valid-type]
    client: Id | None = Field(
        None, description="Organisme client, si vous en représentez plusieurs"
    )


class ServiceNeedsIn(_In):
    title: _text(200) | None = None  # type: ignore[valid-type]
    duration_months: int | None = Field(None, ge=1, le=rules.MAX_DURATION_MONTHS)
    schedule: Text | None = None  # type: ignore[valid-type]
    remuneration: Remuneration | None = None
    current_context: Text | None = None  # type: ignore[valid-type]
    target_context: Text | None = None  # type: ignore[valid-type]
    activities: Text | None = None  # type: ignore[valid-type]
    deliverables: Text | None = None  # type: ignore[valid-type]
    responsibilities: Text | None = None  # type: ignore[valid-type]
    payment_terms: Text | None = None  # type: ignore[valid-type]
    penalties: Text | None = None  # type: ignore[valid-type]


class QualificationsIn(_In):
    codes: list[_text(60, required=True)] = Field(max_length=20)  # type: ignore[valid-type]
    scope_confirmed: bool = Field(
        description="Le besoin fait partie de la portée des qualifications choisies (002 §3.1)"
    )


class ExcludeIn(_In):
    reason: Reason = Field(description="Raison écrite et objective (002 §3.3.1)")  # type: ignore[valid-type]


class FileTransitionIn(_In):
    action: ServiceFileAction


# --- the request ------------------------------------------------------------------------------


class SectionOut(Schema):
    code: str
    title: str
    instructions: str
    text: str


class CriterionIO(_In):
    code: _text(40, required=True)  # type: ignore[valid-type]
    label: _text(300, required=True)  # type: ignore[valid-type]
    environmental: bool = False


class PriceRequestOut(Schema):
    id: int
    state: RequestState
    state_label: str
    template_version: int
    revision: int
    sections: list[SectionOut]
    criteria: list[CriterionIO]
    documents_asked: list[str]
    summary: str | None = None
    estimated_cents: int | None = None
    pending_sections: dict[str, str] | None = None
    return_comment: str | None = None
    sent_at: datetime | None
    deadline_at: datetime | None
    question_cutoff_at: datetime | None
    business_days_left: int | None = Field(
        description="Jours ouvrables d'ici la date limite (fériés du Québec et fermetures)"
    )
    opened_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    responses_received: int | None = Field(
        None, description="Nombre de réponses déposées (leur contenu reste scellé)"
    )


class PriceRequestIn(_In):
    sections: dict[str, Text] | None = Field(None, description="Code de section -> texte")  # type: ignore[valid-type]
    criteria: list[dict[str, Any]] | None = Field(
        None,
        max_length=rules.MAX_CRITERIA,
        description="Critères autres que le prix : code, libellé, environmental (sans pondération)",
    )
    documents_asked: list[_text(200)] | None = Field(None, max_length=rules.MAX_DOCUMENTS_ASKED)  # type: ignore[valid-type]
    summary: Text | None = None  # type: ignore[valid-type]
    estimated_cents: Cents | None = None


class CommentIn(_In):
    comment: Reason  # type: ignore[valid-type]


class CancelIn(_In):
    reason: Reason  # type: ignore[valid-type]


class SendIn(_In):
    deadline_on: ApiDate = Field(description="10 à 15 jours ouvrables après l'envoi (002 §3.3.3)")
    deadline_time: time | None = Field(None, description="Heure limite (14:00 par défaut)")
    question_cutoff_on: ApiDate = Field(
        description="Dernier jour des questions, avant la date limite"
    )


class ChangeIn(_In):
    sections: dict[str, Text]  # type: ignore[valid-type]


class ExtendIn(Schema):
    """Any body: every extension is refused (002 §3.3.3)."""

    model_config = {"extra": "allow"}


class TemplateSectionIn(_In):
    code: _text(40, required=True)  # type: ignore[valid-type]
    title: _text(300, required=True)  # type: ignore[valid-type]
    instructions: _text(2000) = ""  # type: ignore[valid-type]


class TemplateIn(_In):
    sections: list[TemplateSectionIn] = Field(min_length=1, max_length=30)


class TemplateOut(Schema):
    version: int
    sections: list[dict[str, str]]
    published_at: datetime


class QueueOut(Schema):
    request_id: int
    file_id: int
    reference: str
    title: str
    client: Ref
    state: RequestState
    summary: str
    estimated_cents: int | None
    qualifications: list[ServiceQualificationOut]


# --- questions ----------------------------------------------------------------------------------


class ServiceQuestionOut(Schema):
    id: int
    asked_by: str = Field(description="« Prestataire A » : jamais le nom d'un autre prestataire")
    mine: bool
    text: str
    asked_at: datetime
    answer: str
    published_at: datetime | None


class ServiceQuestionIn(_In):
    text: _text(rules.MAX_QUESTION_LENGTH)  # type: ignore[valid-type]


class ServiceAnswerIn(_In):
    answer: _text(rules.MAX_QUESTION_LENGTH)  # type: ignore[valid-type]


# --- responses ----------------------------------------------------------------------------------


class LineIO(_In):
    activity: _text(300)  # type: ignore[valid-type]
    rate_cents: int = Field(ge=0, le=rules.MAX_RATE_CENTS, description="Taux horaire (¢)")
    hours: str = Field(max_length=20, description="Heures estimées, deux décimales au plus")


class ResponseIn(_In):
    lines: list[LineIO] = Field(default_factory=list, max_length=rules.MAX_LINES)
    lump_sum_cents: Cents | None = None
    criteria_answers: dict[str, Text] = Field(default_factory=dict)  # type: ignore[valid-type]


class ResponseDocumentOut(Schema):
    id: int
    title: str
    sha256: str


class ResponseOut(Schema):
    id: int
    provider: Ref | None = Field(
        description="Vu du client après l'ouverture ; le sien pour un prestataire"
    )
    pseudonym: str
    state: ResponseState
    lines: list[dict[str, Any]]
    lump_sum_cents: int | None
    total_cents: int
    criteria_answers: dict[str, str]
    submitted_at: datetime | None
    complete: bool | None
    completeness_note: str
    documents: list[ResponseDocumentOut]


class CompletenessIn(_In):
    complete: bool
    note: Reason = ""  # type: ignore[valid-type]


class NonParticipationOut(Schema):
    id: int
    provider: Ref | None
    state: NonParticipationState
    reasons: list[NonParticipationReason]
    comment: str
    reminders: int
    returned_at: datetime | None


class NonParticipationIn(_In):
    reasons: list[NonParticipationReason] = Field(max_length=len(NonParticipationReason))
    comment: Reason = ""  # type: ignore[valid-type]


class SolicitationOut(Schema):
    id: int
    reference: str
    title: str
    client: Ref
    request_state: RequestState
    request_state_label: str
    remuneration: Remuneration | None
    sent_at: datetime
    deadline_at: datetime
    question_cutoff_at: datetime
    business_days_left: int | None
    responded: bool


class SolicitationDetailOut(SolicitationOut):
    pseudonym: str
    revision: int
    sections: list[SectionOut]
    criteria: list[CriterionIO]
    documents_asked: list[str]
    qualifications: list[ServiceQualificationOut]
    questions: list[ServiceQuestionOut]
    response: ResponseOut | None
    non_participation: NonParticipationOut | None
    cancel_reason: str


# --- the choice -----------------------------------------------------------------------------------


class ServiceChoiceIn(_In):
    response_id: Id
    criteria: list[_text(40)] = Field(default_factory=list, max_length=rules.MAX_CRITERIA)  # type: ignore[valid-type]
    justification: Text = ""  # type: ignore[valid-type]


class ChoiceOut(Schema):
    response_id: int
    provider: Ref
    total_cents: int
    is_lowest: bool
    criteria_used: list[str]
    justification: str
    head_authorisation_required: bool


class ChoiceOptionsIn(_In):
    own_rule: Text | None = None  # type: ignore[valid-type]
    follows_single_provider_advice: bool | None = None


class ServiceHeadAuthorisationIn(_In):
    criteria: list[_text(40)] = Field(default_factory=list, max_length=rules.MAX_CRITERIA)  # type: ignore[valid-type]
    justification: Text  # type: ignore[valid-type]
    head_name: _text(200)  # type: ignore[valid-type]
    authorised_on: ApiDate


class AuthorisationOut(Schema):
    kind: str
    authorised_on: date
    name: str
    amount_cents: int | None = None


class ServiceFinancialIn(_In):
    amount_cents: Cents
    authorised_on: ApiDate
    authorised_by_name: _text(200)  # type: ignore[valid-type]
    reference: _text(100) = ""  # type: ignore[valid-type]


class HandoffOut(Schema):
    file_id: int
    provider: Ref
    total_cents: int
    handed_off_at: datetime
    request_document_id: int | None = Field(
        description="La demande de prix finale (PDF), au magasin"
    )
    content: dict[str, Any]
