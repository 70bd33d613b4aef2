"""Pages of the Catalogue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtier.accounts import permissions
from courtier.catalogue.models import SheetDraft, SheetVersion


def home(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = permissions.get_visible_or_404(request.user, SheetVersion.objects.all(), pk=pk)
    return render(request, "catalogue/version_detail.html", {"version": version})


def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = permissions.get_visible_or_404(request.user, SheetDraft.objects.all(), pk=pk)
    return render(request, "catalogue/draft_detail.html", {"draft": draft})
