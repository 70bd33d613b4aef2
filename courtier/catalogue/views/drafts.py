"""Editing a proposal section by section (DOMAIN §2): starting it from the version in force,
its summary and configurator link, the items of each section (offers, data centres, security
answers, documents with their files, contacts) and the components of each offer."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.catalogue import labels, rules
from courtier.catalogue.forms import (
    SECTION_FORMS,
    ComponentForm,
    DraftGeneralForm,
    ItemForm,
    OfferItemForm,
)
from courtier.catalogue.models import SheetDraft
from courtier.catalogue.services.drafts import sheet_draft_create, sheet_draft_update
from courtier.catalogue.views.access import (
    draft_to_change,
    draft_url,
    editable,
    may_propose,
    sheet_supplier,
)
from courtier.catalogue.views.display import apply_content_errors, content_error_messages
from courtier.catalogue.views.review import draft_page
from courtier.files.services import stored_file_save
from courtier.files.uploads import Upload


@require_POST
def draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a proposal for a supplier's sheet (from the version in force)."""
    supplier = sheet_supplier(request, pk)
    if not may_propose(request.user, supplier):
        raise PermissionDenied
    try:
        draft = sheet_draft_create(
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


@require_http_methods(["GET", "POST"])
def draft_general(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal's summary and the supplier's configurator link."""
    draft = draft_to_change(request, pk)
    if not editable(request, draft):
        return redirect(draft_url(draft))
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
            sheet_draft_update(
                by=request.user,
                draft=draft,
                content=content,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            apply_content_errors(form, exc, "", content)
        else:
            messages.success(request, _("Proposition modifiée."))
            return redirect(draft_url(draft))
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
    try:
        # The file and the content it joins are kept together, or neither (a refused content
        # leaves no file behind in the store).
        with transaction.atomic():
            if upload is not None:
                stored = stored_file_save(by=request.user, **Upload.from_form(upload).as_kwargs())
                item["file_sha256"], item["file_name"] = stored.sha256, upload.name
            if index is None:
                items.append(item)
            else:
                items[index] = item
            sheet_draft_update(by=request.user, draft=draft, content=content)
    except ValidationError as exc:
        apply_content_errors(form, exc, prefix, content)
        return False
    return True


@require_http_methods(["GET", "POST"])
def draft_item(
    request: HttpRequest, pk: int, section: str, index: int | None = None
) -> HttpResponse:
    """Add (no index) or edit one item of a section of the proposal."""
    draft = draft_to_change(request, pk)
    if section not in SECTION_FORMS:
        raise Http404
    key, form_class, title = SECTION_FORMS[section]
    if not editable(request, draft):
        return redirect(draft_url(draft, key))
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
            return redirect(draft_url(draft, key))
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
        sheet_draft_update(by=request.user, draft=draft, content=content)
    except ValidationError as exc:
        return draft_page(request, draft, status=422, errors=content_error_messages(exc, content))
    messages.success(request, _("Élément retiré de la proposition."))
    return redirect(draft_url(draft, anchor))


@require_POST
def draft_item_remove(request: HttpRequest, pk: int, section: str, index: int) -> HttpResponse:
    draft = draft_to_change(request, pk)
    if section not in SECTION_FORMS:
        raise Http404
    key = SECTION_FORMS[section][0]
    if not editable(request, draft):
        return redirect(draft_url(draft, key))
    content = copy.deepcopy(draft.content)
    items = content.get(key, [])
    if not 0 <= index < len(items):
        raise Http404
    del items[index]
    return _remove(request, draft, content, key)


def offer_of(draft: SheetDraft, content: dict[str, Any], index: int) -> dict[str, Any]:
    offers = content.get("offers", [])
    if not 0 <= index < len(offers) or not isinstance(offers[index], dict):
        raise Http404
    return offers[index]


@require_http_methods(["GET", "POST"])
def draft_component(
    request: HttpRequest, pk: int, index: int, component: int | None = None
) -> HttpResponse:
    """Add or edit one component of an offer of the proposal."""
    draft = draft_to_change(request, pk)
    if not editable(request, draft):
        return redirect(draft_url(draft, "offers"))
    content = copy.deepcopy(draft.content)
    offer = offer_of(draft, content, index)
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
            return redirect(draft_url(draft, f"offre-{index}"))
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
    draft = draft_to_change(request, pk)
    if not editable(request, draft):
        return redirect(draft_url(draft, "offers"))
    content = copy.deepcopy(draft.content)
    components = offer_of(draft, content, index).get("components") or []
    if not 0 <= component < len(components):
        raise Http404
    del components[component]
    return _remove(request, draft, content, f"offre-{index}")
