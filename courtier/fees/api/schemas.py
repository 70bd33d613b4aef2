"""The schemas of the fees API (DOMAIN §6): what it answers and what it reads (each input a
``_In``: unknown fields refused, no NUL character). Money in whole cents, rates in hundredths
of a percent (basis points), dates ISO (America/Toronto). Every class name starts with Fee:
ninja names a component after its class, and names are unique across the project's API."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from courtier.acquisitions.api.common import Id, _In, _text
from courtier.catalogue.api.schemas import Ref
from courtier.core.apifields import ApiDate, StrictInt
from courtier.core.validation import DATE_MAX, DATE_MIN, MAX_CENTS
from courtier.fees import rules
from courtier.fees.models import Basis, FeeType, GridState, InvoiceState, Kind

MAX_NOTES_LENGTH = 2000
MAX_REASON_LENGTH = 2000
MAX_REFERENCE_LENGTH = 100
# The fiscal years a request may name (a fiscal year is named by its first calendar year).
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year - 1

Positive = Annotated[
    StrictInt, Field(ge=1, le=MAX_CENTS, description="Montant en cents, plus grand que 0")
]
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_CENTS, description="Montant en cents")]
Rate = Annotated[
    StrictInt,
    Field(ge=0, le=rules.MAX_RATE_BP, description="Taux en centièmes de pour cent (150 = 1,5 %)"),
]
FiscalYearNumber = Annotated[
    StrictInt,
    Field(
        ge=YEAR_MIN,
        le=YEAR_MAX,
        description="Exercice financier, nommé par l'année de son 1er avril (2026 = 2026-2027)",
    ),
]
QuarterNumber = Annotated[
    StrictInt,
    Field(ge=1, le=4, description="Trimestre : 1 (avril-juin), 2, 3 ou 4 (janvier-mars)"),
]


# --- grids ------------------------------------------------------------------------------------


class FeeGridLineOut(Schema):
    fee_type: FeeType
    from_cents: int = Field(description="Début de la tranche, en cents (inclus)")
    to_cents: int | None = Field(description="Fin de la tranche, en cents (exclue) ; null : aucune")
    flat_cents: int = Field(description="Montant fixe, en cents")
    rate_bp: int = Field(description="Taux en centièmes de pour cent")


class FeeGridOut(Schema):
    id: int
    version: int
    effective_on: date = Field(description="Jour d'entrée en vigueur")
    state: GridState
    notes: str
    published_at: datetime | None
    created_at: datetime
    lines: list[FeeGridLineOut]


class FeeGridLineIn(_In):
    fee_type: FeeType
    from_cents: Amount = 0
    to_cents: Amount | None = Field(None, description="Fin exclue, en cents ; null : sans fin")
    flat_cents: Amount = 0
    rate_bp: Rate = 0


class FeeGridIn(_In):
    effective_on: ApiDate = Field(description="Aujourd'hui ou plus tard")
    notes: _text(MAX_NOTES_LENGTH) = ""  # type: ignore[valid-type]
    lines: list[FeeGridLineIn] = Field(
        max_length=rules.MAX_LINES_PER_GRID,
        description=(
            "Les tranches de chaque type de frais : de 0 $ sans trou ni chevauchement, la "
            "dernière sans fin"
        ),
    )


# --- quarterly reports (004 §4.3) ---------------------------------------------------------------


class FeeContractRef(Schema):
    id: int
    reference: str


class FeeReportLineOut(Schema):
    id: int
    contract: FeeContractRef
    client: Ref
    invoice: str = Field(description="Numéro de la facture du fournisseur")
    paid_on: date
    amount_cents: int = Field(description="Montant payé avant taxes, en cents")


class FeeReportOut(Schema):
    id: int
    supplier: Ref
    fiscal_year: int
    quarter: int
    quarter_label: str = Field(description="Par exemple « T3 2026-2027 »")
    version: int = Field(description="Une correction est une nouvelle version")
    total_cents: int
    filed_by: Ref
    filed_at: datetime
    document_id: int | None = Field(description="Le fichier CSV déposé, s'il y a lieu")


class FeeReportDetailOut(FeeReportOut):
    lines: list[FeeReportLineOut]


class FeeReportLineIn(_In):
    contract: _text(60) = Field(description="Numéro du contrat")  # type: ignore[valid-type]
    client: _text(300) = Field(description="Nom de l'organisme client")  # type: ignore[valid-type]
    invoice: _text(60) = Field(description="Numéro de la facture payée")  # type: ignore[valid-type]
    paid_on: ApiDate = Field(description="Jour du paiement, dans le trimestre")
    amount_cents: Annotated[StrictInt, Field(ge=-MAX_CENTS, le=MAX_CENTS)] = Field(
        description="Montant payé avant taxes, en cents (plus grand que 0)"
    )


class FeeReportIn(_In):
    supplier_id: Id | None = Field(
        None, description="Fournisseur ou prestataire ; facultatif pour qui n'en représente qu'un"
    )
    fiscal_year: FiscalYearNumber
    quarter: QuarterNumber
    lines: list[FeeReportLineIn] = Field(
        max_length=rules.MAX_REPORT_LINES,
        description="Les factures payées du trimestre (aucune : un rapport « néant »)",
    )


class FeeReportFileIn(_In):
    """The fields of the multipart form that carries a CSV report (form values are text)."""

    supplier_id: int | None = Field(None, ge=1, le=2**63 - 1)
    fiscal_year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    quarter: int = Field(ge=1, le=4)


class FeeQuarterOut(Schema):
    fiscal_year: int
    quarter: int
    label: str
    start: date
    end: date
    due_on: date = Field(description="Date limite de dépôt des rapports")
    closed: bool
    quarterly_model: bool = Field(
        description="La grille en vigueur le dernier jour demande un pourcentage des acquisitions"
    )
    filed: list[FeeReportOut] = Field(description="Dernière version de chaque rapport déposé")
    missing: list[Ref] = Field(description="Fournisseurs qui doivent encore leur rapport")
    late: list[int] = Field(description="Rapports (id) déposés après la date limite")


# --- invoices ---------------------------------------------------------------------------------


class FeeDocumentRef(Schema):
    id: int
    number: str


class FeeGridRef(Schema):
    id: int
    version: int


class FeeInvoiceOut(Schema):
    id: int
    number: str
    kind: Kind
    basis: Basis
    client: Ref
    contract: FeeContractRef | None
    amendment_id: int | None
    quarter_year: int | None = Field(description="Exercice du trimestre facturé")
    quarter: int | None
    grid: FeeGridRef | None = Field(description="Grille en vigueur à la date déclencheuse")
    credits: FeeDocumentRef | None = Field(description="Facture créditée (note de crédit)")
    reason: str
    issued_on: date
    due_on: date | None = Field(description="Payable au plus tard (30 jours)")
    subtotal_cents: int
    gst_cents: int = Field(description="TPS, en cents")
    qst_cents: int = Field(description="TVQ, en cents")
    total_cents: int
    state: InvoiceState
    paid_on: date | None


class FeeInvoiceLineOut(Schema):
    order: int
    description: str
    base_cents: int | None = Field(description="Assiette d'un taux, en cents")
    amount_cents: int


class FeePaymentOut(Schema):
    id: int
    paid_on: date
    amount_cents: int
    reference: str
    recorded_at: datetime


class FeeInvoiceDetailOut(FeeInvoiceOut):
    lines: list[FeeInvoiceLineOut]
    paid_cents: int
    credited_cents: int
    balance_cents: int = Field(description="Solde dû, en cents")
    payments: list[FeePaymentOut]
    credit_notes: list[FeeDocumentRef]
    pdf_url: str | None = Field(description="Le PDF, une fois produit")


class FeePaymentIn(_In):
    amount_cents: Positive
    paid_on: ApiDate = Field(description="Entre l'émission et aujourd'hui")
    reference: _text(MAX_REFERENCE_LENGTH) = ""  # type: ignore[valid-type]


class FeeCreditNoteIn(_In):
    subtotal_cents: Positive = Field(description="Montant crédité avant taxes, en cents")
    reason: _text(MAX_REASON_LENGTH, required=True)  # type: ignore[valid-type]


class FeeStatementLineOut(Schema):
    day: date
    document: FeeDocumentRef | None = Field(description="Facture ou note de crédit")
    payment_id: int | None
    label: str
    debit_cents: int
    credit_cents: int
    balance_cents: int


class FeeStatementOut(Schema):
    client: Ref
    lines: list[FeeStatementLineOut]
    balance_cents: int = Field(description="Solde dû au jour")
