"""The rules of service acquisitions on a real database (issue 12, Done when): each refusal comes
with its French message and writes nothing (no state change, no audit event); each move that is
allowed leaves its audit event. One world for the module: the providers qualified once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from courtier.audit.models import AuditEvent
from courtier.calendar import selectors as calendar
from courtier.pricerequests import messages, selectors
from courtier.pricerequests.models import (
    NonParticipation,
    PriceRequest,
    ServiceFile,
    ServiceResponse,
    ShortlistEntry,
    Solicitation,
)
from courtier.pricerequests.services import choice as choice_services
from courtier.pricerequests.services import files as files_services
from courtier.pricerequests.services import requests as requests_services
from courtier.pricerequests.services import responses as responses_services
from courtier.pricerequests.services import transitions
from tests.factories import make_person
from tests.helpers import shared_world
from tests.pricerequests import factories
from tests.pricerequests.factories import CUTOFF_ON, DEADLINE_AT, DEADLINE_ON, SENT_AT

shared, world, orgs, people = shared_world(factories.qualify_providers)


@pytest.fixture
def providers(world):
    return world[2]


@pytest.fixture
def reps(people, providers):
    return {"F": people["provider_rep"], "G": make_person(providers["G"], "provider_rep", "g")}


def _file(people, step: str, **kw) -> ServiceFile:
    return factories.file_at(
        people["client_procurement"],
        people["client_procurement"].memberships.first().organisation,
        step,
        broker=people["broker_agent"],
        **kw,
    )


class Unchanged:
    """Asserts a refusal wrote nothing: no audit event, the row as it was."""

    def __init__(self, obj) -> None:
        self.obj = obj

    def __enter__(self):
        self.events = AuditEvent.objects.count()
        self.before = type(self.obj).objects.filter(pk=self.obj.pk).values().first()
        return self

    def __exit__(self, *exc):
        assert AuditEvent.objects.count() == self.events
        assert type(self.obj).objects.filter(pk=self.obj.pk).values().first() == self.before


def _refused(call, field: str, message) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    assert str(message) in refused.value.message_dict[field][0] or refused.value.message_dict[
        field
    ][0] == str(message)


def test_sending_before_the_broker_s_validation_is_refused(people):
    """002 §3.3.2: « le Courtier doit valider celle-ci ... et autoriser son envoi »."""
    file = _file(people, "submitted")
    with Unchanged(file.request), time_machine.travel(SENT_AT, tick=False):
        _refused(
            lambda: transitions.price_request_send(
                by=people["client_procurement"],
                request=file.request,
                deadline_on=DEADLINE_ON,
                question_cutoff_on=CUTOFF_ON,
            ),
            "action",
            messages.SEND_BEFORE_VALIDATION,
        )
    assert not Solicitation.objects.exists()


@pytest.mark.parametrize(("days", "message"), [(9, "au moins 10"), (16, "au plus 15")])
def test_a_deadline_of_9_or_16_business_days_is_refused(people, days, message):
    """002 §3.3.3: 10 to 15 business days, Thanksgiving (2026-10-12) not counted."""
    file = _file(people, "approved")
    deadline = date(2026, 10, 19) if days == 9 else date(2026, 10, 28)
    with (
        Unchanged(file.request),
        time_machine.travel(SENT_AT, tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        transitions.price_request_send(
            by=people["client_procurement"],
            request=file.request,
            deadline_on=deadline,
            question_cutoff_on=CUTOFF_ON,
        )
    text = refused.value.message_dict["deadline_on"][0]
    assert message in text and f"{days} jour" in text and "002 §3.3.3" in text


def test_the_deadline_set_at_sending_counts_business_days(people):
    file = _file(people, "sent")
    request = PriceRequest.objects.get(pk=file.request.pk)
    assert request.deadline_at == DEADLINE_AT and request.state == "sent"
    with time_machine.travel(SENT_AT, tick=False):
        assert selectors.business_days_left(request.deadline_at) == 10
    assert AuditEvent.objects.filter(action="price_request.send").count() == 1


def test_every_extension_attempt_is_refused(people):
    """002 §3.3.3: « aucune demande de prolongation ... n'est possible, peu importe la raison »."""
    file = _file(people, "sent")
    with Unchanged(file.request):
        _refused(
            lambda: requests_services.price_request_extend(
                by=people["client_procurement"],
                request=file.request,
                deadline_on=date(2026, 10, 27),
            ),
            "deadline_on",
            messages.NO_EXTENSION,
        )
        # Sending again (a new deadline) is no way around it either.
        with pytest.raises(ValidationError):
            transitions.price_request_send(
                by=people["client_procurement"],
                request=file.request,
                deadline_on=date(2026, 10, 27),
                question_cutoff_on=CUTOFF_ON,
            )


def test_a_response_one_second_late_is_refused(people, reps):
    file = _file(people, "sent")
    mine = Solicitation.objects.get(
        request=file.request, provider=people["provider_rep"].memberships.first().organisation
    )
    with time_machine.travel(SENT_AT + timedelta(days=1), tick=False):
        responses_services.response_save(
            by=reps["F"],
            solicitation=mine,
            lines=[{"activity": "Analyse", "rate_cents": 10_000, "hours": "10"}],
        )
        responses_services.response_document_add(
            by=reps["F"],
            solicitation=mine,
            asked=factories.DOCUMENTS_ASKED[0],
            name="cv.pdf",
            content=b"%PDF-1.4 cv",
            content_type="application/pdf",
        )
    response = ServiceResponse.objects.get(solicitation=mine)
    with Unchanged(response), time_machine.travel(DEADLINE_AT + timedelta(seconds=1), tick=False):
        _refused(
            lambda: responses_services.response_submit(by=reps["F"], solicitation=mine),
            "response",
            messages.DEADLINE_PASSED,
        )
    with time_machine.travel(DEADLINE_AT, tick=False):  # at the deadline itself: in time
        responses_services.response_submit(by=reps["F"], solicitation=mine)
    assert ServiceResponse.objects.get(pk=response.pk).state == "submitted"


def test_nobody_on_the_client_side_reads_a_response_before_the_deadline(people, reps):
    """002 §3.3.3: sealed in the selectors (and the policies) until opened after the deadline."""
    file = _file(people, "sent")
    mine = Solicitation.objects.get(
        request=file.request, provider=people["provider_rep"].memberships.first().organisation
    )
    with time_machine.travel(SENT_AT + timedelta(days=1), tick=False):
        factories.respond(reps["F"], mine)
        for who in ("client_procurement", "client_head", "broker_agent", "broker_admin"):
            assert not selectors.responses_for(people[who], file.request).exists()
        assert selectors.responses_for(reps["F"], file.request).count() == 1
        assert not selectors.responses_for(reps["G"], file.request).exists()
        with Unchanged(file):
            _refused(
                lambda: transitions.service_file_transition(
                    by=people["client_procurement"], file=file, action="open_responses"
                ),
                "action",
                messages.DEADLINE_NOT_PASSED,
            )
    with time_machine.travel(DEADLINE_AT + timedelta(minutes=1), tick=False):
        # Past the deadline but not opened: still sealed.
        assert not selectors.responses_for(people["client_procurement"], file.request).exists()
        transitions.service_file_transition(
            by=people["client_procurement"], file=file, action="open_responses"
        )
        assert selectors.responses_for(people["client_procurement"], file.request).count() == 1
        # The provider that did not respond owes its questionnaire; the others see nothing of it.
        silent = NonParticipation.objects.filter(solicitation__request=file.request)
        assert silent.count() == 2
        assert mine.provider_id not in silent.values_list("solicitation__provider_id", flat=True)
        assert not selectors.non_participations_for(reps["F"], file.request).exists()


def test_leaving_a_provider_out_without_a_reason_is_refused(people, providers):
    """002 §3.3.1: « dûment documentées, de façon objective »."""
    file = _file(people, "solicitation")
    entry = ShortlistEntry.objects.get(file=file, provider=providers["G"])
    with Unchanged(entry):
        _refused(
            lambda: files_services.shortlist_exclude(
                by=people["client_procurement"],
                file=file,
                provider_id=providers["G"].pk,
                reason="  ",
            ),
            "reason",
            messages.EXCLUSION_REASON_REQUIRED,
        )
    files_services.shortlist_exclude(
        by=people["client_procurement"],
        file=file,
        provider_id=providers["G"].pk,
        reason="Conflit d'intérêts.",
    )
    entry.refresh_from_db()
    assert not entry.included and entry.exclusion_reason == "Conflit d'intérêts."
    assert AuditEvent.objects.filter(action="service_file.provider_excluded").count() == 1


def test_the_shortlist_holds_every_provider_qualified_in_all_chosen_qualifications(
    people, providers
):
    file = _file(people, "solicitation")
    assert list(file.shortlist.values_list("provider__name", flat=True)) == [
        "Prestataire F",
        "Prestataire G",
        "Prestataire H",
    ]
    assert providers["I"].pk not in file.shortlist.values_list("provider_id", flat=True)


def _opened_with_two_responses(people, reps, *, rcti_client: bool = True):
    file = _file(people, "sent")
    by_provider = {s.provider_id: s for s in Solicitation.objects.filter(request=file.request)}
    f = by_provider[people["provider_rep"].memberships.first().organisation.pk]
    g = next(s for s in by_provider.values() if s.provider.name == "Prestataire G")
    with time_machine.travel(SENT_AT + timedelta(days=1), tick=False):
        low = factories.respond(reps["F"], f, rate_cents=10_000)
        high = factories.respond(reps["G"], g, rate_cents=15_000)
    traveller = time_machine.travel(DEADLINE_AT + timedelta(hours=1), tick=False)
    traveller.start()
    transitions.service_file_transition(
        by=people["client_procurement"], file=file, action="open_responses"
    )
    for response in (low, high):
        responses_services.response_completeness_record(
            by=people["client_procurement"], response=response, complete=True
        )
    return ServiceFile.objects.get(pk=file.pk), low, high, traveller


def test_a_non_lowest_choice_without_the_head_s_authorisation_is_refused_for_an_rcti_client(
    people, reps
):
    """RCTI art. 48 (002 §3.4)."""
    file, _low, high, traveller = _opened_with_two_responses(people, reps)
    try:
        choice_services.choice_record(
            by=people["client_procurement"],
            file=file,
            response=high,
            criteria=["experience"],
            justification="Expérience en migration nettement supérieure.",
        )
        choice_services.service_financial_authorisation_record(
            by=people["client_finance"],
            file=file,
            amount_cents=high.total_cents,
            authorised_on=date(2026, 10, 20),
            authorised_by_name="Finances",
        )
        file = ServiceFile.objects.get(pk=file.pk)
        with Unchanged(file), pytest.raises(ValidationError) as refused:
            transitions.service_file_transition(
                by=people["client_procurement"], file=file, action="hand_off"
            )
        assert str(messages.HANDOFF_MESSAGES["head_authorisation"]) in refused.value.messages
        choice_services.service_head_authorisation_record(
            by=people["client_procurement"],
            file=file,
            criteria=["experience"],
            justification="Expérience.",
            head_name="Sous-ministre",
            authorised_on=date(2026, 10, 20),
            document_name="autorisation.pdf",
            document=b"%PDF-1.4 ok",
            content_type="application/pdf",
        )
        transitions.service_file_transition(
            by=people["client_procurement"], file=file, action="hand_off"
        )
        assert ServiceFile.objects.get(pk=file.pk).state == "handed_off"
        assert file.handoff.content["head_authorisation"]["head_name"] == "Sous-ministre"
    finally:
        traveller.stop()


def test_a_criterion_used_at_the_choice_must_have_been_declared_in_the_request(people, reps):
    """002 §3.4: « Celui-ci doit toutefois être inclus à la demande de prix »."""
    file, low, high, traveller = _opened_with_two_responses(people, reps)
    try:
        with Unchanged(file):
            _refused(
                lambda: choice_services.choice_record(
                    by=people["client_procurement"],
                    file=file,
                    response=high,
                    criteria=["proximite"],
                    justification="Bureau à Québec.",
                ),
                "criteria",
                "proximite",
            )
        choice = choice_services.choice_record(
            by=people["client_procurement"], file=file, response=low
        )
        assert choice.is_lowest
    finally:
        traveller.stop()


def test_a_change_after_sending_needs_a_new_validation(people, reps, mailbox, run_on_commit):
    """002 §3.3.3: « le client doit valider les modifications avec le Courtier »."""
    file = _file(people, "sent")
    request = PriceRequest.objects.get(pk=file.request.pk)
    code = request.template.sections[0]["code"]
    with Unchanged(request):
        _refused(
            lambda: requests_services.price_request_update(
                by=people["client_procurement"], request=request, sections={code: "Nouveau texte."}
            ),
            "sections",
            messages.CHANGE_NEEDS_VALIDATION,
        )
        _refused(
            lambda: requests_services.price_request_update(
                by=people["client_procurement"],
                request=request,
                criteria=[{"code": "x", "label": "X"}],
            ),
            "criteria",
            messages.CRITERIA_FROZEN,
        )
    transitions.price_request_change_submit(
        by=people["client_procurement"], request=request, sections={code: "Nouveau texte."}
    )
    request.refresh_from_db()
    assert request.state == "change_submitted" and request.sections[code] != "Nouveau texte."
    mailbox.messages.clear()
    with run_on_commit():
        transitions.price_request_change_approve(by=people["broker_agent"], request=request)
    request.refresh_from_db()
    assert request.state == "sent" and request.revision == 2
    assert request.sections[code] == "Nouveau texte."
    told = [m for m in mailbox.messages if "modifiée" in m["Subject"]]
    assert len(told) == 3  # every solicited provider, each alone


def test_a_cancelled_request_tells_every_solicited_provider(people, mailbox, run_on_commit):
    file = _file(people, "sent")
    mailbox.messages.clear()
    with run_on_commit():
        transitions.price_request_cancel(
            by=people["client_procurement"], request=file.request, reason="Besoin reporté."
        )
    assert len([m for m in mailbox.messages if "annulée" in m["Subject"]]) == 3
    assert PriceRequest.objects.get(pk=file.request.pk).state == "cancelled"


def test_only_the_broker_validates_and_returning_needs_a_comment(people):
    file = _file(people, "submitted")
    with pytest.raises(Exception) as refused:
        transitions.price_request_approve(by=people["client_procurement"], request=file.request)
    assert refused.type.__name__ == "PermissionDenied"
    with Unchanged(file.request):
        _refused(
            lambda: transitions.price_request_return(
                by=people["broker_agent"], request=file.request, comment=" "
            ),
            "comment",
            messages.RETURN_COMMENT_REQUIRED,
        )
    transitions.price_request_return(
        by=people["broker_agent"], request=file.request, comment="Portée à préciser."
    )
    assert PriceRequest.objects.get(pk=file.request.pk).state == "returned"


def test_a_silent_provider_is_chased_every_two_business_days_at_most_three_times(
    people, reps, mailbox
):
    """002 §3.5: « faire une relance », and one never returned is recorded as such."""
    from courtier.pricerequests.services.reminders import non_participation_remind_due

    file, _low, _high, traveller = _opened_with_two_responses(people, reps)
    traveller.stop()
    owed = NonParticipation.objects.get(solicitation__request=file.request)
    opened_on = timezone.localtime(owed.created_at).date()
    with time_machine.travel(owed.created_at + timedelta(days=1), tick=False):
        assert non_participation_remind_due() == 0  # not before 2 business days
    for number in (1, 2, 3):
        day = calendar.business_days_after(opened_on, 2 * number)
        with time_machine.travel(timezone.make_aware(datetime.combine(day, time(8))), tick=False):
            mailbox.messages.clear()
            assert non_participation_remind_due() == 1
            assert "Relance" in mailbox.messages[0]["Subject"]
    with time_machine.travel(
        timezone.make_aware(datetime.combine(calendar.business_days_after(opened_on, 20), time(8))),
        tick=False,
    ):
        assert non_participation_remind_due() == 0
    owed.refresh_from_db()
    assert owed.reminders == 3
    assert AuditEvent.objects.filter(action="non_participation.reminded").count() == 3


def test_at_hand_off_a_questionnaire_never_returned_is_recorded_as_such(people, reps):
    file, low, _high, traveller = _opened_with_two_responses(people, reps)
    try:
        choice_services.choice_record(by=people["client_procurement"], file=file, response=low)
        choice_services.service_financial_authorisation_record(
            by=people["client_finance"],
            file=file,
            amount_cents=low.total_cents,
            authorised_on=date(2026, 10, 20),
            authorised_by_name="Finances",
        )
        transitions.service_file_transition(
            by=people["client_procurement"], file=file, action="hand_off"
        )
    finally:
        traveller.stop()
    package = ServiceFile.objects.get(pk=file.pk).handoff.content
    assert [q["state"] for q in package["non_participation"]] == ["never_returned"]
    assert package["chosen"]["is_lowest"] is True
    assert AuditEvent.objects.filter(action="non_participation.never_returned").count() == 1


def test_work_items_await_the_provider_the_broker_and_the_client(people, reps):
    from courtier.core import workitems

    submitted = _file(people, "submitted")
    broker = [i for i in workitems.items_for(people["broker_agent"]) if "pricerequests" in i.key]
    assert any(submitted.reference in i.title for i in broker)
    sent = _file(people, "sent_now")
    provider = [i for i in workitems.items_for(reps["F"]) if i.key.startswith("pricerequests.")]
    assert [i.title for i in provider] == [f"Répondre à la demande de prix — {sent.reference}"]
    assert provider[0].due_on == timezone.localtime(sent.request.deadline_at).date()
    client = [
        i.title
        for i in workitems.items_for(people["client_procurement"])
        if i.key.startswith("pricerequests.")
    ]
    assert f"Compléter la demande de prix — {submitted.reference}" not in client


def test_a_validated_request_taken_back_before_sending_needs_a_new_validation(people):
    """002 §3.3.2: what goes out is what the broker validated."""
    file = _file(people, "approved")
    transitions.price_request_revise(by=people["client_procurement"], request=file.request)
    request = PriceRequest.objects.get(pk=file.request.pk)
    assert (request.state, request.approved_at) == ("draft", None)
    requests_services.price_request_update(
        by=people["client_procurement"], request=request, summary="Résumé corrigé."
    )
    with Unchanged(request), time_machine.travel(SENT_AT, tick=False):
        _refused(
            lambda: transitions.price_request_send(
                by=people["client_procurement"],
                request=request,
                deadline_on=DEADLINE_ON,
                question_cutoff_on=CUTOFF_ON,
            ),
            "action",
            messages.SEND_BEFORE_VALIDATION,
        )
    assert AuditEvent.objects.filter(action="price_request.revise").count() == 1
