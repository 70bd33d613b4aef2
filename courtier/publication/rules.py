"""What a client subject to the RCTI enters in SEAO for a concluded contract (002 §4.1, DOMAIN
§5.1), the checklist its people tick before marking the sheet published, and what the list of
concluded contracts shows (002 §4.7, DOMAIN §5.7): an approximate monetary size, never the
amount, and a contact person only with the client's consent. Pure: no Django."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

SOLUTIONS = "solutions"
SERVICES = "services"

# 002 §4.1.1 and §4.1.2: « Règlement (nature du contrat) ».
NATURE = {SOLUTIONS: "Approvisionnement (biens)", SERVICES: "Services"}

# 002 §4.1.1 and §4.1.2: « Classification ».
CLASSIFICATION = {
    SOLUTIONS: "G8 - Matériel et logiciel informatique",
    SERVICES: "S4 – Traitement de l’information et service de télécommunications connexes",
}

# 002 §4.1.1: the client chooses « le ou les codes les plus appropriés » among these (solutions);
# 002 §4.1.2: 81160000 for services.
UNSPSC = {
    SOLUTIONS: {"43230000": "Logiciel", "81162000": "Logiciel-service"},
    SERVICES: {"81160000": "Prestation de services de technologie de l’information"},
}

# 002 §4.1.1 and §4.1.2: « Disposition de la loi ou du règlement », the seed's words.
LEGAL_DISPOSITION = {
    SOLUTIONS: (
        "Article 48 – Contrat concernant l’acquisition de biens ou de services infonuagiques "
        "conclu dans le cadre de l’entente-cadre du MCN (Décret no 923-2015 du 28 octobre 2015)"
    ),
    SERVICES: (
        "Article 48 – Contrat concernant l’acquisition de biens ou de services infonuagiques "
        "conclu dans le cadre de l’entente-cadre du MCN."
    ),
}

# The checklist of what the client's people enter in SEAO, then the notice itself (002 §4.1).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("nature", "Règlement (nature du contrat) saisi"),
    ("classification", "Classification saisie"),
    ("unspsc", "Catégorie UNSPSC saisie"),
    ("disposition", "Disposition de la loi ou du règlement saisie"),
    ("indicator", "Indicateur d’acquisition responsable saisi (s’il y a lieu)"),
    ("supplier", "Fournisseur ou prestataire adjudicataire saisi"),
    ("amounts", "Montants du contrat saisis"),
    ("dates", "Dates du contrat saisies"),
    ("notice", "Avis du contrat publié dans SEAO"),
)
CHECKLIST_KEYS = tuple(key for key, _label in CHECKLIST)
MAX_NOTICE_LENGTH = 40
MAX_INDICATOR_LENGTH = 200

# Problems, as keys the app's messages turn into French.
UNSPSC_REQUIRED = "unspsc_required"
UNSPSC_NOT_ALLOWED = "unspsc_not_allowed"
CHECKLIST_UNKNOWN = "checklist_unknown"
CHECKLIST_INCOMPLETE = "checklist_incomplete"
DATE_REQUIRED = "date_required"
DATE_BEFORE_CONCLUSION = "date_before_conclusion"
DATE_IN_FUTURE = "date_in_future"


def unspsc_problem(kind: str, codes: Collection[str]) -> str | None:
    """002 §4.1: at least one code, each among those allowed for the contract's kind."""
    if not codes:
        return UNSPSC_REQUIRED
    if any(code not in UNSPSC.get(kind, {}) for code in codes):
        return UNSPSC_NOT_ALLOWED
    return None


def checklist_problem(ticked: Iterable[str]) -> str | None:
    """Only the checklist's own items may be ticked."""
    if any(key not in CHECKLIST_KEYS for key in ticked):
        return CHECKLIST_UNKNOWN
    return None


def checklist_missing(ticked: Collection[str]) -> list[str]:
    """The items still to tick, in the checklist's order."""
    return [key for key in CHECKLIST_KEYS if key not in ticked]


def in_order(ticked: Iterable[str]) -> list[str]:
    chosen = set(ticked)
    return [key for key in CHECKLIST_KEYS if key in chosen]


def publication_date_problem(
    published_on: date | None, concluded_on: date, today: date
) -> str | None:
    """The notice is published once the contract is concluded, and never in the future."""
    if published_on is None:
        return DATE_REQUIRED
    if published_on < concluded_on:
        return DATE_BEFORE_CONCLUSION
    if published_on > today:
        return DATE_IN_FUTURE
    return None


def publication_problems(
    *,
    kind: str,
    codes: Collection[str],
    ticked: Collection[str],
    published_on: date | None,
    concluded_on: date,
    today: date,
) -> dict[str, str]:
    """What stops marking the sheet published, by field: the codes, every item ticked, the date."""
    problems: dict[str, str] = {}
    if (problem := unspsc_problem(kind, codes)) is not None:
        problems["unspsc_codes"] = problem
    if checklist_missing(ticked):
        problems["checklist"] = CHECKLIST_INCOMPLETE
    if (problem := publication_date_problem(published_on, concluded_on, today)) is not None:
        problems["published_on"] = problem
    return problems


# 002 §4.7: « l'envergure monétaire approximative du contrat », in brackets (upper bounds in
# cents, exclusive), never the amount itself.
BRACKETS: tuple[tuple[int | None, str], ...] = (
    (25_000_00, "moins de 25 000 $"),
    (100_000_00, "25 000 $ à 100 000 $"),
    (500_000_00, "100 000 $ à 500 000 $"),
    (1_000_000_00, "500 000 $ à 1 M$"),
    (None, "plus de 1 M$"),
)


def amount_bracket(cents: int) -> str:
    for upper, label in BRACKETS:
        if upper is None or cents < upper:
            return label
    raise AssertionError("unreachable")  # pragma: no cover


def contact_shown(given: bool, revoked: bool) -> bool:
    """002 §4.7: a contact person only with the client's consent, hidden once it is revoked."""
    return given and not revoked
