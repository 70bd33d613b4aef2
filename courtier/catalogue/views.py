"""Pages of the Catalogue (DOMAIN §2; 004 §3.2; 002 §2.2-2.3): search and the summary table,
offers, supplier sheets with their dated versions and change history, proposals and their
review, the providers per qualification, subscriptions and supporting documents.

Access (courtier.accounts.permissions): searching, the provider table, subscriptions and the
supporting documents are for the people who may browse the Catalogue (public bodies and the
broker); a supplier's people see their own sheet, offers and proposals only. What a person
may not see answers 404; what they see but may not do answers 403.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.calendar import selectors as calendar
from courtier.catalogue import labels, rules, selectors, services
from courtier.catalogue.forms import (
    SECTION_FORMS,
    AgreementForm,
    ComponentForm,
    DraftGeneralForm,
    ItemForm,
    OfferItemForm,
    OfferSearchForm,
    PriceLineFormSet,
    PriceListForm,
    ProviderQualifyForm,
    QualificationForm,
    ReturnForm,
    SubscriptionForm,
    SupportingDocumentForm,
    price_line_initial,
)
from courtier.catalogue.models import (
    Category,
    ComponentKind,
    DataCentre,
    DataCentreRole,
    DraftStatus,
    FrameworkAgreement,
    Offer,
    OfferStatus,
    PriceImport,
    PriceList,
    PriceListStatus,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
    SupportingDocumentVersion,
)
from courtier.catalogue.templatetags.catalogue_format import value_label
from courtier.core.formatting import money
from courtier.core.forms import submit
from courtier.files.models import StoredFile
from courtier.files.responses import stored_file_response
from courtier.files.services import stored_file_save
from courtier.files.uploads import Upload

PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")
QUEUE_TABS = [
    ("ouvertes", gettext_lazy("À examiner et en cours")),
    ("fermees", gettext_lazy("Publiées ou abandonnées")),
]
SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PATH_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


# --- who may do what ---------------------------------------------------------------------------


def _require_browse(request: HttpRequest) -> None:
    permissions.require_perm(request.user, Perm.BROWSE_CATALOGUE)


def _may_see_drafts(user: Any) -> bool:
    g = permissions.grants(user)
    return (
        g.anywhere(Perm.PUBLISH_CATALOGUE)
        or g.anywhere(Perm.PROPOSE_SHEET)
        or (g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.VIEW_AUDIT))
    )


def _may_propose(user: Any, supplier: Organisation) -> bool:
    g = permissions.grants(user)
    return g.anywhere(Perm.PUBLISH_CATALOGUE) or supplier.pk in g.organisations_with(
        Perm.PROPOSE_SHEET
    )


def _sheet_supplier(request: HttpRequest, pk: int) -> Organisation:
    """A supplier whose sheet the person may see: a published one, their own, or any for the
    broker's staff (who may start a supplier's first sheet). 404 otherwise."""
    supplier = Organisation.objects.filter(pk=pk, kind=OrganisationKind.SUPPLIER).first()
    if supplier is None:
        raise Http404
    g = permissions.grants(request.user)
    if (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS)
        or supplier.pk in g.organisations_with(Perm.PROPOSE_SHEET)
        or permissions.scope(request.user, SheetVersion.objects.filter(supplier=supplier)).exists()
    ):
        return supplier
    raise Http404


def _visible_draft(request: HttpRequest, pk: int) -> SheetDraft:
    return permissions.get_visible_or_404(
        request.user, SheetDraft.objects.select_related("supplier", "base_version"), pk=pk
    )


def _draft_to_change(request: HttpRequest, pk: int) -> SheetDraft:
    draft = _visible_draft(request, pk)
    permissions.require_change(request.user, draft)
    return draft


def _editable(request: HttpRequest, draft: SheetDraft) -> bool:
    """Whether the proposal can still be edited; if not, say so (the caller redirects)."""
    if draft.status in rules.EDITABLE_DRAFT_STATES:
        return True
    messages.error(request, str(services.DRAFT_NOT_EDITABLE))
    return False


def _draft_url(draft: SheetDraft, anchor: str = "") -> str:
    url = reverse("catalogue:draft_detail", args=[draft.pk])
    return f"{url}#{anchor}" if anchor else url


# --- labels and display ------------------------------------------------------------------------


def _category_names() -> dict[str, str]:
    return {c.code: c.label for c in Category.objects.all()}


_ROLE_LABELS = dict(DataCentreRole.choices)
_LANGUAGE_LABELS = {"fr": gettext_lazy("Français"), "en": gettext_lazy("Anglais")}


def _display(value: Any, field: str, categories: Mapping[str, str]) -> str:
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


def _apply_content_errors(
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
    categories = _category_names()
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
                "status": _display(item.get("status"), "status", categories),
                "languages": _display(
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
                "role": _display(dc.get("role"), "role", {}),
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


def price_tables(
    price_lists: Iterable[PriceList], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Price lists with their lines, each line carrying its component's name."""
    tables = []
    for price_list in price_lists:
        lines = list(price_list.lines.all())
        for line in lines:
            line.component_name = names.get(line.component_code, "")  # type: ignore[attr-defined]
        tables.append({"price_list": price_list, "lines": lines})
    return tables


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
        shown = _display(value, name, categories)
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
                        "before": _display(f["before"], f["field"], categories),
                        "after": _display(f["after"], f["field"], categories),
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
    categories = _category_names()
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
    for row in changes.get("prices", []):
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
    return {"sections": sections, "prices": prices, "count": count}


# --- search ---------------------------------------------------------------------------------


def _search_form(request: HttpRequest) -> OfferSearchForm:
    offers = permissions.scope(request.user, Offer.objects.all())
    suppliers = (
        Organisation.objects.filter(pk__in=offers.values("supplier_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    centres = permissions.scope(request.user, DataCentre.objects.filter(active=True))
    countries = sorted(set(centres.values_list("country", flat=True)))
    provinces = sorted({p for p in centres.values_list("province", flat=True) if p})
    form = OfferSearchForm(
        request.GET,
        suppliers=list(suppliers),
        countries=countries,
        provinces=provinces,
    )
    form.is_valid()
    return form


def _query_without(request: HttpRequest, *names: str) -> str:
    return urlencode(
        [(k, v) for k, values in request.GET.lists() if k not in names for v in values]
    )


def home(request: HttpRequest) -> HttpResponse:
    """The Catalogue's home: search with filters and the summary table of offers (004 §3.2)."""
    _require_browse(request)
    form = _search_form(request)
    filters = form.filters()
    if filters.status == OfferStatus.WITHDRAWN:  # the summary table leaves withdrawn offers out
        offers = selectors.offer_search(request.user, filters)
    else:
        offers = selectors.offer_summary(request.user, filters)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _query_without(request, "page", "format"),
    }
    template = "catalogue/home.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        template = "catalogue/_results.html"
    return render(request, template, context)


def export_offers(request: HttpRequest) -> HttpResponse:
    """The summary table of the offers matching the filters, as CSV or XLSX."""
    _require_browse(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    from courtier.catalogue import exports

    form = _search_form(request)
    return exports.offers_export(request.user, form.filters(), fmt)


def export_providers(request: HttpRequest) -> HttpResponse:
    """The summary table of the providers per qualification, as CSV or XLSX."""
    _require_browse(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    from courtier.catalogue import exports

    return exports.providers_export(request.user, fmt)


# --- offers, sheets, versions ---------------------------------------------------------------


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = permissions.get_visible_or_404(
        request.user,
        Offer.objects.select_related("supplier", "category", "version"),
        pk=pk,
    )
    item = next(
        (o for o in offer.version.content.get("offers", []) if o.get("code") == offer.code), None
    )
    if item is not None:
        components = item.get("components") or []
    else:
        components = [
            {"code": c.code, "name": c.name, "kind": c.kind, "description": c.description}
            for c in offer.components.filter(active=True)
        ]
    names = {c["code"]: c["name"] for c in components}
    today = timezone.localdate()
    published = permissions.scope(
        request.user, PriceList.objects.filter(offer=offer, status=PriceListStatus.PUBLISHED)
    ).prefetch_related("lines")
    in_force = published.filter(effective_from__lte=today).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=today)
    )
    scheduled = published.filter(effective_from__gt=today).order_by("effective_from")
    return render(
        request,
        "catalogue/offer_detail.html",
        {
            "offer": offer,
            "item": item or {},
            "groups": component_groups(components),
            "data_centres": offer.data_centres.order_by("role", "country", "province", "city"),
            "in_force": price_tables(in_force, names),
            "scheduled": price_tables(scheduled, names),
            "today": today,
            "languages": _display(
                [code for code in offer.training_languages.split(",") if code],
                "training_languages",
                {},
            ),
        },
    )


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's sheet: its latest version, agreements, offers, versions list."""
    supplier = _sheet_supplier(request, pk)
    versions = permissions.scope(
        request.user, SheetVersion.objects.filter(supplier=supplier)
    ).order_by("-number")
    latest = versions.first()
    drafts = (
        permissions.scope(
            request.user,
            SheetDraft.objects.filter(supplier=supplier, status__in=rules.OPEN_DRAFT_STATES),
        )
        if _may_see_drafts(request.user)
        else SheetDraft.objects.none()
    )
    return render(
        request,
        "catalogue/sheet.html",
        {
            "supplier": supplier,
            "latest": latest,
            "sheet": sheet_display(latest.content, supplier) if latest else None,
            "versions": versions.only(
                "pk", "number", "name", "published_on", "change_count", "supplier_id"
            ),
            "agreements": permissions.scope(
                request.user, FrameworkAgreement.objects.filter(organisation=supplier)
            ).prefetch_related("categories"),
            "open_draft": drafts.first(),
            "can_propose": _may_propose(request.user, supplier)
            and permissions.has_perm(request.user, Perm.WRITE),
            "can_manage_agreements": permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE),
        },
    )


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A frozen version of a sheet and its change history, side by side (004 §3.2)."""
    version = permissions.get_visible_or_404(
        request.user,
        SheetVersion.objects.select_related("supplier", "previous", "published_by"),
        pk=pk,
    )
    following = permissions.scope(
        request.user, SheetVersion.objects.filter(previous=version)
    ).first()
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "version": version,
            "sheet": sheet_display(version.content, version.supplier),
            "diff": diff_display(version.changes),
            "following": following,
            "price_lists": version.price_lists.order_by("offer_code", "effective_from"),
        },
    )


# --- proposals and their review ---------------------------------------------------------------


def draft_queue(request: HttpRequest) -> HttpResponse:
    """The broker's review queue (submitted first); a supplier's people see their own."""
    if not _may_see_drafts(request.user):
        raise PermissionDenied
    tab = request.GET.get("etat", "ouvertes")
    if tab not in dict(QUEUE_TABS):
        tab = "ouvertes"
    drafts = permissions.scope(request.user, SheetDraft.objects.select_related("supplier"))
    if tab == "ouvertes":
        drafts = drafts.filter(status__in=rules.OPEN_DRAFT_STATES)
    else:
        drafts = drafts.exclude(status__in=rules.OPEN_DRAFT_STATES)
    drafts = drafts.annotate(
        queue_rank=Case(
            When(status=DraftStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("queue_rank", "submitted_at", "-updated_at", "-pk")
    page = Paginator(drafts, PAGE_SIZE).get_page(request.GET.get("page"))
    g = permissions.grants(request.user)
    own_suppliers = Organisation.objects.filter(
        pk__in=g.organisations_with(Perm.PROPOSE_SHEET), kind=OrganisationKind.SUPPLIER
    )
    return render(
        request,
        "catalogue/draft_queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": QUEUE_TABS,
            "own_suppliers": own_suppliers
            if permissions.has_perm(request.user, Perm.WRITE)
            else [],
        },
    )


@require_POST
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a proposal for a supplier's sheet (from the version in force)."""
    supplier = _sheet_supplier(request, pk)
    if not _may_propose(request.user, supplier):
        raise PermissionDenied
    try:
        draft = services.sheet_draft_create(
            by=request.user, supplier=supplier, summary=request.POST.get("summary", "")[:300]
        )
    except ValidationError as exc:
        existing = permissions.scope(
            request.user,
            SheetDraft.objects.filter(supplier=supplier, status__in=rules.OPEN_DRAFT_STATES),
        ).first()
        messages.error(request, " ".join(exc.messages))
        if existing is not None:
            return redirect("catalogue:draft_detail", pk=existing.pk)
        return redirect("catalogue:sheet", pk=supplier.pk)
    messages.success(
        request,
        _("Proposition commencée à partir de la fiche en vigueur : modifiez-la puis soumettez-la."),
    )
    return redirect("catalogue:draft_detail", pk=draft.pk)


def _draft_page(
    request: HttpRequest,
    draft: SheetDraft,
    *,
    status: int = 200,
    return_form: ReturnForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    in_force = services.latest_version(draft.supplier_id)
    is_open = draft.status in rules.OPEN_DRAFT_STATES
    may_change = permissions.can_change(user, draft)
    may_publish = permissions.has_perm(user, Perm.PUBLISH_CATALOGUE) and permissions.has_perm(
        user, Perm.WRITE
    )
    if draft.status == DraftStatus.PUBLISHED and hasattr(draft, "version"):
        changes = draft.version.changes
    else:
        changes = services.draft_changes(draft)
    price_lists = (
        PriceList.objects.filter(draft=draft)
        .exclude(status=PriceListStatus.DISCARDED)
        .order_by("offer_code", "effective_from")
        .prefetch_related("lines")
    )
    try:
        import_url = reverse("catalogue:price_import_new", args=[draft.pk])
    except NoReverseMatch:
        import_url = ""
    imports = permissions.scope(user, PriceImport.objects.filter(draft=draft))[:5]
    editable = is_open and may_change and draft.status in rules.EDITABLE_DRAFT_STATES
    return render(
        request,
        "catalogue/draft_detail.html",
        {
            "draft": draft,
            "in_force": in_force,
            "outdated": is_open and in_force is not None and draft.base_version_id != in_force.pk,
            "sheet": sheet_display(draft.content, draft.supplier),
            "diff": diff_display(changes),
            "price_lists": price_lists,
            "import_url": import_url,
            "imports": imports,
            "can_edit": editable,
            "can_submit": editable,
            "can_abandon": is_open and may_change,
            "can_return": may_publish and draft.status == DraftStatus.SUBMITTED,
            "can_publish": may_publish
            and rules.next_draft_state(draft.status, rules.DraftAction.PUBLISH) is not None,
            "return_form": return_form or ReturnForm(),
            "action_errors": errors or [],
        },
        status=status,
    )


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal: its side-by-side diff against the version in force, its content section by
    section (editable by its author), its prices, and the review actions."""
    return _draft_page(request, _visible_draft(request, pk))


@require_http_methods(["GET", "POST"])
def draft_general(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal's summary and the supplier's configurator link."""
    draft = _draft_to_change(request, pk)
    if not _editable(request, draft):
        return redirect(_draft_url(draft))
    form = DraftGeneralForm(
        request.POST or None,
        initial={
            "summary": draft.summary,
            "configurator_url": draft.content.get("configurator_url", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        content = {
            **copy.deepcopy(draft.content),
            "configurator_url": form.cleaned_data["configurator_url"],
        }
        try:
            services.sheet_draft_update(
                by=request.user,
                draft=draft,
                content=content,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            _apply_content_errors(form, exc, "", content)
        else:
            messages.success(request, _("Proposition modifiée."))
            return redirect(_draft_url(draft))
    return render(
        request,
        "catalogue/draft_general_form.html",
        {"draft": draft, "form": form},
        status=422 if form.errors else 200,
    )


def _offer_centres(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (dc.get("code"), f"{dc.get('city')} ({dc.get('code')})")
        for dc in content.get("data_centres", [])
        if isinstance(dc, Mapping)
    ]


def _save_item(
    request: HttpRequest,
    draft: SheetDraft,
    form: ItemForm,
    content: dict[str, Any],
    items: list[Any],
    index: int | None,
    prefix: str,
) -> bool:
    """Put the form's item into ``items`` (a list inside ``content``) and save the content."""
    existing = items[index] if index is not None else None
    item = form.item(copy.deepcopy(existing) if existing else None)
    upload = form.cleaned_data.get("file") if "file" in form.fields else None
    if upload is not None:
        stored = stored_file_save(by=request.user, **Upload.from_form(upload).as_kwargs())
        item["file_sha256"], item["file_name"] = stored.sha256, upload.name
    if index is None:
        items.append(item)
    else:
        items[index] = item
    try:
        services.sheet_draft_update(by=request.user, draft=draft, content=content)
    except ValidationError as exc:
        _apply_content_errors(form, exc, prefix, content)
        return False
    return True


@require_http_methods(["GET", "POST"])
def draft_item(
    request: HttpRequest, pk: int, section: str, index: int | None = None
) -> HttpResponse:
    """Add (no index) or edit one item of a section of the proposal."""
    draft = _draft_to_change(request, pk)
    if section not in SECTION_FORMS:
        raise Http404
    key, form_class, title = SECTION_FORMS[section]
    if not _editable(request, draft):
        return redirect(_draft_url(draft, key))
    content = copy.deepcopy(draft.content)
    items = content.setdefault(key, [])
    if index is not None and not 0 <= index < len(items):
        raise Http404
    existing = items[index] if index is not None else None
    kwargs: dict[str, Any] = {"editing": existing is not None}
    if form_class is OfferItemForm:
        kwargs["centres"] = _offer_centres(content)
    form = form_class(
        request.POST or None,
        request.FILES or None,
        initial=form_class.initial_from(existing) if existing else None,
        **kwargs,
    )
    if request.method == "POST" and form.is_valid():
        position = index if index is not None else len(items)
        if _save_item(request, draft, form, content, items, index, f"{key}[{position}]"):
            messages.success(
                request,
                _("Élément enregistré dans la proposition : %(what)s.")
                % {
                    "what": form.cleaned_data.get("name")
                    or form.cleaned_data.get("title")
                    or form.cleaned_data.get("requirement")
                    or form.cleaned_data.get("city")
                    or form.cleaned_data.get("code")
                },
            )
            return redirect(_draft_url(draft, key))
    return render(
        request,
        "catalogue/draft_item_form.html",
        {
            "draft": draft,
            "form": form,
            "title": title,
            "section": section,
            "section_key": key,
            "section_label": labels.SECTION_LABELS[key],
            "existing": existing,
            "multipart": key == "documents",
        },
        status=422 if form.errors else 200,
    )


def _remove(
    request: HttpRequest, draft: SheetDraft, content: dict[str, Any], anchor: str
) -> HttpResponse:
    try:
        services.sheet_draft_update(by=request.user, draft=draft, content=content)
    except ValidationError as exc:
        return _draft_page(request, draft, status=422, errors=content_error_messages(exc, content))
    messages.success(request, _("Élément retiré de la proposition."))
    return redirect(_draft_url(draft, anchor))


@require_POST
def draft_item_remove(request: HttpRequest, pk: int, section: str, index: int) -> HttpResponse:
    draft = _draft_to_change(request, pk)
    if section not in SECTION_FORMS:
        raise Http404
    key = SECTION_FORMS[section][0]
    if not _editable(request, draft):
        return redirect(_draft_url(draft, key))
    content = copy.deepcopy(draft.content)
    items = content.get(key, [])
    if not 0 <= index < len(items):
        raise Http404
    del items[index]
    return _remove(request, draft, content, key)


def _offer_of(draft: SheetDraft, content: dict[str, Any], index: int) -> dict[str, Any]:
    offers = content.get("offers", [])
    if not 0 <= index < len(offers) or not isinstance(offers[index], dict):
        raise Http404
    return offers[index]


@require_http_methods(["GET", "POST"])
def draft_component(
    request: HttpRequest, pk: int, index: int, component: int | None = None
) -> HttpResponse:
    """Add or edit one component of an offer of the proposal."""
    draft = _draft_to_change(request, pk)
    if not _editable(request, draft):
        return redirect(_draft_url(draft, "offers"))
    content = copy.deepcopy(draft.content)
    offer = _offer_of(draft, content, index)
    components = offer.setdefault("components", [])
    if component is not None and not 0 <= component < len(components):
        raise Http404
    existing = components[component] if component is not None else None
    form = ComponentForm(
        request.POST or None,
        initial=ComponentForm.initial_from(existing) if existing else None,
        editing=existing is not None,
    )
    if request.method == "POST" and form.is_valid():
        position = component if component is not None else len(components)
        prefix = f"offers[{index}].components[{position}]"
        if _save_item(request, draft, form, content, components, component, prefix):
            messages.success(
                request,
                _("Composante enregistrée : %(name)s.") % {"name": form.cleaned_data["name"]},
            )
            return redirect(_draft_url(draft, f"offre-{index}"))
    return render(
        request,
        "catalogue/draft_item_form.html",
        {
            "draft": draft,
            "form": form,
            "title": _("composante de l'offre « %(name)s »") % {"name": offer.get("name")},
            "section_key": "offers",
            "section_label": labels.SECTION_LABELS["components"],
            "existing": existing,
            "multipart": False,
        },
        status=422 if form.errors else 200,
    )


@require_POST
def draft_component_remove(
    request: HttpRequest, pk: int, index: int, component: int
) -> HttpResponse:
    draft = _draft_to_change(request, pk)
    if not _editable(request, draft):
        return redirect(_draft_url(draft, "offers"))
    content = copy.deepcopy(draft.content)
    components = _offer_of(draft, content, index).get("components") or []
    if not 0 <= component < len(components):
        raise Http404
    del components[component]
    return _remove(request, draft, content, f"offre-{index}")


def _next_price_day(today: date) -> date:
    first = calendar.first_business_day_of_month(today.year, today.month)
    if first >= today:
        return first
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return calendar.first_business_day_of_month(year, month)


def _price_initial(
    draft: SheetDraft, code: str, components: list[tuple[str, str]]
) -> tuple[date, list[dict[str, Any]]]:
    """The proposal's latest list for the offer, else the list in force, else one line per
    component, with the date it would take effect."""
    today = timezone.localdate()
    proposed = (
        PriceList.objects.filter(draft=draft, offer_code=code, status=PriceListStatus.DRAFT)
        .order_by("-effective_from")
        .first()
    )
    if proposed is not None:
        return proposed.effective_from, [price_line_initial(li) for li in proposed.lines.all()]
    in_force = (
        PriceList.objects.filter(
            supplier_id=draft.supplier_id,
            offer_code=code,
            status=PriceListStatus.PUBLISHED,
            effective_from__lte=today,
        )
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gt=today))
        .order_by("-effective_from")
        .first()
    )
    if in_force is not None:
        return _next_price_day(today), [price_line_initial(li) for li in in_force.lines.all()]
    blank = {"tier_min_quantity": 0, "minimum_quantity": 0, "minimum_term_months": 0}
    return _next_price_day(today), [
        {"component_code": c, **blank, "may_decrease": True, "max_yearly_increase": 0}
        for c, _name in components
    ]


@require_http_methods(["GET", "POST"])
def draft_prices(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """Propose, by hand, the price list of one offer from a first business day of a month."""
    draft = _draft_to_change(request, pk)
    if not _editable(request, draft):
        return redirect(_draft_url(draft, "prix"))
    offer = _offer_of(draft, copy.deepcopy(draft.content), index)
    components = [
        (c.get("code"), f"{c.get('name')} ({c.get('code')})") for c in offer.get("components") or []
    ]
    day, lines = _price_initial(draft, offer.get("code"), components)
    form = PriceListForm(request.POST or None, initial={"effective_from": day})
    formset = PriceLineFormSet(
        request.POST or None,
        initial=lines,
        prefix="lignes",
        form_kwargs={"components": components},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            used = [f for f in formset.forms if f.cleaned_data.get("unit_price") is not None]
            try:
                services.sheet_draft_set_prices(
                    by=request.user,
                    draft=draft,
                    offer_code=offer["code"],
                    effective_from=form.cleaned_data["effective_from"],
                    lines=[f.line() for f in used],
                )
            except ValidationError as exc:
                _apply_price_errors(form, used, exc)
            else:
                messages.success(
                    request,
                    _("Liste de prix proposée pour « %(name)s » à compter du %(day)s.")
                    % {"name": offer.get("name"), "day": form.cleaned_data["effective_from"]},
                )
                return redirect(_draft_url(draft, "prix"))
        status = 422
    return render(
        request,
        "catalogue/draft_prices_form.html",
        {
            "draft": draft,
            "offer": offer,
            "form": form,
            "formset": formset,
            "components": components,
        },
        status=status,
    )


_LINE_PATH = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")
_LINE_FIELDS = {"unit_price_cents": "unit_price", "max_yearly_increase_bp": "max_yearly_increase"}


def _apply_price_errors(form: PriceListForm, used: list[Any], exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for path, errors in exc.message_dict.items():
        match = _LINE_PATH.match(path)
        if match and int(match.group(1)) < len(used):
            line_form = used[int(match.group(1))]
            field = _LINE_FIELDS.get(match.group(2) or "", match.group(2))
            line_form.add_error(field if field in line_form.fields else None, errors)
            form.add_error(
                None,
                [_("Ligne %(n)s : %(m)s") % {"n": int(match.group(1)) + 1, "m": m} for m in errors],
            )
        else:
            form.add_error(path if path in form.fields else None, errors)


@require_POST
def draft_submit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_to_change(request, pk)
    try:
        services.sheet_draft_submit(by=request.user, draft=draft)
    except ValidationError as exc:
        return _draft_page(
            request, draft, status=422, errors=content_error_messages(exc, draft.content)
        )
    messages.success(
        request, _("Proposition soumise au Courtier, qui en a été avisé par courriel.")
    )
    return redirect("catalogue:draft_detail", pk=draft.pk)


@require_POST
def draft_return(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = ReturnForm(request.POST)
    if submit(
        form, lambda data: services.sheet_draft_return(by=request.user, draft=draft, **data)
    ).ok:
        messages.success(
            request,
            _("Proposition renvoyée à %(name)s avec votre commentaire.")
            % {"name": draft.supplier.name},
        )
        return redirect("catalogue:draft_queue")
    draft.refresh_from_db()
    return _draft_page(request, draft, status=422, return_form=form)


@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _visible_draft(request, pk)
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    try:
        version = services.sheet_draft_publish(by=request.user, draft=draft)
    except ValidationError as exc:
        return _draft_page(
            request, draft, status=422, errors=content_error_messages(exc, draft.content)
        )
    messages.success(request, _("Version publiée : %(name)s.") % {"name": version.name})
    return redirect("catalogue:version_detail", pk=version.pk)


@require_POST
def draft_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_to_change(request, pk)
    try:
        services.sheet_draft_abandon(by=request.user, draft=draft)
    except ValidationError as exc:
        return _draft_page(request, draft, status=422, errors=list(exc.messages))
    messages.success(request, _("Proposition abandonnée."))
    return redirect("catalogue:draft_queue")


# --- providers, qualifications, agreements ----------------------------------------------------


def providers(request: HttpRequest) -> HttpResponse:
    """The summary table of service providers per qualification, with their contacts."""
    _require_browse(request)
    return render(
        request,
        "catalogue/providers.html",
        {
            "table": selectors.provider_table(request.user),
            "can_manage": permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE),
        },
    )


def _broker_form_page(
    request: HttpRequest, form: Any, action: Any, *, title: str, success: str, done_url: str
) -> HttpResponse:
    if request.method == "POST":
        done = submit(form, action)
        if done.ok:
            messages.success(request, success % {"name": done.result})
            return redirect(done_url)
    return render(
        request,
        "catalogue/broker_form.html",
        {"form": form, "title": title, "back": reverse("catalogue:providers")},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def qualification_create(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = QualificationForm(request.POST or None)
    return _broker_form_page(
        request,
        form,
        lambda data: services.qualification_create(by=request.user, **data),
        title=_("Nouvelle qualification"),
        success=_("Qualification créée : %(name)s."),
        done_url=reverse("catalogue:providers"),
    )


@require_http_methods(["GET", "POST"])
def provider_qualify(request: HttpRequest) -> HttpResponse:
    permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = ProviderQualifyForm(request.POST or None)
    return _broker_form_page(
        request,
        form,
        lambda data: services.provider_qualify(by=request.user, **data),
        title=_("Qualifier un prestataire"),
        success=_("Prestataire qualifié : %(name)s."),
        done_url=reverse("catalogue:providers"),
    )


@require_http_methods(["GET", "POST"])
def agreement_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record (no pk) or correct an entente-cadre."""
    agreement = None
    if pk is not None:
        agreement = permissions.get_visible_or_404(
            request.user, FrameworkAgreement.objects.select_related("organisation"), pk=pk
        )
        permissions.require_change(request.user, agreement)
    else:
        permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)
    initial: dict[str, Any] = {}
    if agreement is not None:
        initial = {
            "organisation": agreement.organisation,
            "number": agreement.number,
            "title": agreement.title,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "status": agreement.status,
            "categories": list(agreement.categories.all()),
        }
    elif request.GET.get("organisation", "").isdigit():
        initial = {"organisation": int(request.GET["organisation"])}
    form = AgreementForm(request.POST or None, initial=initial)
    done_url = reverse("catalogue:providers")
    if agreement is not None and agreement.organisation.kind == OrganisationKind.SUPPLIER:
        done_url = reverse("catalogue:sheet", args=[agreement.organisation_id])
    return _broker_form_page(
        request,
        form,
        lambda data: services.framework_agreement_save(
            by=request.user, agreement=agreement, **data
        ),
        title=_("Modifier l'entente-cadre") if agreement else _("Enregistrer une entente-cadre"),
        success=_("Entente-cadre enregistrée : %(name)s."),
        done_url=done_url,
    )


# --- subscriptions ----------------------------------------------------------------------------


def _published_suppliers(user: Any) -> Any:
    versions = permissions.scope(user, SheetVersion.objects.all())
    return Organisation.objects.filter(pk__in=versions.values("supplier_id")).order_by("name")


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """My subscriptions to the Catalogue's changes (004 §3.2)."""
    _require_browse(request)
    form = SubscriptionForm(request.POST or None, suppliers=_published_suppliers(request.user))
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.WRITE)
        done = submit(
            form,
            lambda data: services.subscription_create(by=request.user, **form.scope_arguments()),
        )
        if done.ok:
            messages.success(request, _("Abonnement enregistré."))
            return redirect("catalogue:subscriptions")
    return render(
        request,
        "catalogue/subscriptions.html",
        {
            "form": form,
            "subscriptions": permissions.scope(
                request.user, Subscription.objects.select_related("category", "supplier")
            ),
            "can_write": permissions.has_perm(request.user, Perm.WRITE),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = permissions.get_visible_or_404(request.user, Subscription.objects.all(), pk=pk)
    services.subscription_delete(by=request.user, subscription=subscription)
    messages.success(request, _("Abonnement retiré."))
    return redirect("catalogue:subscriptions")


# --- supporting documents and files -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """Templates and guides with their versions (latest first); the broker publishes here."""
    _require_browse(request)
    can_publish = permissions.has_perm(request.user, Perm.PUBLISH_CATALOGUE)
    form = SupportingDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        permissions.require_perm(request.user, Perm.PUBLISH_CATALOGUE)

        def publish(data: dict[str, Any]) -> Any:
            upload = Upload.from_form(data["file"])
            return services.supporting_document_publish(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                notes=data["notes"],
                file_name=upload.name,
                content=upload.content,
                content_type=upload.content_type,
            )

        done = submit(form, publish)
        if done.ok:
            messages.success(
                request,
                _("Version %(n)s publiée : %(title)s.")
                % {"n": done.result.number, "title": done.result.document.title},
            )
            return redirect("catalogue:documents")
    docs = permissions.scope(request.user, SupportingDocument.objects.all()).prefetch_related(
        Prefetch(
            "versions",
            queryset=SupportingDocumentVersion.objects.select_related("file").order_by("-number"),
        )
    )
    return render(
        request,
        "catalogue/documents.html",
        {"documents": docs, "form": form, "can_publish": can_publish},
        status=422 if form.errors else 200,
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.get_visible_or_404(
        request.user, SupportingDocumentVersion.objects.select_related("file"), pk=pk
    )
    return stored_file_response(version.file)


def file_download(request: HttpRequest, sha256: str) -> HttpResponse:
    """A stored file, to whoever may see something that points at it: a supporting document's
    version, a sheet version or a proposal listing it among its documents, a price import."""
    if not SHA256.match(sha256):
        raise Http404
    stored = StoredFile.objects.filter(sha256=sha256).first()
    if stored is None:
        raise Http404
    user = request.user
    if permissions.scope(user, SupportingDocumentVersion.objects.filter(file=stored)).exists():
        return stored_file_response(stored)
    if permissions.scope(user, PriceImport.objects.filter(file=stored)).exists():
        return stored_file_response(stored)
    for model in (SheetVersion, SheetDraft):
        if model is SheetDraft and not _may_see_drafts(user):
            continue
        rows = permissions.scope(user, model.objects.filter(content__icontains=sha256))
        for content in rows.values_list("content", flat=True)[:50]:
            docs = content.get("documents", []) if isinstance(content, dict) else []
            for doc in docs:
                if isinstance(doc, Mapping) and doc.get("file_sha256") == sha256:
                    return stored_file_response(stored, str(doc.get("file_name") or "") or None)
    raise Http404
