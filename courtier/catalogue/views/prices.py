"""Proposing, by hand, the price list of one offer of a proposal, from the first business day
of a month (DOMAIN §2; 004 §3.2); a price file is imported by the pages of pricefile/views.py."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courtier.calendar import selectors as calendar
from courtier.catalogue.forms import PriceLineFormSet, PriceListForm, price_line_initial
from courtier.catalogue.models import PriceList, PriceListStatus, SheetDraft
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.catalogue.views.access import draft_to_change, draft_url, editable
from courtier.catalogue.views.drafts import offer_of


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
    draft = draft_to_change(request, pk)
    if not editable(request, draft):
        return redirect(draft_url(draft, "prix"))
    offer = offer_of(draft, copy.deepcopy(draft.content), index)
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
                sheet_draft_set_prices(
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
                return redirect(draft_url(draft, "prix"))
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
