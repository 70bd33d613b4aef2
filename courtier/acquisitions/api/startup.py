"""Step 5 (002 §2.5): the broker convenes the startup meeting, then freezes the strategy."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from courtier.acquisitions import selectors
from courtier.acquisitions.api.answers import _strategy
from courtier.acquisitions.api.schemas import MeetingIn, MeetingOut, StrategyOut
from courtier.acquisitions.models import AcquisitionFile
from courtier.acquisitions.services import startup as startup_services
from courtier.calendar import rules as calendar_rules
from courtier.calendar.services import out_of_calendar_error
from courtier.core.apierrors import ERRORS, path_id

router = Router()


@router.post(
    "/files/{file_id}/startup-meeting",
    response={201: MeetingOut, **ERRORS},
    summary="Convoquer la rencontre de démarrage (Courtier)",
    description=(
        "Une fois chaque préalable satisfait (002 §2.5) ; la plateforme en rédige l'ordre du "
        "jour, versé aux documents du dossier."
    ),
)
def startup_meeting(request: HttpRequest, payload: MeetingIn, file_id: int = path_id()):
    file = selectors.file_to_manage(request.user, file_id)
    when = payload.scheduled_for
    if when.year not in calendar_rules.SUPPORTED_YEARS:
        raise out_of_calendar_error("scheduled_for")
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    meeting = startup_services.startup_meeting_schedule(
        by=request.user,
        file=file,
        scheduled_for=when,
        participants=[p.model_dump() for p in payload.participants],
    )
    return Status(201, meeting)


@router.post(
    "/files/{file_id}/strategy",
    response={201: StrategyOut, **ERRORS},
    summary="Figer la stratégie d'acquisition (Courtier)",
    description=(
        "Après la rencontre de démarrage : offres, composantes, quantités dans le temps, "
        "durée, montant total et versions de fiche sont figés et remis à la préparation du "
        "contrat."
    ),
)
def strategy_freeze(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_manage(request.user, file_id)
    startup_services.strategy_freeze(by=request.user, file=file)
    file = AcquisitionFile.objects.select_related("strategy__supplier").get(pk=file.pk)
    return Status(201, _strategy(file))
