"""Chasing the non-participation questionnaires still owed (002 §3.5: « faire une relance »):
every 2 business days after it was asked, at most 3 times; one never returned is recorded as
such at hand-off (``moves.package_frozen``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from courtier.calendar import selectors as calendar
from courtier.pricerequests.models import NonParticipation, NonParticipationState
from courtier.pricerequests.services.common import _record
from courtier.pricerequests.services.documents import non_participation_email

REMIND_EVERY_BUSINESS_DAYS = 2
MAX_REMINDERS = 3


def _due(questionnaire: NonParticipation) -> bool:
    last = questionnaire.last_reminded_at or questionnaire.created_at
    due_on = calendar.business_days_after(
        timezone.localtime(last).date(), REMIND_EVERY_BUSINESS_DAYS
    )
    return questionnaire.reminders < MAX_REMINDERS and timezone.localdate() >= due_on


def non_participation_remind_due() -> int:
    """Send the reminders due today, each once (the row is locked and checked again); the number
    sent."""
    sent = 0
    pending = NonParticipation.objects.filter(
        state=NonParticipationState.PENDING, reminders__lt=MAX_REMINDERS
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            questionnaire = (
                NonParticipation.objects.select_for_update()
                .select_related("solicitation__provider", "solicitation__request__file")
                .get(pk=pk)
            )
            if questionnaire.state != NonParticipationState.PENDING or not _due(questionnaire):
                continue
            before = {"reminders": questionnaire.reminders}
            questionnaire.reminders += 1
            questionnaire.last_reminded_at = timezone.now()
            questionnaire.save(update_fields=["reminders", "last_reminded_at"])
            solicitation = questionnaire.solicitation
            _record(
                None,
                "non_participation.reminded",
                questionnaire,
                solicitation.request.file,
                before,
                {"reminders": questionnaire.reminders},
            )
        sent += non_participation_email(solicitation, reminder=True)
    return sent
