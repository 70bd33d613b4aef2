"""API: the Catalogue's categories, the offer search (filters, sort, a window of results) and
an offer's details with its price lists in force and scheduled (DOMAIN §2; 004 §3.2)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.catalogue import selectors
from courtier.catalogue.api.common import LinesQuery
from courtier.catalogue.api.schemas import CategoryOut, OfferDetailOut, OfferOut, OfferQuery
from courtier.catalogue.models import Category, Offer
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import WindowPagination

router = Router()


@router.get(
    "/categories",
    response={200: list[CategoryOut], **ERRORS},
    summary="Volets du Catalogue",
)
def category_list(request: HttpRequest):
    return list(permissions.scope(request.user, Category.objects.all()))


@router.get(
    "/offers",
    response={200: list[OfferOut], **ERRORS},
    summary="Chercher des offres",
    description=(
        "Les offres que la personne peut voir, filtrées (volet, fournisseur, statut, lieu "
        "d'hébergement, renseignements personnels, langue de formation, fourchette de prix "
        "en vigueur aujourd'hui pour une unité) et triées. Recherche en français sans égard "
        "aux accents ni à la casse. La réponse donne une page et indique s'il en reste "
        "(`has_more`) sans compter toutes les offres trouvées."
    ),
)
@paginate(WindowPagination)
def offer_list(request: HttpRequest, filters: Query[OfferQuery]):
    return selectors.offer_search(request.user, filters.filters())


@router.get(
    "/offers/{offer_id}",
    response={200: OfferDetailOut, **ERRORS},
    summary="Une offre",
    description=(
        "L'offre telle que la décrit la dernière version de la fiche du fournisseur : "
        "composantes, centres de données, liste de prix en vigueur aujourd'hui et listes "
        "prévues (prix en cents, et en dollars en texte exact)."
    ),
)
def offer_detail(request: HttpRequest, lines: Query[LinesQuery], offer_id: int = path_id()):
    lines.keep(request)
    return permissions.get_visible_or_404(
        request.user,
        Offer.objects.select_related("supplier", "category", "version"),
        pk=offer_id,
    )
