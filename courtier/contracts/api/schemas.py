"""The schemas of the contracts API: what it answers and what it reads (each input a ``_In``:
unknown fields refused, no NUL character). Money in integer cents, dates ISO (America/Toronto).
Every class name starts with Contract, Amendment or Consumption: ninja names a component after
its class, and names are unique across the project's API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from courtier.acquisitions.api.common import Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.contracts import rules
from courtier.contracts.models import (
    AmendmentState,
    ContractKind,
    ContractState,
    EntryKind,
    Party,
    SignatureMethod,
)
from courtier.core.apifields import ApiDate, StrictInt
from courtier.core.validation import MAX_CENTS

Text = _text(rules.MAX_TEXT_LENGTH)
Required = _text(rules.MAX_TEXT_LENGTH, required=True)
PositiveCents = Annotated[
    StrictInt, Field(ge=1, le=MAX_CENTS, description="Montant en cents, positif")
]
# Bounds of what a request may say (the rules then refuse what they must, with their messages).
MAX_MONTHS = 1200
FeeCents = Annotated[StrictInt, Field(ge=0, le=MAX_CENTS, description="Montant en cents, ≥ 0")]


# --- answers ------------------------------------------------------------------------------------


class ContractVersionOut(Schema):
    id: int = Field(description="Identifiant de la version (à donner pour signer)")
    number: int
    name: str
    sha256: str
    created_at: datetime


class ContractDocumentOut(Schema):
    id: int = Field(description="Le document au magasin (/api/v1/documents/{id}/content)")
    versions: list[ContractVersionOut] = Field(
        description="Les versions générées, la version validée (cachet), chaque copie signée"
    )
    current_version_id: int | None
    stamped_version_id: int | None = Field(description="La version validée par le Courtier")
    stamp_code: str | None = Field(description="Code de vérification du cachet")


class ContractSignatoryOut(Schema):
    id: int
    party: Party
    order: int
    user_id: int | None
    name: str
    title: str
    signed: bool


class ContractSignatureOut(Schema):
    id: int
    signatory_id: int
    name: str
    party: Party
    method: SignatureMethod
    signed_on: date
    signed_at: datetime
    stamped_version_id: int = Field(description="La version validée à laquelle elle se rattache")
    version_id: int | None = Field(description="La copie signée ; vide tant qu'elle est attendue")
    copy_awaited: bool = Field(description="Copie papier encore à transmettre (5 jours ouvrables)")


class ContractTermsOut(Schema):
    months: int = Field(description="Durée totale, avenants signés compris (36 mois au plus)")
    authorised_cents: int = Field(description="Montant autorisé, avenants signés compris")
    ends_on: date
    amendments: list[int] = Field(description="Numéros des avenants signés, dans l'ordre")


class ConsumptionSummaryOut(Schema):
    authorised_cents: int
    ordered_cents: int
    consumed_cents: int = Field(description="Factures du fournisseur")
    ordered_percent: Decimal
    consumed_percent: Decimal
    forecast_month: date | None = Field(
        description="Premier jour du mois où le montant autorisé serait épuisé, au rythme actuel"
    )
    monthly_cents: int = Field(description="Rythme : consommé par mois depuis le début")
    told_80_at: datetime | None
    told_100_at: datetime | None


class ContractTerminationOut(Schema):
    effective_on: date
    reason: str
    letter_document_id: int
    recorded_at: datetime


class AmendmentOut(Schema):
    id: int
    contract_id: int
    reference: str
    number: int
    state: AmendmentState
    state_label: str
    reason: str
    changes: list[dict[str, Any]]
    review_comment: str
    fee_cents: int = Field(description="Frais de gestion facturés au client (002 §4.5)")
    generated_at: datetime | None
    signed_on: date | None
    requested_at: datetime
    lead_time_on: date | None = Field(description="Préparé et signé d'ici là (30 jours, 002 §4.5)")
    document: ContractDocumentOut | None
    signatures: list[ContractSignatureOut]
    next_signatory_ids: list[int] = Field(description="Qui peut signer maintenant")
    problems: dict[str, list[str]] = Field(description="Ce qui bloque le prochain pas")


class ContractOut(Schema):
    id: int
    reference: str
    kind: ContractKind
    state: ContractState
    state_label: str
    title: str
    client: Ref
    supplier: Ref
    start_on: date
    ends_on: date
    authorised_cents: int
    updated_at: datetime

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        # A page of the list reads the rows themselves; a contract's answer is built (answers).
        return obj["state_label"] if isinstance(obj, dict) else obj.get_state_display()


class ContractDetailOut(ContractOut):
    kind_label: str
    strategy_id: int | None
    handoff_id: int | None
    duration_months: int
    price_terms: str
    basis: dict[str, Any] = Field(
        description="Copie figée de ce sur quoi repose le contrat : offres, composantes et "
        "quantités (solutions) ou qualifications et réponse retenue (services)"
    )
    template_version: str
    subject_to_rcti: bool
    eligibility_confirmed_on: date | None
    eligibility_note: str
    is_renewal: bool
    startup_meeting_needed: bool | None
    startup_contact_on: date
    planning_deadline: date | None = Field(
        description="Signé au plus tard 30 jours après le premier contact (DOMAIN §3.5)"
    )
    review_comment: str
    generated_at: datetime | None
    concluded_on: date | None
    ended_on: date | None
    document: ContractDocumentOut | None
    signatories: list[ContractSignatoryOut]
    signatures: list[ContractSignatureOut]
    next_signatory_ids: list[int] = Field(description="Qui peut signer maintenant")
    problems: dict[str, list[str]] = Field(description="Ce qui bloque le prochain pas")
    terms: ContractTermsOut
    consumption: ConsumptionSummaryOut
    amendments: list[AmendmentOut]
    termination: ContractTerminationOut | None


class ContractSourceOut(Schema):
    kind: ContractKind
    strategy_id: int | None
    handoff_id: int | None
    file_reference: str
    title: str
    client: Ref
    supplier: Ref
    total_cents: int
    duration_months: int | None
    frozen_at: datetime = Field(description="Figée (stratégie) ou remise au Courtier (dossier)")


class ConsumptionEntryOut(Schema):
    id: int
    kind: EntryKind
    number: str
    dated_on: date
    amount_cents: int
    description: str
    document_id: int | None
    recorded_at: datetime


class ConsumptionPointOut(Schema):
    month: date
    ordered_cents: int
    consumed_cents: int


class ConsumptionOut(Schema):
    summary: ConsumptionSummaryOut
    series: list[ConsumptionPointOut] = Field(description="Cumuls à la fin de chaque mois")
    entries: list[ConsumptionEntryOut]


# --- requests -----------------------------------------------------------------------------------


class ContractCreateIn(_In):
    strategy_id: Id | None = Field(None, description="Stratégie d'acquisition figée (solutions)")
    handoff_id: Id | None = Field(None, description="Dossier de services remis au Courtier")
    start_on: ApiDate | None = Field(None, description="Par défaut : le début prévu au dossier")


class ContractUpdateIn(_In):
    title: _text(300) | None = None  # type: ignore[valid-type]
    start_on: ApiDate | None = None
    duration_months: StrictInt | None = Field(None, ge=1, le=rules.MAX_DURATION_MONTHS)
    authorised_cents: PositiveCents | None = None
    price_terms: Text | None = None  # type: ignore[valid-type]
    is_renewal: bool | None = None
    startup_meeting_needed: bool | None = None


class ContractEligibilityIn(_In):
    confirmed_on: ApiDate = Field(description="Le client a confirmé l'admissibilité ce jour-là")
    note: Text = ""  # type: ignore[valid-type]


class ContractSignatoryIn(_In):
    party: Party
    order: StrictInt = Field(1, ge=1, le=rules.MAX_SIGNATORIES)
    user_id: Id | None = Field(None, description="La personne qui signe dans la plateforme")
    name: _text(200) = ""  # type: ignore[valid-type]
    title: _text(200) = ""  # type: ignore[valid-type]


class ContractSignatoriesIn(_In):
    signatories: list[ContractSignatoryIn] = Field(max_length=rules.MAX_SIGNATORIES)


class ContractCommentIn(_In):
    comment: Required = Field(description="Ce qui doit être corrigé")  # type: ignore[valid-type]


class ContractSignIn(_In):
    password: str = Field(
        min_length=1, max_length=4096, description="Le mot de passe, saisi de nouveau"
    )
    version_id: Id = Field(description="La version lue, celle validée par le Courtier")


class ContractPaperSignatureIn(_In):
    signatory_id: int = Field(ge=1, le=2**63 - 1)
    signed_on: ApiDate


class AmendmentChangeIn(_In):
    kind: rules.ChangeKind
    months: StrictInt | None = Field(
        None, ge=-MAX_MONTHS, le=MAX_MONTHS, description="duration : mois ajoutés"
    )
    cents: StrictInt | None = Field(
        None, ge=-MAX_CENTS, le=MAX_CENTS, description="amount : cents ajoutés au montant"
    )
    offer: Id | None = Field(None, description="component : l'offre du contrat")
    component: _text(60) | None = None  # type: ignore[valid-type]
    qualification: _text(60) | None = None  # type: ignore[valid-type]


Changes = Annotated[list[AmendmentChangeIn], Field(max_length=20)]


class AmendmentRequestIn(_In):
    reason: Required  # type: ignore[valid-type]
    changes: Changes


class AmendmentPrepareIn(_In):
    changes: Changes | None = Field(None, description="Les modifications corrigées, s'il y a lieu")
    fee_cents: FeeCents


class AmendmentUpdateIn(_In):
    reason: Required  # type: ignore[valid-type]
    changes: Changes
    fee_cents: FeeCents


class ConsumptionEntryIn(_In):
    kind: EntryKind
    number: _text(60, required=True)  # type: ignore[valid-type]
    dated_on: ApiDate
    amount_cents: int = Field(ge=1, le=MAX_CENTS, description="Montant en cents, avant taxes")
    description: _text(300) = ""  # type: ignore[valid-type]


class ContractTerminationIn(_In):
    effective_on: ApiDate
    reason: Required  # type: ignore[valid-type]
