"""Pages of the price-file import (issue 3 §4): upload a file onto a proposal, then follow its
progress (htmx polls the status every second) and read the result: counts, or every refused
row with its line, column and reason."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from courtier.accounts import permissions
from courtier.catalogue import rules
from courtier.catalogue.messages import FILE_TOO_LARGE
from courtier.catalogue.models import ImportStatus, PriceImport, SheetDraft
from courtier.catalogue.pricefile.layout import COLUMNS
from courtier.catalogue.pricefile.reaping import price_import_reap_one
from courtier.catalogue.pricefile.uploads import price_import_create
from courtier.core.forms import submit

RECENT_IMPORTS = 10


class PriceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de prix"),
        help_text=_(
            "CSV (séparé par des points-virgules ou des virgules, UTF-8) ou classeur XLSX, une "
            "ligne par palier de prix, avec l'en-tête décrit dans la documentation."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > settings.PRICE_FILE_MAX_BYTES:
            raise forms.ValidationError(
                FILE_TOO_LARGE % {"max": settings.PRICE_FILE_MAX_BYTES // 1_000_000}
            )
        return upload


@require_http_methods(["GET", "POST"])
def price_import_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a price file onto a proposal (its supplier's representatives, the broker's
    catalogue editors). The file is kept and imported in the background."""
    draft = permissions.get_visible_or_404(
        request.user, SheetDraft.objects.select_related("supplier"), pk=pk
    )
    permissions.require_change(request.user, draft)
    form = PriceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: price_import_create(
                by=request.user,
                draft=draft,
                name=data["file"].name,
                stream=data["file"],
                content_type=data["file"].content_type or "",
            ),
        )
        if done.ok:
            return redirect("catalogue:price_import_detail", pk=done.result.pk)
    imports = PriceImport.objects.filter(draft=draft).select_related("file")[:RECENT_IMPORTS]
    return render(
        request,
        "catalogue/price_import_new.html",
        {
            "draft": draft,
            "form": form,
            "editable": draft.status in rules.EDITABLE_DRAFT_STATES,
            "imports": imports,
            "columns": COLUMNS,
        },
        status=422 if form.errors else 200,
    )


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


def price_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its result. Asked by htmx, only the status part, which
    keeps polling while the import is queued or running."""
    price_import = permissions.get_visible_or_404(
        request.user,
        PriceImport.objects.select_related("draft__supplier", "file", "created_by"),
        pk=pk,
    )
    price_import = price_import_reap_one(price_import)  # its task failed or its worker died
    done, total = price_import.rows_done, price_import.rows_total
    context = {
        "price_import": price_import,
        "draft": price_import.draft,
        "in_progress": price_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "writing": price_import.status == ImportStatus.RUNNING and total and done >= total,
        "percent": min(100, done * 100 // total) if total else 0,
        "rows_done": _count(done),
        "rows_total": _count(total),
        "lines_imported": _count(price_import.lines_imported),
        "error_count": _count(price_import.error_count),
        "errors_cut": price_import.error_count > len(price_import.errors),
        "shown": _count(len(price_import.errors)),
    }
    template = (
        "catalogue/price_import_status.html"
        if getattr(request, "htmx", False)
        else "catalogue/price_import_detail.html"
    )
    return render(request, template, context)
