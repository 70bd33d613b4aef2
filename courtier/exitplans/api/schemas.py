"""The schemas of the exit plans API (002 §4.9): what it answers and what it reads (each input a
``_In``: unknown fields refused, no NUL character). Dates ISO (America/Toronto). Every class
name starts with ExitPlan: ninja names a component after its class, and names are unique
across the project's API."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from courtier.acquisitions.api.common import Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.core.apifields import ApiDate, StrictInt
from courtier.exitplans import rules
from courtier.exitplans.models import PlanState

Name = _text(rules.MAX_NAME_LENGTH, required=True)
Comment = _text(rules.MAX_TEXT_LENGTH, required=True)
Months = Annotated[
    StrictInt,
    Field(ge=1, le=rules.MAX_EXIT_WARNING_MONTHS, description="Mois avant la fin, de 1 à 36"),
]


class ExitPlanActivityOut(Schema):
    id: int
    order: int
    name: str
    start_on: date
    end_on: date = Field(description="Dernier jour (inclus)")
    done_on: date | None


class ExitPlanContractOut(Schema):
    id: int
    reference: str
    title: str
    client: Ref
    supplier: Ref
    start_on: date
    ends_on: date = Field(description="Fin du contrat selon ses modalités actuelles (avenants)")


class ExitPlanFileOut(Schema):
    id: int
    reference: str
    title: str


class ExitPlanOut(Schema):
    id: int
    state: PlanState
    contract: ExitPlanContractOut
    warning_months: int
    warning_on: date = Field(description="Jour de l'avis de sortie (002 §4.9)")
    warned_on: date | None = Field(description="Jour où l'avis a été envoyé")
    follow_up_file: ExitPlanFileOut | None = Field(description="Dossier d'acquisition suivant")
    same_supplier: bool
    none_needed: bool
    new_contract: ExitPlanContractOut | None = Field(description="Contrat du nouveau fournisseur")
    overlap_days: int = Field(description="Jours où les deux contrats courent ensemble")
    needed_days: int = Field(description="Jours que demandent les activités")
    activities: list[ExitPlanActivityOut]
    problems: dict[str, list[str]] = Field(
        description="Ce qui empêche de soumettre le plan (vide quand il peut l'être)"
    )
    review_comment: str
    submitted_at: datetime | None
    acknowledged_at: datetime | None
    completed_at: datetime | None
    created_at: datetime


class ExitPlanActivityIn(_In):
    name: Name
    start_on: ApiDate
    end_on: ApiDate


class ExitPlanContentIn(_In):
    warning_months: Months | None = None
    follow_up_file_id: Id | None = None
    same_supplier: bool | None = None
    none_needed: bool | None = None
    new_contract_id: Id | None = None
    activities: list[ExitPlanActivityIn] | None = Field(
        None, max_length=rules.MAX_ACTIVITIES, description="Remplacent les activités du plan"
    )


class ExitPlanCreateIn(ExitPlanContentIn):
    contract_id: Id


class ExitPlanCommentIn(_In):
    comment: Comment


class ExitPlanDoneIn(_In):
    done_on: ApiDate | None = None
