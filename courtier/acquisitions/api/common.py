"""What the acquisitions API's modules share: the bounds and types of the requests' fields,
the base of every request body, the service errors named after the request's fields, and the
lookups of a file's parts (404 when not the file's) and of a Catalogue offer (422)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path
from pydantic import ConfigDict

from courtier.accounts import permissions
from courtier.acquisitions.messages import UNKNOWN_OFFER
from courtier.acquisitions.models import AcquisitionFile, CandidateOffer, Requirement
from courtier.acquisitions.rules import MAX_NEED_CODE
from courtier.catalogue.models import Offer
from courtier.core.apierrors import MAX_ID
from courtier.core.apifields import NUL_CHARACTER, NulFree, StrictInt
from courtier.core.validation import MAX_CENTS

MAX_MAPPING = 200  # needs mapped at once


def _text(max_length: int, *, required: bool = False) -> Any:
    return Annotated[str, Field(min_length=1 if required else 0, max_length=max_length)]


Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
# The bounds of the pages' amounts (core.validation.dollars_to_cents), in cents.
Cents = Annotated[StrictInt, Field(ge=-MAX_CENTS, le=MAX_CENTS, description="Montant en cents")]


class _In(NulFree):
    """A request body: unknown fields are refused, text may not hold NUL characters."""

    model_config = ConfigDict(extra="forbid")


@contextmanager
def _fields(**renamed: str) -> Iterator[None]:
    """A service's errors named after the request's fields (``offer`` -> ``offer_id``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {renamed.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def _no_nul_path(value: str, field: str) -> str:
    if "\x00" in value:
        raise ValidationError({field: NUL_CHARACTER})
    return value


NeedCode = Annotated[
    str,
    Path(..., min_length=1, max_length=MAX_NEED_CODE, description="Code du besoin, ex. postes"),
]
AnswerValue = str | bool | None


def _candidate_of(file: AcquisitionFile, candidate_id: int) -> CandidateOffer:
    candidate = (
        file.candidates.select_related("offer__supplier", "version_seen", "file")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


def _offer_for(request: HttpRequest, offer_id: int, field: str = "offer_id") -> Offer:
    """An offer of the Catalogue this person can read, else a 422 on ``field``."""
    offer = (
        permissions.scope(request.user, Offer.objects.select_related("supplier", "category"))
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise ValidationError({field: UNKNOWN_OFFER})
    return offer


def _requirement_of(file: AcquisitionFile, requirement_id: int) -> Requirement:
    requirement = file.requirements.filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404
    return requirement
