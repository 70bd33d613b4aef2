"""Every email's subject and text body are plain text: an organisation's name comes out as it
was typed (no HTML escaping), a subject on one line."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace as Thing

import pytest

from courtier.core.mail import notify

NAME = 'L\'Œuvre & "Fils" <inc>'
TEMPLATE_ROOT = Path(__file__).resolve().parents[2] / "courtier"
SUBJECTS = sorted(TEMPLATE_ROOT.glob("*/templates/**/email/*_subject.txt"))


def template_name(subject_path: Path) -> str:
    """``courtier/acquisitions/templates/acquisitions/email/x_subject.txt`` -> ``acquisitions/
    email/x`` (what ``notify`` is given)."""
    relative = subject_path.relative_to(subject_path.parents[2])
    return str(relative).removesuffix("_subject.txt")


def everything_named_the_same() -> dict[str, object]:
    """A context for any email template, every name and free text set to NAME."""
    org = Thing(name=NAME)
    file = Thing(reference="ACQ-2026-0001", title=NAME, client=org)
    solicitation = Thing(pk=1, pseudonym_label=NAME)
    question = Thing(
        supplier=org, offer=Thing(name=NAME), file=file, text=NAME, answer=NAME,
        due_on=date(2026, 12, 1), solicitation=solicitation, solicitation_id=2,
    )  # fmt: skip
    person = Thing(first_name=NAME, last_name=NAME, full_name=NAME, email="p@test.example")
    request = Thing(
        first_name=NAME, full_name=NAME, email="p@test.example", organisation=org,
        reason=NAME, refusal_reason=NAME, summary=NAME, estimated_cents=123456,
        return_comment=NAME, cancel_reason=NAME, revision=2,
        deadline_at=datetime(2026, 12, 1, 19, tzinfo=UTC),
        question_cutoff_at=datetime(2026, 11, 25, 4, tzinfo=UTC),
    )  # fmt: skip
    return {
        "request": request,
        "role": NAME,
        "organisation": org,
        "user": person,
        "file": file,
        "question": question,
        "questions": [question],
        "meeting": Thing(scheduled_for=datetime(2026, 12, 1, 15, tzinfo=UTC), agenda=NAME),
        "strategy": Thing(supplier=org, duration_months=36, total_cents=123456),
        "draft": Thing(supplier=org, summary=NAME, review_comment=NAME),
        "version": Thing(name=NAME, change_count=2),
        "sections": {"identity": Thing(added=[NAME], removed=[], changed=[])},
        "price_changes": 0,
        "items": [Thing(title=NAME, due_on=date(2026, 12, 1), is_overdue=True, url="/x")],
        "day": date(2026, 12, 1),
        "owed": Thing(due_on=date(2026, 12, 1), note=NAME),
        "type_label": NAME,
        "subject": NAME,
        "client": NAME,
        "document": Thing(title=NAME),
        "url": "/x",
        "password_url": "/x",
        "solicitation": solicitation,
        "handoff": Thing(provider=org, total_cents=123456),
        "reminder": True,
        "contract": Thing(reference="C-2026-0001", title=NAME, client=org, supplier=org),
        "amendment": Thing(number=1, reason=NAME),
        "reason": NAME,
        "changes": [NAME],
        "lead_time_on": date(2026, 12, 1),
        "complaint": Thing(reference="P-2026-0001", subject=NAME, client=org),
        "answer": Thing(text=NAME),
        "supplier": NAME,
        "year": 2026,
        "due_on": date(2026, 12, 1),
        "contract_end": date(2027, 4, 30),
        "warning_months": 9,
        "comment": NAME,
        "invoice": Thing(
            number="F-2026-2027-00001",
            is_credit_note=False,
            total_cents=114975,
            due_on=date(2027, 1, 3),
            credits=Thing(number="F-2026-2027-00001"),
        ),
        "balance": "1 149,75 $",
        "quarter": "T3 2026-2027",
    }


def test_every_email_template_is_found():
    assert len(SUBJECTS) >= 15
    for subject in SUBJECTS:
        assert subject.with_name(subject.name.replace("_subject", "")).exists()


@pytest.mark.parametrize("subject_path", SUBJECTS, ids=lambda p: template_name(p))
def test_names_come_out_verbatim_in_subjects_and_bodies(
    subject_path, db, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=["p@test.example"],
            template=template_name(subject_path),
            context=everything_named_the_same(),
        )
    [message] = mailbox.messages
    subject, body = str(message["Subject"]), mailbox.body(message)
    assert "\n" not in subject
    for text in (subject, body):
        for escaped in ("&#x27;", "&#39;", "&amp;", "&quot;", "&lt;", "&gt;"):
            assert escaped not in text
        if "Œuvre" in text:
            assert NAME in text
    source = subject_path.read_text()
    if ".name" in source or "full_name" in source:  # the subject names someone: verbatim
        assert NAME in subject
