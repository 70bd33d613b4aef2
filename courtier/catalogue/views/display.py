"""A sheet's content and its change history as the pages show them (labels resolved, offers
linked, every section side by side before and after), and the services' errors on a proposal
named by where they are in it (« Offres « MAIL » › Composantes « BASE » › Code »)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtier.accounts.models import Organisation
from courtier.catalogue import labels, rules, selectors
from courtier.catalogue.models import Category, ComponentKind, DataCentreRole, Offer, PriceList
from courtier.catalogue.templatetags.catalogue_format import value_label
from courtier.core.formatting import money

_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def category_names() -> dict[str, str]:
    return {c.code: c.label for c in Category.objects.all()}


_ROLE_LABELS = dict(DataCentreRole.choices)
_LANGUAGE_LABELS = {"fr": gettext_lazy("Français"), "en": gettext_lazy("Anglais")}


def display_value(value: Any, field: str, categories: Mapping[str, str]) -> str:
    """A content value as a person reads it."""
    if field == "category":
        return categories.get(value, value or "—")
    if field == "role":
        return str(_ROLE_LABELS.get(value, value or "—"))
    if field == "training_languages" and isinstance(value, list):
        return ", ".join(str(_LANGUAGE_LABELS.get(v, v)) for v in value) or "—"
    if field == "components" and isinstance(value, list):
        return ", ".join(str(c.get("name", c.get("code", ""))) for c in value) or "—"
    return value_label(value, field)


def describe_path(path: str, content: Mapping[str, Any]) -> str:
    """``offers[0].components[1].code`` -> « Offres « MAIL » › Composantes « BASE » › Code »."""
    parts: list[str] = []
    node: Any = content
    for name, index in _PATH_PART.findall(path):
        label = str(labels.SECTION_LABELS.get(name) or labels.FIELD_LABELS.get(name) or name)
        if index:
            item = None
            with contextlib.suppress(KeyError, IndexError, TypeError):
                item = node[name][int(index)]
            code = item.get("code") if isinstance(item, Mapping) else None
            parts.append(f"{label} « {code} »" if code else f"{label} n° {int(index) + 1}")
            node = item
        else:
            parts.append(label)
    return " › ".join(parts)


def content_error_messages(exc: ValidationError, content: Mapping[str, Any]) -> list[str]:
    """Every message of a service's ValidationError, each prefixed with where it is."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    result = []
    for path, errors in exc.message_dict.items():
        first = _PATH_PART.match(path)
        in_content = first is not None and first.group(1) in rules.SHEET_FIELDS
        for message in errors:
            result.append(f"{describe_path(path, content)} : {message}" if in_content else message)
    return result


def apply_content_errors(
    form: Any, exc: ValidationError, prefix: str, content: Mapping[str, Any]
) -> None:
    """Errors of the item being edited go on its fields; any other on the form as a whole."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for path, errors in exc.message_dict.items():
        if not prefix:
            rest = path
        else:
            rest = path[len(prefix) + 1 :] if path.startswith(prefix + ".") else None
        if rest in form.fields:
            form.add_error(rest, errors)
        else:
            form.add_error(None, content_error_messages(ValidationError({path: errors}), content))


def sheet_display(content: Mapping[str, Any], supplier: Organisation) -> dict[str, Any]:
    """The sections of a sheet's content, ready to show (labels resolved, offers linked)."""
    categories = category_names()
    offer_pks = dict(Offer.objects.filter(supplier=supplier).values_list("code", "pk"))
    centres = {dc.get("code"): dc for dc in content.get("data_centres", [])}
    offers = []
    for index, item in enumerate(content.get("offers", [])):
        offers.append(
            {
                "index": index,
                "item": item,
                "pk": offer_pks.get(item.get("code")),
                "category": categories.get(item.get("category"), item.get("category")),
                "status": display_value(item.get("status"), "status", categories),
                "languages": display_value(
                    item.get("training_languages") or [], "training_languages", {}
                ),
                "centres": [
                    centres[c].get("city", c) if c in centres else c
                    for c in item.get("data_centres") or []
                ],
                "groups": component_groups(item.get("components") or []),
            }
        )
    url = content.get("configurator_url") or ""
    return {
        # Only a web address becomes a link (the content may come from the API).
        "configurator_url": url if re.match(r"^https?://", str(url)) else "",
        "configurator_text": url,
        "offers": offers,
        "data_centres": [
            {
                "index": i,
                "item": dc,
                "role": display_value(dc.get("role"), "role", {}),
                "since": _iso_date(dc.get("authorised_since")),
            }
            for i, dc in enumerate(content.get("data_centres", []))
        ],
        "security_answers": list(enumerate(content.get("security_answers", []))),
        "documents": [
            {
                "index": i,
                "item": doc,
                "kind": str(labels.DOCUMENT_KIND_LABELS.get(doc.get("kind"), doc.get("kind"))),
            }
            for i, doc in enumerate(content.get("documents", []))
        ],
        "contacts": [
            {
                "index": i,
                "item": c,
                "kind": str(labels.CONTACT_KIND_LABELS.get(c.get("kind"), c.get("kind"))),
            }
            for i, c in enumerate(content.get("contacts", []))
        ],
    }


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def component_groups(components: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Components grouped by kind, in the order of ComponentKind (004 §1)."""
    components = list(enumerate(components))
    groups = []
    for kind, label in ComponentKind.choices:
        items = [(i, c) for i, c in components if c.get("kind") == kind]
        if items:
            groups.append({"kind": kind, "label": label, "components": items})
    return groups


PRICE_PAGE_PARAM = "lignes"  # ?lignes=2: the second page of each price list's lines


def price_page(request: HttpRequest) -> int:
    """The page of price lines asked for (1 when absent or not a page number)."""
    text = request.GET.get(PRICE_PAGE_PARAM, "")
    page = int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 1
    return max(page, 1)


def price_tables(
    price_lists: Iterable[PriceList],
    names: Mapping[str, str],
    *,
    request: HttpRequest | None = None,
) -> list[dict[str, Any]]:
    """Price lists with one page of their lines (a list may hold 200,000), each line carrying
    its component's name, and links to the previous and next pages."""
    size = selectors.price_lines_page_size()
    page = price_page(request) if request is not None else 1
    tables = []
    for price_list in price_lists:
        offset = (page - 1) * size
        lines, has_more = selectors.price_lines_window(price_list, offset=offset, limit=size)
        for line in lines:
            line.component_name = names.get(line.component_code, "")  # type: ignore[attr-defined]
        tables.append(
            {
                "price_list": price_list,
                "lines": lines,
                "first": offset + 1 if lines else 0,
                "last": offset + len(lines),
                "count": max(price_list.line_count, offset + len(lines)),
                "next_url": _page_url(request, page + 1) if has_more else "",
                "previous_url": _page_url(request, page - 1) if page > 1 else "",
            }
        )
    return tables


def _page_url(request: HttpRequest | None, page: int) -> str:
    if request is None:
        return ""
    query = request.GET.copy()
    query[PRICE_PAGE_PARAM] = str(page)
    return f"?{query.urlencode()}#prices-title"


def _price_summary(terms: Mapping[str, Any] | None) -> str:
    if not terms:
        return "—"
    parts = [
        f"{money(terms.get('unit_price_cents'))} {value_label(terms.get('unit'), 'unit')}",
        value_label(terms.get("billing_frequency"), "billing_frequency"),
    ]
    if terms.get("minimum_quantity"):
        parts.append(_("minimum %(n)s") % {"n": terms["minimum_quantity"]})
    if terms.get("minimum_term_months"):
        parts.append(_("durée minimale %(n)s mois") % {"n": terms["minimum_term_months"]})
    if terms.get("max_yearly_increase_bp"):
        parts.append(
            _("hausse annuelle max. %(p)s")
            % {"p": value_label(terms["max_yearly_increase_bp"], "max_yearly_increase_bp")}
        )
    if not terms.get("may_decrease", True):
        parts.append(_("quantités non réductibles"))
    return ", ".join(str(p) for p in parts)


def _item_rows(
    entry: Mapping[str, Any], change: str, fields: Iterable[str], categories: Mapping[str, str]
) -> list[dict[str, str]]:
    item = entry.get("item") or {}
    rows = []
    for name in fields:
        if name == "code" or name not in item:
            continue
        value = item.get(name)
        if value in (None, "", []):
            continue
        shown = display_value(value, name, categories)
        rows.append(
            {
                "field": str(labels.FIELD_LABELS.get(name, name)),
                "before": shown if change == "removed" else "",
                "after": shown if change == "added" else "",
            }
        )
    return rows


def _section_groups(
    section: str, change: Mapping[str, Any], categories: Mapping[str, str], prefix: str = ""
) -> list[dict[str, Any]]:
    fields = rules.COMPONENT_FIELDS if section == "components" else rules.SECTION_FIELDS[section]
    groups = []
    for kind in ("added", "removed", "changed"):
        for entry in change.get(kind, []):
            title = f"{prefix}{entry['label']}"
            if kind == "changed":
                rows = [
                    {
                        "field": str(labels.FIELD_LABELS.get(f["field"], f["field"])),
                        "before": display_value(f["before"], f["field"], categories),
                        "after": display_value(f["after"], f["field"], categories),
                    }
                    for f in entry.get("fields", [])
                ]
            else:
                rows = _item_rows(entry, kind, fields, categories)
            if rows:
                groups.append({"title": title, "code": entry["code"], "change": kind, "rows": rows})
            if entry.get("components"):
                groups += _section_groups(
                    "components",
                    entry["components"],
                    categories,
                    prefix=f"{entry['label']} › ",
                )
    return groups


def diff_display(changes: Mapping[str, Any]) -> dict[str, Any]:
    """A change history (rules.sheet_changes) as side-by-side rows: for every section, the
    items added, removed or changed with each field before and after; every price line."""
    categories = category_names()
    sections = []
    for name, change in changes.get("sections", {}).items():
        if name == "configurator_url":
            groups = [
                {
                    "title": str(labels.SECTION_LABELS[name]),
                    "code": "",
                    "change": "changed",
                    "rows": [
                        {
                            "field": str(labels.SECTION_LABELS[name]),
                            "before": change.get("before") or "—",
                            "after": change.get("after") or "—",
                        }
                    ],
                }
            ]
        else:
            groups = _section_groups(name, change, categories)
        sections.append(
            {"name": name, "title": str(labels.SECTION_LABELS.get(name, name)), "groups": groups}
        )
    prices = []
    all_prices = changes.get("prices", [])
    shown = selectors.price_lines_page_size()  # a file import may change 200,000 lines
    for row in all_prices[:shown]:
        base = {
            "offer": row["offer"],
            "component": row["component"],
            "tier": row["tier_min_quantity"],
            "effective_from": row["effective_from"],
            "change": row["change"],
        }
        if row["change"] == "changed":
            for term in row["terms"]:
                prices.append(
                    {
                        **base,
                        "term": str(labels.FIELD_LABELS.get(term, term)),
                        "before": value_label(row["before"].get(term), term),
                        "after": value_label(row["after"].get(term), term),
                    }
                )
        else:
            prices.append(
                {
                    **base,
                    "term": _("Ligne de prix"),
                    "before": _price_summary(row["before"]),
                    "after": _price_summary(row["after"]),
                }
            )
    count = rules.change_count(changes) if changes else 0
    return {
        "sections": sections,
        "prices": prices,
        "prices_more": max(len(all_prices) - shown, 0),
        "count": count,
    }
