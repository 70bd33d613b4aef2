"""Questions left unanswered past their due date (004 §3.3.2): the broker is told, once each.
Run by the task ``acquisitions.tasks.report_overdue_questions`` (the day after each due date)
and by ``courtier report-overdue-questions`` (cron)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courtier.accounts.selectors import broker_staff_emails
from courtier.acquisitions.models import SupplierQuestion
from courtier.acquisitions.services.common import _record, _today
from courtier.core.mail import notify


@transaction.atomic
def questions_report_overdue(*, today: date | None = None) -> int:
    """Unanswered questions past their due date are flagged and the broker told, once each
    (004 §3.3.2). Returns how many were reported."""
    today = today or _today()
    late = list(
        SupplierQuestion.objects.select_for_update()
        .filter(answered_at__isnull=True, overdue_reported_at__isnull=True, due_on__lt=today)
        .select_related("file", "supplier")
    )
    if not late:
        return 0
    now = timezone.now()
    for question in late:
        question.overdue_reported_at = now
        question.save(update_fields=["overdue_reported_at"])
        _record(
            None,
            "acquisition.question_overdue",
            question,
            question.file,
            None,
            {"due_on": question.due_on.isoformat()},
        )
    notify(
        to=broker_staff_emails(),
        template="acquisitions/email/questions_overdue",
        context={"questions": late, "url": reverse("acquisitions:questions_inbox")},
    )
    return len(late)
