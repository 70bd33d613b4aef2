"""The schemas of the evaluations API (each input a ``_In``: unknown fields refused, no NUL
character). Every class name starts with Evaluation or Campaign (names are unique across the
project's API)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from courtier.acquisitions.api.common import _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.core.apifields import ApiDate, StrictInt
from courtier.evaluations import rules

Text = _text(rules.MAX_COMMENT_LENGTH)
Label = _text(200, required=True)
Score = Annotated[StrictInt, Field(ge=0, le=100)]


class EvaluationCriterionOut(Schema):
    key: str
    label: str
    weight: Decimal = Field(description="Pondération en pourcentage (les critères totalisent 100)")
    order: int


class EvaluationGridOut(Schema):
    id: int
    number: int
    scale_min: int
    scale_max: int
    note: str
    published_at: datetime
    criteria: list[EvaluationCriterionOut]


class EvaluationCriterionIn(_In):
    label: Label  # type: ignore[valid-type]
    weight: Decimal = Field(gt=0, le=100)
    key: str = Field("", max_length=40, pattern=r"^[a-z0-9-]*$")


class EvaluationGridIn(_In):
    scale_min: Annotated[StrictInt, Field(ge=0, le=99)] = 1
    scale_max: Annotated[StrictInt, Field(ge=1, le=100)] = 5
    note: Text = ""  # type: ignore[valid-type]
    criteria: list[EvaluationCriterionIn] = Field(max_length=rules.MAX_CRITERIA)


class CampaignOut(Schema):
    id: int
    year: int
    supplier: Ref
    grid: int = Field(description="Numéro de la version de la grille")
    due_on: date
    state: str
    opened_at: datetime
    closed_at: datetime | None


class CampaignIn(_In):
    supplier_id: Annotated[StrictInt, Field(ge=1)]
    year: Annotated[StrictInt, Field(ge=2000, le=2100)]
    due_on: ApiDate


class CampaignCriterionMeanOut(Schema):
    key: str
    label: str
    weight: Decimal
    mean: Decimal | None


class CampaignCommentOut(Schema):
    client: str
    criterion: str
    text: str


class CampaignSummaryOut(Schema):
    campaign: CampaignOut
    count: int = Field(description="Évaluations transmises")
    asked: int = Field(description="Organismes consultés")
    mean_score: Decimal | None = Field(description="Moyenne des notes pondérées")
    criteria: list[CampaignCriterionMeanOut]
    comments: list[CampaignCommentOut]


class EvaluationScoreOut(Schema):
    key: str
    label: str
    weight: Decimal
    score: int | None
    comment: str


class EvaluationRequestOut(Schema):
    id: int
    campaign_id: int
    year: int
    supplier: Ref
    client: Ref
    contracts: list[str] = Field(description="Numéros des contrats visés")
    due_on: date
    state: str
    scale_min: int
    scale_max: int
    scores: list[EvaluationScoreOut]
    general_comment: str
    weighted_score: Decimal | None
    submitted_on: date | None


class EvaluationScoreIn(_In):
    key: str = Field(max_length=40)
    score: Score | None = None
    comment: Text = ""  # type: ignore[valid-type]


class EvaluationRequestIn(_In):
    scores: list[EvaluationScoreIn] = Field(default_factory=list, max_length=rules.MAX_CRITERIA)
    general_comment: Text = ""  # type: ignore[valid-type]


class EvaluationEndOut(Schema):
    contract_id: int
    reference: str
    client: Ref
    supplier: Ref
    status: str = Field(description="not_owed, awaiting_signature, due, overdue, received…")
    required: bool | None
    report_document_id: int | None
    head_signed_on: date | None
    head_signature: str
    due_on: date | None
    received_on: date | None


class EvaluationEndDeclareIn(_In):
    required: bool


class EvaluationEndSignIn(_In):
    password: str = Field(max_length=200)


class EvaluationEndPaperIn(_In):
    signed_on: ApiDate
