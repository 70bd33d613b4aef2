"""Background work of acquisitions: the broker is told of questions suppliers left unanswered
past their 3-business-day due date (004 §3.3.2)."""

from __future__ import annotations

from django_tasks import task


@task()
def report_overdue_questions() -> int:
    """Flag the overdue questions and tell the broker, once each. Enqueued for the day after
    each question's due date; `courtier report-overdue-questions` runs it from cron too."""
    from courtier.acquisitions.services import questions_report_overdue

    return questions_report_overdue()
