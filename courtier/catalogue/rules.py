"""The Catalogue's rules, pure Python (no Django): sheet content, its validation, the change
history between two versions, version names, and the first-business-day rule for prices.

Sources: DOMAIN §2; 004 §3.2 (dated versions, change history, prices on the first business day
of a month); 002 §2.2 (configurator or price file), §2.3.1 (contractual documents).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from courtier.calendar import rules as calendar


class ImmutableError(RuntimeError):
    """Raised when code tries to change a frozen record (sheet version, published prices)."""


class DraftState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    ABANDONED = "abandoned"


OPEN_DRAFT_STATES = frozenset({DraftState.DRAFT, DraftState.SUBMITTED, DraftState.RETURNED})
EDITABLE_DRAFT_STATES = frozenset({DraftState.DRAFT, DraftState.RETURNED})


class DraftAction(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    ABANDON = "abandon"


class Actor(StrEnum):
    SUPPLIER = "supplier"  # the supplier's people, or the broker on the supplier's behalf
    BROKER = "broker"  # the broker's reviewers


@dataclass(frozen=True)
class DraftTransition:
    source: DraftState
    action: DraftAction
    target: DraftState
    actor: Actor


# Workflow held as data (DOMAIN §2: the supplier proposes, the broker reviews and publishes or
# sends back); its guards, writes and effects are bound in workflow.py.
DRAFT_TRANSITIONS: tuple[DraftTransition, ...] = (
    DraftTransition(DraftState.DRAFT, DraftAction.SUBMIT, DraftState.SUBMITTED, Actor.SUPPLIER),
    DraftTransition(DraftState.RETURNED, DraftAction.SUBMIT, DraftState.SUBMITTED, Actor.SUPPLIER),
    DraftTransition(DraftState.SUBMITTED, DraftAction.RETURN, DraftState.RETURNED, Actor.BROKER),
    DraftTransition(DraftState.SUBMITTED, DraftAction.PUBLISH, DraftState.PUBLISHED, Actor.BROKER),
    # The broker may also publish a draft it prepared itself without submitting it first.
    DraftTransition(DraftState.DRAFT, DraftAction.PUBLISH, DraftState.PUBLISHED, Actor.BROKER),
    *(  # from every open state
        DraftTransition(state, DraftAction.ABANDON, DraftState.ABANDONED, Actor.SUPPLIER)
        for state in (DraftState.DRAFT, DraftState.SUBMITTED, DraftState.RETURNED)
    ),
)
_DRAFT_TARGETS: dict[tuple[str, str], DraftState] = {
    (t.source, t.action): t.target for t in DRAFT_TRANSITIONS
}


def next_draft_state(state: str, action: DraftAction) -> DraftState | None:
    """The state ``action`` leads to from ``state``, or None if it is not allowed there."""
    return _DRAFT_TARGETS.get((str(state), str(action)))


class OfferState(StrEnum):
    QUALIFIED = "qualified"
    UNDER_ANALYSIS = "under_analysis"
    WITHDRAWN = "withdrawn"


class ComponentKind(StrEnum):
    BASE = "base"
    ADDITIONAL = "additional"
    ENTRY = "entry"
    EXIT = "exit"
    TRAINING = "training"
    ASSISTANCE = "assistance"


class Billing(StrEnum):
    MONTHLY = "monthly"
    YEARLY = "yearly"
    UPFRONT = "upfront"


TRAINING_LANGUAGES = ("fr", "en")
MAX_PRICE_CENTS = 99_999_999_999  # under a billion dollars a unit: beyond, a typing mistake
COUNTRY_CANADA = "CA"
PROVINCE_QUEBEC = "QC"


# --- version names and price dates --------------------------------------------------------------


def version_name(supplier_name: str, published_on: date, same_day_rank: int = 1) -> str:
    """004 §3.2: "the broker publishes a new version, adjusting the date in the sheet's name".
    A second publication on the same day gets a rank so that every name stays unique."""
    name = f"Fiche {supplier_name} – {published_on.isoformat()}"
    return name if same_day_rank <= 1 else f"{name} ({same_day_rank})"


class PriceDateProblem(StrEnum):
    NOT_FIRST_BUSINESS_DAY = "not_first_business_day"
    IN_THE_PAST = "in_the_past"


def price_date_problem(
    effective_from: date, *, today: date, closures: Iterable[date] = ()
) -> PriceDateProblem | None:
    """DOMAIN §2, 004 §3.2: prices change only on the first business day of a month, and a
    published price list is never altered, so a new list cannot take effect before today."""
    closures = frozenset(closures)
    if not calendar.is_first_business_day_of_month(effective_from, closures=closures):
        return PriceDateProblem.NOT_FIRST_BUSINESS_DAY
    if effective_from < today:
        return PriceDateProblem.IN_THE_PAST
    return None


# --- sheet content --------------------------------------------------------------------------------

# Each section of a sheet is a list of items identified by their "code" (unique in the section).
# Offers carry their components (unique code per offer). Fields not listed are refused.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "offers": (
        "code",
        "name",
        "category",
        "status",
        "description",
        "training_languages",
        "training_material",
        "technical_assistance",
        "trial_terms",
        "data_centres",
        "components",
    ),
    "data_centres": (
        "code",
        "city",
        "province",
        "country",
        "role",
        "personal_information_authorised",
        "authorised_since",
    ),
    "security_answers": ("code", "requirement", "answer"),
    "documents": ("code", "kind", "title", "file_sha256", "file_name"),
    "contacts": ("code", "kind", "name", "email", "phone"),
}
SECTIONS = tuple(SECTION_FIELDS)
COMPONENT_FIELDS = ("code", "name", "kind", "description")
SHEET_FIELDS = ("configurator_url", *SECTIONS)
DATA_CENTRE_ROLES = ("primary", "recovery")
DOCUMENT_KINDS = ("amending_annex", "supplier_conditions", "service_levels", "offer_description")
CONTACT_KINDS = ("technical", "commercial")
REQUIRED: dict[str, tuple[str, ...]] = {
    "offers": ("code", "name", "category", "status"),
    "data_centres": ("code", "city", "country", "role"),
    "security_answers": ("code", "requirement", "answer"),
    "documents": ("code", "kind", "title", "file_sha256"),
    "contacts": ("code", "kind", "name", "email"),
}


# Fields that are not text (lists of codes, components, a yes/no); every other field is text.
NOT_TEXT_FIELDS = frozenset(
    {"components", "data_centres", "training_languages", "personal_information_authorised"}
)
# One limit per kind of free text, shared by the pages' forms and the API's schemas (a value
# one refuses, the other refuses too).
MAX_TEXT_LENGTH = 20_000  # descriptions, answers, notes
MAX_REQUIREMENT_LENGTH = 1_000  # a security requirement's wording
MAX_SUMMARY_LENGTH = 300  # a proposed change's summary
MAX_RETURN_COMMENT_LENGTH = 4_000  # what the broker asks the supplier to correct
# Longest text the Catalogue's rows keep for a field (models.Offer, Component, DataCentre).
MAX_LENGTHS = {"code": 60, "name": 200, "city": 100, "province": 100}


def empty_content() -> dict[str, Any]:
    return {"configurator_url": "", **{section: [] for section in SECTIONS}}


class ContentProblem(StrEnum):
    UNKNOWN_FIELD = "unknown_field"
    REQUIRED = "required"
    DUPLICATE_CODE = "duplicate_code"
    BAD_CHOICE = "bad_choice"
    UNKNOWN_DATA_CENTRE = "unknown_data_centre"
    AUTHORISED_NEEDS_DATE = "authorised_needs_date"
    BAD_DATE = "bad_date"
    NOT_A_LIST = "not_a_list"
    NOT_TEXT = "not_text"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "offers[2].components[0].code"
    problem: ContentProblem
    value: str = ""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def content_problems(content: Mapping[str, Any], *, categories: Iterable[str]) -> list[Problem]:
    """Everything wrong with a proposed sheet, each with its path (DOMAIN §2). Any JSON gives a
    list of problems, never an exception: the content comes straight from a form or the API."""
    categories = frozenset(categories)
    problems: list[Problem] = []
    for key in content:
        if key not in SHEET_FIELDS:
            problems.append(Problem(key, ContentProblem.UNKNOWN_FIELD))
    url = content.get("configurator_url")
    if url is not None and not isinstance(url, str):
        problems.append(Problem("configurator_url", ContentProblem.NOT_TEXT, str(url)))
    choices: dict[tuple[str, str], Iterable[str]] = {
        ("offers", "category"): categories,
        ("offers", "status"): [s.value for s in OfferState],
        ("data_centres", "role"): DATA_CENTRE_ROLES,
        ("documents", "kind"): DOCUMENT_KINDS,
        ("contacts", "kind"): CONTACT_KINDS,
    }
    lists: dict[str, list[Any]] = {}
    for section in SECTIONS:
        items = content.get(section, [])
        if not isinstance(items, list):
            problems.append(Problem(section, ContentProblem.NOT_A_LIST))
            items = []
        lists[section] = items
        problems += _item_problems(section, items, SECTION_FIELDS[section], REQUIRED[section])
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                continue
            for (sec, field), allowed in choices.items():
                value = item.get(field)
                if sec == section and not _is_blank(value) and not _is_choice(value, allowed):
                    problems.append(
                        Problem(f"{section}[{i}].{field}", ContentProblem.BAD_CHOICE, str(value))
                    )
    centres = {
        dc.get("code")
        for dc in lists["data_centres"]
        if isinstance(dc, Mapping) and isinstance(dc.get("code"), str)
    }
    for i, dc in enumerate(lists["data_centres"]):
        if not isinstance(dc, Mapping):
            continue
        country = dc.get("country")
        if not _is_blank(country) and not (
            isinstance(country, str)
            and len(country) == 2
            and country.isascii()
            and country.isalpha()
        ):
            problems.append(
                Problem(f"data_centres[{i}].country", ContentProblem.BAD_CHOICE, str(country))
            )
        authorised = dc.get("personal_information_authorised")
        if authorised is not None and not isinstance(authorised, bool):
            problems.append(
                Problem(
                    f"data_centres[{i}].personal_information_authorised",
                    ContentProblem.BAD_CHOICE,
                    str(authorised),
                )
            )
        since = dc.get("authorised_since")
        if authorised is True and _is_blank(since):
            problems.append(
                Problem(f"data_centres[{i}].authorised_since", ContentProblem.AUTHORISED_NEEDS_DATE)
            )
        if not _is_blank(since) and not _is_iso_date(since):
            problems.append(
                Problem(f"data_centres[{i}].authorised_since", ContentProblem.BAD_DATE, str(since))
            )
    for i, offer in enumerate(lists["offers"]):
        if not isinstance(offer, Mapping):
            continue
        for field in ("training_languages", "data_centres"):
            if not isinstance(offer.get(field) or [], list):
                problems.append(Problem(f"offers[{i}].{field}", ContentProblem.NOT_A_LIST))
        languages = offer.get("training_languages") or []
        for language in languages if isinstance(languages, list) else []:
            if not _is_choice(language, TRAINING_LANGUAGES):
                problems.append(
                    Problem(
                        f"offers[{i}].training_languages", ContentProblem.BAD_CHOICE, str(language)
                    )
                )
        hosted = offer.get("data_centres") or []
        for code in hosted if isinstance(hosted, list) else []:
            if not (isinstance(code, str) and code in centres):
                problems.append(
                    Problem(
                        f"offers[{i}].data_centres", ContentProblem.UNKNOWN_DATA_CENTRE, str(code)
                    )
                )
        components = offer.get("components") or []
        if not isinstance(components, list):
            problems.append(Problem(f"offers[{i}].components", ContentProblem.NOT_A_LIST))
            continue
        problems += _item_problems(
            f"offers[{i}].components", components, COMPONENT_FIELDS, ("code", "name", "kind")
        )
        kinds = [k.value for k in ComponentKind]
        for j, component in enumerate(components):
            kind = component.get("kind") if isinstance(component, Mapping) else None
            if not _is_blank(kind) and not _is_choice(kind, kinds):
                problems.append(
                    Problem(
                        f"offers[{i}].components[{j}].kind", ContentProblem.BAD_CHOICE, str(kind)
                    )
                )
    return problems


def _is_choice(value: Any, allowed: Iterable[str]) -> bool:
    return isinstance(value, str) and value in allowed


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _item_problems(
    path: str, items: Sequence[Any], fields: Sequence[str], required: Sequence[str]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(Problem(f"{path}[{i}]", ContentProblem.NOT_A_LIST))
            continue
        for key in item:
            if key not in fields:
                problems.append(Problem(f"{path}[{i}].{key}", ContentProblem.UNKNOWN_FIELD))
        for key in required:
            if _is_blank(item.get(key)):
                problems.append(Problem(f"{path}[{i}].{key}", ContentProblem.REQUIRED))
        for key in fields:
            value = item.get(key)
            if key in NOT_TEXT_FIELDS or value is None:
                continue
            if not isinstance(value, str):
                problems.append(Problem(f"{path}[{i}].{key}", ContentProblem.NOT_TEXT, str(value)))
            elif key in MAX_LENGTHS and len(value.strip()) > MAX_LENGTHS[key]:
                limit = str(MAX_LENGTHS[key])
                problems.append(Problem(f"{path}[{i}].{key}", ContentProblem.TOO_LONG, limit))
        code = str(item.get("code", "")).strip()
        if code and code in seen:
            problems.append(Problem(f"{path}[{i}].code", ContentProblem.DUPLICATE_CODE, code))
        seen.add(code)
    return problems


# --- change history ---------------------------------------------------------------------------


def _by_code(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(item.get("code")): item for item in items}


def _label(item: Mapping[str, Any]) -> str:
    for key in ("name", "title", "requirement", "city"):
        if item.get(key):
            return str(item[key])
    return str(item.get("code", ""))


def _field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Sequence[str]
) -> list[dict[str, Any]]:
    return [
        {"field": f, "before": before.get(f), "after": after.get(f)}
        for f in fields
        if f not in ("code", "components") and before.get(f) != after.get(f)
    ]


def _list_changes(
    before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]], fields: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    old, new = _by_code(before), _by_code(after)
    changed = []
    for code in old.keys() & new.keys():
        fields_changed = _field_changes(old[code], new[code], fields)
        entry: dict[str, Any] = {"code": code, "label": _label(new[code]), "fields": fields_changed}
        if "components" in fields:
            sub = _list_changes(
                old[code].get("components") or [],
                new[code].get("components") or [],
                COMPONENT_FIELDS,
            )
            if any(sub.values()):
                entry["components"] = sub
        if fields_changed or entry.get("components"):
            changed.append(entry)
    return {
        "added": [
            {"code": c, "label": _label(new[c]), "item": dict(new[c])}
            for c in sorted(new.keys() - old.keys())
        ],
        "removed": [
            {"code": c, "label": _label(old[c]), "item": dict(old[c])}
            for c in sorted(old.keys() - new.keys())
        ],
        "changed": sorted(changed, key=lambda e: e["code"]),
    }


# A price line as the change history compares it: (offer, component, tier) -> its terms.
PriceKey = tuple[str, str, int]
PRICE_TERMS = (
    "unit",
    "unit_price_cents",
    "billing_frequency",
    "minimum_quantity",
    "minimum_term_months",
    "all_units_from_signature",
    "may_decrease",
    "max_yearly_increase_bp",
)


def price_changes(
    before: Mapping[PriceKey, Mapping[str, Any]],
    after: Mapping[PriceKey, Mapping[str, Any]],
    *,
    effective_from: date,
) -> list[dict[str, Any]]:
    """Line-by-line price changes of one offer's new list against the list it replaces
    (004 §3.2 "historique des modifications")."""
    rows = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None:
            terms = [t for t in PRICE_TERMS if old.get(t) != new.get(t)]
            if not terms:
                continue
            change = "changed"
        else:
            terms, change = [], ("added" if old is None else "removed")
        rows.append(
            {
                "offer": key[0],
                "component": key[1],
                "tier_min_quantity": key[2],
                "change": change,
                "terms": terms,
                "effective_from": effective_from.isoformat(),
                "before": dict(old) if old is not None else None,
                "after": dict(new) if new is not None else None,
            }
        )
    return rows


def sheet_changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    prices: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The structured change history of a new version against the previous one: what was
    added, removed and changed per section, plus the price changes line by line."""
    before = before or empty_content()
    sections: dict[str, Any] = {}
    if before.get("configurator_url", "") != after.get("configurator_url", ""):
        sections["configurator_url"] = {
            "before": before.get("configurator_url", ""),
            "after": after.get("configurator_url", ""),
        }
    for section in SECTIONS:
        changes = _list_changes(
            before.get(section, []), after.get(section, []), SECTION_FIELDS[section]
        )
        if any(changes.values()):
            sections[section] = changes
    return {"sections": sections, "prices": list(prices)}


def change_count(changes: Mapping[str, Any]) -> int:
    count = len(changes.get("prices", []))
    for name, section in changes.get("sections", {}).items():
        if name == "configurator_url":
            count += 1
            continue
        count += len(section["added"]) + len(section["removed"]) + len(section["changed"])
    return count


# --- search and hosting -----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: "Théâtre" -> "theatre" (for accent-insensitive search).
    Compatibility forms are decomposed before *and* after case folding ("ᴬ", "ℌ" decompose to
    capitals), so the result is lower case and ``fold(fold(x)) == fold(x)``."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(*parts: str) -> str:
    return " ".join(fold(p) for p in parts if p)


@dataclass(frozen=True)
class Hosting:
    canada_only: bool
    quebec_only: bool
    personal_information_authorised: bool


def hosting(centres: Iterable[Mapping[str, Any]]) -> Hosting:
    """Hosting flags of an offer from its data centres (an offer with none is neither)."""
    centres = list(centres)
    # Codes compare in upper case, as publication stores them ("ca" is Canada).
    in_canada = [str(dc.get("country") or "").upper() == COUNTRY_CANADA for dc in centres]
    in_quebec = [
        canada and str(dc.get("province") or "").upper() == PROVINCE_QUEBEC
        for canada, dc in zip(in_canada, centres, strict=True)
    ]
    return Hosting(
        canada_only=bool(centres) and all(in_canada),
        quebec_only=bool(centres) and all(in_quebec),
        personal_information_authorised=any(
            dc.get("personal_information_authorised") for dc in centres
        ),
    )
