"""What the acquisition pages share: who may open files and for which bodies, the page's
anchors, the service's refusals shown on a form, and the small display helpers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import Membership, Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.acquisitions import rules
from courtier.acquisitions.models import AcquisitionFile, CandidateOffer
from courtier.acquisitions.views.steps import ANCHOR_STEPS, step_url
from courtier.catalogue.models import Component, Offer, OfferStatus

# Going back and abandoning are confirmed on a page of their own first.
CONFIRMED_ACTIONS = (rules.Action.GO_BACK, rules.Action.ABANDON)
# One anchor per step of the guided page.
STEP_ANCHORS = {number: f"etape-{number}" for number in range(1, len(rules.STEP_ORDER) + 1)}


def _clients_run_by(user: Any) -> list[Organisation]:
    ids = permissions.grants(user).organisations_with(Perm.RUN_ACQUISITIONS)
    return list(
        Organisation.objects.filter(
            pk__in=ids,
            kind__in=[OrganisationKind.CLIENT, OrganisationKind.GROUP_PURCHASER],
            is_active=True,
        ).order_by("name")
    )


def _member_choices(user: Any, file: AcquisitionFile) -> list[Organisation]:
    """The member bodies this person enters consumption for: all of them for the group
    purchaser's people, their own body for a member's people (seed 003)."""
    if not file.is_group_purchase:
        return []
    members = file.client.members.order_by("name")
    runs = permissions.grants(user).organisations_with(Perm.RUN_ACQUISITIONS)
    if not permissions.has_perm(user, Perm.WRITE):
        return []
    if file.client_id in runs:
        return list(members)
    return [m for m in members if m.pk in runs]


def _url(file: AcquisitionFile, anchor: str = "") -> str:
    """Where a POST redirects (PRG): the URL of the step that holds ``anchor``, at it."""
    number = ANCHOR_STEPS.get(anchor)
    if number is None:
        url = reverse("acquisitions:file_detail", args=[file.pk])
    else:
        url = step_url(file, number)
    return f"{url}#{anchor}" if anchor and not anchor.startswith("etape-") else url


def _apply(form: django_forms.Form, exc: ValidationError, field_for: Callable[[str], str]) -> None:
    """A service's refusal shown on the form: each message on its field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        field = field_for(key)
        form.add_error(field if field in form.fields else None, errors)


def _run(
    form: django_forms.Form,
    action: Callable[[dict[str, Any]], Any],
    field_for: Callable[[str], str] = lambda key: key,
) -> tuple[bool, Any]:
    if not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except ValidationError as exc:
        _apply(form, exc, field_for)
        return False, None


def _with_errors(form: django_forms.Form, errors: Mapping[str | None, Any]) -> django_forms.Form:
    """Problems found later (when moving on) shown on an unbound form that keeps its values."""
    form.cleaned_data = {}
    form._errors = ErrorDict()
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)
    return form


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _quantities_summary(quantities: list[int]) -> str:
    if not quantities:
        return "—"
    if len(set(quantities)) == 1:
        return _("%(q)s chaque mois") % {"q": quantities[0]}
    used = [m + 1 for m, q in enumerate(quantities) if q]
    if len(used) <= 3:
        # One-off activities (entry, exit): say when, not a first-to-last trend.
        return _("%(total)s au total, au mois %(months)s") % {
            "total": sum(quantities),
            "months": ", ".join(str(m) for m in used),
        }
    return _("de %(first)s à %(last)s (maximum %(max)s)") % {
        "first": quantities[0],
        "last": quantities[-1],
        "max": max(quantities),
    }


def _offer_choices(candidates: list[CandidateOffer]) -> list[tuple[int, str]]:
    return [(c.offer_id, f"{c.offer.name} — {c.offer.supplier.name}") for c in candidates]


def _component_names(offer_ids: list[int]) -> dict[tuple[int, str], str]:
    return {
        (offer_id, code): f"{name} ({code})"
        for offer_id, code, name in Component.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "code", "name"
        )
    }


def _candidate(file: AcquisitionFile, pk: int) -> CandidateOffer:
    candidate = (
        CandidateOffer.objects.filter(file=file, pk=pk).select_related("offer", "file").first()
    )
    if candidate is None:
        raise Http404
    return candidate


def _offers_to_pick(user: Any, file: AcquisitionFile) -> list[tuple[int, str]]:
    """The offers the file's list may still take (issue 10, point 7: picked, not typed): the
    qualified offers of the latest sheets this person sees, in the file's category, not yet
    listed."""
    offers = (
        permissions.scope(user, Offer.objects.select_related("supplier"))
        .filter(status=OfferStatus.QUALIFIED, version__isnull=False)
        .exclude(pk__in=file.candidates.values("offer_id"))
        .order_by("supplier__name", "name")
    )
    if file.category_id:
        offers = offers.filter(category_id=file.category_id)
    return [(o.pk, f"{o.name} — {o.supplier.name} ({o.code})") for o in offers[:500]]


def _meeting_people(file: AcquisitionFile) -> list[dict[str, Any]]:
    """Who may be convened to the startup meeting (002 §2.5; issue 10, point 7): the active
    people of the client, of the broker and of the chosen scenario's supplier, each with the
    role the service stores (client, broker, supplier)."""
    chosen = file.scenarios.filter(chosen=True).values_list("supplier_id", flat=True).first()
    roles = {file.client_id: "client"}
    if chosen:
        roles[chosen] = "supplier"
    rows = (
        Membership.objects.filter(user__is_active=True)
        .filter(Q(organisation_id__in=list(roles)) | Q(organisation__kind=OrganisationKind.BROKER))
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        role = roles.get(row.organisation_id, "broker")
        people.setdefault(
            row.user_id,
            {
                "id": row.user_id,
                "name": str(row.user.get_full_name() or row.user.email),
                "email": row.user.email,
                "role": role,
                "organisation": row.organisation.name,
            },
        )
    return list(people.values())
