"""API: the dated versions of a supplier's sheet, each with its frozen content, its change
history against the previous version and the price lists published with it (004 §3.2)."""

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind
from courtier.accounts.rules import Perm
from courtier.catalogue.api.common import LinesQuery
from courtier.catalogue.api.schemas import VersionDetailOut, VersionOut
from courtier.catalogue.models import SheetVersion
from courtier.core.apierrors import ERRORS, path_id
from courtier.core.pagination import Pagination

router = Router()


@router.get(
    "/suppliers/{supplier_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Versions de la fiche d'un fournisseur",
    description="De la plus récente à la plus ancienne.",
)
@paginate(Pagination)
def version_list(request: HttpRequest, supplier_id: int = path_id()):
    supplier = Organisation.objects.filter(pk=supplier_id, kind=OrganisationKind.SUPPLIER).first()
    # The Catalogue's readers see every sheet; a supplier's people only their own.
    if supplier is None or not (
        permissions.has_perm(request.user, Perm.BROWSE_CATALOGUE)
        or permissions.can_view(request.user, supplier)
    ):
        raise Http404
    return (
        permissions.scope(request.user, SheetVersion.objects.filter(supplier=supplier))
        .select_related("supplier")
        .order_by("-number")
    )


@router.get(
    "/versions/{version_id}",
    response={200: VersionDetailOut, **ERRORS},
    summary="Une version de fiche",
    description=(
        "Le contenu figé de la version, son historique des modifications par rapport à la "
        "version précédente (ajouts, retraits, modifications, et chaque changement de prix) "
        "et les listes de prix publiées avec elle."
    ),
)
def version_detail(request: HttpRequest, lines: Query[LinesQuery], version_id: int = path_id()):
    lines.keep(request)
    return permissions.get_visible_or_404(
        request.user, SheetVersion.objects.select_related("supplier"), pk=version_id
    )
