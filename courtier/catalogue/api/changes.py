"""API: what changed in some offers since a date (004 §3.2), for an acquisition in progress: the
sheet versions published since that changed each offer, with its price changes."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router

from courtier.catalogue import selectors
from courtier.catalogue.api.schemas import ChangesQuery, OfferChangesOut
from courtier.catalogue.messages import OFFER_IDS_FORMAT, TOO_MANY_OFFERS
from courtier.catalogue.models import Offer
from courtier.core.apierrors import ERRORS, MAX_ID

router = Router()

MAX_OFFERS_ASKED = 500


def _offer_ids(text: str) -> list[int]:
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and len(part) <= 19 and 1 <= int(part) <= MAX_ID):
            raise ValidationError({"offers": OFFER_IDS_FORMAT})
        if int(part) not in ids:
            ids.append(int(part))
    if len(ids) > MAX_OFFERS_ASKED:
        raise ValidationError({"offers": TOO_MANY_OFFERS % {"n": MAX_OFFERS_ASKED}})
    return ids


@router.get(
    "/changes",
    response={200: list[OfferChangesOut], **ERRORS},
    summary="Ce qui a changé dans des offres depuis une date",
    description=(
        "Pour chaque offre demandée que la personne peut voir (les autres sont omises) : les "
        "versions de la fiche publiées après la date qui l'ont modifiée (l'offre, ses prix, un "
        "de ses centres de données ou une section commune de la fiche), avec ses changements "
        "de prix. Pour une acquisition en cours (004 §3.2)."
    ),
)
def offer_changes(request: HttpRequest, query: Query[ChangesQuery]):
    ids = _offer_ids(query.offers)
    changes = selectors.changes_since(request.user, ids, query.since)
    rows = {o.pk: o for o in Offer.objects.filter(pk__in=list(changes))}
    answer = []
    for pk in ids:
        if pk not in changes:
            continue
        offer = rows[pk]
        versions = changes[pk]
        for version in versions:
            version.price_changes = [  # type: ignore[attr-defined]
                row for row in version.changes.get("prices", []) if row.get("offer") == offer.code
            ]
        answer.append(
            {"offer_id": pk, "code": offer.code, "name": offer.name, "versions": versions}
        )
    return answer
