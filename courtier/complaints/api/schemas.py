"""The schemas of the complaints API (each input a ``_In``: unknown fields refused, no NUL
character). Dates ISO (America/Toronto). Every class name starts with Complaint: ninja names a
component after its class, and names are unique across the project's API."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from courtier.acquisitions.api.common import Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.complaints.models import ComplaintCategory, ComplaintState
from courtier.complaints.services.complaints import SUBJECT_LENGTH, TEXT_LENGTH


class ComplaintOut(Schema):
    id: int
    reference: str
    category: ComplaintCategory
    category_label: str
    state: ComplaintState
    state_label: str
    subject: str
    client: Ref
    contract_id: int | None
    offer_id: int | None
    supplier_id: int | None
    concerned_supplier: Ref | None = Field(
        description="Le fournisseur ou prestataire visé (nommé, ou celui du contrat ou de l'offre)"
    )
    assignee_id: int | None
    received_on: date
    closed_on: date | None
    updated_at: datetime

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        # A complaint read from the list, or the dict ``api.complaints.detail`` builds.
        return obj["category_label"] if isinstance(obj, dict) else obj.get_category_display()

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return obj["state_label"] if isinstance(obj, dict) else obj.get_state_display()


class ComplaintAnswerOut(Schema):
    id: int
    text: str
    author_id: int
    created_at: datetime


class ComplaintDetailOut(ComplaintOut):
    description: str
    answers: list[ComplaintAnswerOut]
    dispute_flags: list[str] = Field(
        description=(
            "Pour le Courtier : persists (non réglé dans les 30 jours), repeats (un autre litige "
            "du client avec ce fournisseur en moins d'un an) — DOMAIN §5.10"
        )
    )


class ComplaintCreateIn(_In):
    client_id: Id | None = Field(
        None, description="L'organisme client (par défaut, celui dont on mène les acquisitions)"
    )
    category: ComplaintCategory
    subject: _text(SUBJECT_LENGTH, required=True)  # type: ignore[valid-type]
    description: _text(TEXT_LENGTH, required=True)  # type: ignore[valid-type]
    contract_id: Id | None = None
    offer_id: Id | None = None
    supplier_id: Id | None = None


class ComplaintAssignIn(_In):
    assignee_id: Id


class ComplaintAnswerIn(_In):
    text: _text(TEXT_LENGTH, required=True)  # type: ignore[valid-type]
