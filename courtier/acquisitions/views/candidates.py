"""Steps 2-3 (002 §2.2-2.3): the offers of the Catalogue listed for the file, the components
mapped to the needs, the requirements the client judges and the compliance grid."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courtier.accounts import permissions
from courtier.acquisitions import engine_inputs, rules, selectors
from courtier.acquisitions.forms import (
    CandidateAddForm,
    ComplianceForm,
    FilePickForm,
    MappingForm,
    RequirementForm,
)
from courtier.acquisitions.messages import OFFER_CODE_AMBIGUOUS, OFFER_NOT_FOUND
from courtier.acquisitions.models import Requirement
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.views.common import (
    _apply,
    _candidate,
    _clients_run_by,
    _component_names,
    _messages,
    _offers_to_pick,
    _run,
    _url,
)
from courtier.acquisitions.views.page import Cell, _cell_form, _file_page
from courtier.catalogue.models import Offer


@require_POST
def candidates_search(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        added = candidates_services.candidates_from_catalogue(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    if added:
        messages.success(
            request,
            _("%(n)s offres du Catalogue ajoutées à la liste.") % {"n": len(added)}
            if len(added) > 1
            else _("Une offre du Catalogue ajoutée à la liste."),
        )
    else:
        messages.info(request, _("Aucune autre offre du Catalogue ne répond aux filtres."))
    return redirect(_url(file, "offres"))


def _find_offer(user: Any, text: str) -> Offer:
    offers = permissions.scope(user, Offer.objects.select_related("supplier"))
    text = text.strip()
    if text.isdigit():
        found = offers.filter(pk=int(text)).first()
        if found is not None:
            return found
    matches = list(offers.filter(code__iexact=text)[:2])
    if len(matches) > 1:
        raise ValidationError({"offer": OFFER_CODE_AMBIGUOUS})
    if not matches:
        raise ValidationError({"offer": OFFER_NOT_FOUND})
    return matches[0]


@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = CandidateAddForm(
        request.POST, offers=_offers_to_pick(request.user, file), auto_id="id_offre_%s"
    )
    ok, candidate = _run(
        form,
        lambda data: candidates_services.candidate_add(
            by=request.user, file=file, offer=_find_offer(request.user, data["offer"])
        ),
    )
    if ok:
        messages.success(
            request, _("Offre « %(name)s » ajoutée à la liste.") % {"name": candidate.offer.name}
        )
        return redirect(_url(file, "offres"))
    return _file_page(request, file, status=422, candidate_form=form)


@require_POST
def candidate_remove(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    try:
        candidates_services.candidate_remove(by=request.user, candidate=row)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request, _("Offre « %(name)s » retirée de la liste.") % {"name": row.offer.name}
    )
    return redirect(_url(file, "offres"))


@require_POST
def candidates_seen(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    try:
        candidates_services.candidates_mark_seen(by=request.user, file=file)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(
        request,
        _("Modifications prises en compte : la liste suit maintenant les fiches en vigueur."),
    )
    return redirect(_url(file, "offres"))


@require_http_methods(["GET", "POST"])
def candidate_map(request: HttpRequest, pk: int, candidate: int) -> HttpResponse:
    """Which component of the offer covers which need (002 §2.4.1)."""
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    needs = list(file.needs.all())
    priced = engine_inputs.priced_components([row.offer_id], timezone.localdate()).get(
        row.offer_id, {}
    )
    names = _component_names([row.offer_id])
    components = [(code, names.get((row.offer_id, code), code)) for code in sorted(priced)]
    form = MappingForm(
        request.POST or None,
        initial={f"need_{code}": component for code, component in row.mapping.items()},
        needs=needs,
        components=components,
    )
    if request.method == "POST":
        ok, _result = _run(
            form,
            lambda data: candidates_services.candidate_map(
                by=request.user, candidate=row, mapping=form.mapping()
            ),
            lambda key: f"need_{key.split('.', 1)[1]}" if key.startswith("mapping.") else key,
        )
        if ok:
            messages.success(
                request,
                _("Composantes retenues pour « %(name)s » enregistrées.")
                % {"name": row.offer.name},
            )
            return redirect(_url(file, "offres"))
    return render(
        request,
        "acquisitions/mapping_form.html",
        {"file": file, "candidate": row, "form": form, "components": components},
        status=422 if form.errors else 200,
    )


@require_POST
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    form = RequirementForm(request.POST, auto_id="id_exigence_%s")
    ok, requirement = _run(
        form, lambda data: candidates_services.requirement_add(by=request.user, file=file, **data)
    )
    if ok:
        messages.success(request, _("Exigence ajoutée : %(label)s.") % {"label": requirement.label})
        return redirect(_url(file, "conformite"))
    return _file_page(request, file, status=422, requirement_form=form)


@require_POST
def requirement_remove(request: HttpRequest, pk: int, requirement: int) -> HttpResponse:
    file = selectors.file_to_run(request.user, pk)
    row = Requirement.objects.filter(file=file, pk=requirement).select_related("file").first()
    if row is None:
        raise Http404
    try:
        candidates_services.requirement_remove(by=request.user, requirement=row)
    except ValidationError as exc:
        return _file_page(request, file, status=422, errors=_messages(exc))
    messages.success(request, _("Exigence retirée : %(label)s.") % {"label": row.label})
    return redirect(_url(file, "conformite"))


@require_POST
def compliance_cell(
    request: HttpRequest, pk: int, candidate: int, requirement: int
) -> HttpResponse:
    """One cell of the compliance grid: verdict and note. With htmx only the cell comes back."""
    file = selectors.file_to_run(request.user, pk)
    row = _candidate(file, candidate)
    target = Requirement.objects.filter(file=file, pk=requirement).first()
    if target is None:
        raise Http404
    form = ComplianceForm(request.POST, auto_id=f"id_cellule_{row.pk}_{target.pk}_%s")
    ok, record = _run(
        form,
        lambda data: candidates_services.compliance_record(
            by=request.user, candidate=row, requirement=target, **data
        ),
    )
    if getattr(request, "htmx", False):
        # htmx swaps only successful answers: a refused cell comes back with its errors, 200.
        if ok:
            form = _cell_form(row, target, record)
        return render(
            request,
            "acquisitions/_compliance_cell.html",
            {
                "file": file,
                "candidate": row,
                "cell": Cell(target, record, form),
                "saved": ok,
            },
        )
    if ok:
        messages.success(
            request,
            _("Conformité de « %(offer)s » à « %(req)s » : %(verdict)s.")
            % {
                "offer": row.offer.name,
                "req": target.label,
                "verdict": record.get_verdict_display(),
            },
        )
        return redirect(_url(file, "conformite"))
    if target.is_automatic:  # no form in that cell: the refusal goes on top of the page
        messages_ = [str(m) for errors in form.errors.values() for m in errors]
        return _file_page(request, file, status=422, errors=messages_)
    return _file_page(request, file, status=422, cell=((row.pk, target.pk), form))


@require_http_methods(["GET", "POST"])
def offer_to_file(request: HttpRequest, offer: int) -> HttpResponse:
    """« Ajouter à un dossier » from an offer's Catalogue page (issue 10, point 7): the person
    picks one of the open files they run at step 2 or 3, and the offer joins its list through
    the same service as on the file's page. Another organisation's file is not offered and,
    posted anyway, answers 404 (selectors.file_to_run)."""
    found = permissions.get_visible_or_404(
        request.user, Offer.objects.select_related("supplier"), pk=offer
    )
    runs = [
        f
        for f in selectors.files_for(request.user).filter(
            state__in=[rules.State.CATALOGUE, rules.State.COMPLIANCE]
        )
        if selectors.may_run(request.user, f)
    ]
    if not runs and not _clients_run_by(request.user):
        raise PermissionDenied
    choices = [(f.pk, f"{f.reference} — {f.title}") for f in runs]
    form = FilePickForm(request.POST or None, files=choices, auto_id="id_dossier_%s")
    if request.method == "POST" and form.is_valid():
        file = selectors.file_to_run(request.user, form.cleaned_data["file"])
        try:
            candidates_services.candidate_add(by=request.user, file=file, offer=found)
        except ValidationError as exc:
            _apply(form, exc, lambda key: "file")
        else:
            messages.success(
                request,
                _("Offre « %(name)s » ajoutée à la liste du dossier %(ref)s.")
                % {"name": found.name, "ref": file.reference},
            )
            return redirect(_url(file, "offres"))
    return render(
        request,
        "acquisitions/offer_to_file.html",
        {"offer": found, "files": choices, "form": form},
        status=422 if form.errors else 200,
    )
