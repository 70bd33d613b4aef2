"""The Catalogue's home (004 §3.2): the offer search with its filters and the summary table of
offers, and that table exported as CSV or XLSX. For the people who may browse the Catalogue
(public bodies and the broker)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.catalogue import selectors
from courtier.catalogue.forms import OfferSearchForm
from courtier.catalogue.models import DataCentre, Offer, OfferStatus
from courtier.catalogue.views.access import EXPORT_FORMATS, PAGE_SIZE, require_browse


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
    require_browse(request)
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
    htmx = getattr(request, "htmx", None)
    # A history restore (Back after htmx's own cache missed) needs the whole page.
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        template = "catalogue/_results.html"
    return render(request, template, context)


def export_offers(request: HttpRequest) -> HttpResponse:
    """The summary table of the offers matching the filters, as CSV or XLSX."""
    require_browse(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    from courtier.catalogue import exports

    form = _search_form(request)
    return exports.offers_export(request.user, form.filters(), fmt)
