"""The registry of document types: the table of DOMAIN §7 (002 §4.10) held as data, with the
types the Catalogue and the broker keep under their own rules. Each app that keeps a document
names its type here; a later app (contracts, amendments, invoices...) only adds rows.

A type gives: its French label, its retention rule, what is owed to the broker and when, its
use, and whether its documents are confidential or hold personal information by default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from courtier.documents.rules import Owed, OwedRule, Retention, RetentionRule

CONTRACT_DURATION = RetentionRule(Retention.CONTRACT_DURATION)
SEVEN_YEARS_AFTER_END = RetentionRule(Retention.AFTER_CONTRACT_END, years=7)
PERMANENT = RetentionRule(Retention.PERMANENT)
ON_REQUEST = OwedRule(Owed.ON_REQUEST)
WITHIN_5_BUSINESS_DAYS = OwedRule(Owed.WITHIN_BUSINESS_DAYS, business_days=5)
AT_ONCE = OwedRule(Owed.AT_ONCE)
NOT_OWED = OwedRule(Owed.NEVER)


@dataclass(frozen=True)
class DocumentType:
    code: str
    label: Any  # lazy French label
    retention: RetentionRule
    owed: OwedRule
    use: Any = ""  # « Utilisations possibles » (002 §4.10)
    event: Any = ""  # what an owed document's due date counts from (« la signature »...)
    confidential: bool = True  # visible to the owner's people who run its files, and the broker
    personal_information: bool = False  # default of the document's flag
    group: Any = ""  # the row of DOMAIN §7 it belongs to (choice support...)


_TYPES: dict[str, DocumentType] = {}


def register(*types: DocumentType) -> None:
    for kind in types:
        if kind.code in _TYPES and _TYPES[kind.code] != kind:
            raise LookupError(f"document type {kind.code} exists already")
        _TYPES[kind.code] = kind


def get(code: str) -> DocumentType:
    try:
        return _TYPES[code]
    except KeyError:
        raise LookupError(f"unknown document type {code!r}") from None


def label_of(code: str) -> str:
    """A type's French label; the code itself for a type no longer registered."""
    try:
        return str(get(code).label)
    except LookupError:
        return code


def all_types() -> list[DocumentType]:
    return sorted(_TYPES.values(), key=lambda kind: str(kind.label))


def choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in all_types()]


CHOICE_SUPPORT = _("Documents appuyant le choix")
IMPROVEMENT = _("Amélioration continue, demandes d'information")
CONSUMPTION = _("Amélioration continue, suivi de la consommation")
PERFORMANCE = _("Gestion de la performance, amélioration continue")
SIGNATURE = _("la signature par les parties")


def _choice_support(code: str, label: Any, **extra: Any) -> DocumentType:
    """DOMAIN §7, first row: kept for the whole contract duration, sent on request."""
    return DocumentType(
        code, label, CONTRACT_DURATION, ON_REQUEST, use=IMPROVEMENT, group=CHOICE_SUPPORT, **extra
    )


def _seven_years(code: str, label: Any, owed: OwedRule, use: Any, **extra: Any) -> DocumentType:
    """DOMAIN §7, every other row: kept 7 years after the contract ends."""
    return DocumentType(code, label, SEVEN_YEARS_AFTER_END, owed, use=use, **extra)


# DOMAIN §7 (002 §4.10): the choice support, one type per document an acquisition file keeps.
register(
    _choice_support("needs", _("Définition des besoins")),
    _choice_support("compliance", _("Liste des solutions conformes")),
    _choice_support("questions", _("Questions et réponses des fournisseurs")),
    _choice_support("trial_report", _("Rapport de banc d'essai")),
    _choice_support("comparison_xlsx", _("Comparaison des scénarios (XLSX)")),
    _choice_support("comparison_pdf", _("Comparaison des scénarios (PDF)")),
    _choice_support(
        "efvp",
        _("Évaluation des facteurs relatifs à la vie privée (EFVP)"),
        personal_information=True,
    ),
    _choice_support("agenda", _("Ordre du jour de la rencontre de démarrage")),
    _choice_support("strategy", _("Stratégie d'acquisition figée")),
    _choice_support("choice_other", _("Autre document appuyant le choix")),
    # Service acquisitions (DOMAIN §4): the request sent, and the responses received. A response's
    # documents are seen by whoever sees the response (sealed until the opening, 002 §3.3.3).
    _choice_support("price_request", _("Demande de prix")),
    _choice_support("provider_response", _("Réponse d'un prestataire"), confidential=False),
    _seven_years(
        "justification", _("Justification au dirigeant d'organisme"), ON_REQUEST, IMPROVEMENT
    ),
    _seven_years(
        "signed_contract",
        _("Contrat spécifique signé"),
        WITHIN_5_BUSINESS_DAYS,
        CONSUMPTION,
        event=SIGNATURE,
    ),
    _seven_years("supplier_order", _("Commande au fournisseur"), ON_REQUEST, CONSUMPTION),
    _seven_years(
        "signed_amendment",
        _("Avenant signé"),
        WITHIN_5_BUSINESS_DAYS,
        CONSUMPTION,
        event=SIGNATURE,
    ),
    _seven_years(
        "performance_report",
        _("Rapport d'évaluation du rendement"),
        WITHIN_5_BUSINESS_DAYS,
        PERFORMANCE,
        event=_("la signature par le dirigeant d'organisme"),
    ),
    _seven_years(
        "termination",
        _("Lettre de résiliation et documents liés"),
        AT_ONCE,
        PERFORMANCE,
        event=_("la prise d'effet de la résiliation"),
    ),
    _seven_years("supplier_invoice", _("Facture du fournisseur"), ON_REQUEST, CONSUMPTION),
    _seven_years(
        "supplier_communication", _("Communication avec le fournisseur"), ON_REQUEST, PERFORMANCE
    ),
    _seven_years(
        "dispute",
        _("Document d'un différend sur l'interprétation du contrat"),
        ON_REQUEST,
        PERFORMANCE,
    ),
)

# The Catalogue's and the broker's own documents: their own rules (not in the table of 002
# §4.10, which covers a client's contract). Supporting documents are public to the Catalogue's
# readers. A supplier's deposited files are its own and the broker's records here, confidential
# (a proposal's files are not public before it is published); a published sheet's files reach
# the Catalogue's readers through the sheet (catalogue:file_download), not through the store.
register(
    DocumentType(
        "catalogue_supporting",
        _("Document de soutien du Catalogue"),
        PERMANENT,
        NOT_OWED,
        use=_("Processus d'acquisition (002 §2.3.1)"),
        confidential=False,
    ),
    DocumentType(
        "sheet_document",
        _("Document d'une fiche de fournisseur"),
        RetentionRule(Retention.AFTER_CREATION, years=7),
        NOT_OWED,
        use=_("Qualification des solutions"),
        confidential=True,
    ),
    DocumentType(
        "price_file",
        _("Fichier de prix"),
        RetentionRule(Retention.AFTER_CREATION, years=7),
        NOT_OWED,
        use=_("Prix publiés au Catalogue"),
        confidential=True,
    ),
    DocumentType(
        "disposal_attestation",
        _("Attestation de disposition"),
        PERMANENT,
        NOT_OWED,
        use=_("Preuve de la disposition des documents (000, annexe 5)"),
    ),
)
