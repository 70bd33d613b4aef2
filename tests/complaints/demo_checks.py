"""The demo feedback and complaints (`courtier demo`, issue 14 §1): the Ministère de
l'Enseignement supérieur's dispute with Boréale on the contract in force, answered but not
settled and flagged as persisting (DOMAIN §5.10); a feedback answered and closed; a complaint
waiting to be assigned — seen by the client's people and the broker, never by Boréale."""

from __future__ import annotations

import pytest

from courtier.accounts.models import User
from courtier.complaints import demo, selectors
from courtier.complaints.models import Complaint, ComplaintState
from courtier.contracts.demo import IN_FORCE_TITLE


@pytest.mark.usefixtures("loaded")
class TestTheDemoComplaints:
    def test_the_demo_holds_a_persisting_dispute_on_the_contract_in_force(self):
        dispute = Complaint.objects.get(subject=demo.DISPUTE_SUBJECT)
        assert dispute.contract.title == IN_FORCE_TITLE
        assert dispute.state == ComplaintState.ANSWERED
        assert selectors.dispute_flags([dispute])[dispute.pk] == ["persists"]

    def test_the_demo_holds_a_closed_feedback_and_a_complaint_to_assign(self):
        states = {
            c.subject: c.state
            for c in Complaint.objects.filter(
                subject__in=[demo.FEEDBACK_SUBJECT, demo.UNAVAILABILITY_SUBJECT]
            )
        }
        assert states == {
            demo.FEEDBACK_SUBJECT: ComplaintState.CLOSED,
            demo.UNAVAILABILITY_SUBJECT: ComplaintState.OPEN,
        }

    def test_the_client_and_the_broker_see_them_and_the_supplier_none(self):
        def seen(email: str) -> int:
            return selectors.complaints_for(User.objects.get(email=email)).count()

        assert seen(demo.CLIENT) == seen(demo.BROKER) == 3
        assert seen("representant@boreales.example") == 0

    def test_loading_the_complaints_again_changes_nothing(self):
        before = Complaint.objects.count()
        demo.load()
        assert Complaint.objects.count() == before
