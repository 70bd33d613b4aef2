"""The list of concluded contracts (002 §4.7, DOMAIN §5.7) for the subscribed clients' people
and the broker's staff (the suppliers' and providers' people are refused): filters by client,
supplier or provider and kind, and the same columns in CSV and XLSX."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from courtier.publication import forms, listing, selectors
from courtier.publication.selectors import ConcludedFilters


def _filtered(request: HttpRequest) -> tuple[Any, Any]:
    every = selectors.concluded_contracts(request.user)  # 403 for who may not read it
    clients, suppliers = selectors.concluded_parties(every)
    form = forms.ConcludedFilterForm(request.GET or None, clients=clients, suppliers=suppliers)
    filters = ConcludedFilters()
    if form.is_bound and form.is_valid():
        filters = ConcludedFilters(
            client=form.cleaned_data["client"],
            supplier=form.cleaned_data["supplier"],
            kind=form.cleaned_data["nature"] or None,
        )
    return form, selectors.concluded_contracts(request.user, filters)


def concluded_list(request: HttpRequest) -> HttpResponse:
    form, contracts = _filtered(request)
    rows = selectors.concluded_rows(contracts[:500])
    query = request.GET.urlencode()
    return render(
        request,
        "publication/concluded_list.html",
        {"form": form, "rows": rows, "query": query, "columns": listing.COLUMNS},
    )


def concluded_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in listing.FORMATS:
        raise Http404
    _form, contracts = _filtered(request)
    rows = selectors.concluded_rows(contracts)
    content = listing.csv_bytes(rows) if fmt == "csv" else listing.xlsx_bytes(rows)
    response = HttpResponse(content, content_type=listing.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{listing.filename(fmt)}"'
    return response
