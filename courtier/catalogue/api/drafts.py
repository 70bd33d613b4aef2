"""API: proposals of changes to a supplier's sheet and their review by the broker (DOMAIN §2):
started from the version in force, their content and price lists replaced whole (every problem
answered 422 with its path), then submitted, returned, published or abandoned."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.calendar import rules as calendar_rules
from courtier.calendar.services import out_of_calendar_error
from courtier.catalogue.api.common import LinesQuery
from courtier.catalogue.api.content import DraftContentIn, PricesIn
from courtier.catalogue.api.schemas import (
    DraftCreateIn,
    DraftDetailOut,
    DraftOut,
    PriceListOut,
    ReturnIn,
    VersionOut,
)
from courtier.catalogue.messages import UNKNOWN_SUPPLIER
from courtier.catalogue.models import DraftStatus, SheetDraft
from courtier.catalogue.services.drafts import (
    sheet_draft_abandon,
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.core.apierrors import ERRORS, MAX_ID, path_id
from courtier.core.pagination import Pagination

router = Router()


def _visible_draft(request: HttpRequest, draft_id: int) -> SheetDraft:
    return permissions.get_visible_or_404(
        request.user, SheetDraft.objects.select_related("supplier", "version"), pk=draft_id
    )


@router.get(
    "/drafts",
    response={200: list[DraftOut], **ERRORS},
    summary="Propositions de modification de fiche",
    description=(
        "Le Courtier voit toutes les propositions ; un fournisseur seulement les siennes. "
        "Les plus récemment modifiées d'abord."
    ),
)
@paginate(Pagination)
def draft_list(
    request: HttpRequest,
    status: DraftStatus | None = None,
    supplier: int | None = Query(None, ge=1, le=MAX_ID),
):
    drafts = permissions.scope(
        request.user, SheetDraft.objects.select_related("supplier", "version")
    )
    if status:
        drafts = drafts.filter(status=status)
    if supplier:
        drafts = drafts.filter(supplier_id=supplier)
    return drafts.order_by("-updated_at", "-pk")


@router.post(
    "/drafts",
    response={201: DraftDetailOut, **ERRORS},
    summary="Commencer une proposition de modification",
    description=(
        "À partir de la version en vigueur de la fiche du fournisseur (ou d'une fiche vide). "
        "Une seule proposition ouverte par fournisseur."
    ),
)
def draft_create(request: HttpRequest, payload: DraftCreateIn):
    # Those who read the Catalogue but may propose nothing (clients, auditors) are refused
    # outright, as on the sheet's page; the service decides for everyone else.
    if permissions.has_perm(request.user, Perm.BROWSE_CATALOGUE) and not permissions.has_perm(
        request.user, Perm.PROPOSE_SHEET
    ):
        raise PermissionDenied
    supplier = Organisation.objects.filter(
        pk=payload.supplier, kind=OrganisationKind.SUPPLIER
    ).first()
    if supplier is None:
        raise ValidationError({"supplier": UNKNOWN_SUPPLIER})
    draft = sheet_draft_create(by=request.user, supplier=supplier, summary=payload.summary)
    return Status(201, draft)


@router.get(
    "/drafts/{draft_id}",
    response={200: DraftDetailOut, **ERRORS},
    summary="Une proposition de modification",
    description="Son contenu, ses listes de prix proposées et l'écart avec la version en vigueur.",
)
def draft_detail(request: HttpRequest, lines: Query[LinesQuery], draft_id: int = path_id()):
    lines.keep(request)
    return _visible_draft(request, draft_id)


@router.put(
    "/drafts/{draft_id}",
    response={200: DraftDetailOut, **ERRORS},
    summary="Remplacer le contenu proposé",
    description=(
        "Le contenu entier de la fiche. Refusé en entier (422) si quoi que ce soit ne va pas, "
        "chaque problème nommé par son chemin, par exemple offers[0].components[1].code."
    ),
)
def draft_update(request: HttpRequest, payload: DraftContentIn, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    body = payload.checked()
    content = body.model_dump(mode="json", exclude_unset=True, exclude={"summary"})
    return sheet_draft_update(by=request.user, draft=draft, content=content, summary=body.summary)


@router.put(
    "/drafts/{draft_id}/prices",
    response={200: PriceListOut, **ERRORS},
    summary="Proposer la liste de prix d'une offre",
    description=(
        "Remplace la liste proposée pour la même offre et la même date. Les prix ne changent "
        "que le premier jour ouvrable d'un mois, aujourd'hui ou plus tard."
    ),
)
def draft_set_prices(request: HttpRequest, payload: PricesIn, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    body = payload.checked()
    if body.effective_from.year not in calendar_rules.SUPPORTED_YEARS:
        raise out_of_calendar_error("effective_from")
    return sheet_draft_set_prices(
        by=request.user,
        draft=draft,
        offer_code=body.offer_code,
        effective_from=body.effective_from,
        lines=[line.model_dump(mode="json") for line in body.lines],
    )


@router.post(
    "/drafts/{draft_id}/submit",
    response={200: DraftOut, **ERRORS},
    summary="Soumettre la proposition au Courtier",
)
def draft_submit(request: HttpRequest, draft_id: int = path_id()):
    return sheet_draft_submit(by=request.user, draft=_visible_draft(request, draft_id))


@router.post(
    "/drafts/{draft_id}/return",
    response={200: DraftOut, **ERRORS},
    summary="Renvoyer la proposition au fournisseur",
    description="Réservé au Courtier, avec ce que le fournisseur doit corriger.",
)
def draft_return(request: HttpRequest, payload: ReturnIn, draft_id: int = path_id()):
    return sheet_draft_return(
        by=request.user, draft=_visible_draft(request, draft_id), comment=payload.comment
    )


@router.post(
    "/drafts/{draft_id}/publish",
    response={201: VersionOut, **ERRORS},
    summary="Publier la proposition",
    description=(
        "Réservé au Courtier : crée la nouvelle version datée de la fiche, avec son historique "
        "des modifications, et publie ses listes de prix."
    ),
)
def draft_publish(request: HttpRequest, draft_id: int = path_id()):
    draft = _visible_draft(request, draft_id)
    return Status(201, sheet_draft_publish(by=request.user, draft=draft))


@router.post(
    "/drafts/{draft_id}/abandon",
    response={200: DraftOut, **ERRORS},
    summary="Abandonner la proposition",
)
def draft_abandon(request: HttpRequest, draft_id: int = path_id()):
    return sheet_draft_abandon(by=request.user, draft=_visible_draft(request, draft_id))
