"""The schemas of the SEAO sheet and concluded-contracts API (each input a ``_In``: unknown
fields refused, no NUL character). Dates ISO (America/Toronto), amounts in cents. Every class
name starts with Seao or Concluded: ninja names a component after its class, and names are
unique across the project's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from courtier.acquisitions.api.common import Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.publication import rules

UnspscCode = Annotated[str, Field(min_length=1, max_length=20)]
ChecklistKey = Annotated[str, Field(min_length=1, max_length=40)]


class SeaoCodeOut(Schema):
    code: str
    label: str


class SeaoChecklistItemOut(Schema):
    key: str
    label: str
    ticked: bool


class SeaoSheetOut(Schema):
    """What the client enters in SEAO for the contract (002 §4.1)."""

    contract_id: int
    reference: str
    title: str
    client: Ref
    supplier: Ref
    kind: str
    nature: str = Field(description="Règlement (nature du contrat)")
    classification: str
    legal_disposition: str = Field(description="Disposition de la loi ou du règlement")
    allowed_unspsc: list[SeaoCodeOut] = Field(description="Les catégories UNSPSC permises")
    unspsc_codes: list[SeaoCodeOut] = Field(description="Les catégories choisies par le client")
    responsible_indicator: str
    authorised_cents: int = Field(description="Montant total autorisé à la conclusion")
    current_cents: int = Field(description="Montant actuel, avenants signés compris")
    concluded_on: date | None
    start_on: date
    ends_on: date
    checklist: list[SeaoChecklistItemOut]
    missing: list[str] = Field(description="Les éléments de la liste encore à cocher")
    published: bool
    published_on: date | None
    notice_number: str
    updated_at: datetime | None


class SeaoPendingOut(Schema):
    contract_id: int
    reference: str
    title: str
    client: Ref
    supplier: Ref
    concluded_on: date | None


class SeaoSheetIn(_In):
    unspsc_codes: list[UnspscCode] = Field(
        max_length=10, description="Parmi allowed_unspsc (au moins une)"
    )
    responsible_indicator: _text(rules.MAX_INDICATOR_LENGTH) = ""  # type: ignore[valid-type]


class SeaoChecklistIn(_In):
    checklist: list[ChecklistKey] = Field(
        max_length=len(rules.CHECKLIST), description="Les clés cochées (la liste entière)"
    )


class SeaoPublishIn(_In):
    published_on: date
    notice_number: _text(rules.MAX_NOTICE_LENGTH) = ""  # type: ignore[valid-type]


class ConcludedRowOut(Schema):
    """One line of the list of concluded contracts (002 §4.7): never the amount."""

    contract_id: int
    reference: str
    client: Ref
    supplier: Ref
    kind: str
    kind_label: str
    items: list[str] = Field(description="Les solutions ou les qualifications visées")
    amount_bracket: str = Field(description="L'envergure monétaire approximative")
    start_on: date
    duration_months: int
    contact_name: str = Field(description="Seulement avec le consentement du client en vigueur")
    contact_email: str


class ConcludedPageOut(Schema):
    items: list[ConcludedRowOut]
    count: int
    limit: int
    offset: int


class ConcludedConsentOut(Schema):
    id: int
    contact: Ref
    contact_email: str
    given_by: Ref
    given_at: datetime
    revoked_by: Ref | None
    revoked_at: datetime | None
    in_force: bool


class ConcludedConsentsOut(Schema):
    contract_id: int
    in_force: ConcludedConsentOut | None
    history: list[ConcludedConsentOut]


class ConcludedConsentIn(_In):
    contact_id: Id = Field(description="Une personne de l'organisme client")
