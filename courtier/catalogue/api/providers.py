"""API: the qualifications for professional or technical services with the providers qualified
in them (002 §3), and the framework agreements signed by the broker (DOMAIN §1)."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from courtier.accounts import permissions
from courtier.catalogue.api.schemas import AgreementOut, QualificationOut
from courtier.catalogue.models import (
    AgreementStatus,
    FrameworkAgreement,
    ProviderQualification,
    Qualification,
)
from courtier.core.apierrors import ERRORS, MAX_ID
from courtier.core.pagination import Pagination

router = Router()


@router.get(
    "/qualifications",
    response={200: list[QualificationOut], **ERRORS},
    summary="Qualifications et prestataires qualifiés",
    description="Chaque qualification, la description de ses services et ses prestataires, "
    "avec leurs personnes-ressources.",
)
@paginate(Pagination)
def qualification_list(request: HttpRequest, active: bool | None = None):
    providers = permissions.scope(
        request.user,
        ProviderQualification.objects.select_related("provider", "agreement").order_by(
            "provider__name", "pk"
        ),
    )
    qualifications = permissions.scope(request.user, Qualification.objects.all())
    if active is not None:
        qualifications = qualifications.filter(is_active=active)
    return qualifications.order_by("name", "pk").prefetch_related(
        Prefetch("providers", queryset=providers)
    )


@router.get(
    "/agreements",
    response={200: list[AgreementOut], **ERRORS},
    summary="Ententes-cadres",
)
@paginate(Pagination)
def agreement_list(
    request: HttpRequest,
    organisation: int | None = Query(None, ge=1, le=MAX_ID),
    status: AgreementStatus | None = None,
):
    agreements = permissions.scope(request.user, FrameworkAgreement.objects.all())
    if organisation:
        agreements = agreements.filter(organisation_id=organisation)
    if status:
        agreements = agreements.filter(status=status)
    return (
        agreements.select_related("organisation")
        .prefetch_related("categories")
        .order_by("number", "pk")
    )
