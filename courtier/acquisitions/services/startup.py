"""Step 5 (002 §2.5): the broker convenes the startup meeting once every prerequisite is met,
then, after it, freezes the acquisition strategy (a move of ``acquisitions.workflow``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.accounts.rules import Perm
from courtier.acquisitions import checks, rules, tasks
from courtier.acquisitions.documents.startup import agenda_text
from courtier.acquisitions.messages import (
    MEETING_IN_PAST,
    PARTICIPANT_INVALID,
    PARTICIPANTS_REQUIRED,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    DocumentKind,
    StartupMeeting,
)
from courtier.acquisitions.services.common import _lock, _record, _require_state, _today
from courtier.acquisitions.workflow import FILE_WORKFLOW
from courtier.core.ics import Attendee, meeting_invitation
from courtier.core.mail import notify

ICS_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
# The invitation's length: the guide gives none; an hour holds the agenda of 002 §2.5.
MEETING_DURATION = timedelta(hours=1)


def _participants_error(participants: Any) -> str | None:
    if not isinstance(participants, list) or not participants:
        return str(PARTICIPANTS_REQUIRED)
    roles = set()
    for person in participants:
        if not isinstance(person, dict) or not str(person.get("name", "")).strip():
            return str(PARTICIPANT_INVALID)
        try:
            validate_email(str(person.get("email", "")))
        except ValidationError:
            return str(PARTICIPANT_INVALID)
        roles.add(person.get("role"))
    if not {"client", "supplier"} <= roles:
        return str(PARTICIPANTS_REQUIRED)
    return None


@transaction.atomic
def startup_meeting_schedule(
    *, by: User, file: AcquisitionFile, scheduled_for: datetime, participants: list[dict[str, str]]
) -> StartupMeeting:
    """The broker convenes the startup meeting once every prerequisite is met (002 §2.5); the
    platform writes its agenda, kept with the file's documents."""
    permissions.require_perm(by, Perm.MANAGE_ACQUISITIONS)
    file = _lock(file)
    _require_state(file, rules.State.STARTUP)
    problems = checks.prerequisites_problems(file)
    if problems:
        raise ValidationError(problems)
    if scheduled_for <= timezone.now():
        raise ValidationError({"scheduled_for": MEETING_IN_PAST})
    error = _participants_error(participants)
    if error:
        raise ValidationError({"participants": error})
    old = StartupMeeting.objects.filter(file=file).first()
    before = None
    if old is not None:
        before = {"scheduled_for": old.scheduled_for.isoformat()}
        old.delete()
    cleaned = [
        {"name": p["name"].strip(), "email": p["email"].strip().lower(), "role": p["role"]}
        for p in participants
    ]
    meeting = StartupMeeting(
        file=file,
        scheduled_for=scheduled_for,
        participants=cleaned,
        agenda="",
        scheduled_by=by,
    )
    # The agenda's text is cheap: written now, kept on the meeting; its PDF after the commit.
    meeting.agenda = agenda_text(file, meeting, checks.chosen_scenario(file))
    meeting.save()
    if file.startup_contact_on is None:
        file.startup_contact_on = _today()
        file.save(update_fields=["startup_contact_on", "updated_at"])
    _record(
        by,
        "acquisition.meeting_scheduled",
        meeting,
        file,
        before,
        {"scheduled_for": scheduled_for.isoformat(), "participants": cleaned},
    )
    tasks.render_after_commit(DocumentKind.AGENDA, file=file, by=by, source_id=meeting.pk)
    notify(
        to=[p["email"] for p in cleaned],
        template="acquisitions/email/meeting_scheduled",
        context={"file": file, "meeting": meeting},
        attachments=[("rencontre-demarrage.ics", meeting_invitation_ics(file, meeting), ICS_TYPE)],
    )
    return meeting


def meeting_invitation_ics(file: AcquisitionFile, meeting: StartupMeeting) -> str:
    """The invitation the convocation carries (METHOD:REQUEST), at the meeting's time in
    America/Toronto, its participants as attendees. Its UID is the file's, so that a meeting
    convened again replaces the first one in the calendars (a higher SEQUENCE)."""
    by = meeting.scheduled_by
    return meeting_invitation(
        uid=f"acquisitions.meeting:{file.pk}",
        summary=str(_("Rencontre de démarrage — %(reference)s") % {"reference": file.reference}),
        description=meeting.agenda,
        starts_at=meeting.scheduled_for,
        duration=MEETING_DURATION,
        organizer=Attendee(name=str(by), email=by.email),
        attendees=[Attendee(name=p["name"], email=p["email"]) for p in meeting.participants],
        sequence=int(meeting.scheduled_at.timestamp()),
    )


@transaction.atomic
def strategy_freeze(*, by: User, file: AcquisitionFile) -> AcquisitionStrategy:
    """After the startup meeting the broker freezes the acquisition strategy (duration,
    solutions, components, quantities over time, total, sheet versions) and hands it to
    contract preparation (002 §2.5): the move ``freeze_strategy`` of ``FILE_WORKFLOW``, whose
    guards, writes and effects say what it checks, keeps and tells."""
    permissions.require_perm(by, Perm.MANAGE_ACQUISITIONS)
    file = _lock(file)
    _require_state(file, rules.State.STARTUP)
    FILE_WORKFLOW.run(
        subject=file, action=rules.Action.FREEZE_STRATEGY, by=by, acting_as={rules.Actor.BROKER}
    )
    return file.strategy
